//! Quotes, orders and invoices (schema version 1): one document type with priced lines.
//!
//! A quote is priced from the product catalog; an accepted quote becomes an order (so
//! does a won opportunity), an order becomes an invoice, and issuing the invoice marks
//! its order invoiced and its opportunity won ([`SalesDocument::after_issue`]). Quotes
//! and orders are numbered when created, invoices when issued (see
//! [`crate::sales::numbering`]). A quote is offered while it is a draft or sent; once
//! accepted or rejected it is locked, and changing the offer makes a new version
//! ([`SalesDocument::revise`]) under the same number. The three share [`SalesDocument`] and differ by `kind`,
//! status codes and a few fields. Lines are a map keyed by a random line ID (ordered by
//! `position`), so two devices that edit different lines, or add lines, offline keep
//! all their edits, and edits to different fields of one line merge too. Totals are
//! computed from the lines with [`crate::sales::money`] whenever they are shown and never
//! stored.

use crate::record::WorkflowRefusal;
use std::collections::BTreeMap;

use autosurgeon::{Hydrate, Reconcile};
use rust_decimal::Decimal;

use crate::record::form::{Checker, FieldSpec, Form, Problems};
use crate::record::value::hydrate_any_string;
use crate::record::{self, EditContext, EditError, RecordType, Stored, Transition};
use crate::sales::money::{self, Currency, LineProblem, Totals, VatRate};
use crate::sales::opportunity::Opportunity;
use crate::sales::product::Product;
use crate::text::validate::Problem;

pub const QUOTE: &str = "quote";
pub const ORDER: &str = "order";
pub const INVOICE: &str = "invoice";
pub const SCHEMA_VERSION: i64 = 1;

/// Status codes of each kind, the first being a new document's.
pub fn statuses(kind: &str) -> &'static [&'static str] {
    match kind {
        ORDER => &["open", "delivered", "invoiced", "cancelled"],
        INVOICE => &["draft", "issued", "paid", "cancelled"],
        _ => &["draft", "sent", "accepted", "rejected", "revised"],
    }
}

/// The statuses in which a quote's offer may still change.
pub const QUOTE_OPEN: &[&str] = &["draft", "sent"];
/// The statuses in which an order's lines may still change.
pub const ORDER_OPEN: &[&str] = &["open", "delivered"];

/// One priced line.
#[derive(
    Debug, Clone, PartialEq, Eq, Default, Reconcile, Hydrate, serde::Serialize, serde::Deserialize,
)]
pub struct LineItem {
    /// Sort key: lines show in ascending position, then ID.
    #[autosurgeon(
        missing = "Default::default",
        hydrate = "crate::record::value::hydrate_int_or_zero"
    )]
    pub position: i64,
    /// Document ID of the product, if the line was priced from the catalog.
    #[autosurgeon(missing = "Default::default", hydrate = "hydrate_any_string")]
    pub product: String,
    #[autosurgeon(missing = "Default::default", hydrate = "hydrate_any_string")]
    pub description: String,
    /// Decimal texts.
    #[autosurgeon(missing = "Default::default", hydrate = "hydrate_any_string")]
    pub quantity: String,
    #[autosurgeon(missing = "Default::default", hydrate = "hydrate_any_string")]
    pub unit_price: String,
    /// Percent, 0–100.
    #[autosurgeon(missing = "Default::default", hydrate = "hydrate_any_string")]
    pub discount: String,
    /// KDV rate in percent.
    #[autosurgeon(
        missing = "Default::default",
        hydrate = "crate::record::value::hydrate_int_or_zero"
    )]
    pub vat: i64,
    /// The product's unit cost when the line was priced from it (decimal text, the
    /// document's currency); empty when unknown — such a line's margin is not guessed.
    #[autosurgeon(missing = "Default::default", hydrate = "hydrate_any_string")]
    #[serde(default)]
    pub unit_cost: String,
}

impl LineItem {
    /// The line as money arithmetic sees it.
    pub fn money(&self) -> money::Line {
        let number = |s: &str| s.parse::<Decimal>().unwrap_or_default();
        money::Line {
            quantity: number(&self.quantity),
            unit_price: number(&self.unit_price),
            discount_percent: number(&self.discount),
            vat: u32::try_from(self.vat)
                .ok()
                .and_then(VatRate::from_percent)
                .unwrap_or(VatRate::Twenty),
        }
    }

    /// The line's form.
    pub fn form(&self) -> Form {
        Form::new()
            .with("description", &self.description)
            .with("quantity", &self.quantity)
            .with("unit_price", &self.unit_price)
            .with("discount", &self.discount)
            .with("vat", self.vat.to_string())
    }
}

/// The line form's fields.
pub mod line_field {
    use crate::record::form::{FieldSpec, Input};

    pub const DESCRIPTION: FieldSpec = FieldSpec::required("description", Input::Text);
    pub const QUANTITY: FieldSpec = FieldSpec::required("quantity", Input::Decimal);
    pub const UNIT_PRICE: FieldSpec = FieldSpec::required("unit_price", Input::Decimal);
    pub const DISCOUNT: FieldSpec = FieldSpec::new("discount", Input::Decimal);
    pub const VAT: FieldSpec = FieldSpec::required("vat", Input::Choice(&["20", "10", "1"]));
    pub const ALL: [FieldSpec; 5] = [DESCRIPTION, QUANTITY, UNIT_PRICE, DISCOUNT, VAT];
    /// Set apart ([`super::SalesDocument::set_line_cost`]): a line priced from a product
    /// keeps its cost; an integration that knows the cost may give it.
    pub const UNIT_COST: FieldSpec = FieldSpec::new("unit_cost", Input::Decimal);
}

