//! Offboard's design system: colours, cards, chips and the step list, so
//! every page looks and reads the same.

use crate::model::review::{ReviewItem, Severity};
use crate::model::wizard::{Step, Wizard};
use egui::{Color32, CornerRadius, Frame, Margin, RichText, Stroke, Ui};

/// The colours of one theme. Pages ask for them by meaning (`muted(ui)`,
/// `danger(ui)`), so the same code reads in light and dark.
#[derive(Clone, Copy, Debug)]
pub struct Palette {
    /// Body text.
    pub text: Color32,
    /// Secondary text: explanations, hints, why a button is disabled.
    pub muted: Color32,
    /// Headings in the accent colour, links, the current step.
    pub accent: Color32,
    pub danger: Color32,
    pub warning: Color32,
    pub success: Color32,
    /// Behind white text on the primary buttons (Next, Close account).
    pub accent_fill: Color32,
    pub danger_fill: Color32,
    /// Text on `accent_fill` and `danger_fill`.
    pub on_fill: Color32,
    pub card_fill: Color32,
    pub page_fill: Color32,
    pub header_fill: Color32,
    pub steps_fill: Color32,
    /// Steps that cannot be visited yet (disabled controls).
    pub step_locked: Color32,
    pub field_fill: Color32,
    pub border: Color32,
    /// Behind selected items and selected text.
    pub accent_tint: Color32,
}

pub const LIGHT: Palette = Palette {
    text: Color32::from_gray(80),
    muted: Color32::from_rgb(0x57, 0x5f, 0x6b),
    accent: Color32::from_rgb(0x0c, 0x62, 0x5b),
    danger: Color32::from_rgb(0xb9, 0x1c, 0x1c),
    warning: Color32::from_rgb(0x96, 0x4b, 0x06),
    success: Color32::from_rgb(0x13, 0x6a, 0x33),
    accent_fill: Color32::from_rgb(0x0f, 0x76, 0x6e),
    danger_fill: Color32::from_rgb(0xb9, 0x1c, 0x1c),
    on_fill: Color32::WHITE,
    card_fill: Color32::WHITE,
    page_fill: Color32::from_rgb(0xf4, 0xf5, 0xf7),
    header_fill: Color32::WHITE,
    steps_fill: Color32::from_rgb(0xea, 0xee, 0xf1),
    step_locked: Color32::from_gray(120),
    field_fill: Color32::from_rgb(0xfb, 0xfc, 0xfd),
    border: Color32::from_rgb(0xdd, 0xe1, 0xe6),
    accent_tint: Color32::from_rgb(0xcc, 0xe8, 0xe4),
};

pub const DARK: Palette = Palette {
    text: Color32::from_gray(225),
    muted: Color32::from_rgb(0xa7, 0xae, 0xb8),
    accent: Color32::from_rgb(0x4f, 0xd1, 0xc1),
    danger: Color32::from_rgb(0xf8, 0x8a, 0x8a),
    warning: Color32::from_rgb(0xf5, 0xb9, 0x4a),
    success: Color32::from_rgb(0x6e, 0xdc, 0x8f),
    accent_fill: Color32::from_rgb(0x0f, 0x76, 0x6e),
    danger_fill: Color32::from_rgb(0xb9, 0x1c, 0x1c),
    on_fill: Color32::WHITE,
    card_fill: Color32::from_rgb(0x24, 0x27, 0x2c),
    page_fill: Color32::from_rgb(0x1a, 0x1c, 0x20),
    header_fill: Color32::from_rgb(0x21, 0x24, 0x28),
    steps_fill: Color32::from_rgb(0x1e, 0x21, 0x25),
    step_locked: Color32::from_gray(140),
    field_fill: Color32::from_rgb(0x16, 0x18, 0x1b),
    border: Color32::from_rgb(0x3a, 0x3f, 0x46),
    accent_tint: Color32::from_rgb(0x13, 0x4e, 0x4a),
};

/// The palette of the theme `ui` is drawn in.
pub fn palette(ui: &Ui) -> &'static Palette {
    palette_of(ui.visuals().dark_mode)
}

pub fn palette_of(dark: bool) -> &'static Palette {
    if dark { &DARK } else { &LIGHT }
}

