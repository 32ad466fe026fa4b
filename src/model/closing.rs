//! What happens after closing: the receipt, what the platform keeps, how to
//! come back, and the data-erasure request letter.

use super::account::{AccountKind, PlatformId};
use super::wizard::Receipt;

/// The receipt as plain text, for the receipt file and the clipboard.
pub fn receipt_text(receipt: &Receipt) -> String {
    let mut text = format!(
        "Offboard closing receipt\n\
         ========================\n\
         Closed:        {closed}\n\
         Platform:      {platform}\n\
         Account:       {name} ({username}, {kind})\n\
         Reference:     {reference}\n\
         Reason:        {reason}\n",
        closed = receipt.closed_at.format("%Y-%m-%d %H:%M:%S UTC"),
        platform = receipt.platform.display_name(),
        name = receipt.account.display_name,
        username = receipt.account.username,
        kind = receipt.account.kind.label(),
        reference = receipt.reference,
        reason = receipt.reason,
    );
    text.push_str(&format!(
        "Feedback:      {}\n",
        if receipt.feedback.trim().is_empty() {
            "(none)".to_string()
        } else {
            receipt.feedback.trim().replace('\n', "\n               ")
        }
    ));
    text.push_str(&format!(
        "Export:        {}\n",
        match &receipt.export_manifest_sha256 {
            Some(hash) => format!("manifest.json SHA-256 {hash}"),
            None => "not exported with Offboard".to_string(),
        }
    ));
    if let Some(evidence) = &receipt.evidence {
        text.push_str(&format!("Closed how:    {evidence}\n"));
    }
    text.push_str(&format!("Reactivation:  {}\n", reactivation_text(receipt)));
    text
}

/// How and until when the account can come back.
pub fn reactivation_text(receipt: &Receipt) -> String {
    match (receipt.account.kind, receipt.reactivate_until) {
        (_, Some(until)) => format!(
            "log in before {} and follow the reactivation link sent by email (valid 4 hours).",
            until.format("%-d %B %Y")
        ),
        (AccountKind::Client, None) => {
            "accounts with a client side can only be reopened by contacting support.".into()
        }
        (AccountKind::Agency, None) => {
            "a closed agency can only be reopened by contacting support; your own freelancer \
             account stays open."
                .into()
        }
        (AccountKind::Freelancer, None) => {
            "contact support to ask whether it can be reopened.".into()
        }
    }
}

/// What the platform keeps after closing, in plain words.
pub fn retention_notice(platform: PlatformId) -> Vec<&'static str> {
    match platform {
        PlatformId::Upwork | PlatformId::UpworkCsv => vec![
            "Upwork keeps financial records (transactions, invoices, tax forms) for as long as \
             tax and anti-money-laundering law requires.",
            "Contracts, messages and dispute records may be kept to defend legal claims.",
            "Feedback you left for others can stay on their profiles.",
            "Your profile stops being public, and you can no longer sign in to download \
             anything. Freelancers can reactivate within 5 years; accounts with a client side \
             go through support.",
            "Everything else can be erased on request: send the letter below to \
             privacyrequests@upwork.com. The answer is due within one month (GDPR Article \
             12(3)).",
        ],
        PlatformId::Demo => vec![
            "Financial records (transactions, invoices, tax forms) are kept for as long as tax \
             and anti-money-laundering law requires, typically 7 years.",
            "Contracts, messages and dispute records may be kept to defend legal claims.",
            "Reviews you left for others can stay on their profiles, without your name.",
            "Your profile stops being public at once, and you can no longer sign in to download \
             anything.",
            "Everything else can be erased on request: send the letter below. The platform must \
             answer within one month (GDPR Article 12(3)).",
        ],
    }
}

/// The address erasure requests go to.
pub fn privacy_contact(platform: PlatformId) -> &'static str {
    match platform {
        PlatformId::Demo => "privacy@demo-platform.example",
        PlatformId::Upwork | PlatformId::UpworkCsv => "privacyrequests@upwork.com",
    }
}

