//! Fiverr: a guided platform. It has no API for this, so the user answers
//! the questionnaire below and its rules give the review. One account
//! covers buying and selling, and one closing flow applies to both [F20][F1].
//!
//! Sources (`../shared/platforms/FIVERR.md` keeps them with what is
//! unconfirmed):
//! - [F1] help-pro.fiverr.com/hc/en-us/articles/16193988043025 (deactivate or delete)
//! - [F3] help.fiverr.com/hc/en-us/articles/12761733694097 (data and privacy)
//! - [F4] help.fiverr.com/hc/en-us/articles/360010530058 (withdraw your earnings)
//! - [F6] the Terms of Service as quoted in community.fiverr.com topic 96736
//! - [F7] help.fiverr.com/hc/en-us/articles/360049910953 (refunds)
//! - [F9] help.fiverr.com/hc/en-us/articles/35417104654353 (subscription holds)
//! - [F10] help-pro.fiverr.com/hc/en-us/articles/16194691548049 (Pro admins)
//! - [F12] help.fiverr.com/hc/de/articles/360014585217 (restricted accounts)
//! - [F13] help.fiverr.com/hc/en-us/articles/360011329498 (account settings)
//! - [F14] fiverr.com/legal-portal/privacy/privacy-policy (Feb 2022 copy)
//! - [F21] websitebuilderinsider.com/?p=196925 (a third-party guide)

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

const SELLER: AccountKind = AccountKind::Freelancer;
const BUYER: AccountKind = AccountKind::Client;
const BOTH: &[AccountKind] = &[SELLER, BUYER];

const SETTINGS: &str = "https://www.fiverr.com/settings/account";
const EARNINGS: &str = "https://www.fiverr.com/earnings";
const ORDERS: &str = "https://www.fiverr.com/users/me/manage_orders";
const RESOLUTION: &str = "https://www.fiverr.com/resolution_center";
const SUPPORT: &str = "https://help.fiverr.com/hc/en-us/requests/new";

pub static FIVERR: PlatformProfile = PlatformProfile {
    id: PlatformId::new("fiverr"),
    name: "Fiverr (answer a few questions)",
    company: "Fiverr",
    description: "Fiverr has no API Offboard can use: answer a few questions about your \
                  balance, orders and disputes, and the review, checklist and closing steps \
                  follow Fiverr's rules for sellers and buyers.",
    connect: ConnectForm::Questionnaire(&QUESTIONNAIRE),
    acts_itself: false,
    kinds: KINDS,
    payment: PaymentTiming {
        // [F4][F6]: 14 days after an order is marked complete (7 for Top
        // Rated, Seller Plus Premium and Pro sellers), up to 12 h more to show.
        in_review_why: "Earnings clear 14 days after an order is marked complete (7 for Top \
                        Rated and Pro sellers); this money clears on {date}.",
        pending_why: "Earnings clear 14 days after an order is marked complete (7 for Top \
                      Rated and Pro sellers); this money clears on {date}.",
        hold_days: 14,
        weekly_hourly_cycle: false,
        // Arrival time per method is unconfirmed [F4]; one withdrawal a day.
        withdrawal_days: 7,
    },
    checklist: CHECKLIST,
    after_care: AfterCare {
        // [F1][F3][F13][F14]
        retention: &[
            "Deactivating removes nothing: feedback, messages and public pictures stay until \
             Fiverr deletes the account permanently, which only Support does, on request, \
             after you deactivate.",
            "Your username and email can never be used again on Fiverr.",
            "Fiverr keeps data \"as long as required\" and in some cases longer; the periods \
             are not published.",
            "After deletion nothing can be retrieved and no invoice is reissued: download \
             invoices and order files first.",
            "Everything else can be erased on request: send the letter below to \
             privacy@fiverr.com. The answer is due within one month (GDPR Article 12(3)).",
        ],
        privacy_contact: "privacy@fiverr.com",
        // [F14][F16]; whether the current policy still gives it is unconfirmed.
        privacy_postal: Some("Fiverr International Ltd., 8 Kaplan St., Tel Aviv 6473409, Israel"),
        // help.fiverr.com/hc/en-us/articles/17832447172241 (accessing my
        // account): Support verifies the security answer and phone number.
        recovery: "Deactivated by mistake? Contact Fiverr Support \
                   (help.fiverr.com › Contact us) from the account's email address, quoting \
                   your username and the closing reference on this receipt. Support checks \
                   your security-question answer and the full registered phone number (sellers \
                   also the Payoneer ID or PayPal email they withdraw to). Reactivation is \
                   possible only for a limited time (how long is unconfirmed).",
        data_copy: "Ask Support for a copy of your data (help.fiverr.com › Contact us): you \
                    get a download link that works for 48 hours.",
    },
    data_loss: &[
        DataLoss {
            id: "data:messages",
            title: "Messages and order files are not exported by Fiverr",
            why: "Fiverr's data copy comes from Support as a link valid 48 hours; order \
                  deliveries and conversations are out of reach once the account is deleted.",
            how: "Download order files and save important conversations, and request the data \
                  copy (checklist).",
            kinds: &[],
        },
        DataLoss {
            id: "data:reviews",
            title: "Your reviews and seller level go",
            why: "Reviews and levels cannot move to a new account, and the username can never \
                  be reused.",
            how: "Take screenshots of your profile and reviews for your portfolio.",
            kinds: &[SELLER],
        },
        DataLoss {
            id: "data:clients",
            title: "Buyers lose the way to reach you",
            why: "Fiverr messages stop working once you deactivate.",
            how: "Send farewell notes to repeat buyers before closing (hand-off step).",
            kinds: &[SELLER],
        },
    ],
};

