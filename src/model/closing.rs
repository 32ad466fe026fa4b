//! What happens after closing: the receipt, what the platform keeps, how to
//! come back, and the data-erasure request letter.

use super::account::AccountSummary;
use super::profile::PlatformProfile;
use super::wizard::Receipt;
use chrono::{DateTime, Utc};

/// The receipt as plain text, for the receipt file and the clipboard.
pub fn receipt_text(profile: &PlatformProfile, receipt: &Receipt) -> String {
    let mut text = format!(
        "Offboard closing receipt\n\
         ========================\n\
         Closed:        {closed}\n\
         Platform:      {platform}\n\
         Account:       {name} ({username}, {kind})\n\
         Reference:     {reference}\n\
         Reason:        {reason}\n",
        closed = receipt.closed_at.format("%Y-%m-%d %H:%M:%S UTC"),
        platform = profile.company,
        name = receipt.account.display_name,
        username = receipt.account.username,
        kind = profile.kind_label(receipt.account.kind),
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
    text.push_str(&format!(
        "Reactivation:  {}\n",
        reactivation_text(profile, receipt)
    ));
    text.push_str(&format!(
        "If it closed by mistake: {}\n",
        profile.after_care.recovery
    ));
    text
}

/// How and until when the account can come back.
pub fn reactivation_text(profile: &PlatformProfile, receipt: &Receipt) -> String {
    match receipt.reactivate_until {
        Some(until) => format!(
            "log in before {} and follow the reactivation link sent by email (valid 4 hours).",
            until.format("%-d %B %Y")
        ),
        None => profile
            .kind(receipt.account.kind)
            .map_or("contact support to ask whether it can be reopened.", |k| {
                k.reactivation
            })
            .to_string(),
    }
}

/// A data-erasure request (GDPR Article 17) the user can send as it is.
pub fn erasure_letter(profile: &PlatformProfile, receipt: &Receipt) -> String {
    erasure_request(
        profile,
        &receipt.account,
        Some((receipt.closed_at, receipt.reference.as_str())),
    )
}

/// The request for `account`: once closed, with the day and the closing
/// reference; before (the copy kept in the export), without them.
pub fn erasure_request(
    profile: &PlatformProfile,
    account: &AccountSummary,
    closed: Option<(DateTime<Utc>, &str)>,
) -> String {
    let postal = profile
        .after_care
        .privacy_postal
        .map(|a| format!("Post: {a}\n"))
        .unwrap_or_default();
    let opening = match closed {
        Some((at, _)) => format!(
            "I closed my account with {} on {}",
            profile.company,
            at.format("%-d %B %Y")
        ),
        None => format!("I am closing my account with {}", profile.company),
    };
    let reference = closed
        .map(|(_, reference)| format!("Closing reference: {reference}\n"))
        .unwrap_or_default();
    format!(
        "To: {to}\n\
         {postal}\
         Subject: Request for erasure of personal data (GDPR Article 17)\n\n\
         Dear Data Protection Officer,\n\n\
         {opening} and ask you to erase all personal data you hold about me, under Article 17 \
         of the General Data Protection Regulation.\n\n\
         Account name: {name}\n\
         Username: {username}\n\
         Email address: {email}\n\
         {reference}\n\
         Where you must keep some data by law, please tell me which data, on what legal basis, \
         and for how long, and restrict its processing to that purpose (Article 18).\n\n\
         Please confirm the erasure in writing within one month of receiving this request, as \
         Article 12(3) requires.\n\n\
         Yours faithfully,\n\
         {name}\n",
        to = profile.after_care.privacy_contact,
        name = account.display_name,
        username = account.username,
        email = if account.email.is_empty() {
            "(the one on the account)"
        } else {
            &account.email
        },
    )
}

/// The day a GDPR answer is due: one month after the request (Article
/// 12(3)), on the same day of the month or the month's last day.
pub fn erasure_answer_due(sent: DateTime<Utc>) -> DateTime<Utc> {
    sent.checked_add_months(chrono::Months::new(1))
        .unwrap_or(DateTime::<Utc>::MAX_UTC)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::account::{AccountKind, AccountSummary};
    use crate::model::profile::testing::DEMO;
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
            platform: DEMO.id.clone(),
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
        let text = receipt_text(&DEMO, &receipt(AccountKind::Freelancer));
        assert_eq!(
            text,
            "Offboard closing receipt\n\
             ========================\n\
             Closed:        2026-11-23 10:00:05 UTC\n\
             Platform:      the test marketplace\n\
             Account:       Maya Okafor (maya, Freelancer)\n\
             Reference:     DEMO-CLOSE-7F3A\n\
             Reason:        I'm moving to another platform\n\
             Feedback:      Fees went up.\n               Support was slow.\n\
             Export:        manifest.json SHA-256 9f86d081884c7d659a2feaa0c55ad015\n\
             Reactivation:  log in before 23 November 2031 and follow the reactivation link \
             sent by email (valid 4 hours).\n\
             If it closed by mistake: Contact support with your username.\n"
        );
    }

    #[test]
    fn receipt_text_without_feedback_or_export() {
        let mut r = receipt(AccountKind::Client);
        r.feedback = " \n ".into();
        r.export_manifest_sha256 = None;
        r.reactivate_until = None;
        let text = receipt_text(&DEMO, &r);
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
            text.contains(
                "Reactivation:  A client account can only be reopened through support.\n"
            ),
            "{text}"
        );
    }

    #[test]
    fn reactivation_text_with_a_deadline_gives_the_date() {
        let mut r = receipt(AccountKind::Agency);
        r.reactivate_until = Some(at(2026, 12, 7, 23, 0, 0));
        assert_eq!(
            reactivation_text(&DEMO, &r),
            "log in before 7 December 2026 and follow the reactivation link sent by email \
             (valid 4 hours)."
        );
    }

    #[test]
    fn reactivation_text_without_a_deadline_is_the_profiles_for_the_kind() {
        let text = |kind| {
            let mut r = receipt(kind);
            r.reactivate_until = None;
            reactivation_text(&DEMO, &r)
        };
        assert_eq!(
            text(AccountKind::Freelancer),
            "Log in within 30 days to reactivate."
        );
        assert_eq!(
            text(AccountKind::Client),
            "A client account can only be reopened through support."
        );
    }

    #[test]
    fn erasure_letter_is_addressed_and_identifies_the_account() {
        let letter = erasure_letter(&DEMO, &receipt(AccountKind::Freelancer));
        assert!(
            letter.starts_with(
                "To: privacy@marketplace.example\n\
                 Subject: Request for erasure of personal data (GDPR Article 17)\n\n\
                 Dear Data Protection Officer,\n\n\
                 I closed my account with the test marketplace on 23 November 2026 and ask \
                 you to erase"
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
    fn the_answer_is_due_a_month_later_or_on_the_months_last_day() {
        assert_eq!(
            erasure_answer_due(at(2026, 1, 31, 9, 0, 0)),
            at(2026, 2, 28, 9, 0, 0)
        );
        assert_eq!(
            erasure_answer_due(at(2026, 12, 1, 9, 0, 0)),
            at(2027, 1, 1, 9, 0, 0)
        );
        assert_eq!(
            erasure_answer_due(DateTime::<Utc>::MAX_UTC),
            DateTime::<Utc>::MAX_UTC
        );
    }
}
