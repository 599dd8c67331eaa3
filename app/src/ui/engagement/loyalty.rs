//! An account's loyalty points ledger.

use crate::i18n::Key;
use leptos::prelude::*;
use saha_core::DocumentId;
use saha_core::kinds::Record;
use saha_core::record::WorkflowRefusal;
use saha_core::text::validate::Problem;

use crate::client::error::RepoError;
use crate::i18n;
use crate::ui::{
    me, repo, use_lang,
    widgets::{format::local_text, links::person_name},
    word,
};

/// An account's loyalty: tier, points, a redemption form and the ledger.
#[component]
pub fn LoyaltyPanel(id: DocumentId) -> impl IntoView {
    let lang = use_lang();
    let records = repo().records();
    let ledger = Memo::new(move |_| {
        records.with(|all| match all.get(&id).map(|v| &v.record) {
            Some(Record::Account(a)) => a.loyalty.clone(),
            _ => Vec::new(),
        })
    });
    let points = RwSignal::new(String::new());
    let note = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<Problem>);
    // Checked first; redeeming cannot be undone, so it is asked before it is written.
    let asking = RwSignal::new(false);
    let check = move || {
        saha_core::parties::loyalty::redeem(
            &ledger.get_untracked(),
            &points.get_untracked(),
            &note.get_untracked(),
            DocumentId::random().to_string(),
            &repo().edit_context(),
        )
    };
    let redeem = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match check() {
            Err(p) => problem.set(Some(p)),
            Ok(_) => {
                problem.set(None);
                asking.set(true);
            }
        }
    };
    let confirmed = move || match check() {
        Err(p) => problem.set(Some(p)),
        Ok(entry) => {
            problem.set(None);
            wasm_bindgen_futures::spawn_local(async move {
                let stored = repo()
                    .update(id, |record| match record {
                        Record::Account(a) => {
                            a.loyalty.push(entry);
                            Ok(())
                        }
                        _ => Err(RepoError::Workflow(WorkflowRefusal::NotARecord)),
                    })
                    .await;
                if stored.is_ok() {
                    points.set(String::new());
                    note.set(String::new());
                }
            });
        }
    };
    let question = Signal::derive(move || {
        let amount = points.get().trim().parse::<i64>().unwrap_or(0);
        crate::i18n::Fmt::ConfirmRedeem.format(lang.get(), &[("points", amount.into())])
    });
    let summary = move || {
        let lang = lang.get();
        let b = saha_core::parties::loyalty::balance(&ledger.get());
        let tiers = repo().service().with(|s| s.loyalty_tiers.clone());
        let tier = saha_core::parties::loyalty::tier(&tiers, b.earned)
            .map(|t| t.name.clone())
            .unwrap_or_default();
        view! {
            <p>
                <span class="badge" id="loyalty-tier">{tier}</span> " "
                <strong id="loyalty-points">{b.points()}</strong> " " {word(lang, Key::UiPoints)}
                " · " {word(lang, Key::UiPointsEarned)} " " {b.earned}
            </p>
            <Show when=move || { b.points() < 0 }>
                <p class="banner" role="status">{word(lang, Key::UiPointsNegative)}</p>
            </Show>
        }
    };
    let writer = me().role.can_write();
    view! {
        <section class="loyalty" id="loyalty">
            <h2>{move || word(lang.get(), Key::UiLoyalty)}</h2>
            {summary}
            <Show when=move || writer>
                <form class="inline-form no-print" id="redeem-form" on:submit=redeem>
                    <input id="redeem-points" type="text" inputmode="numeric" placeholder=move || word(lang.get(), Key::UiPoints) prop:value=points on:input=move |ev| points.set(event_target_value(&ev)) />
                    <input id="redeem-note" type="text" placeholder=move || word(lang.get(), Key::UiRedeemNote) prop:value=note on:input=move |ev| note.set(event_target_value(&ev)) />
                    <button type="submit" class="button" id="redeem">{move || word(lang.get(), Key::UiRedeem)}</button>
                    <p class="error" id="redeem-error">{move || problem.get().map(|p| i18n::problem(lang.get(), p))}</p>
                </form>
                <crate::ui::widgets::dialog::ConfirmSheet
                    open=asking
                    id="redeem"
                    label=Key::UiRedeem
                    question=question
                    on_confirm=Callback::new(move |()| confirmed())
                />
            </Show>
            <details>
                <summary>{move || word(lang.get(), Key::UiLedger)}</summary>
                <ol class="ledger">
                    {move || {
                        let lang = lang.get();
                        let counted: Vec<LedgerRow> = saha_core::parties::loyalty::counted(&ledger.get())
                            .into_iter()
                            .rev()
                            .map(|e| (e.at, e.points, e.note.clone(), e.by.clone()))
                            .collect();
                        counted
                            .into_iter()
                            .map(|(at, pts, note, by)| view! {
                                <li data-points=pts.to_string()>
                                    {local_text(lang, saha_core::time::civil::Zone::istanbul().local(at))}
                                    " · " {format!("{pts:+}")} " · " {note} " · " {person_name(&by)}
                                </li>
                            })
                            .collect_view()
                    }}
                </ol>
            </details>
        </section>
    }
}

