//! The `eframe::App`: drains worker events into the wizard, lays out the
//! frame (header, step list, page, Back/Next), and hands the effects of
//! each action to `jobs`.

use super::dialogs::Dialogs;
use super::file_choice::{DefaultFolders, FileChoices};
use super::pages;
use super::widgets::{self, PAGE_WIDTH};
use crate::jobs::Jobs;
use crate::model::wizard::{Action, Effect, Notice, NoticeKind, Step, ThemeChoice, Wizard};
use crate::store::Loaded;
use egui::{Margin, RichText, Ui};

/// The navigation row's inner margin, left and right and top and bottom.
const NAV_MARGIN: (i8, i8) = (16, 10);

/// Below this width in points (a small screen, or zoomed in) the step list
/// gives its room to the page and the header drops its tagline.
const COMPACT_BELOW: f32 = 700.0;

/// What a page may do besides sending actions.
pub struct PageContext<'a> {
    pub actions: Vec<Action>,
    /// File and folder choices: the system's dialogs or Offboard's browser.
    pub files: &'a mut FileChoices,
    /// Whether the platform carries out resolutions itself (the demo does).
    pub can_act: bool,
    /// The user's offset from UTC, for their own days on timelines.
    pub utc_offset: chrono::FixedOffset,
}

impl PageContext<'_> {
    pub fn act(&mut self, action: Action) {
        self.actions.push(action);
    }
}

pub struct OffboardApp {
    wizard: Wizard,
    jobs: Jobs,
    files: FileChoices,
    confirm_start_over: bool,
    /// The theme last handed to egui; `None` before the first frame.
    applied_theme: Option<ThemeChoice>,
    /// Style and waker are set up on the first frame, when the context is known.
    started: bool,
    /// Read once at start-up: the system's time zone as an offset.
    utc_offset: chrono::FixedOffset,
    keyboard: super::keyboard::KeyboardFocus,
    startup_probe: super::startup_probe::StartupProbe,
}

impl OffboardApp {
    /// Resume from what the store found and start loading the current step.
    pub fn new(
        loaded: Loaded,
        jobs: Jobs,
        dialogs: Box<dyn Dialogs>,
        folders: DefaultFolders,
    ) -> Self {
        let now = jobs.now();
        let saved = loaded.state();
        let mut notice = match loaded {
            Loaded::Fresh | Loaded::Resumed(_) => None,
            Loaded::Damaged {
                problem,
                moved_to,
                salvaged,
            } => Some(Notice {
                kind: NoticeKind::Warning,
                text: damaged_text(&problem, moved_to.as_deref(), salvaged.is_some()),
            }),
        };
        if let Some(why) = jobs.store_warning() {
            let text = format!("Changes in this window are not saved: {why}.");
            notice = Some(Notice {
                kind: NoticeKind::Warning,
                text: match notice {
                    Some(first) => format!("{} {text}", first.text),
                    None => text,
                },
            });
        }
        let (mut wizard, effects) =
            Wizard::resume(saved, now, crate::platform::registry::profiles());
        if notice.is_some() {
            wizard.notice = notice;
        }
        let mut app = OffboardApp {
            wizard,
            jobs,
            files: FileChoices::new(dialogs, folders),
            confirm_start_over: false,
            applied_theme: None,
            started: false,
            utc_offset: {
                use chrono::Offset;
                chrono::Local::now().offset().fix()
            },
            keyboard: Default::default(),
            startup_probe: super::startup_probe::StartupProbe::from_env(),
        };
        app.run_effects(effects);
        app
    }

    pub fn wizard(&self) -> &Wizard {
        &self.wizard
    }

    /// Whether background work is still under way (tests wait on it).
    pub fn busy(&self) -> bool {
        self.jobs.busy() || self.files.busy()
    }

    /// Hands the user's theme choice to egui when it changed. "As the
    /// system" at start-up is egui's own default, so it is left alone (tests
    /// pick their theme that way too).
    fn apply_theme(&mut self, ctx: &egui::Context) {
        let wanted = self.wizard.prefs.theme;
        if self.applied_theme == Some(wanted) {
            return;
        }
        if self.applied_theme.is_some() || wanted != ThemeChoice::System {
            ctx.set_theme(match wanted {
                ThemeChoice::System => egui::ThemePreference::System,
                ThemeChoice::Light => egui::ThemePreference::Light,
                ThemeChoice::Dark => egui::ThemePreference::Dark,
            });
            ctx.request_repaint();
        }
        self.applied_theme = Some(wanted);
    }

