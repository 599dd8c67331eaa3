//! The product catalog record (schema version 1): what quotes are priced from.
//!
//! Products are shared by the whole workspace (no team), so only owners and admins can
//! add them (see [`crate::access`]).

use rust_decimal::Decimal;

use autosurgeon::{Hydrate, Reconcile};

use crate::record::form::{Checker, FieldSpec, Form, Problems};
use crate::record::value::hydrate_any_string;
use crate::record::{self, EditContext, RecordType, Stored};
use crate::sales::money::{Currency, VatRate};

/// Value of the `kind` field of a product document.
pub const KIND: &str = "product";
pub const SCHEMA_VERSION: i64 = 1;

/// A product as stored in its document.
pub type Product = Stored<ProductFields>;

/// The fields of a [`Product`] beside the [common ones](crate::record::Common).
#[derive(
    Debug, Clone, Default, PartialEq, Reconcile, Hydrate, serde::Serialize, serde::Deserialize,
)]
pub struct ProductFields {
    #[autosurgeon(missing = "Default::default", hydrate = "hydrate_any_string")]
    pub sku: String,
    #[autosurgeon(missing = "Default::default", hydrate = "hydrate_any_string")]
    pub name: String,
    /// Decimal text, before KDV.
    #[autosurgeon(missing = "Default::default", hydrate = "hydrate_any_string")]
    pub unit_price: String,
    #[autosurgeon(missing = "Default::default", hydrate = "hydrate_any_string")]
    pub currency: String,
    /// KDV rate in percent: 1, 10 or 20.
    #[autosurgeon(
        missing = "Default::default",
        hydrate = "crate::record::value::hydrate_int_or_zero"
    )]
    pub vat: i64,
    #[autosurgeon(missing = "Default::default", hydrate = "hydrate_any_string")]
    pub category: String,
    /// What one unit costs the company (decimal text, before KDV, in the product's
    /// currency); a line priced from the product keeps it, so its margin is known.
    #[autosurgeon(missing = "Default::default", hydrate = "hydrate_any_string")]
    #[serde(default)]
    pub unit_cost: String,
}

/// The product form's fields.
pub mod field {
    use crate::record::form::{FieldSpec, Input};

    pub const SKU: FieldSpec = FieldSpec::required("sku", Input::Text);
    pub const NAME: FieldSpec = FieldSpec::required("name", Input::Text);
    pub const UNIT_PRICE: FieldSpec = FieldSpec::required("unit_price", Input::Decimal);
    pub const CURRENCY: FieldSpec =
        FieldSpec::required("currency", Input::Choice(&["TRY", "USD", "EUR"]));
    pub const VAT: FieldSpec = FieldSpec::required("vat", Input::Choice(&["20", "10", "1"]));
    pub const CATEGORY: FieldSpec = FieldSpec::new("category", Input::Text);
    pub const UNIT_COST: FieldSpec = FieldSpec::new("unit_cost", Input::Decimal);
}

const FIELDS: &[FieldSpec] = &[
    field::SKU,
    field::NAME,
    field::UNIT_PRICE,
    field::UNIT_COST,
    field::CURRENCY,
    field::VAT,
    field::CATEGORY,
    record::COMMON_FIELDS[2],
];

impl RecordType for Product {
    const KIND: &'static str = KIND;
    const SCHEMA: i64 = SCHEMA_VERSION;
    const FIELDS: &'static [FieldSpec] = FIELDS;

    fn blank(ctx: &EditContext) -> Product {
        let mut product: Product = record::blank(KIND, SCHEMA_VERSION, ctx);
        product.common.owner.clear();
        product.currency = Currency::Try.code().to_owned();
        product.vat = 20;
        product
    }

    fn form(&self) -> Form {
        let mut form = Form::new()
            .with("sku", &self.sku)
            .with("name", &self.name)
            .with("unit_price", &self.unit_price)
            .with("unit_cost", &self.unit_cost)
            .with("currency", &self.currency)
            .with("vat", self.vat.to_string())
            .with("category", &self.category);
        record::common_form(self, &mut form);
        form
    }

    fn apply(&mut self, form: &Form, _ctx: &EditContext) -> Result<(), Problems> {
        let mut check = Checker::new(form);
        self.sku = check.field(&field::SKU);
        self.name = check.field(&field::NAME);
        self.unit_price = check.field(&field::UNIT_PRICE);
        self.unit_cost = check.field(&field::UNIT_COST);
        self.currency = check.field(&field::CURRENCY);
        self.vat = check.field(&field::VAT).parse().unwrap_or(20);
        self.category = check.field(&field::CATEGORY);
        self.common.notes = check.field(&record::COMMON_FIELDS[2]);
        check.finish()
    }

    fn title(&self) -> String {
        if self.sku.trim().is_empty() {
            self.name.clone()
        } else {
            format!("{} · {}", self.sku, self.name)
        }
    }

    fn search_words(&self) -> String {
        format!("{} {} {}", self.sku, self.name, self.category)
    }

    fn account(&self) -> &str {
        ""
    }
}

impl Product {
    pub fn unit_price(&self) -> Decimal {
        self.unit_price.parse().unwrap_or_default()
    }

    pub fn currency(&self) -> Currency {
        Currency::from_code(&self.currency).unwrap_or(Currency::Try)
    }

    pub fn vat(&self) -> VatRate {
        u32::try_from(self.vat)
            .ok()
            .and_then(VatRate::from_percent)
            .unwrap_or(VatRate::Twenty)
    }
}