/// A data-erasure request (GDPR Article 17) the user can send as it is.
pub fn erasure_letter(receipt: &Receipt) -> String {
    format!(
        "To: {to}\n\
         Subject: Request for erasure of personal data (GDPR Article 17)\n\n\
         Dear Data Protection Officer,\n\n\
         I closed my account on {closed} and ask you to erase all personal data you hold \
         about me, under Article 17 of the General Data Protection Regulation.\n\n\
         Account name: {name}\n\
         Username: {username}\n\
         Email address: {email}\n\
         Closing reference: {reference}\n\n\
         Where you must keep some data by law, please tell me which data, on what legal basis, \
         and for how long, and restrict its processing to that purpose (Article 18).\n\n\
         Please confirm the erasure in writing within one month of receiving this request, as \
         Article 12(3) requires.\n\n\
         Yours faithfully,\n\
         {name}\n",
        to = privacy_contact(receipt.platform),
        closed = receipt.closed_at.format("%-d %B %Y"),
        name = receipt.account.display_name,
        username = receipt.account.username,
        email = receipt.account.email,
        reference = receipt.reference,
    )
}

/// Before closing: whether and how the account can come back.
pub fn reactivation_summary(kind: AccountKind) -> &'static str {
    match kind {
        AccountKind::Freelancer => {
            "A freelancer account can be reactivated by logging in within 5 years; after that \
             it is gone."
        }
        AccountKind::Client => "A client account can only be reopened through support.",
        AccountKind::Agency => {
            "A closed agency can only be reopened through support; your own freelancer account \
             stays open."
        }
    }
}

/// Where and how an account of each kind is closed on Upwork's website.
pub struct WebsiteClosing {
    pub url: &'static str,
    pub steps: Vec<&'static str>,
}