/// A quote, order or invoice as stored in its document.
pub type SalesDocument = Stored<SalesDocumentFields>;

/// The fields of a [`SalesDocument`] beside the [common ones](crate::record::Common).
#[derive(
    Debug, Clone, Default, PartialEq, Reconcile, Hydrate, serde::Serialize, serde::Deserialize,
)]
pub struct SalesDocumentFields {
    #[autosurgeon(missing = "Default::default", hydrate = "hydrate_any_string")]
    pub account: String,
    #[autosurgeon(missing = "Default::default", hydrate = "hydrate_any_string")]
    pub contact: String,
    #[autosurgeon(missing = "Default::default", hydrate = "hydrate_any_string")]
    pub opportunity: String,
    #[autosurgeon(missing = "Default::default", hydrate = "hydrate_any_string")]
    pub currency: String,
    #[autosurgeon(missing = "Default::default", hydrate = "hydrate_any_string")]
    pub status: String,
    #[autosurgeon(missing = "Default::default")]
    pub lines: BTreeMap<String, LineItem>,
    /// Quotes: last day the offer holds.
    #[autosurgeon(missing = "Default::default", hydrate = "hydrate_any_string")]
    pub valid_until: String,
    /// Invoices: payment due.
    #[autosurgeon(missing = "Default::default", hydrate = "hydrate_any_string")]
    pub due_date: String,
    /// Invoices: the day it was issued.
    #[autosurgeon(missing = "Default::default", hydrate = "hydrate_any_string")]
    pub issue_date: String,
    /// Orders: the day the customer ordered, `YYYY-MM-DD`; empty means the day the
    /// order was made in Saha (an order brought in from another system keeps its own
    /// day, so analytics sees the real history).
    #[autosurgeon(missing = "Default::default", hydrate = "hydrate_any_string")]
    #[serde(default)]
    pub order_date: String,
    /// The quote an order was made from, or the order an invoice was made from.
    #[autosurgeon(missing = "Default::default", hydrate = "hydrate_any_string")]
    pub source: String,
    /// The document's number (see [`crate::sales::numbering`]): quotes and orders get
    /// one when created, invoices when issued. Empty on a quote or order made offline
    /// on a device that had no numbers left (it gets one when the device is back).
    #[autosurgeon(missing = "Default::default", hydrate = "hydrate_any_string")]
    pub number: String,
    /// Quotes: the version under this number, 1 for the first offer.
    #[autosurgeon(
        missing = "Default::default",
        hydrate = "crate::record::value::hydrate_int_or_zero"
    )]
    pub revision: i64,
    #[autosurgeon(missing = "Default::default")]
    pub history: Vec<Transition>,
}

/// The form fields of quotes, orders and invoices.
pub mod field {
    use crate::record::form::{FieldSpec, Input};

    pub const ACCOUNT: FieldSpec =
        FieldSpec::required("account", Input::Link(crate::parties::account::KIND));
    pub const CONTACT: FieldSpec =
        FieldSpec::new("contact", Input::Link(crate::parties::contact::KIND));
    pub const OPPORTUNITY: FieldSpec =
        FieldSpec::new("opportunity", Input::Link(crate::sales::opportunity::KIND));
    pub const CURRENCY: FieldSpec =
        FieldSpec::required("currency", Input::Choice(&["TRY", "USD", "EUR"]));
    pub const QUOTE_STATUS: FieldSpec = FieldSpec::required(
        "status",
        Input::Choice(&["draft", "sent", "accepted", "rejected", "revised"]),
    );
    pub const ORDER_STATUS: FieldSpec = FieldSpec::required(
        "status",
        Input::Choice(&["open", "delivered", "invoiced", "cancelled"]),
    );
    pub const VALID_UNTIL: FieldSpec = FieldSpec::new("valid_until", Input::Date);
    pub const DUE_DATE: FieldSpec = FieldSpec::new("due_date", Input::Date);
    pub const ORDER_DATE: FieldSpec = FieldSpec::new("order_date", Input::Date);
}

const QUOTE_FIELDS: &[FieldSpec] = &[
    field::ACCOUNT,
    field::CONTACT,
    field::OPPORTUNITY,
    field::CURRENCY,
    field::QUOTE_STATUS,
    field::VALID_UNTIL,
    record::COMMON_FIELDS[0],
    record::COMMON_FIELDS[1],
    record::COMMON_FIELDS[2],
];

const ORDER_FIELDS: &[FieldSpec] = &[
    field::ACCOUNT,
    field::CONTACT,
    field::CURRENCY,
    field::ORDER_STATUS,
    field::ORDER_DATE,
    record::COMMON_FIELDS[0],
    record::COMMON_FIELDS[1],
    record::COMMON_FIELDS[2],
];

/// An invoice's status changes by actions (issue, paid, cancel), not by the form; its
/// currency and account are fixed once issued.
const INVOICE_FIELDS: &[FieldSpec] = &[
    field::ACCOUNT,
    field::CURRENCY,
    field::DUE_DATE,
    record::COMMON_FIELDS[0],
    record::COMMON_FIELDS[1],
    record::COMMON_FIELDS[2],
];