pub fn muted(ui: &Ui) -> Color32 {
    palette(ui).muted
}

pub fn accent(ui: &Ui) -> Color32 {
    palette(ui).accent
}

pub fn danger(ui: &Ui) -> Color32 {
    palette(ui).danger
}

pub fn warning(ui: &Ui) -> Color32 {
    palette(ui).warning
}

pub fn success(ui: &Ui) -> Color32 {
    palette(ui).success
}

/// The widest a page's text column gets, for readable line lengths.
pub const PAGE_WIDTH: f32 = 760.0;

/// The tint behind a callout or chip of `colour`, as painted over `base`.
pub fn tint(colour: Color32, strength: f32, base: Color32) -> Color32 {
    let mix =
        |c: u8, b: u8| (f32::from(b) + (f32::from(c) - f32::from(b)) * strength).round() as u8;
    Color32::from_rgb(
        mix(colour.r(), base.r()),
        mix(colour.g(), base.g()),
        mix(colour.b(), base.b()),
    )
}

/// Both themes, roomier spacing, accent-coloured selection. Which theme
/// shows is the user's choice (by default the system's, light when the
/// system does not say).
pub fn install_style(ctx: &egui::Context) {
    // Where the system does not say (no desktop portal), Offboard's own
    // first look: light.
    ctx.options_mut(|o| o.fallback_theme = egui::Theme::Light);
    for theme in [egui::Theme::Light, egui::Theme::Dark] {
        let p = palette_of(theme == egui::Theme::Dark);
        ctx.style_mut_of(theme, |style| {
            style.spacing.item_spacing = egui::vec2(8.0, 8.0);
            style.spacing.button_padding = egui::vec2(12.0, 5.0);
            style.spacing.interact_size.y = 26.0;
            style.visuals.selection.bg_fill = p.accent_tint;
            // Text on a selection, and the outline of a focused field.
            style.visuals.selection.stroke = Stroke::new(1.0, p.accent);
            style.visuals.hyperlink_color = p.accent;
            style.visuals.panel_fill = p.page_fill;
            style.visuals.window_fill = p.card_fill;
            style.visuals.widgets.noninteractive.fg_stroke.color = p.text;
            style.visuals.weak_text_color = Some(p.muted);
            style.visuals.warn_fg_color = p.warning;
            style.visuals.error_fg_color = p.danger;
            style.visuals.widgets.noninteractive.bg_stroke = Stroke::new(1.0, p.border);
            // Text fields must read as fields on the cards.
            style.visuals.extreme_bg_color = p.field_fill;
            style.visuals.widgets.inactive.bg_stroke = Stroke::new(1.0, p.border);
            style
                .text_styles
                .insert(egui::TextStyle::Heading, egui::FontId::proportional(24.0));
            style
                .text_styles
                .insert(egui::TextStyle::Body, egui::FontId::proportional(14.5));
            style
                .text_styles
                .insert(egui::TextStyle::Button, egui::FontId::proportional(14.5));
        });
    }
}

/// The heading every page opens with.
pub fn page_header(ui: &mut Ui, title: &str, subtitle: &str) {
    ui.add_space(4.0);
    ui.heading(RichText::new(title).strong());
    if !subtitle.is_empty() {
        ui.label(RichText::new(subtitle).color(muted(ui)));
    }
    ui.add_space(8.0);
}

/// A white rounded card that groups related content.
pub fn card<R>(ui: &mut Ui, add_contents: impl FnOnce(&mut Ui) -> R) -> R {
    let p = palette(ui);
    Frame::new()
        .fill(p.card_fill)
        .stroke(Stroke::new(1.0, p.border))
        .corner_radius(CornerRadius::same(8))
        .inner_margin(Margin::same(14))
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            add_contents(ui)
        })
        .inner
}

/// A card with a coloured bar on its left, for warnings and results.
pub fn callout<R>(ui: &mut Ui, colour: Color32, add_contents: impl FnOnce(&mut Ui) -> R) -> R {
    Frame::new()
        .fill(colour.gamma_multiply(CALLOUT_TINT))
        .stroke(Stroke::new(1.0, colour.gamma_multiply(0.6)))
        .corner_radius(CornerRadius::same(8))
        .inner_margin(Margin::same(12))
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            add_contents(ui)
        })
        .inner
}

