//! Keyboard use of the whole window: a focus ring that shows where Tab and
//! the arrow keys went, the focused control scrolled into view, and Enter
//! as the default button.

use egui::{Context, CornerRadius, Event, Id, Key, Rect, Stroke, StrokeKind};

/// What the keyboard did between frames, kept by the app.
#[derive(Default)]
pub struct KeyboardFocus {
    /// Focus was last moved with the keyboard (not the pointer): only then
    /// is the ring drawn, as browsers do with `:focus-visible`.
    visible: bool,
    last_focused: Option<Id>,
    /// Where the page should scroll next frame, so that a control reached
    /// with Tab is not left below the fold.
    pub reveal: Option<Rect>,
}

/// What this frame's input means for the app.
pub struct KeyboardFrame {
    /// Enter was pressed while no control had focus and no menu was open.
    pub enter_unfocused: bool,
}

impl KeyboardFocus {
    pub fn begin_frame(&mut self, ctx: &Context) -> KeyboardFrame {
        let (moved_by_keys, pointer, enter) = ctx.input(|i| {
            let moved = i.events.iter().any(|event| {
                matches!(
                    event,
                    Event::Key {
                        key: Key::Tab
                            | Key::ArrowUp
                            | Key::ArrowDown
                            | Key::ArrowLeft
                            | Key::ArrowRight,
                        pressed: true,
                        ..
                    }
                )
            });
            let enter = i.key_pressed(Key::Enter) && i.modifiers.is_none();
            (moved, i.pointer.any_pressed(), enter)
        });
        if moved_by_keys {
            self.visible = true;
        } else if pointer {
            self.visible = false;
        }
        let focused = ctx.memory(|m| m.focused());
        KeyboardFrame {
            enter_unfocused: enter && focused.is_none() && !ctx.any_popup_open(),
        }
    }

    /// Draws the ring around the focused control and, when focus has just
    /// moved to a control the page's scrolling hides, asks for it to be
    /// shown on the next frame.
    pub fn end_frame(&mut self, ctx: &Context, colour: egui::Color32) {
        let focused = ctx.memory(|m| m.focused());
        let moved = focused != self.last_focused;
        self.last_focused = focused;
        if !self.visible {
            return;
        }
        let Some(response) = focused.and_then(|id| ctx.read_response(id)) else {
            return;
        };
        // Clipped by the page's scroll area: partly or wholly out of view.
        let hidden = response.interact_rect.height() + 0.5 < response.rect.height();
        if moved && hidden {
            // With room around it, so that the ring is not cut off.
            self.reveal = Some(response.rect.expand(8.0));
            ctx.request_repaint();
        }
        // Text fields draw their own outline while they have focus.
        if response.sense.senses_drag() {
            return;
        }
        ctx.layer_painter(response.layer_id)
            .with_clip_rect(response.interact_rect.expand(4.0))
            .rect_stroke(
                response.rect.expand(1.0),
                CornerRadius::same(4),
                Stroke::new(2.0, colour),
                StrokeKind::Outside,
            );
    }
}
