//! Guided platforms headless: `offboard questions` lists a questionnaire,
//! and `offboard review --answers FILE` reviews from the answers, with an
//! error naming the question when an answer does not fit.

use std::path::Path;
use std::process::{Command, Output};

type TestResult = Result<(), Box<dyn std::error::Error>>;

fn offboard(state_dir: &Path, args: &[&str]) -> std::io::Result<Output> {
    Command::new(env!("CARGO_BIN_EXE_offboard"))
        .arg("--state-dir")
        .arg(state_dir)
        .args(args)
        .output()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn questions_list_ids_texts_and_kinds_as_json() -> TestResult {
    let state = tempfile::tempdir()?;
    for platform in ["fiverr", "freelancer-com"] {
        let out = offboard(
            state.path(),
            &["questions", "--platform", platform, "--json"],
        )?;
        assert!(out.status.success(), "{}", text(&out.stderr));
        let list: serde_json::Value = serde_json::from_slice(&out.stdout)?;
        let questions = list.as_array().ok_or("not a list")?;
        assert!(questions.len() >= 5, "{platform}: {list}");
        for q in questions {
            assert!(q["id"].as_str().is_some_and(|id| !id.is_empty()), "{q}");
            assert!(q["text"].as_str().is_some_and(|t| t.ends_with('?')), "{q}");
            let kind = q["kind"].as_str().unwrap_or_default();
            assert!(
                ["yes-no", "amount", "date", "count"].contains(&kind),
                "{platform}: kind {kind}"
            );
            assert!(
                q["asked_of"].as_array().is_some_and(|a| !a.is_empty()),
                "{q}"
            );
        }
    }
    // Plain text for people, and a clear refusal for a platform that reads
    // its own data.
    let out = offboard(state.path(), &["questions", "--platform", "fiverr"])?;
    assert!(text(&out.stdout).contains("available-balance (amount; Seller, Buyer)"));
    let out = offboard(state.path(), &["questions", "--platform", "upwork"])?;
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("guided platforms: fiverr, freelancer-com"));
    Ok(())
}

#[test]
fn a_review_from_answers_names_blockers_and_the_earliest_date() -> TestResult {
    let state = tempfile::tempdir()?;
    let answers = state.path().join("answers.json");
    std::fs::write(
        &answers,
        r#"{ "available-balance": "80.00", "clearing-amount": "245.50",
             "clearing-date": "2099-01-15", "active-orders": 0, "under-review": false }"#,
    )?;
    let answers = answers.to_string_lossy().into_owned();
    let args = [
        "review",
        "--platform",
        "fiverr",
        "--account",
        "fiverr-seller",
        "--username",
        "maya_k",
        "--answers",
        answers.as_str(),
        "--json",
    ];
    let out = offboard(state.path(), &args)?;
    assert!(out.status.success(), "{}", text(&out.stderr));
    let review: serde_json::Value = serde_json::from_slice(&out.stdout)?;
    assert_eq!(review["platform"], "fiverr");
    assert_eq!(review["account"]["username"], "maya_k");
    assert_eq!(review["blockers"], 2);
    assert_eq!(review["balances"]["available"], "80.00");
    assert_eq!(review["balances"]["pending"], "245.50");
    assert!(
        review["earliest_close"]
            .as_str()
            .is_some_and(|d| d.starts_with("2099-01-15")),
        "{review}"
    );
    let ids: Vec<&str> = review["items"]
        .as_array()
        .ok_or("no items")?
        .iter()
        .filter_map(|i| i["id"].as_str())
        .collect();
    assert!(ids.contains(&"rule:fiverr-available-balance"), "{ids:?}");
    assert!(ids.contains(&"rule:fiverr-pending-clearance"), "{ids:?}");
    assert!(!ids.contains(&"rule:fiverr-active-orders"), "{ids:?}");

    // The same as text names the platform's word for the kind.
    let out = offboard(state.path(), &args[..args.len() - 1])?;
    let shown = text(&out.stdout);
    assert!(shown.contains("Seller"), "{shown}");
    assert!(
        shown.contains("$80.00 available in your Fiverr account"),
        "{shown}"
    );
    Ok(())
}

#[test]
fn a_bad_answers_file_gets_an_error_naming_the_question() -> TestResult {
    let state = tempfile::tempdir()?;
    let file = state.path().join("answers.json");
    let review = |contents: &str| -> Result<(Option<i32>, String), Box<dyn std::error::Error>> {
        std::fs::write(&file, contents)?;
        let out = offboard(
            state.path(),
            &[
                "review",
                "--platform",
                "freelancer-com",
                "--account",
                "freelancer-com-employer",
                "--answers",
                &file.to_string_lossy(),
            ],
        )?;
        Ok((out.status.code(), text(&out.stderr)))
    };
    let (code, message) = review(r#"{ "account-balance": "lots" }"#)?;
    assert_eq!(code, Some(1));
    assert!(
        message.contains("\"account-balance\"") && message.contains("an amount such as"),
        "{message}"
    );
    let (code, message) = review(r#"{ "account-balanse": "5" }"#)?;
    assert_eq!(code, Some(1));
    assert!(
        message.contains("\"account-balanse\" is not a question")
            && message.contains("account-balance"),
        "{message}"
    );
    let (code, message) = review("[1, 2]")?;
    assert_eq!(code, Some(1));
    assert!(
        message.contains("not a JSON object of question id to answer"),
        "{message}"
    );
    let out = offboard(state.path(), &["review", "--platform", "fiverr"])?;
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("needs --answers FILE"),
        "{}",
        text(&out.stderr)
    );
    Ok(())
}
