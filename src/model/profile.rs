//! What Offboard knows of one platform, as plain data: its names, how the
//! user connects, its rules per account kind, where things are in its
//! menus, how long its money takes, how an account closes there, and what
//! happens after. Each platform writes its profile in its own folder under
//! `platform/`; one registry lists them, and the wizard, the review, the
//! closing steps and the pages read the profile instead of matching on a
//! platform id.

use super::account::{AccountKind, PlatformId};
use super::questionnaire::Questionnaire;
use super::wizard::{ChecklistItem, LeaveReason};

/// One platform, as the wizard sees it.
#[derive(Debug)]
pub struct PlatformProfile {
    pub id: PlatformId,
    /// The source's name on the connect page, e.g. "Upwork (with your API key)".
    pub name: &'static str,
    /// The company, for receipts and letters: "Upwork", "Fiverr".
    pub company: &'static str,
    pub description: &'static str,
    pub connect: ConnectForm,
    /// Whether Offboard itself carries out resolutions and the closing.
    pub acts_itself: bool,
    /// The kinds of account it has, each with its own rules and pages.
    pub kinds: &'static [KindProfile],
    pub payment: PaymentTiming,
    /// The pre-close checklist, with where each thing is on this platform.
    pub checklist: &'static [ChecklistEntry],
    pub after_care: AfterCare,
    /// What vanishes with the account and how to keep it.
    pub data_loss: &'static [DataLoss],
}

/// How the user connects a source.
#[derive(Clone, Copy, Debug)]
pub enum ConnectForm {
    /// Built in, offline: nothing to enter.
    Offline,
    /// The user's own API key, authorised in the browser.
    ApiKey,
    /// Files the user downloaded from the platform.
    Files,
    /// No API and no files: the user answers a short questionnaire.
    Questionnaire(&'static Questionnaire),
}

impl ConnectForm {
    /// Whether the source is built from what the user gives (files,
    /// answers), which may change between two looks: it is opened again
    /// each time rather than kept.
    pub fn given_by_user(self) -> bool {
        matches!(self, ConnectForm::Files | ConnectForm::Questionnaire(_))
    }
}

/// One account kind on one platform.
#[derive(Debug)]
pub struct KindProfile {
    pub kind: AccountKind,
    /// The platform's own word for it: "Seller", "Employer".
    pub label: &'static str,
    pub pages: MenuPages,
    /// The reasons this kind of user is asked about (a company owner is not
    /// asked whether clients are hard to find).
    pub reasons: &'static [LeaveReason],
    pub closing: WebsiteClosing,
    /// Before closing: whether and how the account can come back.
    pub reactivation: &'static str,
    /// A note shown on the review for this kind, e.g. that one login has
    /// both sides and closing closes both.
    pub note: Option<&'static str>,
    /// The platform's close form asks how pending work will be completed
    /// and about payout agreements with clients (an agency's does): the
    /// wizard prepares the answers beforehand.
    pub asks_agency_plan: bool,
}

/// Where things are resolved, in the platform's menus.
#[derive(Debug)]
pub struct MenuPages {
    pub contracts: &'static str,
    pub proposals: &'static str,
    pub offers: &'static str,
    pub job_posts: &'static str,
    pub team: &'static str,
    pub money: &'static str,
    pub disputes: &'static str,
}

/// Where and how an account is closed on the platform's website.
#[derive(Debug)]
pub struct WebsiteClosing {
    pub url: &'static str,
    pub steps: &'static [&'static str],
}

/// How long the platform's money takes, in the words the review uses.
#[derive(Debug)]
pub struct PaymentTiming {
    /// Why money in review cannot be withdrawn yet ("{date}" is replaced).
    pub in_review_why: &'static str,
    /// Why pending money cannot be withdrawn yet ("{date}" is replaced).
    pub pending_why: &'static str,
    /// Days a released payment is held before it can be withdrawn, when
    /// the source does not say when it becomes available.
    pub hold_days: i64,
    /// Whether hourly work follows Upwork's weekly cycle (billed the week
    /// after, withdrawable ten days after the week ends).
    pub weekly_hourly_cycle: bool,
    /// Business days a withdrawal can take to arrive.
    pub withdrawal_days: i64,
}

