//! The query documents Offboard sends, one `.graphql` file per query in
//! `src/platform/upwork/queries/`, and the API-key permission each needs.
//!
//! Permission names are what Upwork's API Center shows when a key is
//! edited (its scope list, as clients run against real accounts name it);
//! a refusal names the one to enable.

/// One GraphQL query document.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Query {
    /// The operation name in the document.
    pub operation: &'static str,
    /// The root field it asks for, used to name it in errors.
    pub field: &'static str,
    /// The full document (with any fragment it uses).
    pub document: &'static str,
    /// The API-key permission (scope) the query needs, as the API Center
    /// names it, quoted: `"Messaging"`, `"Payments" with "Read transaction data"`.
    pub permission: &'static str,
}

// Each value is shown as is after "enable", so it carries its own quotes.
// Confirmed names (API Center scope list, FACTS.md): "Talent Profile" covers
// the profile, proposals and work history; "Contract - R/W" is the only
// contract scope listed; "Payments" needs its "Read transaction data" option.
const PROFILE: &str = "\"Talent Profile\"";
const CONTRACTS: &str = "\"Contract - R/W\"";
const OFFERS: &str = "\"Offer - Read-Only\"";
const PROPOSALS: &str = "\"Talent Profile\"";
const WORK_HISTORY: &str = "\"Talent Profile\"";
const PAYMENTS: &str = "\"Payments\" with \"Read transaction data\"";
const TIME: &str = "\"TimeSheet - Read-Only\"";
const MESSAGES: &str = "\"Messaging\"";
// Not in the confirmed list: the organisation queries and job posts keep
// the names Upwork's scope docs used; a guess until a real key shows them.
const COMMON: &str = "\"Common Entities - Read-Only Access\"";
const JOB_POSTS: &str = "\"Read marketplace Job Postings\"";

macro_rules! doc {
    ($file:literal) => {
        include_str!(concat!("../queries/", $file))
    };
    ($file:literal + fragment $fragment:literal) => {
        concat!(
            include_str!(concat!("../queries/", $file)),
            "\n",
            include_str!(concat!("../queries/", $fragment))
        )
    };
}

pub const SESSION: Query = Query {
    operation: "Session",
    field: "companySelector",
    document: doc!("session.graphql"),
    permission: COMMON,
};

pub const ORGANIZATION: Query = Query {
    operation: "Organization",
    field: "organization",
    document: doc!("organization.graphql"),
    permission: COMMON,
};

pub const FREELANCER_PROFILE: Query = Query {
    operation: "FreelancerProfile",
    field: "freelancerProfile",
    document: doc!("freelancer_profile.graphql"),
    permission: PROFILE,
};

pub const ORGANIZATION_PROFILE: Query = Query {
    operation: "OrganizationProfile",
    field: "organization",
    document: doc!("organization_profile.graphql"),
    permission: COMMON,
};

pub const VENDOR_CONTRACTS: Query = Query {
    operation: "VendorContracts",
    field: "vendorContracts",
    document: doc!("vendor_contracts.graphql" + fragment "contract_fields.graphql"),
    permission: CONTRACTS,
};

pub const CONTRACT_LIST: Query = Query {
    operation: "ContractList",
    field: "contractList",
    document: doc!("contract_list.graphql" + fragment "contract_fields.graphql"),
    permission: CONTRACTS,
};

/// Up to [`CONTRACT_LIST_BATCHES`] `contractList` calls in one request.
pub const CONTRACT_LIST_BATCH: Query = Query {
    operation: "ContractListBatch",
    field: "contractList",
    document: doc!("contract_list_batch.graphql" + fragment "contract_fields.graphql"),
    permission: CONTRACTS,
};

/// The aliases (`batch0`…) and variables (`ids0`…) of [`CONTRACT_LIST_BATCH`].
pub const CONTRACT_LIST_BATCHES: usize = 4;

pub const OFFERS_BY_ATTRIBUTE: Query = Query {
    operation: "Offers",
    field: "offersByAttribute",
    document: doc!("offers.graphql"),
    permission: OFFERS,
};

