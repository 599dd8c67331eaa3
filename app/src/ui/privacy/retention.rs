//! The retention policy, on `/settings/privacy` (owners, admins and privacy officers):
//! which rules are on and after how many months, how often the server runs them
//! ([`saha_core::privacy::retention`]), what a run would erase now, a run on demand, and
//! the log of runs. The runs happen on the server; this device then drops what they
//! erased ([`crate::client::repo::Repo::take_erasures`]), the others at their next sync.

use leptos::prelude::*;
use saha_core::api::ApiErrorCode;
use saha_core::privacy::retention::{
    DEFAULT_INTERVAL_DAYS, Due, MAX_INTERVAL_DAYS, MAX_MONTHS, RetentionPolicy, RetentionRun,
    RetentionState, Rule,
};

use crate::client::http;
use crate::i18n::{self, Fmt, Key, word_for};
use crate::ui::widgets::format::format_time;
use crate::ui::{repo, tr, use_lang};

const PATH: &str = "/api/privacy/retention";

fn rule_key(rule: Rule) -> Key {
    match rule {
        Rule::IdleLeads => Key::PrivacyKeepIdleLeads,
        Rule::FormerCustomers => Key::PrivacyKeepFormerCustomers,
        Rule::CallLogs => Key::PrivacyKeepCallLogs,
    }
}

/// The months a rule starts with when it is switched on.
fn suggested_months(rule: Rule) -> u32 {
    match rule {
        Rule::IdleLeads => 24,
        Rule::FormerCustomers => 120,
        Rule::CallLogs => 36,
    }
}

/// A rule's row: on or off, and its months.
#[derive(Clone, Copy)]
struct RuleInput {
    rule: Rule,
    on: RwSignal<bool>,
    months: RwSignal<String>,
}

/// The policy the form's inputs say, if every number is one.
fn policy_of(rules: &[RuleInput], interval: &str) -> Option<RetentionPolicy> {
    let mut policy = RetentionPolicy {
        interval_days: interval.trim().parse().ok()?,
        ..RetentionPolicy::default()
    };
    for input in rules {
        let months = if input.on.get_untracked() {
            Some(input.months.get_untracked().trim().parse::<u32>().ok()?)
        } else {
            None
        };
        match input.rule {
            Rule::IdleLeads => policy.idle_leads_months = months,
            Rule::FormerCustomers => policy.former_customers_months = months,
            Rule::CallLogs => policy.call_logs_months = months,
        }
    }
    Some(policy)
}

