//! Money as whole cents, so sums never drift the way floats do.
//!
//! Sums are checked: code adding up amounts from files or the network uses
//! the `checked_*` methods and reports an overflow as an error naming where
//! it happened. The operators saturate at the ends of the range rather than
//! wrap or panic, for the few places that add amounts already known to fit.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::iter::Sum;
use std::ops::{Add, AddAssign, Neg, Sub, SubAssign};

/// An amount in US cents. Offboard's platforms settle in USD.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct Money {
    pub cents: i64,
}

impl Money {
    pub const ZERO: Money = Money { cents: 0 };

    pub const fn from_cents(cents: i64) -> Self {
        Money { cents }
    }

    /// Saturates at the ends of the range (only constants use it).
    pub const fn from_dollars(dollars: i64) -> Self {
        Money {
            cents: dollars.saturating_mul(100),
        }
    }

    /// The sum, or `None` when it is more than an `i64` of cents can hold.
    pub fn checked_add(self, rhs: Money) -> Option<Money> {
        self.cents.checked_add(rhs.cents).map(Money::from_cents)
    }

    /// The difference, or `None` when it is more than an `i64` can hold.
    pub fn checked_sub(self, rhs: Money) -> Option<Money> {
        self.cents.checked_sub(rhs.cents).map(Money::from_cents)
    }

    /// The negation, or `None` for the one amount without one (`i64::MIN`).
    pub fn checked_neg(self) -> Option<Money> {
        self.cents.checked_neg().map(Money::from_cents)
    }

    /// The absolute value, or `None` for `i64::MIN` cents.
    pub fn checked_abs(self) -> Option<Money> {
        self.cents.checked_abs().map(Money::from_cents)
    }

    /// The sum of `amounts`, or `None` as soon as a partial sum overflows.
    pub fn checked_sum(amounts: impl IntoIterator<Item = Money>) -> Option<Money> {
        amounts
            .into_iter()
            .try_fold(Money::ZERO, |sum, amount| sum.checked_add(amount))
    }

    pub fn is_zero(self) -> bool {
        self.cents == 0
    }

    pub fn is_positive(self) -> bool {
        self.cents > 0
    }

    pub fn is_negative(self) -> bool {
        self.cents < 0
    }

    /// Saturates: `i64::MIN` cents gives `i64::MAX`.
    pub fn abs(self) -> Self {
        Money {
            cents: self.cents.saturating_abs(),
        }
    }

    /// Plain decimal without currency sign or separators, e.g. `-1234.50`,
    /// for machine-readable files.
    pub fn plain(self) -> String {
        let sign = if self.cents < 0 { "-" } else { "" };
        let abs = self.cents.unsigned_abs();
        format!("{sign}{}.{:02}", abs / 100, abs % 100)
    }
}

/// `$1,234.50` / `-$12.00`: how people read money.
impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Piece by piece, with no heap string: an export shows millions.
        if self.cents < 0 {
            f.write_str("-")?;
        }
        f.write_str("$")?;
        let abs = self.cents.unsigned_abs();
        let mut digits = itoa::Buffer::new();
        let dollars = digits.format(abs / 100);
        let first_group = match dollars.len() % 3 {
            0 => 3,
            short => short,
        };
        let (head, mut rest) = dollars.split_at(first_group.min(dollars.len()));
        f.write_str(head)?;
        while rest.len() >= 3 {
            let (group, after) = rest.split_at(3);
            f.write_str(",")?;
            f.write_str(group)?;
            rest = after;
        }
        let cents = (abs % 100) as u8;
        let tail = [b'.', b'0' + cents / 10, b'0' + cents % 10];
        f.write_str(std::str::from_utf8(&tail).map_err(|_| fmt::Error)?)
    }
}

// The operators saturate: a wrapped sum would show a huge balance with the
// wrong sign, and a panic would take the window down. Imports bound their
// amounts (see `platform::upwork::csv`), so these never reach the ends in practice.
impl Add for Money {
    type Output = Money;
    fn add(self, rhs: Money) -> Money {
        Money::from_cents(self.cents.saturating_add(rhs.cents))
    }
}

