//! `cargo xtask torture [--quick]`: the reliability runs of RELIABILITY.md. So far the
//! crash storm (`bench/src/torture.rs`, behind `saha-bench crash-storm`): writers edit
//! records while the server is killed with SIGKILL and restarted, and every change it
//! acknowledged must survive, on the embedded store and on PostgreSQL with two nodes;
//! an e-mail campaign the outbox sends meanwhile must reach nobody twice; the change
//! feed, downloaded throughout, must miss nothing; a backup
//! downloaded halfway must restore into a fresh data directory with every change
//! acknowledged before it began. The full run (20 writers, 100 kills each) rewrites the crash
//! storm's figures in RELIABILITY.md; `--quick` (5 writers, 10 kills) runs inside
//! `cargo xtask test` and writes nothing.

use std::path::Path;
use std::process::Command;

use serde_json::Value;

use crate::{Result, cargo, run, target_dir};

/// A storm's size.
struct Storm {
    writers: usize,
    kills: usize,
    max_gap_ms: u64,
    /// Contacts of the campaign sent during the storm.
    people: usize,
}

const FULL: Storm = Storm {
    writers: 20,
    kills: 100,
    max_gap_ms: 1500,
    people: 400,
};

const QUICK: Storm = Storm {
    writers: 5,
    kills: 10,
    max_gap_ms: 600,
    people: 200,
};

/// `cargo xtask torture [--quick]`.
pub fn torture(root: &Path, args: &[String]) -> Result<()> {
    let quick = args.iter().any(|a| a == "--quick");
    if let Some(other) = args.iter().find(|a| *a != "--quick") {
        return Err(format!("torture: unknown argument {other}"));
    }
    run(cargo()
        .current_dir(root)
        .args(["build", "-p", "server", "-p", "saha-bench", "--bins"]))?;
    let pg = crate::postgres::ensure(false)?;
    let reports = crash_storms(root, &target_dir(root).join("debug"), quick, &pg.url)?;
    if !quick {
        write_reliability(root, &reports)?;
    }
    Ok(())
}

/// The crash storm on the embedded store (one node) and on PostgreSQL (two nodes, in a
/// new database on the server at `database_url`), with the debug binaries in `bins`;
/// their reports. Fails when an acknowledged change was lost.
pub fn crash_storms(
    root: &Path,
    bins: &Path,
    quick: bool,
    database_url: &str,
) -> Result<Vec<Value>> {
    let storm_db = with_database(database_url, "saha_crash_storm")?;
    run(Command::new("psql")
        .arg(database_url)
        .args(["-q", "-v", "ON_ERROR_STOP=1"])
        .args([
            "-c",
            "DROP DATABASE IF EXISTS saha_crash_storm WITH (FORCE)",
        ])
        .args(["-c", "CREATE DATABASE saha_crash_storm"]))?;
    let embedded = crash_storm(root, bins, quick, None)?;
    let postgres = crash_storm(root, bins, quick, Some(&storm_db))?;
    Ok(vec![embedded, postgres])
}

/// `url` with its database name replaced by `name`.
fn with_database(url: &str, name: &str) -> Result<String> {
    let (base, query) = url
        .split_once('?')
        .map_or((url, None), |(b, q)| (b, Some(q)));
    let host_start = base
        .find("://")
        .map(|i| i + 3)
        .ok_or_else(|| format!("not a database URL: {url}"))?;
    let prefix = match base[host_start..].find('/') {
        Some(i) => &base[..host_start + i],
        None => base,
    };
    Ok(match query {
        Some(q) => format!("{prefix}/{name}?{q}"),
        None => format!("{prefix}/{name}"),
    })
}

