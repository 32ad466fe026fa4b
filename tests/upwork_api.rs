//! Upwork's GraphQL API against a local stand-in server: the whole fetch of
//! an account, paging, month-by-month transactions, and every failure a real
//! account meets (data with errors, 429, 5xx, timeouts, expired tokens, 403,
//! malformed bodies, cancel). The query documents are validated against the
//! real schema in `../shared/upwork/schema.graphql` where it is present.

#[path = "support/upwork_server.rs"]
mod upwork_server;

use apollo_compiler::executable::{Selection, SelectionSet};
use apollo_compiler::schema::ExtendedType;
use apollo_compiler::validation::Valid;
use apollo_compiler::{ExecutableDocument, Schema};
use offboard::model::account::{
    AccountKind, ContractKind, ContractStatus, JobPostStatus, OfferStatus, PaymentStatus,
    ProposalStatus,
};
use offboard::model::money::Money;
use offboard::model::review::assess;
use offboard::platform::upwork::api::{
    ApiConfig, ApiError, FetchProgress, QUERIES, StaticToken, TokenSource, UpworkApi,
    UpworkPlatform,
};
use offboard::platform::{Platform, PlatformError};
use serde_json::{Value, json};
use std::collections::{BTreeSet, HashSet};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};
use upwork_server::{Failure, Fixture, Size, TOKEN, TestServer};

const FREELANCER: &str = "1181921839937785857";
const CLIENT: &str = "1181921839941980160";

fn config(url: &str) -> ApiConfig {
    ApiConfig {
        base_url: url.to_string(),
        requests_per_second: 1_000.0,
        connect_timeout: Duration::from_secs(2),
        read_timeout: Duration::from_secs(5),
        max_retries: 3,
        backoff_base: Duration::from_millis(20),
        backoff_max: Duration::from_secs(2),
        ..ApiConfig::default()
    }
}

fn api_with(config: ApiConfig, tokens: Arc<dyn TokenSource>) -> UpworkApi {
    UpworkApi::new(config, tokens).expect("client")
}

fn api(server: &TestServer) -> UpworkApi {
    api_with(config(&server.url), Arc::new(StaticToken(TOKEN.into())))
}

fn connect(server: &TestServer) -> UpworkPlatform {
    UpworkPlatform::connect(api(server), server.fixture().today).expect("connect")
}

fn small() -> TestServer {
    TestServer::start(Fixture::freelancer(Size::small()))
}

// ------------------------------------------------------------------ schema

fn schema_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/upwork/schema.graphql")
}

/// The real schema, parsed once; `None` (with a note) where it is absent.
fn schema() -> Option<&'static Valid<Schema>> {
    static SCHEMA: OnceLock<Option<Valid<Schema>>> = OnceLock::new();
    SCHEMA
        .get_or_init(|| {
            let path = schema_path();
            let Ok(text) = std::fs::read_to_string(&path) else {
                eprintln!("skipping the schema checks: {} is absent", path.display());
                return None;
            };
            Some(match Schema::parse_and_validate(text, &path) {
                Ok(schema) => schema,
                // An introspection dump may break a rule or two of SDL
                // validation; its types are still what the API serves.
                Err(with_errors) => Valid::assume_valid(with_errors.partial),
            })
        })
        .as_ref()
}

#[test]
fn query_documents_validate_against_the_schema() {
    let Some(schema) = schema() else {
        return;
    };
    let mut failures = Vec::new();
    for q in QUERIES {
        if let Err(e) = ExecutableDocument::parse_and_validate(schema, q.document, q.operation) {
            failures.push(format!("{}:\n{}", q.operation, e.errors));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));

    // Every file in queries/ is sent by some query, so none goes stale.
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src/platform/upwork/queries");
    for entry in std::fs::read_dir(&dir).expect("queries folder") {
        let path = entry.expect("entry").path();
        let text = std::fs::read_to_string(&path).expect("query file");
        assert!(
            QUERIES.iter().any(|q| q.document.contains(text.trim())),
            "{} is not used by any query",
            path.display()
        );
    }
}

#[test]
fn a_document_with_an_unknown_field_fails_validation() {
    let Some(schema) = schema() else {
        return;
    };
    let bad = "query Bad { user { id nickname } }";
    let errors = ExecutableDocument::parse_and_validate(schema, bad, "bad.graphql")
        .expect_err("an unknown field must fail")
        .errors
        .to_string();
    assert!(errors.contains("nickname"), "{errors}");
}

/// Checks that `value` has exactly the fields `selection` asks for, with
/// nulls, lists, objects and scalars where the schema puts them.
fn check_shape(
    schema: &Schema,
    doc: &ExecutableDocument,
    selection: &SelectionSet,
    value: &Value,
    path: &str,
    problems: &mut Vec<String>,
) {
    let Some(object) = value.as_object() else {
        problems.push(format!("{path}: expected an object, got {value}"));
        return;
    };
    let mut expected = HashSet::new();
    let mut fields = Vec::new();
    collect_fields(doc, selection, &mut fields);
    for field in fields {
        let key = field.response_key().as_str().to_string();
        expected.insert(key.clone());
        let here = format!("{path}.{key}");
        match object.get(&key) {
            None => problems.push(format!("{here}: missing")),
            Some(v) => check_value(
                schema,
                doc,
                field.ty(),
                &field.selection_set,
                v,
                &here,
                problems,
            ),
        }
    }
    for key in object.keys() {
        if !expected.contains(key) {
            problems.push(format!("{path}.{key}: not asked for"));
        }
    }
}

fn collect_fields<'a>(
    doc: &'a ExecutableDocument,
    selection: &'a SelectionSet,
    out: &mut Vec<&'a apollo_compiler::executable::Field>,
) {
    for s in &selection.selections {
        match s {
            Selection::Field(f) => out.push(f),
            Selection::FragmentSpread(spread) => {
                if let Some(fragment) = doc.fragments.get(&spread.fragment_name) {
                    collect_fields(doc, &fragment.selection_set, out);
                }
            }
            Selection::InlineFragment(inline) => collect_fields(doc, &inline.selection_set, out),
        }
    }
}