/// One checklist item and where to do it on this platform.
#[derive(Debug)]
pub struct ChecklistEntry {
    pub item: ChecklistItem,
    pub detail: &'static str,
}

/// What happens after closing.
#[derive(Debug)]
pub struct AfterCare {
    /// What the platform keeps, in plain words.
    pub retention: &'static [&'static str],
    /// Where a GDPR Article 17 erasure request goes.
    pub privacy_contact: &'static str,
    /// The postal address for it, where the platform gives one.
    pub privacy_postal: Option<&'static str>,
    /// What to do if the account closed by mistake or should come back.
    pub recovery: &'static str,
    /// How to get a copy of one's data from the platform itself.
    pub data_copy: &'static str,
}

/// One thing lost with the account, an advisory on the review.
#[derive(Debug)]
pub struct DataLoss {
    pub id: &'static str,
    pub title: &'static str,
    pub why: &'static str,
    pub how: &'static str,
    /// Only for these kinds; all when empty.
    pub kinds: &'static [AccountKind],
}

/// Every platform this build offers, in the order the connect page lists
/// them; the first is the default.
#[derive(Clone, Copy, Debug)]
pub struct Profiles(pub &'static [&'static PlatformProfile]);

impl Profiles {
    pub fn all(self) -> &'static [&'static PlatformProfile] {
        self.0
    }

    /// The profile of `id`; the default (first) one for an id this build
    /// does not know, as a state file from a newer Offboard may hold.
    pub fn get(self, id: &PlatformId) -> &'static PlatformProfile {
        self.find(id).unwrap_or_else(|| self.default_profile())
    }

    pub fn find(self, id: &PlatformId) -> Option<&'static PlatformProfile> {
        self.0.iter().copied().find(|p| p.id == *id)
    }

    pub fn find_slug(self, slug: &str) -> Option<&'static PlatformProfile> {
        self.0.iter().copied().find(|p| p.id.slug() == slug)
    }

    pub fn default_profile(self) -> &'static PlatformProfile {
        self.0.first().copied().unwrap_or(&EMPTY)
    }
}

/// Stands in only where a build lists no platform at all.
static EMPTY: PlatformProfile = PlatformProfile {
    id: PlatformId::new("none"),
    name: "No platform",
    company: "the platform",
    description: "",
    connect: ConnectForm::Offline,
    acts_itself: false,
    kinds: &[],
    payment: PaymentTiming {
        in_review_why: "",
        pending_why: "",
        hold_days: 0,
        weekly_hourly_cycle: false,
        withdrawal_days: 0,
    },
    checklist: &[],
    after_care: AfterCare {
        retention: &[],
        privacy_contact: "",
        privacy_postal: None,
        recovery: "",
        data_copy: "",
    },
    data_loss: &[],
};

impl PlatformProfile {
    /// This platform's profile of `kind`; the first kind it has where it
    /// has no such kind (an account kind from another source).
    pub fn kind(&self, kind: AccountKind) -> Option<&'static KindProfile> {
        self.kinds
            .iter()
            .find(|k| k.kind == kind)
            .or_else(|| self.kinds.first())
    }

    /// The platform's word for `kind`.
    pub fn kind_label(&self, kind: AccountKind) -> &'static str {
        self.kinds
            .iter()
            .find(|k| k.kind == kind)
            .map_or(kind.label(), |k| k.label)
    }

    pub fn questionnaire(&self) -> Option<&'static Questionnaire> {
        match self.connect {
            ConnectForm::Questionnaire(q) => Some(q),
            _ => None,
        }
    }

    /// Checklist items that apply here.
    pub fn checklist_items(&self) -> impl Iterator<Item = ChecklistItem> + '_ {
        self.checklist.iter().map(|e| e.item)
    }
}

