//! Files: saving what the app made (a calendar file, a CSV, a workbook) as a download, and reading
//! a file the user picked (a logo as a `data:` URL, a spreadsheet as bytes).

use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

/// The first file picked in the `<input type="file">` of `event`, if any.
pub fn picked_file(event: &leptos::ev::Event) -> Option<web_sys::File> {
    event
        .target()?
        .dyn_into::<web_sys::HtmlInputElement>()
        .ok()?
        .files()?
        .get(0)
}

/// Every file picked in the `<input type="file" multiple>` an event came from, in the
/// order the browser lists them.
pub fn picked_files(event: &leptos::ev::Event) -> Vec<web_sys::File> {
    let Some(list) = event
        .target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        .and_then(|input| input.files())
    else {
        return Vec::new();
    };
    (0..list.length()).filter_map(|i| list.get(i)).collect()
}

/// Reads `file` as a `data:` URL (the browser encodes it).
pub async fn read_as_data_url(file: &web_sys::File) -> Result<String, String> {
    let reader = web_sys::FileReader::new().map_err(|e| format!("{e:?}"))?;
    let done = js_sys::Promise::new(&mut |resolve, reject| {
        let ok = resolve.clone();
        reader.set_onload(Some(
            Closure::once_into_js(move || {
                let _ = ok.call0(&JsValue::NULL);
            })
            .unchecked_ref(),
        ));
        reader.set_onerror(Some(
            Closure::once_into_js(move || {
                let _ = reject.call0(&JsValue::NULL);
            })
            .unchecked_ref(),
        ));
    });
    reader
        .read_as_data_url(file)
        .map_err(|e| format!("{e:?}"))?;
    wasm_bindgen_futures::JsFuture::from(done)
        .await
        .map_err(|_| "the file could not be read".to_owned())?;
    reader
        .result()
        .ok()
        .and_then(|v| v.as_string())
        .ok_or_else(|| "the file could not be read".to_owned())
}

/// Reads `file`'s bytes.
pub async fn read_bytes(file: &web_sys::File) -> Result<Vec<u8>, String> {
    let buffer = wasm_bindgen_futures::JsFuture::from(file.array_buffer())
        .await
        .map_err(|_| "the file could not be read".to_owned())?;
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
}

/// Lets the browser save `text` as a file called `name`.
pub fn download(name: &str, mime: &str, text: &str) {
    download_bytes(name, mime, text.as_bytes());
}

/// Lets the browser save `bytes` as a file called `name`.
pub fn download_bytes(name: &str, mime: &str, bytes: &[u8]) {
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let Ok(blob) = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options) else {
        return;
    };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
        return;
    };
    if let Some(a) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.create_element("a").ok())
        .and_then(|e| e.dyn_into::<web_sys::HtmlAnchorElement>().ok())
    {
        a.set_href(&url);
        a.set_download(name);
        a.click();
    }
    let _ = web_sys::Url::revoke_object_url(&url);
}

pub(crate) fn safe_file_name(title: &str) -> String {
    let name: String = title
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { '-' })
        .collect();
    let name = name.trim_matches('-');
    if name.is_empty() {
        "saha".to_owned()
    } else {
        name.chars().take(60).collect()
    }
}
