//! Words both Upwork sources read the same way. The API's transaction
//! `type` and `accountingSubtype` and the CSV files' "Transaction Type"
//! (either generation of the download) name the same kinds of money, so
//! one classifier reads them all: a row is the same kind whichever way it
//! was fetched.
//!
//! Money and dates stay with each source: the API sends ISO dates and
//! plain decimals, the files carry whatever a spreadsheet wrote.

use crate::model::account::TransactionKind;

/// Upwork's type words to the model's kinds, the more specific first
/// ("Withdrawal Fee" before "Withdrawal", "Membership Fee" before "Fee");
/// `None` for words Upwork was not seen to use. Miscellaneous rows often
/// say in the description what they are.
pub fn transaction_kind(words: &str, description: &str) -> Option<TransactionKind> {
    let words = words.to_lowercase();
    let description = description.to_lowercase();
    let has = |w: &str| words.contains(w);
    Some(if has("withdraw") && has("fee") {
        TransactionKind::WithdrawalFee
    } else if has("withdraw") {
        TransactionKind::Withdrawal
    } else if has("connect") || has("membership") || has("freelancer plus") {
        TransactionKind::ConnectsPurchase
    } else if has("fee") || has("service") || has("commission") {
        TransactionKind::ServiceFee
    } else if has("refund") {
        TransactionKind::Refund
    } else if has("bonus") {
        TransactionKind::Bonus
    } else if has("hourly") {
        TransactionKind::Hourly
    } else if has("fixed") || has("milestone") {
        TransactionKind::FixedPrice
    } else if has("payment") || has("invoice") || has("expense") {
        TransactionKind::Payment
    } else if has("misc")
        || has("adjustment")
        || has("credit")
        || has("debit")
        || words.trim().is_empty()
    {
        if description.starts_with("withdrawal fee") {
            TransactionKind::WithdrawalFee
        } else if description.contains("connects") || description.contains("membership") {
            TransactionKind::ConnectsPurchase
        } else {
            TransactionKind::Adjustment
        }
    } else {
        return None;
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use TransactionKind::*;

    #[test]
    fn the_api_and_the_files_words_read_alike() {
        for (words, kind) in [
            // CSV "Transaction Type", both generations.
            ("Hourly", Hourly),
            ("Fixed Price", FixedPrice),
            ("Bonus", Bonus),
            ("Withdrawal", Withdrawal),
            ("Withdrawal Fee", WithdrawalFee),
            ("Refund", Refund),
            ("Service Fee", ServiceFee),
            ("Membership Fee", ConnectsPurchase),
            ("Payment", Payment),
            // The API's type and accounting subtype together.
            ("HOURLY SERVICE_FEE", ServiceFee),
            ("FIXED_PRICE MILESTONE", FixedPrice),
            ("APInvoice Payment", Payment),
            ("REFUND HOURLY", Refund),
            ("WITHDRAWAL WITHDRAWAL_FEE", WithdrawalFee),
        ] {
            assert_eq!(transaction_kind(words, ""), Some(kind), "{words}");
        }
        assert_eq!(
            transaction_kind("Miscellaneous", "Withdrawal Fee"),
            Some(WithdrawalFee)
        );
        assert_eq!(
            transaction_kind("", "Connects purchase"),
            Some(ConnectsPurchase)
        );
        assert_eq!(transaction_kind("Miscellaneous", "Other"), Some(Adjustment));
        assert_eq!(transaction_kind("Gift card", ""), None);
    }
}
