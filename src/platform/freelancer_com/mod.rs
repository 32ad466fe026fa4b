//! Freelancer.com: a guided platform. One account can be both employer and
//! freelancer, and both follow the same closing flow and conditions [R1][R4].
//!
//! Sources (`../shared/platforms/FREELANCER_COM.md` keeps them with what is
//! unconfirmed):
//! - [R1] freelancer.com/support/profile/how-to-close-your-freelancer-account
//! - [R3] freelancer.com/support/profile/deleting-my-freelancer-account
//! - [R4] freelancer.com/about/terms (User Agreement, 1 June 2023; §33 closing)
//! - [R5] freelancer.com/about/privacy (Privacy Officer)
//! - [R6] freelancer.com/support/payments/how-to-withdraw-funds
//! - [R7] freelancer.com/support/payments/what-does-your-withdrawal-status-mean
//! - [R8] freelancer.com/support/Payments/15-day-delay-for-withdrawals
//! - [R9] freelancer.com/support/payments/refunding-my-deposit
//! - [R12] freelancer.com/support/Membership/how-do-i-cancel-downgrade-my-membership-plan

use crate::model::account::{AccountKind, PlatformId};
use crate::model::choices::{ChecklistItem, LeaveReason};
use crate::model::profile::{
    AfterCare, ChecklistEntry, ConnectForm, DataLoss, KindProfile, MenuPages, PaymentTiming,
    PlatformProfile, WebsiteClosing,
};
use crate::model::questionnaire::{
    AnswerKind, Clears, MoneyRole, Question, Questionnaire, Rule, Trigger,
};
use crate::model::review::{ItemKind, Severity};

const FREELANCER: AccountKind = AccountKind::Freelancer;
const EMPLOYER: AccountKind = AccountKind::Client;
const BOTH: &[AccountKind] = &[FREELANCER, EMPLOYER];

const ACCOUNT_SETTINGS: &str = "https://www.freelancer.com/user/settings/account";
const WITHDRAW: &str = "https://www.freelancer.com/payments/withdraw";
const PROJECTS: &str = "https://www.freelancer.com/dashboard/projects";
const MEMBERSHIP: &str = "https://www.freelancer.com/membership";
const SUPPORT: &str = "https://www.freelancer.com/support";

pub static FREELANCER_COM: PlatformProfile = PlatformProfile {
    id: PlatformId::new("freelancer-com"),
    name: "Freelancer.com (answer a few questions)",
    company: "Freelancer.com",
    description: "Freelancer.com has no API Offboard can use: answer a few questions about \
                  your funds, milestones, contests and projects, and the review, checklist \
                  and closing steps follow its rules for freelancers and employers.",
    connect: ConnectForm::Questionnaire(&QUESTIONNAIRE),
    acts_itself: false,
    kinds: KINDS,
    payment: PaymentTiming {
        in_review_why: "A first withdrawal is held for 15 days; this money can be withdrawn \
                        from {date}.",
        pending_why: "Milestone money counts only once the employer releases it; this is \
                      expected on {date}.",
        // No clearance hold on released milestones was found [R6][R8].
        hold_days: 0,
        weekly_hourly_cycle: false,
        // Wire transfer: 3–5 business days once processed; batches run
        // Monday and Thursday [R7][R8].
        withdrawal_days: 5,
    },
    checklist: CHECKLIST,
    after_care: AfterCare {
        // [R3][R4 §10, §11, §33][R5]
        retention: &[
            "Deletion becomes final 7 days after the request; until then, chat with Support to \
             undo it.",
            "Freelancer.com keeps some data after deletion for records, regulation, compliance, \
             statistics and law enforcement; closing does not delete everything.",
            "Reviews and feedback belong to Freelancer.com; whether they stay visible is not \
             published.",
            "Everything else can be erased on request: send the letter below to the Privacy \
             Officer, privacy-officer@freelancer.com. The answer is due within one month (GDPR \
             Article 12(3)).",
        ],
        privacy_contact: "privacy-officer@freelancer.com",
        privacy_postal: Some(
            "Attn: Privacy Officer, Level 37, Grosvenor Place, 225 George \
                              Street, Sydney NSW 2000, Australia",
        ),
        // The helpdesk and support address are [R4 §28, §50]; no source
        // describes recovering a login.
        recovery: "Asked for deletion by mistake? Chat with Support within 7 days to undo it \
                   (freelancer.com/users/helpdesk.php or support@freelancer.com), quoting your \
                   username and the closing reference on this receipt. A deactivated account \
                   can be reactivated through Support; the time limit is not published.",
        data_copy: "Transaction history exports as CSV or PDF (Payments › Transaction \
                    history); for a full copy \"in a portable data format\", write to the \
                    Privacy Officer.",
    },
    data_loss: &[
        DataLoss {
            id: "data:history",
            title: "Transactions, messages and reviews go",
            why: "A deleted account's profile, listings and content are purged, and \
                  Freelancer.com offers no message export.",
            how: "Export the transaction history (CSV or PDF) and save important chats \
                  before closing.",
            kinds: &[],
        },
        DataLoss {
            id: "data:clients",
            title: "Employers lose the way to reach you",
            why: "Chats stop once the account is closed.",
            how: "Send farewell notes with your contact details (hand-off step).",
            kinds: &[FREELANCER],
        },
    ],
};

