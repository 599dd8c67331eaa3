//! `GET /api/v1/reports/{name}`: the app's reports as JSON, computed by the same shared
//! functions over the server's record projection (no document is loaded), over the
//! records the caller may read — a rep's token sees the figures of what the rep sees.
//!
//! - `profitability` ([`saha_core::analytics::profit`]): `?since=YYYY-MM-DD&a=80&b=95`
//!   — accounts ranked by TRY margin with ABC class and RFM scores, other currencies
//!   apart, the whale curve, and how many sold lines had no cost. Needs read scopes for
//!   orders and invoices.
//! - `satisfaction-loyalty` ([`saha_core::analytics::matrix`]): each account's
//!   satisfaction, loyalty and group with the workspace's thresholds, the counts per
//!   group and the accounts without satisfaction data apart.
//! - `retention` ([`saha_core::analytics::retention`]): each customer's usual interval,
//!   days since the last sale, at risk / silent, by margin.
//! - `cross-sell` ([`saha_core::analytics::cross_sell`]): `?account=ID` — what to offer
//!   it next, from products bought together.
//! - `demand` ([`saha_core::analytics::demand`]): `?product=ID` — monthly quantity and
//!   the forecast with its backtest error; without a product, the products sold.
//!
//! - `performance` ([`saha_core::analytics::performance`]): `?period=month|last_month|
//!   quarter|year` — per rep, per team and in all: won revenue against the goals, win
//!   rate, median sales cycle, weighted pipeline, calls, case times; stage conversion and
//!   the NPS trend. Reads opportunities, calls, cases and campaigns.
//!
//! The four before it read accounts, contacts, campaigns (survey answers), cases, orders and
//! invoices, and need read scopes for each.

use std::collections::HashMap;

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use saha_core::DocumentId;
use saha_core::access::Scope;
use saha_core::analytics::cross_sell::CoOccurrence;
use saha_core::analytics::demand;
use saha_core::analytics::ledger::Ledger;
use saha_core::analytics::matrix::{Group, Matrix, NO_DATA};
use saha_core::analytics::performance::{
    Audience, Context as PerformanceContext, Figures, PERIODS, Period,
};
use saha_core::analytics::profit::{AbcCutoffs, AccountProfit, ProfitReport};
use saha_core::analytics::retention;
use saha_core::analytics::signals::Signals;
use saha_core::api::ApiErrorCode;
use saha_core::kinds::Record;
use saha_core::sales::document::{INVOICE, ORDER, SalesDocument};
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
pub const REPORTS: [&str; 6] = [
    "profitability",
    "satisfaction-loyalty",
    "retention",
    "cross-sell",
    "demand",
    "performance",
];
/// Suggestions `cross-sell` answers at most.
const SUGGESTIONS: usize = 10;
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
    /// `cross-sell`: the account.
    #[serde(default)]
    pub account: Option<String>,
    /// `demand`: the product.
    #[serde(default)]
    pub product: Option<String>,
    /// `performance`: the first day of a custom period (`YYYY-MM-DD`).
    #[serde(default)]
    pub from: Option<String>,
    /// `performance`: the last day of a custom period (`YYYY-MM-DD`).
    #[serde(default)]
    pub to: Option<String>,
    /// `performance`: `month` (default), `last_month`, `quarter` or `year`.
    #[serde(default)]
    pub period: Option<String>,
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
fn account_json(p: &AccountProfit, titles: &HashMap<String, String>) -> Value {
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
    match name.as_str() {
        "profitability" => profitability(&state, &caller, params).await,
        "satisfaction-loyalty" | "retention" | "cross-sell" | "demand" => {
            customers(&state, &caller, &name, params).await
        }
        "performance" => performance(&state, &caller, params).await,
        _ => Err(Problem::new(
            StatusCode::NOT_FOUND,
            ApiErrorCode::NotFound,
            format!("no report {name:?}; reports: {}", REPORTS.join(", ")),
        )),
    }
}

