//! The public REST API, `/api/v1`: records of every kind as JSON for other systems
//! (accounting, web sites, monitoring tools), with API tokens and an OpenAPI document.
//!
//! - [`caller`]: who is calling (a Bearer token or the session), scopes, rate limits;
//! - [`records`]: list, read, create, change and delete records — reads from the record
//!   projection, writes through the hub like a sync message;
//! - [`actions`]: workflow steps (issue or pay an invoice, convert a lead);
//! - [`problem`]: RFC 9457 problem details with stable codes;
//! - [`openapi`]: the OpenAPI 3.1 document, generated from the kind registry;
//! - [`inbound`]: mentions from monitoring tools become social-channel cases;
//! - [`reports`]: the app's reports as JSON, from the same shared functions;
//! - attachments' uploads, lists and downloads are [`crate::attachments::handlers`]'
//!   (`/api/v1/blobs/…`, `/api/v1/{section}/{id}/attachments…`);
//! - [`tokens`]: Settings → API, where owners and admins manage tokens;
//! - the privacy routes are [`crate::privacy::handlers`]' (the request log, access,
//!   erasure) and [`crate::privacy::retention_handlers`]' (the retention policy).

pub mod actions;
pub mod caller;
pub mod inbound;
pub mod openapi;
pub mod problem;
pub mod records;
pub mod reports;
pub mod tokens;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::get;

use crate::attachments::handlers as attachments;
use crate::http::state::AppState;

/// Largest request body the REST API reads (a record with its lines is a few KiB).
pub const MAX_BODY_BYTES: usize = 256 * 1024;

/// The `/api/v1` routes (nested under `/api`, behind its origin guard).
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/openapi.json", get(openapi::serve))
        .route("/docs", get(openapi::docs))
        .route("/inbound/mentions", axum::routing::post(inbound::mention))
        .route("/reports/{name}", get(reports::get))
        .route(
            "/privacy/requests",
            get(crate::privacy::handlers::rest_list).post(crate::privacy::handlers::rest_create),
        )
        .route(
            "/privacy/requests/{id}",
            get(crate::privacy::handlers::rest_get).put(crate::privacy::handlers::rest_update),
        )
        .route(
            "/privacy/erasures",
            get(crate::privacy::handlers::rest_erasures).post(crate::privacy::handlers::rest_erase),
        )
        .route(
            "/privacy/erasures/preview",
            axum::routing::post(crate::privacy::handlers::rest_erasure_preview),
        )
        .route(
            "/privacy/access/{person}",
            get(crate::privacy::handlers::rest_access),
        )
        .route(
            "/privacy/retention",
            get(crate::privacy::retention_handlers::rest_get)
                .put(crate::privacy::retention_handlers::rest_put),
        )
        .route(
            "/privacy/retention/preview",
            get(crate::privacy::retention_handlers::rest_preview),
        )
        .route(
            "/privacy/retention/runs",
            get(crate::privacy::retention_handlers::rest_runs)
                .post(crate::privacy::retention_handlers::rest_run),
        )
        .route("/{section}", get(records::list).post(records::create))
        .route(
            "/{section}/{id}",
            get(records::get)
                .patch(records::update)
                .delete(records::delete),
        )
        .route(
            "/{section}/{id}/{action}",
            axum::routing::post(actions::run),
        )
        .route("/blobs/{hash}", get(attachments::upload_state))
        .route(
            "/blobs/{hash}/chunks/{index}",
            axum::routing::put(attachments::put_chunk).layer(DefaultBodyLimit::max(
                saha_core::record::attachment::CHUNK_BYTES,
            )),
        )
        .route(
            "/blobs/{hash}/complete",
            axum::routing::post(attachments::complete),
        )
        .route(
            "/{section}/{id}/attachments",
            get(attachments::list).post(attachments::attach),
        )
        .route(
            "/{section}/{id}/attachments/{hash}",
            get(attachments::download).delete(attachments::detach),
        )
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
}
