//! JSON over `fetch` to the server's API, with the session cookie the browser holds.

use saha_core::api::ApiErrorCode;
use serde::Serialize;
use serde::de::DeserializeOwned;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use super::describe;

/// Why a call failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HttpError {
    /// No answer: offline, or the server is unreachable.
    Network(String),
    /// The server answered with an error ([`saha_core::api::ApiError`]).
    Api { status: u16, code: ApiErrorCode },
    /// A successful answer whose body the app could not read.
    BadAnswer(String),
}

impl HttpError {
    /// What to tell the member: the server's code, or the app's own for no answer.
    pub fn code(&self) -> ApiErrorCode {
        match self {
            HttpError::Network(_) => ApiErrorCode::Network,
            HttpError::Api { code, .. } => *code,
            HttpError::BadAnswer(_) => ApiErrorCode::BadAnswer,
        }
    }

    pub fn status(&self) -> Option<u16> {
        match self {
            HttpError::Api { status, .. } => Some(*status),
            HttpError::Network(_) | HttpError::BadAnswer(_) => None,
        }
    }
}

impl std::fmt::Display for HttpError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            HttpError::Network(detail) => write!(f, "network: {detail}"),
            HttpError::Api { status, code } => write!(f, "{status} {code:?}"),
            HttpError::BadAnswer(detail) => write!(f, "unreadable answer: {detail}"),
        }
    }
}

/// Sends a request with the session cookie; any answer is returned, a failure to get
/// one is a network error.
async fn fetch(
    method: &str,
    path: &str,
    body: Option<String>,
) -> Result<web_sys::Response, HttpError> {
    let body = body.map(|b| (wasm_bindgen::JsValue::from_str(&b), "application/json"));
    fetch_body(method, path, body).await
}

/// Like [`fetch`], with any body the browser can send (bytes, a `Blob`) and its type.
async fn fetch_body(
    method: &str,
    path: &str,
    body: Option<(wasm_bindgen::JsValue, &str)>,
) -> Result<web_sys::Response, HttpError> {
    let window = web_sys::window().ok_or_else(|| HttpError::Network("no window".into()))?;
    let init = web_sys::RequestInit::new();
    init.set_method(method);
    init.set_credentials(web_sys::RequestCredentials::SameOrigin);
    let headers = web_sys::Headers::new().map_err(|e| HttpError::Network(describe(&e)))?;
    let _ = headers.set("accept", "application/json");
    if let Some((body, content_type)) = &body {
        let _ = headers.set("content-type", content_type);
        init.set_body(body);
    }
    init.set_headers(&headers);
    let response = JsFuture::from(window.fetch_with_str_and_init(path, &init))
        .await
        .map_err(|e| HttpError::Network(describe(&e)))?;
    response
        .dyn_into()
        .map_err(|e| HttpError::Network(describe(&e)))
}

/// The text of an answer's body ("" if it has none).
async fn body_text(response: &web_sys::Response) -> String {
    match response.text() {
        Ok(promise) => JsFuture::from(promise)
            .await
            .ok()
            .and_then(|t| t.as_string())
            .unwrap_or_default(),
        Err(_) => String::new(),
    }
}

/// The error a non-2xx answer carries (an [`saha_core::api::ApiError`] body, or a REST
/// problem: [`saha_core::api::ErrorAnswer`]).
async fn failure(response: &web_sys::Response) -> HttpError {
    let code = serde_json::from_str::<saha_core::api::ErrorAnswer>(&body_text(response).await)
        .map(|e| e.error)
        .unwrap_or(ApiErrorCode::Internal);
    HttpError::Api {
        status: response.status(),
        code,
    }
}

/// Sends a request; returns the body text of a 2xx answer.
async fn call(method: &str, path: &str, body: Option<String>) -> Result<String, HttpError> {
    let response = fetch(method, path, body).await?;
    if response.ok() {
        Ok(body_text(&response).await)
    } else {
        Err(failure(&response).await)
    }
}

fn parse<T: DeserializeOwned>(text: &str) -> Result<T, HttpError> {
    serde_json::from_str(text).map_err(|e| HttpError::BadAnswer(e.to_string()))
}

pub async fn get<T: DeserializeOwned>(path: &str) -> Result<T, HttpError> {
    parse(&call("GET", path, None).await?)
}

/// Sends `body` as JSON with `method`; parses the answer (use `()` for none).
pub async fn send<B: Serialize, T: DeserializeOwned>(
    method: &str,
    path: &str,
    body: &B,
) -> Result<T, HttpError> {
    let body = serde_json::to_string(body).map_err(|e| HttpError::Network(e.to_string()))?;
    let text = call(method, path, Some(body)).await?;
    if text.is_empty() {
        return parse("null");
    }
    parse(&text)
}

pub async fn post<B: Serialize, T: DeserializeOwned>(path: &str, body: &B) -> Result<T, HttpError> {
    send("POST", path, body).await
}

/// `PUT`s `body` (bytes or a `Blob`) as `application/octet-stream`; parses the answer.
pub async fn put_bytes<T: DeserializeOwned>(
    path: &str,
    body: &wasm_bindgen::JsValue,
) -> Result<T, HttpError> {
    let response = fetch_body(
        "PUT",
        path,
        Some((body.clone(), "application/octet-stream")),
    )
    .await?;
    if response.ok() {
        parse(&body_text(&response).await)
    } else {
        Err(failure(&response).await)
    }
}

/// Calls `method` on an object by name, with no arguments.
fn call_method(
    target: &wasm_bindgen::JsValue,
    name: &str,
) -> Result<wasm_bindgen::JsValue, HttpError> {
    let function: js_sys::Function = js_sys::Reflect::get(target, &name.into())
        .map_err(|e| HttpError::Network(describe(&e)))?
        .dyn_into()
        .map_err(|_| HttpError::Network(format!("no {name}()")))?;
    function
        .call0(target)
        .map_err(|e| HttpError::Network(describe(&e)))
}

/// `GET`s `path` and hands each chunk of the answer to `on_chunk` as it arrives (a long
/// download shows progress and never sits whole in memory). A non-2xx answer is an
/// error before any chunk.
pub async fn get_stream(
    path: &str,
    mut on_chunk: impl AsyncFnMut(Vec<u8>) -> Result<(), String>,
) -> Result<(), HttpError> {
    let response = fetch("GET", path, None).await?;
    if !response.ok() {
        return Err(failure(&response).await);
    }
    let body = js_sys::Reflect::get(&response, &"body".into())
        .map_err(|e| HttpError::Network(describe(&e)))?;
    let reader = call_method(&body, "getReader")?;
    loop {
        let promise: js_sys::Promise = call_method(&reader, "read")?
            .dyn_into()
            .map_err(|_| HttpError::Network("read() gave no promise".into()))?;
        let result = JsFuture::from(promise)
            .await
            .map_err(|e| HttpError::Network(describe(&e)))?;
        let done = js_sys::Reflect::get(&result, &"done".into())
            .ok()
            .and_then(|d| d.as_bool())
            .unwrap_or(true);
        if done {
            return Ok(());
        }
        let value = js_sys::Reflect::get(&result, &"value".into())
            .map_err(|e| HttpError::Network(describe(&e)))?;
        let bytes = js_sys::Uint8Array::new(&value).to_vec();
        on_chunk(bytes).await.map_err(HttpError::Network)?;
    }
}
