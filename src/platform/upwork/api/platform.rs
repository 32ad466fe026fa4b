//! [`UpworkPlatform`]: the [`Platform`] over Upwork's GraphQL API. Every
//! collection streams page by page (transactions month by month), the
//! pending-work review is built from the same queries, and GraphQL errors
//! that came with data are kept as warnings for the user.

use super::client::{Answer, ApiError, UpworkApi, is_permission_message};
use super::mapping::{self, ContractTotals, at, list, text};
use super::queries::{self, Query};
use super::stream::{Cursor, Page, PageGuard, Paged};

// Contract discovery lives beside this file but inside this module, so it
// reaches the platform's private helpers.
#[path = "aliases.rs"]
mod aliases;
#[path = "contracts.rs"]
mod contracts;
#[path = "messages.rs"]
mod messages;
#[path = "time_report.rs"]
mod time_report;
#[path = "transactions.rs"]
mod transactions;
use crate::model::account::{
    AccountKind, AccountSummary, Contract, ContractStatus, Dispute, Feedback, JobPost,
    JobPostStatus, ManualCheck, MessageRoom, Offer, OfferStatus, PaymentStatus, PlatformId,
    Profile, Proposal, ProposalStatus, SectionCounts, TeamMember, TimeEntry, Transaction,
};
use crate::model::money::Money;
use crate::model::review::{Balances, PendingWork};
use crate::platform::{FetchSink, Platform, PlatformError, RecordStream};
use chrono::{DateTime, TimeZone, Utc};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};

/// Where a fetch stands, for the progress line and the Cancel button.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FetchProgress {
    /// HTTP requests sent so far (retries included).
    pub queries: u64,
    /// Records handed to the review or the export so far.
    pub records: u64,
    /// What is being fetched, e.g. "Transactions, March 2023".
    pub current: String,
}

pub type ProgressSink = Arc<dyn Fn(FetchProgress) + Send + Sync>;

/// Page sizes: Upwork's own connector asks for 50; `vendorProposals` was
/// seen refusing more than 40.
const PAGE: u64 = 50;
const PROPOSAL_PAGE: u64 = 40;
/// The most warnings kept for the user (see [`UpworkPlatform::warn`]).
const MAX_WARNINGS: usize = 200;
/// `contractList` takes at most 10 ids.
const CONTRACT_LIST_MAX: usize = 10;
/// Before any account could exist (oDesk opened in 2003), for an
/// organisation that does not say when it was created.
const EARLIEST: (i32, u32, u32) = (2003, 1, 1);

#[derive(Clone, Debug, Default)]
struct User {
    id: String,
    nid: String,
    name: String,
    email: String,
}

impl From<ApiError> for PlatformError {
    fn from(e: ApiError) -> Self {
        match e {
            ApiError::Malformed { .. } => PlatformError::Malformed(e.to_string()),
            ApiError::Reconnect => PlatformError::Reconnect,
            other => PlatformError::Refused(other.to_string()),
        }
    }
}

/// Upwork as a [`Platform`]: one account per organisation the user can act
/// for (account id = organisation id).
pub struct UpworkPlatform {
    api: UpworkApi,
    today: DateTime<Utc>,
    user: User,
    accounts: Vec<AccountSummary>,
    warnings: Mutex<Vec<String>>,
    progress: RwLock<Option<ProgressSink>>,
    records: AtomicU64,
    /// Organisation names seen in contracts, to name clients in feedback.
    org_names: Mutex<HashMap<String, String>>,
    /// Per account: totals per contract from the work history.
    totals: Mutex<HashMap<String, Arc<HashMap<String, ContractTotals>>>>,
    /// Per account: its accounting entity.
    entities: Mutex<HashMap<String, String>>,
    /// Per account: transactions seen by the last full walk.
    transaction_counts: Mutex<HashMap<String, u64>>,
    /// Per account: the months of transactions that can no longer change.
    settled_months: Mutex<transactions::SettledMonths>,
    /// Per account: the last walk over its message rooms.
    room_index: Mutex<HashMap<String, messages::RoomIndex>>,
    /// Set once the server refused an aliased document: one read a
    /// request from then on.
    aliases_refused: AtomicBool,
}

