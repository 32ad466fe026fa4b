//! Contracts as real accounts need them read. `vendorContracts` is not a
//! source of truth: clients run against real accounts saw it answer no rows,
//! or "Authorization failed", for accounts with dozens of contracts
//! (FACTS.md). So its rows are only a start: contract ids are also gathered
//! from every message room (all filter passes), the freelancer's work
//! history and a client's sent offers, read with `contractList` (at most 10
//! ids a call, several calls a request through aliases) and merged, each
//! contract once.

use super::{CONTRACT_LIST_MAX, PAGE, UpworkPlatform, is_vendor, lock, soft, work_history_vars};
use crate::model::account::{AccountKind, AccountSummary, Contract, ContractStatus};
use crate::platform::RecordStream;
use crate::platform::upwork::api::client::ApiError;
use crate::platform::upwork::api::mapping::{self, ContractTotals, at, list, text};
use crate::platform::upwork::api::queries::{self, CONTRACT_LIST_BATCHES};
use crate::platform::upwork::api::stream::Page;
use serde_json::{Value, json};
use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::Arc;

/// Ids named in a warning about contracts that could not be read.
const MAX_NAMED_IDS: usize = 5;

impl UpworkPlatform {
    /// The id `vendorContracts` takes: the person for a freelancer, the
    /// organisation for an agency.
    fn vendor_id(&self, account: &AccountSummary) -> String {
        match account.kind {
            AccountKind::Freelancer => self.user.id.clone(),
            _ => account.id.clone(),
        }
    }

    /// Totals per contract from the freelancer's work history, fetched once.
    /// Its keys are also every contract id the work history names.
    pub(super) fn contract_totals(
        &self,
        account: &AccountSummary,
    ) -> Arc<HashMap<String, ContractTotals>> {
        if account.kind != AccountKind::Freelancer {
            return Arc::new(HashMap::new());
        }
        if let Some(totals) = lock(&self.totals).get(&account.id) {
            return totals.clone();
        }
        let mut totals = HashMap::new();
        let mut offset = 0u64;
        let mut guard = self.guard(&queries::WORK_HISTORY_QUERY);
        loop {
            let vars = work_history_vars(&self.user.id, offset);
            let data = self
                .call(
                    &queries::WORK_HISTORY_QUERY,
                    vars,
                    Some(&account.id),
                    "Contract totals",
                )
                .and_then(|data| {
                    let entries = list(&data, &["talentWorkHistory", "workHistoryList"]);
                    guard.page(entries).map(|()| data)
                });
            let data = match data {
                Ok(data) => data,
                Err(e) => {
                    self.warn(format!(
                        "the work history could not be read, so contract totals come from \
                         milestones only and contracts are found from rooms alone: {e}"
                    ));
                    break;
                }
            };
            let entries = list(&data, &["talentWorkHistory", "workHistoryList"]);
            totals.extend(entries.iter().filter_map(mapping::work_totals));
            offset += entries.len() as u64;
            let total = at(&data, &["talentWorkHistory", "totalCount"]).as_u64();
            if (entries.len() as u64) < PAGE || total.is_some_and(|t| offset >= t) {
                break;
            }
        }
        let totals = Arc::new(totals);
        lock(&self.totals).insert(account.id.clone(), totals.clone());
        totals
    }

    /// Contract ids named anywhere but `vendorContracts`: every message
    /// room's `contractId` (all filter passes), the work history (a
    /// freelancer's), and sent offers (a client's; offers a freelancer
    /// received carry no contract id in the schema). In the order found.
    fn discovered_contract_ids(&self, account: &AccountSummary) -> Result<Vec<String>, ApiError> {
        let mut ids: Vec<String> = Vec::new();
        let mut known: HashSet<String> = HashSet::new();
        let mut push = |id: String| {
            if known.insert(id.clone()) {
                ids.push(id);
            }
        };
        match self.room_index(account) {
            Ok(rooms) => rooms
                .iter()
                .filter_map(|r| text(r, &["contractId"]))
                .for_each(&mut push),
            // A key without the messaging permission still gets the
            // contracts the other sources name; the user is told.
            Err(e) if soft(&e) => {
                self.warn(format!(
                    "contracts named only in message rooms may be missing, the rooms \
                     could not be read: {e}"
                ));
            }
            Err(e) => return Err(e),
        }
        if account.kind == AccountKind::Freelancer {
            let mut from_history: Vec<String> =
                self.contract_totals(account).keys().cloned().collect();
            // A HashMap's order: sorted, so requests are the same every run.
            from_history.sort_unstable();
            from_history.into_iter().for_each(&mut push);
        }
        if account.kind == AccountKind::Client {
            let mut cursor = self.cursor(&queries::CLIENT_OFFERS);
            while !cursor.finished {
                let vars = json!({ "pagination": cursor.pagination(PAGE) });
                let data = self.call(
                    &queries::CLIENT_OFFERS,
                    vars,
                    Some(&account.id),
                    "Contract ids",
                )?;
                let connection = at(&data, &["organization", "clientOffers"]);
                let edges = list(connection, &["edges"]);
                edges
                    .iter()
                    .filter_map(|e| text(e, &["node", "contract", "id"]))
                    .for_each(&mut push);
                cursor.advance(connection, edges)?;
            }
        }
        Ok(ids)
    }

