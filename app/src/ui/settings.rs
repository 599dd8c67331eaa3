//! Settings: the member's profile, password and logout; for owners and admins, members,
//! teams and invitations, and the audit log. These pages talk to the server directly
//! (they manage accounts, not records) and say so when offline.

use leptos::prelude::*;
use leptos_router::components::A;
use saha_core::access::{Department, Role};
use saha_core::api::ApiErrorCode;
use saha_core::api::{self, AuditEntry, Invitation, Member, Team};

use super::auth::{error_banner, input_field, reload_to};
use super::{me, repo, tr, use_lang};
use crate::client::http;
use crate::client::session;
use crate::i18n::{self, Msg};

fn format_time(ms: i64) -> String {
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms as f64));
    date.to_locale_string("tr-TR", &wasm_bindgen::JsValue::UNDEFINED)
        .as_string()
        .unwrap_or_default()
}

#[component]
pub fn SettingsPage() -> impl IntoView {
    let lang = use_lang();
    let me = me();
    let role = me.role;
    let team_names: Vec<String> = me
        .workspace_teams
        .iter()
        .filter(|t| me.teams.contains(&t.id))
        .map(|t| t.name.clone())
        .collect();

    let current = RwSignal::new(String::new());
    let new = RwSignal::new(String::new());
    let password_error = RwSignal::new(None::<ApiErrorCode>);
    let password_done = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let change_password = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        let body = api::PasswordChange {
            current_password: current.get_untracked(),
            new_password: new.get_untracked(),
        };
        wasm_bindgen_futures::spawn_local(async move {
            match http::post::<_, ()>("/api/auth/password", &body).await {
                Ok(()) => {
                    password_error.set(None);
                    password_done.set(true);
                    current.set(String::new());
                    new.set(String::new());
                }
                Err(e) => {
                    password_done.set(false);
                    password_error.set(Some(e.code()));
                }
            }
            busy.set(false);
        });
    };

    let wipe = RwSignal::new(false);
    let pending = repo().pending();
    let user_id = me.user_id.clone();
    let logout = move |_| {
        let user_id = user_id.clone();
        let wipe = wipe.get_untracked();
        if wipe {
            // An open connection would block deleting the database.
            repo().close_store();
        }
        wasm_bindgen_futures::spawn_local(async move {
            // Offline, the server session stays until it expires; this device forgets it.
            if let Err(e) = session::logout(&user_id, wipe).await {
                leptos::logging::warn!("logout: {e:?}");
            }
            reload_to("/");
        });
    };

    view! {
        <section class="page">
            <h1>{tr(Msg::Settings)}</h1>
            <dl class="facts" id="profile">
                <dt>{tr(Msg::Name)}</dt>
                <dd>{me.name.clone()}</dd>
                <dt>{tr(Msg::Email)}</dt>
                <dd>{me.email.clone()}</dd>
                <dt>{tr(Msg::WorkspaceLabel)}</dt>
                <dd>{me.workspace_name.clone()}</dd>
                <dt>{tr(Msg::Role)}</dt>
                <dd data-field="role">{move || i18n::role(lang.get(), role)}</dd>
                <dt>{tr(Msg::Teams)}</dt>
                <dd>{team_names.join(", ")}</dd>
            </dl>
            <Show when=move || role.administers()>
                <nav class="actions">
                    <A href="/settings/members" attr:class="button">{tr(Msg::Members)}</A>
                    <A href="/settings/audit" attr:class="button">{tr(Msg::AuditLog)}</A>
                    <A href="/settings/pipeline" attr:class="button">{move || i18n::word(lang.get(), "ui.settings_pipeline")}</A>
                    <A href="/settings/service" attr:class="button" attr:id="service-settings-link">{move || i18n::word(lang.get(), "ui.service_settings")}</A>
                </nav>
            </Show>

            <h2>{tr(Msg::ChangePassword)}</h2>
            <form class="form" id="password-form" on:submit=change_password>
                {error_banner(password_error)}
                <Show when=move || password_done.get()>
                    <p class="banner" role="status">{tr(Msg::PasswordChanged)}</p>
                </Show>
                {input_field("current-password", Msg::CurrentPassword, "password", "current-password", current)}
                {input_field("new-password", Msg::NewPassword, "password", "new-password", new)}
                <p class="hint">{tr(Msg::PasswordRule)}</p>
                <div class="actions">
                    <button type="submit" class="button" disabled=busy>{tr(Msg::ChangePassword)}</button>
                </div>
            </form>

            <h2>{tr(Msg::LogOut)}</h2>
            <div class="form">
                <label class="check">
                    <input
                        type="checkbox"
                        id="wipe-device"
                        prop:checked=wipe
                        on:change=move |ev| wipe.set(event_target_checked(&ev))
                    />
                    {tr(Msg::WipeDevice)}
                </label>
                <Show when=move || { wipe.get() && pending.get() > 0 }>
                    <p class="banner error" role="alert">{tr(Msg::WipeWarning)}</p>
                </Show>
                <div class="actions">
                    <button type="button" class="button" id="logout" on:click=logout>
                        {tr(Msg::LogOut)}
                    </button>
                </div>
            </div>
        </section>
    }
}