impl Sub for Money {
    type Output = Money;
    fn sub(self, rhs: Money) -> Money {
        Money::from_cents(self.cents.saturating_sub(rhs.cents))
    }
}

impl Neg for Money {
    type Output = Money;
    fn neg(self) -> Money {
        Money::from_cents(self.cents.saturating_neg())
    }
}

impl AddAssign for Money {
    fn add_assign(&mut self, rhs: Money) {
        *self = *self + rhs;
    }
}

impl SubAssign for Money {
    fn sub_assign(&mut self, rhs: Money) {
        *self = *self - rhs;
    }
}

impl Sum for Money {
    fn sum<I: Iterator<Item = Money>>(iter: I) -> Money {
        iter.fold(Money::ZERO, Add::add)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn displays_with_grouping_and_sign() {
        assert_eq!(Money::from_cents(0).to_string(), "$0.00");
        assert_eq!(Money::from_cents(5).to_string(), "$0.05");
        assert_eq!(Money::from_cents(123_456_789).to_string(), "$1,234,567.89");
        assert_eq!(Money::from_cents(-100_000).to_string(), "-$1,000.00");
        assert_eq!(Money::from_cents(99_999).to_string(), "$999.99");
        assert_eq!(Money::from_cents(1_234_500).to_string(), "$12,345.00");
        assert_eq!(Money::from_cents(10_000_000).to_string(), "$100,000.00");
        assert_eq!(
            Money::from_cents(i64::MIN).to_string(),
            "-$92,233,720,368,547,758.08"
        );
    }

    #[test]
    fn plain_is_machine_readable() {
        assert_eq!(Money::from_cents(-123_450).plain(), "-1234.50");
        assert_eq!(Money::from_cents(7).plain(), "0.07");
    }

    #[test]
    fn checked_arithmetic_refuses_what_does_not_fit() {
        let big = Money::from_cents(9_000_000_000_000_000_000);
        assert_eq!(big.checked_add(big), None);
        assert_eq!(
            Money::from_cents(-9_000_000_000_000_000_000).checked_sub(big),
            None
        );
        assert_eq!(Money::from_cents(i64::MIN).checked_neg(), None);
        assert_eq!(Money::from_cents(i64::MIN).checked_abs(), None);
        assert_eq!(Money::checked_sum([big, big]), None);
        assert_eq!(
            Money::checked_sum([big, -big, Money::from_cents(5)]),
            Some(Money::from_cents(5))
        );
        assert_eq!(
            big.checked_sub(Money::from_cents(1)),
            Some(Money::from_cents(8_999_999_999_999_999_999))
        );
    }

    #[test]
    fn operators_saturate_instead_of_wrapping_or_panicking() {
        let big = Money::from_cents(9_000_000_000_000_000_000);
        assert_eq!(big + big, Money::from_cents(i64::MAX));
        assert_eq!(-big - big, Money::from_cents(i64::MIN));
        assert_eq!(-Money::from_cents(i64::MIN), Money::from_cents(i64::MAX));
        assert_eq!(
            Money::from_cents(i64::MIN).abs(),
            Money::from_cents(i64::MAX)
        );
        let mut sum = big;
        sum += big;
        assert_eq!(sum, Money::from_cents(i64::MAX));
        sum -= -big;
        assert_eq!(sum, Money::from_cents(i64::MAX));
        assert_eq!(
            [big, big].into_iter().sum::<Money>(),
            Money::from_cents(i64::MAX)
        );
        assert_eq!(Money::from_dollars(i64::MAX), Money::from_cents(i64::MAX));
    }

    #[test]
    fn sums() {
        let total: Money = [1, 2, 3].into_iter().map(Money::from_dollars).sum();
        assert_eq!(total, Money::from_dollars(6));
    }
}