const KINDS: &[KindProfile] = &[
    KindProfile {
        kind: FREELANCER,
        label: "Freelancer",
        pages: PAGES,
        reasons: LeaveReason::WORKING,
        closing: CLOSING,
        reactivation: REACTIVATION,
        note: Some(ONE_ACCOUNT),
        asks_agency_plan: false,
    },
    KindProfile {
        kind: EMPLOYER,
        label: "Employer",
        pages: PAGES,
        reasons: LeaveReason::HIRING,
        closing: CLOSING,
        reactivation: REACTIVATION,
        note: Some(ONE_ACCOUNT),
        asks_agency_plan: false,
    },
];

const ONE_ACCOUNT: &str = "One Freelancer.com account can hire and work: closing it ends both \
                           roles, so answer for both.";

const REACTIVATION: &str = "Deactivation can be undone through Support (the time limit is not \
                            published); deletion becomes final 7 days after the request.";

const PAGES: MenuPages = MenuPages {
    contracts: "Dashboard › My Projects",
    proposals: "Dashboard › My Projects › Bids",
    offers: "Dashboard › My Projects",
    job_posts: "Dashboard › My Projects (employer)",
    team: "Settings › Team",
    money: "Payments › Withdraw funds",
    disputes: "Dashboard › Disputes",
};

// [R1][R3][R4 §33]: profile picture › Settings › Account › Deactivate or Delete.
const CLOSING: WebsiteClosing = WebsiteClosing {
    url: ACCOUNT_SETTINGS,
    steps: &[
        "Sign in, open your profile picture › Settings › Account.",
        "Press \"Deactivate Account\" (or \"Delete Account\" to have it purged), answer the \
         short survey, and confirm.",
        "A deletion becomes final 7 days later; until then Support can undo it.",
    ],
};

const CHECKLIST: &[ChecklistEntry] = &[
    ChecklistEntry {
        item: ChecklistItem::WithdrawEarnings,
        detail: "Profile picture › Withdraw funds; minimum $30, an SMS code confirms each \
                 request, and a first withdrawal is held 15 days [R6][R8].",
    },
    ChecklistEntry {
        item: ChecklistItem::DownloadCertificateOfEarnings,
        detail: "Payments › Transaction history: export it as CSV or PDF.",
    },
    ChecklistEntry {
        item: ChecklistItem::RemovePaymentMethods,
        detail: "Payments › Payment methods: remove cards and withdrawal methods.",
    },
    ChecklistEntry {
        item: ChecklistItem::RequestDataCopy,
        detail: "Write to the Privacy Officer (privacy-officer@freelancer.com) for a copy in a \
                 portable data format [R5].",
    },
    ChecklistEntry {
        item: ChecklistItem::UpdateProfileLinks,
        detail: "A link to a closed profile looks like a dead end to a future client.",
    },
];

