//! Members, teams and invitations.

use leptos::prelude::*;
use leptos_router::components::A;
use saha_core::access::{Department, Role};
use saha_core::api::{self, ApiErrorCode, Invitation, Member, Team};

use crate::client::http;
use crate::i18n::{self, Key};
use crate::ui::{
    me, tr, use_lang,
    widgets::{
        feedback::{error_banner, input_field},
        format::format_time,
    },
};

/// Members, teams and invitations of the workspace, as the server has them now.
#[derive(Clone, Default)]
pub(crate) struct Directory {
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
            <A href="/settings" attr:class="back">"← " {tr(Key::Settings)}</A>
            <h1>{tr(Key::Members)}</h1>
            {error_banner(error)}
            {move || match directory.get() {
                None => view! { <p>{tr(Key::Loading)}</p> }.into_any(),
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
                                    <th>{tr(Key::Name)}</th>
                                    <th>{tr(Key::Role)}</th>
                                    <th>{tr(Key::FieldTeam)}</th>
                                    <th>{tr(Key::Department)}</th>
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
                                                                aria-label=tr(Key::Role)
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
                                                        aria-label=tr(Key::FieldTeam)
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
                                                        aria-label=tr(Key::Department)
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
                                                                    {if disabled { tr(Key::Enable) } else { tr(Key::Disable) }}
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

                        <h2>{tr(Key::Invitations)}</h2>
                        <ul class="cards" id="invitations">
                            {d
                                .invitations
                                .into_iter()
                                .map(|i| {
                                    let now = js_sys::Date::now() as i64;
                                    let state = if i.revoked {
                                        Key::Revoked
                                    } else if i.accepted_by.is_some() {
                                        Key::Accepted
                                    } else if i.expires_at <= now {
                                        Key::Expired
                                    } else {
                                        Key::Active
                                    };
                                    let id = i.id.clone();
                                    let role = i.role;
                                    view! {
                                        <li class="card">
                                            <span class="card-title">
                                                {i.accepted_by.clone().or(i.email.clone()).unwrap_or_else(|| "—".into())}
                                            </span>
                                            <span class="badge">{move || i18n::role(lang.get(), role)}</span>
                                            <span class="card-meta">{tr(state)} " · " {move || format_time(lang.get(), i.expires_at)}</span>
                                            {(state == Key::Active)
                                                .then(|| {
                                                    view! {
                                                        <button type="button" class="button" on:click=move |_| revoke(id.clone())>
                                                            {tr(Key::UiRevoke)}
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
                <h2>{tr(Key::Invite)}</h2>
                <div class="field">
                    <label for="invite-email">{tr(Key::EmailOptional)}</label>
                    <input
                        id="invite-email"
                        type="email"
                        autocomplete="off"
                        prop:value=invite_email
                        on:input=move |ev| invite_email.set(event_target_value(&ev))
                    />
                </div>
                <div class="field">
                    <label for="invite-role">{tr(Key::Role)}</label>
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
                    <label for="invite-team">{tr(Key::FieldTeam)}</label>
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
                    <label for="invite-department">{tr(Key::Department)}</label>
                    <select id="invite-department" on:change=move |ev| invite_department.set(event_target_value(&ev))>
                        <option value="">"—"</option>
                        {Department::ALL
                            .into_iter()
                            .map(|d| view! { <option value=d.code()>{move || i18n::department(lang.get(), d)}</option> })
                            .collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="invite-hours">{tr(Key::ValidForHours)}</label>
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
                    <button type="submit" class="button primary">{tr(Key::Invite)}</button>
                </div>
                <Show when=move || new_link.with(Option::is_some)>
                    <p class="banner" role="status">
                        {tr(Key::InvitationLink)} <br />
                        <output id="invitation-link">{move || new_link.get().unwrap_or_default()}</output>
                    </p>
                </Show>
            </form>

            <form class="form" id="team-form" on:submit=add_team>
                <h2>{tr(Key::AddTeam)}</h2>
                {input_field("team-name", Key::TeamName, "text", "off", team_name)}
                <div class="actions">
                    <button type="submit" class="button">{tr(Key::AddTeam)}</button>
                </div>
            </form>
            <p class="hint">{tr(Key::Teams)} ": " {move || teams().into_iter().map(|t| t.name).collect::<Vec<_>>().join(", ")}</p>
        </section>
    }
}
