//! Test helpers: a server on port 0 with a workspace and its owner signed in, raw
//! sockets, and the Rust automerge-repo peer of `saha-bench` (built on the same sans-IO
//! engine the browser uses).
#![allow(dead_code)]

use std::ops::Deref;
use std::path::{Path, PathBuf};
use std::time::Duration;

use automerge::Automerge;
use saha_bench::peer::{Socket, next_frame, open_socket};
use saha_core::parties::account::Account;
use saha_core::record::form::Form;
use saha_core::record::{EditContext, edit_fields, new_document};
use saha_protocol::wire::Message;
use saha_server::{Config, RunningServer};

pub use saha_bench::api_client::{ApiClient, Endpoint};
pub use saha_bench::peer::Peer;

pub const TIMEOUT: Duration = Duration::from_secs(15);
pub const OWNER_EMAIL: &str = "sahip@anadolu.test";
pub const PASSWORD: &str = "güçlü-parola-2026";

pub fn site_root() -> PathBuf {
    std::env::var_os("SAHA_SITE_ROOT")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/site"))
}

/// A new account document called `name` in `team` ("" for shared).
pub fn account(name: &str, team: &str) -> Automerge {
    let form = Form::new().with("name", name).with("team", team);
    new_document::<Account>(&form, &EditContext::new("test", 1)).expect("a valid account")
}

/// Edits an account's form fields, as a user would.
pub fn edit(doc: &mut Automerge, change: impl FnOnce(&mut Form)) {
    edit_fields::<Account>(doc, &EditContext::new("test", 2), change).expect("a valid edit");
}

pub fn read_account(doc: &Automerge) -> Result<Account, saha_core::Error> {
    saha_core::record::read(doc)
}

/// A running server and its workspace owner's session.
pub struct TestServer {
    pub server: RunningServer,
    pub owner: ApiClient,
}

impl Deref for TestServer {
    type Target = RunningServer;
    fn deref(&self) -> &RunningServer {
        &self.server
    }
}

impl TestServer {
    pub fn http(&self) -> String {
        format!("http://{}", self.server.addr)
    }

    pub async fn shutdown(self) -> Result<(), saha_server::ServerError> {
        self.server.shutdown().await
    }

    pub fn endpoint(&self) -> Endpoint {
        self.owner.clone().into()
    }

    /// Invites a member with `role` (and `teams`) and signs them in.
    pub async fn member(&self, email: &str, role: &str, teams: &[&str]) -> ApiClient {
        let (status, invitation) = self
            .owner
            .post(
                "/api/invitations",
                &serde_json::json!({
                    "role": role, "teams": teams, "expiresInHours": 24, "email": email,
                }),
            )
            .await
            .unwrap();
        assert_eq!(status, 201, "{invitation}");
        ApiClient::accept(invitation["link"].as_str().unwrap(), "Üye", email, PASSWORD)
            .await
            .expect("invitation accepted")
    }

    /// Creates a team; returns its ID.
    pub async fn team(&self, name: &str) -> String {
        let (status, team) = self
            .owner
            .post("/api/teams", &serde_json::json!({ "name": name }))
            .await
            .unwrap();
        assert_eq!(status, 201, "{team}");
        team["id"].as_str().unwrap().to_owned()
    }
}

/// Starts a server. With `SAHA_TEST_STORAGE=postgres` (`cargo xtask test` runs the
/// integration tests once that way too) a configuration without a database URL gets a
/// PostgreSQL database of its own — the same one again for the same data directory, so
/// a restarted server finds its data.
pub async fn start_with(mut config: Config) -> TestServer {
    if config.database_url.is_none()
        && std::env::var("SAHA_TEST_STORAGE").as_deref() == Ok("postgres")
    {
        config.database_url = Some(database_for(&config.data_dir).await);
    }
    start_exactly(config).await
}

/// Starts a server on the embedded storage whatever `SAHA_TEST_STORAGE` says.
pub async fn start_embedded(data_dir: &Path) -> TestServer {
    start_exactly(Config::for_tests(data_dir.to_path_buf(), site_root())).await
}

async fn start_exactly(config: Config) -> TestServer {
    let server = saha_server::start(config).await.expect("server starts");
    let http = format!("http://{}", server.addr);
    let owner = match ApiClient::setup(&http, "Anadolu", OWNER_EMAIL, PASSWORD).await {
        Ok(owner) => owner,
        // A restarted server is set up already.
        Err(_) => ApiClient::login(&http, OWNER_EMAIL, PASSWORD)
            .await
            .expect("owner logs in"),
    };
    TestServer { server, owner }
}

