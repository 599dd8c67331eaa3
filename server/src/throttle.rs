//! Anti-automation: login attempt limits and per-user sync message rates.
//!
//! Failed logins are counted per account and per client address over a sliding window;
//! past the limit the answer is `429` with `Retry-After`, before any password is
//! checked. Sync messages are metered per user with a token bucket shared by all of the
//! user's connections: a client over its rate is slowed down (its socket is not read
//! until tokens are back), never disconnected, so a legitimate burst — an initial sync
//! of thousands of documents — only waits.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Window over which failed logins count.
pub const LOGIN_WINDOW: Duration = Duration::from_secs(15 * 60);
/// Failed logins allowed per account in the window.
pub const LOGIN_FAILURES_PER_ACCOUNT: usize = 5;
/// Failed logins allowed per client address in the window.
pub const LOGIN_FAILURES_PER_ADDRESS: usize = 20;

/// Entries in the failure table above which stale ones are swept on the next failure.
const SWEEP_ABOVE: usize = 10_000;

#[derive(Default)]
pub struct LoginThrottle {
    failures: Mutex<HashMap<String, VecDeque<Instant>>>,
}

impl LoginThrottle {
    fn keys(email: &str, ip: &str) -> [(String, usize); 2] {
        [
            (format!("account:{email}"), LOGIN_FAILURES_PER_ACCOUNT),
            (format!("address:{ip}"), LOGIN_FAILURES_PER_ADDRESS),
        ]
    }

    /// `Err(wait)` when either the account or the address is over its limit.
    pub fn check(&self, email: &str, ip: &str) -> Result<(), Duration> {
        let now = Instant::now();
        let Ok(mut failures) = self.failures.lock() else {
            return Ok(());
        };
        let mut wait = None;
        for (key, limit) in Self::keys(email, ip) {
            if let Some(times) = failures.get_mut(&key) {
                while times
                    .front()
                    .is_some_and(|t| now.duration_since(*t) > LOGIN_WINDOW)
                {
                    times.pop_front();
                }
                if times.len() >= limit
                    && let Some(oldest) = times.front()
                {
                    let until = LOGIN_WINDOW.saturating_sub(now.duration_since(*oldest));
                    wait = Some(wait.map_or(until, |w: Duration| w.max(until)));
                }
            }
        }
        wait.map_or(Ok(()), Err)
    }

    pub fn failed(&self, email: &str, ip: &str) {
        if let Ok(mut failures) = self.failures.lock() {
            let now = Instant::now();
            // Attempts with ever-new addresses must not grow the table without bound.
            if failures.len() > SWEEP_ABOVE {
                failures.retain(|_, times| {
                    times
                        .back()
                        .is_some_and(|t| now.duration_since(*t) <= LOGIN_WINDOW)
                });
            }
            for (key, _) in Self::keys(email, ip) {
                failures.entry(key).or_default().push_back(now);
            }
        }
    }

    /// A successful login clears the account's count (not the address's).
    pub fn succeeded(&self, email: &str) {
        if let Ok(mut failures) = self.failures.lock() {
            failures.remove(&format!("account:{email}"));
        }
    }
}

struct Bucket {
    tokens: f64,
    at: Instant,
}

/// Per-user token buckets for sync messages.
pub struct MessageRate {
    per_second: f64,
    burst: f64,
    buckets: Mutex<HashMap<String, Bucket>>,
}

impl MessageRate {
    /// `per_second == 0` turns metering off.
    pub fn new(per_second: u32, burst: u32) -> MessageRate {
        MessageRate {
            per_second: f64::from(per_second),
            burst: f64::from(burst.max(1)),
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Takes one message from `user`'s bucket; returns how long to wait before handling
    /// it (zero when within the rate).
    pub fn take(&self, user: &str) -> Duration {
        if self.per_second <= 0.0 {
            return Duration::ZERO;
        }
        let now = Instant::now();
        let Ok(mut buckets) = self.buckets.lock() else {
            return Duration::ZERO;
        };
        let bucket = buckets.entry(user.to_owned()).or_insert(Bucket {
            tokens: self.burst,
            at: now,
        });
        let refill = now.duration_since(bucket.at).as_secs_f64() * self.per_second;
        bucket.tokens = (bucket.tokens + refill).min(self.burst) - 1.0;
        bucket.at = now;
        if bucket.tokens >= 0.0 {
            Duration::ZERO
        } else {
            Duration::from_secs_f64(-bucket.tokens / self.per_second)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn logins_are_limited_per_account_and_address() {
        let t = LoginThrottle::default();
        for _ in 0..LOGIN_FAILURES_PER_ACCOUNT {
            assert!(t.check("a@x", "1.1.1.1").is_ok());
            t.failed("a@x", "1.1.1.1");
        }
        let wait = t.check("a@x", "2.2.2.2").unwrap_err();
        assert!(wait > Duration::from_secs(60));
        assert!(t.check("b@x", "2.2.2.2").is_ok(), "other accounts are fine");
        for i in 0..LOGIN_FAILURES_PER_ADDRESS {
            t.failed(&format!("u{i}@x"), "3.3.3.3");
        }
        assert!(
            t.check("new@x", "3.3.3.3").is_err(),
            "the address is limited"
        );
        t.succeeded("a@x");
        assert!(t.check("a@x", "2.2.2.2").is_ok());
    }

    #[test]
    fn a_burst_passes_and_then_the_rate_applies() {
        let rate = MessageRate::new(100, 10);
        for _ in 0..10 {
            assert_eq!(rate.take("u"), Duration::ZERO);
        }
        let wait = rate.take("u");
        assert!(wait > Duration::ZERO && wait <= Duration::from_millis(20));
        assert_eq!(rate.take("other"), Duration::ZERO);
        assert_eq!(MessageRate::new(0, 0).take("u"), Duration::ZERO);
    }
}
