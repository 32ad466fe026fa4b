//! A client-side rate limiter shared by every thread of one client.
//!
//! A token bucket holding one token: each request takes the next free slot,
//! slots `1 / rate` apart, so requests are spread evenly and never burst
//! past the platform's per-second limit. A `Retry-After` from the server
//! pushes the next slot back for every thread, not just the one that was
//! told to wait.

use std::sync::Mutex;
use std::time::{Duration, Instant};

#[derive(Debug)]
pub(crate) struct RateLimiter {
    /// Time between two requests; zero means no limit.
    interval: Duration,
    /// The earliest moment the next request may start.
    next: Mutex<Instant>,
}

impl RateLimiter {
    pub(crate) fn new(requests_per_second: f64) -> RateLimiter {
        // A rate so small that its interval overflows a Duration is no
        // request at all in practice: a day apart.
        let interval = if requests_per_second.is_finite() && requests_per_second > 0.0 {
            Duration::try_from_secs_f64(1.0 / requests_per_second)
                .unwrap_or(Duration::from_secs(86_400))
                .min(Duration::from_secs(86_400))
        } else {
            Duration::ZERO
        };
        RateLimiter {
            interval,
            next: Mutex::new(Instant::now()),
        }
    }

    /// Takes the next slot and returns how long to wait for it. The caller
    /// sleeps (checking for cancellation) rather than the limiter, so a
    /// cancelled fetch does not sit out its slot.
    pub(crate) fn reserve(&self) -> Duration {
        let now = Instant::now();
        let mut next = match self.next.lock() {
            Ok(guard) => guard,
            Err(poisoned) => poisoned.into_inner(),
        };
        let slot = (*next).max(now);
        *next = slot.checked_add(self.interval).unwrap_or(slot);
        slot - now
    }

    /// No request may start before `until` (the server asked to wait).
    pub(crate) fn hold_until(&self, until: Instant) {
        let mut next = match self.next.lock() {
            Ok(guard) => guard,
            Err(poisoned) => poisoned.into_inner(),
        };
        if *next < until {
            *next = until;
        }
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
    fn zero_rate_means_no_limit() {
        let limiter = RateLimiter::new(0.0);
        for _ in 0..10 {
            assert_eq!(limiter.reserve(), Duration::ZERO);
        }
    }
}
