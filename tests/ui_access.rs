//! What a screen reader gets: on every page, every control has a name
//! that says what it does and a role that says what kind of control it is,
//! and status changes sit in live regions so they are announced.

#[path = "support/ui_app.rs"]
mod ui_app;

use egui::accesskit::{Action, Live, Role};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use offboard::model::wizard::Step;
use offboard::ui::OffboardApp;
use std::collections::BTreeMap;
use ui_app::{InjectedDialogs, RESOLVE_ORDER, TestResult, app, harness, settle};

type H = Harness<'static, OffboardApp>;

fn click(h: &mut H, label: &str) {
    h.get_by_label(label).click_accesskit();
    h.run_steps(2);
    settle(h);
}

/// Roles a control may have: each tells a screen reader how to use it.
const CONTROL_ROLES: [Role; 11] = [
    Role::Button,
    Role::DisclosureTriangle,
    Role::ScrollBar,
    Role::CheckBox,
    Role::RadioButton,
    Role::ComboBox,
    Role::TextInput,
    Role::MultilineTextInput,
    Role::PasswordInput,
    Role::Link,
    Role::MenuItem,
];

/// Whether a name reads as words: not empty, and not opening with a glyph
/// that a screen reader spells out ("heavy check mark").
fn reads_as_words(name: &str) -> bool {
    name.trim()
        .chars()
        .next()
        .is_some_and(|first| first.is_alphanumeric() || first == '$' || first == '"')
}

/// What is wrong with the controls on the screen now, each problem
/// prefixed with `page`.
fn audit(h: &H, page: &str) -> Vec<String> {
    let mut problems = Vec::new();
    let mut buttons: BTreeMap<String, usize> = BTreeMap::new();
    for node in h.root().children_recursive() {
        let node = node.accesskit_node();
        if node.is_hidden() {
            continue;
        }
        let role = node.role();
        // Text is selectable, so labels take clicks too; they are not controls.
        let clickable = node.data().supports_action(Action::Click) && role != Role::Label;
        let is_control = egui::accessibility::is_input(role);
        if !is_control && !clickable {
            continue;
        }
        let name = node.label().unwrap_or_default();
        let described = format!("{page}: {role:?} {name:?}");
        if !CONTROL_ROLES.contains(&role) {
            problems.push(format!("{described}: not a control role"));
        }
        // A scroll bar is known by where it is, not by a name.
        if role != Role::ScrollBar && !reads_as_words(&name) {
            problems.push(format!("{described}: no name that reads as words"));
        }
        if role == Role::Button && !node.is_disabled() {
            *buttons.entry(name).or_default() += 1;
        }
    }
    for (name, count) in buttons {
        if count > 1 {
            problems.push(format!(
                "{page}: {count} buttons named {name:?}: a listener cannot tell them apart"
            ));
        }
    }
    problems
}

/// The live region holding `text`, if there is one.
fn announced(h: &H, text: &str) -> Option<(Role, Live)> {
    h.root().children_recursive().find_map(|node| {
        let node = node.accesskit_node();
        let live = node.live();
        if live == Live::Off {
            return None;
        }
        let says = node.label().is_some_and(|l| l.contains(text))
            || h.query_all_by_label_contains(text).any(|label| {
                std::iter::successors(label.accesskit_node().parent(), |p| p.parent())
                    .any(|ancestor| ancestor.id() == node.id())
            });
        says.then(|| (node.role(), live))
    })
}

#[test]
fn every_page_names_its_controls_and_announces_status() -> TestResult {
    let state = tempfile::tempdir()?;
    let exports = tempfile::tempdir()?;
    let dialogs = InjectedDialogs {
        folder: Some(exports.path().to_path_buf()),
        save_as: Some(exports.path().join("letter.txt")),
    };
    let mut h = harness(app(state.path(), dialogs), egui::vec2(1120.0, 2400.0));
    settle(&mut h);
    let mut problems = audit(&h, "welcome");

    click(&mut h, "More");
    problems.extend(audit(&h, "More menu"));
    h.key_press(egui::Key::Escape);
    settle(&mut h);

    click(&mut h, "Start");
    // Every platform's connect form.
    for platform in [
        "Upwork (with your API key)",
        "Upwork (downloaded CSV files)",
        "Fiverr",
        "Freelancer.com",
        "Demo platform",
    ] {
        let radio = h
            .query_all_by_role(Role::RadioButton)
            .find(|r| {
                r.accesskit_node()
                    .label()
                    .is_some_and(|l| l.starts_with(platform))
            })
            .map(|radio| radio.click_accesskit());
        assert!(radio.is_some(), "no radio for {platform}");
        h.run_steps(2);
        settle(&mut h);
        problems.extend(audit(&h, &format!("connect, {platform}")));
    }
    click(&mut h, "Maya Okafor (maya_okafor)");
    problems.extend(audit(&h, "connect, account chosen"));
    click(&mut h, "Next");

    click(&mut h, "Reason for leaving");
    problems.extend(audit(&h, "reason, list open"));
    click(&mut h, "Other");
    h.key_press(egui::Key::Escape);
    settle(&mut h);
    problems.extend(audit(&h, "reason"));
    let field = h.get_by_label("Your reason");
    field.focus();
    h.run_steps(1);
    h.get_by_label("Your reason").type_text("A full-time job");
    settle(&mut h);
    click(&mut h, "Next");
    problems.extend(audit(&h, "feedback"));
    click(&mut h, "Next");
    assert_eq!(h.state().wizard().step(), Step::Review);
    problems.extend(audit(&h, "review"));

    // Resolve everything through the buttons, auditing as the page changes.
    for _ in 0..40 {
        let pressed = RESOLVE_ORDER
            .iter()
            .find_map(|prefix| h.query_all_by_label_contains(prefix).next())
            .map(|button| button.click_accesskit());
        if pressed.is_none() {
            break;
        }
        h.run_steps(2);
        settle(&mut h);
    }
    h.get_by_label("Nothing blocks closing this account.");
    problems.extend(audit(&h, "review, resolved"));
    click(&mut h, "Next");

    problems.extend(audit(&h, "export"));
    click(&mut h, "Choose folder…");
    click(&mut h, "Export");
    h.get_by_label("Export complete");
    assert_eq!(
        announced(&h, "Export complete"),
        Some((Role::Status, Live::Polite)),
        "the finished export is not announced"
    );
    click(&mut h, "Verify");
    assert!(
        announced(&h, "Verified: ").is_some(),
        "the verification is not announced"
    );
    problems.extend(audit(&h, "export, done"));
    click(&mut h, "Next");

    let items: Vec<_> = h.state().wizard().profile().checklist_items().collect();
    for item in items {
        click(&mut h, item.label());
    }
    problems.extend(audit(&h, "checklist"));
    click(&mut h, "Next");

    problems.extend(audit(&h, "confirm"));
    let field = h.get_by_label("Type the username \"maya_okafor\" to confirm");
    field.focus();
    h.run_steps(1);
    h.get_by_label("Type the username \"maya_okafor\" to confirm")
        .type_text("maya_okafor");
    settle(&mut h);
    click(&mut h, "Close account");
    assert_eq!(h.state().wizard().step(), Step::Done);
    problems.extend(audit(&h, "done"));

    assert!(problems.is_empty(), "{}", problems.join("\n"));
    Ok(())
}

