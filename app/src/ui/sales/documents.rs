//! Quotes, orders and invoices: lines, totals, the workflow from quote to paid invoice,
//! printing.

use crate::i18n::Key;
use crate::i18n::word_for;
use leptos::prelude::*;
use leptos_router::components::A;
use saha_core::DocumentId;
use saha_core::kinds::Record;
use saha_core::record::{EditError, WorkflowRefusal, form::Form};
use saha_core::sales::{
    document::{self, INVOICE, ORDER, QUOTE, SalesDocument, new_line_id},
    money::{Currency, format_tr},
    product,
};
use saha_core::text::validate::Problem;

use crate::client::{error::RepoError, repo::NumberError};
use crate::i18n;
use crate::ui::{
    me, repo, use_lang,
    widgets::{
        feedback::{ErrorLine, run_step},
        format::{format_date, percent, today},
        links::{record_href, title_of_id},
    },
    word,
};

pub(crate) fn stored(e: String) -> RepoError {
    RepoError::Store(e)
}

/// Reads the sales document `id`, changes it with `change` and stores it.
async fn change_document(
    id: DocumentId,
    change: impl FnOnce(&mut SalesDocument) -> Result<(), EditError>,
) -> Result<(), RepoError> {
    repo()
        .update(id, |record| match record {
            Record::Sales(document) => change(document).map_err(RepoError::from),
            _ => Err(RepoError::Workflow(WorkflowRefusal::NotARecord)),
        })
        .await
}

/// Makes the next document (order from quote, invoice from order) and opens it.
pub(crate) async fn derive(
    id: DocumentId,
    make: fn(
        &str,
        &SalesDocument,
        &saha_core::record::EditContext,
    ) -> Result<SalesDocument, EditError>,
) -> Result<(), RepoError> {
    let repo = repo();
    let Some(Record::Sales(source)) = repo.record(id) else {
        return Err(RepoError::Workflow(WorkflowRefusal::NotARecord));
    };
    let next = make(&id.to_string(), &source, &repo.edit_context())?;
    let kind = next.common.kind.clone();
    let next_id = repo.create(Record::Sales(next)).await?;
    crate::ui::go(&record_href(&kind, next_id));
    Ok(())
}

pub(crate) async fn issue(id: DocumentId) -> Result<(), RepoError> {
    let today = today();
    let year = saha_core::sales::numbering::year_of(&today).unwrap_or(2026);
    let repo = repo();
    // Check before a number is used up.
    let Some(Record::Sales(mut invoice)) = repo.record(id) else {
        return Err(RepoError::Workflow(WorkflowRefusal::NotARecord));
    };
    invoice.issue("check", &today, &repo.edit_context())?;
    let number = repo
        .take_number(saha_core::sales::numbering::Series::Invoice, year)
        .await
        .map_err(|e| match e {
            NumberError::NoneLeft => RepoError::Workflow(WorkflowRefusal::NoNumbers),
            NumberError::Storage(e) => stored(e),
        })?;
    let ctx = repo.edit_context();
    let Some(Record::Sales(mut invoice)) = repo.record(id) else {
        return Err(RepoError::Workflow(WorkflowRefusal::NotARecord));
    };
    invoice.issue(&number, &today, &ctx)?;
    // The order it came from is invoiced and the deal won, in the same step.
    let mut order = invoice
        .source
        .parse::<DocumentId>()
        .ok()
        .and_then(|order_id| match repo.record(order_id) {
            Some(Record::Sales(order)) => Some((order_id, order)),
            _ => None,
        });
    let mut deal = invoice
        .opportunity
        .parse::<DocumentId>()
        .ok()
        .and_then(|deal_id| match repo.record(deal_id) {
            Some(Record::Opportunity(deal)) => Some((deal_id, deal)),
            _ => None,
        });
    let (order_moved, deal_won) = SalesDocument::after_issue(
        order.as_mut().map(|(_, o)| o),
        deal.as_mut().map(|(_, d)| d),
        &ctx,
    );
    let mut changed = vec![(id, Record::Sales(invoice.clone()))];
    if let (true, Some((order_id, order))) = (order_moved, order) {
        changed.push((order_id, Record::Sales(order)));
    }
    if let (true, Some((deal_id, deal))) = (deal_won, deal) {
        changed.push((deal_id, Record::Opportunity(deal)));
    }
    match repo.save(Vec::new(), changed).await {
        // A member who may issue the invoice but not touch the deal (another team's)
        // still issues it: the number is taken already.
        Err(RepoError::Rules(_)) => {
            repo.save(Vec::new(), vec![(id, Record::Sales(invoice))])
                .await
        }
        other => other,
    }
}