impl std::fmt::Debug for UpworkPlatform {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UpworkPlatform")
            .field("api", &self.api)
            .field("accounts", &self.accounts)
            .finish_non_exhaustive()
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    match m.lock() {
        Ok(guard) => guard,
        Err(poisoned) => poisoned.into_inner(),
    }
}

fn is_vendor(kind: AccountKind) -> bool {
    matches!(kind, AccountKind::Freelancer | AccountKind::Agency)
}

/// The kind of an organisation from its flags, else from the selector's
/// legacy type (Client or Vendor) and type (a business vendor is an agency).
fn org_kind(item: &Value, org: &Value) -> AccountKind {
    let flag = |name: &str| at(org, &["flag", name]).as_bool() == Some(true);
    if flag("agency") {
        return AccountKind::Agency;
    }
    if flag("vendor") || flag("individual") {
        return AccountKind::Freelancer;
    }
    if flag("client") {
        return AccountKind::Client;
    }
    let legacy = text(org, &["legacyType"])
        .or_else(|| text(item, &["organizationLegacyType"]))
        .unwrap_or_default()
        .to_ascii_lowercase();
    let business = text(org, &["type"])
        .or_else(|| text(item, &["organizationType"]))
        .unwrap_or_default()
        .to_ascii_lowercase()
        .starts_with("business");
    let title = text(item, &["typeTitle"])
        .unwrap_or_default()
        .to_ascii_lowercase();
    if legacy == "client" || (legacy.is_empty() && title.contains("client")) {
        AccountKind::Client
    } else if title.contains("agency") || (legacy == "vendor" && business) {
        AccountKind::Agency
    } else {
        AccountKind::Freelancer
    }
}

/// A GraphQL error that came with data, for the user; a refused field
/// ("Authorization failed") says which permission to enable.
fn data_warning(what: &str, query: &Query, error: &str) -> String {
    let mut warning = format!("{what}: Upwork reported a problem with part of the data: {error}");
    if is_permission_message(error) {
        warning.push_str(&format!(
            "; enable the {} permission for the key in Upwork's API Center, then connect again",
            query.permission
        ));
    }
    warning
}

/// The GraphQL errors that are about permissions or query shape, not data:
/// worth a warning and an empty section rather than a failed fetch.
fn soft(e: &ApiError) -> bool {
    matches!(e, ApiError::Forbidden { .. } | ApiError::GraphQl { .. })
}