/// The retention section of the privacy settings page.
#[component]
pub fn RetentionSection() -> impl IntoView {
    let lang = use_lang();
    let state = RwSignal::new(None::<RetentionState>);
    let rules: Vec<RuleInput> = Rule::ALL
        .iter()
        .map(|rule| RuleInput {
            rule: *rule,
            on: RwSignal::new(false),
            months: RwSignal::new(suggested_months(*rule).to_string()),
        })
        .collect();
    let rules = StoredValue::new(rules);
    let interval = RwSignal::new(DEFAULT_INTERVAL_DAYS.to_string());
    let due = RwSignal::new(None::<Vec<Due>>);
    let runs = RwSignal::new(Vec::<RetentionRun>::new());
    let ran = RwSignal::new(None::<RetentionRun>);
    let saved = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiErrorCode>);
    let busy = RwSignal::new(false);

    let show = move |s: RetentionState| {
        for input in rules.get_value() {
            let months = s.policy.months(input.rule);
            input.on.set(months.is_some());
            if let Some(m) = months {
                input.months.set(m.to_string());
            }
        }
        interval.set(s.policy.interval_days.to_string());
        state.set(Some(s));
    };
    let load_runs = move || {
        wasm_bindgen_futures::spawn_local(async move {
            if let Ok(list) = http::get::<Vec<RetentionRun>>(&format!("{PATH}/runs")).await {
                runs.set(list);
            }
        });
    };
    wasm_bindgen_futures::spawn_local(async move {
        match http::get::<RetentionState>(PATH).await {
            Ok(s) => show(s),
            Err(e) => error.set(Some(e.code())),
        }
    });
    load_runs();

    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        saved.set(false);
        due.set(None);
        let Some(policy) =
            policy_of(&rules.get_value(), &interval.get_untracked()).filter(|p| p.check().is_ok())
        else {
            error.set(Some(ApiErrorCode::InvalidInput));
            return;
        };
        busy.set(true);
        error.set(None);
        wasm_bindgen_futures::spawn_local(async move {
            match http::send::<_, RetentionState>("PUT", PATH, &policy).await {
                Ok(s) => {
                    show(s);
                    saved.set(true);
                }
                Err(e) => error.set(Some(e.code())),
            }
            busy.set(false);
        });
    };
    let preview = move |_| {
        busy.set(true);
        error.set(None);
        ran.set(None);
        wasm_bindgen_futures::spawn_local(async move {
            match http::get::<Vec<Due>>(&format!("{PATH}/preview")).await {
                Ok(list) => due.set(Some(list)),
                Err(e) => error.set(Some(e.code())),
            }
            busy.set(false);
        });
    };
    let run = move |_| {
        busy.set(true);
        error.set(None);
        wasm_bindgen_futures::spawn_local(async move {
            match http::post::<_, RetentionRun>(&format!("{PATH}/runs"), &()).await {
                Ok(done) => {
                    // This device drops what the run erased now, not at its next sync.
                    if let Err(e) = repo().take_erasures().await {
                        leptos::logging::warn!("erased documents not dropped yet: {e}");
                    }
                    due.set(None);
                    ran.set(Some(done));
                    load_runs();
                    if let Ok(s) = http::get::<RetentionState>(PATH).await {
                        show(s);
                    }
                }
                Err(e) => error.set(Some(e.code())),
            }
            busy.set(false);
        });
    };

    let rule_rows = move || {
        rules
            .get_value()
            .into_iter()
            .map(|input| {
                let code = input.rule.code();
                view! {
                    <div class="field retention-rule" data-rule=code>
                        <label>
                            <input
                                type="checkbox"
                                id=format!("retention-{code}-on")
                                prop:checked=input.on
                                on:change=move |ev| input.on.set(event_target_checked(&ev))
                            />
                            " " {tr(rule_key(input.rule))}
                        </label>
                        <label class="inline">
                            {tr(Key::PrivacyKeepAfter)} " "
                            <input
                                type="number"
                                inputmode="numeric"
                                min="1"
                                max=MAX_MONTHS.to_string()
                                id=format!("retention-{code}-months")
                                disabled=move || !input.on.get()
                                prop:value=input.months
                                on:input=move |ev| input.months.set(event_target_value(&ev))
                            />
                        </label>
                    </div>
                }
            })
            .collect_view()
    };
    let schedule = move || {
        state.get().map(|s| {
            let lang = lang.get();
            let mut lines = Vec::new();
            match s.next_run {
                Some(at) => lines.push(
                    Fmt::PrivacyKeepNext
                        .format(lang, &[("at", format_time(lang, at).as_str().into())]),
                ),
                None => lines.push(i18n::word(lang, Key::PrivacyKeepOff)),
            }
            if let Some(at) = s.last_run {
                lines.push(
                    Fmt::PrivacyKeepLast
                        .format(lang, &[("at", format_time(lang, at).as_str().into())]),
                );
            }
            lines.join(" · ")
        })
    };
    let due_list = move || {
        due.get().map(|list| {
            if list.is_empty() {
                return view! { <p class="empty" id="retention-none-due">{tr(Key::PrivacyKeepNoneDue)}</p> }
                    .into_any();
            }
            let count = list.len();
            let rows = list
                .into_iter()
                .map(|d| {
                    let kind_key = format!("kind.{}", d.kind);
                    let when = move || {
                        Fmt::PrivacyKeepLastActivity.format(
                            lang.get(),
                            &[("at", format_time(lang.get(), d.last_activity).as_str().into())],
                        )
                    };
                    view! {
                        <li class="card" data-id=d.id.clone() data-rule=d.rule.code()>
                            <span>{d.title.clone()}</span>
                            " · " {move || word_for(lang.get(), &kind_key)}
                            " · " {tr(rule_key(d.rule))}
                            " · " <small>{when}</small>
                        </li>
                    }
                })
                .collect_view();
            view! {
                <ul class="cards compact" id="retention-due">{rows}</ul>
                <button type="button" class="button danger" id="retention-run"
                    disabled=move || busy.get() on:click=run>
                    {move || Fmt::PrivacyKeepRun.format(lang.get(), &[("count", count.into())])}
                </button>
            }
            .into_any()
        })
    };
    let run_rows = move || {
        runs.get()
            .into_iter()
            .map(|r| {
                let words = move || {
                    let lang = lang.get();
                    let by = if r.by.is_empty() {
                        i18n::word(lang, Key::PrivacyKeepScheduled)
                    } else {
                        r.by.clone()
                    };
                    Fmt::PrivacyKeepRunEntry.format(
                        lang,
                        &[
                            ("at", format_time(lang, r.at).as_str().into()),
                            ("by", by.as_str().into()),
                            ("erased", r.erased.len().into()),
                            ("anonymised", r.anonymised.into()),
                        ],
                    )
                };
                view! { <li data-id=r.id.clone()>{words}</li> }
            })
            .collect_view()
    };

    view! {
        <section class="card-section" id="privacy-retention">
            <h2>{tr(Key::PrivacyKeepTitle)}</h2>
            <p class="hint">{tr(Key::PrivacyKeepHint)}</p>
            <form class="form" id="retention-form" on:submit=save>
                {rule_rows}
                <div class="field">
                    <label for="retention-interval">{tr(Key::PrivacyKeepInterval)}</label>
                    <input
                        type="number"
                        inputmode="numeric"
                        min="1"
                        max=MAX_INTERVAL_DAYS.to_string()
                        id="retention-interval"
                        prop:value=interval
                        on:input=move |ev| interval.set(event_target_value(&ev))
                    />
                </div>
                <div class="actions">
                    <button type="submit" class="button" id="retention-save" disabled=move || busy.get()>
                        {tr(Key::PrivacyKeepSave)}
                    </button>
                </div>
            </form>
            <Show when=move || saved.get()>
                <p class="banner" role="status" id="retention-saved">{tr(Key::PrivacyKeepSaved)}</p>
            </Show>
            <p class="hint" id="retention-schedule">{schedule}</p>
            <button type="button" class="button" id="retention-preview"
                disabled=move || busy.get() on:click=preview>
                {tr(Key::PrivacyKeepPreview)}
            </button>
            {due_list}
            <Show when=move || ran.with(Option::is_some)>
                <p class="notice" role="status" id="retention-ran">
                    {move || ran.get().map(|r| Fmt::PrivacyKeepRan.format(
                        lang.get(),
                        &[("erased", r.erased.len().into()), ("anonymised", r.anonymised.into())],
                    ))}
                </p>
            </Show>
            <Show when=move || error.with(Option::is_some)>
                <p class="error" role="alert" id="retention-error">
                    {move || error.get().map(|code| i18n::api_error(lang.get(), code)).unwrap_or_default()}
                </p>
            </Show>
            <h3>{tr(Key::PrivacyKeepRuns)}</h3>
            <Show when=move || runs.with(Vec::is_empty)>
                <p class="empty">{tr(Key::PrivacyKeepNoRuns)}</p>
            </Show>
            <ul class="entries" id="retention-runs">{run_rows}</ul>
        </section>
    }
}
