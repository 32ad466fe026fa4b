//! A lazy record stream over pages: the next page is fetched only when the
//! records of the last one have been taken, so an export holds one page at
//! a time. A failure ends the stream as its last item.

use crate::platform::PlatformError;
use std::collections::VecDeque;

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

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

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
}
