//! The fuzz targets of `fuzz/` on a stable toolchain, inside `cargo test`:
//! each runs on its committed corpus (seeds and regressions), then on a
//! seeded, deterministic batch of mutations of it (byte flips, splices,
//! truncations, inserted tokens). A panic is a failure; the input that
//! caused it is written to `target/fuzz-smoke/` to add to the corpus.
//!
//! `OFFBOARD_FUZZ_ROUNDS` scales the batches (e.g. `10` for ten times as
//! many inputs); `OFFBOARD_FUZZ_SEED` picks another seed.

use offboard::fuzzing;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

/// The committed inputs of a target, in name order.
fn corpus(target: &str) -> Vec<(String, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/corpus")
        .join(target);
    let mut inputs: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(Result::ok)
        .filter(|entry| entry.file_type().is_ok_and(|t| t.is_file()))
        .filter_map(|entry| {
            let bytes = std::fs::read(entry.path()).ok()?;
            Some((entry.file_name().to_string_lossy().into_owned(), bytes))
        })
        .collect();
    inputs.sort();
    assert!(!inputs.is_empty(), "no corpus in {}", dir.display());
    inputs
}

/// One mutation of a corpus input: what libFuzzer's simplest mutators do.
fn mutate(rng: &mut StdRng, seeds: &[(String, Vec<u8>)], tokens: &[&[u8]]) -> Vec<u8> {
    let mut data = seeds[rng.random_range(0..seeds.len())].1.clone();
    for _ in 0..rng.random_range(1..=4) {
        let len = data.len();
        let at = if len == 0 {
            0
        } else {
            rng.random_range(0..=len)
        };
        match rng.random_range(0..8) {
            0 if len > 0 => {
                let i = rng.random_range(0..len);
                data[i] ^= 1 << rng.random_range(0..8);
            }
            1 if len > 0 => {
                let i = rng.random_range(0..len);
                data[i] = rng.random();
            }
            2 => {
                let token = tokens[rng.random_range(0..tokens.len())];
                data.splice(at..at, token.iter().copied());
            }
            3 if len > 0 => {
                let end = (at + rng.random_range(1..=16)).min(len);
                data.drain(at.min(end)..end);
            }
            4 => data.truncate(at),
            5 if len > 0 => {
                // Repeat a piece: long values, many rows.
                let start = rng.random_range(0..len);
                let end = (start + rng.random_range(1..=64)).min(len);
                let piece = data[start..end].repeat(rng.random_range(1..=8));
                data.splice(at..at, piece);
            }
            6 => {
                // Splice: the head of this input and the tail of another.
                let other = &seeds[rng.random_range(0..seeds.len())].1;
                let from = rng.random_range(0..=other.len());
                data.truncate(at);
                data.extend_from_slice(&other[from..]);
            }
            _ => {
                // A number that is as large as it gets.
                let digits = ["9", "99999999999999999999", "92233720368547758", "0.005"];
                let token = digits[rng.random_range(0..digits.len())].as_bytes();
                data.splice(at..at, token.iter().copied());
            }
        }
    }
    data
}

fn rounds(base: usize) -> usize {
    let scale = std::env::var("OFFBOARD_FUZZ_ROUNDS")
        .ok()
        .and_then(|s| s.parse::<usize>().ok())
        .unwrap_or(1);
    base * scale
}

