//! Birthdays and customer anniversaries coming up.

use crate::i18n::Key;
use leptos::prelude::*;
use saha_core::engagement::campaign::Campaign;
use saha_core::kinds::Record;

use crate::client::now_ms;
use crate::i18n::Lang;
use crate::ui::{
    engagement::campaigns::{create_and_open, person_link},
    repo, use_lang, word,
};

/// Birthdays and customer anniversaries in the coming week, each with a greeting to
/// prepare: a campaign to the person (or the account's contacts) that goes through the
/// same consent gate as any other.
#[component]
pub fn SpecialDays() -> impl IntoView {
    let lang = use_lang();
    let records = repo().records();
    let days = Memo::new(move |_| {
        let zone = repo().service().with(|s| s.zone());
        let today = zone.local(now_ms()).date;
        records.with(|all| {
            let list: Vec<(String, &Record)> = all
                .iter()
                .map(|(id, v)| (id.to_string(), &v.record))
                .collect();
            saha_core::views::special_days::upcoming(&list, today, 7, zone)
        })
    });
    let prepare = move |day: saha_core::views::special_days::SpecialDay| {
        let lang = lang.get_untracked();
        let ctx = repo().edit_context();
        let mut c = <Campaign as saha_core::record::RecordType>::blank(&ctx);
        let (name, template) = match (day.occasion, lang) {
            (saha_core::views::special_days::Occasion::Birthday, Lang::Tr) => (
                format!("Doğum günü: {}", day.name),
                "İyi ki doğdunuz {{first_name}}! Yeni yaşınızın sağlık ve mutluluk getirmesini dileriz.".to_owned(),
            ),
            (saha_core::views::special_days::Occasion::Birthday, Lang::En) => (
                format!("Birthday: {}", day.name),
                "Happy birthday, {{first_name}}! Wishing you health and joy.".to_owned(),
            ),
            (saha_core::views::special_days::Occasion::Anniversary { years }, Lang::Tr) => (
                format!("Müşteri yıldönümü: {} ({years}. yıl)", day.name),
                format!("Sevgili {{{{first_name}}}}, {years} yıldır birlikteyiz. Güveniniz için teşekkür ederiz!"),
            ),
            (saha_core::views::special_days::Occasion::Anniversary { years }, Lang::En) => (
                format!("Customer anniversary: {} (year {years})", day.name),
                format!("Dear {{{{first_name}}}}, {years} years together. Thank you for your trust!"),
            ),
        };
        c.name = name;
        c.template = template;
        c.channel = saha_core::parties::consent::Channel::Sms;
        c.people = day.recipients.clone();
        create_and_open(c);
    };
    view! {
        <section class="page special-days">
            <h1>{move || word(lang.get(), Key::UiSpecialDays)}</h1>
            <p class="hint">{move || word(lang.get(), Key::UiSpecialDaysHint)}</p>
            {move || {
                let lang = lang.get();
                let list = days.get();
                if list.is_empty() {
                    return view! { <p class="empty">{word(lang, Key::UiNoSpecialDays)}</p> }.into_any();
                }
                view! {
                    <ul class="cards" id="special-days">
                        {list
                            .into_iter()
                            .map(|day| {
                                let what = match day.occasion {
                                    saha_core::views::special_days::Occasion::Birthday => word(lang, Key::UiBirthday),
                                    saha_core::views::special_days::Occasion::Anniversary { years } => {
                                        format!("{} ({years})", word(lang, Key::UiAnniversary))
                                    }
                                };
                                let occasion = match day.occasion {
                                    saha_core::views::special_days::Occasion::Birthday => "birthday",
                                    saha_core::views::special_days::Occasion::Anniversary { .. } => "anniversary",
                                };
                                let link = person_link(&day.id, day.kind, day.name.clone());
                                let date = crate::ui::widgets::format::format_date(lang, &day.date.to_string());
                                let can_greet = !day.recipients.is_empty() && crate::ui::me().role.can_write();
                                let chosen = day.clone();
                                view! {
                                    <li class="card" data-occasion=occasion>
                                        {link} " · " {what} " · " {date}
                                        <Show when=move || can_greet>
                                            <button
                                                class="button small"
                                                data-greet=chosen.id.clone()
                                                on:click={
                                                    let chosen = chosen.clone();
                                                    move |_| prepare(chosen.clone())
                                                }
                                            >
                                                {word(lang, Key::UiPrepareGreeting)}
                                            </button>
                                        </Show>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                }
                .into_any()
            }}
        </section>
    }
}