/// Profiles for the model's own tests, which cannot reach the real ones in
/// `platform/` (the model sits below it): one of each way to connect.
#[cfg(test)]
pub(crate) mod testing {
    use super::*;
    use crate::model::questionnaire::{
        AnswerKind, Clears, MoneyRole, Question, Questionnaire, Rule, Trigger,
    };
    use crate::model::review::{ItemKind, Severity};

    const fn kind(kind: AccountKind, label: &'static str) -> KindProfile {
        KindProfile {
            kind,
            label,
            // The demo's menus, which the review's tests name.
            pages: match kind {
                AccountKind::Freelancer => MenuPages {
                    contracts: "My Jobs › All Contracts",
                    proposals: "Find Work › My Proposals",
                    offers: "Find Work › My Proposals › Offers",
                    job_posts: "Jobs › My Jobs",
                    team: "Settings › Members & Permissions",
                    money: "Reports › Overview and Settings › Get Paid",
                    disputes: "Contract page › Dispute",
                },
                AccountKind::Client => MenuPages {
                    contracts: "Hires › Contracts",
                    proposals: "Jobs › My Jobs",
                    offers: "Hires › Offers",
                    job_posts: "Jobs › My Jobs › Close job",
                    team: "Settings › Members & Permissions",
                    money: "Settings › Billing & Payments",
                    disputes: "Contract page › Dispute",
                },
                AccountKind::Agency => MenuPages {
                    contracts: "Agency Dashboard › Contracts",
                    proposals: "Find Work › My Proposals (agency)",
                    offers: "Find Work › Offers (agency)",
                    job_posts: "Jobs › My Jobs",
                    team: "Agency Profile › Members",
                    money: "Reports › Agency Financials › Get Paid",
                    disputes: "Contract page › Dispute",
                },
            },
            reasons: match kind {
                AccountKind::Client => LeaveReason::HIRING,
                AccountKind::Agency => LeaveReason::AGENCY,
                AccountKind::Freelancer => LeaveReason::WORKING,
            },
            closing: WebsiteClosing {
                url: "https://marketplace.example/settings",
                steps: &["Open Settings.", "Press \"Close account\"."],
            },
            reactivation: match kind {
                AccountKind::Client => "A client account can only be reopened through support.",
                _ => "Log in within 30 days to reactivate.",
            },
            // One login holds the freelancer and client sides.
            note: match kind {
                AccountKind::Agency => None,
                _ => Some("One login, both sides: closing closes both."),
            },
            asks_agency_plan: matches!(kind, AccountKind::Agency),
        }
    }

    const KINDS: &[KindProfile] = &[
        kind(AccountKind::Freelancer, "Freelancer"),
        kind(AccountKind::Client, "Client company owner"),
        kind(AccountKind::Agency, "Agency owner"),
    ];

