//! Anti-automation: login attempt limits and per-user sync message rates.
//!
//! **Logins.** An attempt is counted *before* its password is checked: [`LoginThrottle::begin`]
//! checks the limits and records the attempt as a failure under one lock, and only a
//! successful login takes it back ([`Attempt::succeeded`]). So thirty concurrent
//! guesses meet the same count as thirty sequential ones. Failures count over a
//! sliding window under three keys, each with some free attempts and then a delay that
//! doubles with every further failure (up to the window):
//!
//! - the account *from one client address* — the guesser's own lane: 5 free attempts;
//! - the client address, over all accounts (one machine trying many accounts): 20;
//! - the account over all addresses (a guesser with many addresses): 20 — but not for
//!   an address the account signed in from before, so a member at their usual place
//!   still signs in while their account is attacked from elsewhere.
//!
//! A throttled attempt is answered `429` with `Retry-After`. Nobody can lock a member
//! out by failing on purpose from another address.
//!
//! **Sync messages** are metered per user with a token bucket shared by all of the
//! user's connections: a client over its rate is slowed down (its socket is not read
//! until tokens are back), never disconnected, so a legitimate burst — an initial sync
//! of thousands of documents — only waits.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Window over which failed logins count.
pub const LOGIN_WINDOW: Duration = Duration::from_secs(15 * 60);
/// Free failed logins per account from one address in the window.
pub const LOGIN_FAILURES_PER_ACCOUNT_AND_ADDRESS: usize = 5;
/// Free failed logins per client address (all accounts) in the window.
pub const LOGIN_FAILURES_PER_ADDRESS: usize = 20;
/// Free failed logins per account from addresses it never signed in from.
pub const LOGIN_FAILURES_PER_ACCOUNT: usize = 20;
/// The first delay past the free attempts; each further failure doubles it, up to
/// [`LOGIN_WINDOW`].
pub const FIRST_DELAY: Duration = Duration::from_secs(60);
/// How long a successful address stays known to its account.
const KNOWN_ADDRESS_FOR: Duration = Duration::from_secs(30 * 24 * 3600);
/// Addresses remembered per account.
const KNOWN_ADDRESSES_PER_ACCOUNT: usize = 16;

/// Entries in the failure table above which stale ones are swept on the next failure.
const SWEEP_ABOVE: usize = 10_000;

#[derive(Default)]
struct State {
    failures: HashMap<String, VecDeque<Instant>>,
    /// Per account, the addresses it signed in from, with when.
    known: HashMap<String, Vec<(String, Instant)>>,
}

#[derive(Default)]
pub struct LoginThrottle {
    state: Arc<Mutex<State>>,
}

/// A login attempt in progress, counted as failed unless [`Attempt::succeeded`].
pub struct Attempt {
    state: Arc<Mutex<State>>,
    email: String,
    ip: String,
    at: Instant,
}

/// How long a key with `failures` in the window waits after its newest failure.
fn delay(failures: usize, free: usize) -> Duration {
    if failures < free {
        return Duration::ZERO;
    }
    let doublings = u32::try_from(failures - free).unwrap_or(u32::MAX).min(16);
    FIRST_DELAY.saturating_mul(1 << doublings).min(LOGIN_WINDOW)
}

impl LoginThrottle {
    fn keys(email: &str, ip: &str, known_address: bool) -> Vec<(String, usize)> {
        let mut keys = vec![
            (
                format!("pair:{email}\u{0}{ip}"),
                LOGIN_FAILURES_PER_ACCOUNT_AND_ADDRESS,
            ),
            (format!("address:{ip}"), LOGIN_FAILURES_PER_ADDRESS),
        ];
        if !known_address {
            keys.push((format!("account:{email}"), LOGIN_FAILURES_PER_ACCOUNT));
        }
        keys
    }

    /// Starts an attempt: `Err(wait)` when a limit holds, else the attempt, already
    /// counted as a failure (checked and counted under one lock).
    pub fn begin(&self, email: &str, ip: &str) -> Result<Attempt, Duration> {
        let now = Instant::now();
        let Ok(mut state) = self.state.lock() else {
            return Err(FIRST_DELAY);
        };
        let known = state.known.get(email).is_some_and(|addresses| {
            addresses
                .iter()
                .any(|(a, at)| a == ip && now.duration_since(*at) < KNOWN_ADDRESS_FOR)
        });
        let keys = Self::keys(email, ip, known);
        let mut wait = Duration::ZERO;
        for (key, free) in &keys {
            if let Some(times) = state.failures.get_mut(key) {
                while times
                    .front()
                    .is_some_and(|t| now.duration_since(*t) > LOGIN_WINDOW)
                {
                    times.pop_front();
                }
                if let Some(last) = times.back() {
                    let until = delay(times.len(), *free).saturating_sub(now.duration_since(*last));
                    wait = wait.max(until);
                }
            }
        }
        if !wait.is_zero() {
            return Err(wait);
        }
        // Attempts with ever-new addresses must not grow the table without bound.
        if state.failures.len() > SWEEP_ABOVE {
            state.failures.retain(|_, times| {
                times
                    .back()
                    .is_some_and(|t| now.duration_since(*t) <= LOGIN_WINDOW)
            });
        }
        for (key, _) in Self::keys(email, ip, false) {
            state.failures.entry(key).or_default().push_back(now);
        }
        Ok(Attempt {
            state: self.state.clone(),
            email: email.to_owned(),
            ip: ip.to_owned(),
            at: now,
        })
    }
}

