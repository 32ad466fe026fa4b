//! For the start-up benchmark (`cargo bench --bench startup`): with
//! `OFFBOARD_STARTUP_PROBE=1` in the environment, the window says on stdout
//! when its first frame has been painted, then closes. The benchmark's own
//! empty eframe window uses the same probe, so both are timed alike.

/// The line printed once the first frame is on screen.
pub const FIRST_FRAME: &str = "offboard-first-frame";

/// The environment variable that arms the probe.
pub const ENV: &str = "OFFBOARD_STARTUP_PROBE";

#[derive(Debug, Default)]
pub struct StartupProbe {
    armed: bool,
    frames: u32,
}

impl StartupProbe {
    pub fn from_env() -> StartupProbe {
        StartupProbe {
            armed: std::env::var_os(ENV).is_some_and(|v| v == "1"),
            frames: 0,
        }
    }

    /// Call at the start of every frame. The second frame begins once the
    /// first has been painted: that is when the line is printed.
    pub fn frame(&mut self, ctx: &egui::Context) {
        if !self.armed {
            return;
        }
        self.frames += 1;
        match self.frames {
            // An idle window paints no second frame by itself.
            1 => ctx.request_repaint(),
            2 => {
                use std::io::Write;
                let mut out = std::io::stdout().lock();
                let _ = writeln!(out, "{FIRST_FRAME}");
                let _ = out.flush();
                ctx.send_viewport_cmd(egui::ViewportCommand::Close);
            }
            _ => {}
        }
    }
}