/// Today in the workspace's terms: the server's clock, as a date in the workspace's
/// time zone (as the app's reports count it, so both answer alike at any hour).
async fn today(state: &AppState, caller: &Caller) -> RestResult<Date> {
    let index = state
        .directory
        .workspace(&caller.user.workspace_id)?
        .map(|ws| ws.index_id)
        .unwrap_or_default();
    let zone = state.hub.service_settings(&index).await?.zone();
    Ok(zone.local(now_ms()).date)
}

/// The names of the accounts in `ids` the caller may read.
async fn account_titles<'a>(
    state: &AppState,
    caller: &Caller,
    ids: impl Iterator<Item = &'a str>,
) -> RestResult<HashMap<String, String>> {
    let mut titles = HashMap::new();
    for account in ids {
        if titles.contains_key(account) {
            continue;
        }
        if let Ok(id) = account.parse::<DocumentId>()
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
            titles.insert(account.to_owned(), row.title.clone());
        }
    }
    Ok(titles)
}

/// `profitability`.
async fn profitability(
    state: &AppState,
    caller: &Caller,
    params: ReportParams,
) -> RestResult<Json<Value>> {
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
        for row in readable_rows(state, caller, kind).await? {
            if let Ok(Record::Sales(document)) = row.record() {
                documents.push((row.id.to_string(), document));
            }
        }
    }
    let pairs: Vec<(&str, &SalesDocument)> =
        documents.iter().map(|(id, d)| (id.as_str(), d)).collect();
    let ledger = Ledger::of(&pairs);
    let report = ProfitReport::compute(
        &ledger.sales(),
        AbcCutoffs { a, b },
        today(state, caller).await?,
        &since,
    );
    // Account names, for the accounts the report names and the caller may read.
    let titles = account_titles(
        state,
        caller,
        report
            .ranked
            .iter()
            .map(|(p, ..)| p.account.as_str())
            .chain(report.other_currencies.iter().map(|p| p.account.as_str())),
    )
    .await?;
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

/// The kinds the customer reports read.
const CUSTOMER_KINDS: [&str; 6] = ["account", "contact", "campaign", "case", ORDER, INVOICE];