fn check_value(
    schema: &Schema,
    doc: &ExecutableDocument,
    ty: &apollo_compiler::ast::Type,
    selection: &SelectionSet,
    value: &Value,
    path: &str,
    problems: &mut Vec<String>,
) {
    if value.is_null() {
        if ty.is_non_null() {
            problems.push(format!("{path}: null for non-null {ty}"));
        }
        return;
    }
    if ty.is_list() {
        match value.as_array() {
            Some(items) => {
                for (i, item) in items.iter().enumerate() {
                    check_value(
                        schema,
                        doc,
                        ty.item_type(),
                        selection,
                        item,
                        &format!("{path}[{i}]"),
                        problems,
                    );
                }
            }
            None => problems.push(format!("{path}: expected a list for {ty}")),
        }
        return;
    }
    let name = ty.inner_named_type();
    match schema.types.get(name) {
        Some(ExtendedType::Scalar(_)) => {
            let ok = match name.as_str() {
                "String" | "ID" => {
                    value.is_string() || (name.as_str() == "ID" && value.is_number())
                }
                "Int" => value.is_i64() || value.is_u64(),
                "Float" => value.is_number(),
                "Boolean" => value.is_boolean(),
                _ => !value.is_object() && !value.is_array(),
            };
            if !ok {
                problems.push(format!("{path}: {value} is not a {name}"));
            }
        }
        Some(ExtendedType::Enum(e)) => {
            let known = value
                .as_str()
                .is_some_and(|v| e.values.keys().any(|k| k.as_str() == v));
            if !known {
                problems.push(format!("{path}: {value} is not a value of {name}"));
            }
        }
        Some(_) => check_shape(schema, doc, selection, value, path, problems),
        None => problems.push(format!("{path}: unknown type {name}")),
    }
}

/// Every JSON answer the server sent has the shape of its query document.
fn assert_answers_match_the_schema(server: &TestServer) {
    let Some(schema) = schema() else {
        return;
    };
    let mut problems = Vec::new();
    let mut checked = BTreeSet::new();
    for seen in server.seen() {
        let Some(answer) = &seen.answer else { continue };
        let Some(data) = answer.get("data").filter(|d| d.is_object()) else {
            continue;
        };
        let query = QUERIES
            .iter()
            .find(|q| q.operation == seen.operation)
            .expect("the server only answers known operations");
        let doc = ExecutableDocument::parse_and_validate(schema, query.document, query.operation)
            .expect("valid document");
        let operation = doc
            .operations
            .get(Some(query.operation))
            .expect("operation");
        check_shape(
            schema,
            &doc,
            &operation.selection_set,
            data,
            query.operation,
            &mut problems,
        );
        checked.insert(seen.operation.clone());
    }
    problems.sort();
    problems.dedup();
    assert!(
        problems.is_empty(),
        "answers off the schema:\n{}",
        problems.join("\n")
    );
    assert!(!checked.is_empty());
}

#[test]
fn the_shape_check_catches_answers_off_the_schema() {
    let Some(schema) = schema() else {
        return;
    };
    let query = QUERIES
        .iter()
        .find(|q| q.operation == "Organization")
        .unwrap();
    let doc =
        ExecutableDocument::parse_and_validate(schema, query.document, query.operation).unwrap();
    let operation = doc.operations.get(Some("Organization")).unwrap();
    let good = json!({ "organization": {
        "id": "1", "name": "Okafor Digital", "creationDate": "2025-06-02T00:00:00+0000",
        "type": "BUSINESS", "legacyType": "CLIENT",
        "flag": { "client": true, "vendor": false, "agency": false, "individual": false },
    }});
    let mut problems = Vec::new();
    check_shape(
        schema,
        &doc,
        &operation.selection_set,
        &good,
        "Organization",
        &mut problems,
    );
    assert!(problems.is_empty(), "{problems:?}");

    let mut bad = good.clone();
    bad["organization"]["id"] = Value::Null; // ID! may not be null
    bad["organization"]["type"] = json!("PARTNERSHIP"); // not an OrganizationType
    bad["organization"]["nickname"] = json!("x"); // not asked for
    bad["organization"]["flag"]
        .as_object_mut()
        .unwrap()
        .remove("agency"); // missing
    bad["organization"]["name"] = json!(7); // not a String
    check_shape(
        schema,
        &doc,
        &operation.selection_set,
        &bad,
        "Organization",
        &mut problems,
    );
    problems.sort();
    assert_eq!(
        problems,
        [
            "Organization.organization.flag.agency: missing",
            "Organization.organization.id: null for non-null ID!",
            "Organization.organization.name: 7 is not a String",
            "Organization.organization.nickname: not asked for",
            "Organization.organization.type: \"PARTNERSHIP\" is not a value of OrganizationType",
        ]
    );
}

// ------------------------------------------------------------------ the whole fetch

