//! Blocks of document numbers (invoices, quotes, orders) reserved for a device, so it
//! can number documents offline without duplicates (see
//! `saha_core::sales::numbering`).

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use saha_core::api::{self, ApiErrorCode};
use saha_core::sales::numbering::{BLOCK_SIZE, NumberBlock};

use crate::http::auth::Authenticated;
use crate::http::failure::{ApiResult, Failure};
use crate::http::state::AppState;

/// Reserves a block of numbers of one series for the caller's device. Members who
/// cannot write make no documents to number.
pub async fn reserve_numbers(
    State(state): State<AppState>,
    auth: Authenticated,
    Json(body): Json<api::NumberRequest>,
) -> ApiResult<Json<NumberBlock>> {
    if !auth.user.role.can_write() {
        return Err(Failure::forbidden());
    }
    if !(2000..=2200).contains(&body.year) {
        return Err(Failure::new(
            StatusCode::BAD_REQUEST,
            ApiErrorCode::InvalidInput,
            "the year must be between 2000 and 2200",
        ));
    }
    let block = state.directory.reserve_numbers(
        &auth.user.workspace_id,
        body.series,
        body.year,
        BLOCK_SIZE,
    )?;
    Ok(Json(block))
}
