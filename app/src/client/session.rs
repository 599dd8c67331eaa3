//! Who is signed in on this device, kept so that the app opens offline.
//!
//! At start the app asks the server (`GET /api/auth/me`). Online, the answer decides;
//! offline, the last answer (kept in `localStorage`, without any secret — the session
//! token is an HttpOnly cookie the page never sees) is used until the session's expiry.
//! Logging out ends the session on the server and may delete this member's local
//! database.

use saha_core::api::Me;

use super::http::{self, HttpError};
use super::local_store::LocalStore;

const ME_KEY: &str = "saha.me";

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

fn remember(me: &Me) {
    if let (Some(storage), Ok(json)) = (storage(), serde_json::to_string(me)) {
        let _ = storage.set_item(ME_KEY, &json);
    }
}

fn remembered() -> Option<Me> {
    let json = storage()?.get_item(ME_KEY).ok()??;
    serde_json::from_str(&json).ok()
}

pub fn forget() {
    if let Some(storage) = storage() {
        let _ = storage.remove_item(ME_KEY);
    }
}

/// How the app starts.
pub enum Start {
    /// Signed in (`offline` when the server could not be asked).
    SignedIn { me: Box<Me>, offline: bool },
    /// Nobody is signed in; `needs_setup` when the server has no workspace yet.
    SignedOut { needs_setup: bool, offline: bool },
}

/// Decides how the app starts.
pub async fn start() -> Start {
    match http::get::<Me>("/api/auth/me").await {
        Ok(me) => {
            remember(&me);
            Start::SignedIn {
                me: Box::new(me),
                offline: false,
            }
        }
        Err(HttpError::Api { status: 401, .. }) => {
            forget();
            let needs_setup = http::get::<saha_core::api::SetupStatus>("/api/setup")
                .await
                .map(|s| s.needs_setup)
                .unwrap_or(false);
            Start::SignedOut {
                needs_setup,
                offline: false,
            }
        }
        Err(_) => match remembered() {
            Some(me) if me.session_expires_at > super::now_ms() => Start::SignedIn {
                me: Box::new(me),
                offline: true,
            },
            _ => Start::SignedOut {
                needs_setup: false,
                offline: true,
            },
        },
    }
}

/// Ends the session; with `wipe`, deletes this member's data from the device.
pub async fn logout(user_id: &str, wipe: bool) -> Result<(), HttpError> {
    let ended = http::post::<_, ()>("/api/auth/logout", &serde_json::json!({})).await;
    forget();
    if wipe && let Err(e) = LocalStore::delete(user_id).await {
        leptos::logging::warn!("could not delete local data: {e}");
    }
    ended
}
