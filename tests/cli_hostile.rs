//! Hostile input on the command line: every malformed file or answer ends
//! in exit status 1 or 2 with a message naming the file (and the line,
//! where there is one), never a panic (status 101), a signal or a hang.

use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

type TestResult = Result<(), Box<dyn std::error::Error>>;

/// Status and stderr+stdout of `offboard ARGS`, killed after a minute (a
/// hang is the failure this guards against, not slowness).
fn run(state: &Path, args: &[&str]) -> Result<(i32, String), Box<dyn std::error::Error>> {
    let mut child = Command::new(env!("CARGO_BIN_EXE_offboard"))
        .arg("--state-dir")
        .arg(state)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()?;
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait()? {
            break status;
        }
        if started.elapsed() > Duration::from_secs(60) {
            child.kill()?;
            return Err(format!("offboard {args:?} hung").into());
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    let mut text = String::new();
    if let Some(mut out) = child.stdout.take() {
        out.read_to_string(&mut text)?;
    }
    if let Some(mut err) = child.stderr.take() {
        err.read_to_string(&mut text)?;
    }
    let code = status
        .code()
        .ok_or(format!("offboard {args:?} died by a signal: {text}"))?;
    Ok((code, text))
}

/// Runs and checks the promise: status 1 or 2 and every `needle` said.
fn refused(state: &Path, args: &[&str], needles: &[&str]) -> TestResult {
    let (code, text) = run(state, args)?;
    assert!(
        code == 1 || code == 2,
        "offboard {args:?} exited {code}:\n{text}"
    );
    assert!(
        !text.contains("panicked"),
        "offboard {args:?} panicked:\n{text}"
    );
    for needle in needles {
        assert!(
            text.contains(needle),
            "offboard {args:?} does not say {needle:?}:\n{text}"
        );
    }
    Ok(())
}

const HEADER: &str = "Date,Transaction ID,Transaction Type,Transaction Summary,Transaction \
Summary Details,Description 1,Description 2,Description 3,Entered Description,Agency,\
Freelancer,Team,Account Name,PO,Ref ID,Amount $,Amount in local currency,Currency,Current \
Balance $,Payment Method";

fn csv_row(id: u32, amount: &str) -> String {
    format!(
        "\"Nov 20, 2026\",{id},Fixed Price,Invoice,,Milestone,,,,,Maya,,Maya,,{id},\"{amount}\",\
         \"{amount}\",USD,\"{amount}\",\n"
    )
}

#[test]
fn hostile_csv_files_name_the_file_and_line() -> TestResult {
    let state = tempfile::tempdir()?;
    let dir = tempfile::tempdir()?;
    let write = |name: &str, bytes: &[u8]| -> Result<String, std::io::Error> {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes)?;
        Ok(path.to_string_lossy().into_owned())
    };
    let overflow = format!(
        "{HEADER}\n{}{}",
        csv_row(1, "90,000,000,000,000,000.00"),
        csv_row(2, "90,000,000,000,000,000.00")
    );
    let cases: Vec<(String, Vec<&str>)> = vec![
        (
            write("overflow.csv", overflow.as_bytes())?,
            vec!["overflow.csv", "line"],
        ),
        (
            write("garbage.csv", &[0xff, 0xfe, 0, 159, 146, 150, b'\n', 0])?,
            vec!["garbage.csv"],
        ),
        (write("empty.csv", b"")?, vec!["empty.csv"]),
        (
            write("columns.csv", b"a,b,c\n1,2,3\n")?,
            vec!["columns.csv"],
        ),
        (
            write(
                "quote.csv",
                format!("{HEADER}\n\"Nov 20, 2026,1,Fixed").as_bytes(),
            )?,
            vec!["quote.csv"],
        ),
        (
            write(
                "huge-number.csv",
                format!("{HEADER}\n{}", csv_row(3, "1e999")).as_bytes(),
            )?,
            vec!["huge-number.csv", "line"],
        ),
        (
            dir.path()
                .join("missing.csv")
                .to_string_lossy()
                .into_owned(),
            vec!["missing.csv"],
        ),
    ];
    for (file, needles) in &cases {
        refused(
            state.path(),
            &["review", "--platform", "upwork-csv", "--csv", file],
            needles,
        )?;
    }
    Ok(())
}