/// Members, teams and invitations of the workspace, as the server has them now.
#[derive(Clone, Default)]
struct Directory {
    members: Vec<Member>,
    teams: Vec<Team>,
    invitations: Vec<Invitation>,
}

async fn load_directory() -> Result<Directory, ApiErrorCode> {
    let err = |e: http::HttpError| e.code();
    Ok(Directory {
        members: http::get("/api/members").await.map_err(err)?,
        teams: http::get("/api/teams").await.map_err(err)?,
        invitations: http::get("/api/invitations").await.map_err(err)?,
    })
}

#[component]
pub fn MembersPage() -> impl IntoView {
    let lang = use_lang();
    let me = me();
    let my_role = me.role;
    let my_id = me.user_id.clone();
    let directory = RwSignal::new(None::<Result<Directory, ApiErrorCode>>);
    let error = RwSignal::new(None::<ApiErrorCode>);
    let reload = move || {
        wasm_bindgen_futures::spawn_local(async move {
            directory.set(Some(load_directory().await));
        });
    };
    reload();
    let teams = move || {
        directory.with(|d| match d {
            Some(Ok(d)) => d.teams.clone(),
            _ => Vec::new(),
        })
    };

    // Changes a member; reloads the lists either way.
    let update = move |user_id: String, change: api::MemberUpdate| {
        wasm_bindgen_futures::spawn_local(async move {
            let result =
                http::send::<_, Member>("PATCH", &format!("/api/members/{user_id}"), &change).await;
            error.set(result.err().map(|e| e.code()));
            directory.set(Some(load_directory().await));
        });
    };

    let team_name = RwSignal::new(String::new());
    let add_team = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let body = api::NewTeam {
            name: team_name.get_untracked(),
        };
        wasm_bindgen_futures::spawn_local(async move {
            match http::post::<_, Team>("/api/teams", &body).await {
                Ok(_) => {
                    team_name.set(String::new());
                    error.set(None);
                }
                Err(e) => error.set(Some(e.code())),
            }
            directory.set(Some(load_directory().await));
        });
    };

    let invite_email = RwSignal::new(String::new());
    let invite_role = RwSignal::new(Role::SalesRep);
    let invite_team = RwSignal::new(String::new());
    let invite_department = RwSignal::new(String::new());
    let invite_hours = RwSignal::new(String::from("72"));
    let new_link = RwSignal::new(None::<String>);
    let invite = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let team = invite_team.get_untracked();
        let body = api::NewInvitation {
            email: Some(invite_email.get_untracked()).filter(|e| !e.trim().is_empty()),
            role: invite_role.get_untracked(),
            teams: if team.is_empty() {
                Vec::new()
            } else {
                vec![team]
            },
            department: Department::from_code(&invite_department.get_untracked()),
            expires_in_hours: invite_hours.get_untracked().trim().parse().unwrap_or(0),
        };
        wasm_bindgen_futures::spawn_local(async move {
            match http::post::<_, Invitation>("/api/invitations", &body).await {
                Ok(created) => {
                    new_link.set(created.link);
                    invite_email.set(String::new());
                    error.set(None);
                }
                Err(e) => error.set(Some(e.code())),
            }
            directory.set(Some(load_directory().await));
        });
    };
    let revoke = move |id: String| {
        wasm_bindgen_futures::spawn_local(async move {
            let result = http::send::<_, ()>(
                "DELETE",
                &format!("/api/invitations/{id}"),
                &serde_json::json!({}),
            )
            .await;
            error.set(result.err().map(|e| e.code()));
            directory.set(Some(load_directory().await));
        });
    };

    let grantable: Vec<Role> = Role::ALL
        .into_iter()
        .filter(|r| my_role.may_grant(*r))
        .collect();
    let role_options = move |selected: Role| {
        grantable
            .iter()
            .map(|r| {
                let r = *r;
                view! {
                    <option value=r.code() selected=r == selected>
                        {move || i18n::role(lang.get(), r)}
                    </option>
                }
            })
            .collect_view()
    };
    let role_options_invite = role_options.clone();

    view! {
        <section class="page wide">
            <A href="/settings" attr:class="back">"← " {tr(Msg::Settings)}</A>
            <h1>{tr(Msg::Members)}</h1>
            {error_banner(error)}
            {move || match directory.get() {
                None => view! { <p>{tr(Msg::Loading)}</p> }.into_any(),
                Some(Err(code)) => {
                    view! { <p class="banner error" role="alert">{move || i18n::api_error(lang.get(), code)}</p> }
                        .into_any()
                }
                Some(Ok(d)) => {
                    let role_options = role_options.clone();
                    let my_id = my_id.clone();
                    let all_teams = d.teams.clone();
                    view! {
                        <table class="table" id="members">
                            <thead>
                                <tr>
                                    <th>{tr(Msg::Name)}</th>
                                    <th>{tr(Msg::Role)}</th>
                                    <th>{tr(Msg::Team)}</th>
                                    <th>{tr(Msg::Department)}</th>
                                    <th></th>
                                </tr>
                            </thead>
                            <tbody>
                                {d
                                    .members
                                    .into_iter()
                                    .map(|m| {
                                        let editable = m.user_id != my_id
                                            && (m.role != Role::Owner || my_role == Role::Owner);
                                        let (id_role, id_team, id_dept, id_toggle) = (
                                            m.user_id.clone(),
                                            m.user_id.clone(),
                                            m.user_id.clone(),
                                            m.user_id.clone(),
                                        );
                                        let team = m.teams.first().cloned().unwrap_or_default();
                                        let department = m.department.map(|d| d.code()).unwrap_or("");
                                        let disabled = m.disabled;
                                        let role = m.role;
                                        view! {
                                            <tr data-email=m.email.clone() data-disabled=disabled.to_string()>
                                                <td>
                                                    <strong>{m.name.clone()}</strong>
                                                    <br />
                                                    <small>{m.email.clone()}</small>
                                                </td>
                                                <td>
                                                    {if editable {
                                                        view! {
                                                            <select
                                                                class="member-role"
                                                                aria-label=tr(Msg::Role)
                                                                on:change=move |ev| {
                                                                    if let Some(r) = Role::from_code(&event_target_value(&ev)) {
                                                                        update(
                                                                            id_role.clone(),
                                                                            api::MemberUpdate { role: Some(r), ..Default::default() },
                                                                        );
                                                                    }
                                                                }
                                                            >
                                                                {role_options(role)}
                                                            </select>
                                                        }
                                                            .into_any()
                                                    } else {
                                                        view! { <span>{move || i18n::role(lang.get(), role)}</span> }.into_any()
                                                    }}
                                                </td>
                                                <td>
                                                    <select
                                                        class="member-team"
                                                        aria-label=tr(Msg::Team)
                                                        disabled=!editable && m.user_id != my_id
                                                        on:change=move |ev| {
                                                            let t = event_target_value(&ev);
                                                            update(
                                                                id_team.clone(),
                                                                api::MemberUpdate {
                                                                    teams: Some(if t.is_empty() { vec![] } else { vec![t] }),
                                                                    ..Default::default()
                                                                },
                                                            );
                                                        }
                                                    >
                                                        <option value="" selected=team.is_empty()>"—"</option>
                                                        {all_teams
                                                            .iter()
                                                            .map(|t| {
                                                                view! {
                                                                    <option value=t.id.clone() selected=t.id == team>
                                                                        {t.name.clone()}
                                                                    </option>
                                                                }
                                                            })
                                                            .collect_view()}
                                                    </select>
                                                </td>
                                                <td>
                                                    <select
                                                        class="member-department"
                                                        aria-label=tr(Msg::Department)
                                                        on:change=move |ev| {
                                                            let d = Department::from_code(&event_target_value(&ev));
                                                            update(
                                                                id_dept.clone(),
                                                                api::MemberUpdate { department: Some(d), ..Default::default() },
                                                            );
                                                        }
                                                    >
                                                        <option value="" selected=department.is_empty()>"—"</option>
                                                        {Department::ALL
                                                            .into_iter()
                                                            .map(|d| {
                                                                view! {
                                                                    <option value=d.code() selected=d.code() == department>
                                                                        {move || i18n::department(lang.get(), d)}
                                                                    </option>
                                                                }
                                                            })
                                                            .collect_view()}
                                                    </select>
                                                </td>
                                                <td>
                                                    {editable
                                                        .then(|| {
                                                            view! {
                                                                <button
                                                                    type="button"
                                                                    class="button member-toggle"
                                                                    on:click=move |_| {
                                                                        update(
                                                                            id_toggle.clone(),
                                                                            api::MemberUpdate { disabled: Some(!disabled), ..Default::default() },
                                                                        )
                                                                    }
                                                                >
                                                                    {if disabled { tr(Msg::Enable) } else { tr(Msg::Disable) }}
                                                                </button>
                                                            }
                                                        })}
                                                </td>
                                            </tr>
                                        }
                                    })
                                    .collect_view()}
                            </tbody>
                        </table>

                        <h2>{tr(Msg::Invitations)}</h2>
                        <ul class="cards" id="invitations">
                            {d
                                .invitations
                                .into_iter()
                                .map(|i| {
                                    let now = js_sys::Date::now() as i64;
                                    let state = if i.revoked {
                                        Msg::Revoked
                                    } else if i.accepted_by.is_some() {
                                        Msg::Accepted
                                    } else if i.expires_at <= now {
                                        Msg::Expired
                                    } else {
                                        Msg::Active
                                    };
                                    let id = i.id.clone();
                                    let role = i.role;
                                    view! {
                                        <li class="card">
                                            <span class="card-title">
                                                {i.accepted_by.clone().or(i.email.clone()).unwrap_or_else(|| "—".into())}
                                            </span>
                                            <span class="badge">{move || i18n::role(lang.get(), role)}</span>
                                            <span class="card-meta">{tr(state)} " · " {format_time(i.expires_at)}</span>
                                            {(state == Msg::Active)
                                                .then(|| {
                                                    view! {
                                                        <button type="button" class="button" on:click=move |_| revoke(id.clone())>
                                                            {tr(Msg::Revoke)}
                                                        </button>
                                                    }
                                                })}
                                        </li>
                                    }
                                })
                                .collect_view()}
                        </ul>
                    }
                        .into_any()
                }
            }}

            <form class="form" id="invite-form" on:submit=invite>
                <h2>{tr(Msg::Invite)}</h2>
                <div class="field">
                    <label for="invite-email">{tr(Msg::EmailOptional)}</label>
                    <input
                        id="invite-email"
                        type="email"
                        autocomplete="off"
                        prop:value=invite_email
                        on:input=move |ev| invite_email.set(event_target_value(&ev))
                    />
                </div>
                <div class="field">
                    <label for="invite-role">{tr(Msg::Role)}</label>
                    <select
                        id="invite-role"
                        on:change=move |ev| {
                            if let Some(r) = Role::from_code(&event_target_value(&ev)) {
                                invite_role.set(r);
                            }
                        }
                    >
                        {role_options_invite(Role::SalesRep)}
                    </select>
                </div>
                <div class="field">
                    <label for="invite-team">{tr(Msg::Team)}</label>
                    <select id="invite-team" on:change=move |ev| invite_team.set(event_target_value(&ev))>
                        <option value="">"—"</option>
                        {move || {
                            teams()
                                .into_iter()
                                .map(|t| view! { <option value=t.id.clone()>{t.name.clone()}</option> })
                                .collect_view()
                        }}
                    </select>
                </div>
                <div class="field">
                    <label for="invite-department">{tr(Msg::Department)}</label>
                    <select id="invite-department" on:change=move |ev| invite_department.set(event_target_value(&ev))>
                        <option value="">"—"</option>
                        {Department::ALL
                            .into_iter()
                            .map(|d| view! { <option value=d.code()>{move || i18n::department(lang.get(), d)}</option> })
                            .collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="invite-hours">{tr(Msg::ValidForHours)}</label>
                    <input
                        id="invite-hours"
                        type="number"
                        min="1"
                        max="720"
                        prop:value=invite_hours
                        on:input=move |ev| invite_hours.set(event_target_value(&ev))
                    />
                </div>
                <div class="actions">
                    <button type="submit" class="button primary">{tr(Msg::Invite)}</button>
                </div>
                <Show when=move || new_link.with(Option::is_some)>
                    <p class="banner" role="status">
                        {tr(Msg::InvitationLink)} <br />
                        <output id="invitation-link">{move || new_link.get().unwrap_or_default()}</output>
                    </p>
                </Show>
            </form>

            <form class="form" id="team-form" on:submit=add_team>
                <h2>{tr(Msg::AddTeam)}</h2>
                {input_field("team-name", Msg::TeamName, "text", "off", team_name)}
                <div class="actions">
                    <button type="submit" class="button">{tr(Msg::AddTeam)}</button>
                </div>
            </form>
            <p class="hint">{tr(Msg::Teams)} ": " {move || teams().into_iter().map(|t| t.name).collect::<Vec<_>>().join(", ")}</p>
        </section>
    }
}

