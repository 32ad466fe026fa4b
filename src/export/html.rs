//! index.html: one offline page to browse the export, written in one
//! pass while the export runs: the page's head first, then each section's
//! rows as the section is written (rendered on a second thread, see
//! `page_rows`), then the summary, whose totals are known only at the end (the
//! page's style shows it first). Nothing is written twice or read back, and
//! memory stays flat however large the account. A resumed export builds
//! the page again, reading the rows of sections finished earlier back from
//! their JSON files. minijinja escapes all platform text (HTML
//! auto-escaping for `.html` templates); a Content-Security-Policy forbids
//! the page any network access.

use super::files::{AtomicFile, WriteMode};
use super::page_rows::PageRow;
use super::sections::{
    contract_kind_label, contract_status_label, day, dispute_status_label, job_post_status_label,
    offer_status_label, payment_status_label, proposal_status_label,
};
use super::short_text::ShortText;
use super::{ExportError, ExportRun, io_error};
use crate::model::account::{
    Contract, Dispute, Feedback, JobPost, MessageRoom, Offer, Proposal, Review, TeamMember,
    Transaction,
};
use crate::model::money::Money;
use chrono::{DateTime, Utc};
use minijinja::value::{Serde, Value};
use minijinja::{Environment, HtmlEscape, UndefinedBehavior, context};
use serde::Serialize;
use std::fmt;
use std::io::Write;

const TEMPLATES: [(&str, &str); 7] = [
    (
        "page-start.html",
        include_str!("../../assets/export/page-start.html"),
    ),
    (
        "table-start.html",
        include_str!("../../assets/export/table-start.html"),
    ),
    (
        "table-end.html",
        include_str!("../../assets/export/table-end.html"),
    ),
    (
        "rooms-start.html",
        include_str!("../../assets/export/rooms-start.html"),
    ),
    ("room.html", include_str!("../../assets/export/room.html")),
    (
        "section-end.html",
        include_str!("../../assets/export/section-end.html"),
    ),
    (
        "summary.html",
        include_str!("../../assets/export/summary.html"),
    ),
];
const STYLE: &str = include_str!("../../assets/export/index.css");
const SCRIPT: &str = include_str!("../../assets/export/index.js");

fn template_error(error: minijinja::Error) -> ExportError {
    ExportError::Template(format!("{error:#}"))
}

/// The page's templates, compiled once per thread that renders.
pub(crate) struct Templates {
    env: Environment<'static>,
}

impl Templates {
    pub(crate) fn load() -> Result<Self, minijinja::Error> {
        let mut env = Environment::new();
        // A missing variable is a bug in Offboard, not something to render empty.
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        for (name, source) in TEMPLATES {
            env.add_template(name, source)?;
        }
        Ok(Templates { env })
    }

    /// Renders `name` with `context`, appending to `out`.
    pub(crate) fn render(
        &self,
        name: &str,
        context: Value,
        out: &mut Vec<u8>,
    ) -> Result<(), minijinja::Error> {
        self.env
            .get_template(name)?
            .render_captured_to(context, out)?;
        Ok(())
    }
}

/// One table of the page, in page order.
pub(crate) struct Table {
    id: &'static str,
    title: &'static str,
    note: Option<&'static str>,
    /// Column names; `true` for numbers (right-aligned).
    columns: &'static [(&'static str, bool)],
    /// Shown even when the section wrote nothing (job posts, team and
    /// disputes only appear when the account has them).
    always: bool,
}

