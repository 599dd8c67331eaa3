//! `POST /api/v1/{section}/{id}/{action}`: the workflow steps that change more than a
//! field, as the app's buttons take them — `invoices/{id}/issue` (the next invoice
//! number, the lines locked; the order it came from becomes invoiced and its
//! opportunity won), `invoices/{id}/pay` (paid, and the account credited with its
//! loyalty points) and `leads/{id}/convert` (an account, a contact and an opportunity
//! made from the lead, which is marked converted).
//!
//! Two steps make a new document from another: `quotes/{id}/order` (an order from an
//! accepted quote) and `orders/{id}/invoice` (a draft invoice from an order); they answer
//! `201` with the new record.
//!
//! What each step does to each record is the shared crate's ([`SalesDocument::issue`],
//! [`SalesDocument::after_issue`], [`SalesDocument::pay`],
//! [`SalesDocument::credit_loyalty`], [`Lead::convert`](saha_core::sales::lead::Lead::convert)) — the functions the app calls.
//! Every record changes through [`Hub::member_change`](crate::sync::hub::Hub::member_change),
//! reading the document as it is at that moment, so a concurrent edit is merged, not
//! overwritten. The main record's step decides the answer; a follow-on change the
//! member may not make (the deal of another team) is left out, as in the app.

use std::net::SocketAddr;

use automerge::Automerge;
use axum::extract::{ConnectInfo, Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use saha_core::DocumentId;
use saha_core::api::{ApiErrorCode, AuditAction};
use saha_core::kinds::Record;
use saha_core::record::{EditContext, WorkflowRefusal};
use saha_core::sales::document::{INVOICE, SalesDocument, date_of};
use saha_core::sales::lead::{self, ConversionIds, Reuse};
use saha_core::sales::numbering::{Series, year_of};

use super::caller::Caller;
use super::problem::{Problem, RestResult};
use super::records::{
    Rejected, kind_of, number_new, parse_id, store_new, stored_answer, visible_row,
};
use crate::directory::now_ms;
use crate::http::auth::ip;
use crate::http::state::AppState;
use crate::sync::hub::MemberChange;

/// A workflow step the API offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    OrderFromQuote,
    InvoiceFromOrder,
    IssueInvoice,
    PayInvoice,
    ConvertLead,
}

impl Action {
    /// Every action: (section, action name, the step).
    pub const ALL: [(&'static str, &'static str, Action); 5] = [
        ("quotes", "order", Action::OrderFromQuote),
        ("orders", "invoice", Action::InvoiceFromOrder),
        ("invoices", "issue", Action::IssueInvoice),
        ("invoices", "pay", Action::PayInvoice),
        ("leads", "convert", Action::ConvertLead),
    ];

    pub fn of(section: &str, name: &str) -> Option<Action> {
        Action::ALL
            .iter()
            .find(|(s, n, _)| *s == section && *n == name)
            .map(|(.., action)| *action)
    }

    /// What the OpenAPI document says the step does.
    pub fn summary(self) -> &'static str {
        match self {
            Action::OrderFromQuote => {
                "Make an order from an accepted quote (its account, contact, opportunity, currency and lines; numbered); answers the new order"
            }
            Action::InvoiceFromOrder => {
                "Make a draft invoice from an order that was not cancelled (its lines; the order is its source); answers the new invoice"
            }
            Action::IssueInvoice => {
                "Issue a draft invoice: it takes the next invoice number and today's date, its lines lock, the order it came from becomes invoiced and its opportunity won"
            }
            Action::PayInvoice => {
                "Mark an issued invoice paid; its account earns the loyalty points of the workspace's programme (TRY invoices, once)"
            }
            Action::ConvertLead => {
                "Convert a lead into an account, a contact (with the lead's consent log) and an opportunity in the pipeline's first stage; the lead is marked converted and links to them"
            }
        }
    }
}

/// Reads the record in `doc` as `T`, or refuses.
fn read_as<T>(doc: &Automerge, pick: impl FnOnce(Record) -> Option<T>) -> Result<T, Rejected> {
    match Record::read(doc) {
        Some(Ok(record)) => {
            pick(record).ok_or(Rejected::Workflow(WorkflowRefusal::NotARecord.code()))
        }
        Some(Err(e)) => Err(Rejected::Store(e.to_string())),
        None => Err(Rejected::Workflow(WorkflowRefusal::NotARecord.code())),
    }
}

fn write(doc: &mut Automerge, record: Record) -> Result<bool, Rejected> {
    record
        .write(doc)
        .map_err(|e| Rejected::Store(e.to_string()))
}

fn sales(record: Record) -> Option<SalesDocument> {
    match record {
        Record::Sales(document) => Some(document),
        _ => None,
    }
}

