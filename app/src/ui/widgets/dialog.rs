//! Asking before a step that cannot be undone, and asking for a reason: a sheet over the
//! page (modal, focus moved into it, Escape cancels), never the browser's `prompt()`.

use leptos::html;
use leptos::prelude::*;

use crate::i18n::{self, Key};
use crate::ui::use_lang;

/// A button that asks "are you sure?" in a sheet before running `on_confirm`. The
/// button has `id`; the sheet's confirming button has `{id}-confirm`.
#[component]
pub fn ConfirmButton(
    id: &'static str,
    /// The button's label, also the confirming button's.
    label: Key,
    /// What the sheet says will happen.
    question: Key,
    on_confirm: Callback<()>,
    #[prop(optional)] primary: bool,
) -> impl IntoView {
    let lang = use_lang();
    let open = RwSignal::new(false);
    let class = if primary { "button primary" } else { "button" };
    view! {
        <button type="button" class=class id=id on:click=move |_| open.set(true)>
            {move || i18n::word(lang.get(), label)}
        </button>
        <ConfirmSheet
            open=open
            id=id
            label=label
            question=Signal::derive(move || i18n::word(lang.get(), question))
            on_confirm=on_confirm
        />
    }
}

/// The "are you sure?" sheet itself, shown while `open` is true (for a step that first
/// checks its input, then asks). Its confirming button has `{id}-confirm`.
#[component]
pub fn ConfirmSheet(
    open: RwSignal<bool>,
    id: &'static str,
    /// The confirming button's label.
    label: Key,
    question: Signal<String>,
    on_confirm: Callback<()>,
) -> impl IntoView {
    let lang = use_lang();
    let confirm_ref = NodeRef::<html::Button>::new();
    Effect::new(move |_| {
        if open.get()
            && let Some(button) = confirm_ref.get()
        {
            let _ = button.focus();
        }
    });
    let title_id = format!("{id}-question");
    view! {
        <Show when=move || open.get()>
            <div class="sheet-backdrop" on:click=move |_| open.set(false)>
                <div
                    class="sheet"
                    role="alertdialog"
                    aria-modal="true"
                    aria-labelledby=title_id.clone()
                    on:click=|ev| ev.stop_propagation()
                    on:keydown=move |ev| if ev.key() == "Escape" { open.set(false) }
                >
                    <p id=title_id.clone()>{move || question.get()}</p>
                    <div class="actions">
                        <button
                            type="button"
                            class="button primary"
                            id=format!("{id}-confirm")
                            node_ref=confirm_ref
                            on:click=move |_| {
                                open.set(false);
                                on_confirm.run(());
                            }
                        >
                            {move || i18n::word(lang.get(), label)}
                        </button>
                        <button type="button" class="button" on:click=move |_| open.set(false)>
                            {move || i18n::word(lang.get(), Key::Cancel)}
                        </button>
                    </div>
                </div>
            </div>
        </Show>
    }
}

/// A sheet asking for a reason (a lost deal's): shown while `asking` holds a value,
/// which `on_reason` gets back with the trimmed text. An empty reason is not accepted.
#[component]
pub fn ReasonSheet<T>(
    asking: RwSignal<Option<T>>,
    /// The question, also the text field's label.
    label: Key,
    id: &'static str,
    on_reason: Callback<(T, String)>,
) -> impl IntoView
where
    T: Clone + Send + Sync + 'static,
{
    let lang = use_lang();
    let text = RwSignal::new(String::new());
    let field_ref = NodeRef::<html::Textarea>::new();
    Effect::new(move |_| {
        if asking.with(Option::is_some)
            && let Some(field) = field_ref.get()
        {
            let _ = field.focus();
        }
    });
    let cancel = move || {
        asking.set(None);
        text.set(String::new());
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let reason = text.get_untracked().trim().to_owned();
        if reason.is_empty() {
            return;
        }
        if let Some(value) = asking.get_untracked() {
            asking.set(None);
            text.set(String::new());
            on_reason.run((value, reason));
        }
    };
    view! {
        <Show when=move || asking.with(Option::is_some)>
            <div class="sheet-backdrop" on:click=move |_| cancel()>
                <form
                    class="sheet form"
                    role="dialog"
                    aria-modal="true"
                    id=id
                    on:click=|ev| ev.stop_propagation()
                    on:keydown=move |ev| if ev.key() == "Escape" { cancel() }
                    on:submit=submit
                >
                    <div class="field">
                        <label for=format!("{id}-text")>{move || i18n::word(lang.get(), label)}</label>
                        <textarea
                            id=format!("{id}-text")
                            required
                            node_ref=field_ref
                            prop:value=move || text.get()
                            on:input=move |ev| text.set(event_target_value(&ev))
                        ></textarea>
                    </div>
                    <div class="actions">
                        <button type="submit" class="button primary" id=format!("{id}-save") disabled=move || text.with(|t| t.trim().is_empty())>
                            {move || i18n::word(lang.get(), Key::UiSave)}
                        </button>
                        <button type="button" class="button" on:click=move |_| cancel()>
                            {move || i18n::word(lang.get(), Key::Cancel)}
                        </button>
                    </div>
                </form>
            </div>
        </Show>
    }
}