impl UpworkPlatform {
    /// Lists the organisations the token can act for (`companySelector` and
    /// `user`, then each `organization` for its kind and age): one account
    /// per organisation, its id the organisation id.
    pub fn connect(api: UpworkApi, today: DateTime<Utc>) -> Result<UpworkPlatform, ApiError> {
        let mut platform = UpworkPlatform {
            api,
            today,
            user: User::default(),
            accounts: Vec::new(),
            warnings: Mutex::new(Vec::new()),
            progress: RwLock::new(None),
            records: AtomicU64::new(0),
            org_names: Mutex::new(HashMap::new()),
            totals: Mutex::new(HashMap::new()),
            entities: Mutex::new(HashMap::new()),
            transaction_counts: Mutex::new(HashMap::new()),
            room_index: Mutex::new(HashMap::new()),
            settled_months: Mutex::new(HashMap::new()),
            aliases_refused: AtomicBool::new(false),
        };
        let data = platform.call(&queries::SESSION, json!({}), None, "Your organisations")?;
        let user = at(&data, &["user"]);
        let Some(user_id) = text(user, &["id"]) else {
            return Err(ApiError::Malformed {
                query: "user".into(),
                detail: "the answer names no user".into(),
            });
        };
        platform.user = User {
            nid: text(user, &["nid"]).unwrap_or_else(|| user_id.clone()),
            id: user_id,
            name: text(user, &["name"]).unwrap_or_default(),
            email: text(user, &["email"]).unwrap_or_default(),
        };
        let items = list(&data, &["companySelector", "items"]).to_vec();
        let mut accounts = Vec::new();
        for item in &items {
            let Some(org_id) = text(item, &["organizationId"]) else {
                platform.warn("an organisation without an id was left out".into());
                continue;
            };
            if accounts.iter().any(|a: &AccountSummary| a.id == org_id) {
                continue;
            }
            let title = text(item, &["title"]).unwrap_or_else(|| org_id.clone());
            let org = match platform.call(
                &queries::ORGANIZATION,
                json!({}),
                Some(&org_id),
                &format!("Organisation {title}"),
            ) {
                Ok(data) => at(&data, &["organization"]).clone(),
                Err(e) if soft(&e) => {
                    platform.warn(format!("details of {title} could not be read: {e}"));
                    Value::Null
                }
                Err(e) => return Err(e),
            };
            let kind = org_kind(item, &org);
            let earliest = Utc
                .with_ymd_and_hms(EARLIEST.0, EARLIEST.1, EARLIEST.2, 0, 0, 0)
                .single()
                .unwrap_or(today);
            let member_since = mapping::date(&org, &["creationDate"])
                // A creation date before any account could exist would only
                // cost a request per empty month: read from 2003 on instead.
                .map(|created| created.max(earliest))
                .unwrap_or_else(|| {
                    platform.warn(format!(
                        "Upwork does not say when {title} was created; transactions are read \
                         from {}",
                        EARLIEST.0
                    ));
                    earliest
                });
            let u = &platform.user;
            let display_name = match kind {
                AccountKind::Freelancer if !u.name.is_empty() => u.name.clone(),
                AccountKind::Client if !u.name.is_empty() => format!("{} ({title})", u.name),
                _ => title.clone(),
            };
            accounts.push(AccountSummary {
                id: org_id,
                kind,
                username: u.nid.clone(),
                display_name,
                email: u.email.clone(),
                member_since,
            });
        }
        if accounts.is_empty() {
            platform.warn("Upwork lists no organisation for this login".into());
        }
        platform.accounts = accounts;
        Ok(platform)
    }

    /// Called after every request with the running totals.
    pub fn set_progress(&self, sink: Arc<dyn Fn(FetchProgress) + Send + Sync>) {
        if let Ok(mut progress) = self.progress.write() {
            *progress = Some(sink);
        }
    }

    /// When the flag is set, the next request (or wait) ends the fetch with
    /// [`ApiError::Cancelled`].
    pub fn set_cancel(&self, flag: Arc<AtomicBool>) {
        self.api.set_cancel(flag);
    }

    /// GraphQL errors that came with data (and sections skipped for lack of
    /// a permission), in the order they happened, each once.
    pub fn warnings(&self) -> Vec<String> {
        lock(&self.warnings).clone()
    }

    pub fn requests_made(&self) -> u64 {
        self.api.requests_made()
    }

    pub fn api(&self) -> &UpworkApi {
        &self.api
    }

    /// Keeps each warning once, and at most [`MAX_WARNINGS`]: a server
    /// adding new errors to every page must not fill memory or make each
    /// check slower than the last.
    fn warn(&self, message: String) {
        let mut warnings = lock(&self.warnings);
        if warnings.len() > MAX_WARNINGS || warnings.contains(&message) {
            return;
        }
        if warnings.len() == MAX_WARNINGS {
            warnings.push(format!(
                "Upwork reported more problems than the {MAX_WARNINGS} listed here; the rest \
                 were left out"
            ));
            return;
        }
        log::warn!("{message}");
        warnings.push(message);
    }

    fn report(&self, current: &str) {
        let sink = self.progress.read().ok().and_then(|p| p.clone());
        if let Some(sink) = sink {
            sink(FetchProgress {
                queries: self.api.requests_made(),
                records: self.records.load(Ordering::Relaxed),
                current: current.to_string(),
            });
        }
    }

    fn count_record(&self) {
        self.records.fetch_add(1, Ordering::Relaxed);
    }