impl RecordType for SalesDocument {
    const KIND: &'static str = QUOTE;
    const SCHEMA: i64 = SCHEMA_VERSION;
    const FIELDS: &'static [FieldSpec] = QUOTE_FIELDS;

    fn fields(&self) -> &'static [FieldSpec] {
        match self.common.kind.as_str() {
            ORDER => ORDER_FIELDS,
            INVOICE => INVOICE_FIELDS,
            _ => QUOTE_FIELDS,
        }
    }

    fn blank(ctx: &EditContext) -> SalesDocument {
        SalesDocument::new(QUOTE, ctx)
    }

    fn form(&self) -> Form {
        let mut form = Form::new()
            .with("account", &self.account)
            .with("contact", &self.contact)
            .with("opportunity", &self.opportunity)
            .with("currency", &self.currency)
            .with("status", &self.status)
            .with("valid_until", &self.valid_until)
            .with("due_date", &self.due_date)
            .with("order_date", &self.order_date);
        record::common_form(self, &mut form);
        form
    }

    fn apply(&mut self, form: &Form, ctx: &EditContext) -> Result<(), Problems> {
        let mut check = Checker::new(form);
        let issued = self.is_issued_invoice();
        let (account_before, currency_before) = (self.account.clone(), self.currency.clone());
        let account = check.field(&field::ACCOUNT);
        let currency = check.field(&field::CURRENCY);
        if issued {
            // An issued invoice is a legal document: its parties and amounts stay.
            if account != self.account || currency != self.currency {
                check.problem(field::ACCOUNT.name, Problem::Locked);
            }
        } else {
            self.account = account;
            self.currency = currency;
        }
        let mut status = self.status.clone();
        match self.common.kind.as_str() {
            INVOICE => self.due_date = check.field(&field::DUE_DATE),
            ORDER => {
                self.contact = check.field(&field::CONTACT);
                status = check.field(&field::ORDER_STATUS);
                self.order_date = check.field(&field::ORDER_DATE);
            }
            _ => {
                let contact = check.field(&field::CONTACT);
                let opportunity = check.field(&field::OPPORTUNITY);
                let valid_until = check.field(&field::VALID_UNTIL);
                status = check.field(&field::QUOTE_STATUS);
                if QUOTE_OPEN.contains(&self.status.as_str()) {
                    self.contact = contact;
                    self.opportunity = opportunity;
                    self.valid_until = valid_until;
                } else {
                    // An accepted or rejected offer stays as it was: a revision changes it.
                    for (spec, new, old) in [
                        (&field::ACCOUNT, &self.account, &account_before),
                        (&field::CONTACT, &contact, &self.contact),
                        (&field::OPPORTUNITY, &opportunity, &self.opportunity),
                        (&field::CURRENCY, &self.currency, &currency_before),
                        (&field::VALID_UNTIL, &valid_until, &self.valid_until),
                        (&field::QUOTE_STATUS, &status, &self.status),
                    ] {
                        if new != old {
                            check.problem(spec.name, Problem::Locked);
                        }
                    }
                }
            }
        }
        record::apply_common(&mut check, self);
        check.finish()?;
        self.set_status(&status, ctx);
        Ok(())
    }

    fn title(&self) -> String {
        if self.revision > 1 && !self.number.is_empty() {
            format!("{} R{}", self.number, self.revision)
        } else {
            self.number.clone()
        }
    }

    fn search_words(&self) -> String {
        let lines: Vec<&str> = self
            .lines
            .values()
            .map(|l| l.description.as_str())
            .collect();
        format!("{} {}", self.number, lines.join(" "))
    }

    fn account(&self) -> &str {
        &self.account
    }

    fn blank_of(kind: &str, ctx: &EditContext) -> Self {
        SalesDocument::new(kind, ctx)
    }

    fn status(&self) -> Option<String> {
        Some(self.status.clone())
    }

    fn facet(&self, today: &str) -> Option<(&'static str, String)> {
        Some(("status", self.display_status(today).to_owned()))
    }
}

impl SalesDocument {
    /// An empty document of `kind` (quote, order or invoice).
    pub fn new(kind: &str, ctx: &EditContext) -> SalesDocument {
        let mut document: SalesDocument = record::blank(kind, SCHEMA_VERSION, ctx);
        document.currency = Currency::Try.code().to_owned();
        document.status = statuses(kind)[0].to_owned();
        document.history = vec![Transition::new(ctx, "", &document.status)];
        if kind == QUOTE {
            document.revision = 1;
        }
        document
    }

    /// A quote for an opportunity: its account, contact, currency, team and owner.
    pub fn quote_for(
        opportunity_id: &str,
        opportunity: &Opportunity,
        ctx: &EditContext,
    ) -> SalesDocument {
        let mut quote = SalesDocument::new(QUOTE, ctx);
        quote.account = opportunity.account.clone();
        quote.contact = opportunity.contact.clone();
        quote.opportunity = opportunity_id.to_owned();
        quote.currency = opportunity.currency.clone();
        quote.common.team = opportunity.common.team.clone();
        quote.common.owner = opportunity.common.owner.clone();
        quote
    }

