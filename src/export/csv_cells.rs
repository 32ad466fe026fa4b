//! CSV cells that are safe to open in a spreadsheet. A cell from the
//! platform that starts with `=`, `+`, `-`, `@`, a tab or a carriage return
//! would run as a formula in Excel, LibreOffice or Google Sheets; a leading
//! apostrophe makes it plain text. Amounts and counts Offboard formats itself
//! are numbers and are written as they are, so `-12.50` stays a number.

use std::borrow::Cow;

/// Whether a spreadsheet would treat a cell with this text as a formula.
pub fn starts_like_formula(text: &str) -> bool {
    matches!(
        text.as_bytes().first(),
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r')
    )
}

/// A text cell from platform data, neutralised against formula injection.
pub fn text_cell(text: &str) -> Cow<'_, str> {
    if starts_like_formula(text) {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

/// An optional text cell; absent is empty.
pub fn optional_text_cell(text: Option<&str>) -> Cow<'_, str> {
    text.map_or(Cow::Borrowed(""), text_cell)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_starts_get_an_apostrophe() {
        assert_eq!(
            text_cell("=HYPERLINK(\"http://x\")"),
            "'=HYPERLINK(\"http://x\")"
        );
        assert_eq!(text_cell("+1+1"), "'+1+1");
        assert_eq!(text_cell("-2+3"), "'-2+3");
        assert_eq!(text_cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(text_cell("\tcmd"), "'\tcmd");
        assert_eq!(text_cell("\rcmd"), "'\rcmd");
    }

    #[test]
    fn ordinary_text_is_untouched_and_borrowed() {
        for plain in [
            "Website redesign",
            "",
            "a=b",
            "'quoted",
            " =leading space",
            "100",
        ] {
            assert!(matches!(text_cell(plain), Cow::Borrowed(_)), "{plain}");
        }
    }

    #[test]
    fn optional_cells() {
        assert_eq!(optional_text_cell(None), "");
        assert_eq!(optional_text_cell(Some("@x")), "'@x");
    }
}
