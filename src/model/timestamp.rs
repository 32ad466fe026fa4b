//! Timestamps serialised exactly as chrono serialises them
//! (`2025-03-07T23:59:00Z`), for the records an export writes by the
//! million: chrono goes through the `fmt` machinery for every field, which
//! was a tenth of the export's JSON time. Whole seconds in years 0–9999 are
//! written here; anything else is left to chrono. Reading is chrono's.
//!
//! Use with `#[serde(serialize_with = "timestamp::serialize")]`, or
//! `timestamp::serialize_optional` for an `Option`.

use chrono::{DateTime, Datelike, Timelike, Utc};
use serde::{Serialize, Serializer};

/// `YYYY-MM-DDTHH:MM:SSZ`.
const LENGTH: usize = 20;

/// The text of `at` when it is a whole second in years 0–9999.
fn whole_second(at: &DateTime<Utc>) -> Option<[u8; LENGTH]> {
    let year = u32::try_from(at.year()).ok().filter(|y| *y <= 9999)?;
    if at.nanosecond() != 0 {
        return None;
    }
    let mut text = *b"0000-00-00T00:00:00Z";
    let mut put = |at: usize, value: u32, width: usize| {
        let mut value = value;
        for slot in text[at..at + width].iter_mut().rev() {
            *slot = b'0' + (value % 10) as u8;
            value /= 10;
        }
    };
    put(0, year, 4);
    put(5, at.month(), 2);
    put(8, at.day(), 2);
    put(11, at.hour(), 2);
    put(14, at.minute(), 2);
    put(17, at.second(), 2);
    Some(text)
}

pub fn serialize<S: Serializer>(at: &DateTime<Utc>, serializer: S) -> Result<S::Ok, S::Error> {
    match whole_second(at) {
        Some(text) => match std::str::from_utf8(&text) {
            Ok(text) => serializer.serialize_str(text),
            Err(_) => at.serialize(serializer),
        },
        None => at.serialize(serializer),
    }
}

pub fn serialize_optional<S: Serializer>(
    at: &Option<DateTime<Utc>>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    struct Timestamp<'a>(&'a DateTime<Utc>);
    impl Serialize for Timestamp<'_> {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            serialize(self.0, serializer)
        }
    }
    match at {
        Some(at) => serializer.serialize_some(&Timestamp(at)),
        None => serializer.serialize_none(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{NaiveDate, TimeZone};

    fn ours(at: &DateTime<Utc>) -> String {
        serialize(at, serde_json::value::Serializer)
            .unwrap()
            .as_str()
            .unwrap()
            .to_string()
    }

    fn chronos(at: &DateTime<Utc>) -> String {
        serde_json::to_value(at)
            .unwrap()
            .as_str()
            .unwrap()
            .to_string()
    }

    #[test]
    fn whole_seconds_are_written_as_chrono_writes_them() {
        // A day of seconds spread over the years, and the edges.
        let mut at = Utc.with_ymd_and_hms(1970, 1, 1, 0, 0, 0).unwrap();
        for _ in 0..20_000 {
            assert_eq!(ours(&at), chronos(&at));
            at += chrono::Duration::seconds(86_400 * 3 + 3_607);
        }
        for (y, mo, d, h, mi, s) in [
            (0, 1, 1, 0, 0, 0),
            (9999, 12, 31, 23, 59, 59),
            (2024, 2, 29, 12, 30, 5),
        ] {
            let at = Utc.with_ymd_and_hms(y, mo, d, h, mi, s).unwrap();
            assert_eq!(ours(&at), chronos(&at));
        }
    }

    #[test]
    fn everything_else_is_left_to_chrono() {
        let fractions = [1, 1_000, 1_000_000, 123_456_789, 1_500_000_000];
        for nanos in fractions {
            let at = NaiveDate::from_ymd_opt(2025, 6, 30)
                .unwrap()
                .and_hms_nano_opt(23, 59, 59, nanos)
                .unwrap()
                .and_utc();
            assert_eq!(ours(&at), chronos(&at));
        }
        for year in [-1, 10_000, -262_000] {
            let at = Utc.with_ymd_and_hms(year, 1, 1, 0, 0, 0).unwrap();
            assert_eq!(ours(&at), chronos(&at));
        }
    }

    #[test]
    fn optional_timestamps_read_back() {
        #[derive(Serialize, serde::Deserialize, PartialEq, Debug)]
        struct Holder {
            #[serde(serialize_with = "serialize_optional")]
            at: Option<DateTime<Utc>>,
        }
        for at in [
            None,
            Some(Utc.with_ymd_and_hms(2025, 3, 7, 1, 2, 3).unwrap()),
        ] {
            let json = serde_json::to_string(&Holder { at }).unwrap();
            assert_eq!(
                serde_json::from_str::<Holder>(&json).unwrap(),
                Holder { at }
            );
        }
        assert_eq!(
            serde_json::to_string(&Holder { at: None }).unwrap(),
            r#"{"at":null}"#
        );
    }
}
