//! The router: HTTP routes: the app shell, static assets, the workspace API and `/sync`.
//!
//! The app shell is rendered by Leptos (`app::shell`) and is the same for every app
//! route: the browser renders views from its local store, so one cached shell serves
//! every page offline. Static files (`/pkg/*`, `/sw.js`, the manifest, icons) come from
//! the site root; any other GET falls back to the shell, and the client router shows
//! its own "not found" page for unknown paths.

use axum::Router;
use axum::extract::{Request, State};
use axum::http::Method;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, patch, post};
use tower_http::services::ServeDir;

use crate::http::state::AppState;
use crate::http::sync_tickets::sync_upgrade;
use crate::http::{
    audit, auth, backup, calendar_feed, document_numbers, invitations, members, setup, survey,
    sync_tickets, unsubscribe,
};

/// Refuses state-changing API calls from a foreign browser origin.
async fn api_origin_guard(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let changes_state = !matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    if changes_state && let Err(failure) = auth::check_origin(&state, request.headers()) {
        return failure.into_response();
    }
    next.run(request).await
}

/// The router of a server whose hub is already open.
pub fn router(state: AppState) -> Router {
    let leptos = state.leptos.clone();
    let shell = leptos_axum::render_app_to_stream(move || app::shell(leptos.clone()));
    let static_files = ServeDir::new(state.config.site_root.clone())
        .precompressed_gzip()
        .fallback(get(shell));
    let api_routes = Router::new()
        .route("/setup", get(setup::setup_status).post(setup::setup))
        .route("/auth/login", post(auth::login))
        .route("/auth/logout", post(auth::logout))
        .route("/auth/me", get(auth::who_am_i))
        .route("/auth/password", post(auth::change_password))
        .route("/sync/ticket", post(sync_tickets::sync_ticket))
        .route("/sync/changes", get(sync_tickets::sync_changes))
        .route("/sync/refusals", get(audit::sync_refusals))
        .route("/workspace", get(sync_tickets::workspace))
        .route("/workspace/backup", get(backup::download))
        .route("/members", get(members::members))
        .route("/members/{id}", patch(members::update_member))
        .route("/teams", get(members::teams).post(members::add_team))
        .route(
            "/invitations",
            get(invitations::invitations).post(invitations::invite),
        )
        .route(
            "/invitations/{id}",
            axum::routing::delete(invitations::revoke_invitation),
        )
        .route(
            "/invite/{token}",
            get(invitations::invitation_preview).post(invitations::accept_invitation),
        )
        .route("/audit", get(audit::audit_log))
        .route("/audit/exports", post(audit::record_export))
        .route("/audit/imports", post(audit::record_import))
        .route("/audit/privacy", post(audit::record_privacy))
        .route(
            "/privacy/requests",
            get(crate::privacy::handlers::list).post(crate::privacy::handlers::create),
        )
        .route(
            "/privacy/requests/{id}",
            get(crate::privacy::handlers::get).put(crate::privacy::handlers::update),
        )
        .route(
            "/privacy/erasures",
            get(crate::privacy::handlers::erasures).post(crate::privacy::handlers::erase),
        )
        .route(
            "/sync/erased",
            get(crate::privacy::handlers::erased).post(crate::privacy::handlers::purged),
        )
        .route(
            "/privacy/erasures/preview",
            post(crate::privacy::handlers::erasure_preview),
        )
        .route(
            "/privacy/retention",
            get(crate::privacy::retention_handlers::get)
                .put(crate::privacy::retention_handlers::put),
        )
        .route(
            "/privacy/retention/preview",
            get(crate::privacy::retention_handlers::preview),
        )
        .route(
            "/privacy/retention/runs",
            get(crate::privacy::retention_handlers::runs)
                .post(crate::privacy::retention_handlers::run),
        )
        .route(
            "/privacy/deadlines",
            get(crate::privacy::handlers::deadlines),
        )
        .route("/document-numbers", post(document_numbers::reserve_numbers))
        // The route of earlier app versions still cached on devices (invoice numbers).
        .route("/invoice-numbers", post(document_numbers::reserve_numbers))
        .route(
            "/calendar-feeds",
            get(calendar_feed::list).post(calendar_feed::create),
        )
        .route(
            "/calendar-feeds/{id}",
            axum::routing::delete(calendar_feed::revoke),
        )
        .route("/health", get(|| async { "ok" }))
        .nest("/v1", crate::rest::routes())
        .route(
            "/api-tokens",
            get(crate::rest::tokens::list).post(crate::rest::tokens::create),
        )
        .route(
            "/api-tokens/{id}",
            axum::routing::delete(crate::rest::tokens::revoke),
        )
        .route(
            "/web-forms",
            get(crate::forms::handlers::list).post(crate::forms::handlers::create),
        )
        .route(
            "/web-forms/{id}",
            axum::routing::delete(crate::forms::handlers::remove),
        )
        .route(
            "/webhooks",
            get(crate::webhooks::handlers::list).post(crate::webhooks::handlers::create),
        )
        .route(
            "/webhooks/{id}",
            axum::routing::delete(crate::webhooks::handlers::remove),
        )
        .route(
            "/webhooks/{id}/enable",
            post(crate::webhooks::handlers::enable),
        )
        .route(
            "/webhooks/{id}/attempts",
            get(crate::webhooks::handlers::attempts),
        )
        .layer(middleware::from_fn_with_state(
            state.clone(),
            api_origin_guard,
        ));
    Router::new()
        .route("/sync", get(sync_upgrade))
        .route("/calendar/{file}", get(calendar_feed::serve))
        .route("/survey/{token}", get(survey::show).post(survey::answer))
        .route(
            "/unsubscribe/{token}",
            get(unsubscribe::show).post(unsubscribe::confirm),
        )
        .route(
            "/forms/{id}",
            get(crate::forms::submit::show).post(crate::forms::submit::post),
        )
        .nest("/api", api_routes)
        .fallback_service(static_files)
        .layer(middleware::from_fn_with_state(state.clone(), host_guard))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            crate::http::security::headers,
        ))
        .with_state(state)
}

/// Answers `421 Misdirected Request` to a request whose Host is not this server's
/// (see [`crate::http::security::host_allowed`]).
async fn host_guard(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if crate::http::security::host_allowed(&state.config, request.headers()) {
        next.run(request).await
    } else {
        (
            axum::http::StatusCode::MISDIRECTED_REQUEST,
            "this server answers to its own address only (see --public-url)",
        )
            .into_response()
    }
}
