//! A record's attachments: take a photo (the phone's camera, or the gallery), record a
//! voice note, add a document, and see, play or open what is attached. A photo is made
//! smaller on the device (its longer edge at most what the server says, 2,048 pixels by
//! default: [`saha_core::api::AttachmentLimits`]) and re-encoded, which also drops its
//! location unless the member keeps the original; a file over the server's limit is
//! refused before it is kept. Everything works offline: the file
//! is kept on this device and shown from there until it has been uploaded
//! ([`crate::client::files`]). This part of the app loads the first time a record page
//! is opened.

use std::cell::RefCell;
use std::rc::Rc;

use leptos::prelude::*;
use saha_core::DocumentId;
use saha_core::kinds::section_of;
use saha_core::record::attachment::{Attachment, Category, SNIFF_BYTES, THUMB_EDGE, sniff};
use wasm_bindgen::prelude::*;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use crate::client::describe;
use crate::client::files;
use crate::client::repo::Repo;
use crate::i18n::{Fmt, Key, Lang};
use crate::ui::widgets::files::picked_files;
use crate::ui::widgets::format::size_text;
use crate::ui::{me, repo, tr, use_lang, word};

/// What the file chooser offers for documents (the server checks the bytes anyway).
const DOCUMENT_TYPES: &str = "image/*,audio/*,application/pdf,.pdf,.doc,.docx,.xls,.xlsx,\
                              .ppt,.pptx,.odt,.ods,.odp,.txt,.csv";

/// The attachments panel of record `id` of `kind`.
#[component]
pub fn AttachmentsPanel(
    id: DocumentId,
    kind: String,
    /// The record's attachments as they change (the panel stays while they do, so a
    /// file being chosen is not lost to a colleague's edit arriving).
    attachments: Signal<Vec<Attachment>>,
    editable: Signal<bool>,
) -> impl IntoView {
    let lang = use_lang();
    let section = section_of(&kind);
    // Files kept on this device whose record change is still being made: shown at
    // once, and as the same item once the record holds them (the same key).
    let pending = RwSignal::new(Vec::<Attachment>::new());
    let live = Memo::new(move |_| {
        let mut live: Vec<Attachment> =
            attachments.with(|all| all.iter().filter(|a| a.is_live()).cloned().collect());
        pending.with(|pending| {
            for kept in pending {
                if !attachments.with(|all| all.iter().any(|a| a.hash == kept.hash)) {
                    live.push(kept.clone());
                }
            }
        });
        live.sort_by_key(|a| std::cmp::Reverse(a.at));
        live
    });
    wasm_bindgen_futures::spawn_local(async { files::prune_once(&repo()).await });
    let problem = RwSignal::new(None::<Problem>);
    let busy = RwSignal::new(false);
    let keep_original = RwSignal::new(false);
    let take = move |event: leptos::ev::Event, photo: bool| {
        let files = picked_files(&event);
        if files.is_empty() {
            return;
        }
        // The same file may be picked again later.
        if let Some(input) = event
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        {
            input.set_value("");
        }
        problem.set(None);
        busy.set(true);
        let downscale = photo && !keep_original.get_untracked();
        // One after another: a phone holds one photo's pixels at a time. The page is
        // drawn again after each (the record changed); the files go on being attached.
        wasm_bindgen_futures::spawn_local(async move {
            let mut first_problem = None;
            for file in &files {
                if let Err(key) = attach(id, file, downscale, pending).await {
                    first_problem.get_or_insert(key);
                }
            }
            // The page may have been drawn again meanwhile (the record changed).
            busy.try_set(false);
            problem.try_set(first_problem);
        });
    };
    view! {
        <section class="attachments" aria-labelledby="attachments-title">
            <h2 id="attachments-title">{tr(Key::UiAttachments)}</h2>
            <Show when=move || editable.get()>
                <div class="attach-actions no-print">
                    <label class="button" for="attach-photo">{tr(Key::UiAttachPhoto)}</label>
                    <input
                        type="file"
                        id="attach-photo"
                        class="visually-hidden"
                        accept="image/*"
                        capture="environment"
                        multiple
                        on:change=move |ev| take(ev, true)
                    />
                    <label class="button" for="attach-file">{tr(Key::UiAttachFile)}</label>
                    <input
                        type="file"
                        id="attach-file"
                        class="visually-hidden"
                        accept=DOCUMENT_TYPES
                        multiple
                        on:change=move |ev| take(ev, false)
                    />
                    <VoiceNote id=id problem=problem pending=pending />
                    <label class="check">
                        <input
                            type="checkbox"
                            id="attach-keep-original"
                            prop:checked=move || keep_original.get()
                            on:change=move |ev| keep_original.set(event_target_checked(&ev))
                        />
                        {tr(Key::UiAttachKeepOriginal)}
                    </label>
                </div>
            </Show>
            <Show when=move || busy.get()>
                <p class="muted" role="status">{tr(Key::UiAttachmentWorking)}</p>
            </Show>
            {move || problem.get().map(|problem| view! {
                <p class="error" role="alert" id="attach-problem">{problem.text(lang.get())}</p>
            })}
            <Show when=move || live.with(Vec::is_empty)>
                <p class="empty">{tr(Key::UiAttachmentsNone)}</p>
            </Show>
            <ul class="gallery">
                // Keyed by the file and when it was attached (removed and attached
                // again, it is drawn anew); an item stays while the record changes.
                <For
                    each=move || live.get()
                    key=|a| (a.hash.clone(), a.at)
                    let:attachment
                >
                    <AttachmentItem section=section id=id attachment=attachment editable=editable />
                </For>
            </ul>
        </section>
    }
}