    /// The order for an accepted quote: same lines, account and currency.
    pub fn order_from(
        quote_id: &str,
        quote: &SalesDocument,
        ctx: &EditContext,
    ) -> Result<SalesDocument, EditError> {
        if quote.common.kind != QUOTE {
            return Err(EditError::Refused(WorkflowRefusal::NotAQuote));
        }
        if quote.status != "accepted" {
            return Err(EditError::Refused(WorkflowRefusal::QuoteNotAccepted));
        }
        Ok(quote.derive(ORDER, quote_id, ctx))
    }

    /// A draft invoice for an order that was not cancelled.
    pub fn invoice_from(
        order_id: &str,
        order: &SalesDocument,
        ctx: &EditContext,
    ) -> Result<SalesDocument, EditError> {
        if order.common.kind != ORDER {
            return Err(EditError::Refused(WorkflowRefusal::NotAnOrder));
        }
        if order.status == "cancelled" {
            return Err(EditError::Refused(WorkflowRefusal::OrderCancelled));
        }
        Ok(order.derive(INVOICE, order_id, ctx))
    }

    /// An order for a won opportunity: the lines of its accepted quote when it has one,
    /// else one line for the opportunity's amount.
    pub fn order_for_won(
        opportunity_id: &str,
        opportunity: &Opportunity,
        accepted_quote: Option<(&str, &SalesDocument)>,
        ctx: &EditContext,
    ) -> Result<SalesDocument, EditError> {
        if opportunity.stage != crate::sales::opportunity::WON {
            return Err(EditError::Refused(WorkflowRefusal::OpportunityNotWon));
        }
        if let Some((quote_id, quote)) = accepted_quote {
            let mut order = SalesDocument::order_from(quote_id, quote, ctx)?;
            order.opportunity = opportunity_id.to_owned();
            return Ok(order);
        }
        let mut order = SalesDocument::new(ORDER, ctx);
        order.account = opportunity.account.clone();
        order.contact = opportunity.contact.clone();
        order.opportunity = opportunity_id.to_owned();
        order.currency = opportunity.currency().code().to_owned();
        order.common.team = opportunity.common.team.clone();
        order.common.owner = opportunity.common.owner.clone();
        if !opportunity.amount().is_zero() {
            order.lines.insert(
                new_line_id(),
                LineItem {
                    position: 1,
                    product: String::new(),
                    description: opportunity.name.clone(),
                    quantity: "1".into(),
                    unit_price: opportunity.amount().to_string(),
                    discount: String::new(),
                    vat: 20,
                    unit_cost: String::new(),
                },
            );
        }
        Ok(order)
    }

    /// A new version of a quote that was sent, accepted or rejected: the same number,
    /// the next revision, the same lines, as a draft; `quote` becomes `revised`.
    pub fn revise(
        quote_id: &str,
        quote: &mut SalesDocument,
        ctx: &EditContext,
    ) -> Result<SalesDocument, EditError> {
        if quote.common.kind != QUOTE {
            return Err(EditError::Refused(WorkflowRefusal::NotAQuote));
        }
        if !["sent", "accepted", "rejected"].contains(&quote.status.as_str()) {
            return Err(EditError::Refused(WorkflowRefusal::QuoteNotRevisable));
        }
        let mut next = quote.derive(QUOTE, quote_id, ctx);
        next.number = quote.number.clone();
        next.revision = quote.revision.max(1) + 1;
        quote.set_status("revised", ctx);
        Ok(next)
    }

    /// What issuing an invoice does to the documents it came from: its order (if not
    /// cancelled) becomes `invoiced`, its opportunity (if still open) `won`. Returns
    /// whether each changed.
    pub fn after_issue(
        order: Option<&mut SalesDocument>,
        opportunity: Option<&mut Opportunity>,
        ctx: &EditContext,
    ) -> (bool, bool) {
        let order_moved = order.is_some_and(|order| {
            order.common.kind == ORDER
                && order.status != "cancelled"
                && order.set_status("invoiced", ctx)
        });
        let opportunity_won = opportunity.is_some_and(|opportunity| {
            opportunity.is_open() && opportunity.move_to(crate::sales::opportunity::WON, ctx)
        });
        (order_moved, opportunity_won)
    }

    fn derive(&self, kind: &str, source: &str, ctx: &EditContext) -> SalesDocument {
        let mut next = SalesDocument::new(kind, ctx);
        next.account = self.account.clone();
        next.contact = self.contact.clone();
        next.opportunity = self.opportunity.clone();
        next.currency = self.currency.clone();
        next.common.team = self.common.team.clone();
        next.common.owner = self.common.owner.clone();
        next.lines = self.lines.clone();
        next.source = source.to_owned();
        next
    }

    fn is_issued_invoice(&self) -> bool {
        self.common.kind == INVOICE && !self.number.is_empty()
    }

    /// Moves to `status` (one of [`statuses`] of the kind), logging the change.
    pub fn set_status(&mut self, status: &str, ctx: &EditContext) -> bool {
        if status == self.status || !statuses(&self.common.kind).contains(&status) {
            return false;
        }
        let step = Transition::new(ctx, &self.status, status);
        self.history.push(step);
        self.status = status.to_owned();
        true
    }