const KINDS: &[KindProfile] = &[
    KindProfile {
        kind: SELLER,
        label: "Seller",
        pages: PAGES,
        reasons: LeaveReason::WORKING,
        closing: CLOSING,
        reactivation: REACTIVATION,
        note: Some(ONE_ACCOUNT),
        asks_agency_plan: false,
    },
    KindProfile {
        kind: BUYER,
        label: "Buyer",
        pages: PAGES,
        reasons: LeaveReason::HIRING,
        closing: CLOSING,
        reactivation: REACTIVATION,
        note: Some(ONE_ACCOUNT),
        asks_agency_plan: false,
    },
];

const ONE_ACCOUNT: &str = "One Fiverr account buys and sells: deactivating it ends both, so \
                           answer for both sides.";

const REACTIVATION: &str = "Fiverr can reactivate a deactivated account only for a limited \
                            time, through Support; after permanent deletion nothing comes back.";

const PAGES: MenuPages = MenuPages {
    contracts: "Orders (fiverr.com/users/me/manage_orders)",
    proposals: "Orders",
    offers: "Inbox › custom offers",
    job_posts: "Briefs",
    team: "Fiverr Pro › Team",
    money: "Earnings (fiverr.com/earnings)",
    disputes: "Resolution Center",
};

// [F1]: profile picture › Settings › Account Deactivation › reason › Deactivate.
const CLOSING: WebsiteClosing = WebsiteClosing {
    url: SETTINGS,
    steps: &[
        "Sign in, open your profile picture › Settings › Account.",
        "Under Account Deactivation, pick the reason from the list.",
        "Press \"Deactivate Account\".",
        "For permanent deletion, contact Support afterwards from the account's email address.",
    ],
};

const CHECKLIST: &[ChecklistEntry] = &[
    ChecklistEntry {
        item: ChecklistItem::WithdrawEarnings,
        detail: "Earnings › Withdraw balance. One withdrawal a day, and a 24-hour wait after \
                 changing the method [F4].",
    },
    ChecklistEntry {
        item: ChecklistItem::DownloadCertificateOfEarnings,
        detail: "Download invoices and order files: after deletion Fiverr cannot reissue \
                 them [F3].",
    },
    ChecklistEntry {
        item: ChecklistItem::RemovePaymentMethods,
        detail: "Settings › Billing and payments: remove saved cards and payout methods.",
    },
    ChecklistEntry {
        item: ChecklistItem::RequestDataCopy,
        detail: "Support (help.fiverr.com › Contact us) sends a download link valid 48 hours \
                 [F3].",
    },
    ChecklistEntry {
        item: ChecklistItem::ChangeEmailFirst,
        detail: "Usernames and emails can never be reused on Fiverr: change the email before \
                 deactivating if you want it back [F1][F13].",
    },
    ChecklistEntry {
        item: ChecklistItem::UpdateProfileLinks,
        detail: "A link to a closed gig looks like a dead end to a future client.",
    },
];

