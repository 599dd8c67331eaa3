//! Blocks of invoice numbers reserved for a device, so invoices can be issued offline
//! without gaps or duplicates.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use saha_core::api::{self, ApiErrorCode};

use crate::http::auth::Authenticated;
use crate::http::failure::{ApiResult, Failure};
use crate::http::state::AppState;

/// Reserves a block of invoice numbers for the caller's device (see
/// `saha_core::sales::invoice_number`). Members who cannot write cannot issue invoices.
pub async fn reserve_invoice_numbers(
    State(state): State<AppState>,
    auth: Authenticated,
    Json(body): Json<api::InvoiceNumberRequest>,
) -> ApiResult<Json<saha_core::sales::invoice_number::NumberBlock>> {
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
    let block = state.directory.reserve_invoice_numbers(
        &auth.user.workspace_id,
        body.year,
        saha_core::sales::invoice_number::BLOCK_SIZE,
    )?;
    Ok(Json(block))
}
