//! Sync tickets: short-lived, single-use credentials for opening `/sync`.
//!
//! A browser cannot set headers on a WebSocket, and a stock automerge-repo client can
//! only be given a URL; so an authenticated `POST /api/sync/ticket` hands out a random
//! ticket that the client puts in the URL. The ticket is bound to the user, workspace
//! and session it was issued for, works once, and expires after a few seconds — a URL
//! that leaks into a log is useless by the time anyone reads it.
//!
//! Tickets live in this node's memory (the ticket request and the socket go to the
//! same server); only their hashes are kept.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::ServerError;
use crate::directory::{random_token, token_hash};

/// What a redeemed ticket grants.
#[derive(Debug, Clone)]
pub struct TicketGrant {
    pub user_id: String,
    pub workspace_id: String,
    pub session_hash: String,
    expires: Instant,
}

pub struct Tickets {
    lifetime: Duration,
    issued: Mutex<HashMap<String, TicketGrant>>,
}

impl Tickets {
    pub fn new(lifetime: Duration) -> Tickets {
        Tickets {
            lifetime,
            issued: Mutex::new(HashMap::new()),
        }
    }

    /// Issues a ticket; returns the token to hand out.
    pub fn issue(
        &self,
        user_id: &str,
        workspace_id: &str,
        session_hash: &str,
    ) -> Result<String, ServerError> {
        let token = random_token()?;
        let now = Instant::now();
        let mut issued = self
            .issued
            .lock()
            .map_err(|_| ServerError::Storage("ticket lock poisoned".into()))?;
        issued.retain(|_, t| t.expires > now);
        issued.insert(
            token_hash(&token),
            TicketGrant {
                user_id: user_id.to_owned(),
                workspace_id: workspace_id.to_owned(),
                session_hash: session_hash.to_owned(),
                expires: now + self.lifetime,
            },
        );
        Ok(token)
    }

    /// Uses up a ticket. `None` if it is unknown, used or expired.
    pub fn redeem(&self, token: &str) -> Option<TicketGrant> {
        let grant = self.issued.lock().ok()?.remove(&token_hash(token))?;
        (grant.expires > Instant::now()).then_some(grant)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_ticket_works_once_and_expires() {
        let tickets = Tickets::new(Duration::from_secs(30));
        let t = tickets.issue("u", "w", "s").unwrap();
        assert_eq!(tickets.redeem(&t).unwrap().user_id, "u");
        assert!(tickets.redeem(&t).is_none(), "single use");
        assert!(tickets.redeem("made-up").is_none());
        let short = Tickets::new(Duration::ZERO);
        let t = short.issue("u", "w", "s").unwrap();
        assert!(short.redeem(&t).is_none(), "expired");
    }
}