    /// One query, reported to the progress sink whatever its outcome; the
    /// errors that came with data are left to the caller.
    fn answer(
        &self,
        query: &Query,
        variables: Value,
        tenant: Option<&str>,
        what: &str,
    ) -> Result<Answer, ApiError> {
        let answer = self.api.query(query, variables, tenant);
        self.report(what);
        answer
    }

    /// One query; errors that came with data become warnings.
    fn call(
        &self,
        query: &Query,
        variables: Value,
        tenant: Option<&str>,
        what: &str,
    ) -> Result<Value, ApiError> {
        let answer = self.answer(query, variables, tenant, what)?;
        for error in answer.errors {
            self.warn(data_warning(what, query, &error));
        }
        Ok(answer.data)
    }

    fn account(&self, id: &str) -> Result<&AccountSummary, PlatformError> {
        self.accounts
            .iter()
            .find(|a| a.id == id)
            .ok_or_else(|| PlatformError::UnknownAccount(id.to_string()))
    }

    fn stream<'a, T: 'a>(
        &'a self,
        fetch: impl FnMut() -> Result<Page<T>, PlatformError> + 'a,
    ) -> RecordStream<'a, T> {
        Box::new(Paged::new(fetch, move || self.count_record()))
    }

    fn empty<'a, T: 'a>(&'a self) -> RecordStream<'a, T> {
        Box::new(std::iter::empty())
    }

    /// A fresh cursor walk over `query`, bounded by the page limit.
    fn cursor(&self, query: &Query) -> Cursor {
        Cursor::new(query, self.api.config().max_pages)
    }

    /// A bound for an offset walk over `query`.
    fn guard(&self, query: &Query) -> PageGuard {
        PageGuard::new(query.field, self.api.config().max_pages)
    }

    // ------------------------------------------------------------ proposals

    fn proposal_stream(
        &self,
        account: &AccountSummary,
        statuses: &'static [&'static str],
    ) -> RecordStream<'_, Proposal> {
        if !is_vendor(account.kind) {
            return self.empty();
        }
        let account = account.clone();
        let mut index = 0usize;
        let mut cursor = self.cursor(&queries::VENDOR_PROPOSALS);
        self.stream(move || {
            let Some(status) = statuses.get(index) else {
                return Ok(Page::Last(Vec::new()));
            };
            let data = self.call(
                &queries::VENDOR_PROPOSALS,
                proposal_vars(&account, status, cursor.pagination(PROPOSAL_PAGE)),
                Some(&account.id),
                &format!("Proposals ({status})"),
            )?;
            let connection = at(&data, &["vendorProposals"]);
            let edges = list(connection, &["edges"]);
            let proposals = edges
                .iter()
                .filter_map(|e| mapping::proposal(at(e, &["node"]), status, self.today))
                .collect();
            if !cursor.advance(connection, edges)? {
                index += 1;
                cursor = self.cursor(&queries::VENDOR_PROPOSALS);
            }
            Ok(Page::More(proposals))
        })
    }

    // ------------------------------------------------------------ offers

    fn offer_stream(&self, account: &AccountSummary) -> RecordStream<'_, Offer> {
        let account = account.clone();
        if account.kind == AccountKind::Client {
            let mut cursor = self.cursor(&queries::CLIENT_OFFERS);
            return self.stream(move || {
                let vars = json!({ "pagination": cursor.pagination(PAGE) });
                let data = self.call(
                    &queries::CLIENT_OFFERS,
                    vars,
                    Some(&account.id),
                    "Offers sent",
                )?;
                let connection = at(&data, &["organization", "clientOffers"]);
                let edges = list(connection, &["edges"]);
                let offers = edges
                    .iter()
                    .filter_map(|e| mapping::client_offer(at(e, &["node"]), self.today))
                    .collect();
                Ok(if cursor.advance(connection, edges)? {
                    Page::More(offers)
                } else {
                    Page::Last(offers)
                })
            });
        }
        let (id, attribute) = match account.kind {
            AccountKind::Freelancer => (self.user.id.clone(), "VendorUser"),
            _ => (account.id.clone(), "VendorOrg"),
        };
        let mut page = 1u64;
        let mut guard = self.guard(&queries::OFFERS_BY_ATTRIBUTE);
        self.stream(move || {
            let vars = json!({ "filter": {
                "id": id,
                "searchAttribute": attribute,
                "limit": PAGE,
                "page": page,
                "includeAttachments": false,
                "includeMilestones": true,
            }});
            let data = self.call(
                &queries::OFFERS_BY_ATTRIBUTE,
                vars,
                Some(&account.id),
                "Offers received",
            )?;
            let nodes = list(&data, &["offersByAttribute", "offers"]);
            guard.page(nodes)?;
            page += 1;
            let offers = nodes
                .iter()
                .filter_map(|n| mapping::vendor_offer(n, self.today))
                .collect();
            Ok(if (nodes.len() as u64) < PAGE {
                Page::Last(offers)
            } else {
                Page::More(offers)
            })
        })
    }

    // ------------------------------------------------------------ job posts, team

    fn job_post_stream(
        &self,
        account: &AccountSummary,
        open_only: bool,
    ) -> RecordStream<'_, JobPost> {
        if account.kind != AccountKind::Client {
            return self.empty();
        }
        let account = account.clone();
        let mut cursor = self.cursor(&queries::JOB_POSTINGS);
        self.stream(move || {
            let mut filter = json!({ "pagination_eq": cursor.pagination(PAGE) });
            if open_only {
                filter["statusAndAccess_any"] =
                    json!([{ "statuses_any": mapping::OPEN_JOB_STATUSES }]);
            }
            let data = self.call(
                &queries::JOB_POSTINGS,
                json!({ "filter": filter }),
                Some(&account.id),
                "Job posts",
            )?;
            let connection = at(&data, &["organization", "jobPosting"]);
            let edges = list(connection, &["edges"]);
            let posts = edges
                .iter()
                .filter_map(|e| mapping::job_post(at(e, &["node"]), self.today))
                .filter(|j| !open_only || j.status == JobPostStatus::Open)
                .collect();
            Ok(if cursor.advance(connection, edges)? {
                Page::More(posts)
            } else {
                Page::Last(posts)
            })
        })
    }

    fn team_stream(&self, account: &AccountSummary) -> RecordStream<'_, TeamMember> {
        if account.kind == AccountKind::Freelancer {
            return self.empty();
        }
        let account = account.clone();
        let mut cursor = self.cursor(&queries::STAFF);
        self.stream(move || {
            let vars = json!({ "pagination": cursor.pagination(PAGE) });
            let data = self.call(&queries::STAFF, vars, Some(&account.id), "Team members")?;
            let connection = at(&data, &["organization", "staffs"]);
            let edges = list(connection, &["edges"]);
            let members = edges
                .iter()
                .filter_map(|e| mapping::team_member(at(e, &["node"]), &self.user.id, self.today))
                .collect();
            Ok(if cursor.advance(connection, edges)? {
                Page::More(members)
            } else {
                Page::Last(members)
            })
        })
    }

    // ------------------------------------------------------------ money

    // ------------------------------------------------------------ feedback

    fn feedback_stream(&self, account: &AccountSummary) -> RecordStream<'_, Feedback> {
        if account.kind != AccountKind::Freelancer {
            return self.empty();
        }
        let account = account.clone();
        let mut offset = 0u64;
        let mut guard = self.guard(&queries::WORK_HISTORY_QUERY);
        self.stream(move || {
            let data = self.call(
                &queries::WORK_HISTORY_QUERY,
                work_history_vars(&self.user.id, offset),
                Some(&account.id),
                "Feedback",
            )?;
            let entries = list(&data, &["talentWorkHistory", "workHistoryList"]);
            guard.page(entries)?;
            offset += entries.len() as u64;
            let names = lock(&self.org_names).clone();
            let feedback = entries
                .iter()
                .filter_map(|e| mapping::feedback(e, |org| names.get(org).cloned(), self.today))
                .collect();
            let total = at(&data, &["talentWorkHistory", "totalCount"]).as_u64();
            Ok(
                if (entries.len() as u64) < PAGE || total.is_some_and(|t| offset >= t) {
                    Page::Last(feedback)
                } else {
                    Page::More(feedback)
                },
            )
        })
    }

    /// `totalCount` of a connection asked for with a one-record page.
    fn total_count(
        &self,
        query: &Query,
        variables: Value,
        account: &AccountSummary,
        path: &[&str],
        what: &str,
    ) -> Result<Option<u64>, ApiError> {
        let data = self.call(query, variables, Some(&account.id), what)?;
        Ok(at(&data, path).get("totalCount").and_then(Value::as_u64))
    }
}

