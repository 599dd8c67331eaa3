//! New and edit forms for every kind, from the kind's field specs and the rule table.

use crate::i18n::word_for;
use std::collections::HashMap;

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;
use saha_core::access::Role;
use saha_core::kinds::{Record, section_of};
use saha_core::record::form::{FieldSpec, Form, Input};
use saha_core::sales::product;
use saha_core::text::validate::Problem;

use crate::client::error::RepoError;
use crate::i18n::{self, Key};
use crate::ui::{
    me,
    records::list::{id_param, may_create, section_param},
    repo, tr, use_lang,
    widgets::{
        links::{record_href, stage_name, team_name, title_of_id},
        pickers::{LinkListPicker, LinkPicker, toggle_id},
    },
    word,
};

#[component]
pub fn NewRecord() -> impl IntoView {
    let kind = section_param();
    let query = use_query_map();
    move || {
        let kind = kind.get();
        if !may_create(kind) {
            return view! {
                <section class="page">
                    <p class="banner" role="status">{tr(Key::ReadOnlyNote)}</p>
                </section>
            }
            .into_any();
        }
        let ctx = repo().edit_context();
        let Some(blank) = Record::blank(kind, &ctx) else {
            return view! { <crate::ui::widgets::feedback::NotFound /> }.into_any();
        };
        let mut initial = blank.form();
        if initial.get("team").is_empty() && kind != product::KIND {
            initial.set("team", me().teams.first().cloned().unwrap_or_default());
        }
        // Links passed in the address (e.g. a new contact from an account's page).
        query.with_untracked(|q| {
            for field in blank_fields(kind) {
                if let Some(value) = q.get(field.name) {
                    initial.set(field.name, value);
                }
            }
        });
        // A meeting planned from the calendar lasts an hour unless told otherwise.
        if kind == saha_core::activities::meeting::KIND
            && initial.get("end").is_empty()
            && let Some(start) = saha_core::time::civil::LocalDateTime::parse(initial.get("start"))
        {
            initial.set("end", start.add_minutes(60).to_string());
        }
        if kind == saha_core::activities::call::KIND && initial.get("started").is_empty() {
            let zone = repo().service().with_untracked(|s| s.zone());
            initial.set("started", zone.local(crate::client::now_ms()).to_string());
        }
        let template = blank.clone();
        // A new account or contact that looks recorded already is held back once, with
        // the records it resembles named; saving again creates it anyway.
        let warned = RwSignal::new(false);
        let save = move |form: Form| {
            let mut record = template.clone();
            async move {
                let ctx = repo().edit_context();
                record.apply_new(&form, &ctx).map_err(RepoError::Invalid)?;
                if !warned.get_untracked()
                    && let Some(profile) = saha_core::duplicates::Profile::of(&record)
                {
                    let found = repo().with_record_list(|list| {
                        saha_core::duplicates::matches_for(&profile, list)
                    });
                    if !found.is_empty() {
                        warned.set(true);
                        let titles = found
                            .iter()
                            .take(3)
                            .map(|pair| crate::ui::widgets::links::title_of_id(&pair.second))
                            .collect();
                        return Err(RepoError::PossibleDuplicate(titles));
                    }
                }
                let call = match &record {
                    Record::Call(c) => Some(c.clone()),
                    _ => None,
                };
                let id = repo().create(record).await?;
                if let Some(call) = call {
                    crate::ui::activities::calls::create_follow_up(id, &call).await;
                }
                crate::ui::go(&record_href(kind, id));
                Ok(())
            }
        };
        let lang = use_lang();
        view! {
            <section class="page">
                <h1>{move || word_for(lang.get(), &format!("new.{kind}"))}</h1>
                <RecordForm
                    kind=kind
                    fields=blank_fields(kind)
                    initial=initial
                    is_new=true
                    save=save
                    cancel_href=format!("/{}", section_of(kind))
                />
            </section>
        }
        .into_any()
    }
}

fn blank_fields(kind: &str) -> &'static [FieldSpec] {
    Record::blank(kind, &repo().edit_context()).map_or(&[], |r| r.fields())
}