pub fn website_closing_steps(kind: AccountKind) -> WebsiteClosing {
    match kind {
        AccountKind::Freelancer => WebsiteClosing {
            url: "https://www.upwork.com/freelancers/settings/contactInfo",
            steps: vec![
                "Sign in and open Settings › Contact Info.",
                "Press \"Close my account\" at the bottom of the page.",
                "Choose the reason, confirm, and answer the security question if asked \
                 (you may have to set one first).",
            ],
        },
        AccountKind::Client => WebsiteClosing {
            url: "https://www.upwork.com/ab/account-security/settings",
            steps: vec![
                "Sign in as the company owner and open Settings › My Info.",
                "Press \"Close account\".",
                "Confirm, and answer the security question if asked.",
            ],
        },
        AccountKind::Agency => WebsiteClosing {
            url: "https://www.upwork.com/agencies/settings",
            steps: vec![
                "Sign in as the agency owner and open Agency Profile.",
                "Press \"Close my Agency\"; your own freelancer account stays open.",
                "Confirm, and answer the security question if asked.",
            ],
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::account::AccountSummary;
    use chrono::{DateTime, TimeZone, Utc};
    use std::path::PathBuf;

    fn at(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, mo, d, h, mi, s)
            .single()
            .expect("a valid UTC time")
    }

    fn account(kind: AccountKind) -> AccountSummary {
        AccountSummary {
            id: "freelancer".into(),
            kind,
            username: "maya".into(),
            display_name: "Maya Okafor".into(),
            email: "maya@example.com".into(),
            member_since: at(2019, 3, 4, 9, 0, 0),
        }
    }

    fn receipt(kind: AccountKind) -> Receipt {
        Receipt {
            closed_at: at(2026, 11, 23, 10, 0, 5),
            platform: PlatformId::Demo,
            account: account(kind),
            reason: "I'm moving to another platform".into(),
            feedback: "  Fees went up.\nSupport was slow.  ".into(),
            reference: "DEMO-CLOSE-7F3A".into(),
            reactivate_until: Some(at(2031, 11, 23, 10, 0, 5)),
            export_manifest_sha256: Some("9f86d081884c7d659a2feaa0c55ad015".into()),
            receipt_path: Some(PathBuf::from("/tmp/receipt.txt")),
            evidence: None,
            check: None,
        }
    }

    #[test]
    fn receipt_text_names_everything() {
        let text = receipt_text(&receipt(AccountKind::Freelancer));
        assert_eq!(
            text,
            "Offboard closing receipt\n\
             ========================\n\
             Closed:        2026-11-23 10:00:05 UTC\n\
             Platform:      Demo platform\n\
             Account:       Maya Okafor (maya, Freelancer)\n\
             Reference:     DEMO-CLOSE-7F3A\n\
             Reason:        I'm moving to another platform\n\
             Feedback:      Fees went up.\n               Support was slow.\n\
             Export:        manifest.json SHA-256 9f86d081884c7d659a2feaa0c55ad015\n\
             Reactivation:  log in before 23 November 2031 and follow the reactivation link \
             sent by email (valid 4 hours).\n"
        );
    }

    #[test]
    fn receipt_text_without_feedback_or_export() {
        let mut r = receipt(AccountKind::Client);
        r.feedback = " \n ".into();
        r.export_manifest_sha256 = None;
        r.reactivate_until = None;
        let text = receipt_text(&r);
        assert!(
            text.contains("Account:       Maya Okafor (maya, Client company owner)\n"),
            "{text}"
        );
        assert!(text.contains("Feedback:      (none)\n"), "{text}");
        assert!(
            text.contains("Export:        not exported with Offboard\n"),
            "{text}"
        );
        assert!(
            text.ends_with(
                "Reactivation:  accounts with a client side can only be reopened by contacting \
                 support.\n"
            ),
            "{text}"
        );
    }

    #[test]
    fn reactivation_text_with_a_deadline_gives_the_date() {
        let mut r = receipt(AccountKind::Agency);
        r.reactivate_until = Some(at(2026, 12, 7, 23, 0, 0));
        assert_eq!(
            reactivation_text(&r),
            "log in before 7 December 2026 and follow the reactivation link sent by email \
             (valid 4 hours)."
        );
    }

    #[test]
    fn reactivation_text_without_a_deadline_depends_on_the_kind() {
        let text = |kind| {
            let mut r = receipt(kind);
            r.reactivate_until = None;
            reactivation_text(&r)
        };
        assert_eq!(
            text(AccountKind::Freelancer),
            "contact support to ask whether it can be reopened."
        );
        assert_eq!(
            text(AccountKind::Client),
            "accounts with a client side can only be reopened by contacting support."
        );
        assert_eq!(
            text(AccountKind::Agency),
            "a closed agency can only be reopened by contacting support; your own freelancer \
             account stays open."
        );
    }

    #[test]
    fn erasure_letter_is_addressed_and_identifies_the_account() {
        let letter = erasure_letter(&receipt(AccountKind::Freelancer));
        assert!(
            letter.starts_with(
                "To: privacy@demo-platform.example\n\
                 Subject: Request for erasure of personal data (GDPR Article 17)\n\n\
                 Dear Data Protection Officer,\n\n\
                 I closed my account on 23 November 2026 and ask you to erase"
            ),
            "{letter}"
        );
        for line in [
            "Account name: Maya Okafor\n",
            "Username: maya\n",
            "Email address: maya@example.com\n",
            "Closing reference: DEMO-CLOSE-7F3A\n",
            "(Article 18)",
            "Article 12(3) requires.",
        ] {
            assert!(letter.contains(line), "missing {line:?} in {letter}");
        }
        assert!(
            letter.ends_with("Yours faithfully,\nMaya Okafor\n"),
            "{letter}"
        );
        // The letter is about the user, not their feedback or reason.
        assert!(!letter.contains("Fees went up"), "{letter}");
    }

    #[test]
    fn privacy_contact_and_retention_for_the_demo() {
        assert_eq!(
            privacy_contact(PlatformId::Demo),
            "privacy@demo-platform.example"
        );
        let notice = retention_notice(PlatformId::Demo);
        assert_eq!(notice.len(), 5);
        assert!(notice[0].contains("7 years"), "{}", notice[0]);
        assert!(notice[4].contains("one month"), "{}", notice[4]);
    }
}