/// One crash storm: on PostgreSQL at `database_url` with two nodes, else on the
/// embedded store.
fn crash_storm(root: &Path, bins: &Path, quick: bool, database_url: Option<&str>) -> Result<Value> {
    let storm = if quick { &QUICK } else { &FULL };
    let backend = saha_backend(database_url);
    let report = bench_report(root, bins, "crash-storm", backend, |command| {
        command
            .args(["--writers", &storm.writers.to_string()])
            .args(["--kills", &storm.kills.to_string()])
            .args(["--max-gap-ms", &storm.max_gap_ms.to_string()])
            .args(["--people", &storm.people.to_string()]);
        if let Some(url) = database_url {
            command.args(["--database-url", url, "--nodes", "2"]);
        }
    })?;
    eprintln!(
        "xtask: crash storm on {backend}: {} kills, {} acknowledged pushes, {} lost; \
         feed: {} lost; campaign: {} sent, {} uncertain, {} twice; restore drill: {} acknowledged before \
         the backup, {} lost",
        report["kills"],
        report["acknowledged"],
        report["lost"],
        report["feed"]["lost"],
        report["campaign"]["sent"],
        report["campaign"]["uncertain"],
        report["campaign"]["duplicates"],
        report["restore"]["acknowledgedBefore"],
        report["restore"]["lost"]
    );
    Ok(report)
}

/// Rewrites RELIABILITY.md's crash storm section with `reports` (one column each).
fn write_reliability(root: &Path, reports: &[Value]) -> Result<()> {
    let commit = commit_description(root);
    let row = |label: &str, cell: &dyn Fn(&Value) -> String| {
        let cells: Vec<String> = reports.iter().map(cell).collect();
        format!("| {label} | {} |\n", cells.join(" | "))
    };
    let field = |key: &'static str| move |r: &Value| r[key].to_string();
    let mut table = String::new();
    table.push_str(&row("figure", &|r| {
        format!(
            "{} ({} node{})",
            r["backend"].as_str().unwrap_or("?"),
            r["nodes"],
            if r["nodes"] == 1 { "" } else { "s" }
        )
    }));
    table.push_str(&format!("| --- |{}\n", " --- |".repeat(reports.len())));
    table.push_str(&row("seed", &field("seed")));
    table.push_str(&row("writers", &field("writers")));
    table.push_str(&row("records (shared + private)", &field("records")));
    table.push_str(&row(
        "SIGKILLs, each followed by a restart",
        &field("kills"),
    ));
    table.push_str(&row("pushes acknowledged", &field("acknowledged")));
    table.push_str(&row(
        "pushes cut off before their acknowledgement",
        &field("unacknowledged"),
    ));
    table.push_str(&row("**acknowledged changes lost**", &|r| {
        format!("**{}**", r["lost"])
    }));
    table.push_str(&row("records that did not load", &field("unreadable")));
    table.push_str(&row("kill → answering again, median / max", &|r| {
        format!("{} ms / {} ms", r["restartMsMedian"], r["restartMsMax"])
    }));
    table.push_str(&row(
        "change feed during the storm: downloads whole / failed (cut or node down)",
        &|r| format!("{} / {}", r["feed"]["downloads"], r["feed"]["failed"]),
    ));
    table.push_str(&row(
        "**change feed: acknowledged pushes missing after the last download**",
        &|r| format!("**{}**", r["feed"]["lost"]),
    ));
    table.push_str(&row(
        "campaign during the storm: consenting recipients (of contacts)",
        &|r| {
            let c = &r["campaign"];
            format!(
                "{} (of {})",
                c["recipients"],
                c["recipients"].as_u64().unwrap_or_default()
                    + c["withoutConsent"].as_u64().unwrap_or_default()
            )
        },
    ));
    table.push_str(&row(
        "campaign: deliveries sent / uncertain (node killed mid-send, not retried) / failed",
        &|r| {
            let c = &r["campaign"];
            format!("{} / {} / {}", c["sent"], c["uncertain"], c["failed"])
        },
    ));
    table.push_str(&row("campaign: messages the SMTP sink accepted", &|r| {
        r["campaign"]["received"].to_string()
    }));
    table.push_str(&row(
        "**campaign: people who got it twice / without consent / `sent` never arrived**",
        &|r| {
            let c = &r["campaign"];
            format!(
                "**{} / {} / {}**",
                c["duplicates"], c["unexpected"], c["sentNotReceived"]
            )
        },
    ));
    table.push_str(&row(
        "restore drill: backup downloaded halfway, size / time",
        &|r| {
            format!(
                "{:.1} KB / {} ms",
                r["restore"]["backupBytes"].as_f64().unwrap_or_default() / 1000.0,
                r["restore"]["backupMs"]
            )
        },
    ));
    table.push_str(&row(
        "restore drill: pushes acknowledged before the download began",
        &|r| r["restore"]["acknowledgedBefore"].to_string(),
    ));
    table.push_str(&row(
        "**restore drill: of those, missing after `admin restore`**",
        &|r| format!("**{}**", r["restore"]["lost"]),
    ));
    table.push_str(&row("restore drill: records that did not load", &|r| {
        r["restore"]["unreadable"].to_string()
    }));
    table.push_str(&row("restore drill: `admin restore` time", &|r| {
        format!("{} ms", r["restore"]["restoreMs"])
    }));
    table.push_str(&row("run time", &|r| {
        format!("{:.0} s", r["seconds"].as_f64().unwrap_or_default())
    }));
    let figures = format!(
        "{table}\nCommit {commit}; command: `cargo xtask torture` (debug builds; \
         PostgreSQL {}).\n",
        postgres_version()
    );
    replace_section(root, "crash-storm", &figures)
}

