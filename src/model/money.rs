//! Money as whole cents, so sums never drift the way floats do.

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

    pub const fn from_dollars(dollars: i64) -> Self {
        Money {
            cents: dollars * 100,
        }
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

    pub fn abs(self) -> Self {
        Money {
            cents: self.cents.abs(),
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

impl Add for Money {
    type Output = Money;
    fn add(self, rhs: Money) -> Money {
        Money::from_cents(self.cents + rhs.cents)
    }
}

impl Sub for Money {
    type Output = Money;
    fn sub(self, rhs: Money) -> Money {
        Money::from_cents(self.cents - rhs.cents)
    }
}

impl Neg for Money {
    type Output = Money;
    fn neg(self) -> Money {
        Money::from_cents(-self.cents)
    }
}

impl AddAssign for Money {
    fn add_assign(&mut self, rhs: Money) {
        self.cents += rhs.cents;
    }
}

impl SubAssign for Money {
    fn sub_assign(&mut self, rhs: Money) {
        self.cents -= rhs.cents;
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
    fn sums() {
        let total: Money = [1, 2, 3].into_iter().map(Money::from_dollars).sum();
        assert_eq!(total, Money::from_dollars(6));
    }
}
