//! Getting around: one list of the app's areas, shown as a bottom tab bar and a menu
//! page on a phone (every area within two taps) and as a side rail on a tablet or a
//! desktop.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

use crate::i18n::{self, Key};
use crate::ui::use_lang;

/// One place in the app.
#[derive(Clone, Copy)]
struct Area {
    href: &'static str,
    key: Key,
}

/// Areas that belong together, under a heading.
struct Group {
    key: Key,
    areas: &'static [Area],
}

const fn area(href: &'static str, key: Key) -> Area {
    Area { href, key }
}

/// Every area, grouped as the menu and the rail show them.
const GROUPS: &[Group] = &[
    Group {
        key: Key::NavGroupDay,
        areas: &[
            area("/today", Key::UiMyDay),
            area("/tasks", Key::KindsTask),
            area("/calls", Key::KindsCall),
            area("/calendar", Key::UiCalendar),
            area("/meetings", Key::KindsMeeting),
        ],
    },
    Group {
        key: Key::NavGroupCustomers,
        areas: &[
            area("/accounts", Key::KindsAccount),
            area("/contacts", Key::KindsContact),
            area("/special-days", Key::UiSpecialDays),
            area("/reports/customers", Key::UiCustomersReport),
        ],
    },
    Group {
        key: Key::NavGroupSales,
        areas: &[
            area("/leads", Key::KindsLead),
            area("/opportunities", Key::KindsOpportunity),
            area("/pipeline", Key::UiPipeline),
            area("/quotes", Key::KindsQuote),
            area("/orders", Key::KindsOrder),
            area("/invoices", Key::KindsInvoice),
            area("/products", Key::KindsProduct),
            area("/reports/profit", Key::UiProfitReport),
            area("/reports/demand", Key::UiDemandReport),
            area("/reports/performance", Key::UiPerformanceReport),
        ],
    },
    Group {
        key: Key::NavGroupService,
        areas: &[
            area("/cases", Key::KindsCase),
            area("/reports/service", Key::UiServiceReport),
        ],
    },
    Group {
        key: Key::NavGroupMarketing,
        areas: &[
            area("/segments", Key::KindsSegment),
            area("/campaigns", Key::KindsCampaign),
            area("/consents", Key::UiIysPage),
            area("/loyalty", Key::UiLoyaltyRules),
            area("/surveys", Key::UiSurveys),
        ],
    },
    Group {
        key: Key::Settings,
        areas: &[area("/settings", Key::Settings)],
    },
];

/// The phone's tab bar: the four places a rep goes most, and the menu with the rest.
const TABS: [(&str, Key, &str); 5] = [
    ("/today", Key::UiMyDay, "◷"),
    ("/accounts", Key::KindsAccount, "◉"),
    ("/pipeline", Key::NavPipeline, "▤"),
    ("/search", Key::NavSearch, "⌕"),
    ("/menu", Key::NavMenu, "☰"),
];

/// The bottom tab bar (phones; hidden on wider screens by the stylesheet).
#[component]
pub fn TabBar() -> impl IntoView {
    let lang = use_lang();
    view! {
        <nav class="tabs" aria-label=move || i18n::word(lang.get(), Key::NavMain)>
            {TABS
                .into_iter()
                .map(|(href, key, icon)| {
                    view! {
                        <A href=href>
                            <span class="icon" aria-hidden="true">{icon}</span>
                            <span class="label">{move || i18n::word(lang.get(), key)}</span>
                        </A>
                    }
                })
                .collect_view()}
        </nav>
    }
}

/// Every group of areas as lists of links.
#[component]
fn Groups() -> impl IntoView {
    let lang = use_lang();
    GROUPS
        .iter()
        .map(|group| {
            let heading = group.key;
            view! {
                <section class="nav-group">
                    <h2>{move || i18n::word(lang.get(), heading)}</h2>
                    <ul>
                        {group
                            .areas
                            .iter()
                            .map(|a| {
                                let key = a.key;
                                view! {
                                    <li>
                                        <A href=a.href>{move || i18n::word(lang.get(), key)}</A>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                </section>
            }
        })
        .collect_view()
}

/// The side rail (tablets and desktops; hidden on phones by the stylesheet).
#[component]
pub fn Rail() -> impl IntoView {
    let lang = use_lang();
    view! {
        <nav class="rail" aria-label=move || i18n::word(lang.get(), Key::NavAreas)>
            <Groups />
        </nav>
    }
}

/// The menu page (`/menu`): every area, grouped, one tap away.
#[component]
pub fn MenuPage() -> impl IntoView {
    let lang = use_lang();
    view! {
        <section class="page">
            <h1>{move || i18n::word(lang.get(), Key::NavMenu)}</h1>
            <nav class="menu" aria-label=move || i18n::word(lang.get(), Key::NavAreas)>
                <Groups />
            </nav>
        </section>
    }
}

/// Shows `children` when the URL's `:section` names a kind of record, and the
/// not-found page otherwise (a mistyped or outdated link is not an account list).
#[component]
pub fn KnownSection(children: ChildrenFn) -> impl IntoView {
    let params = use_params_map();
    let known = Memo::new(move |_| {
        params.with(|p| {
            p.get("section")
                .is_some_and(|s| saha_core::kinds::kind_of_section(&s).is_some())
        })
    });
    view! {
        <Show when=move || known.get() fallback=|| view! { <crate::ui::widgets::feedback::NotFound /> }>
            {children()}
        </Show>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_record_section_is_in_the_menu() {
        let hrefs: Vec<&str> = GROUPS
            .iter()
            .flat_map(|g| g.areas.iter().map(|a| a.href))
            .collect();
        for info in saha_core::kinds::KIND_INFO {
            let href = format!("/{}", info.section);
            assert!(hrefs.contains(&href.as_str()), "{href} is not in the menu");
        }
        for (href, _, _) in TABS {
            assert!(
                href == "/menu" || href == "/search" || hrefs.contains(&href),
                "{href}"
            );
        }
    }
}