fn proposal_vars(account: &AccountSummary, status: &str, pagination: Value) -> Value {
    let mut filter = json!({ "status_eq": status });
    if account.kind == AccountKind::Agency {
        filter["organizationId_eq"] = json!(account.id);
    }
    json!({
        "filter": filter,
        "sortAttribute": { "field": "CREATEDDATETIME", "sortOrder": "DESC" },
        "pagination": pagination,
    })
}

fn work_history_vars(person: &str, offset: u64) -> Value {
    json!({ "filter": {
        "personId": person,
        "pagination": { "offset": offset, "limit": PAGE },
    }})
}

fn collect<T>(stream: RecordStream<'_, T>) -> Result<Vec<T>, PlatformError> {
    stream.collect()
}

fn count<T>(stream: RecordStream<'_, T>) -> Result<u64, PlatformError> {
    let mut n = 0;
    for item in stream {
        item?;
        n += 1;
    }
    Ok(n)
}

const OPEN: &[ContractStatus] = &[ContractStatus::Active, ContractStatus::Paused];
const ALL_CONTRACTS: &[ContractStatus] = &[
    ContractStatus::Active,
    ContractStatus::Paused,
    ContractStatus::Ended,
];

impl Platform for UpworkPlatform {
    fn id(&self) -> PlatformId {
        crate::platform::upwork::profile::UPWORK_API.id.clone()
    }

