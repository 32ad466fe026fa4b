//! The whole wizard with the keyboard only: Tab, Shift+Tab, Enter, Space,
//! the arrow keys and typed text, from Welcome to the receipt on the demo
//! platform. The harness is only read, to know where focus is.

#[path = "support/ui_app.rs"]
mod ui_app;

use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use offboard::model::wizard::Step;
use offboard::ui::OffboardApp;
use ui_app::{InjectedDialogs, RESOLVE_ORDER, TestResult, app, focused_name, harness, settle};

type H = Harness<'static, OffboardApp>;

fn press(h: &mut H, key: Key) {
    h.key_press(key);
    h.run_steps(2);
    settle(h);
}

/// Presses Tab until the control named `name` has focus; fails with the
/// names it passed if it never gets there.
fn tab_to(h: &mut H, name: &str) {
    tab_until(h, name, |focused| focused == name);
}

fn tab_until(h: &mut H, what: &str, found: impl Fn(&str) -> bool) {
    let mut passed = Vec::new();
    for _ in 0..80 {
        h.key_press(Key::Tab);
        h.run_steps(2);
        let focused = focused_name(h).unwrap_or_default();
        if found(&focused) {
            return;
        }
        passed.push(focused);
    }
    panic!("Tab never reached {what:?}; it passed {passed:?}");
}

fn step_of(h: &H) -> Step {
    h.state().wizard().step()
}

