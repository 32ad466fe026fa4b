//! A client-side rate limiter shared by every thread of one client.
//!
//! A token bucket holding one token: each request takes the next free slot,
//! so requests are spread evenly and never burst past the platform's
//! per-second limit. Slots are a little wider than `1 / rate` (`MARGIN`):
//! requests spaced exactly 100 ms apart still reach a strict sliding
//! one-second window 11 at a time once network jitter bunches them. After
//! a 429 the spacing widens at once, then narrows back slowly with each
//! answered request (AIMD, as TCP does). A `Retry-After` from the server
//! pushes the next slot back for every thread, not just the one told.

use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How much wider than `1 / rate` a slot is to begin with.
const MARGIN: f64 = 0.04;
/// How much a 429 widens the slots, and the widest they get.
const BACK_OFF: f64 = 1.25;
const WIDEST: f64 = 2.0;
/// How much each answered request narrows them again, down to the start.
const RECOVER: f64 = 0.995;

#[derive(Debug)]
pub(crate) struct RateLimiter {
    /// The spacing to start from and come back to; zero means no limit.
    base: Duration,
    state: Mutex<Slots>,
}

#[derive(Debug)]
struct Slots {
    /// The earliest moment the next request may start.
    next: Instant,
    /// The spacing now: `base` widened by 429s, narrowing again.
    interval: Duration,
}

impl RateLimiter {
    pub(crate) fn new(requests_per_second: f64) -> RateLimiter {
        // A rate so small that its interval overflows a Duration is no
        // request at all in practice: a day apart.
        let base = if requests_per_second.is_finite() && requests_per_second > 0.0 {
            Duration::try_from_secs_f64((1.0 + MARGIN) / requests_per_second)
                .unwrap_or(Duration::from_secs(86_400))
                .min(Duration::from_secs(86_400))
        } else {
            Duration::ZERO
        };
        RateLimiter {
            base,
            state: Mutex::new(Slots {
                next: Instant::now(),
                interval: base,
            }),
        }
    }

    fn slots(&self) -> std::sync::MutexGuard<'_, Slots> {
        match self.state.lock() {
            Ok(guard) => guard,
            Err(poisoned) => poisoned.into_inner(),
        }
    }

    /// Takes the next slot and returns how long to wait for it. The caller
    /// sleeps (checking for cancellation) rather than the limiter, so a
    /// cancelled fetch does not sit out its slot.
    pub(crate) fn reserve(&self) -> Duration {
        let now = Instant::now();
        let mut slots = self.slots();
        let slot = slots.next.max(now);
        slots.next = slot.checked_add(slots.interval).unwrap_or(slot);
        slot - now
    }

    /// No request may start before `until` (the server asked to wait).
    pub(crate) fn hold_until(&self, until: Instant) {
        let mut slots = self.slots();
        if slots.next < until {
            slots.next = until;
        }
    }

    /// The server answered 429: widen the slots at once.
    pub(crate) fn throttled(&self) {
        let widest = self.base.mul_f64(WIDEST);
        let mut slots = self.slots();
        slots.interval = slots.interval.mul_f64(BACK_OFF).min(widest);
    }

    /// The server answered: narrow the slots a little, down to the start.
    pub(crate) fn answered(&self) {
        let mut slots = self.slots();
        slots.interval = slots.interval.mul_f64(RECOVER).max(self.base);
    }

    /// The spacing now (tests and the bench report it).
    #[cfg(test)]
    fn interval(&self) -> Duration {
        self.slots().interval
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_are_spaced_by_the_interval() {
        let limiter = RateLimiter::new(10.0);
        let first = limiter.reserve();
        assert!(first <= Duration::from_millis(1), "{first:?}");
        let second = limiter.reserve();
        let third = limiter.reserve();
        assert!(second > Duration::from_millis(95), "{second:?}");
        assert!(third > Duration::from_millis(195), "{third:?}");
    }

    #[test]
    fn hold_until_delays_everyone() {
        let limiter = RateLimiter::new(1000.0);
        limiter.hold_until(Instant::now() + Duration::from_millis(500));
        assert!(limiter.reserve() > Duration::from_millis(400));
    }

    #[test]
    fn absurd_rates_do_not_panic() {
        for rate in [1e-300, f64::MIN_POSITIVE, f64::NAN, -1.0, f64::INFINITY] {
            let limiter = RateLimiter::new(rate);
            let _ = limiter.reserve();
            let _ = limiter.reserve();
        }
    }

    #[test]
    fn slots_keep_a_margin_below_the_limit() {
        let limiter = RateLimiter::new(10.0);
        assert!(limiter.interval() > Duration::from_millis(100));
        assert!(limiter.interval() <= Duration::from_millis(105));
    }

    #[test]
    fn a_429_widens_at_once_and_answers_narrow_slowly() {
        let limiter = RateLimiter::new(10.0);
        let base = limiter.interval();
        limiter.throttled();
        let wide = limiter.interval();
        assert!(wide >= base.mul_f64(1.2), "{wide:?}");
        limiter.answered();
        let after_one = limiter.interval();
        assert!(after_one < wide && after_one > base, "{after_one:?}");
        for _ in 0..1000 {
            limiter.answered();
        }
        assert_eq!(limiter.interval(), base);
        for _ in 0..100 {
            limiter.throttled();
        }
        assert_eq!(limiter.interval(), base.mul_f64(2.0));
    }

    #[test]
    fn zero_rate_means_no_limit() {
        let limiter = RateLimiter::new(0.0);
        for _ in 0..10 {
            assert_eq!(limiter.reserve(), Duration::ZERO);
        }
    }
}