/// `satisfaction-loyalty`, `retention`, `cross-sell` and `demand`: over every record of
/// [`CUSTOMER_KINDS`] the caller may read, with the workspace's thresholds.
async fn customers(
    state: &AppState,
    caller: &Caller,
    name: &str,
    params: ReportParams,
) -> RestResult<Json<Value>> {
    for kind in CUSTOMER_KINDS {
        caller.require(saha_core::kinds::section_of(kind), false)?;
    }
    let wanted = |value: Option<String>, what: &str| -> RestResult<String> {
        let value = value.unwrap_or_default();
        if value.parse::<DocumentId>().is_err() {
            return Err(Problem::invalid(format!("{what} is a record ID")));
        }
        Ok(value)
    };
    let account = match name {
        "cross-sell" => Some(wanted(params.account, "account")?),
        _ => None,
    };
    let product = match (name, params.product) {
        ("demand", Some(p)) => Some(wanted(Some(p), "product")?),
        _ => None,
    };
    let mut owned: Vec<(String, Record)> = Vec::new();
    for kind in CUSTOMER_KINDS {
        for row in readable_rows(state, caller, kind).await? {
            if let Ok(record) = row.record() {
                owned.push((row.id.to_string(), record));
            }
        }
    }
    let records: Vec<(String, &Record)> = owned.iter().map(|(id, r)| (id.clone(), r)).collect();
    let signals = Signals::gather(&records);
    let index = state
        .directory
        .workspace(&caller.user.workspace_id)?
        .map(|ws| ws.index_id)
        .unwrap_or_default();
    let settings = state.hub.service_settings(&index).await?.analytics;
    let today = today(state, caller).await?;
    let body = match name {
        "satisfaction-loyalty" => {
            let matrix = Matrix::compute(&signals, &settings, today);
            let titles = account_titles(
                state,
                caller,
                matrix.standings.iter().map(|s| s.account.as_str()),
            )
            .await?;
            json!({
                "report": name,
                "since": matrix.since,
                "satisfiedFrom": matrix.satisfied_from,
                "loyalFrom": matrix.loyal_from,
                "counts": Group::ALL.iter().map(|g| (g.code().to_owned(), json!(matrix.counts[*g as usize]))).collect::<serde_json::Map<_, _>>(),
                "noData": matrix.no_data,
                "accounts": matrix.standings.iter().map(|s| json!({
                    "account": s.account,
                    "accountName": titles.get(&s.account).cloned().unwrap_or_default(),
                    "group": s.group.map_or(NO_DATA, Group::code),
                    "satisfaction": s.satisfaction,
                    "opinions": s.opinions,
                    "loyalty": s.loyalty.score(),
                    "repeat": s.loyalty.repeat,
                    "tenure": s.loyalty.tenure,
                    "recommendation": s.loyalty.recommendation,
                })).collect::<Vec<_>>(),
            })
        }
        "retention" => {
            let list = retention::compute(&signals, &settings, today);
            let titles =
                account_titles(state, caller, list.iter().map(|r| r.account.as_str())).await?;
            json!({
                "report": name,
                "atRiskFactor": settings.at_risk_factor_x10 as f64 / 10.0,
                "silentDays": settings.silent_days,
                "customers": list.iter().map(|r| json!({
                    "account": r.account,
                    "accountName": titles.get(&r.account).cloned().unwrap_or_default(),
                    "saleDays": r.sale_days,
                    "usualInterval": r.usual_interval,
                    "lastSale": r.last,
                    "daysSinceLast": r.days_since_last,
                    "atRisk": r.at_risk,
                    "silent": r.silent,
                    "margin": format!("{:.2}", r.margin),
                })).collect::<Vec<_>>(),
            })
        }
        "cross-sell" => {
            let account = account.unwrap_or_default();
            let counted = signals.sales();
            let co = CoOccurrence::build(&counted);
            json!({
                "report": name,
                "account": account,
                "baskets": co.baskets(),
                "bought": co.bought(&account),
                "suggestions": co.suggest(&account, SUGGESTIONS).iter().map(|s| json!({
                    "product": s.product,
                    "because": s.because,
                    "together": s.together,
                    "support": s.support,
                    "confidence": s.confidence,
                    "lift": s.lift,
                })).collect::<Vec<_>>(),
            })
        }
        _ => {
            let counted = signals.sales();
            match product {
                None => json!({
                    "report": name,
                    "products": demand::products_sold(&counted).iter().map(|(p, q)| json!({
                        "product": p,
                        "quantity": q.to_string(),
                    })).collect::<Vec<_>>(),
                }),
                Some(product) => {
                    let d = demand::demand(&counted, &product, today);
                    json!({
                        "report": name,
                        "product": d.product,
                        "history": d.history.iter().map(|(m, q)| json!({ "month": m, "quantity": q })).collect::<Vec<_>>(),
                        "forecast": d.forecast.as_ref().map(|f| json!({
                            "method": match f.method {
                                demand::Method::SeasonalNaive => "seasonal_naive".to_owned(),
                                demand::Method::Smoothing { alpha_x10 } => format!("smoothing_0.{alpha_x10}"),
                            },
                            "months": d.next_months.iter().zip(&f.values).map(|(m, q)| json!({ "month": m, "quantity": q })).collect::<Vec<_>>(),
                            "mae": f.mae,
                            "mape": f.mape,
                            "testedMonths": f.tested_months,
                        })),
                    })
                }
            }
        }
    };
    Ok(Json(body))
}

/// The kinds the performance report reads.
const PERFORMANCE_KINDS: [&str; 4] = ["opportunity", "call", "case", "campaign"];