    fn run_effects(&mut self, effects: Vec<Effect>) {
        for effect in effects {
            self.jobs.run(effect);
        }
    }

    fn apply(&mut self, action: Action) {
        let now = self.jobs.now();
        let effects = self.wizard.apply(action, now);
        self.run_effects(effects);
    }

    /// Take in what the workers reported since the last frame.
    pub fn pump(&mut self) {
        let now = self.jobs.now();
        for event in self.jobs.drain() {
            let effects = self.wizard.handle(event, now);
            self.run_effects(effects);
        }
        let effects = self.wizard.tick(now);
        self.run_effects(effects);
    }

    /// The whole window.
    pub fn show(&mut self, ui: &mut Ui) {
        if !self.started {
            self.started = true;
            widgets::install_style(ui.ctx());
            let waker_ctx = ui.ctx().clone();
            let waker: crate::jobs::Waker =
                std::sync::Arc::new(move || waker_ctx.request_repaint());
            self.jobs.set_waker(waker.clone());
            self.files.set_waker(waker);
        }
        self.apply_theme(ui.ctx());
        self.pump();
        for action in self.files.poll() {
            self.apply(action);
        }
        let mut cx = PageContext {
            actions: Vec::new(),
            files: &mut self.files,
            can_act: self.wizard.profile().acts_itself,
            utc_offset: self.utc_offset,
        };

        let keyboard = self.keyboard.begin_frame(ui.ctx());
        // Enter with nothing focused presses the default button, as in a
        // desktop dialog; never on Confirm, where Next closes the account.
        if keyboard.enter_unfocused
            && !matches!(self.wizard.step(), Step::Confirm | Step::Done)
            && self.wizard.next_blocked_reason().is_none()
            && !self.confirm_start_over
        {
            cx.act(Action::Next);
        }

        let compact = ui.available_width() < COMPACT_BELOW;
        let colours = widgets::palette(ui);
        egui::Panel::top("header")
            .frame(
                egui::Frame::new()
                    .fill(colours.header_fill)
                    .inner_margin(Margin::symmetric(16, 10)),
            )
            .show(ui, |ui| {
                header(
                    ui,
                    &self.wizard,
                    &mut cx,
                    &mut self.confirm_start_over,
                    compact,
                )
            });

        // The navigation row and the step list are laid out after the page,
        // into space kept for them here, so that Tab reaches the page's
        // controls first, then Back and Next, then the steps.
        let nav_id = egui::Id::unique("navigation-height");
        let nav_height = ui
            .ctx()
            .data(|d| d.get_temp::<f32>(nav_id))
            .unwrap_or(ui.spacing().interact_size.y);
        let nav_rect = egui::Panel::bottom("navigation")
            // The size includes the margins and the separator line above.
            .exact_size(
                nav_height
                    + 2.0 * f32::from(NAV_MARGIN.1)
                    + ui.visuals().widgets.noninteractive.bg_stroke.width,
            )
            .frame(
                egui::Frame::new()
                    .fill(colours.header_fill)
                    .inner_margin(Margin::symmetric(NAV_MARGIN.0, NAV_MARGIN.1)),
            )
            .show(ui, |ui| ui.max_rect())
            .inner;

        let steps_rect = (!compact).then(|| {
            egui::Panel::left("steps")
                .resizable(false)
                .exact_size(210.0)
                .frame(
                    egui::Frame::new()
                        .fill(colours.steps_fill)
                        .inner_margin(Margin::same(10)),
                )
                .show(ui, |ui| ui.max_rect())
                .inner
        });

        let reveal = self.keyboard.reveal.take();
        egui::CentralPanel::default_margins().show(ui, |ui| {
            egui::ScrollArea::vertical()
                .auto_shrink([false, false])
                .show(ui, |ui| {
                    ui.vertical_centered(|ui| {
                        // Narrower than the window, never wider: wider is
                        // cut off on both sides, as the column is centred.
                        ui.set_max_width(PAGE_WIDTH.min(ui.available_width()));
                        ui.with_layout(egui::Layout::top_down(egui::Align::Min), |ui| {
                            notice(ui, &self.wizard, &mut cx);
                            page(ui, &self.wizard, &mut cx);
                        });
                    });
                    // After the page, so that a scroll area inside it (the
                    // folder browser) does not take the request.
                    if let Some(rect) = reveal {
                        ui.scroll_to_rect(rect, None);
                    }
                });
        });

        let mut nav_ui = ui.new_child(
            egui::UiBuilder::new()
                .id_salt("navigation")
                .max_rect(nav_rect)
                .layout(egui::Layout::top_down(egui::Align::Min)),
        );
        navigation(&mut nav_ui, &self.wizard, &mut cx, compact);
        let used = nav_ui.min_rect().height().max(ui.spacing().interact_size.y);
        if (used - nav_height).abs() > 0.5 {
            ui.ctx().data_mut(|d| d.insert_temp(nav_id, used));
            // Not a discarded pass: that would run this frame's clicks twice.
            ui.ctx().request_repaint();
        }

        if let Some(steps_rect) = steps_rect {
            let mut steps_ui = ui.new_child(
                egui::UiBuilder::new()
                    .id_salt("steps")
                    .max_rect(steps_rect)
                    .layout(egui::Layout::top_down(egui::Align::Min)),
            );
            // A short window scrolls the steps rather than draw them over
            // the navigation row.
            egui::ScrollArea::vertical()
                .id_salt("steps-scroll")
                .show(&mut steps_ui, |ui| {
                    ui.label(RichText::new("Your progress").color(widgets::muted(ui)));
                    if let Some(step) = widgets::step_list(ui, &self.wizard) {
                        cx.act(Action::GoTo(step));
                    }
                });
        }

        self.keyboard.end_frame(ui.ctx(), widgets::accent(ui));

        for action in std::mem::take(&mut cx.actions) {
            self.apply(action);
        }
        // Idle means no frames: workers and dialogs wake the window when they
        // answer, so only the next timed change (a re-check) needs a timer.
        let now = self.jobs.now();
        if let Some(due) = self.wizard.next_timed_change(now) {
            let delay = (due - now).to_std().unwrap_or_default();
            ui.ctx().request_repaint_after(delay);
        }
    }
}