/// A live region: a screen reader reads out what appears or changes in it
/// without the user moving there. `urgent` interrupts (an alert: a failure);
/// otherwise it waits for a pause (a status: a job finished).
pub fn live<R>(ui: &mut Ui, urgent: bool, add_contents: impl FnOnce(&mut Ui) -> R) -> R {
    use egui::accesskit::{Live, Role};
    let (role, live) = if urgent {
        (Role::Alert, Live::Assertive)
    } else {
        (Role::Status, Live::Polite)
    };
    ui.scope_builder(egui::UiBuilder::new().accessibility_role(role), |ui| {
        ui.ctx()
            .accesskit_node_builder(ui.unique_id(), |node| node.set_live(live));
        add_contents(ui)
    })
    .inner
}

/// How strongly a callout's and a chip's colour tints what is behind it.
pub const CALLOUT_TINT: f32 = 0.07;
pub const CHIP_TINT: f32 = 0.12;

/// A small coloured label such as "Blocker".
pub fn chip(ui: &mut Ui, text: &str, colour: Color32) {
    Frame::new()
        .fill(colour.gamma_multiply(CHIP_TINT))
        .corner_radius(CornerRadius::same(10))
        .inner_margin(Margin::symmetric(8, 2))
        .show(ui, |ui| {
            ui.label(RichText::new(text).color(colour).small().strong());
        });
}

pub fn severity_colour(ui: &Ui, severity: Severity) -> Color32 {
    match severity {
        Severity::Blocker => danger(ui),
        Severity::Advisory => warning(ui),
    }
}

/// The title line of a card.
pub fn card_title(ui: &mut Ui, text: &str) -> egui::Response {
    ui.label(RichText::new(text).strong().size(16.0))
}

/// A label/value line in a summary.
pub fn fact_row(ui: &mut Ui, label: &str, value: impl Into<egui::WidgetText>) {
    ui.horizontal(|ui| {
        ui.allocate_ui_with_layout(
            egui::vec2(170.0, 18.0),
            egui::Layout::left_to_right(egui::Align::Min),
            |ui| {
                ui.set_min_width(170.0);
                ui.label(RichText::new(label).color(muted(ui)));
            },
        );
        ui.add(egui::Label::new(value).wrap());
    });
}

/// Lists at most this long are laid out whole, so that every row is in the
/// accessibility tree without scrolling; longer ones only near the view.
pub const LAID_OUT_WHOLE_UP_TO: usize = 50;

/// The heights a long list's rows had when last laid out, at one width.
#[derive(Clone, Default)]
struct RowHeights {
    width: f32,
    heights: Vec<Option<f32>>,
    measured_sum: f32,
    measured: usize,
}

/// A list that grows with the account (blockers, clients): `row` lays out
/// row `index`. Long lists lay out only the rows within a screen of the
/// enclosing scroll area's view, so a frame costs the same for 10 or 10,000
/// rows; the rest stand in as space of their last measured height (or the
/// average so far, `estimate` before any). The screen of rows kept either
/// side lets Tab reach the next row before it scrolls into view.
pub fn long_list(
    ui: &mut Ui,
    id_salt: &str,
    count: usize,
    estimate: f32,
    mut row: impl FnMut(&mut Ui, usize),
) {
    if count <= LAID_OUT_WHOLE_UP_TO {
        for index in 0..count {
            ui.push_id(index, |ui| row(ui, index));
        }
        return;
    }
    let id = ui.scope_id().with(id_salt);
    let width = ui.available_width();
    let mut rows = ui
        .ctx()
        .data_mut(|d| d.remove_temp::<RowHeights>(id))
        .unwrap_or_default();
    if rows.heights.len() != count || (rows.width - width).abs() > 0.5 {
        rows = RowHeights {
            width,
            heights: vec![None; count],
            ..RowHeights::default()
        };
    }
    let gap = ui.spacing().item_spacing.y;
    let guess = if rows.measured == 0 {
        estimate
    } else {
        rows.measured_sum / rows.measured as f32
    };
    let stride = |height: Option<f32>| height.unwrap_or(guess) + gap;
    let view = ui.clip_rect();
    let top = ui.cursor().top();
    let (from, to) = (
        view.top() - view.height() - top,
        view.bottom() + view.height() - top,
    );

    let mut index = 0;
    let mut y = 0.0;
    while index < count {
        let next = y + stride(rows.heights[index]);
        if next > from {
            break;
        }
        y = next;
        index += 1;
    }
    ui.add_space(y);
    while index < count && y < to {
        let height = ui
            .push_id(index, |ui| row(ui, index))
            .response
            .rect
            .height();
        match rows.heights[index].replace(height) {
            Some(old) => rows.measured_sum += height - old,
            None => {
                rows.measured_sum += height;
                rows.measured += 1;
            }
        }
        y += height + gap;
        index += 1;
    }
    let rest: f32 = rows.heights[index..].iter().map(|h| stride(*h)).sum();
    ui.add_space(rest);
    ui.ctx().data_mut(|d| d.insert_temp(id, rows));
}