/// Makes the next version of a quote that was sent, accepted or rejected, and opens it.
async fn revise(id: DocumentId) -> Result<(), RepoError> {
    let repo = repo();
    let Some(Record::Sales(mut quote)) = repo.record(id) else {
        return Err(RepoError::Workflow(WorkflowRefusal::NotARecord));
    };
    let next = SalesDocument::revise(&id.to_string(), &mut quote, &repo.edit_context())?;
    let next_id = DocumentId::random();
    repo.save(
        vec![(next_id, Record::Sales(next))],
        vec![(id, Record::Sales(quote))],
    )
    .await?;
    crate::ui::go(&record_href(QUOTE, next_id));
    Ok(())
}

/// Marks an invoice paid and credits its account's loyalty points (once per invoice,
/// by the workspace's programme; TRY invoices only).
async fn mark_paid(id: DocumentId) -> Result<(), RepoError> {
    let repo = repo();
    let ctx = repo.edit_context();
    let Some(Record::Sales(mut invoice)) = repo.record(id) else {
        return Err(RepoError::Workflow(WorkflowRefusal::NotARecord));
    };
    invoice.pay(&ctx)?;
    let mut changed = vec![];
    if let Ok(account_id) = invoice.account.parse::<DocumentId>()
        && let Some(Record::Account(mut account)) = repo.record(account_id)
    {
        let per_100 = repo.service().with_untracked(|s| s.loyalty_points_per_100);
        let entry = DocumentId::random().to_string();
        if invoice.credit_loyalty(&id.to_string(), &mut account, per_100, entry, &ctx) {
            changed.push((account_id, Record::Account(account)));
        }
    }
    changed.insert(0, (id, Record::Sales(invoice)));
    repo.save(Vec::new(), changed).await
}