#[component]
pub fn EditRecord() -> impl IntoView {
    let kind = section_param();
    let id = id_param();
    let records = repo().records();
    let arrived = move || {
        id.get()
            .is_some_and(|id| records.with(|r| r.contains_key(&id)))
    };
    view! {
        <section class="page">
            <h1>{tr(Key::Edit)}</h1>
            <Show when=arrived fallback=|| view! { <p class="empty">{tr(Key::RecordNotFound)}</p> }>
                {move || {
                    // The form starts from the record as it is when the page opens, and
                    // keeps what the user types even if a colleague's edit arrives
                    // meanwhile (it merges on save).
                    let id = id.get()?;
                    let record = repo().record(id)?;
                    let kind = kind.get();
                    let save = move |form: Form| async move {
                        repo().edit(id, &form).await?;
                        crate::ui::go(&record_href(kind, id));
                        Ok(())
                    };
                    Some(view! {
                        <RecordForm
                            kind=kind
                            fields=record.fields()
                            initial=record.form()
                            is_new=false
                            save=save
                            cancel_href=record_href(kind, id)
                        />
                    })
                }}
            </Show>
        </section>
    }
}

/// Teams this member may put a record in (the current one is always offered).
fn team_choices(current: &str) -> Vec<(String, String)> {
    let me = me();
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
    if !choices.iter().any(|(id, _)| id == current) {
        choices.insert(0, (current.to_owned(), team_name(current)));
    }
    choices
}

/// A form for any record type, from its field list. What the user typed is kept when
/// the save is refused; problems show beside their fields.
#[component]
pub fn RecordForm<S, F>(
    kind: &'static str,
    fields: &'static [FieldSpec],
    initial: Form,
    is_new: bool,
    save: S,
    cancel_href: String,
) -> impl IntoView
where
    S: Fn(Form) -> F + Clone + 'static,
    F: std::future::Future<Output = Result<(), RepoError>> + 'static,
{
    let lang = use_lang();
    // Numbers open the way the member writes them (`1.249,9` in Turkish).
    let turkish = lang.get_untracked() == crate::i18n::Lang::Tr;
    let values: HashMap<&'static str, RwSignal<String>> = fields
        .iter()
        .map(|f| {
            let stored = initial.get(f.name);
            let shown = match f.input {
                Input::Decimal => saha_core::text::validate::decimal_for_editing(stored, turkish),
                _ => stored.to_owned(),
            };
            (f.name, RwSignal::new(shown))
        })
        .collect();
    let problems = RwSignal::new(Vec::<(&'static str, Problem)>::new());
    let failure = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);

    let on_submit = {
        let values = values.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            if busy.get_untracked() {
                return;
            }
            let mut form = Form::new();
            for (name, value) in &values {
                form.set(name, value.get_untracked());
            }
            let save = save.clone();
            busy.set(true);
            wasm_bindgen_futures::spawn_local(async move {
                match save(form).await {
                    Ok(()) => {}
                    Err(RepoError::Invalid(found)) => {
                        problems.set(found);
                        failure.set(None);
                    }
                    Err(e) => failure.set(Some(i18n::repo_error(lang.get_untracked(), &e))),
                }
                busy.set(false);
            });
        }
    };

    // The rule table decides what this member may set here (see saha_core::rules).
    let status = initial.get("status").to_owned();
    let inputs = fields
        .iter()
        .map(|field| {
            let value = values[field.name];
            let input = field_input(kind, *field, value, problems, is_new, &status);
            // A campaign's subject and İYS topic only matter for e-mail.
            let channel = values.get("channel").copied();
            match channel {
                Some(channel)
                    if kind == saha_core::engagement::campaign::KIND
                        && matches!(field.name, "subject" | "email_topic") =>
                {
                    let email = saha_core::parties::consent::Channel::Email.code();
                    view! { <div class="email-only" hidden=move || channel.get() != email>{input}</div> }
                        .into_any()
                }
                _ => input,
            }
        })
        .collect_view();
    // Meetings and calls warn when a contact was already met or called too often.
    let advice = match (kind, values.get("contacts"), values.get("contact")) {
        (saha_core::activities::meeting::KIND, Some(contacts), _) => {
            let at = values
                .get("start")
                .copied()
                .unwrap_or(RwSignal::new(String::new()));
            Some(
                crate::ui::activities::calls::frequency_warning((*contacts).into(), at.into())
                    .into_any(),
            )
        }
        (saha_core::activities::call::KIND, _, Some(contact)) => {
            let at = values
                .get("started")
                .copied()
                .unwrap_or(RwSignal::new(String::new()));
            Some(
                crate::ui::activities::calls::frequency_warning((*contact).into(), at.into())
                    .into_any(),
            )
        }
        _ => None,
    };

    view! {
        <form class="form" novalidate on:submit=on_submit>
            <Show when=move || !problems.with(Vec::is_empty)>
                <p class="banner error" role="alert">{tr(Key::FormHasErrors)}</p>
            </Show>
            <Show when=move || failure.with(Option::is_some)>
                <p class="banner error" role="alert">
                    {tr(Key::SaveFailed)} ": " {move || failure.get().unwrap_or_default()}
                </p>
            </Show>
            {inputs}
            {advice}
            <div class="actions">
                <button type="submit" class="button primary" disabled=busy>
                    {tr(Key::UiSave)}
                </button>
                <A href=cancel_href attr:class="button">{tr(Key::Cancel)}</A>
            </div>
        </form>
    }
}