/// One review item: severity chip, title, why and how. Returns whether the
/// resolve button was pressed.
pub fn review_item(ui: &mut Ui, item: &ReviewItem, can_act: bool, resolving: bool) -> bool {
    let mut pressed = false;
    card(ui, |ui| {
        ui.horizontal(|ui| {
            chip(
                ui,
                item.severity.label(),
                severity_colour(ui, item.severity),
            );
            ui.label(RichText::new(&item.title).strong());
        });
        ui.label(&item.why);
        ui.horizontal_wrapped(|ui| {
            ui.label(RichText::new("How to resolve:").color(muted(ui)));
            ui.label(&item.how_to_resolve);
        });
        if let (true, Some(resolution)) = (can_act, &item.resolution) {
            ui.horizontal(|ui| {
                if resolving {
                    ui.add(egui::Spinner::new());
                    ui.label(RichText::new("Working…").color(muted(ui)));
                } else {
                    // The button shows the verb; a screen reader hears what it acts on.
                    let name = format!("{}: {}", resolution.action_label(), item.subject());
                    pressed = ui
                        .button(resolution.action_label())
                        .accessible_name(name)
                        .clicked();
                }
            });
        }
    });
    pressed
}

/// The step list beside every page: done steps get a tick and can be
/// revisited; the current one is highlighted.
pub fn step_list(ui: &mut Ui, wizard: &Wizard) -> Option<Step> {
    let mut chosen = None;
    let p = palette(ui);
    ui.add_space(8.0);
    for step in Step::ALL {
        let current = wizard.step() == step;
        let done = step < wizard.progress.furthest || wizard.is_closed();
        let visitable = wizard.can_visit(step) && !current;
        let marker = if done && !current { "✔" } else { "" };
        let number = format!("{}", step.index() + 1);
        let text_colour = if current {
            p.accent
        } else if visitable || done {
            p.text
        } else {
            p.step_locked
        };
        let label = RichText::new(format!(
            "{}  {}",
            if marker.is_empty() { &number } else { marker },
            step.title()
        ))
        .color(text_colour);
        let label = if current { label.strong() } else { label };
        let fill = if current {
            p.accent.gamma_multiply(CHIP_TINT)
        } else {
            Color32::TRANSPARENT
        };
        let button = egui::Button::new(label)
            .fill(fill)
            .stroke(Stroke::NONE)
            .min_size(egui::vec2(ui.available_width(), 30.0));
        // Heard as "Step 2: Connect (done)", not "heavy check mark Connect".
        let state = if current {
            " (current)"
        } else if done {
            " (done)"
        } else {
            ""
        };
        let name = format!("Step {number}: {}{state}", step.title());
        let response = ui
            .add_enabled(visitable || current, button)
            .accessible_name(name);
        let response = if current {
            response.on_hover_text("You are here")
        } else {
            response.on_disabled_hover_text("Finish the steps before this one first")
        };
        if response.clicked() && visitable {
            chosen = Some(step);
        }
    }
    chosen
}

#[cfg(test)]
mod tests {
    use super::*;

