//! A short message at the bottom of the screen after a step that can be taken back
//! ("Task done · Undo"), gone after a few seconds. One at a time; a new one replaces it.

use leptos::prelude::*;

use crate::i18n::{self, Key};
use crate::ui::use_lang;

/// How long a toast stays, in milliseconds.
const SHOWN_MS: u32 = 6_000;

/// The toast on screen: its message and what Undo does.
#[derive(Clone)]
struct Toast {
    serial: u64,
    message: Key,
    undo: Option<Callback<()>>,
}

thread_local! {
    /// The current toast. Kept here rather than in a context: a toast is usually shown
    /// after an awaited write, where no reactive owner (and so no context) is at hand.
    static CURRENT: std::cell::Cell<Option<RwSignal<Option<Toast>>>> = const { std::cell::Cell::new(None) };
}

/// Shows `message` with an Undo button that runs `undo`.
pub fn show_undo(message: Key, undo: Callback<()>) {
    let Some(current) = CURRENT.with(std::cell::Cell::get) else {
        return;
    };
    let serial = current.with_untracked(|t| t.as_ref().map_or(0, |t| t.serial + 1));
    current.set(Some(Toast {
        serial,
        message,
        undo: Some(undo),
    }));
    wasm_bindgen_futures::spawn_local(async move {
        gloo_timers::future::TimeoutFuture::new(SHOWN_MS).await;
        // Only this toast goes; a newer one stays its full time.
        if current.with_untracked(|t| t.as_ref().is_some_and(|t| t.serial == serial)) {
            current.set(None);
        }
    });
}

/// Where toasts appear; mounted once around the app's pages.
#[component]
pub fn ToastRegion(children: Children) -> impl IntoView {
    let lang = use_lang();
    let current = RwSignal::new(None::<Toast>);
    CURRENT.with(|c| c.set(Some(current)));
    view! {
        {children()}
        <div class="toast-region" role="status" aria-live="polite">
            {move || {
                current
                    .get()
                    .map(|toast| {
                        let undo = toast.undo;
                        view! {
                            <div class="undo-toast">
                                <span>{move || i18n::word(lang.get(), toast.message)}</span>
                                {undo.map(|undo| view! {
                                    <button type="button" class="button small" id="toast-undo" on:click=move |_| {
                                        current.set(None);
                                        undo.run(());
                                    }>{move || i18n::word(lang.get(), Key::UiUndo)}</button>
                                })}
                            </div>
                        }
                    })
            }}
        </div>
    }
}