pub static QUESTIONNAIRE: Questionnaire = Questionnaire {
    questions: &[
        Question {
            id: "account-balance",
            text: "How much money is in your account (earnings, or added funds)?",
            kind: AnswerKind::Amount,
            kinds: BOTH,
            hint: "Payments › Balance.",
        },
        Question {
            id: "pending-milestones",
            text: "How many milestone payments are still pending on your projects?",
            kind: AnswerKind::Count,
            kinds: BOTH,
            hint: "Dashboard › My Projects › Milestones.",
        },
        Question {
            id: "milestone-amount",
            text: "How much do those pending milestones hold?",
            kind: AnswerKind::Amount,
            kinds: BOTH,
            hint: "The sum of the pending milestones.",
        },
        Question {
            id: "milestone-date",
            text: "When do you expect the last one to be released (or cancelled)?",
            kind: AnswerKind::Date,
            kinds: BOTH,
            hint: "Agree it with the other side.",
        },
        Question {
            id: "open-contests",
            text: "How many contests are open or awaiting handover?",
            kind: AnswerKind::Count,
            kinds: BOTH,
            hint: "Dashboard › My Contests.",
        },
        Question {
            id: "open-projects",
            text: "How many of your posted projects are still open for bids?",
            kind: AnswerKind::Count,
            kinds: &[EMPLOYER],
            hint: "Dashboard › My Projects (as employer).",
        },
        Question {
            id: "fees-owed",
            text: "How much do you owe Freelancer.com (a negative balance)?",
            kind: AnswerKind::Amount,
            kinds: BOTH,
            hint: "Payments › Balance shows a negative figure.",
        },
        Question {
            id: "account-issue",
            text: "Is the account suspended, restricted, limited, or waiting for an identity \
                   (KYC) check?",
            kind: AnswerKind::YesNo,
            kinds: BOTH,
            hint: "A banner on the dashboard, or an email from Support.",
        },
        Question {
            id: "first-withdrawal-date",
            text: "If your first withdrawal is on its 15-day hold, when does the hold end?",
            kind: AnswerKind::Date,
            kinds: &[FREELANCER],
            hint: "Payments › Withdrawal status.",
        },
        Question {
            id: "paid-membership",
            text: "Do you pay for a membership plan?",
            kind: AnswerKind::YesNo,
            kinds: BOTH,
            hint: "Settings › Membership.",
        },
    ],
    rules: &[
        // [R1][R3][R4 §33]: money in the account blocks both deactivation
        // and deletion; withdraw earnings or have added funds refunded.
        Rule {
            id: "freelancer-com-balance",
            kinds: BOTH,
            trigger: Trigger::Positive("account-balance"),
            severity: Severity::Blocker,
            item: ItemKind::AvailableBalance,
            title: "{amount} in your Freelancer.com account",
            why: "Freelancer.com will not close an account with money in it.",
            how: "Freelancers: withdraw it (minimum $30). Employers: ask for a refund of added \
                  funds while they are still in the balance (cards and PayPal within a year; \
                  Skrill, wire and Webmoney cannot be refunded, withdraw them) [R9].",
            link: WITHDRAW,
            source: "[R1] support/profile/how-to-close-your-freelancer-account; [R4] §33",
            confirmed: true,
            clears: Clears::Never,
            money: Some(MoneyRole::Available),
        },
        // [R1][R3]: projects with pending milestone payments block closing.
        Rule {
            id: "freelancer-com-pending-milestones",
            kinds: BOTH,
            trigger: Trigger::Positive("pending-milestones"),
            severity: Severity::Blocker,
            item: ItemKind::EscrowMilestone,
            title: "Pending milestone payments: {count}",
            why: "Projects with pending milestone payments block both deactivation and \
                  deletion.",
            how: "The freelancer cancels the milestone or the employer releases it, on the \
                  project's page; expected by {date}.",
            link: PROJECTS,
            source: "[R1]; [R3] support/profile/deleting-my-freelancer-account",
            confirmed: true,
            clears: Clears::OnAnswer {
                question: "milestone-date",
                days: 0,
                unanswered: None,
            },
            money: None,
        },
        // Money held in those milestones, for the balances and the timeline.
        Rule {
            id: "freelancer-com-milestone-money",
            kinds: BOTH,
            trigger: Trigger::Positive("milestone-amount"),
            severity: Severity::Advisory,
            item: ItemKind::PendingEarnings,
            title: "{amount} held in milestones",
            why: "An unreleased milestone returns to the employer after 6 months with no \
                  instruction, dispute or login [R4 §24].",
            how: "Agree its release or cancellation with the other side; expected by {date}.",
            link: PROJECTS,
            source: "[R4] §24",
            confirmed: true,
            clears: Clears::OnAnswer {
                question: "milestone-date",
                days: 0,
                unanswered: None,
            },
            money: Some(MoneyRole::Pending),
        },
        // [R1][R3]: open contests block; an awarded contest needs its
        // handover, an open one is awarded or cancelled with Support.
        Rule {
            id: "freelancer-com-contests",
            kinds: BOTH,
            trigger: Trigger::Positive("open-contests"),
            severity: Severity::Blocker,
            item: ItemKind::OpenContest,
            title: "Open contests: {count}",
            why: "Open contests block closing.",
            how: "Finish the handover of an awarded contest; award an open one, or ask Support \
                  to cancel it.",
            link: PROJECTS,
            source: "[R1]; [R3]",
            confirmed: true,
            clears: Clears::Never,
            money: None,
        },
        // [R4 §33] requires "not having any outstanding listings"; newer
        // help pages name only projects with pending milestones: the
        // sources differ, so the review says it is unconfirmed.
        Rule {
            id: "freelancer-com-open-projects",
            kinds: &[EMPLOYER],
            trigger: Trigger::Positive("open-projects"),
            severity: Severity::Blocker,
            item: ItemKind::OpenJobPost,
            title: "Projects still open for bids: {count}",
            why: "The User Agreement requires no outstanding listings before closing, and \
                  freelancers keep bidding on an open project.",
            how: "Close each unawarded project on Dashboard › My Projects; an awarded one ends \
                  from its page (End Project, or End Billing for hourly work) once no \
                  milestone or invoice is pending.",
            link: PROJECTS,
            source: "[R4] §33; freelancer.com/support/project/how-to-cancel-a-project",
            confirmed: false,
            clears: Clears::Never,
            money: None,
        },
        // [R1][R4 §33]: fees owed; add funds to clear a negative balance.
        Rule {
            id: "freelancer-com-fees-owed",
            kinds: BOTH,
            trigger: Trigger::Positive("fees-owed"),
            severity: Severity::Blocker,
            item: ItemKind::NegativeBalance,
            title: "{amount} owed to Freelancer.com",
            why: "Fees owed block closing.",
            how: "Add funds to bring the balance to zero.",
            link: "https://www.freelancer.com/payments/deposit",
            source: "[R1]; [R4] §33",
            confirmed: true,
            clears: Clears::Never,
            money: Some(MoneyRole::Owed),
        },
        // [R1][R3]: suspension, restriction, limitation or a required KYC
        // check block closing.
        Rule {
            id: "freelancer-com-account-issue",
            kinds: BOTH,
            trigger: Trigger::Yes("account-issue"),
            severity: Severity::Blocker,
            item: ItemKind::AccountIssue,
            title: "The account has an open issue (suspension, restriction or identity check)",
            why: "An account issue blocks closing until it is resolved.",
            how: "Finish the identity check or contact Support about the restriction.",
            link: SUPPORT,
            source: "[R1]; [R3]",
            confirmed: true,
            clears: Clears::Never,
            money: None,
        },
        // [R6][R8]: a first withdrawal is held 15 days.
        Rule {
            id: "freelancer-com-first-withdrawal",
            kinds: &[FREELANCER],
            trigger: Trigger::Future("first-withdrawal-date"),
            severity: Severity::Blocker,
            item: ItemKind::EarningsInReview,
            title: "Your first withdrawal is on its 15-day hold",
            why: "The money has left your balance but not reached you: keep the account and \
                  the withdrawal method until it arrives.",
            how: "Wait until {date}, and until the money arrives.",
            link: WITHDRAW,
            source: "[R8] support/Payments/15-day-delay-for-withdrawals",
            confirmed: true,
            clears: Clears::OnAnswer {
                question: "first-withdrawal-date",
                days: 0,
                unanswered: Some(15),
            },
            money: None,
        },
        // [R12]: cancel under Settings › Membership; ends with the paid
        // period. Whether it blocks closing: unconfirmed.
        Rule {
            id: "freelancer-com-membership",
            kinds: BOTH,
            trigger: Trigger::Yes("paid-membership"),
            severity: Severity::Advisory,
            item: ItemKind::Subscription,
            title: "A paid membership is active",
            why: "It renews until cancelled, and ends only with the paid period.",
            how: "Cancel it under Settings › Membership › Cancel.",
            link: MEMBERSHIP,
            source: "[R12] support/Membership/how-do-i-cancel-downgrade-my-membership-plan",
            confirmed: true,
            clears: Clears::Never,
            money: None,
        },
    ],
};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::questionnaire::Answer;
    use crate::platform::guided::assert_rule_both_ways;

    fn text(a: &str) -> Answer {
        Answer::Text(a.into())
    }

    #[test]
    fn money_in_the_account_blocks_both_roles() {
        for kind in [FREELANCER, EMPLOYER] {
            assert_rule_both_ways(
                &FREELANCER_COM,
                "freelancer-com-balance",
                kind,
                &[("account-balance", text("31.20"))],
            );
        }
    }

    #[test]
    fn pending_milestones_block_until_released() {
        assert_rule_both_ways(
            &FREELANCER_COM,
            "freelancer-com-pending-milestones",
            EMPLOYER,
            &[
                ("pending-milestones", Answer::Count(2)),
                ("milestone-date", text("2026-12-20")),
            ],
        );
    }

    #[test]
    fn milestone_money_is_shown_with_its_date() {
        assert_rule_both_ways(
            &FREELANCER_COM,
            "freelancer-com-milestone-money",
            FREELANCER,
            &[
                ("milestone-amount", text("400")),
                ("milestone-date", text("2026-12-20")),
            ],
        );
    }

    #[test]
    fn open_contests_block() {
        assert_rule_both_ways(
            &FREELANCER_COM,
            "freelancer-com-contests",
            FREELANCER,
            &[("open-contests", Answer::Count(1))],
        );
    }

    #[test]
    fn open_projects_block_employers_unconfirmed() {
        assert_rule_both_ways(
            &FREELANCER_COM,
            "freelancer-com-open-projects",
            EMPLOYER,
            &[("open-projects", Answer::Count(3))],
        );
    }

    #[test]
    fn fees_owed_block() {
        assert_rule_both_ways(
            &FREELANCER_COM,
            "freelancer-com-fees-owed",
            EMPLOYER,
            &[("fees-owed", text("5.10"))],
        );
    }

    #[test]
    fn an_account_issue_blocks() {
        assert_rule_both_ways(
            &FREELANCER_COM,
            "freelancer-com-account-issue",
            FREELANCER,
            &[("account-issue", Answer::YesNo(true))],
        );
    }

    #[test]
    fn a_first_withdrawal_on_hold_blocks_until_it_ends() {
        assert_rule_both_ways(
            &FREELANCER_COM,
            "freelancer-com-first-withdrawal",
            FREELANCER,
            &[("first-withdrawal-date", text("2026-12-09"))],
        );
    }

    #[test]
    fn a_paid_membership_is_an_advisory() {
        assert_rule_both_ways(
            &FREELANCER_COM,
            "freelancer-com-membership",
            EMPLOYER,
            &[("paid-membership", Answer::YesNo(true))],
        );
    }

    #[test]
    fn every_rule_has_a_test_here() {
        let source = include_str!("mod.rs");
        for rule in QUESTIONNAIRE.rules {
            assert_eq!(
                source.matches(&format!("\"{}\"", rule.id)).count(),
                2,
                "{}",
                rule.id
            );
        }
    }
}
