//! `GET /api/v1/reports/{name}`: the app's reports as JSON, computed by the same shared
//! functions over the server's record projection (no document is loaded), over the
//! records the caller may read — a rep's token sees the figures of what the rep sees.
//!
//! - `profitability` ([`saha_core::analytics::profit`]): `?since=YYYY-MM-DD&a=80&b=95`
//!   — accounts ranked by TRY margin with ABC class and RFM scores, other currencies
//!   apart, the whale curve, and how many sold lines had no cost. Needs read scopes for
//!   orders and invoices.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use saha_core::DocumentId;
use saha_core::access::Scope;
use saha_core::analytics::profit::{AbcCutoffs, AccountProfit, ProfitReport};
use saha_core::api::ApiErrorCode;
use saha_core::kinds::Record;
use saha_core::sales::document::{INVOICE, ORDER, SalesDocument, date_of};
use saha_core::time::civil::Date;
use serde::Deserialize;
use serde_json::{Value, json};

use super::caller::Caller;
use super::problem::{Problem, RestResult};
use crate::directory::now_ms;
use crate::http::state::AppState;
use crate::storage::DocumentStore;
use crate::storage::records::{After, RecordQuery, RecordRow, SortField};

/// Reports the API serves.
pub const REPORTS: [&str; 1] = ["profitability"];
/// Rows read per page of the projection.
const PAGE: usize = 1_000;

/// `?since=&a=&b=`.
#[derive(Debug, Default, Deserialize)]
pub struct ReportParams {
    #[serde(default)]
    pub since: Option<String>,
    #[serde(default)]
    pub a: Option<u8>,
    #[serde(default)]
    pub b: Option<u8>,
}

/// Every row of `kind` the caller may read.
async fn readable_rows(
    state: &AppState,
    caller: &Caller,
    kind: &str,
) -> RestResult<Vec<RecordRow>> {
    let access = caller.user.access();
    let mut rows = Vec::new();
    let mut after = None;
    loop {
        let page = state
            .hub
            .storage()
            .records(RecordQuery {
                sort: SortField::CreatedAt,
                after: after.clone(),
                ..RecordQuery::of(&caller.user.workspace_id, kind, PAGE)
            })
            .await?;
        let full = page.len() == PAGE;
        if let Some(last) = page.last() {
            after = Some(After {
                value: last.sort_value(SortField::CreatedAt),
                id: last.id.to_string(),
            });
        }
        rows.extend(page.into_iter().filter(|row| {
            access.can_read(&Scope {
                team: row.team.clone(),
                owner: row.owner.clone(),
            })
        }));
        if !full {
            return Ok(rows);
        }
    }
}

/// An account's figures; amounts with two decimals, as the records' totals are.
fn account_json(p: &AccountProfit, titles: &std::collections::HashMap<String, String>) -> Value {
    json!({
        "account": p.account,
        "accountName": titles.get(&p.account).cloned().unwrap_or_default(),
        "currency": p.currency.code(),
        "revenue": format!("{:.2}", p.revenue),
        "cost": format!("{:.2}", p.cost),
        "costedRevenue": format!("{:.2}", p.costed_revenue),
        "margin": format!("{:.2}", p.margin()),
        "marginPercent": p.margin_percent().map(|m| m.to_string()),
        "sales": p.sales,
        "averageSale": format!("{:.2}", p.average_sale()),
        "uncostedLines": p.uncosted_lines,
        "firstSale": p.first,
        "lastSale": p.last,
    })
}

/// `GET /api/v1/reports/{name}`.
pub async fn get(
    State(state): State<AppState>,
    caller: Caller,
    Path(name): Path<String>,
    params: Result<Query<ReportParams>, axum::extract::rejection::QueryRejection>,
) -> RestResult<Json<Value>> {
    // A malformed query is a problem document like every other refusal.
    let Query(params) = params.map_err(|e| Problem::invalid(e.body_text()))?;
    if name != "profitability" {
        return Err(Problem::new(
            StatusCode::NOT_FOUND,
            ApiErrorCode::NotFound,
            format!("no report {name:?}; reports: {}", REPORTS.join(", ")),
        ));
    }
    caller.require("orders", false)?;
    caller.require("invoices", false)?;
    let since = params.since.unwrap_or_default();
    if !since.is_empty() && Date::parse(&since).is_none() {
        return Err(Problem::invalid("since is a date, YYYY-MM-DD"));
    }
    let defaults = AbcCutoffs::default();
    let (a, b) = (
        params.a.unwrap_or(defaults.a),
        params.b.unwrap_or(defaults.b),
    );
    if !(1..=99).contains(&a) || !(a..=99).contains(&b) {
        return Err(Problem::invalid(
            "cut-offs: 1 ≤ a ≤ b ≤ 99 (percent of margin)",
        ));
    }
    let mut documents: Vec<(String, SalesDocument)> = Vec::new();
    for kind in [ORDER, INVOICE] {
        for row in readable_rows(&state, &caller, kind).await? {
            if let Ok(Record::Sales(document)) = row.record() {
                documents.push((row.id.to_string(), document));
            }
        }
    }
    let pairs: Vec<(&str, &SalesDocument)> =
        documents.iter().map(|(id, d)| (id.as_str(), d)).collect();
    let today = Date::parse(&date_of(now_ms())).unwrap_or(Date::from_days_since_epoch(0));
    let report = ProfitReport::compute(&pairs, AbcCutoffs { a, b }, today, &since);
    // Account names, for the accounts the report names and the caller may read.
    let mut titles = std::collections::HashMap::new();
    for (p, ..) in &report.ranked {
        if let Ok(id) = p.account.parse::<DocumentId>()
            && let Some(row) = state
                .hub
                .storage()
                .record(caller.user.workspace_id.clone(), "account".into(), id)
                .await?
            && caller.user.access().can_read(&Scope {
                team: row.team.clone(),
                owner: row.owner.clone(),
            })
        {
            titles.insert(p.account.clone(), row.title.clone());
        }
    }
    let ranked: Vec<Value> = report
        .ranked
        .iter()
        .map(|(p, class, rfm)| {
            let mut v = account_json(p, &titles);
            v["class"] = json!(class.code());
            v["rfm"] = json!({ "recency": rfm.recency, "frequency": rfm.frequency, "monetary": rfm.monetary });
            v
        })
        .collect();
    Ok(Json(json!({
        "report": "profitability",
        "since": since,
        "cutoffs": { "a": a, "b": b },
        "currency": "TRY",
        "accounts": ranked,
        "otherCurrencies": report.other_currencies.iter().map(|p| account_json(p, &titles)).collect::<Vec<_>>(),
        "whaleCurve": report.whale_curve.iter().map(|(x, y)| json!([x, y])).collect::<Vec<_>>(),
        "rfmTooFew": report.rfm_too_few,
        "uncostedLines": report.uncosted_lines,
    })))
}
