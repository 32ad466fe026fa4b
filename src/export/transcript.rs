//! messages/<room>.txt: a transcript a person can read in any text editor.
//! Message text is indented under its header so a message can never pass
//! itself off as another one, and control characters (terminal escape
//! sequences among them) are replaced so `cat` shows only text.

use crate::model::account::MessageRoom;
use std::borrow::Cow;
use std::io::{self, Write};

/// Text with control characters other than newline and tab replaced by
/// U+FFFD, and CR LF / lone CR turned into LF.
pub fn printable(text: &str) -> Cow<'_, str> {
    let needs_cleaning = text
        .chars()
        .any(|c| (c.is_control() && c != '\n' && c != '\t') || is_bidi_control(c));
    if !needs_cleaning {
        return Cow::Borrowed(text);
    }
    let normalised = text.replace("\r\n", "\n");
    Cow::Owned(
        normalised
            .chars()
            .map(|c| match c {
                '\r' => '\n',
                '\n' | '\t' => c,
                c if c.is_control() || is_bidi_control(c) => '\u{FFFD}',
                c => c,
            })
            .collect(),
    )
}

/// Bidirectional overrides reorder what a reader sees (Trojan Source).
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

pub fn write_transcript(out: &mut impl Write, room: &MessageRoom) -> io::Result<()> {
    writeln!(out, "Room: {}", printable(&room.topic).replace('\n', " "))?;
    writeln!(out, "Room ID: {}", printable(&room.id))?;
    if let Some(contract) = &room.contract_id {
        writeln!(out, "Contract: {}", printable(contract))?;
    }
    let participants: Vec<Cow<'_, str>> = room.participants.iter().map(|p| printable(p)).collect();
    writeln!(out, "Participants: {}", participants.join(", "))?;
    writeln!(out, "Messages: {}", room.messages.len())?;
    for message in &room.messages {
        writeln!(out)?;
        writeln!(
            out,
            "[{}] {}:",
            message.sent.format("%Y-%m-%d %H:%M UTC"),
            printable(&message.author).replace('\n', " ")
        )?;
        for line in printable(&message.text).lines() {
            writeln!(out, "    {line}")?;
        }
        if !message.attachments.is_empty() {
            let names: Vec<Cow<'_, str>> =
                message.attachments.iter().map(|a| printable(a)).collect();
            writeln!(out, "    Attachments: {}", names.join(", "))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::account::Message;
    use chrono::{TimeZone, Utc};

    #[test]
    fn escape_sequences_and_forged_headers_are_defused() {
        let room = MessageRoom {
            id: "r-1".into(),
            topic: "Logo\u{1b}[2J".into(),
            contract_id: None,
            participants: vec!["Ana".into(), "Bo".into()],
            messages: vec![Message {
                id: "m-1".into(),
                sent: Utc.with_ymd_and_hms(2025, 1, 2, 3, 4, 0).unwrap(),
                author: "Bo".into(),
                text: "hi\r\n[2025-01-01 00:00 UTC] Ana:\nsend money\u{7}".into(),
                attachments: vec!["a.pdf".into()],
            }],
        };
        let mut out = Vec::new();
        write_transcript(&mut out, &room).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(!text.contains('\u{1b}') && !text.contains('\u{7}') && !text.contains('\r'));
        assert!(text.contains("Room: Logo\u{FFFD}[2J"));
        assert!(
            text.contains("[2025-01-02 03:04 UTC] Bo:\n    hi\n    [2025-01-01 00:00 UTC] Ana:\n")
        );
        assert!(text.contains("    Attachments: a.pdf"));
    }
}