#[component]
pub fn SalesPanel(id: DocumentId, document: SalesDocument) -> impl IntoView {
    let lang = use_lang();
    let failure = RwSignal::new(None::<String>);
    let writer = me().role.can_write();
    let kind = document.common.kind.clone();
    let status = document.status.clone();
    let editable = writer && document.lines_editable();
    let currency = document.currency();
    let source = document.source.parse::<DocumentId>().ok();
    let account = document.account.clone();
    let revise_button = move || {
        view! {
            <crate::ui::widgets::dialog::ConfirmButton
                id="revise-quote"
                label=Key::UiReviseQuote
                question=Key::ConfirmReviseQuote
                primary=false
                on_confirm=Callback::new(move |()| run_step(failure, revise(id)))
            />
        }
        .into_any()
    };
    let status_button = |label: Key, to: &'static str, button_id: &'static str| {
        view! {
            <button
                type="button"
                class="button"
                id=button_id
                on:click=move |_| {
                    run_step(failure, change_document(id, move |d| {
                        let ctx = repo().edit_context();
                        d.set_status(to, &ctx);
                        Ok(())
                    }))
                }
            >
                {move || word(lang.get(), label)}
            </button>
        }
    };
    let actions = match (kind.as_str(), status.as_str()) {
        (QUOTE, "draft") => vec![
            status_button(Key::UiMarkSent, "sent", "mark-sent").into_any(),
            status_button(Key::UiAccept, "accepted", "mark-accepted").into_any(),
        ],
        (QUOTE, "sent") => vec![
            status_button(Key::UiAccept, "accepted", "mark-accepted").into_any(),
            status_button(Key::UiReject, "rejected", "mark-rejected").into_any(),
            revise_button(),
        ],
        (QUOTE, "accepted") => vec![
            view! {
                <button type="button" class="button primary" id="create-order" on:click=move |_| run_step(failure, derive(id, SalesDocument::order_from))>
                    {move || word(lang.get(), Key::UiCreateOrder)}
                </button>
            }
            .into_any(),
            revise_button(),
        ],
        (QUOTE, "rejected") => vec![revise_button()],
        (ORDER, "delivered") => vec![
            view! {
                <button type="button" class="button primary" id="create-invoice" on:click=move |_| run_step(failure, derive(id, SalesDocument::invoice_from))>
                    {move || word(lang.get(), Key::UiCreateInvoice)}
                </button>
            }
            .into_any(),
            {
                let person = if document.contact.is_empty() {
                    document.account.clone()
                } else {
                    document.contact.clone()
                };
                let subject = word(lang.get_untracked(), Key::KindOrder);
                view! { <crate::ui::engagement::campaigns::SurveyButton about=id person=person subject=subject /> }.into_any()
            },
        ],
        (ORDER, "open") => vec![view! {
            <button type="button" class="button primary" id="create-invoice" on:click=move |_| run_step(failure, derive(id, SalesDocument::invoice_from))>
                {move || word(lang.get(), Key::UiCreateInvoice)}
            </button>
        }
        .into_any()],
        (INVOICE, "draft") => vec![view! {
            // Issuing takes a number and locks the lines: asked first.
            <crate::ui::widgets::dialog::ConfirmButton
                id="issue-invoice"
                label=Key::UiIssue
                question=Key::ConfirmIssueInvoice
                primary=true
                on_confirm=Callback::new(move |()| run_step(failure, issue(id)))
            />
        }
        .into_any()],
        (INVOICE, "issued") => vec![view! {
            <button type="button" class="button primary" id="mark-paid" on:click=move |_| run_step(failure, mark_paid(id))>
                {move || word(lang.get(), Key::UiMarkPaid)}
            </button>
        }
        .into_any()],
        _ => Vec::new(),
    };
    let print = move |_| {
        if let Some(window) = web_sys::window() {
            let _ = window.print();
        }
    };
    view! {
        <section class="sales-document">
            <PrintHeader document=document.clone() />
            <LinesTable id=id document=document.clone() editable=editable />
            <Totals document=document.clone() currency=currency />
            <div class="actions no-print">
                {writer.then_some(actions)}
                <button type="button" class="button" id="print" on:click=print>
                    {move || word(lang.get(), Key::UiPrint)}
                </button>
            </div>
            <ErrorLine failure=failure />
            {source
                .map(|source_id| {
                    // An order comes from a quote, a revision from its earlier version,
                    // an invoice from an order.
                    let source_kind = if kind == INVOICE { ORDER } else { QUOTE };
                    let label = if kind == QUOTE { Key::UiEarlierVersion } else { Key::UiMadeFrom };
                    let title = Some(title_of_id(&source_id.to_string()))
                        .filter(|t| !t.is_empty())
                        .unwrap_or_else(|| format!("#{}", &source_id.to_string()[..6]));
                    view! {
                        <p class="no-print" id="document-source">
                            {move || word(lang.get(), label)} ": "
                            {move || word_for(lang.get(), &format!("kind.{source_kind}"))} " "
                            <A href=record_href(source_kind, source_id)>{title.clone()}</A>
                        </p>
                    }
                })}
            <p class="print-only">{title_of_id(&account)}</p>
        </section>
    }
}