pub async fn start(data_dir: &Path) -> TestServer {
    start_with(Config::for_tests(data_dir.to_path_buf(), site_root())).await
}

pub async fn raw_socket(server: &TestServer) -> Socket {
    let url = server.owner.ticket_url().await.expect("ticket");
    open_socket(&url).await.expect("websocket connects")
}

pub async fn connect(server: &TestServer, name: &str) -> Peer {
    Peer::connect(&server.endpoint(), name)
        .await
        .expect("peer joins")
}

/// A peer signed in as `client`.
pub async fn connect_as(client: &ApiClient, name: &str) -> Peer {
    Peer::connect(&Endpoint::from(client.clone()), name)
        .await
        .expect("peer joins")
}

/// Handles frames until `done` holds (or the timeout passes).
pub async fn pump_until(peer: &mut Peer, done: impl FnMut(&Peer) -> bool) -> bool {
    peer.pump_until(TIMEOUT, done)
        .await
        .expect("connection stays open")
}

/// Subscribes `member` to the sales department's calendar and fetches the feed's text.
pub async fn sales_calendar(member: &ApiClient) -> String {
    let (status, feed) = member
        .post(
            "/api/calendar-feeds",
            &serde_json::json!({ "calendar": "dept:sales" }),
        )
        .await
        .unwrap();
    assert!(status.is_success(), "{status} {feed}");
    reqwest::get(feed["url"].as_str().unwrap())
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

/// Turns the workspace's quiet hours off, so sending does not depend on the clock.
pub async fn no_quiet_hours(server: &TestServer) {
    let mut peer = connect(server, "settings").await;
    let index = server.owner.index_id().await.unwrap();
    let mut settings = saha_core::workspace::service(peer.fetch(index).await.unwrap());
    settings.quiet_hours = String::new();
    saha_core::workspace::set_service(peer.docs.get_mut(&index).unwrap(), &settings).unwrap();
    peer.push(index).await.unwrap();
}

/// Offers a document and waits briefly for the server to confirm it: `false` when the
/// server refused the change (it never confirms a refused one).
pub async fn offered_and_confirmed(peer: &mut Peer, id: saha_core::DocumentId) -> bool {
    peer.offer(id).await.unwrap();
    peer.pump_until(Duration::from_secs(2), |p| p.confirmed(&id))
        .await
        .unwrap_or(false)
}

/// Waits until the server closes `ws`; returns the error frame it sent before, if any.
pub async fn closed_by_server(ws: &mut Socket) -> Option<String> {
    let mut reason = None;
    let result = tokio::time::timeout(TIMEOUT, async {
        while let Some(bytes) = next_frame(ws).await {
            if let Ok(Message::Error { message }) = Message::decode(&bytes) {
                reason = Some(message);
            }
        }
    })
    .await;
    assert!(result.is_ok(), "the server did not close the connection");
    reason
}

/// The PostgreSQL server tests run against: `TEST_DATABASE_URL`, else `DATABASE_URL`.
/// `cargo xtask test` always provides one (starting a throwaway cluster if needed); a
/// test that needs it fails rather than skipping without it.
pub fn postgres_url() -> String {
    std::env::var("TEST_DATABASE_URL")
        .or_else(|_| std::env::var("DATABASE_URL"))
        .expect("set TEST_DATABASE_URL to a PostgreSQL server (cargo xtask test does)")
}

/// A new, empty database on the test PostgreSQL server; returns its URL.
pub async fn fresh_database() -> String {
    database_named(&format!("saha_test_{}", uuid::Uuid::new_v4().simple())).await
}

/// The database of the tests' server with data directory `dir` (created on first use).
async fn database_for(dir: &Path) -> String {
    use sha2::Digest;
    let digest = sha2::Sha256::digest(dir.to_string_lossy().as_bytes());
    database_named(&format!("saha_dir_{}", &hex::encode(digest)[..24])).await
}

async fn database_named(name: &str) -> String {
    use sqlx::Connection;
    let url = postgres_url();
    let mut conn = sqlx::PgConnection::connect(&url)
        .await
        .expect("the test PostgreSQL accepts connections");
    let exists: Option<i32> = sqlx::query_scalar("SELECT 1 FROM pg_database WHERE datname = $1")
        .bind(name)
        .fetch_optional(&mut conn)
        .await
        .expect("the catalog answers");
    if exists.is_none() {
        sqlx::raw_sql(&format!("CREATE DATABASE {name}"))
            .execute(&mut conn)
            .await
            .expect("a test database is created");
    }
    let (head, query) = match url.split_once('?') {
        Some((head, query)) => (head, format!("?{query}")),
        None => (url.as_str(), String::new()),
    };
    let server = match head.rsplit_once('/') {
        Some((server, _db)) if server.ends_with('/') || server.contains("://") => server,
        _ => head,
    };
    format!("{server}/{name}{query}")
}

/// A server on PostgreSQL at `database_url`, with its own local data directory.
pub async fn start_on_postgres(database_url: &str, data_dir: &Path) -> TestServer {
    let mut config = Config::for_tests(data_dir.to_path_buf(), site_root());
    config.database_url = Some(database_url.to_owned());
    start_with(config).await
}

/// A REST client with a Bearer token.
pub struct Rest {
    pub base: String,
    pub token: String,
    pub http: reqwest::Client,
}

impl Rest {
    pub fn new(base: &str, token: &str) -> Rest {
        Rest {
            base: base.to_owned(),
            token: token.to_owned(),
            http: reqwest::Client::new(),
        }
    }

    pub async fn call(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<serde_json::Value>,
    ) -> (reqwest::StatusCode, serde_json::Value) {
        let mut request = self
            .http
            .request(method, format!("{}{path}", self.base))
            .bearer_auth(&self.token);
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.expect("the server answers");
        let status = response.status();
        let content_type = response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        let text = response.text().await.unwrap_or_default();
        if !status.is_success() {
            assert_eq!(content_type, "application/problem+json", "{status} {text}");
        }
        (
            status,
            serde_json::from_str(&text).unwrap_or(serde_json::Value::Null),
        )
    }

    pub async fn get(&self, path: &str) -> (reqwest::StatusCode, serde_json::Value) {
        self.call(reqwest::Method::GET, path, None).await
    }

    pub async fn post(
        &self,
        path: &str,
        body: serde_json::Value,
    ) -> (reqwest::StatusCode, serde_json::Value) {
        self.call(reqwest::Method::POST, path, Some(body)).await
    }

    pub async fn patch(
        &self,
        path: &str,
        body: serde_json::Value,
    ) -> (reqwest::StatusCode, serde_json::Value) {
        self.call(reqwest::Method::PATCH, path, Some(body)).await
    }

    pub async fn put(
        &self,
        path: &str,
        body: serde_json::Value,
    ) -> (reqwest::StatusCode, serde_json::Value) {
        self.call(reqwest::Method::PUT, path, Some(body)).await
    }
}

/// Creates a token in Settings → API as the owner; returns its secret.
pub async fn token(server: &TestServer, scopes: &[&str], member: Option<&str>) -> String {
    let (status, body) = server
        .owner
        .post(
            "/api/api-tokens",
            &serde_json::json!({ "name": format!("test {scopes:?}"), "scopes": scopes, "userId": member }),
        )
        .await
        .unwrap();
    assert_eq!(status, 201, "{body}");
    body["secret"]
        .as_str()
        .expect("the secret, once")
        .to_owned()
}

/// Waits (up to 30 s) until `done` holds; whether it did.
pub async fn wait_for(mut done: impl FnMut() -> bool) -> bool {
    for _ in 0..300 {
        if done() {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    done()
}

/// Creates a record of `section` (`contacts`, `calls`, …) with `fields` through the
/// REST API as the owner; its ID.
pub async fn create_through_api(
    server: &TestServer,
    section: &str,
    fields: serde_json::Value,
) -> String {
    let (status, body) = server
        .owner
        .post(
            &format!("/api/v1/{section}"),
            &serde_json::json!({ "fields": fields }),
        )
        .await
        .unwrap();
    assert_eq!(status, 201, "{body}");
    body["id"].as_str().unwrap().to_owned()
}

/// splitmix64: a small seeded generator, the same on every machine, for the seeded
/// runs (authorization, convergence) whose failures must replay.
#[derive(Clone)]
pub struct SeededRng(pub u64);

impl SeededRng {
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number below `n` (which must not be 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}
