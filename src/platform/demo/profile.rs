//! The demo platform's profile: a marketplace modelled on Upwork's rules,
//! in neutral words, on which Offboard itself resolves and closes.

use crate::model::account::{AccountKind, PlatformId};
use crate::model::choices::LeaveReason;
use crate::model::profile::{AfterCare, ConnectForm, KindProfile, PlatformProfile, WebsiteClosing};
use crate::platform::upwork::profile as upwork;

pub static DEMO: PlatformProfile = PlatformProfile {
    id: PlatformId::new("demo"),
    name: "Demo platform",
    company: "the demo platform",
    description: "A built-in marketplace with realistic sample accounts. Works offline; \
                  nothing you do here touches a real account.",
    connect: ConnectForm::Offline,
    acts_itself: true,
    kinds: KINDS,
    // The demo is modelled on Upwork: its money timing, menus, checklist
    // and losses.
    payment: upwork::PAYMENT,
    checklist: upwork::CHECKLIST,
    after_care: AfterCare {
        retention: &[
            "Financial records (transactions, invoices, tax forms) are kept for as long as tax \
             and anti-money-laundering law requires, typically 7 years.",
            "Contracts, messages and dispute records may be kept to defend legal claims.",
            "Reviews you left for others can stay on their profiles, without your name.",
            "Your profile stops being public at once, and you can no longer sign in to \
             download anything.",
            "Everything else can be erased on request: send the letter below. The platform \
             must answer within one month (GDPR Article 12(3)).",
        ],
        privacy_contact: "privacy@demo-platform.example",
        privacy_postal: None,
        recovery: "Closed by mistake? A freelancer signs in within 5 years and follows the \
                   reactivation link sent by email; otherwise contact support with your username \
                   and the closing reference on this receipt.",
        data_copy: "The demo keeps no data beyond what Offboard exports.",
    },
    data_loss: upwork::DATA_LOSS,
};

const KINDS: &[KindProfile] = &[
    KindProfile {
        kind: AccountKind::Freelancer,
        label: "Freelancer",
        pages: upwork::FREELANCER_PAGES,
        reasons: LeaveReason::WORKING,
        closing: WebsiteClosing {
            url: "https://demo-platform.example/settings/account",
            steps: &["Offboard closes the demo account itself."],
        },
        reactivation: "A freelancer account can be reactivated by logging in within 5 years; \
                       after that it is gone.",
        note: None,
        asks_agency_plan: false,
    },
    KindProfile {
        kind: AccountKind::Client,
        label: "Client company owner",
        pages: upwork::CLIENT_PAGES,
        reasons: LeaveReason::HIRING,
        closing: WebsiteClosing {
            url: "https://demo-platform.example/settings/account",
            steps: &["Offboard closes the demo account itself."],
        },
        reactivation: "A client account can only be reopened through support.",
        note: None,
        asks_agency_plan: false,
    },
    KindProfile {
        kind: AccountKind::Agency,
        label: "Agency owner",
        pages: upwork::AGENCY_PAGES,
        reasons: LeaveReason::AGENCY,
        closing: WebsiteClosing {
            url: "https://demo-platform.example/agency/settings",
            steps: &["Offboard closes the demo agency itself."],
        },
        reactivation: "A closed agency can only be reopened through support; your own \
                       freelancer account stays open.",
        note: None,
        asks_agency_plan: true,
    },
];
