//! Attachments over HTTP against a real server: chunked uploads that resume, dedupe,
//! the size limit and quota checked before anything is stored, types sniffed from the
//! bytes, downloads only through a record the caller may see, and uploaded markup
//! served as an inert download — with the blobs in a directory and in an S3 bucket (a
//! local `moto_server`, which `cargo xtask test` installs into the `SAHA_PY_TOOLS`
//! virtual environment).

mod common;

use std::io::BufRead;
use std::path::{Path, PathBuf};

use common::*;
use reqwest::StatusCode;
use saha_core::record::attachment::CHUNK_BYTES;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

fn sha256(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// A JPEG-looking file of `len` bytes whose content depends on `seed`.
fn photo(len: usize, seed: u8) -> Vec<u8> {
    let mut bytes: Vec<u8> = (0..len)
        .map(|i| (i as u8).wrapping_mul(31).wrapping_add(seed))
        .collect();
    bytes[..4].copy_from_slice(&[0xFF, 0xD8, 0xFF, 0xE0]);
    bytes
}

/// A local S3 service (moto) for one test, stopped when dropped.
struct Moto {
    child: std::process::Child,
    url: String,
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Moto {
    fn start() -> Moto {
        let tools = std::env::var_os("SAHA_PY_TOOLS")
            .map(PathBuf::from)
            .expect("set SAHA_PY_TOOLS to a directory with moto_server (cargo xtask test does)");
        let mut child = std::process::Command::new(tools.join("moto_server"))
            .args(["-H", "127.0.0.1", "-p", "0"])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("moto_server starts");
        let stderr = child.stderr.take().expect("piped stderr");
        let (found, url) = std::sync::mpsc::channel();
        // Reads its log to the end, so that the pipe never fills and stops it.
        std::thread::spawn(move || {
            for line in std::io::BufReader::new(stderr)
                .lines()
                .map_while(Result::ok)
            {
                if let Some(at) = line.find("http://127.0.0.1:") {
                    let _ = found.send(line[at..].trim().to_owned());
                }
            }
        });
        let url = url
            .recv_timeout(std::time::Duration::from_secs(30))
            .expect("moto_server says where it listens");
        Moto { child, url }
    }

    /// A new bucket; the `--blob-url` of it.
    async fn bucket(&self, name: &str) -> String {
        let response = reqwest::Client::new()
            .put(format!("{}/{name}", self.url))
            .send()
            .await
            .expect("moto answers");
        assert!(response.status().is_success(), "bucket {name} made");
        format!(
            "s3://{name}?endpoint={}&aws_allow_http=true&region=us-east-1\
             &access_key_id=test&secret_access_key=test",
            self.url
        )
    }
}

/// Where a test server keeps attachments.
enum Blobs {
    Directory,
    Bucket(Moto),
}

impl Blobs {
    async fn bucket() -> Blobs {
        Blobs::Bucket(tokio::task::spawn_blocking(Moto::start).await.unwrap())
    }

    /// A test configuration over `data_dir` keeping attachments here.
    async fn config(&self, data_dir: &Path) -> saha_server::Config {
        let mut config = saha_server::Config::for_tests(data_dir.to_path_buf(), site_root());
        if let Blobs::Bucket(moto) = self {
            config.blob_url = Some(moto.bucket("saha").await);
        }
        config
    }
}

/// The value of header `name` of `response` ("" if it has none).
fn header_of(response: &reqwest::Response, name: &str) -> String {
    response
        .headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

/// A member's HTTP session for raw requests (bytes in, headers out).
struct Session {
    base: String,
    cookie: String,
    http: reqwest::Client,
}

impl Session {
    fn of(client: &ApiClient) -> Session {
        Session {
            base: client.base.clone(),
            cookie: client.cookie().to_owned(),
            http: reqwest::Client::builder()
                .no_proxy()
                .build()
                .expect("an HTTP client"),
        }
    }

    async fn request(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<reqwest::Body>,
        json_body: Option<Value>,
    ) -> reqwest::Response {
        let mut request = self
            .http
            .request(method, format!("{}{path}", self.base))
            .header(reqwest::header::COOKIE, &self.cookie);
        if let Some(body) = body {
            request = request.body(body);
        }
        if let Some(value) = json_body {
            request = request.json(&value);
        }
        request.send().await.expect("the server answers")
    }

    async fn json(response: reqwest::Response) -> (StatusCode, Value) {
        let status = response.status();
        let text = response.text().await.unwrap_or_default();
        (status, serde_json::from_str(&text).unwrap_or(Value::Null))
    }

    async fn state(&self, hash: &str) -> (StatusCode, Value) {
        Self::json(
            self.request(
                reqwest::Method::GET,
                &format!("/api/v1/blobs/{hash}"),
                None,
                None,
            )
            .await,
        )
        .await
    }

    async fn chunk(
        &self,
        hash: &str,
        size: usize,
        index: usize,
        bytes: Vec<u8>,
    ) -> (StatusCode, Value) {
        Self::json(
            self.request(
                reqwest::Method::PUT,
                &format!("/api/v1/blobs/{hash}/chunks/{index}?size={size}"),
                Some(bytes.into()),
                None,
            )
            .await,
        )
        .await
    }

    async fn complete(&self, hash: &str, size: usize, name: &str) -> (StatusCode, Value) {
        Self::json(
            self.request(
                reqwest::Method::POST,
                &format!("/api/v1/blobs/{hash}/complete"),
                None,
                Some(json!({ "size": size, "name": name })),
            )
            .await,
        )
        .await
    }

    /// Uploads `bytes` whole, chunk by chunk; the completion's answer.
    async fn upload(&self, bytes: &[u8], name: &str) -> (StatusCode, Value) {
        let hash = sha256(bytes);
        for (index, chunk) in bytes.chunks(CHUNK_BYTES).enumerate() {
            let (status, body) = self.chunk(&hash, bytes.len(), index, chunk.to_vec()).await;
            if status != StatusCode::OK {
                return (status, body);
            }
        }
        self.complete(&hash, bytes.len(), name).await
    }

    async fn attach(&self, section: &str, id: &str, hash: &str, name: &str) -> (StatusCode, Value) {
        Self::json(
            self.request(
                reqwest::Method::POST,
                &format!("/api/v1/{section}/{id}/attachments"),
                None,
                Some(json!({ "hash": hash, "name": name })),
            )
            .await,
        )
        .await
    }

    async fn download(&self, section: &str, id: &str, hash: &str) -> reqwest::Response {
        self.request(
            reqwest::Method::GET,
            &format!("/api/v1/{section}/{id}/attachments/{hash}"),
            None,
            None,
        )
        .await
    }
}

#[tokio::test]
async fn a_photo_uploads_in_chunks_resumes_and_downloads_whole_from_a_directory() {
    uploads_resume_and_download(Blobs::Directory).await;
}

#[tokio::test]
async fn a_photo_uploads_in_chunks_resumes_and_downloads_whole_from_a_bucket() {
    uploads_resume_and_download(Blobs::bucket().await).await;
}

async fn uploads_resume_and_download(blobs: Blobs) {
    let dir = tempfile::tempdir().unwrap();
    let config = blobs.config(dir.path()).await;
    let server = start_with(config.clone()).await;
    let owner = Session::of(&server.owner);
    let contact = create_through_api(&server, "contacts", json!({ "name": "Ayşe Kaya" })).await;

    let bytes = photo(2 * CHUNK_BYTES + 12_345, 7);
    let hash = sha256(&bytes);
    let chunks: Vec<Vec<u8>> = bytes.chunks(CHUNK_BYTES).map(<[u8]>::to_vec).collect();
    // The first chunk arrives, then the connection is cut.
    let (status, state) = owner.chunk(&hash, bytes.len(), 0, chunks[0].clone()).await;
    assert_eq!(status, StatusCode::OK, "{state}");
    // Completing now names what is missing.
    let (status, problem) = owner.complete(&hash, bytes.len(), "raf.jpg").await;
    assert_eq!(status, StatusCode::CONFLICT, "{problem}");
    assert_eq!(problem["code"], "upload_incomplete");
    // After the restart of the app, the state says where to go on from.
    let (status, state) = owner.state(&hash).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(state, json!({ "stored": false, "received": [0] }));
    // A chunk of the wrong length is refused and changes nothing.
    let (status, _) = owner.chunk(&hash, bytes.len(), 2, vec![1, 2, 3]).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    for index in [2, 1] {
        let (status, body) = owner
            .chunk(&hash, bytes.len(), index, chunks[index].clone())
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }
    let (status, done) = owner.complete(&hash, bytes.len(), "raf.jpg").await;
    assert_eq!(status, StatusCode::CREATED, "{done}");
    assert_eq!(done["blob"]["mediaType"], "image/jpeg");
    assert_eq!(done["blob"]["size"], bytes.len());

    let (status, attached) = owner
        .attach("contacts", &contact, &hash, "raf fotoğrafı.jpg")
        .await;
    assert_eq!(status, StatusCode::CREATED, "{attached}");
    // Attaching the same file again keeps one.
    let (status, _) = owner
        .attach("contacts", &contact, &hash, "raf fotoğrafı.jpg")
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, list) = server
        .owner
        .get(&format!("/api/v1/contacts/{contact}/attachments"))
        .await
        .unwrap();
    assert_eq!(status, StatusCode::OK, "{list}");
    assert_eq!(list["data"].as_array().map(Vec::len), Some(1), "{list}");
    assert_eq!(list["data"][0]["mediaType"], "image/jpeg");
    assert_eq!(list["data"][0]["name"], "raf fotoğrafı.jpg");

    let response = owner.download("contacts", &contact, &hash).await;
    assert_eq!(response.status(), StatusCode::OK);
    let header = |name: &str| header_of(&response, name);
    assert_eq!(header("content-type"), "image/jpeg");
    assert_eq!(header("x-content-type-options"), "nosniff");
    assert!(
        header("content-security-policy").starts_with("sandbox;"),
        "{}",
        header("content-security-policy")
    );
    assert!(
        header("content-disposition").starts_with("inline;"),
        "{}",
        header("content-disposition")
    );
    assert!(
        header("content-disposition").contains("filename*=UTF-8''raf%20foto%C4%9Fraf%C4%B1.jpg")
    );
    assert_eq!(header("accept-ranges"), "bytes");
    let body = response.bytes().await.unwrap();
    assert_eq!(sha256(&body), hash, "the bytes come back whole");

    // A player seeking: one range across a chunk boundary, from either backend.
    let path = format!("/api/v1/contacts/{contact}/attachments/{hash}");
    let ranged = |range: String| {
        owner
            .http
            .get(format!("{}{path}", owner.base))
            .header(reqwest::header::COOKIE, &owner.cookie)
            .header(reqwest::header::RANGE, range)
            .send()
    };
    let start = CHUNK_BYTES - 10;
    let response = ranged(format!("bytes={start}-{}", start + 99))
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::PARTIAL_CONTENT);
    assert_eq!(
        header_of(&response, "content-range"),
        format!("bytes {start}-{}/{}", start + 99, bytes.len())
    );
    assert_eq!(header_of(&response, "content-length"), "100");
    assert_eq!(
        &response.bytes().await.unwrap()[..],
        &bytes[start..start + 100]
    );
    let response = ranged("bytes=-5".into()).await.unwrap();
    assert_eq!(response.status(), StatusCode::PARTIAL_CONTENT);
    assert_eq!(
        &response.bytes().await.unwrap()[..],
        &bytes[bytes.len() - 5..]
    );
    let response = ranged("bytes=99999999-".into()).await.unwrap();
    assert_eq!(response.status(), StatusCode::RANGE_NOT_SATISFIABLE);
    assert_eq!(
        header_of(&response, "content-range"),
        format!("bytes */{}", bytes.len())
    );
    // The ETag is the hash: a copy the browser holds is confirmed without the bytes.
    let response = owner
        .http
        .get(format!("{}{path}", owner.base))
        .header(reqwest::header::COOKIE, &owner.cookie)
        .header(reqwest::header::IF_NONE_MATCH, format!("\"{hash}\""))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::NOT_MODIFIED);
    assert!(response.bytes().await.unwrap().is_empty());

    // The file outlives a restart (the embedded store, or the same database).
    server.shutdown().await.unwrap();
    let server = start_with(config).await;
    let owner = Session::of(&server.owner);
    let response = owner.download("contacts", &contact, &hash).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(sha256(&response.bytes().await.unwrap()), hash);

    // Removed from the record, it is no longer served through it.
    let response = owner
        .request(
            reqwest::Method::DELETE,
            &format!("/api/v1/contacts/{contact}/attachments/{hash}"),
            None,
            None,
        )
        .await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        owner.download("contacts", &contact, &hash).await.status(),
        StatusCode::NOT_FOUND
    );
    server.shutdown().await.unwrap();
}