/// The commit the working tree is at (short), noting uncommitted changes.
pub fn commit_description(root: &Path) -> String {
    let commit = Command::new("git")
        .current_dir(root)
        .args(["rev-parse", "--short", "HEAD"])
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_default();
    let dirty = Command::new("git")
        .current_dir(root)
        .args(["status", "--porcelain", "--untracked-files=no"])
        .output()
        .is_ok_and(|o| !o.stdout.is_empty());
    if dirty {
        format!("{commit} with uncommitted changes")
    } else {
        commit
    }
}

/// Replaces what RELIABILITY.md holds between `<!-- {name}:begin -->` and
/// `<!-- {name}:end -->` with `content`.
pub fn replace_section(root: &Path, name: &str, content: &str) -> Result<()> {
    let path = root.join("RELIABILITY.md");
    let text =
        std::fs::read_to_string(&path).map_err(|e| format!("reading {}: {e}", path.display()))?;
    let begin = format!("<!-- {name}:begin -->");
    let end = format!("<!-- {name}:end -->");
    let (Some(start), Some(stop)) = (text.find(&begin), text.find(&end)) else {
        return Err(format!("{} has no {name} markers", path.display()));
    };
    let rewritten = format!("{}{begin}\n{content}{}", &text[..start], &text[stop..]);
    std::fs::write(&path, rewritten).map_err(|e| format!("writing {}: {e}", path.display()))
}

/// `cargo xtask soak [--quick]`: the soak of `saha-bench soak` on the embedded store
/// and on PostgreSQL at once, 60 minutes (`--quick`: 2); the full run rewrites the
/// soak table of RELIABILITY.md.
pub fn soak_command(root: &Path, args: &[String]) -> Result<()> {
    let quick = args.iter().any(|a| a == "--quick");
    if let Some(other) = args.iter().find(|a| *a != "--quick") {
        return Err(format!("soak: unknown argument {other}"));
    }
    run(cargo()
        .current_dir(root)
        .args(["build", "-p", "server", "-p", "saha-bench", "--bins"]))?;
    let pg = crate::postgres::ensure(false)?;
    let reports = soaks(root, &target_dir(root).join("debug"), quick, &pg.url)?;
    if !quick {
        write_soak(root, &reports)?;
    }
    Ok(())
}

/// Seconds of the soak: the hour, or two minutes inside `cargo xtask test`.
const SOAK_SECONDS: u64 = 3600;
const QUICK_SOAK_SECONDS: u64 = 120;

