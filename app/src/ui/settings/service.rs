//! Service settings: working hours and holidays, SLA targets, contact rules, loyalty
//! tiers.

use crate::i18n::Key;
use crate::i18n::word_for;
use leptos::prelude::*;
use saha_core::time::civil::ZONES;

use crate::client::error::RepoError;
use crate::i18n;
use crate::ui::{me, repo, use_lang, word};

/// Working hours, holidays, SLA targets and the contact-frequency guard (admins).
#[component]
pub fn ServiceSettingsPage() -> impl IntoView {
    let lang = use_lang();
    let allowed = me().role.administers();
    let current = repo().service().get_untracked();
    let time_zone = RwSignal::new(current.time_zone.clone());
    let hours: Vec<RwSignal<String>> = (0..7)
        .map(|i| RwSignal::new(current.hours.get(i).cloned().unwrap_or_default()))
        .collect();
    let national = RwSignal::new(current.national_holidays);
    let holidays = RwSignal::new(current.holidays.join("\n"));
    let sla: Vec<(String, RwSignal<String>, RwSignal<String>)> =
        saha_core::service::case::Priority::ALL
            .iter()
            .map(|p| {
                let t = current
                    .sla
                    .iter()
                    .find(|t| t.priority == p.code())
                    .cloned()
                    .or_else(|| {
                        saha_core::service::case::default_sla()
                            .into_iter()
                            .find(|t| t.priority == p.code())
                    });
                let (first, resolution) = t
                    .map(|t| (t.first_response_minutes, t.resolution_minutes))
                    .unwrap_or((480, 2700));
                (
                    p.code().to_owned(),
                    RwSignal::new(first.to_string()),
                    RwSignal::new(resolution.to_string()),
                )
            })
            .collect();
    let guard_count = RwSignal::new(current.guard_count.to_string());
    let guard_days = RwSignal::new(current.guard_days.to_string());
    let topics = RwSignal::new(current.email_topics.join(", "));
    let cool_off = RwSignal::new(current.cool_off_days.to_string());
    let quiet = RwSignal::new(current.quiet_hours.clone());
    let per_100 = RwSignal::new(current.loyalty_points_per_100.to_string());
    let tiers = RwSignal::new(
        current
            .loyalty_tiers
            .iter()
            .map(|t| format!("{}:{}", t.name, t.min_points))
            .collect::<Vec<_>>()
            .join(", "),
    );
    let problems = RwSignal::new(Vec::<(&'static str, saha_core::text::validate::Problem)>::new());
    let saved = RwSignal::new(false);
    let save = {
        let hours = hours.clone();
        let sla = sla.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            saved.set(false);
            let number =
                |s: RwSignal<String>| s.get_untracked().trim().parse::<i64>().unwrap_or(-1);
            let settings = saha_core::workspace::ServiceSettings {
                time_zone: time_zone.get_untracked(),
                hours: hours.iter().map(|h| h.get_untracked()).collect(),
                national_holidays: national.get_untracked(),
                holidays: holidays
                    .get_untracked()
                    .lines()
                    .map(str::trim)
                    .filter(|l| !l.is_empty())
                    .map(str::to_owned)
                    .collect(),
                sla: sla
                    .iter()
                    .map(|(p, f, r)| saha_core::service::case::SlaTarget {
                        priority: p.clone(),
                        first_response_minutes: number(*f),
                        resolution_minutes: number(*r),
                    })
                    .collect(),
                guard_count: number(guard_count),
                guard_days: number(guard_days),
                email_topics: saha_core::record::form::split_tags(&topics.get_untracked()),
                cool_off_days: number(cool_off),
                quiet_hours: quiet.get_untracked(),
                loyalty_points_per_100: number(per_100),
                loyalty_tiers: match parse_tiers(&tiers.get_untracked()) {
                    Some(t) => t,
                    None => {
                        problems.set(vec![(
                            "loyalty",
                            saha_core::text::validate::Problem::InvalidNumber,
                        )]);
                        return;
                    }
                },
                // The reports' thresholds are set on the reports' pages.
                analytics: repo().service().with_untracked(|s| s.analytics.clone()),
            };
            wasm_bindgen_futures::spawn_local(async move {
                match repo().set_service(&settings).await {
                    Ok(()) => {
                        problems.set(Vec::new());
                        saved.set(true);
                    }
                    Err(RepoError::Invalid(found)) => problems.set(found),
                    Err(e) => {
                        web_sys::console::warn_1(&format!("{e:?}").into());
                        problems.set(vec![(
                            "service",
                            saha_core::text::validate::Problem::InvalidChoice,
                        )]);
                    }
                }
            });
        }
    };
    let problem = move |field: &'static str| {
        move || {
            problems.with(|ps| {
                ps.iter()
                    .find(|(f, _)| *f == field)
                    .map(|(_, p)| i18n::problem(lang.get(), *p))
            })
        }
    };
    if !allowed {
        return view! {
            <section class="page">
                <p class="banner" role="status">{move || word(lang.get(), Key::UiAdminsOnly)}</p>
            </section>
        }
        .into_any();
    }
    view! {
        <section class="page settings">
            <h1>{move || word(lang.get(), Key::UiServiceSettings)}</h1>
            <p class="hint">{move || word(lang.get(), Key::UiServiceSettingsHint)}</p>
            <form on:submit=save class="record-form" id="service-settings">
                <div class="field">
                    <label for="time-zone">{move || word(lang.get(), Key::FieldTimeZone)}</label>
                    <select id="time-zone" prop:value=time_zone on:change=move |ev| time_zone.set(event_target_value(&ev))>
                        {ZONES
                            .iter()
                            .map(|(name, _)| view! { <option value=*name selected=move || time_zone.get() == *name>{*name}</option> })
                            .collect_view()}
                    </select>
                    <p class="error">{problem("time_zone")}</p>
                </div>
                <fieldset>
                    <legend>{move || word(lang.get(), Key::UiWorkingHours)}</legend>
                    {hours
                        .iter()
                        .enumerate()
                        .map(|(i, h)| {
                            let h = *h;
                            let id = format!("hours-{i}");
                            view! {
                                <div class="field">
                                    <label for=id.clone()>{move || word_for(lang.get(), &format!("weekday.{i}"))}</label>
                                    <input id=id type="text" placeholder="09:00-18:00" prop:value=h on:input=move |ev| h.set(event_target_value(&ev)) />
                                </div>
                            }
                        })
                        .collect_view()}
                    <p class="error">{problem("hours")}</p>
                </fieldset>
                <label class="check">
                    <input type="checkbox" prop:checked=national on:change=move |ev| national.set(event_target_checked(&ev)) />
                    {move || word(lang.get(), Key::UiNationalHolidays)}
                </label>
                <div class="field">
                    <label for="holidays">{move || word(lang.get(), Key::UiHolidays)}</label>
                    <textarea id="holidays" rows="8" prop:value=holidays on:input=move |ev| holidays.set(event_target_value(&ev))></textarea>
                    <p class="error">{problem("holidays")}</p>
                </div>
                <fieldset>
                    <legend>{move || word(lang.get(), Key::UiSlaTargets)}</legend>
                    <table class="lines">
                        <thead>
                            <tr>
                                <th>{move || word(lang.get(), Key::FieldPriority)}</th>
                                <th>{move || word(lang.get(), Key::SlaFirstResponse)} " (" {move || word(lang.get(), Key::UiMinutesUnit)} ")"</th>
                                <th>{move || word(lang.get(), Key::SlaResolution)} " (" {move || word(lang.get(), Key::UiMinutesUnit)} ")"</th>
                            </tr>
                        </thead>
                        <tbody>
                            {sla
                                .iter()
                                .map(|(p, f, r)| {
                                    let (f, r) = (*f, *r);
                                    let key = format!("priority.{p}");
                                    let (first_label, resolution_label) = (key.clone(), key.clone());
                                    view! {
                                        <tr data-priority=p.clone()>
                                            <th scope="row">{move || word_for(lang.get(), &key)}</th>
                                            <td><input type="text" inputmode="numeric" class="sla-first" aria-label=move || format!("{}: {}", word_for(lang.get(), &first_label), word(lang.get(), Key::SlaFirstResponse)) prop:value=f on:input=move |ev| f.set(event_target_value(&ev)) /></td>
                                            <td><input type="text" inputmode="numeric" class="sla-resolution" aria-label=move || format!("{}: {}", word_for(lang.get(), &resolution_label), word(lang.get(), Key::SlaResolution)) prop:value=r on:input=move |ev| r.set(event_target_value(&ev)) /></td>
                                        </tr>
                                    }
                                })
                                .collect_view()}
                        </tbody>
                    </table>
                    <p class="error">{problem("sla")}</p>
                </fieldset>
                <fieldset>
                    <legend>{move || word(lang.get(), Key::UiFrequencyGuard)}</legend>
                    <div class="field">
                        <label for="guard-count">{move || word(lang.get(), Key::UiGuardCount)}</label>
                        <input id="guard-count" type="text" inputmode="numeric" prop:value=guard_count on:input=move |ev| guard_count.set(event_target_value(&ev)) />
                    </div>
                    <div class="field">
                        <label for="guard-days">{move || word(lang.get(), Key::UiGuardDays)}</label>
                        <input id="guard-days" type="text" inputmode="numeric" prop:value=guard_days on:input=move |ev| guard_days.set(event_target_value(&ev)) />
                    </div>
                    <p class="error">{problem("guard")}</p>
                </fieldset>
                <fieldset>
                    <legend>{move || word(lang.get(), Key::UiContactRules)}</legend>
                    <div class="field">
                        <label for="cool-off">{move || word(lang.get(), Key::UiCoolOffDays)}</label>
                        <input id="cool-off" type="text" inputmode="numeric" prop:value=cool_off on:input=move |ev| cool_off.set(event_target_value(&ev)) />
                        <p class="error">{problem("cool_off_days")}</p>
                    </div>
                    <div class="field">
                        <label for="quiet-hours">{move || word(lang.get(), Key::UiQuietHours)}</label>
                        <input id="quiet-hours" type="text" placeholder="21:00-09:00" prop:value=quiet on:input=move |ev| quiet.set(event_target_value(&ev)) />
                        <p class="error">{problem("quiet_hours")}</p>
                    </div>
                </fieldset>
                <fieldset>
                    <legend>{move || word(lang.get(), Key::UiLoyaltyRules)}</legend>
                    <div class="field">
                        <label for="points-per-100">{move || word(lang.get(), Key::UiPointsPer100)}</label>
                        <input id="points-per-100" type="text" inputmode="numeric" prop:value=per_100 on:input=move |ev| per_100.set(event_target_value(&ev)) />
                    </div>
                    <div class="field">
                        <label for="loyalty-tiers">{move || word(lang.get(), Key::UiTiers)}</label>
                        <input id="loyalty-tiers" type="text" prop:value=tiers on:input=move |ev| tiers.set(event_target_value(&ev)) />
                    </div>
                    <p class="error">{problem("loyalty")}</p>
                </fieldset>
                <div class="field">
                    <label for="email-topics">{move || word(lang.get(), Key::UiEmailTopics)}</label>
                    <input id="email-topics" type="text" prop:value=topics on:input=move |ev| topics.set(event_target_value(&ev)) />
                </div>
                <div class="actions">
                    <button type="submit" class="button primary">{move || word(lang.get(), Key::UiSave)}</button>
                </div>
                <Show when=move || saved.get()>
                    <p class="banner" role="status">{move || word(lang.get(), Key::UiSaved)}</p>
                </Show>
            </form>
        </section>
    }
    .into_any()
}

/// Parses `Bronz:0, Gümüş:1000`.
fn parse_tiers(text: &str) -> Option<Vec<saha_core::parties::loyalty::Tier>> {
    let mut tiers = Vec::new();
    for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let (name, points) = part.rsplit_once(':')?;
        let name = name.trim();
        let min_points: i64 = points.trim().parse().ok()?;
        if name.is_empty() || min_points < 0 {
            return None;
        }
        tiers.push(saha_core::parties::loyalty::Tier {
            name: name.to_owned(),
            min_points,
        });
    }
    Some(tiers)
}