#[tokio::test]
async fn the_same_file_is_stored_once_in_a_directory() {
    the_same_file_is_stored_once(Blobs::Directory).await;
}

#[tokio::test]
async fn the_same_file_is_stored_once_in_a_bucket() {
    the_same_file_is_stored_once(Blobs::bucket().await).await;
}

async fn the_same_file_is_stored_once(blobs: Blobs) {
    let dir = tempfile::tempdir().unwrap();
    let server = start_with(blobs.config(dir.path()).await).await;
    let owner = Session::of(&server.owner);
    let rep = server
        .member("temsilci@anadolu.test", "sales_rep", &[])
        .await;
    let rep = Session::of(&rep);
    let bytes = photo(CHUNK_BYTES / 2, 1);
    let hash = sha256(&bytes);
    let (status, first) = owner.upload(&bytes, "a.jpg").await;
    assert_eq!(status, StatusCode::CREATED, "{first}");
    // Another member's upload of the same bytes: no chunk is taken, nothing is stored again.
    let (status, state) = rep.state(&hash).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(state["stored"], true, "{state}");
    let (status, state) = rep.chunk(&hash, bytes.len(), 0, bytes.clone()).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(state["stored"], true);
    let (status, again) = rep.complete(&hash, bytes.len(), "b.jpg").await;
    assert_eq!(status, StatusCode::OK, "{again}");
    assert_eq!(again["blob"], first["blob"]);
    if let Blobs::Directory = blobs {
        let on_disk: Vec<_> = walk(&dir.path().join("blobs"))
            .into_iter()
            .filter(|p| p.ends_with(&hash))
            .collect();
        assert_eq!(on_disk.len(), 1, "one object: {on_disk:?}");
        let chunks_left: Vec<_> = walk(&dir.path().join("blobs/uploads"));
        assert!(
            chunks_left.is_empty(),
            "no chunk is left behind: {chunks_left:?}"
        );
    }
    // Nothing of the upload is left to resume: stored, no chunks.
    let (_, state) = owner.state(&hash).await;
    assert_eq!(state["stored"], true);
    assert_eq!(state["received"], json!([]));
    server.shutdown().await.unwrap();
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return out;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}

