//! The Turkish/English switch.

use leptos::prelude::*;

use crate::i18n::{Key, Lang};
use crate::ui::{tr, use_lang};

/// The TR/EN switch of the top bar (signed in or not).
#[component]
pub fn LanguagePicker() -> impl IntoView {
    let lang = use_lang();
    view! {
        <label class="lang">
            <span class="visually-hidden">{tr(Key::Language)}</span>
            <select
                aria-label=tr(Key::Language)
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
