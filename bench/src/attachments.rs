//! The attachments benchmark (issue 23): what uploading and downloading files costs the
//! server. One 10 MiB file is uploaded and downloaded alone, then 50 clients upload and
//! download a 5 MiB file each at once; the server's resident memory is read from
//! `/proc` before and at its peak (`VmHWM`, reset before each phase).

use std::path::Path;
use std::time::Instant;

use serde::Serialize;

use crate::api_client::ApiClient;
use crate::process::{BENCH_EMAIL, BENCH_PASSWORD, ServerProcess};

/// What one run measured.
#[derive(Debug, Serialize)]
pub struct AttachmentsReport {
    pub big_mib: usize,
    /// Resident memory before the big upload, and its peak during it (KiB).
    pub big_rss_before_kib: u64,
    pub big_upload_peak_kib: u64,
    pub big_upload_ms: u128,
    pub big_download_peak_kib: u64,
    pub big_download_ms: u128,
    pub concurrent: usize,
    pub each_mib: usize,
    pub concurrent_rss_before_kib: u64,
    pub concurrent_peak_kib: u64,
    pub concurrent_ms: u128,
    /// Uploads and downloads that did not answer 2xx with every byte.
    pub failures: usize,
}

/// Bytes of a file whose content depends on `seed` (a JPEG header, so it is kept).
fn file(len: usize, seed: u64) -> Vec<u8> {
    let mut state = seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1;
    let mut bytes: Vec<u8> = (0..len)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state as u8
        })
        .collect();
    bytes[..4].copy_from_slice(&[0xFF, 0xD8, 0xFF, 0xE0]);
    bytes
}

fn kib(bytes: Option<u64>) -> u64 {
    bytes.unwrap_or_default() / 1024
}

/// Uploads `bytes`, attaches it to contact `record`; whether every step answered 2xx.
async fn upload_and_attach(
    client: &ApiClient,
    bytes: &[u8],
    name: &str,
    record: &str,
) -> Result<String, String> {
    let ((status, body), hash) = client
        .upload(bytes, name)
        .await
        .map_err(|e| e.to_string())?;
    if !status.is_success() {
        return Err(format!("upload answered {status}: {body}"));
    }
    let (status, body) = client
        .post(
            &format!("/api/v1/contacts/{record}/attachments"),
            &serde_json::json!({ "hash": hash, "name": name }),
        )
        .await
        .map_err(|e| e.to_string())?;
    if !status.is_success() {
        return Err(format!("attach answered {status}: {body}"));
    }
    Ok(hash)
}

/// Runs the benchmark against a fresh server started from `bin`.
pub async fn run(
    bin: &Path,
    site_root: &Path,
    big_mib: usize,
    concurrent: usize,
    each_mib: usize,
) -> Result<AttachmentsReport, String> {
    let data_dir =
        std::env::temp_dir().join(format!("saha-bench-attachments-{}", std::process::id()));
    let max = big_mib.max(each_mib) + 1;
    let max_arg = max.to_string();
    let server = ServerProcess::start_saha_node(
        bin,
        site_root,
        data_dir,
        None,
        &["--max-attachment-mib", &max_arg],
    )
    .await?;
    let http = server.http_url.clone().ok_or("no HTTP address")?;
    let owner = ApiClient::login(&http, BENCH_EMAIL, BENCH_PASSWORD)
        .await
        .map_err(|e| e.to_string())?;
    let (status, contact) = owner
        .post(
            "/api/v1/contacts",
            &serde_json::json!({ "fields": { "name": "Ekli Müşteri" } }),
        )
        .await
        .map_err(|e| e.to_string())?;
    let record = contact["id"]
        .as_str()
        .ok_or(format!("contact not created ({status}): {contact}"))?
        .to_owned();
    // Warm up: the first upload opens the blob directory and the tables.
    upload_and_attach(&owner, &file(64 * 1024, 0), "warm.jpg", &record).await?;

    let big = file(big_mib << 20, 1);
    let big_rss_before_kib = kib(server.rss());
    server.reset_peak_rss();
    let started = Instant::now();
    let hash = upload_and_attach(&owner, &big, "big.jpg", &record).await?;
    let big_upload_ms = started.elapsed().as_millis();
    let big_upload_peak_kib = kib(server.peak_rss());
    drop(big);
    server.reset_peak_rss();
    let started = Instant::now();
    let (status, len) = owner
        .download_len(&format!("/api/v1/contacts/{record}/attachments/{hash}"))
        .await
        .map_err(|e| e.to_string())?;
    let big_download_ms = started.elapsed().as_millis();
    let big_download_peak_kib = kib(server.peak_rss());
    let mut failures = usize::from(!status.is_success() || len != (big_mib << 20) as u64);

    let concurrent_rss_before_kib = kib(server.rss());
    server.reset_peak_rss();
    let started = Instant::now();
    let mut tasks = Vec::new();
    for n in 0..concurrent {
        let client = owner.clone();
        let record = record.clone();
        tasks.push(tokio::spawn(async move {
            let bytes = file(each_mib << 20, 100 + n as u64);
            let hash = upload_and_attach(&client, &bytes, &format!("f{n}.jpg"), &record).await?;
            let (status, len) = client
                .download_len(&format!("/api/v1/contacts/{record}/attachments/{hash}"))
                .await
                .map_err(|e| e.to_string())?;
            if status.is_success() && len == bytes.len() as u64 {
                Ok(())
            } else {
                Err(format!("download {n}: {status}, {len} bytes"))
            }
        }));
    }
    for task in tasks {
        match task.await {
            Ok(Ok(())) => {}
            Ok(Err(e)) => {
                eprintln!("attachments bench: {e}");
                failures += 1;
            }
            Err(e) => {
                eprintln!("attachments bench: a task failed: {e}");
                failures += 1;
            }
        }
    }
    let concurrent_ms = started.elapsed().as_millis();
    let concurrent_peak_kib = kib(server.peak_rss());
    server.stop().await;
    Ok(AttachmentsReport {
        big_mib,
        big_rss_before_kib,
        big_upload_peak_kib,
        big_upload_ms,
        big_download_peak_kib,
        big_download_ms,
        concurrent,
        each_mib,
        concurrent_rss_before_kib,
        concurrent_peak_kib,
        concurrent_ms,
        failures,
    })
}