#[tokio::test]
async fn files_are_read_only_through_a_record_the_member_may_see() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path()).await;
    let north = server.team("Kuzey").await;
    let south = server.team("Güney").await;
    let owner = Session::of(&server.owner);
    let north_rep = Session::of(
        &server
            .member("kuzey@anadolu.test", "sales_rep", &[&north])
            .await,
    );
    let south_rep = Session::of(
        &server
            .member("guney@anadolu.test", "sales_rep", &[&south])
            .await,
    );
    let north_contact = create_through_api(
        &server,
        "contacts",
        json!({ "name": "Kuzey Müşteri", "team": north }),
    )
    .await;
    let shared_contact =
        create_through_api(&server, "contacts", json!({ "name": "Ortak Müşteri" })).await;

    let bytes = photo(50_000, 3);
    let hash = sha256(&bytes);
    let (status, body) = north_rep.upload(&bytes, "n.jpg").await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let (status, body) = north_rep
        .attach("contacts", &north_contact, &hash, "n.jpg")
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");

    // The north rep and the owner read it; the south rep cannot tell it exists.
    assert_eq!(
        north_rep
            .download("contacts", &north_contact, &hash)
            .await
            .status(),
        StatusCode::OK
    );
    assert_eq!(
        owner
            .download("contacts", &north_contact, &hash)
            .await
            .status(),
        StatusCode::OK
    );
    assert_eq!(
        south_rep
            .download("contacts", &north_contact, &hash)
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    // Nor through a record they may see that does not hold it.
    assert_eq!(
        south_rep
            .download("contacts", &shared_contact, &hash)
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    // Nor by attaching the hash they learnt to a record of their own: the file must be
    // theirs to upload first — and the bytes are what the hash names.
    let (status, _) = south_rep
        .attach("contacts", &north_contact, &hash, "x.jpg")
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    // A guessed hash is as unknown as any other.
    let guessed = "0".repeat(64);
    assert_eq!(
        owner
            .download("contacts", &north_contact, &guessed)
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        owner
            .download("contacts", &north_contact, "..%2F..%2Fetc%2Fpasswd")
            .await
            .status(),
        StatusCode::NOT_FOUND
    );

    // A token needs the attachments scope to upload, and the record's to read.
    let reader = token(&server, &["contacts:read"], None).await;
    let (status, _) = Rest::new(&server.http(), &reader)
        .get(&format!("/api/v1/blobs/{hash}"))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let response = reqwest::Client::new()
        .get(format!(
            "{}/api/v1/contacts/{north_contact}/attachments/{hash}",
            server.http()
        ))
        .bearer_auth(&reader)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    // A token with the attachments scope uploads and attaches through the REST API.
    let writer = token(&server, &["attachments:write", "contacts:write"], None).await;
    let bytes = photo(3_000, 9);
    let api_hash = sha256(&bytes);
    let response = reqwest::Client::new()
        .put(format!(
            "{}/api/v1/blobs/{api_hash}/chunks/0?size={}",
            server.http(),
            bytes.len()
        ))
        .bearer_auth(&writer)
        .body(bytes.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let api = Rest::new(&server.http(), &writer);
    let (status, body) = api
        .post(
            &format!("/api/v1/blobs/{api_hash}/complete"),
            json!({ "size": bytes.len(), "name": "api.jpg" }),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let (status, body) = api
        .post(
            &format!("/api/v1/contacts/{shared_contact}/attachments"),
            json!({ "hash": api_hash, "name": "api.jpg" }),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["mediaType"], "image/jpeg");
    let (status, list) = api
        .get(&format!("/api/v1/contacts/{shared_contact}/attachments"))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(list["data"][0]["hash"], api_hash.as_str());
    server.shutdown().await.unwrap();
}

#[tokio::test]
async fn limits_quota_and_types_are_checked_in_a_directory() {
    limits_quota_and_types(Blobs::Directory).await;
}

#[tokio::test]
async fn limits_quota_and_types_are_checked_in_a_bucket() {
    limits_quota_and_types(Blobs::bucket().await).await;
}

async fn limits_quota_and_types(blobs: Blobs) {
    let dir = tempfile::tempdir().unwrap();
    let mut config = blobs.config(dir.path()).await;
    config.max_attachment_mib = 2;
    config.workspace_attachment_quota_mib = 3;
    let server = start_with(config).await;
    let owner = Session::of(&server.owner);
    let contact = create_through_api(&server, "contacts", json!({ "name": "Limit" })).await;

    // Declared too large: refused before a byte is stored.
    let big = photo(2 * CHUNK_BYTES + 1, 9);
    let big_hash = sha256(&big);
    let (status, problem) = owner
        .chunk(&big_hash, big.len(), 0, big[..CHUNK_BYTES].to_vec())
        .await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{problem}");
    assert_eq!(problem["code"], "payload_too_large");
    assert_eq!(owner.state(&big_hash).await.1["received"], json!([]));
    // A chunk body over 1 MiB is cut off while it streams in.
    let (status, _) = owner
        .chunk(&big_hash, CHUNK_BYTES, 0, vec![0xFF; CHUNK_BYTES + 1])
        .await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(owner.state(&big_hash).await.1["received"], json!([]));

    // Bytes that are not what the address names.
    let bytes = photo(1_000, 4);
    let wrong = sha256(b"something else");
    let (status, _) = owner.chunk(&wrong, bytes.len(), 0, bytes.clone()).await;
    assert_eq!(status, StatusCode::OK);
    let (status, problem) = owner.complete(&wrong, bytes.len(), "x.jpg").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
    assert_eq!(problem["code"], "hash_mismatch");
    assert_eq!(
        owner.state(&wrong).await.1["received"],
        json!([]),
        "the chunks are dropped"
    );

    // A program is not kept, whatever it is called.
    let program = b"MZ\x90\x00\x03\x00\x00\x00 this program cannot be run".to_vec();
    let (status, problem) = owner.upload(&program, "fatura.pdf").await;
    assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE, "{problem}");
    assert_eq!(problem["code"], "unsupported_media_type");

    // Markup is kept as plain text and served as an inert download.
    let page = b"<html><body><script>fetch('/api/members')</script></body></html>".to_vec();
    let page_hash = sha256(&page);
    let (status, body) = owner.upload(&page, "kampanya.html").await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let (status, body) = owner
        .attach("contacts", &contact, &page_hash, "kampanya.html")
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let response = owner.download("contacts", &contact, &page_hash).await;
    assert_eq!(response.status(), StatusCode::OK);
    let header = |name: &str| header_of(&response, name);
    assert_eq!(header("content-type"), "text/plain; charset=utf-8");
    assert!(header("content-disposition").starts_with("attachment;"));
    assert_eq!(header("x-content-type-options"), "nosniff");
    let policy = header("content-security-policy");
    assert!(
        policy.starts_with("sandbox;") && policy.contains("default-src 'none'"),
        "{policy}"
    );
    // The quota (3 MiB, of which the page above takes 64 bytes): two files of 1.5 MiB
    // less a little fit, a third does not — refused up front.
    for seed in [1, 2] {
        let (status, body) = owner
            .upload(&photo(CHUNK_BYTES * 3 / 2 - 100, seed), "p.jpg")
            .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
    }
    let third = photo(CHUNK_BYTES / 2, 3);
    let (status, problem) = owner
        .chunk(&sha256(&third), third.len(), 0, third.clone())
        .await;
    assert_eq!(status, StatusCode::INSUFFICIENT_STORAGE, "{problem}");
    assert_eq!(problem["code"], "quota_exceeded");

    server.shutdown().await.unwrap();
}

#[tokio::test]
async fn a_file_no_record_holds_is_removed_after_the_grace_period() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path()).await;
    let owner = Session::of(&server.owner);
    let contact = create_through_api(&server, "contacts", json!({ "name": "Süpürge" })).await;
    let kept = photo(20_000, 1);
    let loose = photo(30_000, 2);
    let (kept_hash, loose_hash) = (sha256(&kept), sha256(&loose));
    for (bytes, name) in [(&kept, "kept.jpg"), (&loose, "loose.jpg")] {
        let (status, body) = owner.upload(bytes, name).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
    }
    let (status, _) = owner
        .attach("contacts", &contact, &kept_hash, "kept.jpg")
        .await;
    assert_eq!(status, StatusCode::CREATED);
    // An upload given up on after its first chunk.
    let abandoned = photo(CHUNK_BYTES + 10, 3);
    let abandoned_hash = sha256(&abandoned);
    let (status, _) = owner
        .chunk(
            &abandoned_hash,
            abandoned.len(),
            0,
            abandoned[..CHUNK_BYTES].to_vec(),
        )
        .await;
    assert_eq!(status, StatusCode::OK);

    let blobs = &server.state.blobs;
    let storage = server.hub.storage();
    let workspace = server.owner.get("/api/auth/me").await.unwrap().1["workspaceId"]
        .as_str()
        .expect("the member's workspace")
        .to_owned();
    let used = || blobs.usage(&workspace).unwrap();
    assert_eq!(used(), 50_000);
    let grace = 60_000;
    let t0 = saha_server::directory::now_ms();
    // The first sweep only marks the loose file; within the grace period it stays.
    assert_eq!(blobs.sweep(storage, t0, grace).await.unwrap(), 0);
    assert_eq!(
        blobs.sweep(storage, t0 + grace / 2, grace).await.unwrap(),
        0
    );
    assert_eq!(owner.state(&loose_hash).await.1["stored"], true);
    assert_eq!(owner.state(&abandoned_hash).await.1["received"], json!([0]));
    // After it, the loose file goes, the held one stays, and so does the usage.
    assert_eq!(blobs.sweep(storage, t0 + grace, grace).await.unwrap(), 1);
    assert_eq!(owner.state(&loose_hash).await.1["stored"], false);
    assert_eq!(owner.state(&kept_hash).await.1["stored"], true);
    assert_eq!(used(), 20_000);
    assert_eq!(
        owner.state(&abandoned_hash).await.1["received"],
        json!([]),
        "the abandoned upload's chunk is gone"
    );
    assert_eq!(
        owner
            .download("contacts", &contact, &kept_hash)
            .await
            .status(),
        StatusCode::OK
    );

    // Removed from its record, a file is marked; attached again before the grace
    // period ends, it is kept.
    let response = owner
        .request(
            reqwest::Method::DELETE,
            &format!("/api/v1/contacts/{contact}/attachments/{kept_hash}"),
            None,
            None,
        )
        .await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    let t1 = t0 + 2 * grace;
    assert_eq!(blobs.sweep(storage, t1, grace).await.unwrap(), 0);
    let (status, _) = owner
        .attach("contacts", &contact, &kept_hash, "kept.jpg")
        .await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(
        blobs.sweep(storage, t1 + grace / 2, grace).await.unwrap(),
        0
    );
    assert_eq!(
        blobs.sweep(storage, t1 + 2 * grace, grace).await.unwrap(),
        0
    );
    assert_eq!(
        owner
            .download("contacts", &contact, &kept_hash)
            .await
            .status(),
        StatusCode::OK
    );
    server.shutdown().await.unwrap();
}

