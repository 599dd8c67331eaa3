//! Who is calling the REST API: a token (`Authorization: Bearer saha_…`) or, for the
//! app's own same-origin calls, the session cookie (state-changing calls from a foreign
//! origin are refused by the `/api` origin guard, so the cookie cannot be ridden).
//!
//! A token acts with the role and teams its member has *now* (a member who loses a team
//! or is disabled takes their tokens' reach with them), capped by its scopes. Each
//! token has its own request bucket: past it, `429` with `Retry-After`. The last-used
//! time is written at most once a minute per token.

use std::collections::HashMap;
use std::sync::Mutex;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use saha_core::api::{ApiErrorCode, TokenScope};
use saha_core::kinds::KIND_INFO;

use crate::directory::{API_TOKEN_PREFIX, ApiToken, User, now_ms};
use crate::http::auth::Authenticated;
use crate::http::state::AppState;
use crate::rest::problem::{Problem, RestResult};
use crate::sync::hub::Grant;
use crate::throttle::MessageRate;

/// How often a token's last-used time is written at most.
const TOUCH_EVERY_MS: i64 = 60_000;

/// Request rates and last-used times of tokens.
pub struct TokenUse {
    rate: MessageRate,
    touched: Mutex<HashMap<String, i64>>,
}

impl TokenUse {
    pub fn new(per_second: u32, burst: u32) -> TokenUse {
        TokenUse {
            rate: MessageRate::new(per_second, burst),
            touched: Mutex::new(HashMap::new()),
        }
    }

    /// Whether the last-used time of `token_id` is due to be written at `now`.
    fn due(&self, token_id: &str, now: i64) -> bool {
        let Ok(mut touched) = self.touched.lock() else {
            return false;
        };
        match touched.get(token_id) {
            Some(at) if now - at < TOUCH_EVERY_MS => false,
            _ => {
                touched.insert(token_id.to_owned(), now);
                true
            }
        }
    }
}

/// The caller of a REST API request.
pub struct Caller {
    pub user: User,
    /// The token, or `None` for the session cookie.
    pub token: Option<ApiToken>,
    scopes: Vec<TokenScope>,
}

fn invalid_token(detail: &str) -> Problem {
    Problem::new(StatusCode::UNAUTHORIZED, ApiErrorCode::InvalidToken, detail)
}

/// What a scope may name: every record kind's section, and the privacy request log
/// (which `*` does not cover: see [`Caller::require_exactly`]).
fn scope_sections() -> Vec<&'static str> {
    KIND_INFO
        .iter()
        .map(|k| k.section)
        .chain([
            crate::privacy::handlers::SCOPE,
            crate::attachments::handlers::SCOPE,
        ])
        .collect()
}

/// The scopes in `texts` that exist; anything else is an error naming it.
pub fn parse_scopes(texts: &[String]) -> Result<Vec<TokenScope>, String> {
    let sections = scope_sections();
    texts
        .iter()
        .map(|t| TokenScope::parse(t, &sections).ok_or_else(|| t.clone()))
        .collect()
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> RestResult<Caller> {
        if let Some(value) = parts.headers.get(header::AUTHORIZATION) {
            let secret = value
                .to_str()
                .ok()
                .and_then(|v| v.strip_prefix("Bearer "))
                .map(str::trim)
                .filter(|s| s.starts_with(API_TOKEN_PREFIX) && s.len() < 200)
                .ok_or_else(|| invalid_token("send the token as `Authorization: Bearer saha_…`"))?;
            let (token, user) = state
                .directory
                .api_token(secret)?
                .ok_or_else(|| invalid_token("the token is unknown or revoked"))?;
            if let Err(wait) = state.token_use.rate.try_take(&token.id) {
                return Err(Problem {
                    retry_after: Some(wait),
                    ..Problem::new(
                        StatusCode::TOO_MANY_REQUESTS,
                        ApiErrorCode::RateLimited,
                        "this token is over its request rate; retry after the given seconds",
                    )
                });
            }
            let now = now_ms();
            if state.token_use.due(&token.id, now)
                && let Err(e) = state.directory.touch_api_token(secret, now)
            {
                tracing::warn!(error = %e, "cannot note a token's last use");
            }
            // A scope a later version dropped is ignored, not fatal.
            let sections = scope_sections();
            let scopes = token
                .scopes
                .iter()
                .filter_map(|t| TokenScope::parse(t, &sections))
                .collect();
            return Ok(Caller {
                user,
                token: Some(token),
                scopes,
            });
        }
        let auth = <Authenticated as FromRequestParts<AppState>>::from_request_parts(parts, state)
            .await
            .map_err(|_| invalid_token("send an API token as `Authorization: Bearer saha_…`"))?;
        Ok(Caller {
            user: auth.user,
            token: None,
            scopes: vec![TokenScope {
                section: "*".into(),
                write: true,
            }],
        })
    }
}

/// `403`: the token needs the scope `section:read` (or `:write`); `more` is added to
/// the detail.
fn insufficient_scope(section: &str, write: bool, more: &str) -> Problem {
    let access = if write { "write" } else { "read" };
    Problem::new(
        StatusCode::FORBIDDEN,
        ApiErrorCode::InsufficientScope,
        format!("this token needs the scope {section}:{access}{more}"),
    )
}

impl Caller {
    /// Refuses the request unless the token's scopes cover reading (or, with `write`,
    /// changing) `section`. The member's role is checked by the rules, as for the app.
    pub fn require(&self, section: &str, write: bool) -> RestResult<()> {
        if self.scopes.iter().any(|s| s.allows(section, write)) {
            Ok(())
        } else {
            Err(insufficient_scope(section, write, ""))
        }
    }

    /// Like [`Caller::require`], for what a token's `*` scopes do not cover: a token
    /// needs a scope naming `section` itself. The session (the app) needs none.
    pub fn require_exactly(&self, section: &str, write: bool) -> RestResult<()> {
        if self.token.is_none()
            || self
                .scopes
                .iter()
                .any(|s| s.section == section && s.allows(section, write))
        {
            Ok(())
        } else {
            Err(insufficient_scope(
                section,
                write,
                " (`*` does not include it)",
            ))
        }
    }

    /// The grant the hub judges this caller's changes by.
    pub fn grant(&self) -> Grant {
        let session = match &self.token {
            Some(token) => format!("api-token:{}", token.id),
            None => "api-session".to_owned(),
        };
        Grant::new(
            self.user.id.clone(),
            self.user.email.clone(),
            self.user.workspace_id.clone(),
            session,
            self.user.access(),
            i64::MAX,
        )
    }

    /// Who the audit log names: the member, and the token if one was used.
    pub fn actor(&self) -> String {
        match &self.token {
            Some(token) => format!("{} (token {:?})", self.user.email, token.name),
            None => self.user.email.clone(),
        }
    }
}
