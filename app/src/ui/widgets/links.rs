//! Links to records and the names lists show for records, members, teams and stages.

use leptos::prelude::*;
use saha_core::DocumentId;
use saha_core::kinds::{Record, section_of};

use crate::client::repo::RecordView;
use crate::i18n;
use crate::ui::{me, repo};

/// The URL section of each kind (`/accounts`, `/leads`, …).
/// The path of a record's page.
pub fn record_href(kind: &str, id: DocumentId) -> String {
    format!("/{}/{id}", section_of(kind))
}

/// The word for a stage: the workspace's own name, or the built-in stage's word.
pub fn stage_name(lang: i18n::Lang, code: &str) -> String {
    repo()
        .pipeline()
        .with_untracked(|stages| {
            stages
                .iter()
                .find(|s| s.code == code && !s.name.is_empty())
                .map(|s| s.name.clone())
        })
        .unwrap_or_else(|| i18n::word_for(lang, &format!("stage.{code}")))
}

/// A record's display title. Quotes, orders and invoices are named by kind, number and
/// account, since they have no name of their own.
pub fn display_title(lang: i18n::Lang, view: &RecordView) -> String {
    match &view.record {
        Record::Sales(s) => {
            let number = if s.number.is_empty() {
                format!("#{}", &view.id.to_string()[..6])
            } else {
                // With the revision of a quote after its first version.
                view.record.title()
            };
            let account = title_of_id(&s.account);
            format!(
                "{} {number} · {account}",
                i18n::word_for(lang, &format!("kind.{}", view.kind))
            )
        }
        // A call is named by its number, shown as people write it.
        Record::Call(c) => saha_core::text::validate::phone_display(&c.number),
        record => record.title(),
    }
}

/// The title of the record with ID `id` (as text), or "" if it is not here.
pub fn title_of_id(id: &str) -> String {
    let Ok(id) = id.parse::<DocumentId>() else {
        return String::new();
    };
    repo()
        .records()
        .with_untracked(|r| r.get(&id).map(|v| v.record.title()))
        .unwrap_or_default()
}

/// A team's name from the signed-in member's copy of the workspace's teams.
pub fn team_name(id: &str) -> String {
    me().workspace_teams
        .iter()
        .find(|t| t.id == id)
        .map(|t| t.name.clone())
        .unwrap_or_default()
}

pub fn person_name(id: &str) -> String {
    me().people
        .iter()
        .find(|p| p.id == id)
        .map(|p| p.name.clone())
        .unwrap_or_default()
}