/// `POST /api/v1/{section}/{id}/{action}`: `200` with the main record as it now reads,
/// or `201` with the record a step made.
pub async fn run(
    State(state): State<AppState>,
    caller: Caller,
    peer: ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Path((section, id, name)): Path<(String, String, String)>,
    body: axum::body::Bytes,
) -> RestResult<Response> {
    let kind = kind_of(&section)?;
    let action = Action::of(&section, &name).ok_or_else(|| {
        Problem::new(
            StatusCode::NOT_FOUND,
            ApiErrorCode::NotFound,
            format!("{section} have no action {name:?}"),
        )
    })?;
    caller.require(&section, true)?;
    if action == Action::ConvertLead {
        for made in ["accounts", "contacts", "opportunities"] {
            caller.require(made, true)?;
        }
    }
    let id = parse_id(&id)?;
    visible_row(&state, &caller, kind, id).await?;
    let ctx = EditContext::new(&caller.user.id, now_ms());
    let ip = ip(&state, &peer, &headers);
    let outcome = match action {
        Action::OrderFromQuote => {
            let make: Make = SalesDocument::order_from;
            return derive(&state, &caller, id, kind, make, "orders", &ctx, &ip).await;
        }
        Action::InvoiceFromOrder => {
            let make: Make = SalesDocument::invoice_from;
            return derive(&state, &caller, id, kind, make, "invoices", &ctx, &ip).await;
        }
        Action::IssueInvoice => issue(&state, &caller, id, &ctx).await?,
        Action::PayInvoice => pay(&state, &caller, id, &ctx).await?,
        Action::ConvertLead => {
            let reuse = ConvertRequest::read(&body)?;
            convert(&state, &caller, id, reuse, &ctx, &ip).await?
        }
    };
    let outcome = match outcome {
        MemberChange::Unchanged => {
            MemberChange::Invalid(Rejected::Workflow(WorkflowRefusal::NotARecord.code()))
        }
        other => other,
    };
    stored_answer(
        &state,
        &caller,
        &ip,
        AuditAction::ApiRecordUpdated,
        id,
        outcome,
        StatusCode::OK,
        &section,
    )
}

/// Makes the next sales document from a source (the shared crate's step).
type Make =
    fn(&str, &SalesDocument, &EditContext) -> Result<SalesDocument, saha_core::record::EditError>;

/// A step that makes a new document from `id`: `201` with it and its `Location`.
#[allow(clippy::too_many_arguments)]
async fn derive(
    state: &AppState,
    caller: &Caller,
    id: DocumentId,
    kind: &str,
    make: Make,
    made_section: &str,
    ctx: &EditContext,
    ip: &str,
) -> RestResult<Response> {
    caller.require(made_section, true)?;
    let Record::Sales(source) = visible_row(state, caller, kind, id).await?.record()? else {
        return Err(Rejected::Workflow(WorkflowRefusal::NotARecord.code()).into());
    };
    let next = make(&id.to_string(), &source, ctx).map_err(|e| Problem::from(Rejected::from(e)))?;
    let mut record = Record::Sales(next);
    number_new(state, caller, &mut record, ctx.now_ms)?;
    let new_id = DocumentId::random();
    let outcome = store_new(state, caller, new_id, &record).await?;
    stored_answer(
        state,
        caller,
        ip,
        AuditAction::ApiRecordCreated,
        new_id,
        outcome,
        StatusCode::CREATED,
        made_section,
    )
}

/// Applies a follow-on change to document `id` (no answer depends on it).
async fn follow_on(
    state: &AppState,
    caller: &Caller,
    id: DocumentId,
    change: impl FnOnce(&mut Automerge) -> Result<bool, Rejected>,
) -> RestResult<()> {
    let mut grant = caller.grant();
    state
        .hub
        .member_change(&mut grant, id, false, change)
        .await?;
    Ok(())
}

