//! Lead-capture forms: an admin builds one for the company's website; visitors post to a public
//! endpoint that creates or updates a lead, logs the submission on its timeline and tells its
//! owner. The endpoint uses no cookie and no session, so a cross-site post can act only as an
//! anonymous visitor (CSRF-safe by design); spam meets a honeypot field, a per-address rate
//! limit and size limits.

pub mod actions;
pub mod routes;
pub mod store;

use fieldwork_app::common::FormId;
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::Arc;

/// Submissions per address and form per minute (one office's shared address filling in two
/// forms does not use up one allowance).
#[derive(Clone)]
pub struct Limiter(Arc<DefaultKeyedRateLimiter<(IpAddr, FormId)>>);

impl Limiter {
    pub fn per_minute(n: u32) -> Limiter {
        let n = NonZeroU32::new(n).unwrap_or(NonZeroU32::MIN);
        Limiter(Arc::new(RateLimiter::keyed(Quota::per_minute(n))))
    }

    /// Whether `ip` may post to `form` now; otherwise how many seconds until it may.
    pub fn check(&self, ip: IpAddr, form: FormId) -> Result<(), u64> {
        self.0.check_key(&(ip, form)).map_err(|not_until| {
            let wait = not_until.wait_time_from(governor::clock::Clock::now(&governor::clock::DefaultClock::default()));
            wait.as_secs().max(1)
        })
    }
}