/// One labelled input of a record form. `status` is the record's status as the form
/// opened: a status menu offers only the moves the member's role may make, and a field
/// the rule table locks (by status, or for the server) is shown but disabled.
fn field_input(
    kind: &'static str,
    field: FieldSpec,
    value: RwSignal<String>,
    problems: RwSignal<Vec<(&'static str, Problem)>>,
    is_new: bool,
    status: &str,
) -> AnyView {
    let lang = use_lang();
    let name = field.name;
    let role = me().role;
    let locked = !is_new && !saha_core::rules::may_edit_field(kind, role, name, status);
    let id = format!("{kind}-{name}");
    let error_id = format!("{id}-error");
    let problem = move || {
        problems.with(|ps| {
            ps.iter()
                .find(|(f, _)| *f == name)
                .map(|(_, p)| i18n::problem(lang.get(), *p))
        })
    };
    let invalid = move || {
        problems
            .with(|ps| ps.iter().any(|(f, _)| *f == name))
            .to_string()
    };
    let label = move || {
        let text = i18n::field_label(lang.get(), kind, name);
        if field.required {
            format!("{text} *")
        } else {
            text
        }
    };
    let control = match field.input {
        // A campaign's message: its fields are chips that insert themselves at the cursor.
        Input::LongText if kind == saha_core::engagement::campaign::KIND && name == "template" => {
            let area = NodeRef::<leptos::html::Textarea>::new();
            let insert = move |code: &'static str| {
                let token = format!("{{{{{code}}}}}");
                let text = value.get_untracked();
                // The cursor, in UTF-16 units as the browser counts; the end if unknown.
                let at = area
                    .get_untracked()
                    .and_then(|a| a.selection_start().ok().flatten())
                    .map(|units| {
                        let mut seen = 0u32;
                        text.char_indices()
                            .find(|(_, c)| {
                                let before = seen;
                                seen += c.len_utf16() as u32;
                                before >= units
                            })
                            .map_or(text.len(), |(i, _)| i)
                    })
                    .unwrap_or(text.len());
                value.set(format!("{}{token}{}", &text[..at], &text[at..]));
                if let Some(a) = area.get_untracked() {
                    let _ = a.focus();
                }
            };
            view! {
                <textarea
                    id=id.clone()
                    name=name
                    rows="4"
                    node_ref=area
                    prop:value=value
                    on:input=move |ev| value.set(event_target_value(&ev))
                    aria-invalid=invalid
                    aria-describedby=error_id.clone()
                ></textarea>
                <div class="chips" role="group" aria-label=move || i18n::word(lang.get(), Key::UiInsertField)>
                    {saha_core::engagement::campaign::TEMPLATE_FIELDS
                        .iter()
                        .map(|code| {
                            let code: &'static str = code;
                            view! {
                                <button type="button" class="chip" data-insert=code on:click=move |_| insert(code)>
                                    "+ " {move || i18n::word_for(lang.get(), &format!("placeholder.{code}"))}
                                </button>
                            }
                        })
                        .collect_view()}
                </div>
            }
            .into_any()
        }
        Input::LongText => view! {
            <textarea
                id=id.clone()
                name=name
                rows="4"
                prop:value=value
                on:input=move |ev| value.set(event_target_value(&ev))
                aria-invalid=invalid
                aria-describedby=error_id.clone()
            ></textarea>
        }
        .into_any(),
        Input::Choice(codes) => view! {
            <select
                id=id.clone()
                name=name
                prop:value=value
                on:change=move |ev| value.set(event_target_value(&ev))
                aria-invalid=invalid
                disabled=locked
            >
                {let offered: Vec<&'static str> = if name == "status" {
                    saha_core::rules::allowed_statuses(kind, role, status, codes)
                } else {
                    codes.to_vec()
                };
                offered
                    .into_iter()
                    .map(|code| {
                        let key = format!("{name}.{code}");
                        view! {
                            <option value=code selected=move || value.get() == code>
                                {move || i18n::word_for(lang.get(), &key)}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
        }
        .into_any(),
        // The İYS e-mail topic: one of the workspace's topics (Settings → Service).
        Input::Text if name == "email_topic" => {
            let mut topics = repo().service().with_untracked(|s| s.email_topics.clone());
            let current = value.get_untracked();
            if !current.is_empty() && !topics.contains(&current) {
                topics.push(current);
            }
            view! {
                <select id=id.clone() name=name prop:value=value on:change=move |ev| value.set(event_target_value(&ev)) disabled=locked>
                    <option value="" selected=move || value.with(String::is_empty)>{move || i18n::word(lang.get(), Key::UiNoEmailTopic)}</option>
                    {topics
                        .into_iter()
                        .map(|topic| {
                            let selected = {
                                let topic = topic.clone();
                                move || value.get() == topic
                            };
                            view! { <option value=topic.clone() selected=selected>{topic.clone()}</option> }
                        })
                        .collect_view()}
                </select>
            }
            .into_any()
        }
        Input::Text if name == "stage" => {
            let stages = repo().pipeline().get_untracked();
            view! {
                <select id=id.clone() name=name prop:value=value on:change=move |ev| value.set(event_target_value(&ev))>
                    {stages
                        .into_iter()
                        .map(|s| {
                            let code = s.code.clone();
                            let selected = {
                                let code = code.clone();
                                move || value.get() == code
                            };
                            let label = move || stage_name(lang.get(), &s.code);
                            view! { <option value=code selected=selected>{label}</option> }
                        })
                        .collect_view()}
                </select>
            }
            .into_any()
        }
        Input::Team => {
            let choices = team_choices(&value.get_untracked());
            let locked = choices.len() <= 1;
            view! {
                <select id=id.clone() name=name disabled=locked prop:value=value on:change=move |ev| value.set(event_target_value(&ev))>
                    {choices
                        .into_iter()
                        .map(|(team, team_label)| {
                            let selected = {
                                let team = team.clone();
                                move || value.get() == team
                            };
                            let text = move || {
                                if team_label.is_empty() { tr(Key::NoTeam)().to_owned() } else { team_label.clone() }
                            };
                            view! { <option value=team selected=selected>{text}</option> }
                        })
                        .collect_view()}
                </select>
            }
            .into_any()
        }
        Input::Member => {
            let me = me();
            // The server refuses owner changes from sales reps and agents.
            let locked = !is_new && !matches!(me.role, Role::Owner | Role::Admin | Role::Manager);
            let mut people: Vec<(String, String)> = vec![(String::new(), "—".to_owned())];
            people.extend(me.people.iter().map(|p| (p.id.clone(), p.name.clone())));
            view! {
                <select id=id.clone() name=name disabled=locked prop:value=value on:change=move |ev| value.set(event_target_value(&ev))>
                    {people
                        .into_iter()
                        .map(|(person, person_label)| {
                            let selected = {
                                let person = person.clone();
                                move || value.get() == person
                            };
                            view! { <option value=person selected=selected>{person_label}</option> }
                        })
                        .collect_view()}
                </select>
            }
            .into_any()
        }
        Input::Link(target) => {
            view! { <LinkPicker id=id.clone() kind=target value=value /> }.into_any()
        }
        Input::LinkList(target) => {
            view! { <LinkListPicker id=id.clone() kind=target value=value /> }.into_any()
        }
        Input::MemberList => {
            let people = me().people.clone();
            view! {
                <div class="checks" id=id.clone()>
                    {people
                        .into_iter()
                        .map(|p| {
                            let person = p.id.clone();
                            let checked = {
                                let person = person.clone();
                                move || value.with(|v| v.split(',').any(|x| x.trim() == person))
                            };
                            view! {
                                <label class="check">
                                    <input
                                        type="checkbox"
                                        prop:checked=checked
                                        on:change=move |ev| {
                                            let on = event_target_checked(&ev);
                                            value.update(|v| *v = toggle_id(v, &person, on));
                                        }
                                    />
                                    {p.name.clone()}
                                </label>
                            }
                        })
                        .collect_view()}
                </div>
            }
            .into_any()
        }
        Input::TimeZone => view! {
            <select id=id.clone() name=name prop:value=value on:change=move |ev| value.set(event_target_value(&ev)) aria-invalid=invalid>
                {saha_core::time::civil::ZONES
                    .iter()
                    .map(|(zone, _)| view! { <option value=*zone selected=move || value.get() == *zone>{*zone}</option> })
                    .collect_view()}
            </select>
        }
        .into_any(),
        Input::Text if name == "calendar" => {
            let mut choices = crate::ui::activities::calendar::calendar_choices(lang.get_untracked());
            let current = value.get_untracked();
            if !current.is_empty() && !choices.iter().any(|(c, _)| *c == current) {
                choices.push((current.clone(), crate::ui::activities::calendar::calendar_name(lang.get_untracked(), &current)));
            }
            view! {
                <select id=id.clone() name=name prop:value=value on:change=move |ev| value.set(event_target_value(&ev))>
                    {choices
                        .into_iter()
                        .map(|(code, label)| {
                            let selected = {
                                let code = code.clone();
                                move || value.get() == code
                            };
                            view! { <option value=code selected=selected>{label}</option> }
                        })
                        .collect_view()}
                </select>
            }
            .into_any()
        }
        Input::Recurrence => {
            let presets = [
                ("", Key::RepeatNone),
                ("FREQ=DAILY", Key::RepeatDaily),
                ("FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", Key::RepeatWeekdays),
                ("FREQ=WEEKLY", Key::RepeatWeekly),
                ("FREQ=WEEKLY;INTERVAL=2", Key::RepeatBiweekly),
                ("FREQ=MONTHLY", Key::RepeatMonthly),
            ];
            // Plain choices; the rule itself (RRULE) only for "custom", with its meaning
            // spelled out underneath as it is typed.
            let custom = RwSignal::new({
                let v = value.get_untracked();
                !v.is_empty() && !presets.iter().any(|(r, _)| *r == v)
            });
            let zone = crate::ui::widgets::format::workspace_zone();
            view! {
                <div class="recurrence">
                    <select
                        id=format!("{id}-preset")
                        aria-label=move || word(lang.get(), Key::FieldRecurrence)
                        on:change=move |ev| {
                            let chosen = event_target_value(&ev);
                            if chosen == "custom" {
                                custom.set(true);
                            } else {
                                custom.set(false);
                                value.set(chosen);
                            }
                        }
                    >
                        {presets
                            .into_iter()
                            .map(|(rule, key)| view! { <option value=rule selected=move || !custom.get() && value.get() == rule>{move || word(lang.get(), key)}</option> })
                            .collect_view()}
                        <option value="custom" selected=move || custom.get()>{move || word(lang.get(), Key::RepeatCustom)}</option>
                    </select>
                    <Show when=move || !value.with(String::is_empty)>
                        <p class="hint" data-recurrence-text="">
                            {move || crate::ui::widgets::format::recurrence_text(lang.get(), &value.get(), zone)}
                        </p>
                    </Show>
                    <input
                        hidden=move || !custom.get()
                        id=id.clone()
                        name=name
                        type="text"
                        autocomplete="off"
                        spellcheck="false"
                        placeholder="FREQ=WEEKLY;BYDAY=MO;COUNT=10"
                        prop:value=value
                        on:input=move |ev| value.set(event_target_value(&ev))
                        aria-invalid=invalid
                        aria-describedby=error_id.clone()
                    />
                </div>
            }
            .into_any()
        }
        Input::AnyLink => {
            let title = move || {
                let v = value.get();
                let t = title_of_id(&v);
                if t.is_empty() { v } else { t }
            };
            view! {
                <div class="picker">
                    <output id=id.clone()>{title}</output>
                    <Show when=move || !value.with(String::is_empty)>
                        <button type="button" class="button small" on:click=move |_| value.set(String::new())>
                            {move || word(lang.get(), Key::UiClear)}
                        </button>
                    </Show>
                </div>
            }
            .into_any()
        }
        other => {
            let (input_type, mode) = match other {
                Input::Email => ("email", "email"),
                Input::Phone => ("tel", "tel"),
                Input::Date => ("date", "text"),
                Input::DateTime => ("datetime-local", "text"),
                Input::Decimal => ("text", "decimal"),
                _ => ("text", "text"),
            };
            view! {
                <input
                    id=id.clone()
                    name=name
                    type=input_type
                    inputmode=mode
                    autocomplete="off"
                    prop:value=value
                    on:input=move |ev| value.set(event_target_value(&ev))
                    aria-invalid=invalid
                    aria-describedby=error_id.clone()
                />
            }
            .into_any()
        }
    };
    view! {
        <div class="field" data-field=name data-locked=locked.then_some("true")>
            <label for=id>{label}</label>
            // A disabled fieldset disables every control inside it, whatever its kind.
            <fieldset class="bare" disabled=locked>
                {control}
            </fieldset>
            {locked.then(|| view! { <p class="hint">{move || word(lang.get(), Key::UiFieldLocked)}</p> })}
            <p class="error" id=error_id>{problem}</p>
        </div>
    }
    .into_any()
}
