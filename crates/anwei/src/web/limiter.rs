//! Per-IP rate limits, in memory (per instance): logins (the account lockout is in the
//! database and holds across instances) and the public report form and receipt look-ups.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

pub struct LoginLimiter {
    per_minute: u32,
    hits: Mutex<HashMap<String, (Instant, u32)>>,
}

impl LoginLimiter {
    pub fn new(per_minute: u32) -> Self {
        LoginLimiter {
            per_minute,
            hits: Mutex::new(HashMap::new()),
        }
    }

    /// Counts one attempt; false once the IP has used up this minute's allowance.
    pub fn allow(&self, ip: &str) -> bool {
        self.allow_at_most(ip, self.per_minute)
    }

    /// Counts one attempt against `per_minute` (a limit read from the configuration at the
    /// call); false once the IP has used it up this minute.
    pub fn allow_at_most(&self, ip: &str, per_minute: u32) -> bool {
        let now = Instant::now();
        let mut m = self.hits.lock().unwrap_or_else(|p| p.into_inner());
        if m.len() > 100_000 {
            m.retain(|_, (start, _)| now.duration_since(*start) < Duration::from_secs(60));
        }
        let e = m.entry(ip.to_string()).or_insert((now, 0));
        if now.duration_since(e.0) >= Duration::from_secs(60) {
            *e = (now, 0);
        }
        e.1 += 1;
        e.1 <= per_minute
    }
}

impl LoginLimiter {
    /// Whether the IP has already used up `per_minute` this minute, without counting an
    /// attempt (a check made before the request's body is read).
    pub fn spent(&self, ip: &str, per_minute: u32) -> bool {
        let m = self.hits.lock().unwrap_or_else(|p| p.into_inner());
        m.get(ip).is_some_and(|(start, n)| {
            Instant::now().duration_since(*start) < Duration::from_secs(60) && *n >= per_minute
        })
    }
}

impl Default for LoginLimiter {
    /// A limiter whose callers pass their limit to [`LoginLimiter::allow_at_most`].
    fn default() -> Self {
        LoginLimiter::new(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_limit_applies_per_ip() {
        let l = LoginLimiter::new(2);
        assert!(l.allow("a"));
        assert!(l.allow("a"));
        assert!(!l.allow("a"));
        assert!(l.allow("b"));
        assert!(l.spent("a", 2), "a used its two");
        assert!(!l.spent("b", 2), "b used one of two");
        assert!(!l.spent("c", 2), "c never came");
    }
}