#[test]
fn whole_fetch_of_a_freelancer_account() {
    let server = small();
    let fx = server.fixture().clone();
    let org = fx.org(FREELANCER).expect("org").clone();
    let platform = connect(&server);
    let progress: Arc<Mutex<Vec<FetchProgress>>> = Arc::default();
    {
        let progress = progress.clone();
        platform.set_progress(Arc::new(move |p| progress.lock().unwrap().push(p)));
    }

    // Accounts: one per organisation, of the right kind.
    let accounts = platform.accounts().unwrap();
    assert_eq!(accounts.len(), 2);
    let me = &accounts[0];
    assert_eq!(me.id, FREELANCER);
    assert_eq!(me.kind, AccountKind::Freelancer);
    assert_eq!(me.username, "maya_okafor");
    assert_eq!(me.display_name, "Maya Okafor");
    assert_eq!(me.email, "maya.okafor@example.com");
    assert_eq!(me.member_since, org.created);
    assert_eq!(accounts[1].kind, AccountKind::Client);
    assert_eq!(accounts[1].display_name, "Maya Okafor (Okafor Digital)");

    // Profile and aggregates.
    let profile = platform.profile(FREELANCER).unwrap();
    assert_eq!(profile.account, *me);
    assert!(profile.title.starts_with("Full-Stack Web Developer"));
    assert_eq!(profile.hourly_rate, Some(Money::from_dollars(75)));
    assert_eq!(profile.skills.len(), 4);
    assert_eq!(profile.job_success_score, Some(96));
    assert_eq!(profile.location, "Nigeria");
    let earned: i64 = org.contracts.iter().map(|c| c.charged_cents).sum();
    assert_eq!(profile.total_earnings, Money::from_cents(earned));

    // The review: open contracts, open proposals, pending offers, money.
    let work = platform.pending_work(FREELANCER).unwrap();
    assert_eq!(work.open_contracts.len(), 3);
    assert!(work.open_contracts.iter().all(|c| c.is_open()));
    let open_proposals = org
        .proposals
        .iter()
        .filter(|p| ["Accepted", "Activated", "Pending", "Offered"].contains(&p.status))
        .count();
    assert_eq!(work.open_proposals.len(), open_proposals);
    assert!(
        work.open_proposals
            .iter()
            .all(|p| p.status == ProposalStatus::Submitted)
    );
    assert_eq!(work.pending_offers.len(), 1);
    assert!(
        work.team.is_empty(),
        "the owner is not a team member to remove"
    );
    let in_review: i64 = org
        .transactions
        .iter()
        .filter(|t| t.payment_status == "In Review")
        .map(|t| t.amount_cents)
        .sum();
    let pending: i64 = org
        .transactions
        .iter()
        .filter(|t| t.payment_status == "Pending")
        .map(|t| t.amount_cents)
        .sum();
    let paid: i64 = org
        .transactions
        .iter()
        .filter(|t| t.payment_status == "Paid")
        .map(|t| t.amount_cents)
        .sum();
    assert_eq!(work.balances.in_review, Money::from_cents(in_review));
    assert_eq!(work.balances.pending, Money::from_cents(pending));
    assert_eq!(work.balances.available, Money::from_cents(paid));
    assert!(
        work.unsettled
            .iter()
            .all(|t| t.status != PaymentStatus::Available)
    );
    let escrow: i64 = org
        .contracts
        .iter()
        .filter(|c| c.status != "CLOSED")
        .flat_map(|c| &c.milestones)
        .filter(|m| m.state == "Active")
        .map(|m| m.amount_cents)
        .sum();
    assert_eq!(work.balances.escrow, Money::from_cents(escrow));
    let review = assess(
        &offboard::platform::upwork::profile::UPWORK_API,
        &work,
        fx.today,
    );
    assert!(review.blocker_count() > 3 + open_proposals);
    assert!(review.earliest_close > fx.today);

    // The export: every collection, streamed.
    let contracts: Vec<_> = platform
        .contracts(FREELANCER)
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(contracts.len(), org.contracts.len());
    for (got, want) in contracts.iter().zip(&org.contracts) {
        assert_eq!(got.id, want.id);
        assert_eq!(got.title, want.title);
        assert_eq!(got.counterparty, want.manager);
        assert_eq!(
            got.counterparty_company.as_deref(),
            Some(want.client_org.1.as_str())
        );
        assert_eq!(got.kind == ContractKind::Hourly, want.hourly);
        assert_eq!(
            got.total_billed,
            Money::from_cents(want.charged_cents),
            "{}",
            want.id
        );
        assert_eq!(got.started, want.start);
        assert_eq!(got.ended, want.end);
        if want.hourly {
            assert_eq!(got.hourly_rate, Some(Money::from_cents(want.rate_cents)));
            assert_eq!(got.hours_billed, Some(want.hours));
            assert_eq!(got.weekly_limit_hours, want.weekly_limit);
        } else {
            assert_eq!(got.milestones.len(), want.milestones.len());
        }
    }
    assert_eq!(
        contracts
            .iter()
            .filter(|c| c.status == ContractStatus::Paused)
            .count(),
        1
    );
    let proposals: Vec<_> = platform
        .proposals(FREELANCER)
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(proposals.len(), org.proposals.len());
    let offers: Vec<_> = platform
        .offers(FREELANCER)
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(offers.len(), org.offers.len());
    assert_eq!(offers[0].status, OfferStatus::Pending);
    assert_eq!(offers[0].counterparty, org.offers[0].counterparty.1);
    assert_eq!(platform.job_posts(FREELANCER).unwrap().count(), 0);
    assert_eq!(platform.team(FREELANCER).unwrap().count(), 0);
    assert_eq!(platform.disputes(FREELANCER).unwrap().count(), 0);
    let transactions: Vec<_> = platform
        .transactions(FREELANCER)
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(transactions.len(), org.transactions.len());
    for (got, want) in transactions.iter().zip(&org.transactions) {
        assert_eq!(got.id, want.id);
        assert_eq!(got.date, want.date);
        assert_eq!(got.amount, Money::from_cents(want.amount_cents));
        assert_eq!(got.balance_after, Money::from_cents(want.balance_cents));
    }
    let feedback: Vec<_> = platform
        .feedback(FREELANCER)
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let with_feedback = org
        .contracts
        .iter()
        .filter(|c| c.feedback_received.is_some() || c.feedback_given.is_some())
        .count();
    assert_eq!(feedback.len(), with_feedback);
    assert!(
        feedback.iter().all(|f| f.counterparty != "the client"),
        "clients are named"
    );
    let rooms: Vec<_> = platform
        .rooms(FREELANCER)
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let ids: HashSet<&str> = rooms.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(ids.len(), rooms.len(), "each room once");
    assert_eq!(
        rooms.len(),
        org.rooms.len(),
        "hidden, left and interview rooms included"
    );
    for room in &rooms {
        let want = org.rooms.iter().find(|r| r.id == room.id).unwrap();
        assert_eq!(room.messages.len(), want.stories.len());
        assert!(room.messages.windows(2).all(|w| w[0].sent <= w[1].sent));
        assert_eq!(room.contract_id, want.contract_id);
    }
    assert!(
        rooms
            .iter()
            .flat_map(|r| &r.messages)
            .any(|m| m.attachments == ["spec-v4.pdf"])
    );

    // The counts shown before exporting agree with what was exported.
    let counts = platform.counts(FREELANCER).unwrap();
    assert_eq!(counts.contracts, contracts.len() as u64);
    assert_eq!(counts.proposals, proposals.len() as u64);
    assert_eq!(counts.offers, offers.len() as u64);
    assert_eq!(counts.transactions, transactions.len() as u64);
    assert_eq!(counts.feedback, feedback.len() as u64);
    assert_eq!(counts.rooms, rooms.len() as u64);
    let messages: usize = rooms.iter().map(|r| r.messages.len()).sum();
    assert_eq!(counts.messages, messages as u64);

    // Every request but the first names the organisation; progress came.
    let seen = server.seen();
    assert!(seen.iter().all(|s| s.token.as_deref() == Some(TOKEN)));
    for s in &seen {
        match s.operation.as_str() {
            "Session" => assert_eq!(s.tenant, None),
            "Organization" => assert!(s.tenant.is_some()),
            _ => assert_eq!(s.tenant.as_deref(), Some(FREELANCER), "{}", s.operation),
        }
    }
    assert_eq!(platform.requests_made(), seen.len() as u64);
    let progress = progress.lock().unwrap();
    assert_eq!(
        progress.len() as u64,
        platform.requests_made() - 3,
        "after connect, every request"
    );
    let last = progress.last().unwrap();
    assert_eq!(last.queries, platform.requests_made());
    assert!(last.records > 0);
    assert!(
        progress
            .iter()
            .any(|p| p.current.starts_with("Transactions, "))
    );
    assert_answers_match_the_schema(&server);
}

