//! A lazy record stream over pages: the next page is fetched only when the
//! records of the last one have been taken, so an export holds one page at
//! a time. A failure ends the stream as its last item.

use super::client::ApiError;
use super::mapping::{at, text};
use super::queries::Query;
use crate::platform::PlatformError;
use serde_json::{Value, json};
use std::collections::{HashSet, VecDeque};
use std::hash::{Hash, Hasher};

/// What fetching one more page gave.
pub(crate) enum Page<T> {
    /// Records (possibly none) and more pages may follow.
    More(Vec<T>),
    /// The last records.
    Last(Vec<T>),
}

pub(crate) struct Paged<'a, T> {
    buffer: VecDeque<T>,
    done: bool,
    fetch: Box<dyn FnMut() -> Result<Page<T>, PlatformError> + 'a>,
    /// Called for every record handed out (progress).
    on_record: Box<dyn Fn() + 'a>,
}

impl<'a, T> Paged<'a, T> {
    pub(crate) fn new(
        fetch: impl FnMut() -> Result<Page<T>, PlatformError> + 'a,
        on_record: impl Fn() + 'a,
    ) -> Self {
        Paged {
            buffer: VecDeque::new(),
            done: false,
            fetch: Box::new(fetch),
            on_record: Box::new(on_record),
        }
    }
}

impl<T> Iterator for Paged<'_, T> {
    type Item = Result<T, PlatformError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(record) = self.buffer.pop_front() {
                (self.on_record)();
                return Some(Ok(record));
            }
            if self.done {
                return None;
            }
            match (self.fetch)() {
                Ok(Page::More(records)) => self.buffer.extend(records),
                Ok(Page::Last(records)) => {
                    self.buffer.extend(records);
                    self.done = true;
                }
                Err(e) => {
                    self.done = true;
                    return Some(Err(e));
                }
            }
        }
    }
}

/// Cursor paging state: stops when the server says so; a cursor or a page
/// that comes back again, or a list past the page limit, is an error (see
/// [`PageGuard`]) rather than a walk that never ends or quietly stops short.
pub(crate) struct Cursor {
    after: Option<String>,
    pub(crate) finished: bool,
    guard: PageGuard,
}

impl Cursor {
    pub(crate) fn new(query: &Query, max_pages: u32) -> Cursor {
        Cursor {
            after: None,
            finished: false,
            guard: PageGuard::new(query.field, max_pages),
        }
    }

    pub(crate) fn pagination(&self, first: u64) -> Value {
        match &self.after {
            Some(after) => json!({ "first": first, "after": after }),
            None => json!({ "first": first }),
        }
    }

    /// Reads `pageInfo` of a connection after a page of `records` (its
    /// edges); true when another page follows.
    pub(crate) fn advance(
        &mut self,
        connection: &Value,
        records: &[Value],
    ) -> Result<bool, ApiError> {
        self.finished = true;
        self.guard.page(records)?;
        let next = at(connection, &["pageInfo", "hasNextPage"]).as_bool() == Some(true);
        let end = text(connection, &["pageInfo", "endCursor"]);
        let more = next && !records.is_empty() && end.is_some();
        if more && let Some(end) = &end {
            self.guard.cursor(end)?;
        }
        self.after = end;
        self.finished = !more;
        Ok(more)
    }
}

/// Bounds one walk over a paged list, so a server that ignores the offset,
/// hands back cursors in a cycle, or never says "last page" ends the walk
/// with [`ApiError::Endless`] instead of a fetch that never finishes:
/// - a cursor asked for before is not asked for again;
/// - a page whose records were all seen before is a repeat;
/// - past `max_pages` pages the walk stops whatever the pages hold.
pub(crate) struct PageGuard {
    query: &'static str,
    max_pages: u32,
    pages: u32,
    cursors: HashSet<String>,
    /// Hashes of record keys (ids where records have them), not the keys:
    /// a long walk keeps 8 bytes a record.
    keys: HashSet<u64>,
}

impl PageGuard {
    pub(crate) fn new(query: &'static str, max_pages: u32) -> PageGuard {
        PageGuard {
            query,
            max_pages: max_pages.max(1),
            pages: 0,
            cursors: HashSet::new(),
            keys: HashSet::new(),
        }
    }

    fn endless(&self, detail: String) -> ApiError {
        ApiError::Endless {
            query: self.query.to_string(),
            detail,
        }
    }

    /// Counts one more page and checks it brought a record not seen before
    /// in this walk. Pages that are empty or hold only nulls are not
    /// judged (the cursor and page count still bound them).
    pub(crate) fn page(&mut self, records: &[Value]) -> Result<(), ApiError> {
        self.pages = self.pages.saturating_add(1);
        if self.pages > self.max_pages {
            return Err(self.endless(format!("went on past {} pages", self.max_pages)));
        }
        let mut judged = false;
        let mut fresh = false;
        for record in records.iter().filter(|r| !r.is_null()) {
            judged = true;
            fresh |= self.keys.insert(record_key(record));
        }
        if judged && !fresh {
            return Err(self.endless(format!(
                "repeated page {} (every record on it came before)",
                self.pages
            )));
        }
        Ok(())
    }