/// Keeps `file` on this device, puts it on record `id` and starts the upload; a photo
/// is made smaller first (`downscale_photo`).
async fn attach(
    id: DocumentId,
    file: &web_sys::File,
    downscale_photo: bool,
    pending: RwSignal<Vec<Attachment>>,
) -> Result<(), Problem> {
    let mut name = file.name();
    let blob: web_sys::Blob = if downscale_photo {
        let edge = f64::from(me().attachments.photo_max_edge);
        match downscale(file, edge).await {
            Ok(smaller) => {
                name = jpeg_name(&name);
                smaller
            }
            // A photo the browser cannot draw (HEIC on most) is kept as it came.
            Err(e) => {
                leptos::logging::log!("photo kept as it is: {e}");
                file.clone().into()
            }
        }
    } else {
        file.clone().into()
    };
    let photo = Category::of(&file.type_()) == Category::Photo;
    attach_blob(id, &blob, &name, 0, photo, pending).await
}

/// Keeps `blob` (called `name`; a voice note lasts `duration_ms`) on this device and
/// shows it at once (in `pending`); for a `photo`, makes and keeps the thumbnail lists
/// show; then puts it on record `id` and starts the upload.
async fn attach_blob(
    id: DocumentId,
    blob: &web_sys::Blob,
    name: &str,
    duration_ms: i64,
    photo: bool,
    pending: RwSignal<Vec<Attachment>>,
) -> Result<(), Problem> {
    let repo = repo();
    let why = |e: KeepError| match e {
        KeepError::TooLarge { max_bytes } => Problem::TooLarge { max_bytes },
        KeepError::NotKept => Problem::Word(Key::UiAttachmentNotKept),
        KeepError::Device(detail) => {
            leptos::logging::warn!("attachment not stored: {detail}");
            Problem::Word(Key::UiAttachmentNotStored)
        }
    };
    let mut attachment = keep(&repo, blob, name, duration_ms).await.map_err(why)?;
    let hash = attachment.hash.clone();
    pending.try_update(|p| p.push(attachment.clone()));
    // Lists show a photo by a thumbnail of its own (THUMB_EDGE px), made from the
    // smaller copy (decoding 12 megapixels once is enough). Without one the photo is
    // still attached; lists show none for it.
    if photo {
        match downscale(blob, f64::from(THUMB_EDGE)).await {
            Ok(thumb) => match keep(&repo, &thumb, &thumb_name(name), 0).await {
                Ok(kept) => attachment.thumb = kept.hash,
                Err(e) => leptos::logging::log!("thumbnail not kept: {e:?}"),
            },
            Err(e) => leptos::logging::log!("no thumbnail for this photo: {e}"),
        }
    }
    let stored = repo
        .update(id, move |record| {
            record.common_mut().attach(attachment);
            Ok(())
        })
        .await;
    pending.try_update(|p| p.retain(|a| a.hash != hash));
    stored.map_err(|_| Problem::Word(Key::UiAttachmentNotStored))?;
    ask_persistent_storage().await;
    wasm_bindgen_futures::spawn_local(files::upload_queued(repo));
    Ok(())
}

