//! Account screens: list with search, detail, create and edit.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map};
use saha_core::DocumentId;
use saha_core::access::Role;
use saha_core::account::{AccountInput, CustomerType, Field};
use saha_core::fold::Query;
use saha_core::validate::Problem;

use super::{me, repo, tr, use_lang};
use crate::client::repo::AccountView;
use crate::i18n::{self, Msg};

#[component]
pub fn AccountList() -> impl IntoView {
    let accounts = repo().accounts();
    let lang = use_lang();
    let query = RwSignal::new(String::new());
    let limit = RwSignal::new(PAGE);
    // Matches are found over every account, but only the first `limit` are rendered: a
    // phone does not need 10 000 cards in its DOM.
    let matches = Memo::new(move |_| {
        let q = Query::new(&query.get());
        accounts.with(|all| {
            let mut hits: Vec<(&str, DocumentId)> = all
                .values()
                .filter(|v| q.matches(&v.search_text))
                .map(|v| (v.sort_key.as_str(), v.id))
                .collect();
            hits.sort_unstable();
            let rows: Vec<AccountView> = hits
                .iter()
                .take(limit.get())
                .filter_map(|(_, id)| all.get(id).cloned())
                .collect();
            (hits.len(), rows)
        })
    });
    let rows = Memo::new(move |_| matches.with(|(_, rows)| rows.clone()));
    let found = move || matches.with(|(n, _)| *n);
    let total = move || accounts.with(|a| a.len());
    view! {
        <section class="page">
            <div class="toolbar">
                <h1>{tr(Msg::Accounts)}</h1>
                <Show when=move || me().role.can_write()>
                    <A href="/accounts/new" attr:class="button primary">
                        "+ "
                        {tr(Msg::NewAccount)}
                    </A>
                </Show>
            </div>
            <div class="field search">
                <label for="account-search">{tr(Msg::Search)}</label>
                <input
                    id="account-search"
                    type="search"
                    autocomplete="off"
                    placeholder=tr(Msg::SearchPlaceholder)
                    prop:value=query
                    on:input=move |ev| {
                        limit.set(PAGE);
                        query.set(event_target_value(&ev));
                    }
                />
            </div>
            <Show
                when=move || !rows.with(Vec::is_empty)
                fallback=move || {
                    view! {
                        <p class="empty">
                            {move || {
                                if total() == 0 { tr(Msg::NoAccounts)() } else { tr(Msg::NoMatches)() }
                            }}
                        </p>
                    }
                }
            >
                <ul class="cards" aria-label=tr(Msg::Accounts)>
                    <For
                        each=move || rows.get()
                        key=|v| (v.id, v.search_text.clone(), v.account.customer_type)
                        let(v)
                    >
                        <li class="card">
                            <A href=format!("/accounts/{}", v.id)>
                                <span class="card-title">{v.account.name.clone()}</span>
                                <span class="badge" data-type=v.account.customer_type.code()>
                                    {move || i18n::customer_type(lang.get(), v.account.customer_type)}
                                </span>
                                <span class="card-meta">
                                    {[v.account.city.clone(), v.account.phone.clone()]
                                        .into_iter()
                                        .filter(|s| !s.is_empty())
                                        .collect::<Vec<_>>()
                                        .join(" · ")}
                                </span>
                            </A>
                        </li>
                    </For>
                </ul>
                <Show when=move || { found() > rows.with(Vec::len) }>
                    <p class="more">
                        <span>{move || i18n::showing(lang.get(), rows.with(Vec::len), found())}</span>
                        <button type="button" class="button" on:click=move |_| limit.update(|l| *l += PAGE)>
                            {tr(Msg::ShowMore)}
                        </button>
                    </p>
                </Show>
            </Show>
        </section>
    }
}

/// Cards rendered at a time in the list.
const PAGE: usize = 100;

fn param_id() -> Memo<Option<DocumentId>> {
    let params = use_params_map();
    Memo::new(move |_| params.with(|p| p.get("id").and_then(|id| id.parse().ok())))
}