#[component]
pub fn AuditPage() -> impl IntoView {
    let lang = use_lang();
    let entries = RwSignal::new(None::<Result<Vec<AuditEntry>, ApiErrorCode>>);
    wasm_bindgen_futures::spawn_local(async move {
        let answer = http::get::<Vec<AuditEntry>>("/api/audit?limit=500").await;
        entries.set(Some(answer.map_err(|e| e.code())));
    });
    view! {
        <section class="page wide">
            <A href="/settings" attr:class="back">"← " {tr(Msg::Settings)}</A>
            <h1>{tr(Msg::AuditLog)}</h1>
            {move || match entries.get() {
                None => view! { <p>{tr(Msg::Loading)}</p> }.into_any(),
                Some(Err(code)) => {
                    view! { <p class="banner error" role="alert">{move || i18n::api_error(lang.get(), code)}</p> }
                        .into_any()
                }
                Some(Ok(list)) => {
                    view! {
                        <table class="table" id="audit">
                            <thead>
                                <tr>
                                    <th>{tr(Msg::When)}</th>
                                    <th>{tr(Msg::Who)}</th>
                                    <th>{tr(Msg::Action)}</th>
                                    <th>{tr(Msg::Target)}</th>
                                    <th>{tr(Msg::Address)}</th>
                                    <th>{tr(Msg::Details)}</th>
                                </tr>
                            </thead>
                            <tbody>
                                {list
                                    .into_iter()
                                    .map(|e| {
                                        let action = e.action.clone();
                                        view! {
                                            <tr data-action=action>
                                                <td>{format_time(e.at)}</td>
                                                <td>{e.actor}</td>
                                                <td><code>{e.action}</code></td>
                                                <td>{e.target}</td>
                                                <td>{e.ip}</td>
                                                <td>{e.detail}</td>
                                            </tr>
                                        }
                                    })
                                    .collect_view()}
                            </tbody>
                        </table>
                    }
                        .into_any()
                }
            }}
        </section>
    }
}

