//! Error answers of the HTTP API: a status, a stable [`ApiErrorCode`] and a message,
//! as an [`ApiError`] body.

use std::time::Duration;

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use saha_core::api::{ApiError, ApiErrorCode};

use crate::directory::DirectoryError;

/// An error answer.
#[derive(Debug)]
pub struct Failure {
    pub(crate) status: StatusCode,
    pub(crate) code: ApiErrorCode,
    pub(crate) message: String,
    pub(crate) retry_after: Option<Duration>,
}

impl Failure {
    pub fn new(status: StatusCode, code: ApiErrorCode, message: impl Into<String>) -> Failure {
        Failure {
            status,
            code,
            message: message.into(),
            retry_after: None,
        }
    }

    pub(crate) fn invalid(message: impl Into<String>) -> Failure {
        Failure::new(StatusCode::BAD_REQUEST, ApiErrorCode::InvalidInput, message)
    }

    /// Too many failed password attempts: `429` with `Retry-After`.
    pub(crate) fn rate_limited(wait: Duration) -> Failure {
        Failure {
            retry_after: Some(wait),
            ..Failure::new(
                StatusCode::TOO_MANY_REQUESTS,
                ApiErrorCode::RateLimited,
                "too many failed attempts; try again later",
            )
        }
    }

    pub(crate) fn forbidden() -> Failure {
        Failure::new(
            StatusCode::FORBIDDEN,
            ApiErrorCode::Forbidden,
            "your role does not allow this",
        )
    }

    pub(crate) fn not_found() -> Failure {
        Failure::new(StatusCode::NOT_FOUND, ApiErrorCode::NotFound, "not found")
    }

    pub(crate) fn unauthorized() -> Failure {
        Failure::new(
            StatusCode::UNAUTHORIZED,
            ApiErrorCode::Unauthorized,
            "please log in",
        )
    }

    pub(crate) fn internal(e: impl std::fmt::Display) -> Failure {
        tracing::error!(error = %e, "request failed");
        Failure::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            ApiErrorCode::Internal,
            "the server could not complete the request",
        )
    }
}

impl From<Box<DirectoryError>> for Failure {
    fn from(e: Box<DirectoryError>) -> Failure {
        match *e {
            DirectoryError::EmailTaken => Failure::new(
                StatusCode::CONFLICT,
                ApiErrorCode::EmailTaken,
                "that email address is already a member",
            ),
            DirectoryError::AlreadySetUp => Failure::new(
                StatusCode::CONFLICT,
                ApiErrorCode::AlreadySetUp,
                "this server already has a workspace",
            ),
            DirectoryError::NotFound => Failure::not_found(),
            DirectoryError::Disabled => Failure::new(
                StatusCode::UNAUTHORIZED,
                ApiErrorCode::InvalidCredentials,
                "wrong email or password",
            ),
            DirectoryError::Refused(code, message) => {
                Failure::new(StatusCode::CONFLICT, code, message)
            }
            DirectoryError::Server(e) => Failure::internal(e),
        }
    }
}

impl From<crate::ServerError> for Failure {
    fn from(e: crate::ServerError) -> Failure {
        Failure::internal(e)
    }
}

impl IntoResponse for Failure {
    fn into_response(self) -> Response {
        let body = Json(ApiError {
            error: self.code,
            message: self.message,
        });
        let mut response = (self.status, body).into_response();
        if let Some(wait) = self.retry_after
            && let Ok(v) = HeaderValue::from_str(&wait.as_secs().max(1).to_string())
        {
            response.headers_mut().insert(header::RETRY_AFTER, v);
        }
        response
    }
}

pub type ApiResult<T> = Result<T, Failure>;