static TABLES: [Table; 8] = [
    Table {
        id: "contracts",
        title: "Contracts",
        note: None,
        columns: &[
            ("Title", false),
            ("With", false),
            ("Kind", false),
            ("Status", false),
            ("Started", false),
            ("Ended", false),
            ("Rate", true),
            ("Billed", true),
            ("Hours", true),
        ],
        always: true,
    },
    Table {
        id: "proposals",
        title: "Proposals",
        note: Some("Cover letters are in proposals.csv and proposals.json."),
        columns: &[
            ("Submitted", false),
            ("Job", false),
            ("Client", false),
            ("Status", false),
            ("Bid", true),
            ("Kind", false),
            ("Connects", true),
        ],
        always: true,
    },
    Table {
        id: "offers",
        title: "Offers",
        note: None,
        columns: &[
            ("Sent", false),
            ("Title", false),
            ("With", false),
            ("Status", false),
            ("Kind", false),
            ("Amount", true),
        ],
        always: true,
    },
    Table {
        id: "job-posts",
        title: "Job posts",
        note: None,
        columns: &[
            ("Posted", false),
            ("Title", false),
            ("Status", false),
            ("Kind", false),
            ("Budget", true),
            ("Proposals", true),
        ],
        always: false,
    },
    Table {
        id: "team",
        title: "Team",
        note: None,
        columns: &[
            ("Name", false),
            ("Email", false),
            ("Role", false),
            ("Joined", false),
        ],
        always: false,
    },
    Table {
        id: "feedback",
        title: "Feedback",
        note: None,
        columns: &[
            ("Contract", false),
            ("With", false),
            ("Received", true),
            ("Their comment", false),
            ("Given", true),
            ("Your comment", false),
        ],
        always: true,
    },
    Table {
        id: "transactions",
        title: "Transactions",
        note: Some(
            "transactions.csv has the columns of Upwork's transaction-history download; \
             time-reports.csv has hours per week per hourly contract.",
        ),
        columns: &[
            ("Date", false),
            ("Type", false),
            ("Description", false),
            ("With", false),
            ("Contract", false),
            ("Amount", true),
            ("Balance", true),
            ("Status", false),
        ],
        always: true,
    },
    Table {
        id: "disputes",
        title: "Disputes",
        note: None,
        columns: &[
            ("Opened", false),
            ("Title", false),
            ("Contract", false),
            ("Amount", true),
            ("Status", false),
        ],
        always: false,
    },
];

/// Columns of dates and short labels, kept on one line.
const NOWRAP_COLUMNS: [&str; 10] = [
    "Started",
    "Ended",
    "Submitted",
    "Sent",
    "Posted",
    "Joined",
    "Date",
    "Opened",
    "Kind",
    "Status",
];

/// A section of the page whose rows stream in while it is written.
#[derive(Clone, Copy)]
pub(crate) enum PageSection {
    Table(&'static Table),
    Rooms,
}

impl PageSection {
    /// The page section of an export section, if it has one.
    pub(crate) fn of(section: &str) -> Option<Self> {
        if section == "messages" {
            return Some(PageSection::Rooms);
        }
        TABLES
            .iter()
            .find(|table| table.id == section)
            .map(PageSection::Table)
    }

    /// Whether the page shows the section even with no rows.
    pub(crate) fn always(self) -> bool {
        match self {
            PageSection::Table(table) => table.always,
            PageSection::Rooms => true,
        }
    }

    /// The section's heading and, unless `empty`, its table head.
    pub(crate) fn render_start(
        self,
        templates: &Templates,
        empty: bool,
        out: &mut Vec<u8>,
    ) -> Result<(), minijinja::Error> {
        match self {
            PageSection::Table(table) => {
                #[derive(Serialize)]
                struct Column {
                    name: &'static str,
                    numeric: bool,
                    /// Dates and short labels: a line break inside reads badly.
                    nowrap: bool,
                }
                let columns: Vec<Column> = table
                    .columns
                    .iter()
                    .map(|&(name, numeric)| Column {
                        name,
                        numeric,
                        nowrap: NOWRAP_COLUMNS.contains(&name),
                    })
                    .collect();
                templates.render(
                    "table-start.html",
                    context! { id => table.id, title => table.title, empty => empty, note => table.note, columns => Serde(&columns) },
                    out,
                )
            }
            PageSection::Rooms => {
                templates.render("rooms-start.html", context! { empty => empty }, out)
            }
        }
    }

