//! The soak: a steady mixed load on one server process for a fixed time — writers
//! editing records over the sync protocol, a device following the change feed, an
//! integration reading the REST API, and an approved e-mail campaign to the same
//! people every so often, sent by the outbox to a local SMTP sink — while the server's
//! resident memory, open file descriptors, (on PostgreSQL) database connections and
//! the outbox's depth (messages approved but not sent yet, as the campaigns' documents
//! show) are sampled every few seconds. The report gives each one's least-squares
//! slope over the run after a warm-up (the first quarter), every operation that
//! failed, every line the server logged at `WARN` or `ERROR`, and what became of each
//! campaign (every recipient's message sent once, none twice). A flat run has slopes
//! near zero, no failures and every campaign delivered.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use automerge::Automerge;
use saha_core::DocumentId;
use saha_core::parties::account::Account;
use saha_core::record::EditContext;
use saha_core::record::form::Form;

use crate::api_client::{ApiClient, Endpoint};
use crate::peer::Peer;
use crate::process::{BENCH_EMAIL, BENCH_PASSWORD, ServerProcess};
use crate::torture::campaign::{self, Prepared};
use crate::torture::now_ms;

pub struct SoakOptions {
    pub server_bin: PathBuf,
    pub site_root: PathBuf,
    pub data_dir: PathBuf,
    pub database_url: Option<String>,
    pub duration: Duration,
    pub writers: usize,
    pub records: usize,
    pub sample_every: Duration,
    /// How often a new campaign is approved.
    pub campaign_every: Duration,
    /// Contacts the campaigns go to (three in four consented).
    pub campaign_people: usize,
}

/// One sample of the server process.
#[derive(Debug, Clone, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Sample {
    pub seconds: f64,
    pub rss_kib: u64,
    pub fds: u64,
    /// Connections to the server's database (PostgreSQL only).
    pub database_connections: Option<u64>,
    /// Campaign messages approved and not sent yet (`None` when it could not be read).
    pub outbox_depth: Option<u64>,
}

#[derive(Debug, Clone, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SoakReport {
    pub seconds: f64,
    pub backend: &'static str,
    pub writers: usize,
    pub records: usize,
    pub edits: u64,
    pub feed_downloads: u64,
    pub api_calls: u64,
    /// Campaigns approved, and what became of them (summed over them).
    pub campaigns: usize,
    pub campaign_messages: crate::torture::CampaignReport,
    /// Least-squares slopes over the samples after the warm-up, per minute.
    pub rss_kib_per_minute: f64,
    pub fds_per_minute: f64,
    pub database_connections_per_minute: Option<f64>,
    pub outbox_depth_per_minute: f64,
    /// The deepest the outbox was at a sample.
    pub outbox_depth_max: u64,
    pub samples: Vec<Sample>,
    /// Operations that failed (each with what failed).
    pub failures: Vec<String>,
    /// Lines the server logged at WARN or ERROR.
    pub server_problems: Vec<String>,
}

impl SoakReport {
    /// Whether nothing failed, the server logged no problem, and every campaign's
    /// message reached each recipient once (a server that was never killed has no
    /// reason for an uncertain or failed one).
    pub fn clean(&self) -> bool {
        let c = &self.campaign_messages;
        self.failures.is_empty()
            && self.server_problems.is_empty()
            && c.sent == c.recipients
            && c.received == c.recipients
            && c.duplicates == 0
    }
}

/// The least-squares slope of `points` (x, y).
pub fn slope(points: &[(f64, f64)]) -> f64 {
    let n = points.len() as f64;
    if points.len() < 2 {
        return 0.0;
    }
    let mean_x = points.iter().map(|p| p.0).sum::<f64>() / n;
    let mean_y = points.iter().map(|p| p.1).sum::<f64>() / n;
    let covariance: f64 = points
        .iter()
        .map(|(x, y)| (x - mean_x) * (y - mean_y))
        .sum();
    let variance: f64 = points.iter().map(|(x, _)| (x - mean_x).powi(2)).sum();
    if variance == 0.0 {
        0.0
    } else {
        covariance / variance
    }
}

fn sample(
    server: &ServerProcess,
    database_url: Option<&str>,
    started: Instant,
    outbox_depth: Option<u64>,
) -> Sample {
    let fds = std::fs::read_dir(format!("/proc/{}/fd", server.pid))
        .map(|d| d.count() as u64)
        .unwrap_or_default();
    let database_connections = database_url.and_then(|url| {
        let out = std::process::Command::new("psql")
            .arg(url)
            .args([
                "-tAc",
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() \
                 AND pid <> pg_backend_pid()",
            ])
            .output()
            .ok()?;
        String::from_utf8_lossy(&out.stdout).trim().parse().ok()
    });
    Sample {
        seconds: started.elapsed().as_secs_f64(),
        rss_kib: server.rss().unwrap_or_default() / 1024,
        fds,
        database_connections,
        outbox_depth,
    }
}