    /// Issues a draft invoice under `number` (from this device's reserved block) on
    /// `issue_date`. The number is never changed afterwards.
    pub fn issue(
        &mut self,
        number: &str,
        issue_date: &str,
        ctx: &EditContext,
    ) -> Result<(), EditError> {
        if self.common.kind != INVOICE {
            return Err(EditError::Refused(WorkflowRefusal::NotAnInvoice));
        }
        if !self.number.is_empty() || self.status != "draft" {
            return Err(EditError::Refused(WorkflowRefusal::InvoiceAlreadyIssued));
        }
        if self.lines.is_empty() {
            return Err(EditError::Refused(WorkflowRefusal::InvoiceHasNoLines));
        }
        self.totals()
            .map_err(|_| EditError::Refused(WorkflowRefusal::InvoiceLinesInvalid))?;
        self.number = number.to_owned();
        self.issue_date = issue_date.to_owned();
        self.set_status("issued", ctx);
        Ok(())
    }

    /// Marks an issued invoice paid (the app's "mark paid" and the API's `pay`);
    /// then [`SalesDocument::credit_loyalty`] credits its account.
    pub fn pay(&mut self, ctx: &EditContext) -> Result<(), EditError> {
        if self.common.kind != INVOICE {
            return Err(EditError::Refused(WorkflowRefusal::NotAnInvoice));
        }
        if self.status != "issued" {
            return Err(EditError::Refused(WorkflowRefusal::InvoiceNotIssued));
        }
        self.set_status("paid", ctx);
        Ok(())
    }

    /// Credits the loyalty points this paid invoice (`invoice_id`) earns to `account`
    /// (the one its `account` field names), by the workspace's programme (`per_100` points per 100 TRY of gross; TRY invoices
    /// only; once per invoice). Returns whether the account changed.
    pub fn credit_loyalty(
        &self,
        invoice_id: &str,
        account: &mut crate::parties::account::Account,
        per_100: i64,
        entry_id: String,
        ctx: &EditContext,
    ) -> bool {
        if self.common.kind != INVOICE || self.status != "paid" || self.currency() != Currency::Try
        {
            return false;
        }
        let Ok(totals) = self.totals() else {
            return false;
        };
        match crate::parties::loyalty::earn(
            &account.loyalty,
            invoice_id,
            totals.gross,
            per_100,
            entry_id,
            ctx,
        ) {
            Some(entry) => {
                account.loyalty.push(entry);
                true
            }
            None => false,
        }
    }

    /// Whether an issued invoice is past its due date on `today` (`YYYY-MM-DD`).
    pub fn is_overdue(&self, today: &str) -> bool {
        self.common.kind == INVOICE
            && self.status == "issued"
            && !self.due_date.is_empty()
            && self.due_date.as_str() < today
    }

    /// The status to show: an invoice past due shows "overdue".
    pub fn display_status(&self, today: &str) -> &str {
        if self.is_overdue(today) {
            "overdue"
        } else {
            &self.status
        }
    }

    pub fn currency(&self) -> Currency {
        Currency::from_code(&self.currency).unwrap_or(Currency::Try)
    }

    /// Lines in display order with their IDs.
    pub fn ordered_lines(&self) -> Vec<(&str, &LineItem)> {
        let mut lines: Vec<(&str, &LineItem)> =
            self.lines.iter().map(|(id, l)| (id.as_str(), l)).collect();
        lines.sort_by_key(|(id, l)| (l.position, *id));
        lines
    }

    /// Totals from the lines; the first line that cannot be priced is named by ID.
    pub fn totals(&self) -> Result<Totals, (String, LineProblem)> {
        let lines = self.ordered_lines();
        let priced: Vec<money::Line> = lines.iter().map(|(_, l)| l.money()).collect();
        money::totals(&priced).map_err(|(i, p)| (lines[i].0.to_owned(), p))
    }

    /// Whether lines may still change: not on an issued invoice, an invoiced or
    /// cancelled order, or a quote no longer on offer.
    pub fn lines_editable(&self) -> bool {
        match self.common.kind.as_str() {
            QUOTE => QUOTE_OPEN.contains(&self.status.as_str()),
            ORDER => ORDER_OPEN.contains(&self.status.as_str()),
            _ => !self.is_issued_invoice() && self.status != "cancelled",
        }
    }

    /// Adds a line priced from `product`; returns its ID. A product priced in another
    /// currency leaves the price empty for the user to fill.
    pub fn add_product_line(
        &mut self,
        line_id: &str,
        product_id: &str,
        product: &Product,
    ) -> Result<(), EditError> {
        if !self.lines_editable() {
            return Err(EditError::Refused(WorkflowRefusal::LinesLocked));
        }
        let same_currency = product.currency == self.currency;
        let line = LineItem {
            position: self.next_position(),
            product: product_id.to_owned(),
            description: product.name.clone(),
            quantity: "1".into(),
            unit_price: if same_currency {
                product.unit_price.clone()
            } else {
                String::new()
            },
            discount: String::new(),
            vat: product.vat,
            unit_cost: if same_currency {
                product.unit_cost.clone()
            } else {
                String::new()
            },
        };
        self.lines.insert(line_id.to_owned(), line);
        Ok(())
    }

    fn next_position(&self) -> i64 {
        self.lines
            .values()
            .map(|l| l.position)
            .max()
            .map_or(1, |p| p + 1)
    }