/// The heading of the printed page: the seller's details (from the company settings),
/// the customer, the number and the dates.
#[component]
fn PrintHeader(document: SalesDocument) -> impl IntoView {
    let lang = use_lang();
    let account = document
        .account
        .parse::<DocumentId>()
        .ok()
        .and_then(|id| repo().record(id));
    let joined = |parts: Vec<String>| {
        parts
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" · ")
    };
    let (customer, address, tax) = match &account {
        Some(Record::Account(a)) => (
            a.name.clone(),
            a.address.clone(),
            joined(vec![a.tax_office.clone(), a.tax_number.clone()]),
        ),
        _ => (String::new(), String::new(), String::new()),
    };
    let company = repo().company().get_untracked();
    let seller = if company.legal_name.is_empty() {
        me().workspace_name
    } else {
        company.legal_name.clone()
    };
    let seller_tax = joined(vec![company.tax_office.clone(), company.tax_number.clone()]);
    let seller_contact = joined(vec![
        saha_core::text::validate::phone_display(&company.phone),
        company.email.clone(),
    ]);
    let iban = company.iban.clone();
    let logo = company.logo.clone();
    let kind = document.common.kind.clone();
    // The document's date: when an invoice was issued or an order placed, else when
    // it was made.
    let dated = if !document.issue_date.is_empty() {
        document.issue_date.clone()
    } else if !document.order_date.is_empty() {
        document.order_date.clone()
    } else {
        saha_core::sales::document::date_of(document.common.created_at)
    };
    let dates = [
        (Key::UiDate, dated),
        (Key::FieldValidUntil, document.valid_until.clone()),
        (Key::FieldDueDate, document.due_date.clone()),
    ]
    .into_iter()
    .filter(|(_, d)| !d.is_empty())
    .map(|(label, date)| view! { <p>{move || word(lang.get(), label)} ": " {move || format_date(lang.get(), &date)}</p> })
    .collect_view();
    view! {
        <header class="print-only print-header">
            <div class="seller">
                {(!logo.is_empty()).then(|| view! { <img class="company-logo" src=logo.clone() alt="" /> })}
                <strong>{seller}</strong>
                <p>{company.address.clone()}</p>
                <p>{seller_tax}</p>
                <p>{seller_contact}</p>
                {(!iban.is_empty()).then(|| view! { <p>"IBAN: " {iban.clone()}</p> })}
            </div>
            <div>
                <h2>{move || word_for(lang.get(), &format!("kind.{kind}"))} " " {saha_core::record::RecordType::title(&document)}</h2>
                {dates}
            </div>
            <div>
                <p>{move || word(lang.get(), Key::UiCustomer)} ": " <strong>{customer}</strong></p>
                <p>{address}</p>
                <p>{tax}</p>
            </div>
        </header>
    }
}

#[component]
fn LinesTable(id: DocumentId, document: SalesDocument, editable: bool) -> impl IntoView {
    let lang = use_lang();
    let currency = document.currency();
    let editing = RwSignal::new(None::<String>);
    let failure = RwSignal::new(None::<String>);
    let rows = document
        .ordered_lines()
        .into_iter()
        .map(|(line_id, line)| {
            let line_id = line_id.to_owned();
            let amounts = line.money().amounts().ok();
            let net = amounts.map(|a| format_tr(a.net, currency)).unwrap_or_default();
            let unit = format_tr(line.money().unit_price, currency);
            let discount = line.discount.clone();
            let vat = line.vat;
            let form = line.form();
            let edit_id = line_id.clone();
            let remove_id = line_id.clone();
            let shown_id = line_id.clone();
            view! {
                <tr data-line=line_id.clone()>
                    <td class="description">{line.description.clone()}</td>
                    <td class="num" data-label=move || word(lang.get(), Key::FieldQuantity)>{line.quantity.replace('.', ",")}</td>
                    <td class="num" data-label=move || word(lang.get(), Key::FieldUnitPrice)>{unit}</td>
                    <td class="num" data-label=move || word(lang.get(), Key::FieldDiscount)>{move || if discount.is_empty() { String::new() } else { percent(lang.get(), discount.replace('.', if lang.get() == crate::i18n::Lang::Tr { "," } else { "." })) }}</td>
                    <td class="num" data-label=move || word(lang.get(), Key::FieldVat)>{move || percent(lang.get(), vat)}</td>
                    <td class="num line-total" data-label=move || word(lang.get(), Key::UiLineTotal)>{net}</td>
                    <Show when=move || editable>
                        <td class="no-print line-actions">
                            <button type="button" class="button small" on:click={
                                let edit_id = edit_id.clone();
                                move |_| editing.set(Some(edit_id.clone()))
                            }>{move || word(lang.get(), Key::UiEditLine)}</button>
                            <button type="button" class="button small" on:click={
                                let remove_id = remove_id.clone();
                                move |_| {
                                    let remove_id = remove_id.clone();
                                    run_step(failure, change_document(id, move |d| d.remove_line(&remove_id).map(|_| ())))
                                }
                            }>{move || word(lang.get(), Key::UiRemove)}</button>
                        </td>
                    </Show>
                </tr>
                <Show when={
                    let shown_id = shown_id.clone();
                    move || editing.with(|e| e.as_deref() == Some(shown_id.as_str()))
                }>
                    <tr class="no-print line-editor">
                        <td colspan="7">
                            <LineForm id=id line_id=line_id.clone() initial=form.clone() done=editing />
                        </td>
                    </tr>
                </Show>
            }
        })
        .collect_view();
    view! {
        <h2>{move || word(lang.get(), Key::UiLines)}</h2>
        <div class="table-scroll" tabindex="0">
            <table class="lines">
                <thead>
                    <tr>
                        <th>{move || word(lang.get(), Key::FieldDescription)}</th>
                        <th class="num">{move || word(lang.get(), Key::FieldQuantity)}</th>
                        <th class="num">{move || word(lang.get(), Key::FieldUnitPrice)}</th>
                        <th class="num">{move || word(lang.get(), Key::FieldDiscount)}</th>
                        <th class="num">{move || word(lang.get(), Key::FieldVat)}</th>
                        <th class="num">{move || word(lang.get(), Key::UiLineTotal)}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
        <ErrorLine failure=failure />
        <Show when=move || editable>
            <AddLine
                id=id
                currency=currency
                editing=editing
                account=document.account.clone()
                line_products=document
                    .lines
                    .values()
                    .filter(|l| !l.product.is_empty())
                    .map(|l| l.product.clone())
                    .collect()
            />
        </Show>
    }
}

