//! Talking to customers: segments and [`campaigns`], the İYS [`consent`] log, the
//! [`loyalty`] programme and ledgers, [`surveys`] and [`special_days`].

pub mod campaigns;
pub mod consent;
pub mod loyalty;
pub mod special_days;
pub mod surveys;