#[tokio::test]
async fn erasing_a_person_removes_the_files_of_their_records() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path()).await;
    let owner = Session::of(&server.owner);
    let person = create_through_api(
        &server,
        "contacts",
        json!({ "name": "Silinecek Kişi", "email": "silinecek@example.com" }),
    )
    .await;
    let other = create_through_api(&server, "contacts", json!({ "name": "Kalan Kişi" })).await;
    let case = create_through_api(
        &server,
        "cases",
        json!({ "subject": "Şikâyet", "contact": person }),
    )
    .await;
    // Their photo, the voice message on their complaint, and a file on someone else's
    // record that their complaint also holds.
    let face = photo(10_000, 1);
    let voice = {
        let mut bytes = vec![0x1A, 0x45, 0xDF, 0xA3];
        bytes.extend((0..5_000).map(|i| i as u8));
        bytes
    };
    let shared = photo(12_000, 3);
    for (bytes, name) in [
        (&face, "yuz.jpg"),
        (&voice, "ses.webm"),
        (&shared, "ortak.jpg"),
    ] {
        let (status, body) = owner.upload(bytes, name).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
    }
    let (face, voice, shared) = (sha256(&face), sha256(&voice), sha256(&shared));
    for (section, id, hash) in [
        ("contacts", &person, &face),
        ("cases", &case, &voice),
        ("cases", &case, &shared),
        ("contacts", &other, &shared),
    ] {
        let (status, body) = owner.attach(section, id, hash, "f").await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
    }
    let writer = Rest::new(
        &server.http(),
        &token(&server, &["privacy:write"], None).await,
    );
    let (status, destruction) = writer
        .post("/api/v1/privacy/erasures", json!({ "person": person }))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{destruction}");

    assert_eq!(
        owner.state(&face).await.1["stored"],
        false,
        "their photo is gone"
    );
    assert_eq!(
        owner.state(&voice).await.1["stored"],
        false,
        "the complaint's voice message is gone"
    );
    assert_eq!(
        owner.state(&shared).await.1["stored"],
        true,
        "another record still holds this one"
    );
    assert_eq!(
        owner.download("contacts", &other, &shared).await.status(),
        StatusCode::OK
    );
    // The anonymised complaint lives on without attachments.
    let new_case = destruction["records"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == case.as_str())
        .and_then(|r| r["replacedBy"].as_str())
        .expect("the complaint is anonymised, not erased")
        .to_owned();
    let (status, list) = server
        .owner
        .get(&format!("/api/v1/cases/{new_case}/attachments"))
        .await
        .unwrap();
    assert_eq!(status, StatusCode::OK, "{list}");
    assert_eq!(list["data"], json!([]));
    server.shutdown().await.unwrap();
}

