//! An empty eframe window of Offboard's size: the baseline Offboard's
//! binary size is compared with, built with the same profile
//! (`cargo build --profile dist --example empty_window`; README,
//! "Benchmarks").

fn main() -> eframe::Result {
    eframe::run_native(
        "Empty",
        eframe::NativeOptions {
            viewport: egui::ViewportBuilder::default().with_inner_size([1120.0, 780.0]),
            ..Default::default()
        },
        Box::new(|_cc| Ok(Box::new(Empty))),
    )
}

struct Empty;

impl eframe::App for Empty {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        egui::CentralPanel::default().show(ui, |_| {});
    }
}