    fn sees_account_state(&self) -> bool {
        true
    }

    fn accounts(&self) -> Result<Vec<AccountSummary>, PlatformError> {
        Ok(self.accounts.clone())
    }

    fn pending_work(&self, account: &str) -> Result<PendingWork, PlatformError> {
        let account = self.account(account)?.clone();
        let open_contracts = collect(self.contract_stream(&account, OPEN, false))?;
        let open_proposals: Vec<Proposal> =
            collect(self.proposal_stream(&account, &mapping::OPEN_PROPOSAL_STATUSES))?
                .into_iter()
                .filter(|p| p.status == ProposalStatus::Submitted)
                .collect();
        let pending_offers: Vec<Offer> = collect(self.offer_stream(&account))?
            .into_iter()
            .filter(|o| o.status == OfferStatus::Pending)
            .collect();
        let open_job_posts = collect(self.job_post_stream(&account, true))?;
        let team = collect(self.team_stream(&account))?;
        // The whole history, kept only as a sum and the unsettled rows.
        let mut available = Money::ZERO;
        let mut unsettled = Vec::new();
        for t in self.transaction_stream(&account) {
            let t = t?;
            if t.status == PaymentStatus::Available {
                available += t.amount;
            } else {
                unsettled.push(t);
            }
        }
        let mut balances = Balances::from_transactions(&unsettled, &open_contracts);
        balances.available += available;
        if balances.available.is_negative() {
            balances.owed += balances.available.abs();
            balances.available = Money::ZERO;
        }
        Ok(PendingWork {
            account,
            closed: false,
            open_contracts,
            open_proposals,
            pending_offers,
            open_job_posts,
            team,
            open_disputes: Vec::new(),
            unsettled,
            balances,
            answers: Default::default(),
        })
    }