    fn map_contracts(
        &self,
        nodes: &[Value],
        account: &AccountSummary,
        totals: &HashMap<String, ContractTotals>,
        statuses: &[ContractStatus],
    ) -> Vec<Contract> {
        let mut out = Vec::with_capacity(nodes.len());
        let mut names = lock(&self.org_names);
        for node in nodes {
            if let (Some(id), Some(name)) = (
                text(node, &["clientOrganization", "id"]),
                text(node, &["clientOrganization", "name"]),
            ) {
                names.entry(id).or_insert(name);
            }
            let node_totals = text(node, &["id"]).and_then(|id| totals.get(&id).copied());
            match mapping::contract(node, account.kind, node_totals, self.today) {
                Some(c) if statuses.contains(&c.status) => out.push(c),
                Some(_) => {}
                None => self.warn("a contract without an id was left out".into()),
            }
        }
        out
    }

    /// Reads up to [`CONTRACT_LIST_BATCHES`] batches of ids: in one request
    /// through aliases while the server takes that, else one batch per
    /// request. `Ok(None)` when the batched document was refused (the ids
    /// are to be read again one batch at a time).
    fn read_contract_batches(
        &self,
        account: &AccountSummary,
        batches: &[Vec<String>],
        batched: bool,
    ) -> Result<Option<Vec<Value>>, ApiError> {
        if batched && batches.len() > 1 {
            let mut vars = serde_json::Map::new();
            for k in 0..CONTRACT_LIST_BATCHES {
                // Unused aliases repeat the last batch: an empty or null id
                // list is not something real servers were seen to accept.
                let batch = batches.get(k).or(batches.last());
                vars.insert(format!("ids{k}"), json!(batch));
            }
            return match self.call(
                &queries::CONTRACT_LIST_BATCH,
                Value::Object(vars),
                Some(&account.id),
                "Contracts by id",
            ) {
                Ok(data) => Ok(Some(
                    (0..batches.len())
                        .flat_map(|k| list(&data, &[&format!("batch{k}"), "contracts"]).to_vec())
                        .collect(),
                )),
                // A server that refuses aliases (query cost, complexity)
                // answers with errors and no data, or a 400.
                Err(ApiError::GraphQl { .. } | ApiError::Http { status: 400, .. }) => Ok(None),
                Err(e) => Err(e),
            };
        }
        let mut nodes = Vec::new();
        for batch in batches {
            nodes.extend(self.read_contract_batch(account, batch)?);
        }
        Ok(Some(nodes))
    }

    /// One `contractList` call; a batch refused as a whole (one id the key
    /// may not read can sink it) is read id by id, and an id still refused
    /// is left out for the caller to report.
    fn read_contract_batch(
        &self,
        account: &AccountSummary,
        batch: &[String],
    ) -> Result<Vec<Value>, ApiError> {
        match self.call(
            &queries::CONTRACT_LIST,
            json!({ "ids": batch }),
            Some(&account.id),
            "Contracts by id",
        ) {
            Ok(data) => Ok(list(&data, &["contractList", "contracts"]).to_vec()),
            Err(ApiError::GraphQl { .. }) if batch.len() > 1 => {
                let mut nodes = Vec::new();
                for id in batch {
                    nodes.extend(self.read_contract_batch(account, std::slice::from_ref(id))?);
                }
                Ok(nodes)
            }
            Err(ApiError::GraphQl { .. }) => Ok(Vec::new()),
            Err(e) => Err(e),
        }
    }