#[test]
fn a_client_account_reads_contracts_by_id_job_posts_and_team() {
    let server = small();
    let platform = connect(&server);
    let work = platform.pending_work(CLIENT).unwrap();
    assert_eq!(work.account.kind, AccountKind::Client);
    // vendorContracts is not for clients: contractList with ids from rooms
    // and offers.
    assert!(server.seen_for("VendorContracts").is_empty());
    assert_eq!(work.open_contracts.len(), 1);
    assert_eq!(work.open_contracts[0].counterparty, "Dana Kim");
    assert_eq!(work.pending_offers.len(), 1);
    assert_eq!(work.open_job_posts.len(), 1);
    assert_eq!(work.open_job_posts[0].status, JobPostStatus::Open);
    assert_eq!(work.team.len(), 1);
    assert_eq!(work.team[0].name, "Chen Wu");
    assert_eq!(work.balances.owed, Money::from_cents(17_500 + 74_000));
    assert!(work.open_proposals.is_empty());
    let contracts: Vec<_> = platform
        .contracts(CLIENT)
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(
        contracts.len(),
        1,
        "only the contract a room or offer names"
    );
    let lists = server.seen_for("ContractList");
    assert!(!lists.is_empty());
    assert!(
        lists
            .iter()
            .all(|s| s.variables["ids"].as_array().unwrap().len() <= 10)
    );
    assert_eq!(platform.job_posts(CLIENT).unwrap().count(), 2);
    let profile = platform.profile(CLIENT).unwrap();
    assert_eq!(profile.title, "Okafor Digital");
    assert_eq!(profile.location, "Lagos, Nigeria");
    assert_answers_match_the_schema(&server);
}

#[test]
fn empty_vendor_contracts_fall_back_to_contract_list_with_ids_from_rooms_and_work_history() {
    let mut fixture = Fixture::freelancer(Size::small());
    fixture.org_mut(FREELANCER).vendor_contracts_empty = true;
    let server = TestServer::start(fixture);
    let platform = connect(&server);
    let contracts: Vec<_> = platform
        .contracts(FREELANCER)
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let org = server.fixture().org(FREELANCER).unwrap();
    let all: BTreeSet<&str> = org.contracts.iter().map(|c| c.id.as_str()).collect();
    let got: BTreeSet<&str> = contracts.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(got, all);
    assert_eq!(contracts.len(), all.len(), "each contract once");
    assert_eq!(server.seen_for("VendorContracts").len(), 1);
    // Four batches of at most 10 ids a request, through aliases.
    let batched = server.seen_for("ContractListBatch");
    assert_eq!(batched.len(), all.len().div_ceil(40));
    for seen in &batched {
        for k in 0..4 {
            let ids = seen.variables[format!("ids{k}")].as_array().unwrap();
            assert!(!ids.is_empty() && ids.len() <= 10, "{ids:?}");
        }
    }
}

// ------------------------------------------------------------------ paging