pub const CLIENT_OFFERS: Query = Query {
    operation: "ClientOffers",
    field: "clientOffers",
    document: doc!("client_offers.graphql"),
    permission: OFFERS,
};

pub const VENDOR_PROPOSALS: Query = Query {
    operation: "VendorProposals",
    field: "vendorProposals",
    document: doc!("vendor_proposals.graphql"),
    permission: PROPOSALS,
};

pub const JOB_POSTINGS: Query = Query {
    operation: "JobPostings",
    field: "jobPosting",
    document: doc!("job_postings.graphql"),
    permission: JOB_POSTS,
};

pub const STAFF: Query = Query {
    operation: "Staff",
    field: "staffs",
    document: doc!("staff.graphql"),
    permission: COMMON,
};

pub const ACCOUNTING_ENTITY: Query = Query {
    operation: "AccountingEntity",
    field: "accountingEntity",
    document: doc!("accounting_entity.graphql"),
    permission: PAYMENTS,
};

pub const TRANSACTION_HISTORY: Query = Query {
    operation: "TransactionHistory",
    field: "transactionHistory",
    document: doc!("transaction_history.graphql" + fragment "transaction_rows.graphql"),
    permission: PAYMENTS,
};

pub const TIME_REPORT: Query = Query {
    operation: "TimeReport",
    field: "contractTimeReport",
    document: doc!("time_report.graphql" + fragment "time_report_page.graphql"),
    permission: TIME,
};

pub const ROOM_LIST: Query = Query {
    operation: "RoomList",
    field: "roomList",
    document: doc!("room_list.graphql"),
    permission: MESSAGES,
};

pub const ROOM_STORIES: Query = Query {
    operation: "RoomStories",
    field: "roomStories",
    document: doc!("room_stories.graphql" + fragment "story_page.graphql"),
    permission: MESSAGES,
};

pub const ROOM_STORIES_WITHOUT_AUTHOR: Query = Query {
    operation: "RoomStoriesWithoutAuthor",
    field: "roomStories",
    document: doc!("room_stories_without_author.graphql"),
    permission: MESSAGES,
};

pub const WORK_HISTORY_QUERY: Query = Query {
    operation: "WorkHistory",
    field: "talentWorkHistory",
    document: doc!("work_history.graphql"),
    permission: WORK_HISTORY,
};

/// One root field asked several times in one request through aliases
/// (`part0`, `part1`…), each alias taking the variables of `single` with its
/// index appended (`filter0`, `pagination0`…). Upwork's limit counts
/// requests, so independent reads cost one request instead of `parts`.
#[derive(Clone, Copy, Debug)]
pub struct Aliased {
    pub batch: Query,
    /// The same read once a request: the fallback, and the shape each
    /// part's answer is handed back in.
    pub single: Query,
    /// How many aliases `batch` declares.
    pub parts: usize,
}

/// The first pages of up to ten rooms' messages.
pub const ROOM_STORIES_BATCH: Aliased = Aliased {
    batch: Query {
        operation: "RoomStoriesBatch",
        field: "roomStories",
        document: doc!("room_stories_batch.graphql" + fragment "story_page.graphql"),
        permission: MESSAGES,
    },
    single: ROOM_STORIES,
    parts: 10,
};

/// Up to six months of transactions.
pub const TRANSACTION_HISTORY_BATCH: Aliased = Aliased {
    batch: Query {
        operation: "TransactionHistoryBatch",
        field: "transactionHistory",
        document: doc!("transaction_history_batch.graphql" + fragment "transaction_rows.graphql"),
        permission: PAYMENTS,
    },
    single: TRANSACTION_HISTORY,
    parts: 6,
};

/// A page of up to eight date ranges of the time report.
pub const TIME_REPORT_BATCH: Aliased = Aliased {
    batch: Query {
        operation: "TimeReportBatch",
        field: "contractTimeReport",
        document: doc!("time_report_batch.graphql" + fragment "time_report_page.graphql"),
        permission: TIME,
    },
    single: TIME_REPORT,
    parts: 8,
};