    pub(crate) fn render_end(
        self,
        templates: &Templates,
        empty: bool,
        out: &mut Vec<u8>,
    ) -> Result<(), minijinja::Error> {
        match self {
            PageSection::Table(_) => {
                templates.render("table-end.html", context! { empty => empty }, out)
            }
            PageSection::Rooms => templates.render("section-end.html", context! {}, out),
        }
    }
}

/// Starts index.html: its head, header and list of sections. The rows
/// follow as sections are written (`page_rows::RowWriter`), the summary at
/// the end (`finish_page`).
pub(crate) fn start_page(run: &ExportRun<'_>) -> Result<AtomicFile, ExportError> {
    let templates = Templates::load().map_err(template_error)?;
    #[derive(Serialize)]
    struct NavLink {
        anchor: &'static str,
        label: &'static str,
    }
    let links: Vec<NavLink> = TABLES
        .iter()
        .map(|table| NavLink {
            anchor: table.id,
            label: table.title,
        })
        .chain([NavLink {
            anchor: "messages",
            label: ROOMS_LABEL,
        }])
        .collect();
    let account = &run.profile.account;
    let mut head = Vec::with_capacity(16 * 1024);
    templates
        .render(
            "page-start.html",
            context! {
                version => env!("CARGO_PKG_VERSION"),
                css => Value::from_safe_string(STYLE.to_string()),
                platform => crate::platform::registry::profiles().get(&run.platform.id()).name,
                exported => run.manifest.started.format("%Y-%m-%d %H:%M UTC").to_string(),
                account => context! { name => &account.display_name, kind => account.kind.label() },
                sections => Serde(&links),
            },
            &mut head,
        )
        .map_err(template_error)?;
    let mut page = run.create(INDEX_HTML, WriteMode::Direct)?;
    page.write_all(&head)
        .map_err(io_error("write index.html", &run.path(INDEX_HTML)))?;
    Ok(page)
}

pub(crate) const INDEX_HTML: &str = "index.html";
const ROOMS_LABEL: &str = "Message rooms";

/// Ends index.html with the summary, now that the totals are known, and
/// commits it.
pub(crate) fn finish_page(run: &mut ExportRun<'_>) -> Result<(), ExportError> {
    let path = run.path(INDEX_HTML);
    let mut page = run.page.take().ok_or_else(|| {
        io_error("finish index.html", &path)(std::io::Error::other("the page was not started"))
    })?;
    let templates = Templates::load().map_err(template_error)?;
    let mut end = Vec::with_capacity(64 * 1024);
    templates
        .render("summary.html", summary_context(run), &mut end)
        .map_err(template_error)?;
    page.write_all(&end)
        .map_err(io_error("write index.html", &path))?;
    run.commit(vec![(page, INDEX_HTML, "index", 0)])?;
    run.finish_section("index", 0);
    Ok(())
}

/// A message room as index.html shows it, with links to its files.
pub(crate) struct RoomRow {
    pub(crate) room: MessageRoom,
    pub(crate) json_file: String,
    pub(crate) txt_file: String,
}

#[derive(Serialize)]
struct MessageView<'m> {
    author: &'m str,
    sent: String,
    text: &'m str,
    attachments: String,
}

#[derive(Serialize)]
struct RoomView<'m> {
    topic: &'m str,
    contract_id: Option<&'m str>,
    participants: String,
    count: usize,
    last: Option<String>,
    json_href: String,
    txt_href: String,
    messages: Vec<MessageView<'m>>,
}

impl PageRow for RoomRow {
    fn render(
        &self,
        templates: &Templates,
        index: u64,
        out: &mut Vec<u8>,
    ) -> Result<(), minijinja::Error> {
        let room = &self.room;
        let view = RoomView {
            topic: &room.topic,
            contract_id: room.contract_id.as_deref(),
            participants: room.participants.join(", "),
            count: room.messages.len(),
            last: room.messages.iter().map(|m| m.sent).max().map(|d| day(&d)),
            json_href: relative_href(&self.json_file),
            txt_href: relative_href(&self.txt_file),
            messages: room
                .messages
                .iter()
                .map(|m| MessageView {
                    author: &m.author,
                    sent: m.sent.format("%Y-%m-%d %H:%M UTC").to_string(),
                    text: &m.text,
                    attachments: m.attachments.join(", "),
                })
                .collect(),
        };
        templates.render(
            "room.html",
            context! { index => index, room => Serde(&view) },
            out,
        )
    }
}