impl Attempt {
    /// The password was right: the attempt is no failure, the account's failures
    /// from this address are forgotten and the address becomes known to the account.
    pub fn succeeded(self) {
        let Ok(mut state) = self.state.lock() else {
            return;
        };
        for (key, _) in LoginThrottle::keys(&self.email, &self.ip, false) {
            if let Some(times) = state.failures.get_mut(&key)
                && let Some(i) = times.iter().rposition(|t| *t == self.at)
            {
                times.remove(i);
            }
        }
        state
            .failures
            .remove(&format!("pair:{}\u{0}{}", self.email, self.ip));
        let now = Instant::now();
        let known = state.known.entry(self.email.clone()).or_default();
        known.retain(|(a, at)| *a != self.ip && now.duration_since(*at) < KNOWN_ADDRESS_FOR);
        known.push((self.ip.clone(), now));
        if known.len() > KNOWN_ADDRESSES_PER_ACCOUNT {
            known.remove(0);
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

    /// Buckets refilled at `per_second` (fractions allowed: 10 a minute is `10.0 / 60.0`)
    /// holding up to `burst`.
    pub fn with_rate(per_second: f64, burst: f64) -> MessageRate {
        MessageRate {
            per_second,
            burst: burst.max(1.0),
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Takes one request from `key`'s bucket if it has one; otherwise takes nothing and
    /// returns how long until it will (the REST API answers `429` with that wait).
    pub fn try_take(&self, key: &str) -> Result<(), Duration> {
        if self.per_second <= 0.0 {
            return Ok(());
        }
        let now = Instant::now();
        let Ok(mut buckets) = self.buckets.lock() else {
            return Ok(());
        };
        let bucket = buckets.entry(key.to_owned()).or_insert(Bucket {
            tokens: self.burst,
            at: now,
        });
        let refill = now.duration_since(bucket.at).as_secs_f64() * self.per_second;
        bucket.tokens = (bucket.tokens + refill).min(self.burst);
        bucket.at = now;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            Ok(())
        } else {
            Err(Duration::from_secs_f64(
                (1.0 - bucket.tokens) / self.per_second,
            ))
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
    fn try_take_refuses_past_the_burst_without_deepening_the_debt() {
        let rate = MessageRate::new(1, 3);
        for _ in 0..3 {
            assert_eq!(rate.try_take("t"), Ok(()));
        }
        let first = rate.try_take("t").expect_err("over the burst");
        let again = rate.try_take("t").expect_err("still over");
        assert!(first <= Duration::from_secs(1) && again <= first);
        assert_eq!(rate.try_take("other"), Ok(()), "buckets are per key");
        assert_eq!(
            MessageRate::new(0, 1).try_take("t"),
            Ok(()),
            "0 is unlimited"
        );
    }

    #[test]
    fn a_guesser_is_slowed_on_their_own_lane_with_growing_delays() {
        let t = LoginThrottle::default();
        for _ in 0..LOGIN_FAILURES_PER_ACCOUNT_AND_ADDRESS {
            drop(t.begin("a@x", "1.1.1.1").expect("free attempts"));
        }
        let wait = t.begin("a@x", "1.1.1.1").err().expect("throttled");
        assert!(wait > Duration::from_secs(50) && wait <= FIRST_DELAY);
        // Another address is not locked out by the guesser, nor another account.
        t.begin("a@x", "2.2.2.2")
            .expect("the member elsewhere")
            .succeeded();
        assert!(t.begin("b@x", "1.1.1.1").is_ok());
        assert_eq!(delay(5, 5), FIRST_DELAY);
        assert_eq!(delay(6, 5), FIRST_DELAY * 2);
        assert_eq!(delay(40, 5), LOGIN_WINDOW);
        assert_eq!(delay(4, 5), Duration::ZERO);
    }

    #[test]
    fn attempts_count_before_the_password_is_checked() {
        let t = LoginThrottle::default();
        // Thirty attempts begun before any finishes: only the free ones start.
        let started: Vec<_> = (0..30)
            .filter_map(|_| t.begin("a@x", "1.1.1.1").ok())
            .collect();
        assert_eq!(started.len(), LOGIN_FAILURES_PER_ACCOUNT_AND_ADDRESS);
        // A success takes its own attempt back and clears the lane.
        let mut started = started;
        started.pop().unwrap().succeeded();
        assert!(t.begin("a@x", "1.1.1.1").is_ok());
    }

    #[test]
    fn many_addresses_slow_an_account_except_where_it_signed_in_before() {
        let t = LoginThrottle::default();
        t.begin("a@x", "10.0.0.1").unwrap().succeeded();
        for i in 0..LOGIN_FAILURES_PER_ACCOUNT {
            drop(t.begin("a@x", &format!("9.9.9.{i}")).unwrap());
        }
        assert!(t.begin("a@x", "8.8.8.8").is_err(), "a new address waits");
        assert!(
            t.begin("a@x", "10.0.0.1").is_ok(),
            "the known address does not"
        );
        for i in 0..LOGIN_FAILURES_PER_ADDRESS {
            drop(t.begin(&format!("u{i}@x"), "3.3.3.3").unwrap());
        }
        assert!(
            t.begin("new@x", "3.3.3.3").is_err(),
            "the address is limited"
        );
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