#[test]
fn hostile_export_folders_name_the_file() -> TestResult {
    let state = tempfile::tempdir()?;
    let dir = tempfile::tempdir()?;
    let folder = |name: &str, manifest: &[u8]| -> Result<String, std::io::Error> {
        let path = dir.path().join(name);
        std::fs::create_dir(&path)?;
        std::fs::write(path.join("manifest.json"), manifest)?;
        Ok(path.to_string_lossy().into_owned())
    };
    let cases = [
        folder("garbage", &[0xff, 0, 0x7b, 0x22])?,
        folder("truncated", br#"{"offboard_export": 1, "files": [{"path": "a"#)?,
        folder(
            "escape",
            br#"{"format":"offboard-export","version":1,"complete":true,"files":[{"path":"../../etc/passwd","section":"x","bytes":1,"sha256":"00","records":0}]}"#,
        )?,
        folder("numbers", br#"{"complete": true, "files": [{"path": "a", "bytes": -1e400}]}"#)?,
        dir.path().join("no-such-folder").to_string_lossy().into_owned(),
    ];
    for case in &cases {
        let name = Path::new(case)
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let (code, text) = run(state.path(), &["verify", case])?;
        assert!(
            code == 1 || code == 2,
            "verify {name} exited {code}:\n{text}"
        );
        assert!(!text.contains("panicked"), "{text}");
        assert!(
            text.contains("manifest.json") || text.contains(&name),
            "verify {name} names nothing:\n{text}"
        );
    }
    // Exporting into a file, not a folder.
    let file = dir.path().join("a-file");
    std::fs::write(&file, b"x")?;
    refused(
        state.path(),
        &[
            "export",
            "--platform",
            "demo",
            "--account",
            "freelancer",
            "--out",
            &file.to_string_lossy(),
            "--quiet",
        ],
        &["a-file"],
    )?;
    Ok(())
}

#[test]
fn a_damaged_state_file_is_named_and_not_fatal() -> TestResult {
    let state = tempfile::tempdir()?;
    std::fs::write(
        state.path().join("state.json"),
        b"{\"schema_version\": 1, \"progr",
    )?;
    let (code, text) = run(
        state.path(),
        &["review", "--platform", "demo", "--account", "freelancer"],
    )?;
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("state.json"), "{text}");
    // Headless commands only look: the file is left as it was.
    assert_eq!(
        std::fs::read(state.path().join("state.json"))?,
        b"{\"schema_version\": 1, \"progr"
    );
    Ok(())
}

/// A local GraphQL endpoint that answers every request with `body`.
fn hostile_server(status: u16, content_type: &'static str, body: &'static [u8]) -> String {
    let server = match tiny_http::Server::http("127.0.0.1:0") {
        Ok(server) => server,
        Err(e) => panic!("no local server: {e}"),
    };
    let address = format!("http://{}/graphql", server.server_addr());
    std::thread::spawn(move || {
        // Bounded: a few answers per test, then the thread ends with the server.
        for request in server.incoming_requests().take(50) {
            let header =
                tiny_http::Header::from_bytes(&b"Content-Type"[..], content_type.as_bytes());
            let mut response = tiny_http::Response::from_data(body).with_status_code(status);
            if let Ok(header) = header {
                response = response.with_header(header);
            }
            let _ = request.respond(response);
        }
    });
    address
}

#[test]
fn hostile_api_answers_and_endpoints_end_in_a_clear_error() -> TestResult {
    let state = tempfile::tempdir()?;
    let token = state.path().join("token.txt");
    std::fs::write(&token, b"a-test-token")?;
    let token = token.to_string_lossy().into_owned();
    let review = |base: &str| {
        vec![
            "review".to_string(),
            "--platform".into(),
            "upwork".into(),
            "--access-token-file".into(),
            token.clone(),
            "--api-base".into(),
            base.to_string(),
        ]
    };
    let answers: [(u16, &str, &[u8]); 5] = [
        (
            200,
            "text/html",
            b"<html><body>Sorry, you have been blocked</body></html>",
        ),
        (200, "application/json", b"{\"data\": {\"user\": {\"id\": "),
        (
            200,
            "application/json",
            b"{\"data\": null, \"errors\": [{\"message\": \"boom\"}]}",
        ),
        (200, "application/json", b"[1, 2, 3]"),
        (500, "text/html", b"<h1>Internal Server Error</h1>"),
    ];
    for (status, kind, body) in answers {
        let args = review(&hostile_server(status, kind, body));
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        refused(state.path(), &args, &[])?;
    }
    // Never send the token in the clear to another computer, nor read a
    // token file that is not there.
    let args = review("http://10.20.30.40/graphql");
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    refused(state.path(), &args, &["10.20.30.40", "refused", "https"])?;
    refused(
        state.path(),
        &[
            "review",
            "--platform",
            "upwork",
            "--access-token-file",
            &state.path().join("no-token").to_string_lossy(),
        ],
        &["no-token"],
    )?;
    refused(
        state.path(),
        &["review", "--platform", "elsewhere"],
        &["elsewhere"],
    )?;
    Ok(())
}
