//! Upwork's profile: its account kinds, menu paths, payment timing, closing
//! steps and after-care, shared by the API and the CSV source (the same
//! Upwork, read two ways). Sources: `../shared/upwork/FACTS.md`.

use crate::model::account::{AccountKind, PlatformId};
use crate::model::choices::{ChecklistItem, LeaveReason};
use crate::model::profile::{
    AfterCare, ChecklistEntry, ConnectForm, DataLoss, KindProfile, MenuPages, PaymentTiming,
    PlatformProfile, WebsiteClosing,
};

pub static UPWORK_API: PlatformProfile = PlatformProfile {
    id: PlatformId::new("upwork"),
    name: "Upwork (with your API key)",
    company: "Upwork",
    description: "Reads your contracts, proposals, money, messages and reviews through Upwork's \
                  API with your own API key (client id and secret). Read-only: you resolve \
                  blockers and close the account on Upwork's website.",
    connect: ConnectForm::ApiKey,
    acts_itself: false,
    kinds: KINDS,
    payment: PAYMENT,
    checklist: CHECKLIST,
    after_care: AFTER_CARE,
    data_loss: DATA_LOSS,
};

pub static UPWORK_CSV: PlatformProfile = PlatformProfile {
    id: PlatformId::new("upwork-csv"),
    name: "Upwork (downloaded CSV files)",
    company: "Upwork",
    description: "No API key? Add the transaction-history CSV files you downloaded from \
                  Reports › Transaction History. Balances and money in review come from the \
                  files; what they cannot show becomes checklist items.",
    connect: ConnectForm::Files,
    acts_itself: false,
    kinds: KINDS,
    payment: PAYMENT,
    checklist: CHECKLIST,
    after_care: AFTER_CARE,
    data_loss: DATA_LOSS,
};

/// One login can hold a freelancer profile and client companies: closing
/// from Settings closes the login, and with it every side.
const BOTH_SIDES: &str = "One Upwork login can have a freelancer profile and client \
                          companies. Closing the account from Settings closes the whole login, \
                          both sides: review the other side's contracts and money too.";

const KINDS: &[KindProfile] = &[
    KindProfile {
        kind: AccountKind::Freelancer,
        label: "Freelancer",
        pages: FREELANCER_PAGES,
        reasons: LeaveReason::WORKING,
        closing: WebsiteClosing {
            url: "https://www.upwork.com/freelancers/settings/contactInfo",
            steps: &[
                "Sign in and open Settings › Contact Info.",
                "Press \"Close my account\" at the bottom of the page.",
                "Choose the reason, confirm, and answer the security question if asked \
                 (you may have to set one first).",
            ],
        },
        reactivation: "A freelancer account can be reactivated by logging in within 5 years; \
                       after that it is gone.",
        note: Some(BOTH_SIDES),
        asks_agency_plan: false,
    },
    KindProfile {
        kind: AccountKind::Client,
        label: "Client company owner",
        pages: CLIENT_PAGES,
        reasons: LeaveReason::HIRING,
        closing: WebsiteClosing {
            url: "https://www.upwork.com/ab/account-security/settings",
            steps: &[
                "Sign in as the company owner and open Settings › My Info.",
                "Press \"Close account\".",
                "Confirm, and answer the security question if asked.",
            ],
        },
        reactivation: "A client account can only be reopened through support.",
        note: Some(BOTH_SIDES),
        asks_agency_plan: false,
    },
    KindProfile {
        kind: AccountKind::Agency,
        label: "Agency owner",
        pages: AGENCY_PAGES,
        reasons: LeaveReason::AGENCY,
        closing: WebsiteClosing {
            url: "https://www.upwork.com/agencies/settings",
            steps: &[
                "Sign in as the agency owner and open Agency Profile.",
                "Press \"Close my Agency\"; your own freelancer account stays open.",
                "The form asks why, how pending work will be completed, and whether there is \
                 a payout agreement with a client (paste its text): the answers Offboard \
                 prepared are on the checklist page.",
                "Confirm, and answer the security question if asked.",
            ],
        },
        reactivation: "A closed agency can only be reopened through support; your own \
                       freelancer account stays open.",
        note: None,
        asks_agency_plan: true,
    },
];

/// Where each kind resolves things in Upwork's menus.
pub(crate) const FREELANCER_PAGES: MenuPages = MenuPages {
    contracts: "My Jobs › All Contracts",
    proposals: "Find Work › My Proposals",
    offers: "Find Work › My Proposals › Offers",
    job_posts: "Jobs › My Jobs",
    team: "Settings › Members & Permissions",
    money: "Reports › Overview and Settings › Get Paid",
    disputes: "Contract page › Dispute",
};