/// Adds a line from the catalog, or a free line.
#[component]
fn AddLine(
    id: DocumentId,
    currency: Currency,
    editing: RwSignal<Option<String>>,
    /// The document's account and the products on its lines, for suggestions.
    account: String,
    line_products: Vec<String>,
) -> impl IntoView {
    let lang = use_lang();
    let failure = RwSignal::new(None::<String>);
    let records = repo().records();
    let products = Memo::new(move |_| {
        records.with(|all| {
            let mut list: Vec<(DocumentId, String)> = all
                .values()
                .filter(|v| v.kind == product::KIND)
                .map(|v| (v.id, v.record.title()))
                .collect();
            list.sort_by(|a, b| a.1.cmp(&b.1));
            list
        })
    });
    let add = move |product_id: DocumentId| {
        run_step(failure, async move {
            let Some(Record::Product(product)) = repo().record(product_id) else {
                return Err(RepoError::Workflow(WorkflowRefusal::NotARecord));
            };
            change_document(id, move |d| {
                d.add_product_line(&new_line_id(), &product_id.to_string(), &product)
            })
            .await
        });
    };
    let add_product = move |ev: leptos::ev::Event| {
        if let Ok(product_id) = event_target_value(&ev).parse::<DocumentId>() {
            add(product_id);
        }
    };
    let new_line = RwSignal::new(None::<String>);
    let _ = currency;
    view! {
        <div class="add-line no-print">
            <div class="field">
                <label for="add-product">{move || word(lang.get(), Key::UiAddProduct)}</label>
                <select id="add-product" on:change=add_product prop:value="">
                    <option value="">{move || word(lang.get(), Key::UiChooseProduct)}</option>
                    <For each=move || products.get() key=|(id, title)| (*id, title.clone()) let((pid, title))>
                        <option value=pid.to_string()>{title}</option>
                    </For>
                </select>
            </div>
            <button
                type="button"
                class="button"
                id="add-line"
                on:click=move |_| {
                    editing.set(None);
                    new_line.set(Some(new_line_id()));
                }
            >
                "+ "
                {move || word(lang.get(), Key::UiAddLine)}
            </button>
            {move || {
                new_line
                    .get()
                    .map(|line_id| {
                        let initial = Form::new().with("quantity", "1").with("vat", "20");
                        view! { <LineForm id=id line_id=line_id initial=initial done=new_line /> }
                    })
            }}
            <crate::ui::reports::insights::LineSuggestions
                account=account
                lines=line_products
                add=Callback::new(add)
            />
            <ErrorLine failure=failure />
        </div>
    }
}

