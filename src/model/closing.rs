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
        (AccountKind::Freelancer, None) => "contact support to ask whether it can be reopened.".into(),
    }
}

/// What the platform keeps after closing, in plain words.
pub fn retention_notice(platform: PlatformId) -> Vec<&'static str> {
    match platform {
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
