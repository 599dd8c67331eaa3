//! The settings page's "files on this device": how many attachment files this device
//! keeps and their size, how many still wait to be uploaded, what the browser says Saha
//! uses in all, and how long files the server already has are kept offline
//! ([`KeepFiles`]; applied by [`files::prune`]).

use leptos::prelude::*;
use saha_core::record::attachment::KeepFiles;

use crate::client::files::{self, DeviceStorage};
use crate::i18n::{Fmt, Key, Lang};
use crate::ui::widgets::format::size_text;
use crate::ui::{repo, tr, use_lang, word};

/// A [`KeepFiles`] choice as the select lists it.
fn choice_text(lang: Lang, keep: KeepFiles) -> String {
    match keep {
        KeepFiles::All => word(lang, Key::UiKeepFilesAll),
        KeepFiles::Days(days) => {
            Fmt::KeepFilesDays.format(lang, &[("days", u64::from(days).into())])
        }
        KeepFiles::UntilUploaded => word(lang, Key::UiKeepFilesNone),
    }
}

#[component]
pub fn DeviceFiles() -> impl IntoView {
    let lang = use_lang();
    let storage = RwSignal::new(None::<DeviceStorage>);
    let keep = RwSignal::new(KeepFiles::All);
    let notice = RwSignal::new(None::<String>);
    // Counted after the setting is applied (the app also applies it when it opens,
    // which may still be under way).
    let refresh = move || {
        wasm_bindgen_futures::spawn_local(async move {
            if let Err(e) = files::prune(&repo()).await {
                leptos::logging::warn!("old files not removed from this device: {e}");
            }
            match files::device_storage(&repo()).await {
                Ok(found) => {
                    storage.try_set(Some(found));
                }
                Err(e) => leptos::logging::warn!("device storage: {e}"),
            }
        });
    };
    wasm_bindgen_futures::spawn_local(async move {
        keep.try_set(files::keep_files(&repo()).await);
    });
    refresh();
    let choose = move |ev: leptos::ev::Event| {
        let Some(chosen) = KeepFiles::from_setting(&event_target_value(&ev)) else {
            return;
        };
        keep.set(chosen);
        notice.set(None);
        wasm_bindgen_futures::spawn_local(async move {
            let text = match files::set_keep_files(&repo(), chosen).await {
                Ok(0) => word(lang.get_untracked(), Key::UiKeepFilesSaved),
                Ok(removed) => Fmt::DeviceFilesRemoved
                    .format(lang.get_untracked(), &[("count", removed.into())]),
                Err(e) => {
                    leptos::logging::warn!("keep files: {e}");
                    word(lang.get_untracked(), Key::UiAttachmentNotStored)
                }
            };
            notice.try_set(Some(text));
            refresh();
        });
    };
    let figures = move || {
        storage.get().map(|s| {
            let lang = lang.get();
            let files = format!("{} · {}", s.files, size_text(lang, s.file_bytes));
            let site = s.used.map(|used| match s.quota {
                Some(quota) if quota > 0.0 => format!(
                    "{} / {}",
                    size_text(lang, used as u64),
                    size_text(lang, quota as u64)
                ),
                _ => size_text(lang, used as u64),
            });
            view! {
                <dl class="facts" id="device-storage">
                    <dt>{tr(Key::UiDeviceFiles)}</dt>
                    <dd data-files=s.files data-bytes=s.file_bytes>{files}</dd>
                    <dt>{tr(Key::UiDeviceFilesWaiting)}</dt>
                    <dd data-waiting=s.waiting>{s.waiting}</dd>
                    {site.map(|site| view! {
                        <dt>{tr(Key::UiDeviceSiteUsage)}</dt>
                        <dd>{site}</dd>
                    })}
                </dl>
            }
        })
    };
    view! {
        <h2>{tr(Key::UiDeviceStorage)}</h2>
        <p class="hint">{tr(Key::UiDeviceStorageHint)}</p>
        {figures}
        <div class="form">
            <div class="field">
                <label for="keep-files">{tr(Key::UiKeepFiles)}</label>
                <select id="keep-files" on:change=choose>
                    {KeepFiles::CHOICES
                        .into_iter()
                        .map(|choice| view! {
                            <option
                                value=choice.to_setting()
                                selected=move || keep.get() == choice
                            >
                                {move || choice_text(lang.get(), choice)}
                            </option>
                        })
                        .collect_view()}
                </select>
            </div>
            {move || notice.get().map(|text| view! {
                <p class="banner" role="status" id="keep-files-notice">{text}</p>
            })}
        </div>
    }
}