async fn issue(
    state: &AppState,
    caller: &Caller,
    id: DocumentId,
    ctx: &EditContext,
) -> RestResult<MemberChange<Rejected>> {
    let today = date_of(ctx.now_ms);
    let year = year_of(&today).unwrap_or(2026);
    // Checked before a number is used up.
    let row = visible_row(state, caller, INVOICE, id).await?;
    if let Record::Sales(mut draft) = row.record()? {
        draft
            .issue("check", &today, ctx)
            .map_err(|e| Problem::from(Rejected::from(e)))?;
    }
    let block =
        state
            .directory
            .reserve_numbers(&caller.user.workspace_id, Series::Invoice, year, 1)?;
    let number = Series::Invoice.format(year, block.first);
    let mut issued = None;
    let mut grant = caller.grant();
    let outcome = state
        .hub
        .member_change(&mut grant, id, false, |doc: &mut Automerge| {
            let mut invoice = read_as(doc, sales)?;
            invoice.issue(&number, &today, ctx)?;
            issued = Some(invoice.clone());
            write(doc, Record::Sales(invoice))
        })
        .await?;
    if let (MemberChange::Stored(_), Some(invoice)) = (&outcome, issued) {
        if let Ok(order) = invoice.source.parse::<DocumentId>() {
            follow_on(state, caller, order, |doc| {
                let mut order = read_as(doc, sales)?;
                if SalesDocument::after_issue(Some(&mut order), None, ctx).0 {
                    write(doc, Record::Sales(order))
                } else {
                    Ok(false)
                }
            })
            .await?;
        }
        if let Ok(deal) = invoice.opportunity.parse::<DocumentId>() {
            follow_on(state, caller, deal, |doc| {
                let mut deal = read_as(doc, |r| match r {
                    Record::Opportunity(o) => Some(o),
                    _ => None,
                })?;
                if SalesDocument::after_issue(None, Some(&mut deal), ctx).1 {
                    write(doc, Record::Opportunity(deal))
                } else {
                    Ok(false)
                }
            })
            .await?;
        }
    }
    Ok(outcome)
}

async fn pay(
    state: &AppState,
    caller: &Caller,
    id: DocumentId,
    ctx: &EditContext,
) -> RestResult<MemberChange<Rejected>> {
    let mut paid = None;
    let mut grant = caller.grant();
    let outcome = state
        .hub
        .member_change(&mut grant, id, false, |doc: &mut Automerge| {
            let mut invoice = read_as(doc, sales)?;
            invoice.pay(ctx)?;
            paid = Some(invoice.clone());
            write(doc, Record::Sales(invoice))
        })
        .await?;
    if let (MemberChange::Stored(_), Some(invoice)) = (&outcome, paid)
        && let Ok(account) = invoice.account.parse::<DocumentId>()
    {
        let index = state
            .directory
            .workspace(&caller.user.workspace_id)?
            .map(|ws| ws.index_id)
            .unwrap_or_default();
        let per_100 = state
            .hub
            .service_settings(&index)
            .await?
            .loyalty_points_per_100;
        let entry = DocumentId::random().to_string();
        follow_on(state, caller, account, |doc| {
            let mut account = read_as(doc, |r| match r {
                Record::Account(a) => Some(a),
                _ => None,
            })?;
            if invoice.credit_loyalty(&id.to_string(), &mut account, per_100, entry, ctx) {
                write(doc, Record::Account(account))
            } else {
                Ok(false)
            }
        })
        .await?;
    }
    Ok(outcome)
}

/// The optional body of `leads/{id}/convert`: existing records the lead turned out to
/// be already, used in place of new ones (the app's conversion page offers them from
/// the duplicate matcher).
#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConvertRequest {
    /// An account to convert into: it keeps its values and gains only those it lacks.
    pub account: Option<String>,
    /// A contact to convert into: it keeps its values, gains those it lacks and the
    /// lead's consent events.
    pub contact: Option<String>,
}

impl ConvertRequest {
    /// The request in `body`; an empty body asks for new records.
    fn read(body: &[u8]) -> Result<(Option<DocumentId>, Option<DocumentId>), Problem> {
        if body.iter().all(u8::is_ascii_whitespace) {
            return Ok((None, None));
        }
        let request: ConvertRequest = serde_json::from_slice(body)
            .map_err(|e| Problem::invalid(format!("the body is not a conversion request: {e}")))?;
        let id = |field: &str, value: Option<String>| -> Result<Option<DocumentId>, Problem> {
            value
                .filter(|v| !v.is_empty())
                .map(|v| {
                    v.parse::<DocumentId>()
                        .map_err(|_| Problem::invalid(format!("{field}: not a record ID")))
                })
                .transpose()
        };
        Ok((
            id("account", request.account)?,
            id("contact", request.contact)?,
        ))
    }
}

/// An existing record `reused` of `kind` the caller may see, as `pick` reads it.
async fn reused_record<T>(
    state: &AppState,
    caller: &Caller,
    kind: &str,
    reused: Option<DocumentId>,
    pick: impl FnOnce(Record) -> Option<T>,
) -> RestResult<Option<T>> {
    let Some(reused) = reused else {
        return Ok(None);
    };
    let record = visible_row(state, caller, kind, reused).await?.record()?;
    Ok(Some(pick(record).ok_or_else(|| {
        Problem::from(Rejected::Workflow(WorkflowRefusal::NotARecord.code()))
    })?))
}