    /// Writes a line from its form (a new line if `line_id` is unknown).
    pub fn set_line(&mut self, line_id: &str, form: &Form) -> Result<(), EditError> {
        if !self.lines_editable() {
            return Err(EditError::Refused(WorkflowRefusal::LinesLocked));
        }
        let mut check = Checker::new(form);
        let [description, quantity, unit_price, discount, vat] = &line_field::ALL;
        let description = check.field(description);
        let quantity = check.field(quantity);
        let unit_price = check.field(unit_price);
        let discount_value = check.decimal(discount);
        if discount_value > Decimal::ONE_HUNDRED {
            check.problem(discount.name, Problem::PercentOutOfRange);
        }
        let vat = check.field(vat).parse().unwrap_or(20);
        check.finish().map_err(EditError::Invalid)?;
        let position = self.next_position();
        let line = self
            .lines
            .entry(line_id.to_owned())
            .or_insert_with(|| LineItem {
                position,
                ..LineItem::default()
            });
        line.description = description;
        line.quantity = quantity;
        line.unit_price = unit_price;
        line.discount = if discount_value.is_zero() {
            String::new()
        } else {
            discount_value.to_string()
        };
        line.vat = vat;
        Ok(())
    }

    /// Sets the unit cost of line `line_id` from `form`'s `unit_cost` (empty: unknown).
    pub fn set_line_cost(&mut self, line_id: &str, form: &Form) -> Result<(), EditError> {
        if !self.lines_editable() {
            return Err(EditError::Refused(WorkflowRefusal::LinesLocked));
        }
        let mut check = Checker::new(form);
        // A decimal field refuses negative numbers.
        let cost = check.field(&line_field::UNIT_COST);
        check.finish().map_err(EditError::Invalid)?;
        if let Some(line) = self.lines.get_mut(line_id) {
            line.unit_cost = cost;
        }
        Ok(())
    }

    pub fn remove_line(&mut self, line_id: &str) -> Result<bool, EditError> {
        if !self.lines_editable() {
            return Err(EditError::Refused(WorkflowRefusal::LinesLocked));
        }
        Ok(self.lines.remove(line_id).is_some())
    }
}

/// A fresh line ID: random, so lines added on two devices never collide.
pub fn new_line_id() -> String {
    uuid::Uuid::new_v4().simple().to_string()[..12].to_owned()
}