/// A link to a file of the export: each byte outside the safe set
/// percent-encoded, so `#`, `%` or spaces in a sanitised room name still
/// point at the file.
fn relative_href(relative: &str) -> String {
    let mut href = String::with_capacity(relative.len() + 8);
    for byte in relative.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                href.push(byte as char);
            }
            _ => href.push_str(&format!("%{byte:02X}")),
        }
    }
    href
}

fn summary_context(run: &ExportRun<'_>) -> Value {
    #[derive(Serialize)]
    struct SectionCount {
        anchor: &'static str,
        label: &'static str,
        count: u64,
    }
    // A table the account has nothing for is left out when it is not
    // always shown; its link is hidden.
    let present =
        |table: &Table| table.always || run.manifest.files.iter().any(|f| f.section == table.id);
    let counts: Vec<SectionCount> = TABLES
        .iter()
        .filter(|table| present(table))
        .map(|table| SectionCount {
            anchor: table.id,
            label: table.title,
            count: run.manifest.section_records(table.id),
        })
        .chain([SectionCount {
            anchor: "messages",
            label: ROOMS_LABEL,
            count: run.manifest.totals.rooms,
        }])
        .collect();
    let absent: Vec<&str> = TABLES
        .iter()
        .filter(|table| !present(table))
        .map(|table| table.id)
        .collect();
    let profile = &run.profile;
    let totals = &run.manifest.totals;
    let money = |cents: i64| Money::from_cents(cents).to_string();
    #[derive(Serialize)]
    struct YearView {
        year: i32,
        earned: String,
        spent: String,
        fees: String,
        withdrawn: String,
        refunds: String,
        net: String,
        transactions: u64,
    }
    let years: Vec<YearView> = totals
        .years
        .iter()
        .map(|y| YearView {
            year: y.year,
            earned: money(y.earned_cents),
            spent: money(y.spent_cents),
            fees: money(y.fees_cents),
            withdrawn: money(y.withdrawn_cents),
            refunds: money(y.refunds_cents),
            net: money(y.net_cents),
            transactions: y.transactions,
        })
        .collect();
    context! {
        version => env!("CARGO_PKG_VERSION"),
        js => Value::from_safe_string(SCRIPT.to_string()),
        messages => run.manifest.section_records("messages"),
        absent => Serde(&absent),
        account => context! {
            name => &profile.account.display_name,
            username => &profile.account.username,
            email => &profile.account.email,
            kind => profile.account.kind.label(),
            member_since => day(&profile.account.member_since),
        },
        profile => context! {
            title => &profile.title,
            overview => &profile.overview,
            location => &profile.location,
            hourly_rate => profile.hourly_rate.map(|m| m.to_string()),
            job_success_score => profile.job_success_score,
            total_earnings => profile.total_earnings.to_string(),
            skills => profile.skills.join(", "),
            profile_url => &profile.profile_url,
        },
        sections => Serde(&counts),
        totals => context! {
            money_in => money(totals.money_in_cents),
            money_out => money(totals.money_out_cents),
            billed => money(totals.contracts_billed_cents),
            hours => format!("{:.1}", totals.contracts_hours),
            open_contracts => totals.contracts_open,
        },
        years => Serde(&years),
    }
}

// ---- Table rows ----

/// Writes text into a page with HTML escaping: minijinja's own escaper, so
/// table rows are escaped exactly as the templates escape.
struct Escaped<'o>(&'o mut Vec<u8>);

