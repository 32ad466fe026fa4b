//! Short cells (a date, an amount, a count) formatted on the stack: an
//! export writes millions of them into CSV and index.html, and neither a
//! heap string nor the `fmt` machinery is needed for `2025-03-07`,
//! `-1234.50` or `$1,234.50`.

use crate::model::money::Money;
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use std::fmt::Write as _;

#[derive(Clone, Copy)]
pub(crate) struct ShortText {
    bytes: [u8; 32],
    len: usize,
}

impl ShortText {
    fn new() -> Self {
        ShortText {
            bytes: [0; 32],
            len: 0,
        }
    }

    /// Appends `piece`, or nothing if it would not fit (no value written
    /// here comes near 32 bytes; a cell is left short rather than cut).
    fn push(&mut self, piece: &str) {
        let end = self.len + piece.len();
        if let Some(slot) = self.bytes.get_mut(self.len..end) {
            slot.copy_from_slice(piece.as_bytes());
            self.len = end;
        }
    }

    fn push_number(&mut self, value: u64) {
        self.push(itoa::Buffer::new().format(value));
    }

    /// `value` with leading zeros to `width` digits (dates).
    fn push_padded(&mut self, value: u32, width: usize) {
        let mut digits = itoa::Buffer::new();
        let digits = digits.format(value);
        for _ in digits.len()..width {
            self.push("0");
        }
        self.push(digits);
    }

    /// `12.50` from 1250 hundredths.
    fn push_hundredths(&mut self, hundredths: u64) {
        self.push_number(hundredths / 100);
        self.push(".");
        self.push_padded((hundredths % 100) as u32, 2);
    }

    /// The UTC day of `date`, `YYYY-MM-DD`.
    pub(crate) fn day(date: &DateTime<Utc>) -> Self {
        Self::date(date.date_naive())
    }

    pub(crate) fn date(date: NaiveDate) -> Self {
        let mut text = Self::new();
        match u32::try_from(date.year()) {
            Ok(year) if year <= 9999 => {
                text.push_padded(year, 4);
                text.push("-");
                text.push_padded(date.month(), 2);
                text.push("-");
                text.push_padded(date.day(), 2);
            }
            // Years outside 0..=9999, as Offboard has always written them.
            _ => {
                let _ = write!(
                    text,
                    "{:04}-{:02}-{:02}",
                    date.year(),
                    date.month(),
                    date.day()
                );
            }
        }
        text
    }

    /// A quantity with two decimals, e.g. hours `12.25`, without float
    /// formatting's exact-decimal machinery; empty if not finite.
    pub(crate) fn two_decimals(value: f64) -> Self {
        let hundredths = (value * 100.0).round();
        let mut text = Self::new();
        if hundredths.is_finite() && hundredths.abs() < 1e17 {
            let hundredths = hundredths as i64;
            if hundredths < 0 {
                text.push("-");
            }
            text.push_hundredths(hundredths.unsigned_abs());
        }
        text
    }

    pub(crate) fn count(value: u64) -> Self {
        let mut text = Self::new();
        text.push_number(value);
        text
    }

    /// Plain decimal without currency sign or separators, as
    /// `Money::plain`, for machine-readable files.
    pub(crate) fn money(money: Money) -> Self {
        let mut text = Self::new();
        if money.cents < 0 {
            text.push("-");
        }
        text.push_hundredths(money.cents.unsigned_abs());
        text
    }

    /// As people read it (`Money`'s Display): `-$1,234.50`.
    pub(crate) fn money_display(money: Money) -> Self {
        let mut text = Self::new();
        let _ = write!(text, "{money}");
        text
    }
}

impl std::fmt::Write for ShortText {
    fn write_str(&mut self, piece: &str) -> std::fmt::Result {
        if self.len + piece.len() > self.bytes.len() {
            return Err(std::fmt::Error);
        }
        self.push(piece);
        Ok(())
    }
}

impl AsRef<str> for ShortText {
    fn as_ref(&self) -> &str {
        // Only whole `&str` pieces are ever copied in.
        std::str::from_utf8(&self.bytes[..self.len]).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn hours_have_two_decimals() {
        assert_eq!(ShortText::two_decimals(12.25).as_ref(), "12.25");
        assert_eq!(ShortText::two_decimals(0.005).as_ref(), "0.01");
        assert_eq!(ShortText::two_decimals(3.0).as_ref(), "3.00");
        assert_eq!(ShortText::two_decimals(-1.5).as_ref(), "-1.50");
        assert_eq!(ShortText::two_decimals(f64::NAN).as_ref(), "");
    }

    #[test]
    fn any_amount_fits() {
        assert_eq!(
            ShortText::money(Money::from_cents(i64::MIN)).as_ref(),
            "-92233720368547758.08"
        );
        assert_eq!(ShortText::money(Money::from_cents(5)).as_ref(), "0.05");
        for cents in [-123_456, 0, 7, 100, 99_999_999] {
            let money = Money::from_cents(cents);
            assert_eq!(ShortText::money(money).as_ref(), money.plain());
            assert_eq!(ShortText::money_display(money).as_ref(), money.to_string());
        }
        assert_eq!(
            ShortText::money_display(Money::from_cents(i64::MIN)).as_ref(),
            "-$92,233,720,368,547,758.08"
        );
    }

    #[test]
    fn dates_match_chrono() {
        for (y, m, d) in [
            (2025, 3, 7),
            (1999, 12, 31),
            (5, 1, 2),
            (0, 1, 1),
            (9999, 12, 31),
        ] {
            let date = NaiveDate::from_ymd_opt(y, m, d).unwrap();
            assert_eq!(
                ShortText::date(date).as_ref(),
                date.format("%Y-%m-%d").to_string()
            );
        }
        for y in [-1, 10_000, 262_000, -262_000] {
            let date = NaiveDate::from_ymd_opt(y, 6, 1).unwrap();
            assert_eq!(ShortText::date(date).as_ref(), format!("{y:04}-06-01"));
        }
        let late = Utc.with_ymd_and_hms(2025, 3, 7, 23, 59, 59).unwrap();
        assert_eq!(ShortText::day(&late).as_ref(), "2025-03-07");
        assert_eq!(ShortText::count(0).as_ref(), "0");
        assert_eq!(ShortText::count(u64::MAX).as_ref(), "18446744073709551615");
    }
}