/// Today's date (`YYYY-MM-DD`, UTC) from milliseconds since the epoch.
pub fn date_of(ms: i64) -> String {
    // Civil-from-days (Howard Hinnant's algorithm).
    let days = ms.div_euclid(86_400_000);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::{create, read, write};

    fn ctx(at: i64) -> EditContext {
        EditContext {
            now_ms: at,
            user: "u1".into(),
        }
    }

    fn line(description: &str, quantity: &str, price: &str, discount: &str, vat: &str) -> Form {
        Form::new()
            .with("description", description)
            .with("quantity", quantity)
            .with("unit_price", price)
            .with("discount", discount)
            .with("vat", vat)
    }

    fn quote() -> SalesDocument {
        let mut quote = SalesDocument::new(QUOTE, &ctx(1));
        quote.account = "acc".into();
        quote
    }

    #[test]
    fn kdv_discount_and_rounding_worked_by_hand() {
        let mut q = quote();
        // 3 × 33,33 = 99,99; −10 % = 89,991 → 89,99 net; KDV 20 % = 17,998 → 18,00.
        q.set_line("a", &line("Servis", "3", "33,33", "10", "20"))
            .unwrap();
        // 2,5 × 100 = 250,00; no discount; KDV 10 % = 25,00.
        q.set_line("b", &line("Yedek parça", "2,5", "100", "", "10"))
            .unwrap();
        // 1 × 0,05 = 0,05; KDV 1 % = 0,0005 → 0,00.
        q.set_line("c", &line("Vida", "1", "0.05", "0", "1"))
            .unwrap();
        // 7 × 14,285 = 99,995 → 100,00 (half away from zero); KDV 20 % = 20,00.
        q.set_line("d", &line("Kablo", "7", "14,285", "", "20"))
            .unwrap();
        let t = q.totals().unwrap();
        let d = |units: i64| Decimal::new(units, 2);
        assert_eq!(t.net, d(8999 + 25000 + 5 + 10000));
        assert_eq!(t.vat, d(1800 + 2500 + 2000));
        assert_eq!(t.gross, t.net + t.vat);
        assert_eq!(t.by_rate[&VatRate::Twenty], (d(18999), d(3800)));
        assert_eq!(t.by_rate[&VatRate::Ten], (d(25000), d(2500)));
        assert_eq!(t.by_rate[&VatRate::One], (d(5), d(0)));
        assert_eq!(money::format_tr(t.gross, Currency::Try), "503,04 ₺");
    }

    #[test]
    fn bad_lines_are_refused_with_every_problem_and_change_nothing() {
        let mut q = quote();
        let Err(EditError::Invalid(problems)) = q.set_line("a", &line("", "x", "", "150", "18"))
        else {
            panic!("a bad line was accepted");
        };
        assert_eq!(
            problems,
            [
                ("description", Problem::Required),
                ("quantity", Problem::InvalidNumber),
                ("unit_price", Problem::Required),
                ("discount", Problem::PercentOutOfRange),
                ("vat", Problem::InvalidChoice),
            ]
        );
        assert!(q.lines.is_empty());
    }

    #[test]
    fn line_edits_on_two_devices_all_survive_the_merge() {
        let mut q = quote();
        q.set_line("a", &line("Servis", "1", "100", "", "20"))
            .unwrap();
        q.set_line("b", &line("Parça", "1", "50", "", "20"))
            .unwrap();
        let base = create(&q).unwrap();
        let (mut one, mut two) = (base.fork(), base.fork());
        // Device one: quantity of line a, and a new line.
        let mut on_one: SalesDocument = read(&one).unwrap();
        on_one
            .set_line("a", &line("Servis", "4", "100", "", "20"))
            .unwrap();
        on_one
            .set_line("c", &line("Kurulum", "1", "500", "", "20"))
            .unwrap();
        write(&mut one, &on_one).unwrap();
        // Device two: price and discount of line a, price of line b, and another line.
        let mut on_two: SalesDocument = read(&two).unwrap();
        on_two
            .set_line("a", &line("Servis", "1", "90", "5", "20"))
            .unwrap();
        on_two
            .set_line("b", &line("Parça", "1", "55", "", "20"))
            .unwrap();
        on_two
            .set_line("d", &line("Eğitim", "2", "300", "", "10"))
            .unwrap();
        write(&mut two, &on_two).unwrap();
        one.merge(&mut two).unwrap();
        let merged: SalesDocument = read(&one).unwrap();
        let a = &merged.lines["a"];
        assert_eq!(
            (
                a.quantity.as_str(),
                a.unit_price.as_str(),
                a.discount.as_str()
            ),
            ("4", "90", "5")
        );
        assert_eq!(merged.lines["b"].unit_price, "55");
        assert!(merged.lines.contains_key("c") && merged.lines.contains_key("d"));
        // 4 × 90 − 5 % = 342; 55; 500; 600 → net 1 497.
        assert_eq!(merged.totals().unwrap().net, Decimal::new(1497, 0));
    }

    #[test]
    fn quote_to_order_to_invoice() {
        let mut q = quote();
        q.set_line("a", &line("Servis", "1", "100", "", "20"))
            .unwrap();
        assert!(matches!(
            SalesDocument::order_from("Q", &q, &ctx(2)),
            Err(EditError::Refused(WorkflowRefusal::QuoteNotAccepted))
        ));
        q.set_status("accepted", &ctx(2));
        let order = SalesDocument::order_from("Q", &q, &ctx(3)).unwrap();
        assert_eq!(
            (
                order.common.kind.as_str(),
                order.status.as_str(),
                order.source.as_str()
            ),
            (ORDER, "open", "Q")
        );
        assert_eq!(order.lines, q.lines);
        let mut invoice = SalesDocument::invoice_from("O", &order, &ctx(4)).unwrap();
        assert_eq!(
            (invoice.common.kind.as_str(), invoice.status.as_str()),
            (INVOICE, "draft")
        );
        invoice.due_date = "2026-12-31".into();
        invoice
            .issue("SAH2026000000001", "2026-11-24", &ctx(5))
            .unwrap();
        assert_eq!(invoice.status, "issued");
        assert!(matches!(
            invoice.issue("SAH2026000000002", "2026-11-24", &ctx(6)),
            Err(EditError::Refused(WorkflowRefusal::InvoiceAlreadyIssued))
        ));
        // Issued: lines and parties are locked; overdue is derived from the due date.
        assert!(matches!(
            invoice.set_line("a", &line("X", "9", "1", "", "20")),
            Err(EditError::Refused(WorkflowRefusal::LinesLocked))
        ));
        let moved = invoice.form().with("account", "other");
        assert_eq!(
            invoice.apply(&moved, &ctx(7)),
            Err(vec![("account", Problem::Locked)])
        );
        assert_eq!(invoice.display_status("2026-12-31"), "issued");
        assert_eq!(invoice.display_status("2027-01-01"), "overdue");
        let doc = create(&invoice).unwrap();
        assert_eq!(crate::access::read_scope(&doc).0, INVOICE);
        assert_eq!(
            read::<SalesDocument>(&doc).unwrap().number,
            "SAH2026000000001"
        );
    }

    #[test]
    fn an_issued_invoice_is_paid_and_credits_its_account_once() {
        let mut invoice = SalesDocument::new(INVOICE, &ctx(1));
        invoice.account = "acc".into();
        invoice
            .set_line("a", &line("Servis", "1", "1000", "", "20"))
            .unwrap();
        // A draft is not paid.
        assert!(matches!(
            invoice.pay(&ctx(2)),
            Err(EditError::Refused(WorkflowRefusal::InvoiceNotIssued))
        ));
        let mut account = crate::parties::account::Account::blank(&ctx(1));
        assert!(!invoice.credit_loyalty("F1", &mut account, 10, "e1".into(), &ctx(2)));
        invoice
            .issue("FTR2026000000001", "2026-12-03", &ctx(2))
            .unwrap();
        invoice.pay(&ctx(3)).unwrap();
        assert_eq!(invoice.status, "paid");
        assert_eq!(invoice.history.last().map(|t| t.to.as_str()), Some("paid"));
        // 1 200,00 TRY gross, 10 points per 100: 120 points, once.
        assert!(invoice.credit_loyalty("F1", &mut account, 10, "e1".into(), &ctx(3)));
        assert_eq!(account.loyalty[0].points, 120);
        assert_eq!(account.loyalty[0].invoice, "F1");
        assert!(!invoice.credit_loyalty("F1", &mut account, 10, "e2".into(), &ctx(4)));
        assert!(matches!(
            invoice.pay(&ctx(4)),
            Err(EditError::Refused(WorkflowRefusal::InvoiceNotIssued))
        ));
        // Another currency earns nothing; a quote is not paid.
        let mut euro = invoice.clone();
        euro.currency = "EUR".into();
        let mut other = crate::parties::account::Account::blank(&ctx(1));
        assert!(!euro.credit_loyalty("F2", &mut other, 10, "e3".into(), &ctx(4)));
        assert!(matches!(
            quote().pay(&ctx(4)),
            Err(EditError::Refused(WorkflowRefusal::NotAnInvoice))
        ));
    }

    #[test]
    fn a_settled_quote_is_locked_and_a_revision_makes_its_next_version() {
        let mut q = quote();
        q.number = "TKL-2026-00007".into();
        q.set_line("a", &line("Servis", "1", "100", "", "20"))
            .unwrap();
        q.set_status("accepted", &ctx(2));
        assert!(!q.lines_editable());
        assert!(matches!(
            q.set_line("a", &line("Servis", "2", "100", "", "20")),
            Err(EditError::Refused(WorkflowRefusal::LinesLocked))
        ));
        // The form may still change notes, not the offer or its status.
        let form = q
            .form()
            .with("valid_until", "2027-01-31")
            .with("status", "draft");
        assert_eq!(
            q.apply(&form, &ctx(3)),
            Err(vec![
                ("valid_until", Problem::Locked),
                ("status", Problem::Locked)
            ])
        );
        let notes = q.form().with("notes", "müşteri arayacak");
        assert_eq!(q.apply(&notes, &ctx(3)), Ok(()));
        let next = SalesDocument::revise("Q1", &mut q, &ctx(4)).unwrap();
        assert_eq!(q.status, "revised");
        assert_eq!(
            (next.number.as_str(), next.revision, next.status.as_str()),
            ("TKL-2026-00007", 2, "draft")
        );
        assert_eq!(
            (next.source.as_str(), next.lines.clone()),
            ("Q1", q.lines.clone())
        );
        assert_eq!(next.title(), "TKL-2026-00007 R2");
        assert!(next.lines_editable());
        // A draft is changed, not revised; a revised quote is not revised again.
        let mut draft = quote();
        assert!(matches!(
            SalesDocument::revise("Q2", &mut draft, &ctx(5)),
            Err(EditError::Refused(WorkflowRefusal::QuoteNotRevisable))
        ));
        assert!(SalesDocument::revise("Q1", &mut q, &ctx(5)).is_err());
    }

    #[test]
    fn issuing_marks_the_order_invoiced_and_the_deal_won() {
        use crate::sales::opportunity::{Opportunity, WON};
        let mut opportunity: Opportunity = record::blank("opportunity", 1, &ctx(1));
        opportunity.name = "Filo yenileme".into();
        opportunity.account = "acc".into();
        opportunity.stage = "proposal".into();
        opportunity.amount = "125000".into();
        assert!(matches!(
            SalesDocument::order_for_won("O1", &opportunity, None, &ctx(2)),
            Err(EditError::Refused(WorkflowRefusal::OpportunityNotWon))
        ));
        let mut order = SalesDocument::new(ORDER, &ctx(2));
        assert_eq!(
            SalesDocument::after_issue(Some(&mut order), Some(&mut opportunity), &ctx(3)),
            (true, true)
        );
        assert_eq!(
            (order.status.as_str(), opportunity.stage.as_str()),
            ("invoiced", WON)
        );
        assert!(!order.lines_editable());
        // Twice changes nothing; a cancelled order stays cancelled.
        assert_eq!(
            SalesDocument::after_issue(Some(&mut order), Some(&mut opportunity), &ctx(4)),
            (false, false)
        );
        let mut cancelled = SalesDocument::new(ORDER, &ctx(2));
        cancelled.set_status("cancelled", &ctx(3));
        assert_eq!(
            SalesDocument::after_issue(Some(&mut cancelled), None, &ctx(4)),
            (false, false)
        );
        // A won deal without a quote becomes an order of one line for its amount.
        let from_deal = SalesDocument::order_for_won("O1", &opportunity, None, &ctx(5)).unwrap();
        assert_eq!(
            (from_deal.account.as_str(), from_deal.opportunity.as_str()),
            ("acc", "O1")
        );
        assert_eq!(from_deal.totals().unwrap().net, Decimal::new(125_000, 0));
        // With an accepted quote, its lines.
        let mut q = quote();
        q.set_line("a", &line("Servis", "3", "100", "", "20"))
            .unwrap();
        q.set_status("accepted", &ctx(5));
        let from_quote =
            SalesDocument::order_for_won("O1", &opportunity, Some(("Q1", &q)), &ctx(6)).unwrap();
        assert_eq!(
            (from_quote.source.as_str(), from_quote.lines.len()),
            ("Q1", 1)
        );
    }

    #[test]
    fn dates_from_milliseconds() {
        assert_eq!(date_of(0), "1970-01-01");
        assert_eq!(date_of(1_795_392_000_000), "2026-11-23");
        assert_eq!(date_of(951_782_400_000), "2000-02-29");
    }
}