    const fn profile(
        slug: &'static str,
        connect: ConnectForm,
        acts_itself: bool,
        kinds: &'static [KindProfile],
    ) -> PlatformProfile {
        PlatformProfile {
            id: PlatformId::new(slug),
            name: "Test marketplace",
            company: "the test marketplace",
            description: "A marketplace for the model's tests.",
            connect,
            acts_itself,
            kinds,
            payment: PaymentTiming {
                in_review_why: "Earnings in review clear on {date}.",
                pending_why: "Payments are held for 5 days; released on {date}.",
                hold_days: 5,
                weekly_hourly_cycle: true,
                withdrawal_days: 8,
            },
            checklist: &[
                ChecklistEntry {
                    item: ChecklistItem::WithdrawEarnings,
                    detail: "Payments › Withdraw.",
                },
                ChecklistEntry {
                    item: ChecklistItem::DownloadTaxForms,
                    detail: "Reports › Tax.",
                },
                ChecklistEntry {
                    item: ChecklistItem::DownloadCertificateOfEarnings,
                    detail: "Reports › Earnings.",
                },
                ChecklistEntry {
                    item: ChecklistItem::RemovePaymentMethods,
                    detail: "Settings › Billing.",
                },
                ChecklistEntry {
                    item: ChecklistItem::DisconnectLinkedLogins,
                    detail: "Settings › Security.",
                },
                ChecklistEntry {
                    item: ChecklistItem::UpdateProfileLinks,
                    detail: "Your website and CV.",
                },
            ],
            after_care: AfterCare {
                retention: &["Financial records are kept for 7 years."],
                privacy_contact: "privacy@marketplace.example",
                privacy_postal: None,
                recovery: "Contact support with your username.",
                data_copy: "Ask support.",
            },
            data_loss: &[
                DataLoss {
                    id: "data:messages",
                    title: "Messages disappear with the account",
                    why: "No message export.",
                    how: "Export them in the next step.",
                    kinds: &[],
                },
                DataLoss {
                    id: "data:history",
                    title: "Work history goes too",
                    why: "Proof of your track record.",
                    how: "Export it in the next step.",
                    kinds: &[],
                },
                DataLoss {
                    id: "data:clients",
                    title: "Clients lose the way to reach you",
                    why: "Messages stop working.",
                    how: "Send farewell notes.",
                    kinds: &[AccountKind::Freelancer, AccountKind::Agency],
                },
            ],
        }
    }

    pub static DEMO: PlatformProfile = profile("demo", ConnectForm::Offline, true, KINDS);
    pub static API: PlatformProfile = profile("upwork", ConnectForm::ApiKey, false, KINDS);
    pub static FILES: PlatformProfile = profile("upwork-csv", ConnectForm::Files, false, KINDS);
    pub static GUIDED: PlatformProfile = profile(
        "guided",
        ConnectForm::Questionnaire(&QUESTIONS),
        false,
        &[
            kind(AccountKind::Freelancer, "Seller"),
            kind(AccountKind::Client, "Buyer"),
        ],
    );

    static QUESTIONS: Questionnaire = Questionnaire {
        questions: &[
            Question {
                id: "balance",
                text: "Balance?",
                kind: AnswerKind::Amount,
                kinds: &[],
                hint: "",
            },
            Question {
                id: "clearing",
                text: "Clearing until?",
                kind: AnswerKind::Date,
                kinds: &[AccountKind::Freelancer],
                hint: "",
            },
            Question {
                id: "restricted",
                text: "Restricted?",
                kind: AnswerKind::YesNo,
                kinds: &[],
                hint: "",
            },
        ],
        rules: &[
            Rule {
                id: "balance",
                kinds: &[AccountKind::Freelancer, AccountKind::Client],
                trigger: Trigger::Positive("balance"),
                severity: Severity::Blocker,
                item: ItemKind::AvailableBalance,
                title: "{amount} to withdraw",
                why: "A balance blocks closing.",
                how: "Withdraw it.",
                link: "https://marketplace.example/pay",
                source: "test",
                confirmed: true,
                clears: Clears::Never,
                money: Some(MoneyRole::Available),
            },
            Rule {
                id: "restricted",
                kinds: &[AccountKind::Freelancer],
                trigger: Trigger::Yes("restricted"),
                severity: Severity::Blocker,
                item: ItemKind::AccountIssue,
                title: "Restricted",
                why: "A restricted account cannot close.",
                how: "Ask support by {date}.",
                link: "https://marketplace.example/help",
                source: "test",
                confirmed: false,
                clears: Clears::OnAnswer {
                    question: "clearing",
                    days: 1,
                    unanswered: None,
                },
                money: None,
            },
        ],
    };

    pub static ALL: [&PlatformProfile; 4] = [&DEMO, &API, &FILES, &GUIDED];

    pub fn profiles() -> Profiles {
        Profiles(&ALL)
    }
}