#[test]
fn collections_are_fetched_page_by_page_and_lazily() {
    let server = small();
    let platform = connect(&server);
    let org = server.fixture().org(FREELANCER).unwrap().clone();

    // Taking the first contract fetches the work-history totals and one page.
    let mut stream = platform.contracts(FREELANCER).unwrap();
    stream.next().unwrap().unwrap();
    assert_eq!(server.seen_for("VendorContracts").len(), 1);
    let rest = stream.count();
    assert_eq!(rest + 1, org.contracts.len());
    let offsets: Vec<u64> = server
        .seen_for("VendorContracts")
        .iter()
        .map(|s| s.variables["paging"]["offset"].as_u64().unwrap())
        .collect();
    assert_eq!(offsets, [0, 50]);

    // Proposals: one status per query, pages of at most 40.
    let _ = platform.proposals(FREELANCER).unwrap().count();
    let proposals = server.seen_for("VendorProposals");
    let statuses: BTreeSet<&str> = proposals
        .iter()
        .map(|s| s.variables["filter"]["status_eq"].as_str().unwrap())
        .collect();
    assert_eq!(statuses.len(), 8);
    assert!(
        proposals
            .iter()
            .all(|s| s.variables["pagination"]["first"].as_u64().unwrap() <= 40)
    );

    // Rooms: several filter passes, and rooms past the first page.
    let _ = platform.rooms(FREELANCER).unwrap().count();
    let passes: BTreeSet<String> = server
        .seen_for("RoomList")
        .iter()
        .map(|s| s.variables["filter"].to_string())
        .collect();
    assert!(passes.len() >= 4, "{passes:?}");
    assert!(passes.iter().all(|p| p.contains("includeHidden_eq")));
    let stories = server.reads("RoomStories");
    assert_eq!(
        stories.len(),
        org.rooms.len(),
        "one page of stories per small room"
    );
    // Ten rooms' first pages a request, through aliases.
    assert_eq!(
        server.seen_for("RoomStoriesBatch").len() + server.seen_for("RoomStories").len(),
        org.rooms.len().div_ceil(10)
    );
}

#[test]
fn long_rooms_page_through_their_stories() {
    let mut size = Size::small();
    size.rooms = 2;
    size.messages_per_room = 120;
    let server = TestServer::start(Fixture::freelancer(size));
    let platform = connect(&server);
    let rooms: Vec<_> = platform
        .rooms(FREELANCER)
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(rooms.len(), 2);
    assert!(rooms.iter().all(|r| r.messages.len() == 120));
    assert_eq!(server.reads("RoomStories").len(), 2 * 3);
    // Both first pages in one request, the later pages room by room.
    assert_eq!(server.seen_for("RoomStoriesBatch").len(), 1);
    assert_eq!(server.seen_for("RoomStories").len(), 2 * 2);
}