impl eframe::App for OffboardApp {
    fn ui(&mut self, ui: &mut Ui, _frame: &mut eframe::Frame) {
        self.startup_probe.frame(ui.ctx());
        self.show(ui);
    }
}

fn page(ui: &mut Ui, wizard: &Wizard, cx: &mut PageContext<'_>) {
    match wizard.step() {
        Step::Welcome => pages::welcome::ui(ui, wizard, cx),
        Step::Connect => pages::connect::ui(ui, wizard, cx),
        Step::Reason => pages::reason::ui(ui, wizard, cx),
        Step::Feedback => pages::feedback::ui(ui, wizard, cx),
        Step::Review => pages::review::ui(ui, wizard, cx),
        Step::Export => pages::export::ui(ui, wizard, cx),
        Step::Checklist => pages::checklist::ui(ui, wizard, cx),
        Step::Confirm => pages::confirm::ui(ui, wizard, cx),
        Step::Done => pages::done::ui(ui, wizard, cx),
    }
}

fn header(
    ui: &mut Ui,
    wizard: &Wizard,
    cx: &mut PageContext<'_>,
    confirm_start_over: &mut bool,
    compact: bool,
) {
    ui.horizontal(|ui| {
        ui.label(
            RichText::new("Offboard")
                .strong()
                .size(20.0)
                .color(widgets::accent(ui)),
        );
        if !compact {
            ui.label(
                RichText::new("leave a freelance platform without losing anything")
                    .color(widgets::muted(ui)),
            );
        }
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            ui.menu_button("More", |ui| {
                if ui.button("Start over").clicked() {
                    *confirm_start_over = true;
                    ui.close();
                }
                // Only the demo can be put back as it started.
                if wizard.profile().acts_itself
                    && ui
                        .button("Reset demo")
                        .on_hover_text("Restore the demo accounts to how they started")
                        .clicked()
                {
                    cx.act(Action::ResetDemo);
                    ui.close();
                }
                ui.separator();
                ui.label(RichText::new("Theme").color(widgets::muted(ui)));
                for choice in ThemeChoice::ALL {
                    let selected = wizard.prefs.theme == choice;
                    if ui.radio(selected, choice.label()).clicked() && !selected {
                        cx.act(Action::SetTheme(choice));
                    }
                }
            });
            if let Some(account) = wizard.account() {
                widgets::chip(
                    ui,
                    &format!("{} · {}", wizard.profile().name, account.username),
                    widgets::accent(ui),
                );
            }
        });
    });
    if *confirm_start_over {
        widgets::callout(ui, widgets::warning(ui), |ui| {
            ui.label(
                "Start over? Your answers, ticks and drafts are cleared. Exports already \
                 written stay on disk, and demo accounts keep their changes.",
            );
            ui.horizontal(|ui| {
                if ui.button("Yes, start over").clicked() {
                    cx.act(Action::StartOver);
                    *confirm_start_over = false;
                }
                if ui.button("Keep my progress").clicked() {
                    *confirm_start_over = false;
                }
            });
        });
    }
}