pub static QUESTIONNAIRE: Questionnaire = Questionnaire {
    questions: &[
        Question {
            id: "available-balance",
            text: "How much is available to withdraw (or, as a buyer, in your Fiverr Balance)?",
            kind: AnswerKind::Amount,
            kinds: BOTH,
            hint: "Earnings › Available funds; buyers: Billing › Balances.",
        },
        Question {
            id: "clearing-amount",
            text: "How much is still pending clearance?",
            kind: AnswerKind::Amount,
            kinds: &[SELLER],
            hint: "Earnings › Pending clearance.",
        },
        Question {
            id: "clearing-date",
            text: "When does the last of it clear?",
            kind: AnswerKind::Date,
            kinds: &[SELLER],
            hint: "Earnings › Pending clearance shows each order's clearing date.",
        },
        Question {
            id: "active-orders",
            text: "How many orders are still active (not completed or cancelled)?",
            kind: AnswerKind::Count,
            kinds: BOTH,
            hint: "Orders › Active.",
        },
        Question {
            id: "open-disputes",
            text: "How many disputes or cancellation requests are open?",
            kind: AnswerKind::Count,
            kinds: BOTH,
            hint: "Resolution Center, and each order's page.",
        },
        Question {
            id: "fees-owed",
            text: "How much do you owe Fiverr (a negative balance or unpaid fees)?",
            kind: AnswerKind::Amount,
            kinds: BOTH,
            hint: "Earnings or Billing; a negative figure is money owed.",
        },
        Question {
            id: "under-review",
            text: "Is the account restricted or under review?",
            kind: AnswerKind::YesNo,
            kinds: BOTH,
            hint: "A banner on the dashboard, or an email from Trust & Safety.",
        },
        Question {
            id: "subscription",
            text: "Do you pay for Seller Plus or another Fiverr subscription?",
            kind: AnswerKind::YesNo,
            kinds: &[SELLER],
            hint: "Settings › Billing and payments › Subscriptions.",
        },
        Question {
            id: "pro-team",
            text: "Is the account part of a Fiverr Pro team?",
            kind: AnswerKind::YesNo,
            kinds: BOTH,
            hint: "Fiverr Pro › Team.",
        },
    ],
    rules: &[
        // [F1]: available funds block deactivation; withdraw or refund them.
        Rule {
            id: "fiverr-available-balance",
            kinds: BOTH,
            trigger: Trigger::Positive("available-balance"),
            severity: Severity::Blocker,
            item: ItemKind::AvailableBalance,
            title: "{amount} available in your Fiverr account",
            why: "Fiverr will not deactivate an account with available funds, and a closed \
                  account cannot withdraw.",
            how: "Sellers: Earnings › Withdraw balance. Buyers: Billing › Balances › Request a \
                  Refund (to the original payment method within 10 days; Fiverr credits \
                  cannot be refunded [F7]).",
            link: EARNINGS,
            source: "[F1] help-pro.fiverr.com/hc/en-us/articles/16193988043025",
            confirmed: true,
            clears: Clears::Never,
            money: Some(MoneyRole::Available),
        },
        // [F4][F6]: 14 days after completion (7 for Top Rated / Pro). That
        // it blocks closing is not stated; that it becomes the balance
        // which does block is [F1].
        Rule {
            id: "fiverr-pending-clearance",
            kinds: &[SELLER],
            trigger: Trigger::Positive("clearing-amount"),
            severity: Severity::Blocker,
            item: ItemKind::PendingEarnings,
            title: "{amount} pending clearance",
            why: "Earnings clear 14 days after an order is marked complete (7 for Top Rated \
                  and Pro sellers); until then they cannot be withdrawn, and once cleared \
                  they are a balance, which blocks deactivation.",
            how: "Wait until {date}, then withdraw on Earnings.",
            link: EARNINGS,
            source: "[F4] help.fiverr.com/hc/en-us/articles/360010530058; [F6] Terms of Service",
            confirmed: false,
            clears: Clears::OnAnswer {
                question: "clearing-date",
                days: 0,
                unanswered: Some(14),
            },
            money: Some(MoneyRole::Pending),
        },
        // No official rule; a third-party guide says to finish or cancel
        // active orders first [F21].
        Rule {
            id: "fiverr-active-orders",
            kinds: BOTH,
            trigger: Trigger::Positive("active-orders"),
            severity: Severity::Blocker,
            item: ItemKind::ActiveContract,
            title: "Active orders: {count}",
            why: "An active order is work or money in progress: deactivating mid-order leaves \
                  the other side without delivery or payment.",
            how: "Deliver and have them completed, or cancel them with the other side's \
                  agreement, on Orders.",
            link: ORDERS,
            source: "[F21] websitebuilderinsider.com/?p=196925",
            confirmed: false,
            clears: Clears::Never,
            money: None,
        },
        // Disputes are not named by Fiverr's closing page (unconfirmed).
        Rule {
            id: "fiverr-open-disputes",
            kinds: BOTH,
            trigger: Trigger::Positive("open-disputes"),
            severity: Severity::Blocker,
            item: ItemKind::OpenDispute,
            title: "Open disputes or cancellation requests: {count}",
            why: "Money in dispute is decided by Fiverr's Resolution Center; closing first \
                  gives up your side of it.",
            how: "Settle or withdraw each in the Resolution Center.",
            link: RESOLUTION,
            source: "FIVERR.md: no official rule found",
            confirmed: false,
            clears: Clears::Never,
            money: None,
        },
        Rule {
            id: "fiverr-fees-owed",
            kinds: BOTH,
            trigger: Trigger::Positive("fees-owed"),
            severity: Severity::Blocker,
            item: ItemKind::NegativeBalance,
            title: "{amount} owed to Fiverr",
            why: "A negative balance or unpaid subscription fees are collected from your \
                  funds; an account that owes money is not closed cleanly.",
            how: "Pay it from Billing, or let cleared earnings cover it, before deactivating.",
            link: EARNINGS,
            source: "[F9] help.fiverr.com/hc/en-us/articles/35417104654353",
            confirmed: false,
            clears: Clears::Never,
            money: Some(MoneyRole::Owed),
        },
        // [F12]: a review takes up to 90 days; withdrawing and finishing
        // orders still work. Whether it can deactivate itself: unconfirmed.
        Rule {
            id: "fiverr-under-review",
            kinds: BOTH,
            trigger: Trigger::Yes("under-review"),
            severity: Severity::Blocker,
            item: ItemKind::AccountIssue,
            title: "The account is restricted or under review",
            why: "A review can take up to 90 days; a permanently disabled seller waits 90 days \
                  and then has 7 days to withdraw. Withdrawing and finishing orders still work \
                  meanwhile.",
            how: "Withdraw what you can and finish your orders, then ask Support whether the \
                  account can be deactivated.",
            link: SUPPORT,
            source: "[F12] help.fiverr.com/hc/de/articles/360014585217",
            confirmed: false,
            clears: Clears::Never,
            money: None,
        },
        // [F9]: without a saved payment method, withdrawable funds are held
        // for subscription fees. Blocking: unconfirmed.
        Rule {
            id: "fiverr-subscription",
            kinds: &[SELLER],
            trigger: Trigger::Yes("subscription"),
            severity: Severity::Advisory,
            item: ItemKind::Subscription,
            title: "A paid subscription is active",
            why: "Subscription fees are taken from your withdrawable funds when no payment \
                  method is saved, and a subscription may renew after you leave.",
            how: "Cancel it under Settings › Billing and payments › Subscriptions before \
                  withdrawing.",
            link: SETTINGS,
            source: "[F9] help.fiverr.com/hc/en-us/articles/35417104654353",
            confirmed: true,
            clears: Clears::Never,
            money: None,
        },
        // [F10]: only the admin closes a Pro account; removing a member
        // deactivates that member's account.
        Rule {
            id: "fiverr-pro-team",
            kinds: BOTH,
            trigger: Trigger::Yes("pro-team"),
            severity: Severity::Advisory,
            item: ItemKind::TeamMember,
            title: "The account is part of a Fiverr Pro team",
            why: "Only the team's admin can close a Pro account, and removing a member \
                  deactivates that member's account.",
            how: "If you are the admin, tell the members first; if not, ask the admin to \
                  remove you.",
            link: "https://pro.fiverr.com/",
            source: "[F10] help-pro.fiverr.com/hc/en-us/articles/16194691548049",
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

    fn amount(a: &str) -> Answer {
        Answer::Text(a.into())
    }

    #[test]
    fn available_balance_blocks_sellers_and_buyers() {
        for kind in [SELLER, BUYER] {
            assert_rule_both_ways(
                &FIVERR,
                "fiverr-available-balance",
                kind,
                &[("available-balance", amount("80.00"))],
            );
        }
    }

    #[test]
    fn pending_clearance_blocks_until_it_clears() {
        assert_rule_both_ways(
            &FIVERR,
            "fiverr-pending-clearance",
            SELLER,
            &[
                ("clearing-amount", amount("245.50")),
                ("clearing-date", amount("2026-12-14")),
            ],
        );
    }

    #[test]
    fn active_orders_block() {
        assert_rule_both_ways(
            &FIVERR,
            "fiverr-active-orders",
            BUYER,
            &[("active-orders", Answer::Count(2))],
        );
    }

    #[test]
    fn open_disputes_block() {
        assert_rule_both_ways(
            &FIVERR,
            "fiverr-open-disputes",
            SELLER,
            &[("open-disputes", Answer::Count(1))],
        );
    }

    #[test]
    fn fees_owed_block() {
        assert_rule_both_ways(
            &FIVERR,
            "fiverr-fees-owed",
            SELLER,
            &[("fees-owed", amount("12"))],
        );
    }

    #[test]
    fn a_restricted_account_blocks() {
        assert_rule_both_ways(
            &FIVERR,
            "fiverr-under-review",
            BUYER,
            &[("under-review", Answer::YesNo(true))],
        );
    }

    #[test]
    fn a_subscription_is_an_advisory_for_sellers() {
        assert_rule_both_ways(
            &FIVERR,
            "fiverr-subscription",
            SELLER,
            &[("subscription", Answer::YesNo(true))],
        );
    }

    #[test]
    fn a_pro_team_is_an_advisory() {
        assert_rule_both_ways(
            &FIVERR,
            "fiverr-pro-team",
            SELLER,
            &[("pro-team", Answer::YesNo(true))],
        );
    }

    /// Money pending clearance with no date given waits Fiverr's longest
    /// clearance, 14 days, and the review says it is an estimate.
    #[test]
    fn pending_clearance_without_a_date_waits_the_longest_clearance() {
        use crate::model::review::{PendingWork, assess};
        use chrono::TimeZone;
        let now = chrono::Utc
            .with_ymd_and_hms(2026, 12, 1, 10, 0, 0)
            .single()
            .unwrap_or_default();
        let answers = [("clearing-amount".to_string(), amount("60"))]
            .into_iter()
            .collect();
        let platform = crate::platform::guided::GuidedPlatform::new(&FIVERR, "", &answers, now);
        let work = platform.and_then(|p| {
            use crate::platform::Platform;
            p.pending_work("fiverr-seller")
        });
        let Ok(work): Result<PendingWork, _> = work else {
            panic!("a seller's pending work: {work:?}");
        };
        let review = assess(&FIVERR, &work, now);
        let item = review
            .items
            .iter()
            .find(|i| i.id == "rule:fiverr-pending-clearance");
        let fortnight = now + chrono::Duration::days(14);
        assert_eq!(item.and_then(|i| i.clears_on), Some(fortnight));
        assert!(
            item.is_some_and(|i| i.how_to_resolve.contains("an estimate")),
            "{item:?}"
        );
        assert_eq!(review.earliest_close, fortnight);
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
