//! Serving customers: [`case`]s (complaints, requests and wishes) with SLA clocks that
//! count working time. The report that sums them up is
//! [`crate::views::service_report`].

pub mod case;