    /// Checks the cursor of the next page was not asked for before.
    pub(crate) fn cursor(&mut self, cursor: &str) -> Result<(), ApiError> {
        if self.cursors.insert(cursor.to_string()) {
            Ok(())
        } else {
            let shown: String = cursor.chars().take(40).collect();
            Err(self.endless(format!("repeated page cursor {shown:?}")))
        }
    }
}

/// A record's identity: its `id` (or its node's), else the whole record.
fn record_key(record: &Value) -> u64 {
    let id = record
        .get("id")
        .or_else(|| record.get("node").and_then(|n| n.get("id")))
        .filter(|id| id.is_string() || id.is_number());
    // DefaultHasher::new() has fixed keys: the same record, the same hash.
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    match id {
        Some(id) => {
            0u8.hash(&mut hasher);
            id.to_string().hash(&mut hasher);
        }
        None => {
            1u8.hash(&mut hasher);
            record.to_string().hash(&mut hasher);
        }
    }
    hasher.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::platform::upwork::api::queries;
    use std::cell::Cell;

    #[test]
    fn the_guard_stops_repeated_cursors_pages_and_endless_walks() {
        let mut g = PageGuard::new("roomList", 5);
        g.page(&[json!({ "node": { "id": "a" } })]).unwrap();
        g.cursor("A").unwrap();
        g.page(&[json!({ "node": { "id": "b" } })]).unwrap();
        g.cursor("B").unwrap();
        let e = g.cursor("A").unwrap_err().to_string();
        assert!(
            e.contains("roomList")
                && e.contains("repeated page cursor \"A\"")
                && e.contains("try again later"),
            "{e}"
        );

        let mut g = PageGuard::new("vendorContracts", 5);
        let page = [json!({ "id": 1 }), json!({ "id": 2 })];
        g.page(&page).unwrap();
        let e = g.page(&page).unwrap_err().to_string();
        assert!(
            e.contains("vendorContracts") && e.contains("repeated page 2"),
            "{e}"
        );
        // Overlap is fine as long as something is new.
        let mut g = PageGuard::new("q", 5);
        g.page(&page).unwrap();
        g.page(&[json!({ "id": 2 }), json!({ "id": 3 })]).unwrap();
        // Records without ids are told apart by their content.
        g.page(&[json!({ "day": "2024-01-01" })]).unwrap();
        g.page(&[json!({ "day": "2024-01-02" })]).unwrap();
        g.page(&[]).unwrap();
        let e = g.page(&[json!(null)]).unwrap_err().to_string();
        assert!(e.contains("past 5 pages"), "{e}");
    }

    #[test]
    fn fetches_lazily_and_ends_on_error() {
        let calls = Cell::new(0);
        let counted = Cell::new(0);
        let mut s = Paged::new(
            || {
                calls.set(calls.get() + 1);
                match calls.get() {
                    1 => Ok(Page::More(vec![1, 2])),
                    2 => Ok(Page::More(vec![])),
                    3 => Ok(Page::More(vec![3])),
                    _ => Err(PlatformError::Malformed("boom".into())),
                }
            },
            || counted.set(counted.get() + 1),
        );
        assert_eq!(s.next().unwrap().unwrap(), 1);
        assert_eq!(calls.get(), 1);
        assert_eq!(s.next().unwrap().unwrap(), 2);
        assert_eq!(s.next().unwrap().unwrap(), 3);
        assert!(s.next().unwrap().is_err());
        assert!(s.next().is_none());
        assert_eq!(counted.get(), 3);
    }

    #[test]
    fn cursor_stops_with_an_error_on_repeats_and_ends_on_empty_pages() {
        let mut c = Cursor::new(&queries::ROOM_STORIES, 100);
        let page = |next: bool, end: &str| json!({ "pageInfo": { "hasNextPage": next, "endCursor": end } });
        let records = |from: u32| -> Vec<Value> {
            (from..from + 5)
                .map(|i| json!({ "node": { "id": i } }))
                .collect()
        };
        assert!(c.advance(&page(true, "a"), &records(0)).unwrap());
        assert_eq!(c.pagination(10), json!({ "first": 10, "after": "a" }));
        let e = c
            .advance(&page(true, "a"), &records(5))
            .expect_err("a repeated cursor is an error, not a quiet end");
        assert!(
            e.to_string().contains("roomStories") && e.to_string().contains("repeated page cursor"),
            "{e}"
        );
        assert!(c.finished);
        let mut c = Cursor::new(&queries::ROOM_STORIES, 100);
        assert!(
            !c.advance(&page(true, "b"), &[]).unwrap(),
            "an empty page ends the walk"
        );
        assert!(c.finished);
    }
}