impl Escaped<'_> {
    fn text(&mut self, text: &str) {
        if text
            .bytes()
            .any(|b| matches!(b, b'<' | b'>' | b'&' | b'"' | b'\'' | b'/'))
        {
            use std::io::Write as _;
            // Writing into memory cannot fail.
            let _ = write!(self.0, "{}", HtmlEscape(text));
        } else {
            self.0.extend_from_slice(text.as_bytes());
        }
    }
}

impl fmt::Write for Escaped<'_> {
    fn write_str(&mut self, text: &str) -> fmt::Result {
        self.text(text);
        Ok(())
    }
}

/// One `<tr>` of a data table. Rows are written here rather than through a
/// template: a table can have a million rows, and a template call per row
/// cost more than the rest of the export together (`cargo bench --bench
/// export`). The table's frame around them is still table-start.html.
struct Row<'o> {
    out: &'o mut Vec<u8>,
}

impl<'o> Row<'o> {
    fn start(out: &'o mut Vec<u8>) -> Self {
        out.extend_from_slice(b"<tr>");
        Row { out }
    }

    /// A cell showing `text`, escaped.
    fn text(self, text: &str) -> Self {
        self.out.extend_from_slice(b"<td>");
        Escaped(self.out).text(text);
        self.out.extend_from_slice(b"</td>");
        self
    }

    fn optional_text(self, text: Option<&str>) -> Self {
        self.text(text.unwrap_or_default())
    }

    /// A cell showing `value` (numbers, composed text), escaped.
    fn cell(self, value: impl fmt::Display) -> Self {
        self.out.extend_from_slice(b"<td>");
        // Writing into memory fails only if a Display impl fails.
        let _ = fmt::write(&mut Escaped(self.out), format_args!("{value}"));
        self.out.extend_from_slice(b"</td>");
        self
    }

    fn optional(self, value: Option<impl fmt::Display>) -> Self {
        match value {
            Some(value) => self.cell(value),
            None => self.text(""),
        }
    }

    /// A date as the page shows it (YYYY-MM-DD).
    fn day(self, date: &DateTime<Utc>) -> Self {
        self.text(ShortText::day(date).as_ref())
    }

    fn optional_day(self, date: Option<&DateTime<Utc>>) -> Self {
        match date {
            Some(date) => self.day(date),
            None => self.text(""),
        }
    }

    /// An amount as people read it: `-$1,234.50`.
    fn money(self, money: Money) -> Self {
        self.text(ShortText::money_display(money).as_ref())
    }

    fn optional_money(self, money: Option<Money>) -> Self {
        match money {
            Some(money) => self.money(money),
            None => self.text(""),
        }
    }

    fn end(self) {
        self.out.extend_from_slice(b"</tr>\n");
    }
}

/// Table rows: each record renders as one `<tr>`.
macro_rules! table_rows {
    ($($record:ty => $row:ident),* $(,)?) => {
        $(impl PageRow for $record {
            fn render(&self, _templates: &Templates, _index: u64, out: &mut Vec<u8>) -> Result<(), minijinja::Error> {
                $row(self, Row::start(out)).end();
                Ok(())
            }
        })*
    };
}

table_rows! {
    Contract => contract_row,
    Proposal => proposal_row,
    Offer => offer_row,
    JobPost => job_post_row,
    TeamMember => team_row,
    Feedback => feedback_row,
    Transaction => transaction_row,
    Dispute => dispute_row,
}

fn contract_row<'o>(contract: &Contract, row: Row<'o>) -> Row<'o> {
    let row = row.text(&contract.title);
    let row = match &contract.counterparty_company {
        Some(company) => row.cell(format_args!("{} ({company})", contract.counterparty)),
        None => row.text(&contract.counterparty),
    };
    row.text(contract_kind_label(contract.kind))
        .text(contract_status_label(contract.status))
        .day(&contract.started)
        .optional_day(contract.ended.as_ref())
        .optional_money(contract.hourly_rate)
        .money(contract.total_billed)
        .optional(contract.hours_billed.map(|h| format!("{h:.1}")))
}

