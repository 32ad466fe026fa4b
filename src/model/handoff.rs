//! Client hand-off: who to tell, and a farewell note to start from.

use super::account::{AccountKind, AccountSummary, ClientContact, Contract};
use std::collections::BTreeMap;

/// Every counterparty the account worked with, most recent first. Only the
/// freelancer and agency side have clients to hand off; a client account
/// lists the freelancers it hired.
pub fn contacts_from_contracts<'a>(
    contracts: impl IntoIterator<Item = &'a Contract>,
) -> Vec<ClientContact> {
    let mut by_name: BTreeMap<&str, ClientContact> = BTreeMap::new();
    for c in contracts {
        let last = c.ended.unwrap_or(c.started).max(c.started);
        let entry = by_name
            .entry(c.counterparty.as_str())
            .or_insert_with(|| ClientContact {
                name: c.counterparty.clone(),
                company: c.counterparty_company.clone(),
                contracts: 0,
                total_billed: Default::default(),
                last_worked: last,
            });
        entry.contracts += 1;
        entry.total_billed += c.total_billed;
        if last >= entry.last_worked {
            entry.last_worked = last;
            if c.counterparty_company.is_some() {
                entry.company = c.counterparty_company.clone();
            }
        }
    }
    let mut contacts: Vec<ClientContact> = by_name.into_values().collect();
    contacts.sort_by(|a, b| {
        b.last_worked
            .cmp(&a.last_worked)
            .then_with(|| a.name.cmp(&b.name))
    });
    contacts
}

/// The first name, for a friendly greeting.
fn first_name(name: &str) -> &str {
    name.split_whitespace().next().unwrap_or(name)
}

/// A farewell note the user edits before sending.
pub fn farewell_draft(contact: &ClientContact, account: &AccountSummary) -> String {
    let greeting = first_name(&contact.name);
    let sender = &account.display_name;
    match account.kind {
        AccountKind::Client => format!(
            "Hi {greeting},\n\nThank you for your work with us. We are closing our account on \
             this platform, so messages here will stop working soon.\n\nIf you would like to \
             keep working together, you can reach us at {email}.\n\nAll the best,\n{sender}",
            email = account.email,
        ),
        AccountKind::Freelancer | AccountKind::Agency => {
            let projects = if contact.contracts == 1 {
                "the project".to_string()
            } else {
                format!("the {} projects", contact.contracts)
            };
            let company = contact
                .company
                .as_deref()
                .map(|c| format!(" at {c}"))
                .unwrap_or_default();
            let mut thanks = format!("Thank you for {projects} I have worked on with you{company}");
            // "Co." already ends the sentence.
            if !thanks.ends_with('.') {
                thanks.push('.');
            }
            format!(
                "Hi {greeting},\n\n{thanks} I am closing my account on this platform, so \
                 messages here will stop working soon.\n\nIf you would like to keep in touch or \
                 work together again, you can reach me at {email}.\n\nAll the best,\n{sender}",
                email = account.email,
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::account::{ContractKind, ContractStatus};
    use crate::model::money::Money;
    use chrono::{TimeZone, Utc};

    fn contract(id: &str, who: &str, year: i32, billed: i64) -> Contract {
        Contract {
            id: id.into(),
            title: format!("Job {id}"),
            counterparty: who.into(),
            counterparty_company: Some(format!("{who} Co")),
            kind: ContractKind::Hourly,
            status: ContractStatus::Ended,
            started: Utc
                .with_ymd_and_hms(year, 1, 1, 0, 0, 0)
                .single()
                .unwrap_or_default(),
            ended: Some(
                Utc.with_ymd_and_hms(year, 6, 1, 0, 0, 0)
                    .single()
                    .unwrap_or_default(),
            ),
            hourly_rate: None,
            weekly_limit_hours: None,
            total_billed: Money::from_dollars(billed),
            hours_billed: None,
            milestones: Vec::new(),
            assignee: None,
        }
    }

    #[test]
    fn contacts_group_by_counterparty_most_recent_first() {
        let contracts = [
            contract("1", "Ana Lima", 2023, 100),
            contract("2", "Ben Ode", 2025, 50),
            contract("3", "Ana Lima", 2024, 200),
        ];
        let contacts = contacts_from_contracts(&contracts);
        assert_eq!(contacts.len(), 2);
        assert_eq!(contacts[0].name, "Ben Ode");
        assert_eq!(contacts[1].contracts, 2);
        assert_eq!(contacts[1].total_billed, Money::from_dollars(300));
    }

    #[test]
    fn farewell_greets_by_first_name_and_gives_email() {
        let contacts = contacts_from_contracts(&[contract("1", "Ana Lima", 2023, 100)]);
        let account = AccountSummary {
            id: "freelancer".into(),
            kind: AccountKind::Freelancer,
            username: "maya".into(),
            display_name: "Maya Okafor".into(),
            email: "maya@example.com".into(),
            member_since: Utc::now(),
        };
        let text = farewell_draft(&contacts[0], &account);
        assert!(text.starts_with("Hi Ana,"));
        assert!(text.contains("maya@example.com"));
        assert!(text.contains("the project I have worked on with you at Ana Lima Co."));
        assert!(!text.contains(".."));
        let mut dotted = contacts[0].clone();
        dotted.company = Some("Harbor & Pine Coffee Co.".into());
        dotted.contracts = 3;
        let text = farewell_draft(&dotted, &account);
        assert!(
            text.contains(
                "the 3 projects I have worked on with you at Harbor & Pine Coffee Co. I am"
            ),
            "{text}"
        );
    }
}