/// `raf.jpg` → `raf-thumb.jpg`: the name a photo's thumbnail is uploaded under.
fn thumb_name(name: &str) -> String {
    let stem = name.rsplit_once('.').map_or(name, |(stem, _)| stem);
    format!("{stem}-thumb.jpg")
}

/// `IMG_0042.HEIC` → `IMG_0042.jpg`.
fn jpeg_name(name: &str) -> String {
    let stem = name.rsplit_once('.').map_or(name, |(stem, _)| stem);
    let stem = if stem.is_empty() { "photo" } else { stem };
    format!("{stem}.jpg")
}

/// Draws the photo at most `max_edge` pixels on its longer edge (the browser turns it
/// the way its camera data says) and encodes it as JPEG, without the original's
/// metadata.
async fn downscale(file: &web_sys::Blob, max_edge: f64) -> Result<web_sys::Blob, String> {
    let window = web_sys::window().ok_or("no window")?;
    let bitmap: web_sys::ImageBitmap = JsFuture::from(
        window
            .create_image_bitmap_with_blob(file)
            .map_err(|e| describe(&e))?,
    )
    .await
    .map_err(|e| describe(&e))?
    .dyn_into()
    .map_err(|_| "not an image bitmap".to_owned())?;
    let (width, height) = (f64::from(bitmap.width()), f64::from(bitmap.height()));
    let scale = (max_edge / width.max(height)).min(1.0);
    let (w, h) = (
        (width * scale).round().max(1.0),
        (height * scale).round().max(1.0),
    );
    let canvas: web_sys::HtmlCanvasElement = window
        .document()
        .ok_or("no document")?
        .create_element("canvas")
        .map_err(|e| describe(&e))?
        .dyn_into()
        .map_err(|_| "not a canvas".to_owned())?;
    canvas.set_width(w as u32);
    canvas.set_height(h as u32);
    let context: web_sys::CanvasRenderingContext2d = canvas
        .get_context("2d")
        .map_err(|e| describe(&e))?
        .ok_or("no 2d context")?
        .dyn_into()
        .map_err(|_| "not a 2d context".to_owned())?;
    context
        .draw_image_with_image_bitmap_and_dw_and_dh(&bitmap, 0.0, 0.0, w, h)
        .map_err(|e| describe(&e))?;
    bitmap.close();
    let encoded = js_sys::Promise::new(&mut |resolve, reject| {
        let done = Closure::once_into_js(move |blob: JsValue| {
            if blob.is_null() {
                let _ = reject.call1(&JsValue::NULL, &"the photo could not be encoded".into());
            } else {
                let _ = resolve.call1(&JsValue::NULL, &blob);
            }
        });
        let _ = canvas.to_blob_with_type_and_encoder_options(
            done.unchecked_ref(),
            "image/jpeg",
            &JsValue::from(0.85),
        );
    });
    JsFuture::from(encoded)
        .await
        .map_err(|e| describe(&e))?
        .dyn_into()
        .map_err(|_| "not a blob".to_owned())
}

// ----- voice notes ------------------------------------------------------------------

