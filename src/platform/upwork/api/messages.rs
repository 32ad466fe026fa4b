//! Message rooms and their messages.
//!
//! - The room index: every room once across all `roomList` filter passes
//!   (real accounts only show every room when hidden rooms and each room
//!   type are asked for separately). Contract discovery, the counts and the
//!   export all need it; a walk is kept for [`ROOM_INDEX_FRESH`], so a
//!   review followed by an export walks the rooms once.
//! - Messages: the first pages of up to ten rooms in one request (aliases),
//!   then any further pages room by room. Messages always come fresh.

use super::{PAGE, UpworkPlatform, data_warning, lock, soft};
use crate::model::account::{AccountSummary, MessageRoom};
use crate::platform::RecordStream;
use crate::platform::upwork::api::client::{Answer, ApiError};
use crate::platform::upwork::api::mapping::{self, at, list, text};
use crate::platform::upwork::api::queries::{self, ROOM_STORIES_BATCH};
use crate::platform::upwork::api::stream::{Cursor, Page};
use serde_json::{Value, json};
use std::collections::{HashSet, VecDeque};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// How long a walk over the rooms is reused. A room opened since is missed
/// only within this window; the messages of every listed room are always
/// read fresh.
pub(super) const ROOM_INDEX_FRESH: Duration = Duration::from_secs(10 * 60);

/// One account's rooms (the `roomList` nodes) as of `fetched`.
pub(super) struct RoomIndex {
    fetched: Instant,
    rooms: Arc<Vec<Value>>,
}

/// The filter passes over `roomList`: real accounts only show every room
/// when hidden rooms and each room type are asked for separately.
fn room_filters() -> Vec<Value> {
    vec![
        json!({ "includeHidden_eq": true }),
        json!({ "roomType_eq": "ONE_ON_ONE", "includeHidden_eq": true }),
        json!({ "roomType_eq": "GROUP", "includeHidden_eq": true }),
        json!({ "roomType_eq": "INTERVIEW", "includeHidden_eq": true }),
        json!({ "subscribed_eq": false, "includeHidden_eq": true }),
    ]
}

/// A room whose messages are being read.
struct Reading {
    room: MessageRoom,
    cursor: Cursor,
}

impl UpworkPlatform {
    /// Every room of `account` once, in the order the passes list them:
    /// the last walk when it is fresher than [`ROOM_INDEX_FRESH`], else a
    /// new one.
    pub(super) fn room_index(&self, account: &AccountSummary) -> Result<Arc<Vec<Value>>, ApiError> {
        if let Some(index) = lock(&self.room_index).get(&account.id)
            && index.fetched.elapsed() < ROOM_INDEX_FRESH
        {
            return Ok(index.rooms.clone());
        }
        let rooms = Arc::new(self.walk_rooms(account)?);
        lock(&self.room_index).insert(
            account.id.clone(),
            RoomIndex {
                fetched: Instant::now(),
                rooms: rooms.clone(),
            },
        );
        Ok(rooms)
    }

    fn walk_rooms(&self, account: &AccountSummary) -> Result<Vec<Value>, ApiError> {
        let filters = room_filters();
        let mut seen: HashSet<String> = HashSet::new();
        let mut rooms = Vec::new();
        for (pass, filter) in filters.iter().enumerate() {
            let mut cursor = self.cursor(&queries::ROOM_LIST);
            while !cursor.finished {
                let vars = json!({ "filter": filter, "pagination": cursor.pagination(PAGE) });
                let what = format!("Message rooms (pass {} of {})", pass + 1, filters.len());
                let data = match self.call(&queries::ROOM_LIST, vars, Some(&account.id), &what) {
                    Ok(data) => data,
                    // One pass refused (e.g. a filter this account may not
                    // use): the other passes still count.
                    Err(e) if soft(&e) && pass > 0 => {
                        self.warn(format!("a pass over the message rooms was skipped: {e}"));
                        break;
                    }
                    Err(e) => return Err(e),
                };
                let connection = at(&data, &["roomList"]);
                let edges = list(connection, &["edges"]);
                rooms.extend(
                    edges
                        .iter()
                        .map(|e| at(e, &["node"]))
                        .filter(|n| text(n, &["id"]).is_some_and(|id| seen.insert(id)))
                        .cloned(),
                );
                cursor.advance(connection, edges)?;
            }
        }
        Ok(rooms)
    }