#[component]
pub fn AccountDetail() -> impl IntoView {
    let accounts = repo().accounts();
    let lang = use_lang();
    let id = param_id();
    let view_of = move || {
        id.get()
            .and_then(|id| accounts.with(|a| a.get(&id).cloned()))
    };
    view! {
        <section class="page">
            <A href="/" attr:class="back">"← " {tr(Msg::Accounts)}</A>
            {move || match view_of() {
                None => view! { <p class="empty">{tr(Msg::RecordNotFound)}</p> }.into_any(),
                Some(v) => {
                    let a = v.account;
                    let phone = a.phone.clone();
                    let email = a.email.clone();
                    view! {
                        <article class="detail">
                            <div class="toolbar">
                                <h1>{a.name.clone()}</h1>
                                <Show when=move || me().role.can_write()>
                                    <A href=format!("/accounts/{}/edit", v.id) attr:class="button primary">
                                        {tr(Msg::Edit)}
                                    </A>
                                </Show>
                            </div>
                            <span class="badge" data-type=a.customer_type.code()>
                                {move || i18n::customer_type(lang.get(), a.customer_type)}
                            </span>
                            <dl class="facts">
                                <dt>{tr(Msg::Phone)}</dt>
                                <dd data-field="phone">
                                    {(!phone.is_empty())
                                        .then(|| view! { <a href=format!("tel:{phone}")>{phone.clone()}</a> })}
                                </dd>
                                <dt>{tr(Msg::Email)}</dt>
                                <dd data-field="email">
                                    {(!email.is_empty())
                                        .then(|| view! { <a href=format!("mailto:{email}")>{email.clone()}</a> })}
                                </dd>
                                <dt>{tr(Msg::City)}</dt>
                                <dd data-field="city">{a.city.clone()}</dd>
                                <dt>{tr(Msg::Team)}</dt>
                                <dd data-field="team">{team_name(&a.team)}</dd>
                                <dt>{tr(Msg::Owner)}</dt>
                                <dd data-field="owner">{person_name(&a.owner)}</dd>
                                <dt>{tr(Msg::Notes)}</dt>
                                <dd data-field="notes" class="notes">{a.notes.clone()}</dd>
                            </dl>
                        </article>
                    }
                        .into_any()
                }
            }}
        </section>
    }
}

/// A team's name from the signed-in member's copy of the workspace's teams.
fn team_name(id: &str) -> String {
    me().workspace_teams
        .iter()
        .find(|t| t.id == id)
        .map(|t| t.name.clone())
        .unwrap_or_default()
}

fn person_name(id: &str) -> String {
    me().people
        .iter()
        .find(|p| p.id == id)
        .map(|p| p.name.clone())
        .unwrap_or_default()
}

#[component]
pub fn NewAccount() -> impl IntoView {
    let navigate = use_navigate();
    let me = me();
    if !me.role.can_write() {
        return view! {
            <section class="page">
                <p class="banner" role="status">{tr(Msg::ReadOnlyNote)}</p>
            </section>
        }
        .into_any();
    }
    let initial = AccountInput {
        team: me.teams.first().cloned().unwrap_or_default(),
        owner: me.user_id.clone(),
        ..Default::default()
    };
    let save = move |input: AccountInput| {
        let navigate = navigate.clone();
        async move {
            let valid = input.validate().map_err(SaveError::Invalid)?;
            let id = repo()
                .create_account(&valid)
                .await
                .map_err(SaveError::Failed)?;
            navigate(&format!("/accounts/{id}"), Default::default());
            Ok(())
        }
    };
    view! {
        <section class="page">
            <h1>{tr(Msg::NewAccount)}</h1>
            <AccountForm initial=initial save=save cancel_href="/".to_owned() />
        </section>
    }
    .into_any()
}

#[component]
pub fn EditAccount() -> impl IntoView {
    let accounts = repo().accounts();
    let id = param_id();
    // The form starts from the account as it is when the page opens, and keeps what the
    // user types even if a colleague's edit arrives meanwhile (it merges on save).
    let initial = move || {
        id.get().and_then(|id| {
            accounts.with_untracked(|a| {
                a.get(&id)
                    .map(|v| (id, AccountInput::from_account(&v.account)))
            })
        })
    };
    let arrived = move || {
        id.get()
            .is_some_and(|id| accounts.with(|a| a.contains_key(&id)))
    };
    view! {
        <section class="page">
            <h1>{tr(Msg::EditAccount)}</h1>
            <Show when=arrived fallback=|| view! { <p class="empty">{tr(Msg::RecordNotFound)}</p> }>
                {move || {
                    initial()
                        .map(|(id, input)| {
                            let navigate = use_navigate();
                            let save = move |input: AccountInput| {
                                let navigate = navigate.clone();
                                async move {
                                    let valid = input.validate().map_err(SaveError::Invalid)?;
                                    repo().update_account(id, &valid).await.map_err(SaveError::Failed)?;
                                    navigate(&format!("/accounts/{id}"), Default::default());
                                    Ok(())
                                }
                            };
                            view! { <AccountForm initial=input save=save cancel_href=format!("/accounts/{id}") /> }
                        })
                }}
            </Show>
        </section>
    }
}

/// Why a save did not happen.
pub enum SaveError {
    Invalid(Vec<(Field, Problem)>),
    Failed(String),
}

