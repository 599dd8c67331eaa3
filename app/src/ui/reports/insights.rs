//! What the reports say about one account, on its 360° page: its group in the
//! satisfaction–loyalty matrix, its share of wallet, whether it is at risk, and what to
//! offer it next (products others bought with what it bought); and the same
//! suggestions beside a quote's or order's lines ([`LineSuggestions`]).

use std::borrow::Cow;

use leptos::prelude::*;
use leptos_router::components::A;
use saha_core::DocumentId;
use saha_core::analytics::cross_sell::Suggestion;
use saha_core::analytics::matrix::{Group, NO_DATA};
use saha_core::analytics::signals::Signals;
use saha_core::analytics::wallet::{Wallet, share_of_wallet};
use saha_core::kinds::Record;
use saha_core::sales::money::{Currency, format_tr};

use crate::client::timed;
use crate::i18n::{Fmt, Key, Lang};
use crate::ui::reports::customers::{compute, group_name};
use crate::ui::widgets::format::{clock, decimal_text, percent, workspace_zone};
use crate::ui::widgets::links::{record_href, title_of_id};
use crate::ui::{repo, tr, use_lang, word};

/// Suggestions shown.
const SUGGESTIONS: usize = 5;

/// What the 360° page shows of the reports.
#[derive(Debug, Clone, PartialEq)]
struct Insights {
    /// The matrix group's code, [`NO_DATA`], or `None` when the matrix does not count it.
    group: Option<&'static str>,
    at_risk: bool,
    silent: bool,
    wallet: Wallet,
    suggestions: Vec<Suggestion>,
}

#[component]
pub fn AccountInsights(id: DocumentId) -> impl IntoView {
    let lang = use_lang();
    let now = clock(3600);
    let key = id.to_string();
    let insights = Memo::new(move |_| {
        let today = workspace_zone().local(now.get()).date;
        let settings = repo().service().with(|s| s.analytics.clone());
        timed("insights", || {
            let potential = match repo().record(id) {
                Some(Record::Account(a)) => a.annual_potential.clone(),
                _ => String::new(),
            };
            repo().with_record_list(|list| {
                let (matrix, retention, wallet) = repo().with_sales(|ledger| {
                    let signals = Signals::gather_with(list, Cow::Borrowed(ledger));
                    let (matrix, retention) = compute(&signals, &settings, today);
                    let wallet = share_of_wallet(&signals.sales(), &key, &potential, today);
                    (matrix, retention, wallet)
                });
                let standing = retention.iter().find(|r| r.account == key);
                Insights {
                    group: matrix
                        .standings
                        .iter()
                        .find(|s| s.account == key)
                        .map(|s| s.group.map_or(NO_DATA, Group::code)),
                    at_risk: standing.is_some_and(|r| r.at_risk),
                    silent: standing.is_some_and(|r| r.silent),
                    wallet,
                    suggestions: repo().co_occurrence().suggest(&key, SUGGESTIONS),
                }
            })
        })
    });
    let suggestion_view = move |s: Suggestion| {
        let lang = lang.get();
        let name = title_of_id(&s.product);
        let link = match s.product.parse::<DocumentId>() {
            Ok(p) => view! { <A href=record_href("product", p)>{name}</A> }.into_any(),
            Err(_) => name.into_any(),
        };
        let because = because_text(lang, &s);
        view! {
            <li class="card" data-product=s.product.clone()>
                {link}
                <span class="muted">" · " {because}</span>
            </li>
        }
    };
    view! {
        <section class="account-insights" id="account-insights">
            <dl class="facts">
                <dt>{tr(Key::UiLoyaltyGroup)}</dt>
                <dd data-figure="loyalty_group" data-group=move || insights.with(|i| i.group.unwrap_or_default())>
                    {move || insights.with(|i| i.group.map(|g| group_name(lang.get(), g)).unwrap_or_else(|| "—".into()))}
                    {move || insights.with(|i| {
                        let lang = lang.get();
                        if i.silent {
                            format!(" · {}", crate::i18n::word_for(lang, "retention.silent"))
                        } else if i.at_risk {
                            format!(" · {}", crate::i18n::word_for(lang, "retention.at_risk"))
                        } else {
                            String::new()
                        }
                    })}
                </dd>
                <dt>{tr(Key::UiShareOfWallet)}</dt>
                <dd data-figure="share_of_wallet">
                    {move || insights.with(|i| {
                        let lang = lang.get();
                        let revenue = format_tr(i.wallet.revenue, Currency::Try);
                        match (i.wallet.share_percent(), i.wallet.potential) {
                            (Some(share), Some(potential)) => format!(
                                "{} ({revenue} / {})",
                                percent(lang, decimal_text(lang, share)),
                                format_tr(potential, Currency::Try)
                            ),
                            _ => format!("{revenue} — {}", word(lang, Key::UiShareOfWalletNone)),
                        }
                    })}
                </dd>
            </dl>
            <h2>{tr(Key::UiCrossSell)}</h2>
            <Show
                when=move || insights.with(|i| !i.suggestions.is_empty())
                fallback=move || view! { <p class="hint" id="cross-sell-none">{tr(Key::UiCrossSellNone)}</p> }
            >
                <ul class="cards compact" id="cross-sell">
                    {move || insights.with(|i| i.suggestions.clone()).into_iter().map(suggestion_view).collect_view()}
                </ul>
            </Show>
        </section>
    }
}

/// Why a product is suggested: the product it goes with, how often they were bought
/// together and the lift.
fn because_text(lang: Lang, s: &Suggestion) -> String {
    Fmt::UiCrossSellBecause.format(
        lang,
        &[
            ("product", title_of_id(&s.because).as_str().into()),
            ("together", u64::from(s.together).into()),
            ("lift", format!("{:.1}", s.lift).as_str().into()),
        ],
    )
}

/// Line suggestions shown beside a document's lines.
const LINE_SUGGESTIONS: usize = 3;

/// "Often bought with these": products that go with the lines of a quote or order and
/// with what its account has bought (neither offered again), each a button that adds
/// it as a line through `add`.
#[component]
pub fn LineSuggestions(
    /// The document's account ID ("" for none).
    account: String,
    /// The product IDs on its lines.
    lines: Vec<String>,
    add: Callback<DocumentId>,
) -> impl IntoView {
    let lang = use_lang();
    let suggestions = Memo::new(move |_| {
        repo().co_occurrence().suggest_for_lines(
            &account,
            lines.iter().map(String::as_str),
            LINE_SUGGESTIONS,
        )
    });
    move || {
        let list = suggestions.get();
        (!list.is_empty()).then(|| {
            let lang = lang.get();
            view! {
                <div class="line-suggestions no-print" id="line-suggestions">
                    <span class="hint">{word(lang, Key::UiOftenBoughtWith)}</span>
                    {list
                        .into_iter()
                        .filter_map(|s| {
                            let product = s.product.parse::<DocumentId>().ok()?;
                            let title = because_text(lang, &s);
                            Some(view! {
                                <button
                                    type="button"
                                    class="button suggestion"
                                    data-product=s.product.clone()
                                    title=title
                                    on:click=move |_| add.run(product)
                                >
                                    "+ "
                                    {title_of_id(&s.product)}
                                </button>
                            })
                        })
                        .collect_view()}
                </div>
            }
        })
    }
}