fn figures_json(f: &Figures, working_days: i64) -> Value {
    json!({
        "wonRevenue": format!("{:.2}", f.won_revenue),
        "won": f.won,
        "lost": f.lost,
        "wonOtherCurrencies": f.won_other_currencies,
        "winRatePercent": f.win_rate_percent(),
        "goal": f.goal.map(|g| format!("{g:.2}")),
        "goalPercent": f.goal_percent().map(|p| p.to_string()),
        "weightedPipeline": format!("{:.2}", f.weighted_pipeline),
        "medianSalesCycleDays": f.median_cycle_days,
        "calls": f.calls,
        "callsPerWorkingDay": (working_days > 0).then(|| f.calls as f64 / working_days as f64),
        "medianFirstResponseMs": f.median_first_response_ms,
        "medianResolutionMs": f.median_resolution_ms,
    })
}

/// `performance`.
async fn performance(
    state: &AppState,
    caller: &Caller,
    params: ReportParams,
) -> RestResult<Json<Value>> {
    for kind in PERFORMANCE_KINDS {
        caller.require(saha_core::kinds::section_of(kind), false)?;
    }
    let today = today(state, caller).await?;
    let (code, period) = match (params.from.as_deref(), params.to.as_deref()) {
        (Some(from), Some(to)) if params.period.as_deref().is_none_or(|p| p == "custom") => (
            "custom".to_owned(),
            Period::custom(from, to).map_err(|e| Problem::invalid(e.to_string()))?,
        ),
        (None, None) => {
            let code = params.period.unwrap_or_else(|| "month".into());
            let period = Period::named(&code, today).ok_or_else(|| {
                Problem::invalid(format!(
                    "period is one of {}, or custom with from and to",
                    PERIODS.join(", ")
                ))
            })?;
            (code, period)
        }
        _ => {
            return Err(Problem::invalid(
                "a custom period needs both from and to (YYYY-MM-DD) and no other period",
            ));
        }
    };
    let mut owned: Vec<(String, Record)> = Vec::new();
    for kind in PERFORMANCE_KINDS {
        for row in readable_rows(state, caller, kind).await? {
            if let Ok(record) = row.record() {
                owned.push((row.id.to_string(), record));
            }
        }
    }
    let records: Vec<(String, &Record)> = owned.iter().map(|(id, r)| (id.clone(), r)).collect();
    let index = state
        .directory
        .workspace(&caller.user.workspace_id)?
        .map(|ws| ws.index_id)
        .unwrap_or_default();
    let settings = state.hub.service_settings(&index).await?;
    let pipeline = state.hub.pipeline(&index).await?;
    let calendar = settings.calendar();
    let report = saha_core::analytics::performance::compute(
        &records,
        &PerformanceContext {
            period,
            today,
            now_ms: now_ms(),
            zone: settings.zone(),
            pipeline: &pipeline,
            goals: &settings.analytics.goals,
            sla: &settings.sla,
            calendar: &calendar,
            audience: &Audience::of(&caller.user.id, caller.user.role, &caller.user.teams),
        },
    );
    let days = report.working_days;
    Ok(Json(json!({
        "report": "performance",
        "period": { "code": code, "from": report.period.from.to_string(), "to": report.period.to.to_string() },
        "workingDays": days,
        "total": figures_json(&report.total, days),
        "reps": report.reps.iter().filter(|(id, _)| !id.is_empty()).map(|(id, f)| {
            let mut v = figures_json(f, days);
            v["member"] = json!(id);
            v
        }).collect::<Vec<_>>(),
        "teams": report.teams.iter().map(|(id, f)| {
            let mut v = figures_json(f, days);
            v["team"] = json!(id);
            v
        }).collect::<Vec<_>>(),
        "stages": report.stages.iter().map(|s| json!({ "stage": s.stage, "entered": s.entered, "movedOn": s.moved_on })).collect::<Vec<_>>(),
        "nps": report.nps.iter().map(|m| json!({ "month": m.month, "answers": m.answers, "nps": m.nps })).collect::<Vec<_>>(),
    })))
}