pub(crate) const CLIENT_PAGES: MenuPages = MenuPages {
    contracts: "Hires › Contracts",
    proposals: "Jobs › My Jobs",
    offers: "Hires › Offers",
    job_posts: "Jobs › My Jobs › Close job",
    team: "Settings › Members & Permissions",
    money: "Settings › Billing & Payments",
    disputes: "Contract page › Dispute",
};

pub(crate) const AGENCY_PAGES: MenuPages = MenuPages {
    contracts: "Agency Dashboard › Contracts",
    proposals: "Find Work › My Proposals (agency)",
    offers: "Find Work › Offers (agency)",
    job_posts: "Jobs › My Jobs",
    team: "Agency Profile › Members",
    money: "Reports › Agency Financials › Get Paid",
    disputes: "Contract page › Dispute",
};

pub(crate) const PAYMENT: PaymentTiming = PaymentTiming {
    in_review_why: "Hourly earnings stay in the client's review window and cannot be withdrawn \
                    until {date}. Closing before then forfeits your access to them.",
    pending_why: "Approved milestone and bonus payments are held for 5 days; this money is \
                  released on {date}.",
    hold_days: 5,
    weekly_hourly_cycle: true,
    withdrawal_days: 8,
};

pub(crate) const CHECKLIST: &[ChecklistEntry] = &[
    ChecklistEntry {
        item: ChecklistItem::WithdrawEarnings,
        detail: "Withdrawals can take up to 8 business days to arrive; keep the payout method \
                 until they do.",
    },
    ChecklistEntry {
        item: ChecklistItem::DownloadTaxForms,
        detail: "Reports › Tax Documents. Whether they stay reachable after closing is unknown.",
    },
    ChecklistEntry {
        item: ChecklistItem::DownloadCertificateOfEarnings,
        detail: "Reports › Certificate of Earnings (1, 3, 6 or 12 months) and one invoice \
                 download per month.",
    },
    ChecklistEntry {
        item: ChecklistItem::RemovePaymentMethods,
        detail: "Settings › Billing & Payments and Get Paid: remove cards, bank accounts and \
                 PayPal.",
    },
    ChecklistEntry {
        item: ChecklistItem::DisconnectLinkedLogins,
        detail: "Settings › Password & Security: unlink sign-in providers.",
    },
    ChecklistEntry {
        item: ChecklistItem::UpdateProfileLinks,
        detail: "A link to a closed profile looks like a dead end to a future client.",
    },
];

const AFTER_CARE: AfterCare = AfterCare {
    retention: &[
        "Upwork keeps financial records (transactions, invoices, tax forms) for as long as tax \
         and anti-money-laundering law requires.",
        "Contracts, messages and dispute records may be kept to defend legal claims.",
        "Feedback you left for others can stay on their profiles.",
        "Your profile stops being public, and you can no longer sign in to download anything. \
         Freelancers can reactivate within 5 years; accounts with a client side go through \
         support.",
        "Everything else can be erased on request: send the letter below to \
         privacyrequests@upwork.com. The answer is due within one month (GDPR Article 12(3)).",
    ],
    privacy_contact: "privacyrequests@upwork.com",
    // FACTS.md names the address and the data request form, no postal
    // address: none is given rather than a guess.
    privacy_postal: None,
    recovery: "Closed by mistake? A freelancer signs in again within 5 years and follows the \
               reactivation link Upwork emails. Otherwise contact Upwork Support \
               (support.upwork.com › Contact Support) with your username and the closing \
               reference on this receipt.",
    data_copy: "Upwork has no self-service export of messages; Offboard's export is the copy. \
                Invoices and tax forms: Reports.",
};

pub(crate) const DATA_LOSS: &[DataLoss] = &[
    DataLoss {
        id: "data:messages",
        title: "Messages disappear with the account",
        why: "The platform offers no message export; once closed, conversations and shared \
              files are out of reach.",
        how: "Export them in the next step.",
        kinds: &[],
    },
    DataLoss {
        id: "data:history",
        title: "Work history, reviews and invoices go too",
        why: "Your reviews and job history are proof of your track record, and invoices and \
              tax forms may be needed for years.",
        how: "Export them in the next step; download tax forms from Reports › Tax Documents.",
        kinds: &[],
    },
    DataLoss {
        id: "data:clients",
        title: "Clients lose the way to reach you",
        why: "Messages on the platform stop working for both sides once you close.",
        how: "Send farewell notes with your contact details (hand-off step).",
        kinds: &[AccountKind::Freelancer, AccountKind::Agency],
    },
];