    /// Every room once, each with all its messages.
    pub(super) fn room_stream(&self, account: &AccountSummary) -> RecordStream<'_, MessageRoom> {
        let account = account.clone();
        let mut pending: Option<VecDeque<Value>> = None;
        let mut ready: VecDeque<MessageRoom> = VecDeque::new();
        self.stream(move || {
            loop {
                if let Some(room) = ready.pop_front() {
                    return Ok(Page::More(vec![room]));
                }
                if pending.is_none() {
                    pending = Some(self.room_index(&account)?.iter().cloned().collect());
                }
                let nodes = pending.get_or_insert_default();
                if nodes.is_empty() {
                    return Ok(Page::Last(Vec::new()));
                }
                let take = nodes.len().min(ROOM_STORIES_BATCH.parts);
                let rooms: Vec<MessageRoom> = nodes
                    .drain(..take)
                    .filter_map(|n| mapping::room(&n))
                    .collect();
                ready.extend(self.read_messages(&account, rooms)?);
            }
        })
    }

    /// The messages of `rooms`: every first page in one request where the
    /// server allows, then each room's further pages.
    fn read_messages(
        &self,
        account: &AccountSummary,
        rooms: Vec<MessageRoom>,
    ) -> Result<Vec<MessageRoom>, ApiError> {
        let mut reading: Vec<Reading> = rooms
            .into_iter()
            .map(|room| Reading {
                room,
                cursor: self.cursor(&queries::ROOM_STORIES),
            })
            .collect();
        let calls: Vec<Value> = reading.iter().map(story_vars).collect();
        let what = match reading.as_slice() {
            [one] => format!("Messages: {}", one.room.topic),
            many => format!("Messages of {} rooms", many.len()),
        };
        let answers = self.read_aliased(&ROOM_STORIES_BATCH, &calls, Some(&account.id), &what)?;
        for ((r, answer), vars) in reading.iter_mut().zip(answers).zip(calls) {
            self.story_page(account, r, answer, vars)?;
            while !r.cursor.finished {
                let vars = story_vars(r);
                let what = format!("Messages: {}", r.room.topic);
                let answer = self.answer(
                    &queries::ROOM_STORIES,
                    vars.clone(),
                    Some(&account.id),
                    &what,
                )?;
                self.story_page(account, r, answer, vars)?;
            }
            let messages = &mut r.room.messages;
            messages.sort_by(|a, b| a.sent.cmp(&b.sent).then_with(|| a.id.cmp(&b.id)));
            messages.dedup_by(|a, b| a.id == b.id);
        }
        Ok(reading.into_iter().map(|r| r.room).collect())
    }

    /// Keeps one page of a room's messages and moves its cursor on. A story
    /// whose author is missing (a system message, a deleted user) comes back
    /// null with an error, as `RoomStory.user` is non-null in the schema:
    /// such a page is read again without the author, and those messages
    /// kept with the author shown as unknown.
    fn story_page(
        &self,
        account: &AccountSummary,
        reading: &mut Reading,
        answer: Answer,
        vars: Value,
    ) -> Result<(), ApiError> {
        let what = format!("Messages: {}", reading.room.topic);
        let connection = at(&answer.data, &["roomStories"]);
        let edges = list(connection, &["edges"]);
        let lost = edges.iter().filter(|e| at(e, &["node"]).is_null()).count();
        let mut recovered = Vec::new();
        if lost > 0 {
            let known: HashSet<&str> = edges
                .iter()
                .filter_map(|e| at(e, &["node", "id"]).as_str())
                .collect();
            let again = self.call(
                &queries::ROOM_STORIES_WITHOUT_AUTHOR,
                vars,
                Some(&account.id),
                &what,
            )?;
            recovered = list(&again, &["roomStories", "edges"])
                .iter()
                .map(|e| at(e, &["node"]))
                .filter(|n| text(n, &["id"]).is_some_and(|id| !known.contains(id.as_str())))
                .filter_map(|n| mapping::message(n, self.today))
                .collect();
            if recovered.len() < lost {
                self.warn(format!(
                    "{what}: {} messages could not be read even without their author",
                    lost - recovered.len()
                ));
            }
        }
        for error in &answer.errors {
            // The nulled stories were read again: their errors are dealt with.
            if lost > 0 && recovered.len() >= lost && error.contains("(at roomStories.edges.") {
                continue;
            }
            self.warn(data_warning(&what, &queries::ROOM_STORIES, error));
        }
        let messages = &mut reading.room.messages;
        messages.extend(
            edges
                .iter()
                .filter_map(|e| mapping::message(at(e, &["node"]), self.today)),
        );
        messages.extend(recovered);
        reading.cursor.advance(connection, edges)?;
        Ok(())
    }
}

/// The variables of a room's next page of messages.
fn story_vars(reading: &Reading) -> Value {
    json!({ "filter": {
        "roomId_eq": reading.room.id,
        "storyFilter": { "pagination": reading.cursor.pagination(PAGE) },
    }})
}