/// A voice note being recorded.
struct Recording {
    recorder: web_sys::MediaRecorder,
    stream: web_sys::MediaStream,
    parts: Rc<RefCell<Vec<web_sys::Blob>>>,
    started: f64,
    _on_data: Closure<dyn FnMut(web_sys::BlobEvent)>,
}

/// Opens the microphone and starts recording (in one-second parts, so a note survives
/// the page being closed mid-way no worse than by a second).
async fn start_recording() -> Result<Recording, String> {
    let window = web_sys::window().ok_or("no window")?;
    let devices = window
        .navigator()
        .media_devices()
        .map_err(|e| describe(&e))?;
    let constraints = web_sys::MediaStreamConstraints::new();
    constraints.set_audio(&JsValue::TRUE);
    let stream: web_sys::MediaStream = JsFuture::from(
        devices
            .get_user_media_with_constraints(&constraints)
            .map_err(|e| describe(&e))?,
    )
    .await
    .map_err(|e| describe(&e))?
    .dyn_into()
    .map_err(|_| "not a media stream".to_owned())?;
    let recorder =
        web_sys::MediaRecorder::new_with_media_stream(&stream).map_err(|e| describe(&e))?;
    let parts = Rc::new(RefCell::new(Vec::new()));
    let on_data = {
        let parts = parts.clone();
        Closure::<dyn FnMut(web_sys::BlobEvent)>::new(move |event: web_sys::BlobEvent| {
            if let Some(part) = event.data() {
                parts.borrow_mut().push(part);
            }
        })
    };
    recorder.set_ondataavailable(Some(on_data.as_ref().unchecked_ref()));
    recorder
        .start_with_time_slice(1000)
        .map_err(|e| describe(&e))?;
    Ok(Recording {
        recorder,
        stream,
        parts,
        started: js_sys::Date::now(),
        _on_data: on_data,
    })
}

/// Stops the recording and the microphone; the note, its file name and length.
async fn finish_recording(recording: Recording) -> Result<(web_sys::Blob, String, i64), String> {
    let stopped = js_sys::Promise::new(&mut |resolve, _| {
        let done = Closure::once_into_js(move || {
            let _ = resolve.call0(&JsValue::NULL);
        });
        recording.recorder.set_onstop(Some(done.unchecked_ref()));
    });
    recording.recorder.stop().map_err(|e| describe(&e))?;
    JsFuture::from(stopped).await.map_err(|e| describe(&e))?;
    for track in recording.stream.get_tracks().iter() {
        if let Ok(track) = track.dyn_into::<web_sys::MediaStreamTrack>() {
            track.stop();
        }
    }
    let duration = (js_sys::Date::now() - recording.started) as i64;
    let media_type = recording.recorder.mime_type();
    let parts = js_sys::Array::new();
    for part in recording.parts.borrow().iter() {
        parts.push(part);
    }
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(&media_type);
    let blob = web_sys::Blob::new_with_blob_sequence_and_options(&parts, &options)
        .map_err(|e| describe(&e))?;
    let extension = if media_type.contains("ogg") {
        "ogg"
    } else if media_type.contains("mp4") {
        "m4a"
    } else {
        "webm"
    };
    // `2026-12-07T21:30:05.123Z` → `sesli-not-20261207213005`.
    let stamp: String = js_sys::Date::new_0()
        .to_iso_string()
        .as_string()
        .unwrap_or_default()
        .chars()
        .take(19)
        .filter(char::is_ascii_digit)
        .collect();
    let name = format!("sesli-not-{stamp}.{extension}");
    Ok((blob, name, duration))
}

