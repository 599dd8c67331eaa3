//! A client of Saha's HTTP API holding a session cookie, and the sync endpoints peers
//! connect to: a fixed URL (automerge-repo's reference server) or a fresh ticketed URL
//! per connection (Saha).

use std::sync::Arc;

use reqwest::StatusCode;
use serde_json::Value;

use crate::peer::PeerError;

fn err(e: impl std::fmt::Display) -> PeerError {
    PeerError(e.to_string())
}

/// A signed-in member of a Saha workspace.
#[derive(Clone)]
pub struct ApiClient {
    pub base: String,
    http: reqwest::Client,
    cookie: String,
}

/// An answer: status and JSON body (`Null` when empty).
pub type Answer = (StatusCode, Value);

impl ApiClient {
    fn http() -> reqwest::Client {
        reqwest::Client::builder()
            .no_proxy()
            .build()
            .unwrap_or_default()
    }

    fn from_response(base: &str, response: &reqwest::Response) -> Option<ApiClient> {
        let cookie = response
            .headers()
            .get_all(reqwest::header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|v| v.starts_with("saha_session="))?
            .split(';')
            .next()?
            .to_owned();
        Some(ApiClient {
            base: base.trim_end_matches('/').to_owned(),
            http: Self::http(),
            cookie,
        })
    }

    async fn sign_in(base: &str, path: &str, body: Value) -> Result<ApiClient, PeerError> {
        let base = base.trim_end_matches('/');
        let response = Self::http()
            .post(format!("{base}{path}"))
            .json(&body)
            .send()
            .await
            .map_err(err)?;
        let status = response.status();
        match Self::from_response(base, &response) {
            Some(client) if status.is_success() => Ok(client),
            _ => Err(PeerError(format!(
                "{path} answered {status}: {}",
                response.text().await.unwrap_or_default()
            ))),
        }
    }

    /// Creates the first workspace of a fresh server (`POST /api/setup`) and signs in
    /// as its owner.
    pub async fn setup(
        base: &str,
        workspace: &str,
        email: &str,
        password: &str,
    ) -> Result<ApiClient, PeerError> {
        Self::sign_in(
            base,
            "/api/setup",
            serde_json::json!({
                "workspaceName": workspace,
                "name": "Bench Owner",
                "email": email,
                "password": password,
            }),
        )
        .await
    }

    /// Signs in with `POST /api/auth/login`.
    pub async fn login(base: &str, email: &str, password: &str) -> Result<ApiClient, PeerError> {
        Self::sign_in(
            base,
            "/api/auth/login",
            serde_json::json!({"email": email, "password": password}),
        )
        .await
    }

    /// Accepts an invitation link and signs in as the new member.
    pub async fn accept(
        link: &str,
        name: &str,
        email: &str,
        password: &str,
    ) -> Result<ApiClient, PeerError> {
        let (base, token) = link
            .split_once("/invite/")
            .ok_or_else(|| err(format!("not an invitation link: {link}")))?;
        Self::sign_in(
            base,
            &format!("/api/invite/{token}"),
            serde_json::json!({"name": name, "email": email, "password": password}),
        )
        .await
    }

    pub fn cookie(&self) -> &str {
        &self.cookie
    }

