//! File names built from platform data (room topics, account ids). A name
//! from the platform must never escape the export folder, hide itself, hit
//! a reserved device name on Windows, or collide with another room's file.

use std::collections::HashSet;
use unicode_normalization::UnicodeNormalization;

/// Longest stem in bytes; leaves room for a `-NNNN` suffix, an extension
/// and the `.partial` temp name within every file system's 255-byte limit.
pub const MAX_STEM_BYTES: usize = 80;

/// Device names Windows refuses as file names, with or without extension
/// (its documentation lists the superscript digits and the `0` ports too).
const WINDOWS_RESERVED: [&str; 32] = [
    "CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$", "COM0", "COM1", "COM2", "COM3", "COM4",
    "COM5", "COM6", "COM7", "COM8", "COM9", "COM¹", "COM²", "COM³", "LPT0", "LPT1", "LPT2", "LPT3",
    "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9", "LPT¹", "LPT²", "LPT³",
];

/// Characters no file name may contain on some supported system.
fn is_forbidden(ch: char) -> bool {
    matches!(ch, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|')
        || ch.is_control()
        || is_invisible_format(ch)
}

/// Zero-width and bidirectional controls: they make `evil\u{202E}txt.exe`
/// look like another name in a file browser.
fn is_invisible_format(ch: char) -> bool {
    matches!(ch,
        '\u{00AD}' | '\u{180E}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{206F}' | '\u{FEFF}' | '\u{FFF9}'..='\u{FFFB}')
}

fn is_windows_reserved(stem: &str) -> bool {
    // `CON.txt` and `con .json` are as reserved as `CON`.
    let device = stem.split('.').next().unwrap_or(stem).trim_end();
    WINDOWS_RESERVED
        .iter()
        .any(|reserved| reserved.eq_ignore_ascii_case(device))
}

/// Turns arbitrary platform text into a safe file stem (no extension):
/// separators and control characters become `_`, whitespace runs become one
/// space, runs of dots collapse, leading and trailing dots and spaces go,
/// reserved device names get a `_` prefix, and the result is capped at
/// [`MAX_STEM_BYTES`]. Never empty: falls back to `fallback`.
pub fn sanitize_stem(raw: &str, fallback: &str) -> String {
    let mut cleaned = String::with_capacity(raw.len().min(MAX_STEM_BYTES * 2));
    let mut last_was_space = false;
    let mut last_was_dot = false;
    for ch in raw.chars() {
        let ch = if ch.is_whitespace() {
            ' '
        } else if is_forbidden(ch) {
            '_'
        } else {
            ch
        };
        if ch == ' ' {
            if last_was_space {
                continue;
            }
            last_was_space = true;
        } else {
            last_was_space = false;
        }
        if ch == '.' {
            // `..` never survives, wherever it stands.
            if last_was_dot {
                continue;
            }
            last_was_dot = true;
        } else {
            last_was_dot = false;
        }
        cleaned.push(ch);
    }
    let mut stem = truncate_at_char_boundary(&cleaned, MAX_STEM_BYTES)
        .trim_matches(|c: char| c == ' ' || c == '.')
        .to_string();
    if stem.is_empty() {
        stem = if fallback.is_empty() || fallback == raw {
            "unnamed".to_string()
        } else {
            sanitize_stem(fallback, "unnamed")
        };
    }
    if is_windows_reserved(&stem) {
        // Room for the prefix within the cap (a reserved stem with a long
        // extension, `com1.<80 bytes>`, is at the cap already).
        let keep = truncate_at_char_boundary(&stem, MAX_STEM_BYTES - 1)
            .trim_end_matches([' ', '.'])
            .len();
        stem.truncate(keep);
        stem.insert(0, '_');
    }
    stem
}

fn truncate_at_char_boundary(text: &str, max_bytes: usize) -> &str {
    if text.len() <= max_bytes {
        return text;
    }
    let mut end = max_bytes;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// The name a folder compares: macOS's file systems ignore Unicode
/// normalisation (`é` as one character or as `e` and an accent) and case,
/// Windows' ignore case, so two stems with the same key are one file there.
/// NFC, then upper and lower case (which folds `ß`/`ẞ` to `ss` and `ς` to
/// `σ` as case folding does), then NFC again since case mapping can leave
/// an accent apart from its letter.
pub fn fold_key(stem: &str) -> String {
    let upper = stem.nfc().collect::<String>().to_uppercase();
    upper.to_lowercase().nfc().collect()
}

/// Hands out stems that are unique within one folder, compared as
/// [`fold_key`] compares them, because macOS and Windows folders ignore
/// case and macOS ignores Unicode normalisation too.
#[derive(Debug, Default)]
pub struct UniqueStems {
    taken: HashSet<String>,
}

impl UniqueStems {
    pub fn new() -> Self {
        Self::default()
    }

    /// A sanitised stem for `raw`, with `-2`, `-3`… appended when an earlier
    /// name already took it.
    pub fn claim(&mut self, raw: &str, fallback: &str) -> String {
        let base = sanitize_stem(raw, fallback);
        if self.taken.insert(fold_key(&base)) {
            return base;
        }
        (2u64..)
            .map(|n| {
                let suffix = format!("-{n}");
                let head = truncate_at_char_boundary(&base, MAX_STEM_BYTES - suffix.len())
                    .trim_end_matches([' ', '.']);
                format!("{head}{suffix}")
            })
            .find(|candidate| self.taken.insert(fold_key(candidate)))
            .unwrap_or(base) // unreachable: the range is unbounded
    }
}

/// Whether `name` is a plain file name safe to create inside the export
/// folder, as sanitising would leave it (used to check names from callers).
pub fn is_safe_file_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 200
        && !name.starts_with('.')
        && !name.ends_with('.')
        && !name.ends_with(' ')
        && !name.contains("..")
        && !name.chars().any(is_forbidden)
        && !is_windows_reserved(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn separators_and_traversal_never_survive() {
        for hostile in [
            "../../etc/passwd",
            "..\\..\\boot.ini",
            "a/b\\c",
            "..",
            ".",
            "/",
        ] {
            let stem = sanitize_stem(hostile, "room");
            assert!(!stem.contains('/') && !stem.contains('\\'), "{stem}");
            assert!(!stem.contains(".."), "{stem}");
            assert!(!stem.starts_with('.'), "{stem}");
            assert!(!stem.is_empty());
        }
        assert_eq!(sanitize_stem("../../etc/passwd", "x"), "_._etc_passwd");
        assert_eq!(sanitize_stem("..", "r-1"), "r-1");
    }

    #[test]
    fn control_and_invisible_characters_are_replaced() {
        assert_eq!(sanitize_stem("a\u{0}b\u{1b}[31mc\td", "x"), "a_b_[31mc d");
        assert_eq!(
            sanitize_stem("invoice\u{202E}fdp.exe", "x"),
            "invoice_fdp.exe"
        );
        assert_eq!(sanitize_stem("zero\u{200B}width", "x"), "zero_width");
        assert_eq!(
            sanitize_stem("  many   spaces \n here  ", "x"),
            "many spaces here"
        );
    }

    #[test]
    fn windows_reserved_names_are_prefixed() {
        assert_eq!(sanitize_stem("CON", "x"), "_CON");
        assert_eq!(sanitize_stem("nul", "x"), "_nul");
        assert_eq!(sanitize_stem("com1.txt", "x"), "_com1.txt");
        assert_eq!(sanitize_stem("LPT9 ", "x"), "_LPT9");
        assert_eq!(sanitize_stem("CONSOLE", "x"), "CONSOLE");
        assert_eq!(sanitize_stem("com¹", "x"), "_com¹");
        assert_eq!(sanitize_stem("LPT0.log", "x"), "_LPT0.log");
        assert_eq!(sanitize_stem("conout$", "x"), "_conout$");
        let long = format!("com1.{}", "x".repeat(200));
        let stem = sanitize_stem(&long, "x");
        assert!(
            stem.starts_with("_com1.") && stem.len() <= MAX_STEM_BYTES,
            "{stem}"
        );
    }

    #[test]
    fn length_is_capped_on_a_char_boundary() {
        let long = "é".repeat(300);
        let stem = sanitize_stem(&long, "x");
        assert!(stem.len() <= MAX_STEM_BYTES);
        assert!(stem.chars().all(|c| c == 'é'));
    }

    #[test]
    fn empty_names_fall_back() {
        assert_eq!(sanitize_stem("", "room-7"), "room-7");
        assert_eq!(sanitize_stem(" . ", ""), "unnamed");
        assert_eq!(sanitize_stem("\u{0}", "x"), "_");
    }

    #[test]
    fn unique_stems_ignore_case_and_count_up() {
        let mut names = UniqueStems::new();
        assert_eq!(names.claim("Project", "a"), "Project");
        assert_eq!(names.claim("project", "b"), "project-2");
        assert_eq!(names.claim("PROJECT", "c"), "PROJECT-3");
        assert_eq!(names.claim("project-2", "d"), "project-2-2");
        let long = "x".repeat(200);
        let first = names.claim(&long, "e");
        let second = names.claim(&long, "f");
        assert_ne!(first.to_lowercase(), second.to_lowercase());
        assert!(second.len() <= MAX_STEM_BYTES && second.ends_with("-2"));
    }

    #[test]
    fn unique_stems_ignore_unicode_normalisation_and_case() {
        let mut names = UniqueStems::new();
        assert_eq!(names.claim("Café", "a"), "Café");
        assert_eq!(names.claim("Cafe\u{301}", "b"), "Cafe\u{301}-2");
        assert_eq!(names.claim("café", "c"), "café-3");
        assert_eq!(names.claim("CAFÉ", "d"), "CAFÉ-4");
        assert_eq!(names.claim("CAFE\u{301}-2", "e"), "CAFE\u{301}-2-2");
        assert_eq!(names.claim("Straße", "f"), "Straße");
        assert_eq!(names.claim("STRASSE", "g"), "STRASSE-2");
        assert_eq!(fold_key("Cafe\u{301}"), fold_key("CAFÉ"));
        assert_eq!(fold_key("ΣΊΣΥΦΟΣ"), fold_key("σίσυφοσ"));
    }

    #[test]
    fn safe_file_names() {
        assert!(is_safe_file_name("receipt.json"));
        assert!(!is_safe_file_name("../receipt.json"));
        assert!(!is_safe_file_name(".hidden"));
        assert!(!is_safe_file_name("a/b"));
        assert!(!is_safe_file_name("NUL.txt"));
        assert!(!is_safe_file_name(""));
    }
}