fn notice(ui: &mut Ui, wizard: &Wizard, cx: &mut PageContext<'_>) {
    let Some(notice) = &wizard.notice else {
        return;
    };
    let colour = match notice.kind {
        NoticeKind::Info => widgets::success(ui),
        NoticeKind::Warning => widgets::warning(ui),
        NoticeKind::Error => widgets::danger(ui),
    };
    let urgent = notice.kind != NoticeKind::Info;
    widgets::live(ui, urgent, |ui| {
        widgets::callout(ui, colour, |ui| {
            ui.horizontal_wrapped(|ui| {
                ui.label(RichText::new(&notice.text).color(colour));
            });
            if ui.button("Dismiss").clicked() {
                cx.act(Action::DismissNotice);
            }
        })
    });
    ui.add_space(6.0);
}

fn navigation(ui: &mut Ui, wizard: &Wizard, cx: &mut PageContext<'_>, compact: bool) {
    ui.horizontal(|ui| {
        // Without the step list, where the user is in the wizard.
        if compact {
            ui.label(
                RichText::new(format!(
                    "Step {} of {}",
                    wizard.step().index() + 1,
                    Step::ALL.len()
                ))
                .color(widgets::muted(ui)),
            );
        }
        if wizard.step() != Step::Welcome && wizard.step() != Step::Done {
            if ui
                .add_enabled(wizard.can_go_back(), egui::Button::new("Back"))
                .clicked()
            {
                cx.act(Action::Back);
            }
            if !wizard.can_go_back() {
                let why = if wizard.closing {
                    "The account is being closed."
                } else {
                    "Cancel the export or let it finish first."
                };
                ui.label(RichText::new(why).color(widgets::muted(ui)));
            }
        }
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            if wizard.step() == Step::Done {
                ui.label(
                    RichText::new("Offboard keeps this receipt; you can close the window.")
                        .color(widgets::muted(ui)),
                );
                return;
            }
            let blocked = wizard.next_blocked_reason();
            let label = match wizard.step() {
                Step::Welcome => "Start",
                Step::Confirm => "Close account",
                _ => "Next",
            };
            let colours = widgets::palette(ui);
            let fill = if wizard.step() == Step::Confirm {
                colours.danger_fill
            } else {
                colours.accent_fill
            };
            let button =
                egui::Button::new(RichText::new(label).color(colours.on_fill).strong()).fill(fill);
            let response = ui.add_enabled(blocked.is_none(), button);
            if response.clicked() {
                cx.act(Action::Next);
            }
            if let Some(reason) = blocked {
                ui.add(egui::Label::new(RichText::new(reason).color(widgets::muted(ui))).wrap());
            }
        });
    });
}

/// What the user is told when the saved progress did not read whole.
fn damaged_text(problem: &str, moved_to: Option<&std::path::Path>, salvaged: bool) -> String {
    let kept = if salvaged {
        "What could be read of it was kept"
    } else {
        "You are starting over"
    };
    match moved_to {
        Some(path) => format!(
            "Your saved progress could not be read whole: {problem}. {kept}; the file itself is \
             kept unchanged as {}.",
            path.display()
        ),
        None => format!(
            "Your saved progress could not be read: {problem}. {kept}; the file was left where \
             it was and is not overwritten."
        ),
    }
}