fn proposal_row<'o>(proposal: &Proposal, row: Row<'o>) -> Row<'o> {
    row.day(&proposal.submitted)
        .text(&proposal.job_title)
        .text(&proposal.client)
        .text(proposal_status_label(proposal.status))
        .money(proposal.bid)
        .text(contract_kind_label(proposal.bid_kind))
        .cell(proposal.connects_spent)
}

fn offer_row<'o>(offer: &Offer, row: Row<'o>) -> Row<'o> {
    row.day(&offer.sent)
        .text(&offer.title)
        .text(&offer.counterparty)
        .text(offer_status_label(offer.status))
        .text(contract_kind_label(offer.kind))
        .money(offer.amount)
}

fn job_post_row<'o>(post: &JobPost, row: Row<'o>) -> Row<'o> {
    row.day(&post.posted)
        .text(&post.title)
        .text(job_post_status_label(post.status))
        .text(contract_kind_label(post.kind))
        .money(post.budget)
        .cell(post.proposals_received)
}

fn team_row<'o>(member: &TeamMember, row: Row<'o>) -> Row<'o> {
    row.text(&member.name)
        .text(&member.email)
        .text(&member.role)
        .day(&member.joined)
}

fn feedback_row<'o>(feedback: &Feedback, row: Row<'o>) -> Row<'o> {
    let score = |review: &Option<Review>| review.as_ref().map(|r| format!("{:.1}", r.score));
    row.text(&feedback.contract_title)
        .text(&feedback.counterparty)
        .optional(score(&feedback.received))
        .optional_text(feedback.received.as_ref().map(|r| r.comment.as_str()))
        .optional(score(&feedback.given))
        .optional_text(feedback.given.as_ref().map(|r| r.comment.as_str()))
}

fn transaction_row<'o>(transaction: &Transaction, row: Row<'o>) -> Row<'o> {
    row.day(&transaction.date)
        .text(transaction.kind.label())
        .text(&transaction.description)
        .optional_text(transaction.counterparty.as_deref())
        .optional_text(transaction.contract_id.as_deref())
        .money(transaction.amount)
        .money(transaction.balance_after)
        .text(payment_status_label(transaction.status))
}

fn dispute_row<'o>(dispute: &Dispute, row: Row<'o>) -> Row<'o> {
    row.day(&dispute.opened)
        .text(&dispute.title)
        .text(&dispute.contract_id)
        .money(dispute.amount)
        .text(dispute_status_label(dispute.status))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_parse() {
        Templates::load().unwrap();
    }

    #[test]
    fn rows_escape_platform_text() {
        let mut out = Vec::new();
        Row::start(&mut out)
            .cell("<script>alert('x')</script> & \"q\"")
            .cell(format_args!("{}<b>", "a&b"))
            .optional(None::<&str>)
            .cell("plain")
            .end();
        let html = String::from_utf8(out).unwrap();
        assert_eq!(
            html,
            "<tr><td>&lt;script&gt;alert(&#x27;x&#x27;)&lt;&#x2f;script&gt; &amp; &quot;q&quot;</td>\
             <td>a&amp;b&lt;b&gt;</td><td></td><td>plain</td></tr>\n"
        );
    }

    #[test]
    fn rows_escape_every_character_minijinja_escapes() {
        // The quick check in `Escaped` must not let through a character the
        // escaper would change.
        for byte in 0u8..128 {
            let text = char::from(byte).to_string();
            let mut out = Vec::new();
            Row::start(&mut out).cell(&text).end();
            assert_eq!(
                String::from_utf8(out).unwrap(),
                format!("<tr><td>{}</td></tr>\n", HtmlEscape(&text)),
                "byte {byte}"
            );
        }
    }

    #[test]
    fn hrefs_are_percent_encoded() {
        assert_eq!(
            relative_href("messages/Logo #2 100%.json"),
            "messages/Logo%20%232%20100%25.json"
        );
        assert_eq!(relative_href("messages/Café.txt"), "messages/Caf%C3%A9.txt");
    }
}