/// The voice note button: records, then attaches the note to record `id`.
#[component]
fn VoiceNote(
    id: DocumentId,
    problem: RwSignal<Option<Problem>>,
    pending: RwSignal<Vec<Attachment>>,
) -> impl IntoView {
    let lang = use_lang();
    let recording = StoredValue::new_local(None::<Recording>);
    let seconds = RwSignal::new(None::<i64>);
    let ticker = StoredValue::new_local(None::<IntervalHandle>);
    let stop_ticker = move || {
        if let Some(handle) = ticker.try_update_value(Option::take).flatten() {
            handle.clear();
        }
    };
    on_cleanup(move || {
        stop_ticker();
        if let Some(recording) = recording.try_update_value(Option::take).flatten() {
            let _ = recording.recorder.stop();
        }
    });
    let toggle = move |_| {
        problem.set(None);
        match recording.try_update_value(Option::take).flatten() {
            None => wasm_bindgen_futures::spawn_local(async move {
                match start_recording().await {
                    Ok(started) => {
                        let at = started.started;
                        recording.set_value(Some(started));
                        seconds.set(Some(0));
                        let handle = set_interval_with_handle(
                            move || {
                                seconds.try_set(Some(((js_sys::Date::now() - at) / 1000.0) as i64));
                            },
                            std::time::Duration::from_millis(500),
                        );
                        ticker.set_value(handle.ok());
                    }
                    Err(e) => {
                        leptos::logging::log!("no microphone: {e}");
                        problem.set(Some(Problem::Word(Key::UiVoiceNoMicrophone)));
                    }
                }
            }),
            Some(running) => {
                stop_ticker();
                seconds.set(None);
                wasm_bindgen_futures::spawn_local(async move {
                    let outcome = match finish_recording(running).await {
                        Ok((blob, name, duration)) => {
                            attach_blob(id, &blob, &name, duration, false, pending).await
                        }
                        Err(e) => {
                            leptos::logging::warn!("voice note lost: {e}");
                            Err(Problem::Word(Key::UiAttachmentNotStored))
                        }
                    };
                    problem.try_set(outcome.err());
                });
            }
        }
    };
    view! {
        <button
            type="button"
            class="button"
            id="voice-note"
            aria-pressed=move || seconds.get().is_some().to_string()
            on:click=toggle
        >
            {move || match seconds.get() {
                None => word(lang.get(), Key::UiVoiceRecord).to_owned(),
                Some(s) => format!("{} {}:{:02}", word(lang.get(), Key::UiVoiceStop), s / 60, s % 60),
            }}
        </button>
    }
}

/// Why a file was not attached, as the panel says it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Problem {
    Word(Key),
    /// Larger than the server takes (`max_bytes`).
    TooLarge {
        max_bytes: u64,
    },
}

impl Problem {
    fn text(self, lang: Lang) -> String {
        match self {
            Problem::Word(key) => word(lang, key),
            Problem::TooLarge { max_bytes } => Fmt::AttachmentTooLarge
                .format(lang, &[("mb", max_bytes.div_ceil(1024 * 1024).into())]),
        }
    }
}

// ----- this device's copy ------------------------------------------------------------

/// Why a file was not attached.
#[derive(Debug, Clone, PartialEq, Eq)]
enum KeepError {
    /// Over what the server takes.
    TooLarge { max_bytes: u64 },
    /// Not a type Saha keeps ([`sniff`]).
    NotKept,
    /// The browser could not read or store it.
    Device(String),
}

/// The SHA-256 of `bytes` in lower-case hex (the browser's Web Crypto).
async fn sha256_hex(bytes: &js_sys::Uint8Array) -> Result<String, String> {
    let subtle = web_sys::window()
        .ok_or("no window")?
        .crypto()
        .map_err(|e| describe(&e))?
        .subtle();
    let promise = subtle
        .digest_with_str_and_buffer_source("SHA-256", bytes)
        .map_err(|e| describe(&e))?;
    let digest = JsFuture::from(promise).await.map_err(|e| describe(&e))?;
    Ok(js_sys::Uint8Array::new(&digest)
        .to_vec()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect())
}

/// Reads a `Blob` whole.
async fn blob_bytes(blob: &web_sys::Blob) -> Result<js_sys::Uint8Array, String> {
    let buffer = JsFuture::from(blob.array_buffer())
        .await
        .map_err(|e| describe(&e))?;
    Ok(js_sys::Uint8Array::new(&buffer))
}

