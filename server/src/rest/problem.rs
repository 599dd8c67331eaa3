//! Error answers of the REST API as RFC 9457 problem details
//! (`application/problem+json`): `type`, `title`, `status`, `detail`, and the stable
//! `code` ([`ApiErrorCode`]) a client branches on, with `errors` per field when a
//! record did not validate.

use std::time::Duration;

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use saha_core::api::ApiErrorCode;
use serde::Serialize;

use crate::http::failure::Failure;

/// One field's problem.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    /// The field's name (`fields.tax_id`, `lines[2].quantity`).
    pub field: String,
    /// A stable code ([`saha_core::text::validate::Problem::code`], `unknown_field`, …).
    pub code: String,
}

/// A problem-details answer.
#[derive(Debug)]
pub struct Problem {
    pub status: StatusCode,
    pub code: ApiErrorCode,
    pub detail: String,
    pub errors: Vec<FieldError>,
    pub retry_after: Option<Duration>,
}

#[derive(Serialize)]
struct Body<'a> {
    #[serde(rename = "type")]
    kind: String,
    title: &'a str,
    status: u16,
    detail: &'a str,
    code: ApiErrorCode,
    #[serde(skip_serializing_if = "<[FieldError]>::is_empty")]
    errors: &'a [FieldError],
}

impl Problem {
    pub fn new(status: StatusCode, code: ApiErrorCode, detail: impl Into<String>) -> Problem {
        Problem {
            status,
            code,
            detail: detail.into(),
            errors: Vec::new(),
            retry_after: None,
        }
    }

    pub fn not_found() -> Problem {
        Problem::new(
            StatusCode::NOT_FOUND,
            ApiErrorCode::NotFound,
            "no such record",
        )
    }

    pub fn invalid(detail: impl Into<String>) -> Problem {
        Problem::new(StatusCode::BAD_REQUEST, ApiErrorCode::InvalidInput, detail)
    }

    /// Fields that did not validate: `422`.
    pub fn fields(
        code: ApiErrorCode,
        detail: impl Into<String>,
        errors: Vec<FieldError>,
    ) -> Problem {
        Problem {
            errors,
            ..Problem::new(StatusCode::UNPROCESSABLE_ENTITY, code, detail)
        }
    }

    pub fn with_status(self, status: StatusCode) -> Problem {
        Problem { status, ..self }
    }

    pub fn internal(e: impl std::fmt::Display) -> Problem {
        tracing::error!(error = %e, "REST API request failed");
        Problem::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            ApiErrorCode::Internal,
            "the server could not complete the request",
        )
    }
}

impl From<crate::ServerError> for Problem {
    fn from(e: crate::ServerError) -> Problem {
        Problem::internal(e)
    }
}

/// The app API's failures (shared extractors, the directory) as problems.
impl From<Failure> for Problem {
    fn from(f: Failure) -> Problem {
        Problem {
            retry_after: f.retry_after,
            ..Problem::new(f.status, f.code, f.message)
        }
    }
}

impl From<Box<crate::directory::DirectoryError>> for Problem {
    fn from(e: Box<crate::directory::DirectoryError>) -> Problem {
        Failure::from(e).into()
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let body = Body {
            kind: format!("/api/v1/problems/{}", self.code.code()),
            title: self.status.canonical_reason().unwrap_or("Error"),
            status: self.status.as_u16(),
            detail: &self.detail,
            code: self.code,
            errors: &self.errors,
        };
        let json = serde_json::to_vec(&body).unwrap_or_default();
        let mut response = (
            self.status,
            [(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/problem+json"),
            )],
            json,
        )
            .into_response();
        if let Some(wait) = self.retry_after
            && let Ok(v) = HeaderValue::from_str(&wait.as_secs().max(1).to_string())
        {
            response.headers_mut().insert(header::RETRY_AFTER, v);
        }
        response
    }
}

pub type RestResult<T> = Result<T, Problem>;