    fn profile(&self, account: &str) -> Result<Profile, PlatformError> {
        let account = self.account(account)?.clone();
        if account.kind == AccountKind::Freelancer {
            let data = self.call(
                &queries::FREELANCER_PROFILE,
                json!({}),
                Some(&account.id),
                "Profile",
            )?;
            let user = at(&data, &["user"]);
            let fp = at(user, &["freelancerProfile"]);
            let profile_url = text(fp, &["personalData", "profileUrl"])
                .or_else(|| {
                    text(user, &["ciphertext"])
                        .map(|c| format!("https://www.upwork.com/freelancers/{c}"))
                })
                .unwrap_or_default();
            return Ok(Profile {
                title: text(fp, &["personalData", "title"]).unwrap_or_default(),
                overview: text(fp, &["personalData", "description"]).unwrap_or_default(),
                location: text(fp, &["countryDetails", "name"]).unwrap_or_default(),
                hourly_rate: mapping::money(fp, &["personalData", "chargeRate"]),
                skills: list(fp, &["skills", "edges"])
                    .iter()
                    .filter_map(|e| text(e, &["node", "preferredLabel"]))
                    .collect(),
                profile_url,
                total_earnings: mapping::money(fp, &["aggregates", "totalEarnings"])
                    .unwrap_or_default(),
                job_success_score: at(fp, &["aggregates", "jobSuccessScore"])
                    .as_f64()
                    .filter(|s| (0.0..=100.0).contains(s))
                    .map(|s| s.round() as u8),
                account,
            });
        }
        let data = self.call(
            &queries::ORGANIZATION_PROFILE,
            json!({}),
            Some(&account.id),
            "Profile",
        )?;
        let org = at(&data, &["organization"]);
        let company = at(org, &["company"]);
        let location = [
            text(company, &["city"]),
            text(company, &["country", "name"]),
        ]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(", ");
        Ok(Profile {
            title: text(company, &["name"])
                .or_else(|| text(org, &["name"]))
                .unwrap_or_else(|| account.display_name.clone()),
            overview: text(company, &["description"])
                .or_else(|| text(company, &["summary"]))
                .unwrap_or_default(),
            location,
            hourly_rate: None,
            skills: Vec::new(),
            profile_url: String::new(),
            total_earnings: Money::ZERO,
            job_success_score: None,
            account,
        })
    }

    fn counts(&self, account: &str) -> Result<SectionCounts, PlatformError> {
        let account = self.account(account)?.clone();
        let contracts = count(self.contract_stream(&account, ALL_CONTRACTS, false))?;
        let mut proposals = 0;
        if is_vendor(account.kind) {
            for status in mapping::PROPOSAL_STATUSES {
                let total = self.total_count(
                    &queries::VENDOR_PROPOSALS,
                    proposal_vars(&account, status, json!({ "first": 1 })),
                    &account,
                    &["vendorProposals"],
                    &format!("Counting proposals ({status})"),
                )?;
                // Totals come from the network: an absurd one must not overflow.
                proposals = u64::saturating_add(
                    proposals,
                    match total {
                        Some(total) => total,
                        None => count(self.proposal_stream(&account, one_status(status)))?,
                    },
                );
            }
        }
        let offers = count(self.offer_stream(&account))?;
        let job_posts = if account.kind == AccountKind::Client {
            let total = self.total_count(
                &queries::JOB_POSTINGS,
                json!({ "filter": { "pagination_eq": { "first": 1 } } }),
                &account,
                &["organization", "jobPosting"],
                "Counting job posts",
            )?;
            match total {
                Some(total) => total,
                None => count(self.job_post_stream(&account, false))?,
            }
        } else {
            0
        };
        let team = count(self.team_stream(&account))?;
        let known = lock(&self.transaction_counts).get(&account.id).copied();
        let transactions = match known {
            Some(n) => n,
            None => count(self.transaction_stream(&account))?,
        };
        let feedback = count(self.feedback_stream(&account))?;
        let (mut messages, mut uncounted) = (0, 0);
        let index = self.room_index(&account)?;
        let rooms = index.len() as u64;
        for room in index.iter() {
            match at(room, &["stories", "totalCount"]).as_u64() {
                Some(count) => messages = u64::saturating_add(messages, count),
                None => uncounted += 1,
            }
        }
        if uncounted > 0 {
            self.warn(format!(
                "Upwork did not say how many messages {uncounted} of the {rooms} rooms hold; \
                 the export counts them as it fetches them"
            ));
        }
        Ok(SectionCounts {
            contracts,
            proposals,
            offers,
            job_posts,
            team,
            transactions,
            feedback,
            disputes: 0,
            rooms,
            messages,
        })
    }

