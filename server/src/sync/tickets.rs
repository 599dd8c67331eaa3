//! Sync tickets: short-lived, single-use credentials for opening `/sync`.
//!
//! A browser cannot set headers on a WebSocket, and a stock automerge-repo client can
//! only be given a URL; so an authenticated `POST /api/sync/ticket` hands out a random
//! ticket that the client puts in the URL. The ticket is bound to the user, workspace
//! and session it was issued for, works once, and expires after a few seconds — a URL
//! that leaks into a log is useless by the time anyone reads it.
//!
//! Tickets are kept in the storage's tables (only their hashes), so a ticket issued by
//! one node opens a socket on any other; redeeming one is a read-and-delete in one
//! transaction, so it works once even when two nodes race for it.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::ServerError;
use crate::directory::{now_ms, random_token, token_hash};
use crate::storage::Tables;

const TICKETS: &str = "sync_tickets";
/// Every this many issued tickets, expired ones are swept.
const SWEEP_EVERY: u64 = 256;

/// What a redeemed ticket grants.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TicketGrant {
    pub user_id: String,
    pub workspace_id: String,
    pub session_hash: String,
    /// Milliseconds since the epoch.
    expires_at: i64,
}

pub struct Tickets {
    tables: Tables,
    lifetime: Duration,
    issued: AtomicU64,
}

fn json_error(e: serde_json::Error) -> ServerError {
    ServerError::Storage(format!("ticket: {e}"))
}

impl Tickets {
    pub fn new(tables: Tables, lifetime: Duration) -> Tickets {
        Tickets {
            tables,
            lifetime,
            issued: AtomicU64::new(0),
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
        let grant = TicketGrant {
            user_id: user_id.to_owned(),
            workspace_id: workspace_id.to_owned(),
            session_hash: session_hash.to_owned(),
            expires_at: now_ms().saturating_add(self.lifetime.as_millis() as i64),
        };
        let bytes = serde_json::to_vec(&grant).map_err(json_error)?;
        let hash = token_hash(&token);
        let sweep = self
            .issued
            .fetch_add(1, Ordering::Relaxed)
            .is_multiple_of(SWEEP_EVERY);
        self.tables.write(|tx| {
            if sweep {
                let now = now_ms();
                for (key, value) in tx.scan(TICKETS, "", None)? {
                    let expired = serde_json::from_slice::<TicketGrant>(&value)
                        .map(|t| t.expires_at <= now)
                        .unwrap_or(true);
                    if expired {
                        tx.delete(TICKETS, &key)?;
                    }
                }
            }
            tx.put(TICKETS, &hash, &bytes)
        })?;
        Ok(token)
    }

    /// Uses up a ticket. `None` if it is unknown, used or expired.
    pub fn redeem(&self, token: &str) -> Option<TicketGrant> {
        let hash = token_hash(token);
        let found = self.tables.write(|tx| {
            let value = tx.get(TICKETS, &hash)?;
            if value.is_some() {
                tx.delete(TICKETS, &hash)?;
            }
            Ok::<_, ServerError>(value)
        });
        let grant: TicketGrant = match found {
            Ok(Some(bytes)) => serde_json::from_slice(&bytes).ok()?,
            Ok(None) => return None,
            Err(e) => {
                tracing::error!(error = %e, "ticket lookup failed");
                return None;
            }
        };
        (grant.expires_at > now_ms()).then_some(grant)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_ticket_works_once_and_expires() {
        let dir = tempfile::tempdir().unwrap();
        let db = crate::storage::embedded::SharedDb::create(&dir.path().join("t.redb")).unwrap();
        let tickets = Tickets::new(Tables::Embedded(db.clone()), Duration::from_secs(30));
        let t = tickets.issue("u", "w", "s").unwrap();
        assert_eq!(tickets.redeem(&t).unwrap().user_id, "u");
        assert!(tickets.redeem(&t).is_none(), "single use");
        assert!(tickets.redeem("made-up").is_none());
        let short = Tickets::new(Tables::Embedded(db), Duration::ZERO);
        let t = short.issue("u", "w", "s").unwrap();
        assert!(short.redeem(&t).is_none(), "expired");
    }
}