/// A new account for the soak.
fn account(n: usize) -> Result<Automerge, String> {
    let form = Form::new().with("name", format!("Dayanıklılık {n}"));
    saha_core::record::new_document::<Account>(&form, &EditContext::new("soak", 1))
        .map_err(|e| e.to_string())
}

pub async fn soak(options: &SoakOptions) -> Result<SoakReport, String> {
    let _ = std::fs::remove_dir_all(&options.data_dir);
    let sink = campaign::Sink::start(Duration::from_millis(10)).await?;
    let server = ServerProcess::start_saha_node(
        &options.server_bin,
        &options.site_root,
        options.data_dir.clone(),
        options.database_url.as_deref(),
        &["--smtp-url", &sink.url],
    )
    .await?;
    let http = server.http_url.clone().ok_or("no HTTP address")?;
    let owner = ApiClient::login(&http, BENCH_EMAIL, BENCH_PASSWORD)
        .await
        .map_err(|e| e.to_string())?;
    let endpoint = Endpoint::from(owner.clone());
    let mut seeder = Peer::connect(&endpoint, "soak-seeder")
        .await
        .map_err(|e| e.to_string())?;
    let mut records = Vec::new();
    for n in 0..options.records {
        let id = DocumentId::random();
        seeder.docs.insert(id, account(n)?);
        records.push(id);
    }
    seeder.push_all(&records).await.map_err(|e| e.to_string())?;
    drop(seeder);
    let people = campaign::prepare(&owner, options.campaign_people, now_ms()).await?;
    let (status, token) = owner
        .post(
            "/api/api-tokens",
            &serde_json::json!({ "name": "soak", "scopes": ["*:read"] }),
        )
        .await
        .map_err(|e| e.to_string())?;
    let secret = token["secret"]
        .as_str()
        .ok_or_else(|| format!("no API token: {status} {token}"))?
        .to_owned();

    let started = Instant::now();
    let deadline = started + options.duration;
    let failures = Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
    let fail = {
        let failures = failures.clone();
        move |what: String| {
            if let Ok(mut f) = failures.lock() {
                f.push(what);
            }
        }
    };
    let edits = Arc::new(AtomicU64::new(0));
    let feed_downloads = Arc::new(AtomicU64::new(0));
    let api_calls = Arc::new(AtomicU64::new(0));
    let mut tasks = Vec::new();

    for w in 0..options.writers {
        let (endpoint, records, edits, fail) = (
            endpoint.clone(),
            records.clone(),
            edits.clone(),
            fail.clone(),
        );
        tasks.push(tokio::spawn(async move {
            let mut n = 0usize;
            while Instant::now() < deadline {
                let mut peer = match Peer::connect(&endpoint, &format!("soak-writer{w}")).await {
                    Ok(peer) => peer,
                    Err(e) => {
                        fail(format!("writer {w} connecting: {e}"));
                        tokio::time::sleep(Duration::from_secs(1)).await;
                        continue;
                    }
                };
                if let Err(e) = peer.fetch_all(&records).await {
                    fail(format!("writer {w} fetching: {e}"));
                    continue;
                }
                while Instant::now() < deadline {
                    let id = records[(n * 7 + w) % records.len()];
                    n += 1;
                    let Some(doc) = peer.docs.get_mut(&id) else {
                        break;
                    };
                    let edited = saha_core::record::edit_fields::<Account>(
                        doc,
                        &EditContext::new("soak", 2),
                        |f| f.set("notes", format!("yazan {w}, değişiklik {n}")),
                    );
                    if let Err(e) = edited {
                        fail(format!("writer {w} editing: {e}"));
                        break;
                    }
                    if let Err(e) = peer.push(id).await {
                        fail(format!("writer {w} pushing: {e}"));
                        break;
                    }
                    edits.fetch_add(1, Ordering::Relaxed);
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
            }
        }));
    }
    {
        let (owner, feed_downloads, fail) = (owner.clone(), feed_downloads.clone(), fail.clone());
        tasks.push(tokio::spawn(async move {
            let mut cursor = 0;
            while Instant::now() < deadline {
                match owner.changes(cursor).await {
                    Ok(changes) => {
                        cursor = changes.cursor;
                        feed_downloads.fetch_add(1, Ordering::Relaxed);
                    }
                    Err(e) => fail(format!("change feed: {e}")),
                }
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        }));
    }
    {
        let (http, api_calls, fail) = (http.clone(), api_calls.clone(), fail.clone());
        tasks.push(tokio::spawn(async move {
            let client = reqwest::Client::new();
            while Instant::now() < deadline {
                let answer = client
                    .get(format!("{http}/api/v1/accounts?limit=50"))
                    .bearer_auth(&secret)
                    .send()
                    .await;
                match answer {
                    Ok(r) if r.status().is_success() => {
                        let _ = r.bytes().await;
                        api_calls.fetch_add(1, Ordering::Relaxed);
                    }
                    Ok(r) => fail(format!("REST API: {}", r.status())),
                    Err(e) => fail(format!("REST API: {e}")),
                }
                tokio::time::sleep(Duration::from_millis(500)).await;
            }
        }));
    }

    // The sampler approves the campaigns too, so that the outbox's depth is read
    // against the campaigns approved so far.
    let database_url = options.database_url.as_deref();
    let mut campaigns: Vec<Prepared> = Vec::new();
    let mut next_campaign = Instant::now();
    let mut samples = Vec::new();
    loop {
        if Instant::now() >= next_campaign && Instant::now() < deadline {
            let subject = format!("Soak {}", campaigns.len() + 1);
            match people.another(&subject) {
                Ok(prepared) => match campaign::approve(&owner, &prepared).await {
                    Ok(()) => campaigns.push(prepared),
                    Err(e) => fail(format!("approving {subject}: {e}")),
                },
                Err(e) => fail(format!("making {subject}: {e}")),
            }
            next_campaign += options.campaign_every;
        }
        let depth = match campaign::waiting(&owner, &campaigns).await {
            Ok(depth) => Some(depth as u64),
            Err(e) => {
                fail(format!("reading the outbox's depth: {e}"));
                None
            }
        };
        samples.push(sample(&server, database_url, started, depth));
        if Instant::now() >= deadline {
            break;
        }
        tokio::time::sleep(options.sample_every).await;
    }
    for task in tasks {
        if task.await.is_err() {
            fail("a load task panicked".into());
        }
    }
    let mut campaign_messages = crate::torture::CampaignReport::default();
    for prepared in &campaigns {
        match campaign::check(&owner, prepared, &sink, Duration::from_secs(60)).await {
            Ok(report) => campaign_messages.add(&report),
            Err(e) => fail(format!("checking a campaign: {e}")),
        }
    }
    let server_problems = server
        .problems
        .lock()
        .map(|p| p.clone())
        .unwrap_or_default();
    server.stop().await;

    let warm = samples.len() / 4;
    let after: Vec<&Sample> = samples.iter().skip(warm).collect();
    let per_minute = |value: &dyn Fn(&Sample) -> f64| {
        slope(
            &after
                .iter()
                .map(|s| (s.seconds / 60.0, value(s)))
                .collect::<Vec<_>>(),
        )
    };
    let failures = failures.lock().map(|f| f.clone()).unwrap_or_default();
    Ok(SoakReport {
        seconds: started.elapsed().as_secs_f64(),
        backend: crate::process::backend_name(options.database_url.as_deref()),
        writers: options.writers,
        records: options.records,
        edits: edits.load(Ordering::Relaxed),
        feed_downloads: feed_downloads.load(Ordering::Relaxed),
        api_calls: api_calls.load(Ordering::Relaxed),
        campaigns: campaigns.len(),
        campaign_messages,
        outbox_depth_per_minute: per_minute(&|s| s.outbox_depth.unwrap_or_default() as f64),
        outbox_depth_max: samples
            .iter()
            .filter_map(|s| s.outbox_depth)
            .max()
            .unwrap_or_default(),
        rss_kib_per_minute: per_minute(&|s| s.rss_kib as f64),
        fds_per_minute: per_minute(&|s| s.fds as f64),
        database_connections_per_minute: options
            .database_url
            .as_ref()
            .map(|_| per_minute(&|s| s.database_connections.unwrap_or_default() as f64)),
        samples,
        failures,
        server_problems,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_slope_of_a_line_is_its_gradient() {
        let line: Vec<(f64, f64)> = (0..10).map(|x| (x as f64, 3.0 * x as f64 + 7.0)).collect();
        assert!((slope(&line) - 3.0).abs() < 1e-9);
        let flat: Vec<(f64, f64)> = (0..10).map(|x| (x as f64, 5.0)).collect();
        assert_eq!(slope(&flat), 0.0);
        assert_eq!(slope(&[(1.0, 2.0)]), 0.0);
    }
}