fn seed() -> u64 {
    std::env::var("OFFBOARD_FUZZ_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x0ff_b0a2d)
}

/// Runs `target` on its corpus and `base` mutations; fails naming every
/// input that panicked, each saved to `target/fuzz-smoke/`.
fn smoke(name: &str, target: fn(&[u8]), base: usize, tokens: &[&[u8]]) {
    let seeds = corpus(name);
    let mut rng = StdRng::seed_from_u64(seed());
    let mut failures: Vec<PathBuf> = Vec::new();
    let mut run = |label: &str, input: &[u8]| {
        if catch_unwind(AssertUnwindSafe(|| target(input))).is_err() {
            let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/fuzz-smoke");
            let _ = std::fs::create_dir_all(&dir);
            let path = dir.join(format!("{name}-{label}"));
            let _ = std::fs::write(&path, input);
            failures.push(path);
        }
    };
    for (file, input) in &seeds {
        run(file, input);
    }
    let total = rounds(base);
    for i in 0..total {
        let input = mutate(&mut rng, &seeds, tokens);
        run(&format!("mutation-{i}"), &input);
    }
    fuzzing::remove_scratch();
    eprintln!("{name}: {} corpus inputs, {total} mutations", seeds.len());
    assert!(
        failures.is_empty(),
        "{name}: {} inputs panicked, saved as {failures:#?}",
        failures.len()
    );
}

#[test]
fn csv_import() {
    let tokens: &[&[u8]] = &[
        b",",
        b";",
        b"\t",
        b"\"",
        b"\n",
        b"\r\n",
        b"\n=====\n",
        b"$",
        b"-",
        b"(",
        b")",
        b"1,234.50",
        b"Nov 23, 2026",
        b"2026-11-23",
        b"31/12/2026",
        b"Hourly",
        b"Service Fee",
        b"Withdrawal",
        b"Pending",
        b"In review",
        b"=\"",
        b"\xef\xbb\xbf",
        b"\xff\xfe",
        b"\0",
        b"Invoice for 11/09/2026-11/15/2026",
        b"Ref ID 300000520",
    ];
    smoke("csv_import", fuzzing::csv_import, 4_000, tokens);
}

#[test]
fn api_mapping() {
    let tokens: &[&[u8]] = &[
        b"\"",
        b"{",
        b"}",
        b"[",
        b"]",
        b":",
        b",",
        b"null",
        b"-",
        b"$",
        b"(",
        b")",
        b".",
        b"\"rawValue\":\"",
        b"1e308",
        b"-0",
        b"2026-11-23T00:00:00+0000",
        b"20261123",
        b"99999999999999999999",
        b"T",
        b"Z",
        b"+0000",
    ];
    smoke("api_mapping", fuzzing::api_mapping, 20_000, tokens);
}

#[test]
fn state_file() {
    let tokens: &[&[u8]] = &[
        b"\"",
        b"{",
        b"}",
        b"[",
        b"]",
        b":",
        b",",
        b"null",
        b"\"schema_version\":1",
        b"\"schema_version\":2",
        b"true",
        b"-1",
        b"1e999",
        b"18446744073709551616",
    ];
    smoke("state_file", fuzzing::state_file, 10_000, tokens);
}

#[test]
fn manifest_verify() {
    let tokens: &[&[u8]] = &[
        b"\"",
        b"{",
        b"}",
        b"[",
        b"]",
        b":",
        b",",
        b"null",
        b"../",
        b"/",
        b"\\",
        b"..",
        b"messages/",
        b"manifest.json",
        b"18446744073709551615",
        b"-1",
        b"\"complete\":true",
        b"\"path\":\"",
        b"\"section\":\"messages\"",
        b"\"section\":\"transactions\"",
    ];
    smoke("manifest_verify", fuzzing::manifest_verify, 8_000, tokens);
}

#[test]
fn file_names() {
    let tokens: &[&[u8]] = &[
        b"/",
        b"\\",
        b".",
        b"..",
        b" ",
        b"\n",
        b"CON",
        b"com1",
        b"LPT9",
        b"NUL.txt",
        b":",
        "\u{301}".as_bytes(),
        "\u{202e}".as_bytes(),
        "\u{200b}".as_bytes(),
        "é".as_bytes(),
        "É".as_bytes(),
        "ß".as_bytes(),
        "\u{130}".as_bytes(),
        "\u{212a}".as_bytes(),
        b"\0",
        b"-2",
        "\u{3000}".as_bytes(),
        "\u{FEFF}".as_bytes(),
    ];
    smoke("file_names", fuzzing::file_names, 5_000, tokens);
}

/// A crash the api_mapping target found: amounts of 92,233,720,368,547,758
/// dollars and some cents overflowed in `parse_money`. Fixed; the input is
/// in the corpus as a regression.
#[test]
fn regression_api_parse_money_overflow() {
    use offboard::platform::upwork::api::parse_money;
    for text in [
        "92233720368547758.08",
        "92233720368547758.99",
        "-92233720368547758.99",
    ] {
        let result = catch_unwind(|| parse_money(text));
        assert!(result.is_ok(), "parse_money({text:?}) panicked");
    }
    let input = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fuzz/corpus/api_mapping/regression-parse-money-overflow.json"),
    )
    .unwrap_or_default();
    assert!(!input.is_empty());
}