/// The soak on the embedded store and on PostgreSQL (a new database on the server at
/// `database_url`) side by side, with the debug binaries in `bins`; their reports.
/// Fails when an operation failed or a server logged a warning or an error.
pub fn soaks(root: &Path, bins: &Path, quick: bool, database_url: &str) -> Result<Vec<Value>> {
    let soak_db = with_database(database_url, "saha_soak")?;
    run(Command::new("psql")
        .arg(database_url)
        .args(["-q", "-v", "ON_ERROR_STOP=1"])
        .args(["-c", "DROP DATABASE IF EXISTS saha_soak WITH (FORCE)"])
        .args(["-c", "CREATE DATABASE saha_soak"]))?;
    let seconds = if quick {
        QUICK_SOAK_SECONDS
    } else {
        SOAK_SECONDS
    };
    let (embedded, postgres) = std::thread::scope(|scope| {
        let embedded = scope.spawn(|| soak(root, bins, seconds, None));
        let postgres = soak(root, bins, seconds, Some(&soak_db));
        (
            embedded
                .join()
                .unwrap_or_else(|_| Err("the soak panicked".into())),
            postgres,
        )
    });
    Ok(vec![embedded?, postgres?])
}

fn soak(root: &Path, bins: &Path, seconds: u64, database_url: Option<&str>) -> Result<Value> {
    let backend = saha_backend(database_url);
    // A campaign a minute; in the quick run one every 20 s, so that it sees several.
    let campaign_seconds = if seconds < 600 { 20 } else { 60 };
    bench_report(root, bins, "soak", backend, |command| {
        command.args(["--seconds", &seconds.to_string()]);
        command.args(["--campaign-seconds", &campaign_seconds.to_string()]);
        if let Some(url) = database_url {
            command.args(["--database-url", url]);
        }
    })
}

/// The storage a run uses, as its reports name it.
fn saha_backend(database_url: Option<&str>) -> &'static str {
    if database_url.is_some() {
        "postgres"
    } else {
        "embedded"
    }
}

/// Runs `saha-bench <subcommand>` against the debug server in `bins` with the site,
/// the arguments `args` adds and `--out torture/<subcommand>-<backend>.json`; the
/// report it wrote.
fn bench_report(
    root: &Path,
    bins: &Path,
    subcommand: &str,
    backend: &str,
    args: impl FnOnce(&mut Command),
) -> Result<Value> {
    let out = target_dir(root).join(format!("torture/{subcommand}-{backend}.json"));
    if let Some(dir) = out.parent() {
        std::fs::create_dir_all(dir).map_err(|e| format!("creating {}: {e}", dir.display()))?;
    }
    let _ = std::fs::remove_file(&out);
    let mut command = Command::new(bins.join("saha-bench"));
    command
        .arg(subcommand)
        .arg("--saha-bin")
        .arg(bins.join("saha-server"))
        .arg("--site-root")
        .arg(target_dir(root).join("site"))
        .arg("--out")
        .arg(&out);
    args(&mut command);
    run(&mut command)?;
    let text =
        std::fs::read_to_string(&out).map_err(|e| format!("reading {}: {e}", out.display()))?;
    serde_json::from_str(&text).map_err(|e| format!("{}: {e}", out.display()))
}