    fn contracts(&self, account: &str) -> Result<RecordStream<'_, Contract>, PlatformError> {
        let account = self.account(account)?;
        Ok(self.contract_stream(account, ALL_CONTRACTS, true))
    }

    fn proposals(&self, account: &str) -> Result<RecordStream<'_, Proposal>, PlatformError> {
        let account = self.account(account)?;
        Ok(self.proposal_stream(account, &mapping::PROPOSAL_STATUSES))
    }

    fn offers(&self, account: &str) -> Result<RecordStream<'_, Offer>, PlatformError> {
        let account = self.account(account)?;
        Ok(self.offer_stream(account))
    }

    fn job_posts(&self, account: &str) -> Result<RecordStream<'_, JobPost>, PlatformError> {
        let account = self.account(account)?;
        Ok(self.job_post_stream(account, false))
    }

    fn team(&self, account: &str) -> Result<RecordStream<'_, TeamMember>, PlatformError> {
        let account = self.account(account)?;
        Ok(self.team_stream(account))
    }

    fn transactions(&self, account: &str) -> Result<RecordStream<'_, Transaction>, PlatformError> {
        let account = self.account(account)?;
        Ok(self.transaction_stream(account))
    }

    fn feedback(&self, account: &str) -> Result<RecordStream<'_, Feedback>, PlatformError> {
        let account = self.account(account)?;
        Ok(self.feedback_stream(account))
    }

    /// Upwork's API has no disputes query: always empty.
    fn disputes(&self, account: &str) -> Result<RecordStream<'_, Dispute>, PlatformError> {
        self.account(account)?;
        Ok(self.empty())
    }

    fn rooms(&self, account: &str) -> Result<RecordStream<'_, MessageRoom>, PlatformError> {
        let account = self.account(account)?;
        Ok(self.room_stream(account))
    }

    fn time_report(
        &self,
        account: &str,
    ) -> Result<Option<RecordStream<'_, TimeEntry>>, PlatformError> {
        let account = self.account(account)?.clone();
        self.whole_time_report(&account)
    }

    fn watch_fetch(&self, progress: FetchSink, cancel: Arc<AtomicBool>) {
        self.set_progress(Arc::new(move |p: FetchProgress| {
            progress(&p.current, p.queries, p.records)
        }));
        self.set_cancel(cancel);
    }

    /// The API has no disputes query: the user checks them by hand.
    fn manual_checks(&self, _account: &str) -> Vec<ManualCheck> {
        vec![ManualCheck {
            id: "upwork-api:no-open-dispute".into(),
            label: "No dispute is open on any contract (Upwork's API does not list disputes)"
                .into(),
            where_to_check: "Each contract's page on Upwork, and Help › My Requests for \
                             disputes handled by support"
                .into(),
        }]
    }
}

fn one_status(status: &str) -> &'static [&'static str] {
    let index = mapping::PROPOSAL_STATUSES
        .iter()
        .position(|s| *s == status)
        .unwrap_or(0);
    std::slice::from_ref(&mapping::PROPOSAL_STATUSES[index])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn organisation_kinds() {
        let item = |legacy: &str, ty: &str| json!({ "organizationLegacyType": legacy, "organizationType": ty });
        assert_eq!(
            org_kind(&item("Client", "Business"), &Value::Null),
            AccountKind::Client
        );
        assert_eq!(
            org_kind(&item("Vendor", "Business"), &Value::Null),
            AccountKind::Agency
        );
        assert_eq!(
            org_kind(&item("Vendor", "SoleProprietor"), &Value::Null),
            AccountKind::Freelancer
        );
        let flags = json!({ "flag": { "agency": false, "vendor": true, "client": true } });
        assert_eq!(
            org_kind(&item("Client", "Business"), &flags),
            AccountKind::Freelancer
        );
        let agency = json!({ "flag": { "agency": true, "vendor": true } });
        assert_eq!(org_kind(&Value::Null, &agency), AccountKind::Agency);
    }
}