#[tokio::test]
async fn another_workspace_neither_reads_nor_learns_of_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path()).await;
    let owner = Session::of(&server.owner);
    let contact = create_through_api(&server, "contacts", json!({ "name": "Gizli Müşteri" })).await;
    let bytes = photo(40_000, 11);
    let hash = sha256(&bytes);
    let (status, body) = owner.upload(&bytes, "gizli.jpg").await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let (status, body) = owner.attach("contacts", &contact, &hash, "gizli.jpg").await;
    assert_eq!(status, StatusCode::CREATED, "{body}");

    // A second tenant on the same server, who somehow learnt the hash and the record.
    let password_hash = saha_server::directory::hash_password(PASSWORD).unwrap();
    saha_server::http::setup::provision_workspace(
        &server.state,
        "Rakip",
        "Rakip Sahibi",
        "sahip@rakip.test",
        password_hash,
        false,
    )
    .await
    .unwrap();
    let rival = Session::of(
        &ApiClient::login(&server.http(), "sahip@rakip.test", PASSWORD)
            .await
            .unwrap(),
    );
    // The record is not theirs to read through, and the upload state tells nothing:
    // as for a file no one ever sent.
    assert_eq!(
        rival.download("contacts", &contact, &hash).await.status(),
        StatusCode::NOT_FOUND
    );
    let (status, state) = rival.state(&hash).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(state, json!({ "stored": false, "received": [] }));
    // Attaching the hash to a record of their own needs the bytes first: the answer is
    // the one for a file no one ever uploaded.
    let own = contact_of(&rival).await;
    let (status, problem) = rival.attach("contacts", &own, &hash, "gizli.jpg").await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(problem["code"], "upload_incomplete");
    let (_, never) = rival
        .attach("contacts", &own, &"e".repeat(64), "gizli.jpg")
        .await;
    assert_eq!(problem, never);
    // With the bytes, the file is theirs: stored for their workspace (and counted in
    // its quota), readable through their record only.
    let (status, body) = rival.upload(&bytes, "kopya.jpg").await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let (status, body) = rival.attach("contacts", &own, &hash, "kopya.jpg").await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(
        rival.download("contacts", &own, &hash).await.status(),
        StatusCode::OK
    );
    assert_eq!(
        rival.download("contacts", &contact, &hash).await.status(),
        StatusCode::NOT_FOUND
    );
    // The first workspace's copy is untouched when the rival removes theirs.
    let response = rival
        .request(
            reqwest::Method::DELETE,
            &format!("/api/v1/contacts/{own}/attachments/{hash}"),
            None,
            None,
        )
        .await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    let response = owner.download("contacts", &contact, &hash).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(sha256(&response.bytes().await.unwrap()), hash);
    server.shutdown().await.unwrap();
}