/// A ledger row as shown: when, points, note, who.
type LedgerRow = (i64, i64, String, String);

/// The loyalty programme: its rules, how many members each tier holds, and the members
/// (accounts with points) by balance, each linking to its account.
#[component]
pub fn LoyaltyPage() -> impl IntoView {
    let lang = use_lang();
    let records = repo().records();
    let service = repo().service();
    // (account ID, name, points, earned, tier)
    let members = Memo::new(move |_| {
        let tiers = service.with(|s| s.loyalty_tiers.clone());
        records.with(|all| {
            let mut members: Vec<(DocumentId, String, i64, i64, String)> = all
                .values()
                .filter_map(|v| match &v.record {
                    Record::Account(a) if !a.loyalty.is_empty() && !a.common.is_archived() => {
                        let b = saha_core::parties::loyalty::balance(&a.loyalty);
                        let tier = saha_core::parties::loyalty::tier(&tiers, b.earned)
                            .map(|t| t.name.clone())
                            .unwrap_or_default();
                        Some((v.id, a.name.clone(), b.points(), b.earned, tier))
                    }
                    _ => None,
                })
                .collect();
            members.sort_by(|a, b| b.2.cmp(&a.2).then_with(|| a.1.cmp(&b.1)));
            members
        })
    });
    let tiers = move || {
        let lang = lang.get();
        let mut tiers = service.with(|s| s.loyalty_tiers.clone());
        tiers.sort_by_key(|t| t.min_points);
        let members = members.get();
        tiers
            .into_iter()
            .map(|t| {
                let count = members.iter().filter(|m| m.4 == t.name).count();
                let from = crate::i18n::number(lang, t.min_points);
                view! {
                    <dt>{t.name.clone()} " (" {from} "+)"</dt>
                    <dd data-tier=t.name.clone()>{count}</dd>
                }
            })
            .collect_view()
    };
    view! {
        <section class="page" id="loyalty-page">
            <h1>{move || word(lang.get(), Key::UiLoyaltyRules)}</h1>
            <p class="hint">
                {move || word(lang.get(), Key::UiPointsPer100)} ": "
                {move || service.with(|s| s.loyalty_points_per_100)}
            </p>
            <h2>{move || word(lang.get(), Key::UiLoyaltyTiers)}</h2>
            <dl class="facts" id="loyalty-tiers">{tiers}</dl>
            <h2>{move || word(lang.get(), Key::UiLoyaltyMembers)} " (" {move || members.with(Vec::len)} ")"</h2>
            <Show
                when=move || members.with(|m| !m.is_empty())
                fallback=move || view! { <p class="empty">{move || word(lang.get(), Key::UiLoyaltyNoMembers)}</p> }
            >
                <ul class="cards" id="loyalty-members">
                    <For each=move || members.get() key=|m| m.clone() let((id, name, points, earned, tier))>
                        <li class="card" data-points=points.to_string()>
                            <leptos_router::components::A href=crate::ui::widgets::links::record_href("account", id)>
                                <span class="card-title">{name}</span>
                                <span class="badge">{tier}</span>
                                <span class="card-meta">
                                    <strong>{crate::i18n::number(lang.get_untracked(), points)}</strong> " " {move || word(lang.get(), Key::UiPoints)}
                                    " · " {move || word(lang.get(), Key::UiPointsEarned)} " " {crate::i18n::number(lang.get_untracked(), earned)}
                                </span>
                            </leptos_router::components::A>
                        </li>
                    </For>
                </ul>
            </Show>
        </section>
    }
}