/// Every aliased document, for the tests.
#[cfg(test)]
const ALIASED: &[Aliased] = &[
    ROOM_STORIES_BATCH,
    TRANSACTION_HISTORY_BATCH,
    TIME_REPORT_BATCH,
];

/// Every query Offboard sends, for validation against the schema.
pub const QUERIES: &[Query] = &[
    SESSION,
    ORGANIZATION,
    FREELANCER_PROFILE,
    ORGANIZATION_PROFILE,
    VENDOR_CONTRACTS,
    CONTRACT_LIST,
    CONTRACT_LIST_BATCH,
    OFFERS_BY_ATTRIBUTE,
    CLIENT_OFFERS,
    VENDOR_PROPOSALS,
    JOB_POSTINGS,
    STAFF,
    ACCOUNTING_ENTITY,
    TRANSACTION_HISTORY,
    TIME_REPORT,
    ROOM_LIST,
    ROOM_STORIES,
    ROOM_STORIES_WITHOUT_AUTHOR,
    WORK_HISTORY_QUERY,
    ROOM_STORIES_BATCH.batch,
    TRANSACTION_HISTORY_BATCH.batch,
    TIME_REPORT_BATCH.batch,
];

/// Every permission Offboard's queries need, each once, as the API Center
/// names them: what to tick when creating a key.
pub fn required_permissions() -> Vec<&'static str> {
    let mut names: Vec<&'static str> = Vec::new();
    for q in QUERIES {
        if !names.contains(&q.permission) {
            names.push(q.permission);
        }
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_document_declares_its_operation_once() {
        for q in QUERIES {
            let declared = format!("query {}", q.operation);
            assert_eq!(
                q.document.matches(&declared).count(),
                1,
                "{} must declare `{declared}` once",
                q.field
            );
            assert!(q.document.contains(q.field), "{}", q.operation);
            assert!(!q.permission.is_empty());
        }
        let mut names: Vec<_> = QUERIES.iter().map(|q| q.operation).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), QUERIES.len(), "operation names are unique");
    }

    /// Each aliased document declares exactly `parts` aliases, each asking
    /// `single`'s field with `single`'s variables suffixed by its index.
    #[test]
    fn aliased_documents_match_their_single_query() {
        for aliased in ALIASED {
            let single = aliased.single;
            let names: Vec<&str> = single
                .document
                .split('$')
                .skip(1)
                .filter_map(|rest| rest.split(':').next())
                .filter(|name| name.chars().all(|c| c.is_ascii_alphanumeric()))
                .collect();
            assert!(!names.is_empty(), "{}", single.operation);
            for k in 0..aliased.parts {
                let alias = format!("part{k}: {}(", single.field);
                assert_eq!(aliased.batch.document.matches(&alias).count(), 1, "{alias}");
                for name in &names {
                    let declared = format!("${name}{k}:");
                    assert!(aliased.batch.document.contains(&declared), "{declared}");
                }
            }
            let beyond = format!("part{}:", aliased.parts);
            assert!(!aliased.batch.document.contains(&beyond), "{beyond}");
            assert_eq!(aliased.batch.field, single.field);
            assert_eq!(aliased.batch.permission, single.permission);
        }
    }

    #[test]
    fn the_permissions_to_enable_are_the_api_center_names() {
        let names = required_permissions();
        for confirmed in [
            "\"Talent Profile\"",
            "\"TimeSheet - Read-Only\"",
            "\"Offer - Read-Only\"",
            "\"Payments\" with \"Read transaction data\"",
            "\"Contract - R/W\"",
            "\"Messaging\"",
        ] {
            assert!(names.contains(&confirmed), "{confirmed}: {names:?}");
        }
        assert_eq!(
            names.len(),
            8,
            "the six confirmed names and two guesses: {names:?}"
        );
    }
}