/// Keeps `blob` (called `name`) on this device and queues it for upload; the
/// description to put on the record. `duration_ms` is a voice note's length.
async fn keep(
    repo: &Repo,
    blob: &web_sys::Blob,
    name: &str,
    duration_ms: i64,
) -> Result<Attachment, KeepError> {
    let size = blob.size() as u64;
    let max_bytes = me().attachments.max_bytes;
    if size > max_bytes {
        return Err(KeepError::TooLarge { max_bytes });
    }
    let bytes = blob_bytes(blob).await.map_err(KeepError::Device)?;
    let head = bytes
        .subarray(0, bytes.length().min(SNIFF_BYTES as u32))
        .to_vec();
    let media_type = sniff(&head, name).ok_or(KeepError::NotKept)?;
    let hash = sha256_hex(&bytes).await.map_err(KeepError::Device)?;
    repo.local_store()
        .put_file(&hash, blob, Some(name), crate::client::now_ms() as f64)
        .await
        .map_err(|e| KeepError::Device(e.to_string()))?;
    files::progress().update(|p| {
        p.insert(hash.clone(), (0, size));
    });
    let ctx = repo.edit_context();
    Ok(Attachment {
        hash,
        name: name.to_owned(),
        media_type: media_type.to_owned(),
        size: size as i64,
        duration_ms,
        by: ctx.user,
        at: ctx.now_ms,
        removed_at: 0,
        thumb: String::new(),
    })
}

/// Where the browser shows file `hash` of record `id` from: this device's copy (an
/// object URL, to revoke when done) or the server.
///
/// A photo or voice note not on this device yet is fetched and kept here, so that it
/// shows offline from then on; a document is left on the server until it is opened.
async fn source_of(
    repo: &Repo,
    section: &str,
    id: &str,
    attachment: &Attachment,
) -> (String, bool) {
    let hash = &attachment.hash;
    let store = repo.local_store();
    let now = crate::client::now_ms() as f64;
    if let Ok(Some(blob)) = store.file(hash).await
        && let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob)
    {
        // Shown now: kept longer under "keep only recent files".
        let _ = store.touch_file(hash, now).await;
        return (url, true);
    }
    let path = server_path(section, id, hash);
    if Category::inline(&attachment.media_type)
        && let Some(blob) = fetch_blob(&path).await
    {
        if files::keep_files(repo).await.keeps_what_is_shown()
            && let Err(e) = store.put_file(hash, &blob, None, now).await
        {
            leptos::logging::warn!("file {hash} not kept on this device: {e}");
        }
        if let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) {
            return (url, true);
        }
    }
    (path, false)
}

/// The body of a successful `GET path` as a `Blob`; `None` offline or on an error.
async fn fetch_blob(path: &str) -> Option<web_sys::Blob> {
    let window = web_sys::window()?;
    let response: web_sys::Response = JsFuture::from(window.fetch_with_str(path))
        .await
        .ok()?
        .dyn_into()
        .ok()?;
    if !response.ok() {
        return None;
    }
    JsFuture::from(response.blob().ok()?)
        .await
        .ok()?
        .dyn_into()
        .ok()
}

/// The server's address of file `hash` of record `id` in `section`.
fn server_path(section: &str, id: &str, hash: &str) -> String {
    format!("/api/v1/{section}/{id}/attachments/{hash}")
}

/// Asks the browser to keep this site's storage under pressure (files taken offline
/// must not be evicted before they are uploaded); whether it agreed.
async fn ask_persistent_storage() -> bool {
    let Some(storage) = web_sys::window().map(|w| w.navigator().storage()) else {
        return false;
    };
    match storage.persist() {
        Ok(promise) => JsFuture::from(promise)
            .await
            .ok()
            .and_then(|v| v.as_bool())
            .unwrap_or(false),
        Err(_) => false,
    }
}

