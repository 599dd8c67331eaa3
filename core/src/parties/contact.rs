//! The contact record: a person at an account (schema version 1).

use autosurgeon::{Hydrate, Reconcile};

use crate::record::form::{Checker, FieldSpec, Form, Problems};
use crate::record::value::hydrate_any_string;
use crate::record::{self, EditContext, RecordType, Stored};

/// Value of the `kind` field of a contact document.
pub const KIND: &str = "contact";
pub const SCHEMA_VERSION: i64 = 1;

/// A contact as stored in its document.
pub type Contact = Stored<ContactFields>;

/// The fields of a [`Contact`] beside the [common ones](crate::record::Common).
#[derive(
    Debug, Clone, Default, PartialEq, Reconcile, Hydrate, serde::Serialize, serde::Deserialize,
)]
pub struct ContactFields {
    #[autosurgeon(missing = "Default::default", hydrate = "hydrate_any_string")]
    pub name: String,
    /// Document ID of the account the person works at.
    #[autosurgeon(missing = "Default::default", hydrate = "hydrate_any_string")]
    pub account: String,
    /// Role or title at the account.
    #[autosurgeon(missing = "Default::default", hydrate = "hydrate_any_string")]
    pub title: String,
    #[autosurgeon(missing = "Default::default", hydrate = "hydrate_any_string")]
    pub phone: String,
    #[autosurgeon(missing = "Default::default", hydrate = "hydrate_any_string")]
    pub mobile: String,
    #[autosurgeon(missing = "Default::default", hydrate = "hydrate_any_string")]
    pub email: String,
    #[autosurgeon(missing = "Default::default", hydrate = "hydrate_any_string")]
    pub birthday: String,
    /// The İYS consent log ([`crate::parties::consent`]); only grows.
    #[autosurgeon(missing = "Default::default")]
    pub consents: Vec<crate::parties::consent::ConsentEvent>,
}

/// The contact form's fields.
pub mod field {
    use crate::record::form::{FieldSpec, Input};

    pub const NAME: FieldSpec = FieldSpec::required("name", Input::Text);
    pub const ACCOUNT: FieldSpec =
        FieldSpec::new("account", Input::Link(crate::parties::account::KIND));
    pub const TITLE: FieldSpec = FieldSpec::new("title", Input::Text);
    pub const PHONE: FieldSpec = FieldSpec::new("phone", Input::Phone);
    pub const MOBILE: FieldSpec = FieldSpec::new("mobile", Input::Phone);
    pub const EMAIL: FieldSpec = FieldSpec::new("email", Input::Email);
    pub const BIRTHDAY: FieldSpec = FieldSpec::new("birthday", Input::Date);
}

const FIELDS: &[FieldSpec] = &[
    field::NAME,
    field::ACCOUNT,
    field::TITLE,
    field::PHONE,
    field::MOBILE,
    field::EMAIL,
    field::BIRTHDAY,
    record::COMMON_FIELDS[0],
    record::COMMON_FIELDS[1],
    record::COMMON_FIELDS[2],
];

impl RecordType for Contact {
    const KIND: &'static str = KIND;
    const SCHEMA: i64 = SCHEMA_VERSION;
    const FIELDS: &'static [FieldSpec] = FIELDS;

    fn blank(ctx: &EditContext) -> Contact {
        record::blank(KIND, SCHEMA_VERSION, ctx)
    }

    fn form(&self) -> Form {
        let mut form = Form::new()
            .with("name", &self.name)
            .with("account", &self.account)
            .with("title", &self.title)
            .with("phone", &self.phone)
            .with("mobile", &self.mobile)
            .with("email", &self.email)
            .with("birthday", &self.birthday);
        record::common_form(self, &mut form);
        form
    }

    fn apply(&mut self, form: &Form, _ctx: &EditContext) -> Result<(), Problems> {
        let mut check = Checker::new(form);
        self.name = check.field(&field::NAME);
        self.account = check.field(&field::ACCOUNT);
        self.title = check.field(&field::TITLE);
        self.phone = check.field(&field::PHONE);
        self.mobile = check.field(&field::MOBILE);
        self.email = check.field(&field::EMAIL);
        self.birthday = check.field(&field::BIRTHDAY);
        record::apply_common(&mut check, self);
        check.finish()
    }

    fn title(&self) -> String {
        self.name.clone()
    }

    fn search_words(&self) -> String {
        format!(
            "{} {} {} {} {}",
            self.name, self.title, self.email, self.phone, self.mobile
        )
    }

    fn account(&self) -> &str {
        &self.account
    }
}