/// Rewrites RELIABILITY.md's soak table with `reports` (one column each).
fn write_soak(root: &Path, reports: &[Value]) -> Result<()> {
    let row = |label: &str, cell: &dyn Fn(&Value) -> String| {
        let cells: Vec<String> = reports.iter().map(cell).collect();
        format!("| {label} | {} |\n", cells.join(" | "))
    };
    let last = |r: &Value, key: &str| {
        r["samples"]
            .as_array()
            .and_then(|s| s.last())
            .map(|s| s[key].to_string())
            .unwrap_or_default()
    };
    let first = |r: &Value, key: &str| {
        r["samples"]
            .as_array()
            .and_then(|s| s.first())
            .map(|s| s[key].to_string())
            .unwrap_or_default()
    };
    let mut table = row("figure", &|r| {
        r["backend"].as_str().unwrap_or("?").to_owned()
    });
    table.push_str(&format!("| --- |{}\n", " --- |".repeat(reports.len())));
    table.push_str(&row("run time", &|r| {
        format!(
            "{:.0} min",
            r["seconds"].as_f64().unwrap_or_default() / 60.0
        )
    }));
    table.push_str(&row("edits pushed and acknowledged", &|r| {
        r["edits"].to_string()
    }));
    table.push_str(&row("change-feed downloads / REST API calls", &|r| {
        format!("{} / {}", r["feedDownloads"], r["apiCalls"])
    }));
    table.push_str(&row(
        "campaigns approved; messages sent of recipients; **sent twice**",
        &|r| {
            let m = &r["campaignMessages"];
            format!(
                "{}; {} of {}; **{}**",
                r["campaigns"], m["sent"], m["recipients"], m["duplicates"]
            )
        },
    ));
    table.push_str(&row("**outbox depth**, deepest sample; slope", &|r| {
        format!(
            "{} messages; **{:+.2}/min**",
            r["outboxDepthMax"],
            r["outboxDepthPerMinute"].as_f64().unwrap_or_default()
        )
    }));
    table.push_str(&row(
        "**failed operations / server warnings or errors**",
        &|r| {
            format!(
                "**{} / {}**",
                r["failures"].as_array().map_or(0, Vec::len),
                r["serverProblems"].as_array().map_or(0, Vec::len)
            )
        },
    ));
    table.push_str(&row("server RSS, first → last sample", &|r| {
        format!(
            "{:.1} → {:.1} MiB",
            first(r, "rssKib").parse::<f64>().unwrap_or_default() / 1024.0,
            last(r, "rssKib").parse::<f64>().unwrap_or_default() / 1024.0
        )
    }));
    table.push_str(&row("**RSS slope after the first quarter**", &|r| {
        format!(
            "**{:+.1} KiB/min**",
            r["rssKibPerMinute"].as_f64().unwrap_or_default()
        )
    }));
    table.push_str(&row("open descriptors, first → last; slope", &|r| {
        format!(
            "{} → {}; {:+.2}/min",
            first(r, "fds"),
            last(r, "fds"),
            r["fdsPerMinute"].as_f64().unwrap_or_default()
        )
    }));
    table.push_str(&row("database connections, last; slope", &|r| {
        match r["databaseConnectionsPerMinute"].as_f64() {
            Some(slope) => format!("{}; {slope:+.2}/min", last(r, "databaseConnections")),
            None => "—".to_owned(),
        }
    }));
    let content = format!(
        "{table}\nCommit {}; command: `cargo xtask soak` (debug builds, both backends at \
         once).\n",
        commit_description(root)
    );
    replace_section(root, "soak", &content)
}

/// The PostgreSQL client's version, for the record.
fn postgres_version() -> String {
    Command::new("psql")
        .arg("--version")
        .output()
        .ok()
        .map(|o| {
            String::from_utf8_lossy(&o.stdout)
                .trim()
                .replace("psql (PostgreSQL) ", "")
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::with_database;

    #[test]
    fn a_database_url_gets_another_database() {
        assert_eq!(
            with_database("postgres://saha:pw@127.0.0.1:5432/saha_dev", "x").as_deref(),
            Ok("postgres://saha:pw@127.0.0.1:5432/x")
        );
        assert_eq!(
            with_database("postgres://u@h:1/db?sslmode=disable", "x").as_deref(),
            Ok("postgres://u@h:1/x?sslmode=disable")
        );
        assert_eq!(
            with_database("postgres://u@h:1", "x").as_deref(),
            Ok("postgres://u@h:1/x")
        );
        assert!(with_database("nonsense", "x").is_err());
    }
}