    async fn answer(response: reqwest::Response) -> Result<Answer, PeerError> {
        let status = response.status();
        let text = response.text().await.map_err(err)?;
        let body = if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).unwrap_or(Value::String(text))
        };
        Ok((status, body))
    }

    /// `GET path` with the session cookie; the response, its body unread.
    async fn get_response(&self, path: &str) -> Result<reqwest::Response, PeerError> {
        self.http
            .get(format!("{}{path}", self.base))
            .header(reqwest::header::COOKIE, &self.cookie)
            .send()
            .await
            .map_err(err)
    }

    pub async fn get(&self, path: &str) -> Result<Answer, PeerError> {
        let response = self.get_response(path).await?;
        Self::answer(response).await
    }

    /// A GET whose body is kept as bytes (a file download).
    pub async fn get_bytes(&self, path: &str) -> Result<(StatusCode, Vec<u8>), PeerError> {
        let response = self.get_response(path).await?;
        let status = response.status();
        let bytes = response.bytes().await.map_err(err)?;
        Ok((status, bytes.to_vec()))
    }

    pub async fn send(
        &self,
        method: reqwest::Method,
        path: &str,
        body: &Value,
    ) -> Result<Answer, PeerError> {
        let response = self
            .http
            .request(method, format!("{}{path}", self.base))
            .header(reqwest::header::COOKIE, &self.cookie)
            .json(body)
            .send()
            .await
            .map_err(err)?;
        Self::answer(response).await
    }

    pub async fn post(&self, path: &str, body: &Value) -> Result<Answer, PeerError> {
        self.send(reqwest::Method::POST, path, body).await
    }

    /// Uploads `bytes` as an attachment called `name`, chunk by chunk as the app does
    /// (`/api/v1/blobs/{hash}`); the completion's answer and the file's SHA-256.
    pub async fn upload(&self, bytes: &[u8], name: &str) -> Result<(Answer, String), PeerError> {
        use sha2::Digest;
        let hash = hex::encode(sha2::Sha256::digest(bytes));
        let chunk = saha_core::record::attachment::CHUNK_BYTES;
        for (index, part) in bytes.chunks(chunk).enumerate() {
            let response = self
                .http
                .put(format!(
                    "{}/api/v1/blobs/{hash}/chunks/{index}?size={}",
                    self.base,
                    bytes.len()
                ))
                .header(reqwest::header::COOKIE, &self.cookie)
                .body(part.to_vec())
                .send()
                .await
                .map_err(err)?;
            let answer = Self::answer(response).await?;
            if !answer.0.is_success() {
                return Ok((answer, hash));
            }
        }
        let done = self
            .post(
                &format!("/api/v1/blobs/{hash}/complete"),
                &serde_json::json!({ "size": bytes.len(), "name": name }),
            )
            .await?;
        Ok((done, hash))
    }

    /// Streams a GET's body, counting its bytes without keeping them.
    pub async fn download_len(&self, path: &str) -> Result<(StatusCode, u64), PeerError> {
        use futures_util::StreamExt;
        let response = self.get_response(path).await?;
        let status = response.status();
        let mut stream = response.bytes_stream();
        let mut len = 0u64;
        while let Some(chunk) = stream.next().await {
            len += chunk.map_err(err)?.len() as u64;
        }
        Ok((status, len))
    }

    /// A fresh single-use sync URL (`POST /api/sync/ticket`).
    pub async fn ticket_url(&self) -> Result<String, PeerError> {
        let (status, body) = self.post("/api/sync/ticket", &Value::Null).await?;
        match body["url"].as_str() {
            Some(url) if status.is_success() => Ok(url.to_owned()),
            _ => Err(PeerError(format!("ticket refused: {status} {body}"))),
        }
    }

    /// The same session, talking to another node of the same cluster.
    pub fn on(&self, base: &str) -> ApiClient {
        ApiClient {
            base: base.trim_end_matches('/').to_owned(),
            ..self.clone()
        }
    }

    /// The workspace's documents changed after `since` (`GET /api/sync/changes`):
    /// the new cursor and each document's stored bytes. Fails unless the whole stream,
    /// end mark included, arrived.
    pub async fn changes(&self, since: u64) -> Result<Changes, PeerError> {
        use futures_util::StreamExt;
        let response = self
            .http
            .get(format!("{}/api/sync/changes?since={since}", self.base))
            .header(reqwest::header::COOKIE, &self.cookie)
            .send()
            .await
            .map_err(err)?;
        if !response.status().is_success() {
            return Err(PeerError(format!(
                "change feed refused: {}",
                response.status()
            )));
        }
        let mut reader = saha_protocol::feed::FeedReader::new();
        let mut out = Changes::default();
        let mut body = response.bytes_stream();
        while let Some(chunk) = body.next().await {
            for item in reader.push(&chunk.map_err(err)?).map_err(err)? {
                match item {
                    saha_protocol::feed::FeedItem::Header { cursor, total } => {
                        out.cursor = cursor;
                        out.total = total;
                    }
                    saha_protocol::feed::FeedItem::Document { id, bytes } => {
                        out.documents.push((id, bytes))
                    }
                    saha_protocol::feed::FeedItem::End => {}
                }
            }
        }
        if !reader.is_complete() {
            return Err(err("the change feed ended early"));
        }
        Ok(out)
    }

    /// The signed-in member's user ID.
    pub async fn user_id(&self) -> Result<String, PeerError> {
        let (_, me) = self.get("/api/auth/me").await?;
        me["userId"]
            .as_str()
            .map(str::to_owned)
            .ok_or_else(|| err(format!("no user ID in {me}")))
    }

    /// The workspace index document.
    pub async fn index_id(&self) -> Result<saha_core::DocumentId, PeerError> {
        let (_, me) = self.get("/api/auth/me").await?;
        let url: saha_core::AutomergeUrl = me["indexUrl"]
            .as_str()
            .ok_or_else(|| err(format!("no index URL in {me}")))?
            .parse()
            .map_err(err)?;
        Ok(url.document_id())
    }
}

/// What `GET /api/sync/changes` returned.
#[derive(Debug, Default)]
pub struct Changes {
    pub cursor: u64,
    pub total: u64,
    pub documents: Vec<(saha_core::DocumentId, Vec<u8>)>,
}

impl Changes {
    pub fn ids(&self) -> Vec<saha_core::DocumentId> {
        self.documents.iter().map(|(id, _)| *id).collect()
    }
}

/// Where peers open their sync connection.
#[derive(Clone)]
pub enum Endpoint {
    /// The same URL every time (servers without authentication).
    Open(String),
    /// A ticketed URL fetched for each connection.
    Saha(Arc<ApiClient>),
}

impl Endpoint {
    pub async fn url(&self) -> Result<String, PeerError> {
        match self {
            Endpoint::Open(url) => Ok(url.clone()),
            Endpoint::Saha(client) => client.ticket_url().await,
        }
    }
}

impl From<ApiClient> for Endpoint {
    fn from(client: ApiClient) -> Endpoint {
        Endpoint::Saha(Arc::new(client))
    }
}
