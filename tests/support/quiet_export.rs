//! Exporting in tests that watch neither progress nor Cancel.

use chrono::{DateTime, Utc};
use offboard::export::{ExportError, export_account};
use offboard::model::wizard::ExportRecord;
use offboard::platform::Platform;
use std::path::Path;
use std::sync::atomic::AtomicBool;

/// Exports `account` into a new folder under `parent`, or resumes one there.
pub fn export_quietly(
    platform: &dyn Platform,
    account: &str,
    parent: &Path,
    now: DateTime<Utc>,
) -> Result<ExportRecord, ExportError> {
    export_account(
        platform,
        account,
        parent,
        now,
        &mut |_| {},
        &AtomicBool::new(false),
    )
}
