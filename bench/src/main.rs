//! `saha-bench`: runs the server workloads against Saha and automerge-repo's reference
//! server, or seeds a Saha workspace for the browser benchmarks.
//!
//! ```text
//! saha-bench servers --saha-bin BIN --site-root DIR --reference-script FILE
//!                    [--sizes 1000,10000] [--runs 3] [--fanout-clients 200]
//!                    [--fanout-seconds 30] [--throughput-seconds 5]
//!                    [--seed-budget-seconds 240] [--servers saha|reference] --out FILE.json
//! saha-bench seed-saha --http http://127.0.0.1:PORT --count N [--seed S] [--sales N [--lines L]]
//! saha-bench seed-screens --http http://127.0.0.1:PORT --email E --password P
//! saha-bench seed-analytics --http http://127.0.0.1:PORT --email E --password P
//! saha-bench import-file --rows N --out FILE.csv|FILE.xlsx [--seed S]
//! saha-bench duplicate-scan [--accounts 100000] [--seed S]
//! saha-bench crash-storm --saha-bin BIN --site-root DIR [--writers 20] [--kills 100]
//!                        [--shared 5] [--private 2] [--people 400] [--max-gap-ms 1500]
//!                        [--seed S]
//!                        [--database-url URL --nodes 2] [--out FILE.json]
//! saha-bench attachments --saha-bin BIN --site-root DIR [--big-mib 10] [--concurrent 50]
//!                        [--each-mib 5] [--out FILE.json]
//! saha-bench soak --saha-bin BIN --site-root DIR [--seconds 3600] [--writers 4]
//!                 [--records 20] [--campaign-seconds 60] [--people 60]
//!                 [--database-url URL] [--out FILE.json]
//! ```

use std::collections::HashMap;
use std::path::PathBuf;
use std::process::ExitCode;

use saha_bench::api_client::{ApiClient, Endpoint};
use saha_bench::datagen;
use saha_bench::process::{BENCH_EMAIL, BENCH_PASSWORD, Kind, ServerProcess};
use saha_bench::workloads::{self, Summary, summarize};
use saha_core::DocumentId;
use saha_core::workspace;
use serde_json::{Value, json};

const SEED: u64 = 20_261_123;

struct Args(HashMap<String, String>);

impl Args {
    fn parse(raw: &[String]) -> Result<Args, String> {
        let mut map = HashMap::new();
        let mut it = raw.iter();
        while let Some(key) = it.next() {
            let name = key
                .strip_prefix("--")
                .ok_or_else(|| format!("unexpected argument {key:?}"))?;
            let value = it.next().ok_or_else(|| format!("--{name} needs a value"))?;
            map.insert(name.to_owned(), value.clone());
        }
        Ok(Args(map))
    }

    fn get(&self, name: &str) -> Result<&str, String> {
        self.0
            .get(name)
            .map(String::as_str)
            .ok_or_else(|| format!("--{name} is required"))
    }

    fn num<T: std::str::FromStr>(&self, name: &str, default: T) -> Result<T, String> {
        match self.0.get(name) {
            Some(v) => v
                .parse()
                .map_err(|_| format!("--{name}: not a number: {v}")),
            None => Ok(default),
        }
    }

    fn list(&self, name: &str, default: &[usize]) -> Result<Vec<usize>, String> {
        match self.0.get(name) {
            Some(v) => v
                .split(',')
                .map(|s| {
                    s.trim()
                        .parse()
                        .map_err(|_| format!("--{name}: bad list {v}"))
                })
                .collect(),
            None => Ok(default.to_vec()),
        }
    }
}

