//! Web forms: a company's web site hands in leads and complaints, requests and wishes.
//!
//! An owner or admin defines a form ([`WebForm`]: which fields, a lead or a case of a
//! category, the team it goes to, the thank-you text, consent checkboxes per channel
//! with their exact wording, the sites allowed to embed or post it); Saha serves it as
//! a page (`/forms/{id}`, embeddable in an `<iframe>` by the allowed sites) and takes
//! its posts ([`submit`]). A submission becomes a lead or case through the hub like any
//! change (acting as the form's creator), reaches connected devices at once, and every
//! ticked consent is recorded in the İYS log with the form as evidence (source
//! `HS_WEB`, the address, the time and the wording shown). Spam is kept out without
//! third parties: a hidden honeypot field, a minimum fill time signed into the page,
//! rate limits per address and per form, allowed origins and a small body limit.

pub mod handlers;
pub mod submit;

use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

use crate::ServerError;
use crate::storage::Tables;

/// Form definitions by ID.
pub const FORMS: &str = "web_forms";
/// The `meta` key of the key that signs a page's start time.
const KEY: &str = "web_form_key";

pub use saha_core::api::WebFormConsent;
pub use saha_core::web_form::{FIELDS, FormTarget};

/// A form's definition.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebForm {
    pub id: String,
    pub workspace_id: String,
    pub name: String,
    pub target: FormTarget,
    /// Codes of [`FIELDS`] asked besides `name`.
    pub fields: Vec<String>,
    /// The team new records go to ("" for the whole workspace).
    pub team: String,
    pub thank_you: String,
    pub consents: Vec<WebFormConsent>,
    /// Origins (`https://www.example.com`) that may embed the page and post to it.
    pub allowed_origins: Vec<String>,
    /// Seconds a person takes at least; faster posts are refused as automated.
    pub min_fill_seconds: u32,
    /// The member the submissions are made as (the form's creator).
    pub created_by: String,
    pub created_at: i64,
}

fn json_error(e: serde_json::Error) -> ServerError {
    ServerError::Storage(format!("web form JSON: {e}"))
}

/// The form with `id`.
pub fn get(tables: &Tables, id: &str) -> Result<Option<WebForm>, ServerError> {
    tables.read(|tx| {
        tx.get(FORMS, id)?
            .map(|v| serde_json::from_slice(&v).map_err(json_error))
            .transpose()
    })
}

/// The workspace's forms, oldest first.
pub fn list(tables: &Tables, workspace: &str) -> Result<Vec<WebForm>, ServerError> {
    let mut forms: Vec<WebForm> = tables.read(|tx| {
        tx.scan(FORMS, "", None)?
            .into_iter()
            .map(|(_, v)| serde_json::from_slice::<WebForm>(&v).map_err(json_error))
            .collect::<Result<Vec<_>, _>>()
    })?;
    forms.retain(|f| f.workspace_id == workspace);
    forms.sort_by_key(|f| f.created_at);
    Ok(forms)
}

pub fn save(tables: &Tables, form: &WebForm) -> Result<(), ServerError> {
    let bytes = serde_json::to_vec(form).map_err(json_error)?;
    tables.write(|tx| tx.put(FORMS, &form.id, &bytes))
}

/// Removes form `id` of `workspace`; returns whether it existed.
pub fn remove(tables: &Tables, workspace: &str, id: &str) -> Result<bool, ServerError> {
    match get(tables, id)? {
        Some(form) if form.workspace_id == workspace => tables.write(|tx| tx.delete(FORMS, id)),
        _ => Ok(false),
    }
}

/// The server's key for signing page start times (made once, kept in `meta`).
fn key(tables: &Tables) -> Result<Vec<u8>, ServerError> {
    if let Some(key) = tables.read(|tx| tx.get(crate::storage::tables::META, KEY))? {
        return Ok(key);
    }
    let fresh = crate::directory::random_token()?.into_bytes();
    tables.write(|tx| match tx.get(crate::storage::tables::META, KEY)? {
        // Another node made one meanwhile.
        Some(key) => Ok(key),
        None => {
            tx.put(crate::storage::tables::META, KEY, &fresh)?;
            Ok(fresh.clone())
        }
    })
}

fn start_mac(key: &[u8], form: &str, at: i64) -> Hmac<Sha256> {
    let mut mac = match <Hmac<Sha256> as Mac>::new_from_slice(key) {
        Ok(mac) => mac,
        Err(_) => unreachable!("HMAC accepts keys of every length"),
    };
    mac.update(form.as_bytes());
    mac.update(b".");
    mac.update(at.to_string().as_bytes());
    mac
}

/// The signed start time a page carries (`<ms>.<hex HMAC>`).
pub fn sign_start(tables: &Tables, form: &str, at: i64) -> Result<String, ServerError> {
    let digest = start_mac(&key(tables)?, form, at).finalize().into_bytes();
    Ok(format!("{at}.{}", hex::encode(digest)))
}

/// The start time in a page's token, if the server signed it for `form`.
pub fn check_start(tables: &Tables, form: &str, token: &str) -> Result<Option<i64>, ServerError> {
    let Some((at, mac)) = token.split_once('.') else {
        return Ok(None);
    };
    let (Ok(at), Ok(mac)) = (at.parse::<i64>(), hex::decode(mac)) else {
        return Ok(None);
    };
    Ok(start_mac(&key(tables)?, form, at)
        .verify_slice(&mac)
        .is_ok()
        .then_some(at))
}