/// A new contact of the session's own workspace; its ID.
async fn contact_of(session: &Session) -> String {
    let (status, body) = Session::json(
        session
            .request(
                reqwest::Method::POST,
                "/api/v1/contacts",
                None,
                Some(json!({ "fields": { "name": "Rakibin Müşterisi" } })),
            )
            .await,
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    body["id"]
        .as_str()
        .expect("the new contact's ID")
        .to_owned()
}

#[tokio::test]
async fn two_nodes_on_one_bucket_resume_each_others_uploads_and_serve_every_file() {
    let moto = tokio::task::spawn_blocking(Moto::start).await.unwrap();
    let blob_url = moto.bucket("saha-cluster").await;
    let db = fresh_database().await;
    let (dir1, dir2) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let node = |dir: &Path| {
        let mut config = saha_server::Config::for_tests(dir.to_path_buf(), site_root());
        config.database_url = Some(db.clone());
        config.blob_url = Some(blob_url.clone());
        config
    };
    let node1 = start_with(node(dir1.path())).await;
    let node2 = start_with(node(dir2.path())).await;
    let on1 = Session::of(&node1.owner);
    let on2 = Session::of(&node1.owner.on(&node2.http()));
    let contact = create_through_api(&node1, "contacts", json!({ "name": "İki Düğüm" })).await;

    // A phone sends the first chunk to node 1; the balancer sends the rest to node 2,
    // which knows what node 1 took.
    let bytes = photo(2 * CHUNK_BYTES + 777, 5);
    let hash = sha256(&bytes);
    let chunks: Vec<Vec<u8>> = bytes.chunks(CHUNK_BYTES).map(<[u8]>::to_vec).collect();
    let (status, body) = on1.chunk(&hash, bytes.len(), 0, chunks[0].clone()).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, state) = on2.state(&hash).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(state, json!({ "stored": false, "received": [0] }));
    for index in [1, 2] {
        let (status, body) = on2
            .chunk(&hash, bytes.len(), index, chunks[index].clone())
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }
    let (status, body) = on2.complete(&hash, bytes.len(), "iki.jpg").await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let (status, body) = on2.attach("contacts", &contact, &hash, "iki.jpg").await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    // Either node serves it whole.
    for session in [&on1, &on2] {
        let response = session.download("contacts", &contact, &hash).await;
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(sha256(&response.bytes().await.unwrap()), hash);
    }
    // Nothing of it is on either node's disk: the bucket holds it.
    for dir in [dir1.path(), dir2.path()] {
        let local: Vec<PathBuf> = walk(dir)
            .into_iter()
            .filter(|p| p.to_string_lossy().contains(&hash))
            .collect();
        assert!(local.is_empty(), "{local:?}");
    }
    node1.shutdown().await.unwrap();
    node2.shutdown().await.unwrap();
}