    /// Contracts in `statuses`: `vendorContracts` page by page (for a vendor),
    /// then every contract found elsewhere that it did not list, read by id.
    /// Each contract once.
    pub(super) fn contract_stream(
        &self,
        account: &AccountSummary,
        statuses: &'static [ContractStatus],
        with_totals: bool,
    ) -> RecordStream<'_, Contract> {
        enum Phase {
            Vendor { offset: u64 },
            Discover,
            ById(VecDeque<String>),
        }
        let account = account.clone();
        let mut phase = if is_vendor(account.kind) {
            Phase::Vendor { offset: 0 }
        } else {
            Phase::Discover
        };
        let mut totals: Option<Arc<HashMap<String, ContractTotals>>> = None;
        let mut guard = self.guard(&queries::VENDOR_CONTRACTS);
        // Ids listed by vendorContracts or already read by id.
        let mut seen: HashSet<String> = HashSet::new();
        // Ids asked of contractList that did not come back.
        let mut asked: HashSet<String> = HashSet::new();
        let mut batched = true;
        let wire_statuses: Vec<&str> = statuses
            .iter()
            .map(|s| match s {
                ContractStatus::Active => "ACTIVE",
                ContractStatus::Paused => "PAUSED",
                ContractStatus::Ended => "CLOSED",
            })
            .collect();
        self.stream(move || {
            if totals.is_none() {
                totals = Some(if with_totals {
                    self.contract_totals(&account)
                } else {
                    Arc::default()
                });
            }
            let totals = totals.clone().unwrap_or_default();
            loop {
                match &mut phase {
                    Phase::Vendor { offset } => {
                        let vars = json!({
                            "filter": {
                                "vendorId": self.vendor_id(&account),
                                "contractStatuses": wire_statuses,
                            },
                            "paging": { "offset": *offset, "limit": PAGE },
                        });
                        let data = match self.call(
                            &queries::VENDOR_CONTRACTS,
                            vars,
                            Some(&account.id),
                            "Contracts",
                        ) {
                            Ok(data) => data,
                            // Refused on accounts that have contracts: the
                            // ids found elsewhere still name them all.
                            Err(e) if soft(&e) => {
                                self.warn(format!(
                                    "Upwork's contract list was refused ({e}); contracts are \
                                     read one by one from the ids that message rooms, the work \
                                     history and offers name"
                                ));
                                phase = Phase::Discover;
                                continue;
                            }
                            Err(e) => return Err(e.into()),
                        };
                        let nodes = list(&data, &["vendorContracts", "contracts"]);
                        if nodes.is_empty() {
                            phase = Phase::Discover;
                            continue;
                        }
                        guard.page(nodes)?;
                        *offset += nodes.len() as u64;
                        if (nodes.len() as u64) < PAGE {
                            phase = Phase::Discover;
                        }
                        let fresh: Vec<Value> = nodes
                            .iter()
                            .filter(|n| text(n, &["id"]).is_none_or(|id| seen.insert(id)))
                            .cloned()
                            .collect();
                        return Ok(Page::More(
                            self.map_contracts(&fresh, &account, &totals, statuses),
                        ));
                    }
                    Phase::Discover => {
                        let ids = self.discovered_contract_ids(&account)?;
                        phase =
                            Phase::ById(ids.into_iter().filter(|id| !seen.contains(id)).collect());
                    }
                    Phase::ById(ids) => {
                        if ids.is_empty() {
                            let missing: Vec<&String> =
                                asked.iter().filter(|id| !seen.contains(*id)).collect();
                            if !missing.is_empty() {
                                let mut named: Vec<&str> =
                                    missing.iter().map(|id| id.as_str()).collect();
                                named.sort_unstable();
                                named.truncate(MAX_NAMED_IDS);
                                self.warn(format!(
                                    "{} contracts named in message rooms or the work history \
                                     could not be read with contractList (ids {}); check them \
                                     on Upwork's My Jobs page",
                                    missing.len(),
                                    named.join(", ")
                                ));
                            }
                            return Ok(Page::Last(Vec::new()));
                        }
                        let per_request = if batched {
                            CONTRACT_LIST_MAX * CONTRACT_LIST_BATCHES
                        } else {
                            CONTRACT_LIST_MAX
                        };
                        let take: Vec<String> = ids.drain(..ids.len().min(per_request)).collect();
                        let batches: Vec<Vec<String>> =
                            take.chunks(CONTRACT_LIST_MAX).map(<[_]>::to_vec).collect();
                        let Some(nodes) =
                            self.read_contract_batches(&account, &batches, batched)?
                        else {
                            log::info!(
                                "the batched contractList document was refused; reading one \
                                 batch per request"
                            );
                            batched = false;
                            for id in take.into_iter().rev() {
                                ids.push_front(id);
                            }
                            continue;
                        };
                        asked.extend(take);
                        let fresh: Vec<Value> = nodes
                            .into_iter()
                            .filter(|n| text(n, &["id"]).is_none_or(|id| seen.insert(id)))
                            .collect();
                        return Ok(Page::More(
                            self.map_contracts(&fresh, &account, &totals, statuses),
                        ));
                    }
                }
            }
        })
    }
}