/// The workspace's pipeline stages: names and win probabilities, in order. Saved into
/// the workspace index (admins only; the server refuses it from others), so it syncs
/// and works offline like any record.
#[component]
pub fn PipelinePage() -> impl IntoView {
    let lang = use_lang();
    let allowed = me().role.administers();
    let current: Vec<saha_core::sales::opportunity::Stage> = repo()
        .pipeline()
        .get_untracked()
        .into_iter()
        .filter(|s| !s.is_closed())
        .collect();
    // Each row: a key for the list, the stage code (empty for a new stage), its name and
    // its probability as typed.
    type StageRow = (usize, RwSignal<String>, RwSignal<String>, RwSignal<String>);
    let rows: RwSignal<Vec<StageRow>> = RwSignal::new(
        current
            .into_iter()
            .enumerate()
            .map(|(key, s)| {
                let name = if s.name.is_empty() {
                    i18n::word(lang.get_untracked(), &format!("stage.{}", s.code))
                } else {
                    s.name
                };
                (
                    key,
                    RwSignal::new(s.code),
                    RwSignal::new(name),
                    RwSignal::new(s.probability.to_string()),
                )
            })
            .collect(),
    );
    let status = RwSignal::new(None::<String>);
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut stages: Vec<saha_core::sales::opportunity::Stage> = Vec::new();
        for (_, code, name, probability) in rows.get_untracked() {
            let name = name.get_untracked().trim().to_owned();
            if name.is_empty() {
                continue;
            }
            let typed = probability.get_untracked();
            let Some(probability) = typed
                .trim()
                .trim_end_matches('%')
                .trim()
                .parse::<i64>()
                .ok()
                .filter(|p| (0..=100).contains(p))
            else {
                status.set(Some(format!(
                    "{name}: {}",
                    i18n::problem(
                        lang.get_untracked(),
                        saha_core::text::validate::Problem::PercentOutOfRange
                    )
                )));
                return;
            };
            let code = if code.get_untracked().is_empty() {
                saha_core::text::fold::fold(&name)
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join("_")
            } else {
                code.get_untracked()
            };
            stages.push(saha_core::sales::opportunity::Stage {
                code,
                name,
                probability,
            });
        }
        wasm_bindgen_futures::spawn_local(async move {
            match repo().set_pipeline(&stages).await {
                Ok(()) => status.set(Some(Msg::Saved.text(lang.get_untracked()).to_owned())),
                Err(e) => status.set(Some(e)),
            }
        });
    };
    view! {
        <section class="page">
            <A href="/settings" attr:class="back">"← " {tr(Msg::Settings)}</A>
            <h1>{move || i18n::word(lang.get(), "ui.settings_pipeline")}</h1>
            <Show when=move || allowed fallback=|| view! { <p class="banner">{tr(Msg::ReadOnlyNote)}</p> }>
                <form class="form" on:submit=save>
                    <p class="hint">{move || i18n::word(lang.get(), "ui.pipeline_note")}</p>
                    <For each=move || rows.get() key=|(key, _, _, _)| *key let((_, _, name, probability))>
                        <div class="stage-row">
                            <input type="text" aria-label=move || i18n::word(lang.get(), "field.name") prop:value=name on:input=move |ev| name.set(event_target_value(&ev)) />
                            <input type="text" inputmode="numeric" aria-label=move || i18n::word(lang.get(), "ui.probability") prop:value=probability on:input=move |ev| probability.set(event_target_value(&ev)) />
                        </div>
                    </For>
                    <div class="actions">
                        <button type="button" class="button" on:click=move |_| rows.update(|r| {
                            let key = r.iter().map(|row| row.0 + 1).max().unwrap_or(0);
                            r.push((key, RwSignal::new(String::new()), RwSignal::new(String::new()), RwSignal::new("50".into())));
                        }) >
                            "+ " {move || i18n::word(lang.get(), "ui.add_stage")}
                        </button>
                        <button type="submit" class="button primary">{tr(Msg::Save)}</button>
                    </div>
                    <p role="status">{move || status.get()}</p>
                </form>
            </Show>
        </section>
    }
}