#[test]
fn transactions_are_asked_for_month_by_month_from_the_first_month() {
    let server = small();
    let platform = connect(&server);
    let transactions: Vec<_> = platform
        .transactions(FREELANCER)
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let fx = server.fixture();
    assert_eq!(
        transactions.len(),
        fx.org(FREELANCER).unwrap().transactions.len()
    );
    assert!(transactions.windows(2).all(|w| w[0].date <= w[1].date));
    let months = server.reads("TransactionHistory");
    let history = upwork_server::months_of_history(fx, FREELANCER);
    assert_eq!(months.len() as u32, history);
    // Six months a request, through aliases.
    let requests = server.seen_for("TransactionHistoryBatch").len()
        + server.seen_for("TransactionHistory").len();
    assert_eq!(requests as u32, history.div_ceil(6));
    let ranges: Vec<(String, String)> = months
        .iter()
        .map(|s| {
            let r = &s["filter"]["transactionDateTime_bt"];
            (
                r["rangeStart"].as_str().unwrap().to_string(),
                r["rangeEnd"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    // Explicit times: a month's last day is in whichever way a bare date
    // would be read.
    assert_eq!(
        ranges[0],
        (
            "2024-11-01T00:00:00".to_string(),
            "2024-11-30T23:59:59".to_string()
        )
    );
    assert_eq!(
        ranges[3],
        (
            "2025-02-01T00:00:00".to_string(),
            "2025-02-28T23:59:59".to_string()
        )
    );
    assert_eq!(ranges.last().unwrap().0, "2026-03-01T00:00:00");
    assert_eq!(ranges.last().unwrap().1, "2026-03-31T23:59:59");
    for w in ranges.windows(2) {
        let end = chrono::NaiveDate::parse_from_str(&w[0].1[..10], "%Y-%m-%d").unwrap();
        let next = chrono::NaiveDate::parse_from_str(&w[1].0[..10], "%Y-%m-%d").unwrap();
        assert_eq!(end.succ_opt().unwrap(), next, "months follow each other");
    }
    assert_eq!(server.seen_for("AccountingEntity").len(), 1);
    assert!(
        months
            .iter()
            .all(|s| s["filter"]["aceIds_any"][0] == "ace-1181921839937785857")
    );
}

// ------------------------------------------------------------------ robustness

#[test]
fn data_with_errors_keeps_the_data_and_warns() {
    let server = small();
    let platform = connect(&server);
    server.fail_next(
        "VendorContracts",
        Failure::DataWithErrors {
            message: "User 1181921839933591999 not found".into(),
            null_path: vec!["vendorContracts", "contracts"],
        },
    );
    let contracts: Vec<_> = platform.contracts(FREELANCER).unwrap().collect();
    assert!(contracts.iter().all(Result::is_ok));
    let total = server.fixture().org(FREELANCER).unwrap().contracts.len();
    assert_eq!(
        contracts.len(),
        total,
        "the nulled contract is read again by id (the work history names it), the rest kept"
    );
    let warnings = platform.warnings();
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("User 1181921839933591999 not found")
                && w.contains("vendorContracts.contracts.0")),
        "{warnings:?}"
    );
}

#[test]
fn too_many_requests_waits_for_retry_after_then_succeeds() {
    let server = small();
    let api = api(&server);
    server.fail_next(
        "AccountingEntity",
        Failure::Status {
            code: 429,
            retry_after: Some("1".into()),
        },
    );
    let started = Instant::now();
    let answer = api
        .query(&accounting_entity(), json!({}), Some(FREELANCER))
        .expect("retried");
    let waited = started.elapsed();
    assert_eq!(
        answer.data["accountingEntity"]["id"],
        "ace-1181921839937785857"
    );
    assert!(waited >= Duration::from_millis(1_000), "{waited:?}");
    assert!(waited < Duration::from_millis(1_900), "{waited:?}");
    assert_eq!(api.requests_made(), 2);
    let seen = server.seen_for("AccountingEntity");
    assert_eq!(
        seen.iter().map(|s| s.status).collect::<Vec<_>>(),
        [429, 200]
    );
}

#[test]
fn retry_after_as_an_http_date_is_honoured() {
    let server = small();
    let api = api(&server);
    let at = chrono::Utc::now() + chrono::Duration::seconds(2);
    server.fail_next(
        "AccountingEntity",
        Failure::Status {
            code: 503,
            retry_after: Some(at.format("%a, %d %b %Y %H:%M:%S GMT").to_string()),
        },
    );
    let started = Instant::now();
    api.query(&accounting_entity(), json!({}), Some(FREELANCER))
        .expect("retried");
    // The date has whole seconds: at least one second, at most two.
    assert!(
        started.elapsed() >= Duration::from_millis(900),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn server_errors_are_retried_with_backoff_then_succeed() {
    let server = small();
    let api = api(&server);
    server.fail_next(
        "AccountingEntity",
        Failure::Status {
            code: 500,
            retry_after: None,
        },
    );
    server.fail_next(
        "AccountingEntity",
        Failure::Status {
            code: 502,
            retry_after: None,
        },
    );
    api.query(&accounting_entity(), json!({}), Some(FREELANCER))
        .expect("retried");
    let seen = server.seen_for("AccountingEntity");
    assert_eq!(
        seen.iter().map(|s| s.status).collect::<Vec<_>>(),
        [500, 502, 200]
    );
    // Backoff grows: the second wait is longer than the first's fixed half.
    let gap = |a: usize, b: usize| seen[b].at - seen[a].at;
    assert!(gap(0, 1) >= Duration::from_millis(10), "{:?}", gap(0, 1));
    assert!(gap(1, 2) >= Duration::from_millis(20), "{:?}", gap(1, 2));

    // Past max_retries the status is the error, naming the query.
    for _ in 0..4 {
        server.fail_next(
            "AccountingEntity",
            Failure::Status {
                code: 503,
                retry_after: None,
            },
        );
    }
    match api.query(&accounting_entity(), json!({}), Some(FREELANCER)) {
        Err(ApiError::Http { status: 503, query }) => assert_eq!(query, "accountingEntity"),
        other => panic!("expected HTTP 503, got {other:?}"),
    }
}

#[test]
fn a_slow_answer_is_a_timeout_naming_the_query() {
    let server = small();
    let mut c = config(&server.url);
    c.read_timeout = Duration::from_millis(300);
    c.max_retries = 1;
    let platform = UpworkPlatform::connect(
        api_with(c, Arc::new(StaticToken(TOKEN.into()))),
        server.fixture().today,
    )
    .expect("connect");
    server.fail_next("RoomList", Failure::Delay(Duration::from_millis(1_500)));
    server.fail_next("RoomList", Failure::Delay(Duration::from_millis(1_500)));
    let started = Instant::now();
    let first = platform.rooms(FREELANCER).unwrap().next().unwrap();
    match first {
        Err(PlatformError::Refused(message)) => {
            assert!(
                message.contains("roomList") && message.contains("in time"),
                "{message}"
            )
        }
        other => panic!("expected a timeout, got {other:?}"),
    }
    assert!(
        started.elapsed() < Duration::from_millis(1_400),
        "{:?}",
        started.elapsed()
    );

    // The client itself says which query timed out.
    server.fail_next(
        "AccountingEntity",
        Failure::Delay(Duration::from_millis(1_500)),
    );
    server.fail_next(
        "AccountingEntity",
        Failure::Delay(Duration::from_millis(1_500)),
    );
    match platform
        .api()
        .query(&accounting_entity(), json!({}), Some(FREELANCER))
    {
        Err(ApiError::Timeout { query }) => assert_eq!(query, "accountingEntity"),
        other => panic!("expected a timeout, got {other:?}"),
    }
}

/// A token that has expired: refresh gives the next one.
struct Expiring {
    current: Mutex<String>,
    next: String,
    refreshes: AtomicU32,
}

impl TokenSource for Expiring {
    fn access_token(&self) -> Result<String, ApiError> {
        Ok(self.current.lock().unwrap().clone())
    }

    fn refresh(&self) -> Result<String, ApiError> {
        self.refreshes.fetch_add(1, Ordering::SeqCst);
        *self.current.lock().unwrap() = self.next.clone();
        Ok(self.next.clone())
    }
}

#[test]
fn an_expired_token_is_refreshed_once_and_the_query_retried() {
    let server = small();
    let tokens = Arc::new(Expiring {
        current: Mutex::new("expired-token".into()),
        next: TOKEN.into(),
        refreshes: AtomicU32::new(0),
    });
    let platform = UpworkPlatform::connect(
        api_with(config(&server.url), tokens.clone()),
        server.fixture().today,
    )
    .expect("connect after a refresh");
    assert_eq!(tokens.refreshes.load(Ordering::SeqCst), 1);
    let seen = server.seen();
    assert_eq!(seen[0].status, 401);
    assert_eq!(seen[0].token.as_deref(), Some("expired-token"));
    assert_eq!(seen[1].status, 200);
    assert_eq!(seen[1].token.as_deref(), Some(TOKEN));
    // Later queries use the new token without refreshing again.
    platform.profile(FREELANCER).unwrap();
    assert_eq!(tokens.refreshes.load(Ordering::SeqCst), 1);
}

#[test]
fn a_token_refused_after_refreshing_asks_to_reconnect() {
    let server = small();
    let tokens = Arc::new(Expiring {
        current: Mutex::new("expired-token".into()),
        next: "revoked-token".into(),
        refreshes: AtomicU32::new(0),
    });
    match UpworkPlatform::connect(
        api_with(config(&server.url), tokens.clone()),
        server.fixture().today,
    ) {
        Err(ApiError::Reconnect) => {}
        other => panic!("expected Reconnect, got {other:?}"),
    }
    assert_eq!(
        tokens.refreshes.load(Ordering::SeqCst),
        1,
        "refreshed once, not in a loop"
    );
    assert_eq!(server.seen().len(), 2);

    // A fixed token (--access-token-file) cannot refresh: reconnect at once.
    server.accept_tokens(&["another-token"]);
    let api = api(&server);
    assert!(matches!(
        api.query(&accounting_entity(), json!({}), Some(FREELANCER)),
        Err(ApiError::Reconnect)
    ));
    assert!(ApiError::Reconnect.to_string().contains("connect again"));
}

#[test]
fn forbidden_names_the_permission_to_add() {
    let server = small();
    let platform = connect(&server);
    server.fail_next(
        "RoomList",
        Failure::Status {
            code: 403,
            retry_after: None,
        },
    );
    let err = platform
        .rooms(FREELANCER)
        .unwrap()
        .next()
        .unwrap()
        .unwrap_err();
    let message = err.to_string();
    assert!(
        message.contains("enable the \"Messaging\" permission"),
        "{message}"
    );
    assert!(message.contains("roomList"), "{message}");

    server.fail_next(
        "TransactionHistory",
        Failure::Status {
            code: 403,
            retry_after: None,
        },
    );
    let api = platform.api();
    let q = QUERIES
        .iter()
        .find(|q| q.operation == "TransactionHistory")
        .unwrap();
    match api.query(q, json!({}), Some(FREELANCER)) {
        Err(ApiError::Forbidden { query, permission }) => {
            assert_eq!(query, "transactionHistory");
            assert_eq!(permission, "\"Payments\" with \"Read transaction data\"");
        }
        other => panic!("expected Forbidden, got {other:?}"),
    }
    assert_eq!(
        server.seen_for("TransactionHistory").len(),
        1,
        "403 is not retried"
    );
}

#[test]
fn a_malformed_body_is_an_error_naming_the_query() {
    let server = small();
    let platform = connect(&server);
    // A web page instead of an answer is retried (a proxy's passing
    // error); one on every try is the error, naming the query.
    for _ in 0..4 {
        server.fail_next(
            "TransactionHistory",
            Failure::Body("<html><h1>Gateway</h1></html>".into()),
        );
    }
    let first = platform.transactions(FREELANCER).unwrap().next().unwrap();
    match first {
        Err(PlatformError::Malformed(message)) => {
            assert!(message.contains("transactionHistory"), "{message}");
            assert!(message.contains("a web page came back"), "{message}");
        }
        other => panic!("expected Malformed, got {other:?}"),
    }
    server.fail_next("TransactionHistory", Failure::Body("{\"data\": [1,".into()));
    assert!(
        platform
            .transactions(FREELANCER)
            .unwrap()
            .all(|t| t.is_ok()),
        "one broken body is retried"
    );
    server.fail_next(
        "AccountingEntity",
        Failure::Body(r#"{"result":"ok"}"#.into()),
    );
    match platform
        .api()
        .query(&accounting_entity(), json!({}), Some(CLIENT))
    {
        Err(ApiError::Malformed { query, detail }) => {
            assert_eq!(query, "accountingEntity");
            assert!(detail.contains("no data"), "{detail}");
        }
        other => panic!("expected Malformed, got {other:?}"),
    }
}

#[test]
fn graphql_errors_without_data_are_reported() {
    let server = small();
    let api = api(&server);
    // No tenant: the server refuses with a GraphQL error and no data.
    match api.query(&accounting_entity(), json!({}), None) {
        Err(ApiError::GraphQl { query, messages }) => {
            assert_eq!(query, "accountingEntity");
            assert!(messages[0].contains("TenantId"), "{messages:?}");
        }
        other => panic!("expected a GraphQL error, got {other:?}"),
    }
}

#[test]
fn cancel_stops_the_fetch_between_requests() {
    let server = small();
    let platform = connect(&server);
    let cancel = Arc::new(AtomicBool::new(false));
    platform.set_cancel(cancel.clone());
    let mut stream = platform.transactions(FREELANCER).unwrap();
    stream.next().unwrap().unwrap();
    let before = server.seen().len();
    cancel.store(true, Ordering::SeqCst);
    let rest: Vec<_> = stream.collect();
    let err = rest.last().unwrap().as_ref().unwrap_err();
    assert!(err.to_string().contains("cancelled"), "{err}");
    assert_eq!(server.seen().len(), before, "no request after Cancel");
}

#[test]
fn the_platform_trait_watches_the_fetch_and_lists_manual_checks() {
    let server = small();
    let platform = connect(&server);
    let seen: Arc<Mutex<Vec<(String, u64, u64)>>> = Arc::default();
    let cancel = Arc::new(AtomicBool::new(false));
    {
        let seen = seen.clone();
        let dyn_platform: &dyn Platform = &platform;
        dyn_platform.watch_fetch(
            Arc::new(move |what: &str, queries, records| {
                seen.lock()
                    .unwrap()
                    .push((what.to_string(), queries, records))
            }),
            cancel.clone(),
        );
    }
    let _ = platform.offers(FREELANCER).unwrap().count();
    assert_eq!(seen.lock().unwrap().last().unwrap().0, "Offers received");
    cancel.store(true, Ordering::SeqCst);
    assert!(
        platform
            .offers(FREELANCER)
            .unwrap()
            .next()
            .unwrap()
            .is_err()
    );
    let checks = platform.manual_checks(FREELANCER);
    assert!(checks.iter().any(|c| c.label.contains("dispute")));
}

#[test]
fn the_limiter_keeps_to_the_rate_across_threads() {
    let server = small();
    let mut c = config(&server.url);
    c.requests_per_second = 20.0;
    let api = Arc::new(api_with(c, Arc::new(StaticToken(TOKEN.into()))));
    let started = Instant::now();
    std::thread::scope(|s| {
        for _ in 0..4 {
            let api = api.clone();
            s.spawn(move || {
                for _ in 0..5 {
                    api.query(&accounting_entity(), json!({}), Some(FREELANCER))
                        .unwrap();
                }
            });
        }
    });
    // 20 requests at 20/s: the first at once, the last 950 ms later.
    assert!(
        started.elapsed() >= Duration::from_millis(930),
        "{:?}",
        started.elapsed()
    );
    let mut times: Vec<Instant> = server.seen().iter().map(|s| s.at).collect();
    times.sort();
    let in_any_second = times
        .iter()
        .map(|t| {
            times
                .iter()
                .filter(|u| **u >= *t && **u < *t + Duration::from_secs(1))
                .count()
        })
        .max()
        .unwrap();
    assert!(
        in_any_second <= 21,
        "{in_any_second} requests in one second"
    );
}

#[test]
fn an_access_token_file_is_read_and_trimmed() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("token");
    std::fs::write(&path, format!("  {TOKEN}\n")).unwrap();
    let token = StaticToken::from_file(&path).unwrap();
    assert_eq!(token.access_token().unwrap(), TOKEN);
    std::fs::write(&path, "\n").unwrap();
    assert!(StaticToken::from_file(&path).is_err());
}

#[test]
fn time_reports_page_through_a_date_range() {
    let server = small();
    let platform = connect(&server);
    let from = chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
    let to = chrono::NaiveDate::from_ymd_opt(2026, 3, 18).unwrap();
    let entries: Vec<_> = platform
        .time_report_between(FREELANCER, from, to)
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert!(!entries.is_empty());
    assert!(
        entries
            .iter()
            .all(|e| e.hours == 2.5 && e.contract_id.is_some())
    );
    let seen = server.seen_for("TimeReport");
    assert_eq!(seen.len(), entries.len().div_ceil(50));
    assert_eq!(seen[0].variables["filter"]["organizationId_eq"], FREELANCER);
}

#[test]
fn the_time_report_covers_the_whole_history_quarter_by_quarter() {
    let server = small();
    let platform = connect(&server);
    let account = platform
        .accounts()
        .unwrap()
        .into_iter()
        .find(|a| a.id == FREELANCER)
        .unwrap();
    let by_year: Vec<_> = platform
        .time_report(FREELANCER)
        .unwrap()
        .expect("the API keeps a time report")
        .map(Result::unwrap)
        .collect();
    let ranges: Vec<(String, String)> = server
        .reads("TimeReport")
        .iter()
        .map(|s| {
            let range = &s["filter"]["timeReportDate_bt"];
            (
                range["rangeStart"].as_str().unwrap().to_string(),
                range["rangeEnd"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    // From the day the organisation was created to today, a quarter at
    // most per range, with neither gaps nor overlaps.
    // Quarters are read side by side, eight a request: in date order here.
    let mut ranges = ranges;
    ranges.sort();
    let first = account.member_since.date_naive();
    let today = server.fixture().today.date_naive();
    assert_eq!(ranges[0].0, first.format("%Y-%m-%d").to_string());
    assert_eq!(
        ranges.last().unwrap().1,
        today.format("%Y-%m-%d").to_string()
    );
    let mut starts: Vec<&str> = ranges.iter().map(|r| r.0.as_str()).collect();
    starts.dedup();
    use chrono::Datelike as _;
    let quarter = |d: chrono::NaiveDate| d.year() * 4 + d.month0() as i32 / 3;
    assert_eq!(starts.len() as i32, quarter(today) - quarter(first) + 1);
    let mut bounds: Vec<(&str, &str)> = ranges
        .iter()
        .map(|r| (r.0.as_str(), r.1.as_str()))
        .collect();
    bounds.dedup();
    for w in bounds.windows(2) {
        let end = chrono::NaiveDate::parse_from_str(w[0].1, "%Y-%m-%d").unwrap();
        let next = chrono::NaiveDate::parse_from_str(w[1].0, "%Y-%m-%d").unwrap();
        assert_eq!(end.succ_opt().unwrap(), next, "quarters follow each other");
        assert_eq!(quarter(end), quarter(next) - 1);
    }

    // The same entries as one request over the whole range would give
    // (in another order: the server sorts by contract).
    let key = |e: &offboard::model::account::TimeEntry| (e.date, e.contract_id.clone());
    let mut by_year = by_year;
    by_year.sort_by_key(key);
    let mut whole: Vec<_> = platform
        .time_report_between(FREELANCER, first, today)
        .unwrap()
        .map(Result::unwrap)
        .collect();
    whole.sort_by_key(key);
    assert_eq!(by_year.len(), whole.len());
    assert!(
        by_year == whole,
        "the quarterly ranges lost or repeated entries"
    );
    assert!(by_year.iter().any(|e| e.memo.is_some()));
    assert!(by_year.iter().any(|e| e.memo.is_none()));
}

#[test]
fn a_key_refused_the_time_report_gets_hours_from_payments() {
    let server = small();
    let platform = connect(&server);
    server.fail_next(
        "TimeReport",
        Failure::Status {
            code: 403,
            retry_after: None,
        },
    );
    assert!(platform.time_report(FREELANCER).unwrap().is_none());
    assert!(
        platform
            .warnings()
            .iter()
            .any(|w| w.contains("Upwork refused the time report")),
        "{:?}",
        platform.warnings()
    );
    // A failure that is not a refusal is an error, not a quiet fallback
    // (a broken body is retried first: it fails on every try here).
    for _ in 0..4 {
        server.fail_next("TimeReport", Failure::Body("not json".into()));
    }
    assert!(matches!(
        platform.time_report(FREELANCER),
        Err(PlatformError::Malformed(_))
    ));
}

#[test]
fn unknown_accounts_are_refused() {
    let server = small();
    let platform = connect(&server);
    assert!(matches!(
        platform.contracts("nope"),
        Err(PlatformError::UnknownAccount(_))
    ));
    assert!(matches!(
        platform.pending_work("nope"),
        Err(PlatformError::UnknownAccount(_))
    ));
}

fn accounting_entity() -> offboard::platform::upwork::api::Query {
    *QUERIES
        .iter()
        .find(|q| q.operation == "AccountingEntity")
        .expect("query")
}
