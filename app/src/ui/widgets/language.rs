//! The Turkish/English switch.

use leptos::prelude::*;

use crate::i18n::{Lang, Msg};
use crate::ui::{tr, use_lang};

/// The TR/EN switch of the top bar (signed in or not).
#[component]
pub fn LanguagePicker() -> impl IntoView {
    let lang = use_lang();
    view! {
        <label class="lang">
            <span class="visually-hidden">{tr(Msg::Language)}</span>
            <select
                aria-label=tr(Msg::Language)
                on:change=move |ev| {
                    if let Some(l) = Lang::from_code(&event_target_value(&ev)) {
                        lang.set(l);
                    }
                }
                prop:value=move || lang.get().code()
            >
                <option value="tr">"TR"</option>
                <option value="en">"EN"</option>
            </select>
        </label>
    }
}