#[component]
fn AccountForm<S, F>(initial: AccountInput, save: S, cancel_href: String) -> impl IntoView
where
    S: Fn(AccountInput) -> F + Clone + 'static,
    F: std::future::Future<Output = Result<(), SaveError>> + 'static,
{
    let lang = use_lang();
    let name = RwSignal::new(initial.name);
    let phone = RwSignal::new(initial.phone);
    let email = RwSignal::new(initial.email);
    let city = RwSignal::new(initial.city);
    let customer_type = RwSignal::new(initial.customer_type);
    let notes = RwSignal::new(initial.notes);
    let team = RwSignal::new(initial.team.clone());
    let owner = initial.owner;
    // Teams this member may put the account in (the current one is always shown).
    let me = me();
    let team_choices: Vec<(String, String)> = {
        let mut choices: Vec<(String, String)> = match me.role {
            Role::Owner | Role::Admin => std::iter::once((String::new(), String::new()))
                .chain(
                    me.workspace_teams
                        .iter()
                        .map(|t| (t.id.clone(), t.name.clone())),
                )
                .collect(),
            Role::Manager => me
                .workspace_teams
                .iter()
                .filter(|t| me.teams.contains(&t.id))
                .map(|t| (t.id.clone(), t.name.clone()))
                .collect(),
            _ => Vec::new(),
        };
        if !choices.iter().any(|(id, _)| *id == initial.team) {
            choices.insert(0, (initial.team.clone(), team_name(&initial.team)));
        }
        choices
    };
    let team_locked = team_choices.len() <= 1;
    let problems = RwSignal::new(Vec::<(Field, Problem)>::new());
    let failure = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);

    let problem_of = move |field: Field| {
        move || {
            problems.with(|ps| {
                ps.iter()
                    .find(|(f, _)| *f == field)
                    .map(|(_, p)| i18n::problem(lang.get(), *p))
            })
        }
    };
    let invalid = move |field: Field| {
        move || {
            problems
                .with(|ps| ps.iter().any(|(f, _)| *f == field))
                .to_string()
        }
    };

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let input = AccountInput {
            name: name.get_untracked(),
            phone: phone.get_untracked(),
            email: email.get_untracked(),
            city: city.get_untracked(),
            customer_type: customer_type.get_untracked(),
            notes: notes.get_untracked(),
            team: team.get_untracked(),
            owner: owner.clone(),
        };
        let save = save.clone();
        busy.set(true);
        wasm_bindgen_futures::spawn_local(async move {
            match save(input).await {
                Ok(()) => {}
                Err(SaveError::Invalid(found)) => {
                    problems.set(found);
                    failure.set(None);
                }
                Err(SaveError::Failed(e)) => failure.set(Some(e)),
            }
            busy.set(false);
        });
    };

    let text_field = move |field: Field,
                           id: &'static str,
                           label: Msg,
                           kind: &'static str,
                           autocomplete: &'static str,
                           value: RwSignal<String>| {
        let error_id = format!("{id}-error");
        view! {
            <div class="field">
                <label for=id>{tr(label)}</label>
                <input
                    id=id
                    name=id
                    type=kind
                    autocomplete=autocomplete
                    prop:value=value
                    on:input=move |ev| value.set(event_target_value(&ev))
                    aria-invalid=invalid(field)
                    aria-describedby=error_id.clone()
                />
                <p class="error" id=error_id>{problem_of(field)}</p>
            </div>
        }
    };

    view! {
        <form class="form" novalidate on:submit=on_submit>
            <Show when=move || !problems.with(Vec::is_empty)>
                <p class="banner error" role="alert">{tr(Msg::FormHasErrors)}</p>
            </Show>
            <Show when=move || failure.with(Option::is_some)>
                <p class="banner error" role="alert">
                    {tr(Msg::SaveFailed)} ": " {move || failure.get().unwrap_or_default()}
                </p>
            </Show>
            {text_field(Field::Name, "account-name", Msg::Name, "text", "organization", name)}
            {text_field(Field::Phone, "account-phone", Msg::Phone, "tel", "tel", phone)}
            {text_field(Field::Email, "account-email", Msg::Email, "email", "email", email)}
            {text_field(Field::City, "account-city", Msg::City, "text", "address-level2", city)}
            <div class="field">
                <label for="account-type">{tr(Msg::CustomerType)}</label>
                <select
                    id="account-type"
                    name="account-type"
                    prop:value=move || customer_type.get().code()
                    on:change=move |ev| {
                        if let Some(t) = CustomerType::from_code(&event_target_value(&ev)) {
                            customer_type.set(t);
                        }
                    }
                >
                    {CustomerType::ALL
                        .into_iter()
                        .map(|t| {
                            view! {
                                <option value=t.code() selected=move || customer_type.get() == t>
                                    {move || i18n::customer_type(lang.get(), t)}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="account-team">{tr(Msg::Team)}</label>
                <select
                    id="account-team"
                    name="account-team"
                    disabled=team_locked
                    prop:value=team
                    on:change=move |ev| team.set(event_target_value(&ev))
                >
                    {team_choices
                        .into_iter()
                        .map(|(id, name)| {
                            let selected = {
                                let id = id.clone();
                                move || team.get() == id
                            };
                            let label = move || {
                                if name.is_empty() { tr(Msg::NoTeam)().to_owned() } else { name.clone() }
                            };
                            view! { <option value=id selected=selected>{label}</option> }
                        })
                        .collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="account-notes">{tr(Msg::Notes)}</label>
                <textarea
                    id="account-notes"
                    name="account-notes"
                    rows="5"
                    prop:value=notes
                    on:input=move |ev| notes.set(event_target_value(&ev))
                    aria-invalid=invalid(Field::Notes)
                ></textarea>
                <p class="error">{problem_of(Field::Notes)}</p>
            </div>
            <div class="actions">
                <button type="submit" class="button primary" disabled=busy>
                    {tr(Msg::Save)}
                </button>
                <A href=cancel_href attr:class="button">{tr(Msg::Cancel)}</A>
            </div>
        </form>
    }
}
