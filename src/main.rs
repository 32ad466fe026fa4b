//! Start-up only: parse the command line, then open the wizard or run a
//! headless command.

use clap::Parser;
use offboard::cli::{self, Cli};
use offboard::jobs::{self, Jobs};
use offboard::ui::{DefaultFolders, NativeDialogs, OffboardApp};
use std::process::ExitCode;

fn main() -> ExitCode {
    offboard::ui::dialogs::install_logger();
    let args = Cli::parse();
    let clock = jobs::system_clock();
    let store = match cli::store_for(args.state_dir) {
        Ok(store) => Some(store),
        Err(message) => {
            eprintln!("offboard: {message}");
            None
        }
    };
    if let Some(command) = args.command {
        return cli::run(command, store, clock);
    }
    let Some(store) = store else {
        return ExitCode::FAILURE;
    };
    let (store, loaded) = offboard::store::Store::open_for_app(store.dir(), clock());
    let mut api = jobs::ApiAccess::system(store.dir().to_path_buf());
    // Same switch as the headless commands' --api-base.
    api.api_base = std::env::var("OFFBOARD_UPWORK_API_BASE")
        .ok()
        .filter(|v| !v.is_empty());
    let jobs = Jobs::new(
        jobs::default_platforms(clock.clone(), api.clone()),
        api,
        Some(store),
        clock,
    );
    let mut viewport = egui::ViewportBuilder::default()
        .with_title("Offboard")
        .with_app_id(offboard::ui::APP_ID)
        .with_inner_size([1120.0, 780.0])
        .with_min_inner_size([820.0, 560.0]);
    if let Some(icon) = offboard::ui::app_icon() {
        viewport = viewport.with_icon(icon);
    }
    let options = eframe::NativeOptions {
        viewport,
        ..Default::default()
    };
    let folders = DefaultFolders::from_system();
    let result = eframe::run_native(
        "Offboard",
        options,
        Box::new(move |_cc| {
            Ok(Box::new(OffboardApp::new(
                loaded,
                jobs,
                Box::new(NativeDialogs),
                folders,
            )))
        }),
    );
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!(
                "offboard: could not open the window ({e}). On Linux, install libxcursor1 \
                 libxi6 libxkbcommon-x11-0 and a graphics driver (mesa-vulkan-drivers or \
                 libegl1), or use the review/export/verify commands."
            );
            ExitCode::FAILURE
        }
    }
}