    /// WCAG 2 relative luminance of an sRGB colour.
    fn luminance(c: Color32) -> f64 {
        let channel = |v: u8| {
            let v = f64::from(v) / 255.0;
            if v <= 0.040_45 {
                v / 12.92
            } else {
                ((v + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * channel(c.r()) + 0.7152 * channel(c.g()) + 0.0722 * channel(c.b())
    }

    fn contrast(a: Color32, b: Color32) -> f64 {
        let (la, lb) = (luminance(a), luminance(b));
        (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
    }

    #[test]
    fn contrast_matches_the_wcag_examples() {
        assert!((contrast(Color32::BLACK, Color32::WHITE) - 21.0).abs() < 1e-9);
        assert!((contrast(Color32::from_gray(0x76), Color32::WHITE) - 4.54).abs() < 0.01);
    }

    /// Every text colour the app draws, on every background it is drawn
    /// on, in both themes, as installed: WCAG AA for body text (4.5:1).
    /// Locked steps are disabled controls, which WCAG exempts; they still
    /// get 3:1 so they can be read.
    #[test]
    fn both_themes_meet_wcag_aa_for_text() {
        let ctx = egui::Context::default();
        install_style(&ctx);
        let mut failures = Vec::new();
        for theme in [egui::Theme::Light, egui::Theme::Dark] {
            let style = ctx.style_of(theme);
            let v = &style.visuals;
            let p = palette_of(theme == egui::Theme::Dark);
            assert_eq!(v.dark_mode, theme == egui::Theme::Dark);
            let surfaces = [
                ("page", v.panel_fill),
                ("card", p.card_fill),
                ("header", p.header_fill),
                ("step list", p.steps_fill),
                ("window", v.window_fill),
            ];
            let mut pairs: Vec<(String, Color32, Color32, f64)> = Vec::new();
            for (surface, bg) in surfaces {
                for (what, fg) in [
                    ("text", v.text_color()),
                    ("weak text", v.weak_text_color()),
                    ("link", v.hyperlink_color),
                    ("accent", p.accent),
                    ("danger", p.danger),
                    ("warning", p.warning),
                    ("success", p.success),
                    ("egui warning", v.warn_fg_color),
                    ("egui error", v.error_fg_color),
                ] {
                    pairs.push((format!("{what} on {surface}"), fg, bg, 4.5));
                }
            }
            // Callouts and chips: their own colour and muted text on their tint.
            for (name, colour) in [
                ("danger", p.danger),
                ("warning", p.warning),
                ("success", p.success),
                ("accent", p.accent),
                ("muted", p.muted),
            ] {
                for (surface, bg) in [("page", p.page_fill), ("card", p.card_fill)] {
                    let callout = tint(colour, CALLOUT_TINT, bg);
                    pairs.push((
                        format!("{name} in a callout on {surface}"),
                        colour,
                        callout,
                        4.5,
                    ));
                    pairs.push((format!("text in a {name} callout"), p.text, callout, 4.5));
                    pairs.push((format!("muted in a {name} callout"), p.muted, callout, 4.5));
                    let chip = tint(colour, CHIP_TINT, bg);
                    pairs.push((format!("{name} chip on {surface}"), colour, chip, 4.5));
                }
            }
            pairs.extend([
                (
                    "text in a field".into(),
                    v.text_color(),
                    v.extreme_bg_color,
                    4.5,
                ),
                ("primary button".into(), p.on_fill, p.accent_fill, 4.5),
                ("close button".into(), p.on_fill, p.danger_fill, 4.5),
                (
                    "button text".into(),
                    v.widgets.inactive.text_color(),
                    v.widgets.inactive.weak_bg_fill,
                    4.5,
                ),
                (
                    "hovered button text".into(),
                    v.widgets.hovered.text_color(),
                    v.widgets.hovered.weak_bg_fill,
                    4.5,
                ),
                (
                    "selected text".into(),
                    v.text_color(),
                    v.selection.bg_fill,
                    4.5,
                ),
                (
                    "current step".into(),
                    p.accent,
                    tint(p.accent, CHIP_TINT, p.steps_fill),
                    4.5,
                ),
                ("locked step".into(), p.step_locked, p.steps_fill, 3.0),
            ]);
            for (what, fg, bg, needed) in pairs {
                let ratio = contrast(fg, bg);
                if ratio < needed {
                    failures.push(format!(
                        "{theme:?}: {what}: {ratio:.2}:1 (needs {needed}:1), {fg:?} on {bg:?}"
                    ));
                }
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }
}
