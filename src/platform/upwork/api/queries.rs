//! The query documents Offboard sends, one `.graphql` file per query in
//! `src/platform/upwork/queries/`, and the API-key permission each needs.
//!
//! Permission names are what Upwork's API center shows when a key is
//! edited; a 403 names the one to add.

/// One GraphQL query document.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Query {
    /// The operation name in the document.
    pub operation: &'static str,
    /// The root field it asks for, used to name it in errors.
    pub field: &'static str,
    /// The full document (with any fragment it uses).
    pub document: &'static str,
    /// The API-key permission (scope) the query needs.
    pub permission: &'static str,
}

const COMMON: &str = "Common Entities - Read-Only Access";
const PROFILE: &str = "Freelancer Profile - Read-Only Access";
const CONTRACTS: &str = "Contracts - Read-Only Access";
const OFFERS: &str = "Offers - Read-Only Access";
const PROPOSALS: &str = "Proposals - Read-Only Access";
const JOB_POSTS: &str = "Read marketplace Job Postings";
const PAYMENTS: &str = "Payments - Read-Only Access";
const TIME: &str = "Time Reports - Read-Only Access";
const MESSAGES: &str = "Messages - Read-Only Access";
const WORK_HISTORY: &str = "Talent Work History - Read-Only Access";

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
    document: doc!("transaction_history.graphql"),
    permission: PAYMENTS,
};

pub const TIME_REPORT: Query = Query {
    operation: "TimeReport",
    field: "contractTimeReport",
    document: doc!("time_report.graphql"),
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
    document: doc!("room_stories.graphql"),
    permission: MESSAGES,
};

pub const WORK_HISTORY_QUERY: Query = Query {
    operation: "WorkHistory",
    field: "talentWorkHistory",
    document: doc!("work_history.graphql"),
    permission: WORK_HISTORY,
};

/// Every query Offboard sends, for validation against the schema.
pub const QUERIES: &[Query] = &[
    SESSION,
    ORGANIZATION,
    FREELANCER_PROFILE,
    ORGANIZATION_PROFILE,
    VENDOR_CONTRACTS,
    CONTRACT_LIST,
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
    WORK_HISTORY_QUERY,
];

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
}
