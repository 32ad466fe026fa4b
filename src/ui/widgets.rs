//! Offboard's design system: colours, cards, chips and the step list, so
//! every page looks and reads the same.

use crate::model::review::{ReviewItem, Severity};
use crate::model::wizard::{Step, Wizard};
use egui::{Color32, CornerRadius, Frame, Margin, RichText, Stroke, Ui};

pub const ACCENT: Color32 = Color32::from_rgb(0x0f, 0x76, 0x6e);
pub const DANGER: Color32 = Color32::from_rgb(0xb9, 0x1c, 0x1c);
pub const WARNING: Color32 = Color32::from_rgb(0xa1, 0x52, 0x07);
pub const SUCCESS: Color32 = Color32::from_rgb(0x15, 0x80, 0x3d);
pub const MUTED: Color32 = Color32::from_rgb(0x57, 0x5f, 0x6b);
pub const CARD_FILL: Color32 = Color32::from_rgb(0xff, 0xff, 0xff);
pub const PAGE_FILL: Color32 = Color32::from_rgb(0xf4, 0xf5, 0xf7);
pub const BORDER: Color32 = Color32::from_rgb(0xdd, 0xe1, 0xe6);

/// The widest a page's text column gets, for readable line lengths.
pub const PAGE_WIDTH: f32 = 760.0;

/// A light tint of the accent: behind selected items and selected text,
/// where the accent itself would hide dark text.
pub const ACCENT_TINT: Color32 = Color32::from_rgb(0xcc, 0xe8, 0xe4);

/// Light theme, roomier spacing, accent-coloured selection.
pub fn install_style(ctx: &egui::Context) {
    ctx.set_theme(egui::Theme::Light);
    ctx.all_styles_mut(|style| {
        style.spacing.item_spacing = egui::vec2(8.0, 8.0);
        style.spacing.button_padding = egui::vec2(12.0, 5.0);
        style.spacing.interact_size.y = 26.0;
        style.visuals.selection.bg_fill = ACCENT_TINT;
        // Text on a selection, and the outline of a focused field.
        style.visuals.selection.stroke = Stroke::new(1.0, ACCENT);
        style.visuals.hyperlink_color = ACCENT;
        style.visuals.panel_fill = PAGE_FILL;
        style.visuals.widgets.noninteractive.bg_stroke = Stroke::new(1.0, BORDER);
        // Text fields must read as fields on white cards.
        style.visuals.extreme_bg_color = Color32::from_rgb(0xfb, 0xfc, 0xfd);
        style.visuals.widgets.inactive.bg_stroke = Stroke::new(1.0, BORDER);
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

/// The heading every page opens with.
pub fn page_header(ui: &mut Ui, title: &str, subtitle: &str) {
    ui.add_space(4.0);
    ui.heading(RichText::new(title).strong());
    if !subtitle.is_empty() {
        ui.label(RichText::new(subtitle).color(MUTED));
    }
    ui.add_space(8.0);
}

/// A white rounded card that groups related content.
pub fn card<R>(ui: &mut Ui, add_contents: impl FnOnce(&mut Ui) -> R) -> R {
    Frame::new()
        .fill(CARD_FILL)
        .stroke(Stroke::new(1.0, BORDER))
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
        .fill(colour.gamma_multiply(0.07))
        .stroke(Stroke::new(1.0, colour.gamma_multiply(0.6)))
        .corner_radius(CornerRadius::same(8))
        .inner_margin(Margin::same(12))
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            add_contents(ui)
        })
        .inner
}

/// A small coloured label such as "Blocker".
pub fn chip(ui: &mut Ui, text: &str, colour: Color32) {
    Frame::new()
        .fill(colour.gamma_multiply(0.12))
        .corner_radius(CornerRadius::same(10))
        .inner_margin(Margin::symmetric(8, 2))
        .show(ui, |ui| {
            ui.label(RichText::new(text).color(colour).small().strong());
        });
}

pub fn severity_colour(severity: Severity) -> Color32 {
    match severity {
        Severity::Blocker => DANGER,
        Severity::Advisory => WARNING,
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
                ui.label(RichText::new(label).color(MUTED));
            },
        );
        ui.add(egui::Label::new(value).wrap());
    });
}

/// One review item: severity chip, title, why and how. Returns whether the
/// resolve button was pressed.
pub fn review_item(ui: &mut Ui, item: &ReviewItem, can_act: bool, resolving: bool) -> bool {
    let mut pressed = false;
    card(ui, |ui| {
        ui.horizontal(|ui| {
            chip(ui, item.severity.label(), severity_colour(item.severity));
            ui.label(RichText::new(&item.title).strong());
        });
        ui.label(&item.why);
        ui.horizontal_wrapped(|ui| {
            ui.label(RichText::new("How to resolve:").color(MUTED));
            ui.label(&item.how_to_resolve);
        });
        if let (true, Some(resolution)) = (can_act, &item.resolution) {
            ui.horizontal(|ui| {
                if resolving {
                    ui.add(egui::Spinner::new());
                    ui.label(RichText::new("Working…").color(MUTED));
                } else {
                    pressed = ui.button(resolution.action_label()).clicked();
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
    ui.add_space(8.0);
    for step in Step::ALL {
        let current = wizard.step() == step;
        let done = step < wizard.progress.furthest || wizard.is_closed();
        let visitable = wizard.can_visit(step) && !current;
        let marker = if done && !current { "✔" } else { "" };
        let number = format!("{}", step.index() + 1);
        let text_colour = if current {
            ACCENT
        } else if visitable || done {
            Color32::from_gray(40)
        } else {
            Color32::from_gray(150)
        };
        let label = RichText::new(format!(
            "{}  {}",
            if marker.is_empty() { &number } else { marker },
            step.title()
        ))
        .color(text_colour);
        let label = if current { label.strong() } else { label };
        let fill = if current {
            ACCENT.gamma_multiply(0.12)
        } else {
            Color32::TRANSPARENT
        };
        let button = egui::Button::new(label)
            .fill(fill)
            .stroke(Stroke::NONE)
            .min_size(egui::vec2(ui.available_width(), 30.0));
        let response = ui.add_enabled(visitable || current, button);
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