#[test]
fn keyboard_only_walk_from_welcome_to_receipt() -> TestResult {
    let state = tempfile::tempdir()?;
    let exports = tempfile::tempdir()?;
    let mut h = harness(
        app(state.path(), InjectedDialogs::default()),
        egui::vec2(1120.0, 800.0),
    );
    settle(&mut h);

    // Welcome: nothing has focus, so Enter presses the default button.
    assert_eq!(focused_name(&h), None);
    press(&mut h, Key::Enter);
    assert_eq!(step_of(&h), Step::Connect);

    // Connect: Space picks the account, Enter on Next goes on.
    tab_to(&mut h, "Maya Okafor (maya_okafor)");
    press(&mut h, Key::Space);
    assert!(h.state().wizard().account().is_some(), "Space did not pick");
    tab_to(&mut h, "Next");
    press(&mut h, Key::Enter);
    assert_eq!(step_of(&h), Step::Reason);

    // Reason: open the drop-down with Space, walk it with the arrow keys,
    // pick with Enter; Enter in the last field goes on.
    tab_to(&mut h, "Reason for leaving");
    press(&mut h, Key::Space);
    let mut seen = Vec::new();
    while focused_name(&h).as_deref() != Some("Other") {
        assert!(
            seen.len() < 20,
            "the arrow keys never reached Other: {seen:?}"
        );
        seen.push(focused_name(&h));
        press(&mut h, Key::ArrowDown);
    }
    press(&mut h, Key::Enter);
    assert_eq!(
        h.state().wizard().progress.reason,
        Some(offboard::model::wizard::LeaveReason::Other)
    );
    tab_to(&mut h, "Your reason");
    h.get_by_label("Your reason")
        .type_text("Going back to a full-time job");
    h.run_steps(2);
    press(&mut h, Key::Enter);
    assert_eq!(step_of(&h), Step::Feedback, "Enter in the last field");
    assert_eq!(
        h.state().wizard().progress.other_reason,
        "Going back to a full-time job"
    );

    // Feedback: Tab leaves the multi-line field; Shift+Tab goes back.
    tab_to(&mut h, "Feedback");
    h.get_by_label("Feedback").type_text("Fees add up.");
    h.run_steps(2);
    assert_eq!(h.state().wizard().progress.feedback, "Fees add up.");
    tab_to(&mut h, "Next");
    h.key_press_modifiers(Modifiers::SHIFT, Key::Tab);
    h.run_steps(3);
    assert_eq!(focused_name(&h).as_deref(), Some("Back"), "Shift+Tab");
    press(&mut h, Key::Tab);
    assert_eq!(focused_name(&h).as_deref(), Some("Next"));
    press(&mut h, Key::Enter);
    assert_eq!(step_of(&h), Step::Review);

    // Pending work: every resolve button by Tab and Enter. The first one is
    // below the fold at this height, so focus scrolls it into view.
    settle(&mut h);
    let mut resolved = 0;
    while let Some(prefix) = RESOLVE_ORDER
        .iter()
        .find(|prefix| h.query_all_by_label_contains(prefix).next().is_some())
    {
        assert!(resolved < 40, "blockers kept coming back");
        tab_until(&mut h, prefix, |name| name.starts_with(prefix));
        if resolved == 0 {
            settle(&mut h);
            h.snapshot("keyboard-05-review-focus");
        }
        press(&mut h, Key::Enter);
        assert!(
            h.state().wizard().notice.is_none(),
            "{prefix}: {:?}",
            h.state().wizard().notice
        );
        resolved += 1;
    }
    h.get_by_label("Nothing blocks closing this account.");
    tab_to(&mut h, "Next");
    press(&mut h, Key::Enter);
    assert_eq!(step_of(&h), Step::Export);

    // Export: type the folder, then Export with Enter.
    settle(&mut h);
    tab_to(&mut h, "Export folder");
    h.key_press_modifiers(Modifiers::COMMAND, Key::A);
    h.run_steps(1);
    h.get_by_label("Export folder")
        .type_text(&exports.path().display().to_string());
    h.run_steps(2);
    tab_to(&mut h, "Export");
    press(&mut h, Key::Enter);
    h.get_by_label("Export complete");
    tab_to(&mut h, "Next");
    press(&mut h, Key::Enter);
    assert_eq!(step_of(&h), Step::Checklist);

    // Checklist: Space ticks each item.
    settle(&mut h);
    let items: Vec<_> = h.state().wizard().profile().checklist_items().collect();
    for item in items {
        tab_to(&mut h, item.label());
        press(&mut h, Key::Space);
        assert!(h.state().wizard().progress.checklist.contains(&item));
    }
    tab_to(&mut h, "Next");
    press(&mut h, Key::Enter);
    assert_eq!(step_of(&h), Step::Confirm);

    // Confirm: Enter in the username field, and Enter with nothing focused,
    // never close the account; only Close account itself does.
    settle(&mut h);
    tab_to(&mut h, "Type the username \"maya_okafor\" to confirm");
    h.get_by_label("Type the username \"maya_okafor\" to confirm")
        .type_text("maya_okafor");
    h.run_steps(2);
    press(&mut h, Key::Enter);
    assert_eq!(step_of(&h), Step::Confirm, "Enter in the field closed");
    assert_eq!(focused_name(&h), None);
    press(&mut h, Key::Enter);
    assert_eq!(step_of(&h), Step::Confirm, "the default button closed");
    tab_to(&mut h, "Close account");
    press(&mut h, Key::Enter);
    assert_eq!(step_of(&h), Step::Done);
    h.get_by_label("Your account is closed");
    Ok(())
}

/// Ctrl + and Ctrl − zoom the whole window and Ctrl 0 resets it: egui's
/// own shortcuts, which the app leaves on.
#[test]
fn ctrl_plus_and_minus_zoom_the_window() -> TestResult {
    let state = tempfile::tempdir()?;
    let mut h = harness(
        app(state.path(), InjectedDialogs::default()),
        egui::vec2(1120.0, 780.0),
    );
    settle(&mut h);
    let zoom = |h: &H| h.ctx.zoom_factor();
    assert_eq!(zoom(&h), 1.0);
    for _ in 0..2 {
        h.key_press_modifiers(Modifiers::COMMAND, Key::Plus);
        h.run_steps(2);
    }
    assert!((zoom(&h) - 1.2).abs() < 1e-4, "{}", zoom(&h));
    h.key_press_modifiers(Modifiers::COMMAND, Key::Minus);
    h.run_steps(2);
    assert!((zoom(&h) - 1.1).abs() < 1e-4, "{}", zoom(&h));
    h.key_press_modifiers(Modifiers::COMMAND, Key::Num0);
    h.run_steps(2);
    assert_eq!(zoom(&h), 1.0);
    Ok(())
}