#[component]
fn AttachmentItem(
    section: &'static str,
    id: DocumentId,
    attachment: Attachment,
    editable: Signal<bool>,
) -> impl IntoView {
    let lang = use_lang();
    let hash = attachment.hash.clone();
    let source = RwSignal::new(None::<String>);
    let local_url = StoredValue::new(None::<String>);
    {
        let attachment = attachment.clone();
        wasm_bindgen_futures::spawn_local(async move {
            let (url, local) = source_of(&repo(), section, &id.to_string(), &attachment).await;
            if local && local_url.try_set_value(Some(url.clone())).is_some() {
                // The item was drawn away meanwhile: nothing would revoke the URL.
                let _ = web_sys::Url::revoke_object_url(&url);
                return;
            }
            source.try_set(Some(url));
        });
    }
    on_cleanup(move || {
        if let Some(url) = local_url.get_value() {
            let _ = web_sys::Url::revoke_object_url(&url);
        }
    });
    let progress = files::progress();
    let upload = {
        let hash = hash.clone();
        move || progress.with(|p| p.get(&hash).copied())
    };
    let refused = {
        let refused = files::refused_files();
        let hash = hash.clone();
        move || refused.with(|r| r.get(&hash).copied())
    };
    let name = attachment.name.clone();
    let size = attachment.size.max(0) as u64;
    let shown = match (
        attachment.category(),
        Category::inline(&attachment.media_type),
    ) {
        (Category::Photo, true) => {
            let alt = name.clone();
            view! {
                <a href=move || source.get() target="_blank" rel="noopener" class="thumb-link">
                    <img class="thumb" alt=alt src=move || source.get() />
                </a>
            }
            .into_any()
        }
        (Category::Voice, true) => {
            let seconds = attachment.duration_ms / 1000;
            view! {
                <audio controls preload="metadata" src=move || source.get()></audio>
                <span class="muted">
                    {(seconds > 0).then(|| format!("{}:{:02}", seconds / 60, seconds % 60))}
                </span>
            }
            .into_any()
        }
        _ => {
            let download = name.clone();
            view! {
                <a class="file-link" href=move || source.get() download=download>
                    {name.clone()}
                </a>
            }
            .into_any()
        }
    };
    let remove = {
        let hash = hash.clone();
        move |_| {
            let hash = hash.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let now = crate::client::now_ms();
                let _ = repo()
                    .update(id, move |record| {
                        record.common_mut().detach(&hash, now);
                        Ok(())
                    })
                    .await;
            });
        }
    };
    view! {
        <li class="attachment" data-hash=hash.clone() data-type=attachment.media_type.clone()>
            {shown}
            <span class="attachment-meta">
                <span class="name">{attachment.name.clone()}</span>
                " · "
                {move || size_text(lang.get(), size)}
            </span>
            {move || upload().map(|(sent, total)| {
                let text = if sent == 0 {
                    word(lang.get(), Key::UiAttachmentWaiting).to_owned()
                } else {
                    format!(
                        "{} {}%",
                        word(lang.get(), Key::UiAttachmentUploading),
                        sent * 100 / total.max(1)
                    )
                };
                view! { <span class="upload-state" role="status">{text}</span> }
            })}
            {move || refused().map(|code| {
                let key = if code == saha_core::api::ApiErrorCode::PayloadTooLarge {
                    Key::UiAttachmentRefusedTooLarge
                } else {
                    Key::UiAttachmentRefusedType
                };
                view! { <span class="upload-refused error" role="alert">{word(lang.get(), key)}</span> }
            })}
            <Show when=move || editable.get()>
                <button type="button" class="button small no-print remove-attachment" on:click=remove.clone()>
                    {tr(Key::UiAttachmentRemove)}
                </button>
            </Show>
        </li>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_downscaled_photo_is_named_as_a_jpeg() {
        assert_eq!(jpeg_name("IMG_0042.HEIC"), "IMG_0042.jpg");
        assert_eq!(jpeg_name("raf"), "raf.jpg");
        assert_eq!(jpeg_name(".png"), "photo.jpg");
        assert_eq!(thumb_name("raf.jpg"), "raf-thumb.jpg");
    }
}