/// A failed export is announced at once, not only drawn in red.
#[test]
fn a_failed_export_is_announced() -> TestResult {
    let state = tempfile::tempdir()?;
    let blocker = tempfile::NamedTempFile::new()?;
    // A folder inside a plain file cannot be made.
    let folder = blocker.path().join("exports");
    let mut h = harness(
        app(state.path(), InjectedDialogs::default()),
        egui::vec2(1120.0, 1400.0),
    );
    settle(&mut h);
    click(&mut h, "Start");
    click(&mut h, "Maya Okafor (maya_okafor)");
    click(&mut h, "Next");
    click(&mut h, "Reason for leaving");
    click(&mut h, "Privacy concerns");
    h.key_press(egui::Key::Escape);
    settle(&mut h);
    click(&mut h, "Next");
    click(&mut h, "Next");
    click(&mut h, "Next");
    assert_eq!(h.state().wizard().step(), Step::Export);
    let field = h.get_by_role_and_label(Role::TextInput, "Export folder");
    field.focus();
    h.run_steps(1);
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.run_steps(1);
    h.get_by_role_and_label(Role::TextInput, "Export folder")
        .type_text(&folder.display().to_string());
    h.run_steps(2);
    click(&mut h, "Export");
    h.get_by_label("The export did not finish");
    assert_eq!(
        announced(&h, "The export did not finish"),
        Some((Role::Alert, Live::Assertive))
    );
    Ok(())
}

/// A list that grows with the account lays out only the rows near the view,
/// yet every row can be reached by name: the far ones arrive by scrolling.
#[test]
fn a_long_list_names_the_rows_in_view_and_the_rest_on_scrolling() {
    let rows = 1_000;
    let mut h = Harness::builder()
        .with_size(egui::vec2(400.0, 300.0))
        .build_ui(move |ui| {
            egui::ScrollArea::vertical().show(ui, |ui| {
                offboard::ui::widgets::long_list(ui, "rows", rows, 20.0, |ui, index| {
                    let _ = ui.button(format!("Row {index}"));
                });
            });
        });
    h.run();
    let laid_out = h.query_all_by_role(Role::Button).count();
    assert!(h.query_by_label("Row 0").is_some());
    assert!(h.query_by_label("Row 999").is_none());
    assert!(laid_out < 60, "{laid_out} of {rows} rows laid out");

    // A screen reader walks down the list: the last row in the tree,
    // scrolled into view, brings the next rows in.
    for _ in 0..rows {
        let last = h
            .query_all_by_role(Role::Button)
            .filter_map(|node| node.accesskit_node().label())
            .filter_map(|name| name.strip_prefix("Row ")?.parse::<usize>().ok())
            .max();
        match last {
            Some(last) if last + 1 < rows => {
                h.get_by_label(&format!("Row {last}")).scroll_to_me();
                h.run();
            }
            _ => break,
        }
    }
    assert!(h.query_by_label("Row 999").is_some());
    assert!(h.query_by_label("Row 0").is_none());
}

/// A short list is laid out whole: a screen reader finds every row without
/// scrolling, even those below the window's edge.
#[test]
fn a_short_list_names_every_row() {
    let rows = offboard::ui::widgets::LAID_OUT_WHOLE_UP_TO;
    let mut h = Harness::builder()
        .with_size(egui::vec2(400.0, 300.0))
        .build_ui(move |ui| {
            egui::ScrollArea::vertical().show(ui, |ui| {
                offboard::ui::widgets::long_list(ui, "rows", rows, 20.0, |ui, index| {
                    let _ = ui.button(format!("Row {index}"));
                });
            });
        });
    h.run();
    assert_eq!(h.query_all_by_role(Role::Button).count(), rows);
}