#[tokio::main(flavor = "multi_thread")]
async fn main() -> ExitCode {
    let raw: Vec<String> = std::env::args().skip(1).collect();
    let Some(command) = raw.first().cloned() else {
        eprintln!(
            "usage: saha-bench <servers|seed-saha|seed-screens|seed-analytics|import-file|duplicate-scan|erase-time|crash-storm|soak|attachments> [options]"
        );
        return ExitCode::from(2);
    };
    let result = match Args::parse(&raw[1..]) {
        Ok(args) => match command.as_str() {
            "servers" => servers(&args).await,
            "seed-saha" => seed_saha(&args).await,
            "seed-analytics" => seed_analytics(&args).await,
            "seed-screens" => seed_screens(&args).await,
            "import-file" => import_file(&args),
            "duplicate-scan" => duplicate_scan(&args),
            "erase-time" => erase_time(&args).await,
            "crash-storm" => crash_storm(&args).await,
            "soak" => soak(&args).await,
            "attachments" => attachments(&args).await,
            other => Err(format!("unknown command {other}")),
        },
        Err(e) => Err(e),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("saha-bench: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Uploads and downloads attachments against a fresh server and prints (or writes to
/// `--out`) the report as JSON.
async fn attachments(args: &Args) -> Result<(), String> {
    let report = saha_bench::attachments::run(
        &PathBuf::from(args.get("saha-bin")?),
        &PathBuf::from(args.get("site-root")?),
        args.num("big-mib", 10)?,
        args.num("concurrent", 50)?,
        args.num("each-mib", 5)?,
    )
    .await?;
    let json = serde_json::to_string_pretty(&report).map_err(|e| e.to_string())?;
    match args.get("out") {
        Ok(out) => std::fs::write(out, &json).map_err(|e| format!("writing {out}: {e}"))?,
        Err(_) => println!("{json}"),
    }
    if report.failures > 0 {
        return Err(format!("{} uploads or downloads failed", report.failures));
    }
    Ok(())
}

/// Writes the import benchmark's file: `--rows` accounts in fifteen columns, as
/// Turkish Excel saves them (Windows-1254, `;`), or as an Excel workbook when `--out`
/// ends in `.xlsx` (dates as Excel dates, the rest as text).
fn import_file(args: &Args) -> Result<(), String> {
    let rows: usize = args
        .get("rows")?
        .parse()
        .map_err(|e| format!("--rows: {e}"))?;
    let seed = args
        .get("seed")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(SEED);
    let text = datagen::import_csv(seed, rows);
    let out = args.get("out")?;
    let bytes = if out.ends_with(".xlsx") {
        workbook_of(&text)?
    } else {
        saha_core::import::decode::encode_windows_1254(&text)
            .ok_or("a generated character has no Windows-1254 byte")?
    };
    std::fs::write(out, &bytes).map_err(|e| format!("writing {out}: {e}"))?;
    eprintln!("{rows} rows, {} bytes, written to {out}", bytes.len());
    Ok(())
}

/// The generated `;`-separated `text` as a one-sheet Excel workbook.
fn workbook_of(text: &str) -> Result<Vec<u8>, String> {
    use saha_core::export::{Cell, Table};
    use saha_core::import::{cell, table::Rows};
    let mut rows = Rows::new(text, ';');
    let headers = rows
        .next()
        .and_then(Result::ok)
        .ok_or("the generated file has no header")?;
    let mut table = Table::new("Firmalar", headers.cells);
    for row in rows {
        let row = row.map_err(|e| format!("generated line {} is broken", e.line()))?;
        table.push(
            row.cells
                .into_iter()
                .map(|c| match cell::date(&c, None) {
                    Ok(iso) if !iso.is_empty() => Cell::date(&iso),
                    _ => Cell::from(c),
                })
                .collect(),
        );
    }
    saha_core::export::xlsx::write(&table).map_err(|e| format!("{e:?}"))
}

/// Times the workspace duplicate scan over `--accounts` generated accounts, one in a
/// hundred entered a second time as a spreadsheet would hold it (capitals, the legal
/// form spelt out, the same e-mail).
fn duplicate_scan(args: &Args) -> Result<(), String> {
    use saha_core::kinds::Record;
    use saha_core::record::EditContext;
    let count: usize = args.num("accounts", 100_000)?;
    let seed: u64 = args.num("seed", SEED)?;
    let ctx = EditContext::new("bench", 1);
    let mut records = Vec::with_capacity(count + count / 100);
    // Each twin with the ID of the account it copies.
    let mut twins: Vec<(String, String)> = Vec::new();
    for (n, generated) in datagen::accounts(seed, count, 0).into_iter().enumerate() {
        let mut record = Record::blank("account", &ctx).ok_or("no account kind")?;
        record
            .apply_new(&generated.form, &ctx)
            .map_err(|p| format!("generated account {n}: {p:?}"))?;
        if n % 100 == 0 {
            let mut twin = generated.form.clone();
            let name = twin.get("name").to_uppercase();
            twin.set("name", format!("{name} SAN. VE TİC."));
            let mut copy = Record::blank("account", &ctx).ok_or("no account kind")?;
            copy.apply_new(&twin, &ctx)
                .map_err(|p| format!("twin of account {n}: {p:?}"))?;
            records.push((format!("twin-{n}"), copy));
            twins.push((format!("twin-{n}"), generated.id.to_string()));
        }
        records.push((generated.id.to_string(), record));
    }
    let list: Vec<(&str, &Record)> = records.iter().map(|(id, r)| (id.as_str(), r)).collect();
    let started = std::time::Instant::now();
    let pairs = saha_core::duplicates::scan(&list);
    let took = started.elapsed();
    let with_twin = pairs
        .iter()
        .filter(|p| p.first.starts_with("twin-") || p.second.starts_with("twin-"))
        .count();
    // Recall: twins paired with the very account they copy.
    let found: std::collections::HashSet<(&str, &str)> = pairs
        .iter()
        .flat_map(|p| {
            [
                (p.first.as_str(), p.second.as_str()),
                (p.second.as_str(), p.first.as_str()),
            ]
        })
        .collect();
    let recalled = twins
        .iter()
        .filter(|(twin, original)| found.contains(&(twin.as_str(), original.as_str())))
        .count();
    println!(
        "{} accounts: {} pairs ({with_twin} with an entered-twice twin; {recalled} of the {} \
         twins paired with their original) in {:.2} s",
        list.len(),
        pairs.len(),
        twins.len(),
        took.as_secs_f64()
    );
    Ok(())
}

fn data_dir(label: &str) -> PathBuf {
    std::env::temp_dir().join(format!("saha-bench-{label}-{}", std::process::id()))
}

async fn start(kind: Kind, args: &Args, label: &str) -> Result<ServerProcess, String> {
    match kind {
        Kind::Saha => {
            ServerProcess::start_saha(
                &PathBuf::from(args.get("saha-bin")?),
                &PathBuf::from(args.get("site-root")?),
                data_dir(label),
            )
            .await
        }
        Kind::Reference => {
            ServerProcess::start_reference(
                &PathBuf::from(args.get("reference-script")?),
                data_dir(label),
            )
            .await
        }
    }
}

fn stat(values: &[f64]) -> Summary {
    summarize(values)
}

/// Runs every server workload on both servers; writes JSON.
async fn servers(args: &Args) -> Result<(), String> {
    let sizes = args.list("sizes", &[1000, 10000])?;
    let runs: usize = args.num("runs", 3)?;
    let fan_clients: usize = args.num("fanout-clients", 200)?;
    let fan_seconds: u64 = args.num("fanout-seconds", 30)?;
    let tp_seconds: u64 = args.num("throughput-seconds", 5)?;
    let levels = args.list("throughput-levels", &[1, 8, 32, 128])?;
    let out = PathBuf::from(args.get("out")?);
    let mut results = serde_json::Map::new();

    let kinds: Vec<Kind> = match args.0.get("servers").map(String::as_str) {
        Some("saha") => vec![Kind::Saha],
        Some("reference") => vec![Kind::Reference],
        _ => vec![Kind::Saha, Kind::Reference],
    };
    for kind in kinds {
        let name = format!("{kind:?}").to_lowercase();
        let mut report = serde_json::Map::new();
        let mut per_size = Vec::new();
        for &size in &sizes {
            eprintln!("saha-bench: {name}: {size} accounts");
            let entry = size_workloads(kind, args, size, runs).await;
            match entry {
                Ok(v) => per_size.push(v),
                Err(e) => {
                    eprintln!("saha-bench: {name} broke at {size} accounts: {e}");
                    per_size.push(json!({"size": size, "error": e}));
                    break;
                }
            }
        }
        report.insert("sizes".into(), Value::Array(per_size));

        // Saha on PostgreSQL runs the fan-out on two nodes, clients spread over both.
        let database_url = args.get("database-url").ok().map(str::to_owned);
        let mut nodes = vec![start(kind, args, &format!("{name}-fanout")).await?];
        if kind == Kind::Saha
            && let Some(url) = &database_url
        {
            nodes.clear();
            for n in 0..2 {
                nodes.push(
                    ServerProcess::start_saha_node(
                        &PathBuf::from(args.get("saha-bin")?),
                        &PathBuf::from(args.get("site-root")?),
                        data_dir(&format!("{name}-fanout-node{n}")),
                        Some(url),
                        &[],
                    )
                    .await?,
                );
            }
        }
        eprintln!(
            "saha-bench: {name}: fan-out, {fan_clients} clients on {} node(s) for {fan_seconds} s",
            nodes.len()
        );
        let refs: Vec<&ServerProcess> = nodes.iter().collect();
        let fan = workloads::fan_out(&refs, fan_clients, 10, fan_seconds).await;
        report.insert(
            "fanout".into(),
            match fan {
                Ok(f) => serde_json::to_value(f).map_err(|e| e.to_string())?,
                Err(e) => json!({"error": e.to_string()}),
            },
        );
        for node in nodes {
            node.stop().await;
        }

        if kind == Kind::Saha {
            let count: usize = args.num("memory-docs", 100_000)?;
            eprintln!("saha-bench: saha: memory with {count} stored documents");
            let server = start(kind, args, "saha-memory").await?;
            let memory = memory_workload(&server, count).await;
            report.insert(
                "memory".into(),
                memory.unwrap_or_else(|e| json!({"error": e})),
            );
            server.stop().await;
        }

        eprintln!("saha-bench: {name}: throughput");
        let server = start(kind, args, &format!("{name}-throughput")).await?;
        let tp = workloads::throughput(&server, &levels, tp_seconds, 100.0).await;
        report.insert(
            "throughput".into(),
            match tp {
                Ok(t) => serde_json::to_value(t).map_err(|e| e.to_string())?,
                Err(e) => json!({"error": e.to_string()}),
            },
        );
        server.stop().await;
        results.insert(name, Value::Object(report));
        // Written after each server, so a later failure keeps what was measured.
        let text = serde_json::to_string_pretty(&Value::Object(results.clone()))
            .map_err(|e| e.to_string())?;
        std::fs::write(&out, text).map_err(|e| format!("cannot write {}: {e}", out.display()))?;
    }
    eprintln!("saha-bench: wrote {}", out.display());
    Ok(())
}

/// Stores `count` accounts, then reads them all back through the protocol (every
/// document loaded into the server once) and through the change feed; the server's RSS
/// after each step shows whether memory follows what is stored or what is active.
async fn memory_workload(server: &ServerProcess, count: usize) -> Result<Value, String> {
    let accounts = datagen::accounts(SEED + 1, count, 5);
    let ids: Vec<_> = accounts.iter().map(|a| a.id).collect();
    let started = std::time::Instant::now();
    let seeder = workloads::seed(
        &server.sync,
        &accounts,
        std::time::Duration::from_secs(1800),
    )
    .await
    .map_err(|e| format!("seeding: {e}"))?;
    drop(seeder);
    let seed_s = started.elapsed().as_secs_f64();
    let after_seed = server.rss();
    let (_, walker) = workloads::initial_sync(server, &ids)
        .await
        .map_err(|e| format!("protocol walk: {e}"))?;
    let walk_peak = server.peak_rss();
    drop(walker);
    let (_, reader, _) = workloads::initial_sync_feed(server, &ids)
        .await
        .map_err(|e| format!("feed: {e}"))?;
    let feed_peak = server.peak_rss();
    drop(reader);
    Ok(json!({
        "documents": count,
        "seed_s": seed_s,
        "rss_after_seed": after_seed,
        "peak_rss_protocol_walk": walk_peak,
        "peak_rss_feed": feed_peak,
        "rss_at_end": server.rss(),
    }))
}

/// Seeding, initial sync and reconnect at one size, `runs` times each.
async fn size_workloads(
    kind: Kind,
    args: &Args,
    size: usize,
    runs: usize,
) -> Result<Value, String> {
    let name = format!("{kind:?}").to_lowercase();
    let accounts = datagen::accounts(SEED, size, 5);
    let ids: Vec<_> = accounts.iter().map(|a| a.id).collect();
    let mut server = start(kind, args, &format!("{name}-{size}")).await?;
    let seeding = std::time::Instant::now();
    let budget = std::time::Duration::from_secs(args.num("seed-budget-seconds", 240)?);
    let seeded = workloads::seed(&server.sync, &accounts, budget).await;
    let seed_ms = seeding.elapsed().as_secs_f64() * 1000.0;
    let mut editor = match seeded {
        Ok(peer) => peer,
        Err(e) => {
            let alive = server.alive();
            server.stop().await;
            return Err(format!("seeding failed ({e}); server alive: {alive}"));
        }
    };
    let mut initial = Vec::new();
    let mut reconnects = Vec::new();
    for round in 0..runs {
        let result = async {
            eprintln!("saha-bench: {name} {size}: initial sync, run {}", round + 1);
            if kind == Kind::Saha {
                // Saha's clients bootstrap and reconnect through the change feed.
                let (first, holder, cursor) = workloads::initial_sync_feed(&server, &ids)
                    .await
                    .map_err(|e| format!("initial sync: {e}"))?;
                eprintln!("saha-bench: {name} {size}: reconnect, run {}", round + 1);
                let (again, _, _) = workloads::reconnect_feed(
                    &server,
                    holder,
                    cursor,
                    &mut editor,
                    &ids,
                    20,
                    round,
                )
                .await
                .map_err(|e| format!("reconnect: {e}"))?;
                return Ok::<_, String>((first, again));
            }
            let (first, holder) = workloads::initial_sync(&server, &ids)
                .await
                .map_err(|e| format!("initial sync: {e}"))?;
            eprintln!("saha-bench: {name} {size}: reconnect, run {}", round + 1);
            let (again, _) = workloads::reconnect(&server, holder, &mut editor, &ids, 20, round)
                .await
                .map_err(|e| format!("reconnect: {e}"))?;
            Ok::<_, String>((first, again))
        }
        .await;
        match result {
            Ok((first, again)) => {
                initial.push(first);
                reconnects.push(again);
            }
            Err(e) => {
                let alive = server.alive();
                server.stop().await;
                return Err(format!("{e}; server alive: {alive}"));
            }
        }
    }
    let rss = server.rss();
    server.stop().await;
    Ok(json!({
        "size": size,
        "seed_ms": seed_ms,
        "initial_sync": {
            "wall_ms": stat(&initial.iter().map(|r| r.wall_ms).collect::<Vec<_>>()),
            "download_ms": stat(&initial.iter().filter_map(|r| r.download_ms).collect::<Vec<_>>()),
            "bytes": stat(&initial.iter().map(|r| r.bytes as f64).collect::<Vec<_>>()),
            "peak_rss": stat(&initial.iter().filter_map(|r| r.peak_rss.map(|b| b as f64)).collect::<Vec<_>>()),
        },
        "reconnect": {
            "changed": 20,
            "changes_ms": stat(&reconnects.iter().map(|r| r.changes_ms).collect::<Vec<_>>()),
            "all_synced_ms": stat(&reconnects.iter().map(|r| r.all_synced_ms).collect::<Vec<_>>()),
            "bytes": stat(&reconnects.iter().map(|r| r.bytes as f64).collect::<Vec<_>>()),
        },
        "rss_after": rss,
    }))
}

/// The soak ([`saha_bench::soak`]): prints its report as JSON (and writes it to
/// `--out`); fails when an operation failed or the server logged a warning or an error.
async fn soak(args: &Args) -> Result<(), String> {
    let options = saha_bench::soak::SoakOptions {
        server_bin: PathBuf::from(args.get("saha-bin")?),
        site_root: PathBuf::from(args.get("site-root")?),
        data_dir: std::env::temp_dir().join(format!("saha-soak-{}", std::process::id())),
        database_url: args.get("database-url").ok().map(str::to_owned),
        duration: std::time::Duration::from_secs(args.num("seconds", 3600)?),
        writers: args.num("writers", 4)?,
        records: args.num("records", 20)?,
        sample_every: std::time::Duration::from_secs(args.num("sample-seconds", 5)?),
        campaign_every: std::time::Duration::from_secs(args.num("campaign-seconds", 60)?),
        campaign_people: args.num("people", 60)?,
    };
    let report = saha_bench::soak::soak(&options).await?;
    let json = serde_json::to_string_pretty(&report).map_err(|e| e.to_string())?;
    if let Ok(out) = args.get("out") {
        std::fs::write(out, &json).map_err(|e| format!("writing {out}: {e}"))?;
    }
    eprintln!(
        "saha-bench: soak on {}: {:.0} s, {} edits, {} feed downloads, {} API calls; RSS \
         {:+.1} KiB/min, descriptors {:+.2}/min; {} campaigns, {} of {} messages sent, {} \
         twice, outbox depth at most {} ({:+.2}/min); {} failures, {} server warnings or errors",
        report.backend,
        report.seconds,
        report.edits,
        report.feed_downloads,
        report.api_calls,
        report.rss_kib_per_minute,
        report.fds_per_minute,
        report.campaigns,
        report.campaign_messages.sent,
        report.campaign_messages.recipients,
        report.campaign_messages.duplicates,
        report.outbox_depth_max,
        report.outbox_depth_per_minute,
        report.failures.len(),
        report.server_problems.len()
    );
    if !report.clean() {
        return Err(format!(
            "the soak was not clean: failures {:?}; server log {:?}; campaigns {:?}",
            report.failures, report.server_problems, report.campaign_messages
        ));
    }
    Ok(())
}

/// The crash storm ([`saha_bench::torture`]): prints its report as JSON (and writes it
/// to `--out`); fails when an acknowledged change was lost or a record did not load,
/// during the storm or in the restore drill.
async fn crash_storm(args: &Args) -> Result<(), String> {
    let seed: u64 = args.num("seed", SEED)?;
    let options = saha_bench::torture::StormOptions {
        server_bin: PathBuf::from(args.get("saha-bin")?),
        site_root: PathBuf::from(args.get("site-root")?),
        data_dir: std::env::temp_dir().join(format!("saha-storm-{}-{seed}", std::process::id())),
        database_url: args.get("database-url").ok().map(str::to_owned),
        nodes: args.num("nodes", 1)?,
        writers: args.num("writers", 20)?,
        kills: args.num("kills", 100)?,
        shared_records: args.num("shared", 5)?,
        private_records: args.num("private", 2)?,
        campaign_people: args.num("people", 400)?,
        max_gap: std::time::Duration::from_millis(args.num("max-gap-ms", 1500)?),
        seed,
    };
    let report = saha_bench::torture::crash_storm(&options).await?;
    let json = serde_json::to_string_pretty(&report).map_err(|e| e.to_string())?;
    println!("{json}");
    if let Ok(out) = args.get("out") {
        std::fs::write(out, &json).map_err(|e| format!("writing {out}: {e}"))?;
    }
    if report.lost > 0 || report.unreadable > 0 {
        return Err(format!(
            "{} acknowledged changes lost, {} records unreadable (seed {seed}; replay: \
             saha-bench crash-storm --seed {seed} with the same counts)",
            report.lost, report.unreadable
        ));
    }
    let campaign = &report.campaign;
    if !campaign.held() {
        return Err(format!(
            "the campaign sent during the storm: {} recipients got it twice, {} messages \
             went to someone without consent, {} reported sent never arrived, {} of {} \
             deliveries unfinished (seed {seed})",
            campaign.duplicates,
            campaign.unexpected,
            campaign.sent_not_received,
            campaign.unfinished,
            campaign.recipients
        ));
    }
    let feed = &report.feed;
    if feed.lost > 0 || feed.unreadable > 0 {
        return Err(format!(
            "the change feed read during the storm: {} acknowledged changes missing after \
             its last download, {} documents unreadable (seed {seed})",
            feed.lost, feed.unreadable
        ));
    }
    let restore = &report.restore;
    if restore.lost > 0 || restore.unreadable > 0 {
        return Err(format!(
            "the restore drill: {} of {} changes acknowledged before the backup missing, {} \
             records unreadable (seed {seed})",
            restore.lost, restore.acknowledged_before, restore.unreadable
        ));
    }
    if report.acknowledged == 0 || restore.acknowledged_before == 0 {
        return Err(
            "no change was acknowledged (before the backup): the storm tested nothing".into(),
        );
    }
    Ok(())
}

/// `erase-time --http URL [--runs 5]`: how long erasing one person takes on a server
/// (seed it first with `seed-saha`): each run makes a contact with a call about them,
/// then times `POST /api/privacy/erasures` — the rebuilt call, the table cleaning and
/// the storage rewrite (embedded) or `VACUUM` (PostgreSQL). Prints each run and the
/// median.
async fn erase_time(args: &Args) -> Result<(), String> {
    let http = args.get("http")?.trim_end_matches('/').to_owned();
    let runs: usize = args.num("runs", 5)?;
    let email = args.get("email").unwrap_or(BENCH_EMAIL).to_owned();
    let password = args.get("password").unwrap_or(BENCH_PASSWORD).to_owned();
    let owner = ApiClient::login(&http, &email, &password)
        .await
        .map_err(|e| e.to_string())?;
    let mut times = Vec::with_capacity(runs);
    for run in 0..runs {
        let (status, contact) = owner
            .post(
                "/api/v1/contacts",
                &serde_json::json!({ "fields": {
                    "name": format!("Silinecek Kişi {run}"),
                    "email": format!("silinecek{run}@bench.test"),
                } }),
            )
            .await
            .map_err(|e| e.to_string())?;
        let person = contact["id"]
            .as_str()
            .ok_or(format!("contact not created ({status}): {contact}"))?
            .to_owned();
        let (status, call) = owner
            .post(
                "/api/v1/calls",
                &serde_json::json!({ "fields": {
                    "direction": "incoming", "number": "0532 000 00 00", "contact": person,
                    "started": "2025-01-15T10:15", "outcome": "reached",
                } }),
            )
            .await
            .map_err(|e| e.to_string())?;
        if call["id"].as_str().is_none() {
            return Err(format!("call not created ({status}): {call}"));
        }
        let started = std::time::Instant::now();
        let (status, destruction) = owner
            .post(
                "/api/privacy/erasures",
                &serde_json::json!({ "person": person }),
            )
            .await
            .map_err(|e| e.to_string())?;
        let ms = started.elapsed().as_secs_f64() * 1000.0;
        if destruction["records"].as_array().map(Vec::len) != Some(2) {
            return Err(format!("erasure failed ({status}): {destruction}"));
        }
        eprintln!("saha-bench: erasure {run}: {ms:.0} ms");
        times.push(ms);
    }
    times.sort_by(f64::total_cmp);
    let median = times.get(times.len() / 2).copied().unwrap_or_default();
    println!("erase one person (2 records): median {median:.0} ms over {runs} runs");
    Ok(())
}

/// Seeds a running Saha server with `count` generated accounts listed in its workspace
/// index, for the browser benchmarks. Sets the server up first if it is fresh (login
/// `--email`/`--password`, defaults [`BENCH_EMAIL`]/[`BENCH_PASSWORD`]).
async fn seed_saha(args: &Args) -> Result<(), String> {
    let http = args.get("http")?.trim_end_matches('/').to_owned();
    let count: usize = args.num("count", 1000)?;
    let seed: u64 = args.num("seed", SEED)?;
    let email = args.get("email").unwrap_or(BENCH_EMAIL).to_owned();
    let password = args.get("password").unwrap_or(BENCH_PASSWORD).to_owned();
    let owner = match ApiClient::setup(&http, "Bench", &email, &password).await {
        Ok(owner) => owner,
        Err(_) => ApiClient::login(&http, &email, &password)
            .await
            .map_err(|e| e.to_string())?,
    };
    let index_id = owner.index_id().await.map_err(|e| e.to_string())?;
    let endpoint = Endpoint::from(owner);
    let accounts = datagen::accounts(seed, count, 5);
    let mut peer = workloads::seed(&endpoint, &accounts, std::time::Duration::from_secs(3600))
        .await
        .map_err(|e| e.to_string())?;
    peer.fetch(index_id).await.map_err(|e| e.to_string())?;
    let index = peer
        .docs
        .get_mut(&index_id)
        .ok_or("the index did not arrive")?;
    for a in &accounts {
        workspace::add_record(index, a.id, "account", a.created_at).map_err(|e| e.to_string())?;
    }
    peer.push(index_id).await.map_err(|e| e.to_string())?;
    eprintln!("saha-bench: seeded {count} accounts into {http}");
    let sales: usize = args.num("sales", 0)?;
    if sales > 0 {
        let lines: usize = args.num("lines", 5)?;
        let ids: Vec<DocumentId> = accounts.iter().map(|a| a.id).collect();
        store_made(&http, &email, &password, |user, now| {
            saha_bench::analytics::sales_volume(user, now, &ids, sales, lines, seed)
        })
        .await?;
        eprintln!(
            "saha-bench: seeded {sales} orders and invoices of {lines} lines, 200 products and {} rated cases",
            sales / 2
        );
    }
    Ok(())
}

/// Logs in as an existing member and stores one filled record of every kind (see
/// [`saha_bench::screens`]); prints each as `kind id` for the test that visits them.
async fn seed_screens(args: &Args) -> Result<(), String> {
    seed_records(args, saha_bench::screens::every_kind).await
}

/// Logs in as an existing member and stores the reports' worked example (see
/// [`saha_bench::analytics`]); prints each record as `kind id`.
async fn seed_analytics(args: &Args) -> Result<(), String> {
    seed_records(args, saha_bench::analytics::dataset).await
}

/// Logs in as `email`, stores the records `make` returns (given the member's ID and the
/// time now) and lists them in the workspace index; returns them.
async fn store_made(
    http: &str,
    email: &str,
    password: &str,
    make: impl FnOnce(&str, i64) -> saha_bench::peer::MadeRecords,
) -> Result<saha_bench::peer::MadeRecords, String> {
    let member = ApiClient::login(http, email, password)
        .await
        .map_err(|e| e.to_string())?;
    let user = member.user_id().await.map_err(|e| e.to_string())?;
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64);
    let made = make(&user, now);
    saha_bench::peer::store_records(&member, &made, now)
        .await
        .map_err(|e| e.to_string())?;
    Ok(made)
}

/// Logs in as an existing member, stores the records `make` returns (given the member's
/// ID and the time now) and lists them in the workspace index.
async fn seed_records(
    args: &Args,
    make: fn(&str, i64) -> saha_bench::peer::MadeRecords,
) -> Result<(), String> {
    let http = args.get("http")?.trim_end_matches('/').to_owned();
    let email = args.get("email")?.to_owned();
    let password = args.get("password")?.to_owned();
    let made = store_made(&http, &email, &password, make).await?;
    for (kind, id, _) in &made {
        println!("{kind} {id}");
    }
    Ok(())
}