async fn convert(
    state: &AppState,
    caller: &Caller,
    id: DocumentId,
    (reuse_account, reuse_contact): (Option<DocumentId>, Option<DocumentId>),
    ctx: &EditContext,
    ip: &str,
) -> RestResult<MemberChange<Rejected>> {
    let first_stage = match state
        .directory
        .workspace(&caller.user.workspace_id)?
        .and_then(|ws| ws.index_id.parse::<DocumentId>().ok())
    {
        Some(index) => match state.hub.lock(index, false).await? {
            Some(live) => saha_core::workspace::pipeline(&live.doc)
                .first()
                .map(|stage| stage.code.clone())
                .unwrap_or_default(),
            None => String::new(),
        },
        None => String::new(),
    };
    let (account, contact, opportunity) = (
        reuse_account.unwrap_or_else(DocumentId::random),
        reuse_contact.unwrap_or_else(DocumentId::random),
        DocumentId::random(),
    );
    let mut existing_account =
        reused_record(state, caller, "account", reuse_account, |r| match r {
            Record::Account(a) => Some(a),
            _ => None,
        })
        .await?;
    let mut existing_contact =
        reused_record(state, caller, "contact", reuse_contact, |r| match r {
            Record::Contact(c) => Some(c),
            _ => None,
        })
        .await?;
    let ids = ConversionIds {
        account: account.to_string(),
        contact: contact.to_string(),
        opportunity: opportunity.to_string(),
    };
    // The new records first (a lead marked converted always links to records that
    // exist), made from the lead as it reads now; a lead that may not be converted is
    // refused before anything is stored.
    let Record::Lead(preview) = visible_row(state, caller, lead::KIND, id).await?.record()? else {
        return Err(Rejected::Workflow(WorkflowRefusal::NotARecord.code()).into());
    };
    let reuse = Reuse {
        account: existing_account.as_mut(),
        contact: existing_contact.as_mut(),
    };
    let made = preview
        .clone()
        .convert(&id.to_string(), &ids, reuse, &first_stage, ctx)
        .map_err(|e| Problem::from(Rejected::from(e)))?;
    for (new_id, record, section) in [
        (account, made.account.map(Record::Account), "accounts"),
        (contact, made.contact.map(Record::Contact), "contacts"),
        (
            opportunity,
            Some(Record::Opportunity(made.opportunity)),
            "opportunities",
        ),
    ] {
        let Some(record) = record else { continue };
        let outcome = store_new(state, caller, new_id, &record).await?;
        stored_answer(
            state,
            caller,
            ip,
            AuditAction::ApiRecordCreated,
            new_id,
            outcome,
            StatusCode::CREATED,
            section,
        )?;
    }
    // A reused record gains what it lacks, applied to it as it reads now (the same step
    // on the live document, so an edit since it was read is kept).
    let mut grant = caller.grant();
    for (reused, section) in [(reuse_account, "accounts"), (reuse_contact, "contacts")] {
        let Some(reused) = reused else { continue };
        let outcome = state
            .hub
            .member_change(&mut grant, reused, false, |doc: &mut Automerge| {
                let mut lead = preview.clone();
                match read_as(doc, Some)? {
                    Record::Account(mut live) if section == "accounts" => {
                        let reuse = Reuse {
                            account: Some(&mut live),
                            contact: None,
                        };
                        lead.convert(&id.to_string(), &ids, reuse, &first_stage, ctx)?;
                        write(doc, Record::Account(live))
                    }
                    Record::Contact(mut live) if section == "contacts" => {
                        let reuse = Reuse {
                            account: None,
                            contact: Some(&mut live),
                        };
                        lead.convert(&id.to_string(), &ids, reuse, &first_stage, ctx)?;
                        write(doc, Record::Contact(live))
                    }
                    _ => Err(Rejected::Workflow(WorkflowRefusal::NotARecord.code())),
                }
            })
            .await?;
        if !matches!(outcome, MemberChange::Unchanged) {
            stored_answer(
                state,
                caller,
                ip,
                AuditAction::ApiRecordUpdated,
                reused,
                outcome,
                StatusCode::OK,
                section,
            )?;
        }
    }
    Ok(state
        .hub
        .member_change(&mut grant, id, false, |doc: &mut Automerge| {
            let mut lead = read_as(doc, |r| match r {
                Record::Lead(l) => Some(l),
                _ => None,
            })?;
            lead.convert(&id.to_string(), &ids, Reuse::default(), &first_stage, ctx)?;
            write(doc, Record::Lead(lead))
        })
        .await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_action_belongs_to_its_section() {
        assert_eq!(Action::of("invoices", "pay"), Some(Action::PayInvoice));
        assert_eq!(Action::of("leads", "convert"), Some(Action::ConvertLead));
        assert_eq!(Action::of("quotes", "pay"), None);
        assert_eq!(Action::of("invoices", "refund"), None);
    }
}
