//! What is computed across records of every kind, from the [`crate::kinds::Record`]s a
//! caller holds: an account's 360° [`timeline`], the [`audience`] of segments and
//! campaigns (people, facts per account, last contacts), [`special_days`] (birthdays and
//! customer anniversaries), the [`service_report`] and the [`survey_report`].

pub mod audience;
pub mod service_report;
pub mod special_days;
pub mod survey_report;
pub mod timeline;