/// Edits one line; writes only that line's changed fields.
#[component]
fn LineForm(
    id: DocumentId,
    line_id: String,
    initial: Form,
    done: RwSignal<Option<String>>,
) -> impl IntoView {
    let lang = use_lang();
    let fields = document::line_field::ALL;
    let values: Vec<(&'static str, RwSignal<String>)> = fields
        .iter()
        .map(|f| (f.name, RwSignal::new(initial.get(f.name).to_owned())))
        .collect();
    let problems = RwSignal::new(Vec::<(&'static str, Problem)>::new());
    let failure = RwSignal::new(None::<String>);
    let submit = {
        let values = values.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let mut form = Form::new();
            for (name, value) in &values {
                form.set(name, value.get_untracked());
            }
            let line_id = line_id.clone();
            let lang = lang.get_untracked();
            wasm_bindgen_futures::spawn_local(async move {
                match change_document(id, move |d| d.set_line(&line_id, &form)).await {
                    Ok(()) => done.set(None),
                    Err(RepoError::Invalid(found)) => problems.set(found),
                    Err(e) => failure.set(Some(i18n::repo_error(lang, &e))),
                }
            });
        }
    };
    let inputs = values
        .iter()
        .map(|(name, value)| {
            let (name, value) = (*name, *value);
            let input_id = format!("line-{name}");
            let problem = move || {
                problems.with(|ps| ps.iter().find(|(f, _)| *f == name).map(|(_, p)| i18n::problem(lang.get(), *p)))
            };
            let control = if name == "vat" {
                view! {
                    <select id=input_id.clone() prop:value=value on:change=move |ev| value.set(event_target_value(&ev))>
                        {["20", "10", "1"]
                            .into_iter()
                            .map(|rate| view! { <option value=rate selected=move || value.get() == rate>{move || percent(lang.get(), rate)}</option> })
                            .collect_view()}
                    </select>
                }
                .into_any()
            } else {
                let mode = if name == "description" { "text" } else { "decimal" };
                view! {
                    <input id=input_id.clone() type="text" inputmode=mode autocomplete="off" prop:value=value on:input=move |ev| value.set(event_target_value(&ev)) />
                }
                .into_any()
            };
            view! {
                <div class="field" data-field=name>
                    <label for=input_id>{move || word_for(lang.get(), &format!("field.{name}"))}</label>
                    {control}
                    <p class="error">{problem}</p>
                </div>
            }
        })
        .collect_view();
    view! {
        <form class="form line-form" novalidate on:submit=submit>
            {inputs}
            <ErrorLine failure=failure />
            <div class="actions">
                <button type="submit" class="button primary" id="save-line">{move || word(lang.get(), Key::UiSaveLine)}</button>
                <button type="button" class="button" on:click=move |_| done.set(None)>{move || Key::Cancel.text(lang.get())}</button>
            </div>
        </form>
    }
}

/// Subtotal, KDV by rate and total, computed from the lines.
#[component]
fn Totals(document: SalesDocument, currency: Currency) -> impl IntoView {
    let lang = use_lang();
    match document.totals() {
        Err(_) => {
            view! { <p class="banner error">{move || word(lang.get(), Key::UiTotalsInvalid)}</p> }
                .into_any()
        }
        Ok(totals) => {
            let by_rate = totals
                .by_rate
                .iter()
                .rev()
                .map(|(rate, (_, vat))| {
                    let rate = rate.percent();
                    let vat = format_tr(*vat, currency);
                    view! {
                        <dt>{move || format!("{} {}", word(lang.get(), Key::UiVatTotal), percent(lang.get(), rate))}</dt>
                        <dd data-total=format!("vat-{rate}")>{vat}</dd>
                    }
                })
                .collect_view();
            view! {
                <dl class="totals">
                    <dt>{move || word(lang.get(), Key::UiNet)}</dt>
                    <dd data-total="net">{format_tr(totals.net, currency)}</dd>
                    {by_rate}
                    <dt>{move || word(lang.get(), Key::UiGross)}</dt>
                    <dd data-total="gross"><strong>{format_tr(totals.gross, currency)}</strong></dd>
                </dl>
            }
            .into_any()
        }
    }
}
