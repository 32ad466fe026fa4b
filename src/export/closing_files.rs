//! Files closing adds to a finished export: the receipt. They lie beside
//! manifest.json without changing it, so the manifest SHA-256 the receipt
//! names keeps matching the folder for good; `verify` checks the receipt
//! against it instead of listing it.

use super::files::{self, DiskBudget};
use super::manifest::{MANIFEST_NAME, Manifest, ManifestProblem};
use super::{ExportError, io_error};
use sha2::{Digest, Sha256};
use std::path::Path;

pub const RECEIPT_JSON: &str = "receipt.json";
pub const RECEIPT_TEXT: &str = "receipt.txt";

/// The only files that may join an export after it is complete.
pub const CLOSING_FILES: [&str; 2] = [RECEIPT_JSON, RECEIPT_TEXT];

/// Write one closing file into the finished export in `dir`, atomically.
pub fn write_closing_file(dir: &Path, name: &str, contents: &[u8]) -> Result<(), ExportError> {
    if !CLOSING_FILES.contains(&name) {
        return Err(ExportError::InvalidName(name.to_string()));
    }
    match Manifest::read(dir) {
        Ok(manifest) if manifest.complete => {}
        Ok(_) => {
            return Err(ExportError::BadManifest {
                reason: "the export is not complete".into(),
                path: Manifest::path_in(dir),
            });
        }
        Err(ManifestProblem::Damaged(reason)) => {
            return Err(ExportError::BadManifest {
                reason,
                path: Manifest::path_in(dir),
            });
        }
        Err(ManifestProblem::Io(source)) => {
            return Err(io_error("read the manifest", &Manifest::path_in(dir))(
                source,
            ));
        }
        Err(ManifestProblem::Missing | ManifestProblem::NotOurs) => {
            return Err(ExportError::NotOurs(dir.to_path_buf()));
        }
    }
    let path = dir.join(name);
    files::write_atomically(&path, contents, &DiskBudget::unlimited())
        .map(|_| ())
        .map_err(io_error(format!("write {name}"), &path))
}

/// Problems (file, what is wrong) with the closing files in `dir`: each
/// receipt must name the SHA-256 manifest.json has now.
pub(crate) fn check_closing_files(dir: &Path) -> Vec<(String, String)> {
    let mut problems = Vec::new();
    let present: Vec<&str> = CLOSING_FILES
        .into_iter()
        .filter(|name| dir.join(name).is_file())
        .collect();
    if present.is_empty() {
        return problems;
    }
    let actual = match std::fs::read(dir.join(MANIFEST_NAME)) {
        Ok(bytes) => hex::encode(Sha256::digest(&bytes)),
        Err(_) => return problems, // verify already reports the manifest
    };
    for name in present {
        let text = match std::fs::read_to_string(dir.join(name)) {
            Ok(text) => text,
            Err(e) => {
                problems.push((name.to_string(), format!("cannot be read: {e}")));
                continue;
            }
        };
        let named = if name == RECEIPT_JSON {
            match serde_json::from_str::<serde_json::Value>(&text) {
                Ok(value) => value
                    .get("export_manifest_sha256")
                    .and_then(|v| v.as_str())
                    .map(str::to_string),
                Err(e) => {
                    problems.push((name.to_string(), format!("is not valid JSON: {e}")));
                    continue;
                }
            }
        } else {
            text.lines()
                .find_map(|line| line.split("manifest.json SHA-256 ").nth(1))
                .map(|hash| hash.trim().to_string())
        };
        match named {
            Some(hash) if hash == actual => {}
            Some(hash) => problems.push((
                name.to_string(),
                format!(
                    "names manifest SHA-256 {hash}, but manifest.json now has {actual}: the \
                     export was changed after closing"
                ),
            )),
            // A receipt of a closing without an Offboard export names none.
            None => {}
        }
    }
    problems
}
