//! `cargo xtask bench`: runs the server workloads against Saha and automerge-repo's
//! reference server, the browser workloads against Saha, and writes the figures into
//! `BENCHMARKS.md` (between the `bench:begin` / `bench:end` markers). `smoke` runs the
//! same harness on a tiny workload inside `cargo xtask test`.

use std::path::Path;
use std::process::Command;

use serde_json::Value;

use crate::{Result, cargo, site, target_dir, tools};

const BEGIN: &str = "<!-- bench:begin -->";
const END: &str = "<!-- bench:end -->";

struct Plan {
    sizes: &'static str,
    runs: &'static str,
    fanout_clients: &'static str,
    fanout_seconds: &'static str,
    throughput_seconds: &'static str,
    throughput_levels: &'static str,
    browser_count: &'static str,
    browser_runs: &'static str,
    /// Stored documents for the server memory workload.
    memory_docs: &'static str,
}

const FULL: Plan = Plan {
    sizes: "1000,10000,50000",
    runs: "3",
    fanout_clients: "200",
    fanout_seconds: "30",
    throughput_seconds: "5",
    throughput_levels: "1,8,32,128",
    browser_count: "10000",
    browser_runs: "3",
    memory_docs: "100000",
};

const QUICK: Plan = Plan {
    sizes: "1000,10000",
    runs: "1",
    fanout_clients: "200",
    fanout_seconds: "10",
    throughput_seconds: "3",
    throughput_levels: "1,8,32,128",
    browser_count: "10000",
    browser_runs: "1",
    memory_docs: "100000",
};

const SMOKE: Plan = Plan {
    sizes: "200",
    runs: "1",
    fanout_clients: "10",
    fanout_seconds: "2",
    throughput_seconds: "1",
    throughput_levels: "1,4",
    browser_count: "200",
    browser_runs: "1",
    memory_docs: "300",
};

fn read_json(path: &Path) -> Result<Value> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    serde_json::from_str(&text).map_err(|e| format!("{} is not JSON: {e}", path.display()))
}

fn run_plan(root: &Path, bins: &Path, plan: &Plan, out: &Path) -> Result<(Value, Value)> {
    std::fs::create_dir_all(out).map_err(|e| format!("cannot create {}: {e}", out.display()))?;
    let servers_json = out.join("servers.json");
    let browser_json = out.join("browser.json");
    // Saha's fan-out runs on two nodes sharing this PostgreSQL.
    let pg = crate::postgres::ensure(true)?;
    crate::run(
        Command::new(bins.join("saha-bench"))
            .current_dir(root)
            .args(["servers", "--saha-bin"])
            .arg(bins.join("saha-server"))
            .arg("--site-root")
            .arg(target_dir(root).join("site"))
            .arg("--reference-script")
            .arg(root.join("end2end/reference/server.mjs"))
            .args(["--sizes", plan.sizes, "--runs", plan.runs])
            .args([
                "--fanout-clients",
                plan.fanout_clients,
                "--fanout-seconds",
                plan.fanout_seconds,
            ])
            .args([
                "--throughput-seconds",
                plan.throughput_seconds,
                "--throughput-levels",
                plan.throughput_levels,
            ])
            .args(["--memory-docs", plan.memory_docs])
            .args(["--database-url", &pg.url])
            .arg("--out")
            .arg(&servers_json),
    )?;
    drop(pg);
    crate::run(
        Command::new("node")
            .current_dir(root.join("end2end"))
            .env("SAHA_SERVER_BIN", bins.join("saha-server"))
            .env("SAHA_SITE_ROOT", target_dir(root).join("site"))
            .arg("bench/browser.mjs")
            .arg("--bench-bin")
            .arg(bins.join("saha-bench"))
            .args([
                "--count",
                plan.browser_count,
                "--runs",
                plan.browser_runs,
                "--out",
            ])
            .arg(&browser_json),
    )?;
    Ok((read_json(&servers_json)?, read_json(&browser_json)?))
}

/// Every "error" anywhere in a result, with its path.
fn errors(value: &Value, path: &str, found: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                if k == "error" {
                    found.push(format!("{path}: {v}"));
                } else {
                    errors(v, &format!("{path}.{k}"), found);
                }
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                errors(v, &format!("{path}[{i}]"), found);
            }
        }
        _ => {}
    }
}

/// The harness on a tiny workload (debug builds); fails if any workload failed.
pub fn smoke(root: &Path, debug_bins: &Path) -> Result<()> {
    let (servers, browser) = run_plan(
        root,
        debug_bins,
        &SMOKE,
        &target_dir(root).join("bench-smoke"),
    )?;
    let mut found = Vec::new();
    errors(&servers, "servers", &mut found);
    if !found.is_empty() {
        return Err(format!("benchmark smoke run failed: {}", found.join("; ")));
    }
    for key in [
        "initial_sync_ms",
        "cold_open_ms",
        "search_keystroke_ms",
        "global_search_keystroke_ms",
        "js_heap_used_bytes",
    ] {
        if browser.get(key).is_none_or(Value::is_null) {
            return Err(format!("benchmark smoke run: browser figure {key} missing"));
        }
    }
    // The reports' browser benchmark (`end2end/bench/reports.mjs`) on a small workspace.
    let reports_json = target_dir(root).join("bench-smoke/reports.json");
    crate::run(
        Command::new("node")
            .current_dir(root.join("end2end"))
            .env("SAHA_SERVER_BIN", debug_bins.join("saha-server"))
            .env("SAHA_SITE_ROOT", target_dir(root).join("site"))
            .arg("bench/reports.mjs")
            .arg("--bench-bin")
            .arg(debug_bins.join("saha-bench"))
            .args([
                "--count", "30", "--sales", "40", "--lines", "3", "--runs", "1", "--out",
            ])
            .arg(&reports_json),
    )?;
    let reports = read_json(&reports_json)?;
    if reports
        .pointer("/report_ms/every_report/median")
        .is_none_or(Value::is_null)
    {
        return Err("benchmark smoke run: the reports' timings are missing".into());
    }
    // The phone-side photo benchmark (`end2end/bench/photo.mjs`), one photo.
    let photo_json = target_dir(root).join("bench-smoke/photo.json");
    crate::run(
        Command::new("node")
            .current_dir(root.join("end2end"))
            .env("SAHA_SERVER_BIN", debug_bins.join("saha-server"))
            .env("SAHA_SITE_ROOT", target_dir(root).join("site"))
            .arg("bench/photo.mjs")
            .args(["--runs", "1", "--cpu-throttle", "1", "--out"])
            .arg(&photo_json),
    )?;
    if read_json(&photo_json)?
        .pointer("/photo_shown_ms/median")
        .is_none_or(Value::is_null)
    {
        return Err("benchmark smoke run: the photo's timing is missing".into());
    }
    eprintln!("xtask: benchmark smoke run passed");
    Ok(())
}

pub fn bench(root: &Path, args: &[String]) -> Result<()> {
    let quick = args.iter().any(|a| a == "--quick");
    let plan = if quick { &QUICK } else { &FULL };
    let wasm = tools::ensure_wasm_toolchain()?;
    tools::ensure_wasm_bindgen(root)?;
    tools::ensure_npm_packages(root)?;
    tools::ensure_chromium()?;
    site::build(root, &wasm)?;
    crate::run(cargo().current_dir(root).args([
        "build",
        "--release",
        "-p",
        "server",
        "-p",
        "saha-bench",
        "--bins",
    ]))?;
    let bins = target_dir(root).join("release");
    let (servers, browser) = run_plan(root, &bins, plan, &target_dir(root).join("bench"))?;
    let pkg = target_dir(root).join("site/pkg");
    let size = |name: &str| {
        std::fs::metadata(pkg.join(name))
            .map(|m| m.len())
            .unwrap_or(0)
    };
    let wasm_sizes = (size("saha_bg.wasm"), size("saha_bg.wasm.gz"));
    let command = if quick {
        "cargo xtask bench --quick"
    } else {
        "cargo xtask bench"
    };
    let section = render(&servers, &browser, wasm_sizes, plan, command);
    let path = root.join("BENCHMARKS.md");
    let old = std::fs::read_to_string(&path).unwrap_or_default();
    let new = match (old.find(BEGIN), old.find(END)) {
        (Some(b), Some(e)) if b < e => format!("{}{section}{}", &old[..b], &old[e + END.len()..]),
        _ => format!("# Benchmarks\n\n{section}\n{old}"),
    };
    std::fs::write(&path, new).map_err(|e| format!("cannot write BENCHMARKS.md: {e}"))?;
    eprintln!("xtask: wrote BENCHMARKS.md");
    Ok(())
}

fn num(v: &Value, path: &[&str]) -> Option<f64> {
    let mut cur = v;
    for key in path {
        cur = cur.get(key)?;
    }
    cur.as_f64()
}

fn size_entry(report: &Value, size: u64) -> Option<&Value> {
    report["sizes"]
        .as_array()?
        .iter()
        .find(|s| s["size"].as_u64() == Some(size) && s.get("error").is_none())
}

fn ms(x: Option<f64>) -> String {
    match x {
        Some(v) if v >= 1000.0 => format!("{:.2} s", v / 1000.0),
        Some(v) if v >= 10.0 => format!("{v:.0} ms"),
        Some(v) => format!("{v:.1} ms"),
        None => "—".into(),
    }
}

fn bytes(x: Option<f64>) -> String {
    match x {
        Some(v) if v >= 1024.0 * 1024.0 => format!("{:.1} MiB", v / 1024.0 / 1024.0),
        Some(v) if v >= 1024.0 => format!("{:.0} KiB", v / 1024.0),
        Some(v) => format!("{v:.0} B"),
        None => "—".into(),
    }
}

/// "median (min–max)" of a summary object, formatted by `f`.
fn spread(s: &Value, f: fn(Option<f64>) -> String) -> String {
    let median = s["median"].as_f64();
    match (s["min"].as_f64(), s["max"].as_f64(), s["n"].as_u64()) {
        (Some(lo), Some(hi), Some(n)) if n > 1 => {
            format!("{} ({}–{}, n={n})", f(median), f(Some(lo)), f(Some(hi)))
        }
        _ => f(median),
    }
}

fn ratio(reference: Option<f64>, saha: Option<f64>) -> String {
    match (reference, saha) {
        (Some(r), Some(s)) if s > 0.0 => format!("{:.1}×", r / s),
        _ => "—".into(),
    }
}

fn render(
    servers: &Value,
    browser: &Value,
    wasm: (u64, u64),
    plan: &Plan,
    command: &str,
) -> String {
    let saha = &servers["saha"];
    let refr = &servers["reference"];
    let mut out = String::new();
    let machine = machine_line();
    out.push_str(&format!(
        "{BEGIN}\n_Generated by `{command}` — {machine}._\n\n"
    ));
    out.push_str(&format!(
        "Plan: sizes {} accounts (5 activities each), {} runs per figure; fan-out {} clients for {} s; throughput levels {} writers × {} s; browser workspace {} accounts. Loopback, one machine: the load generator, the server and Chromium share its 2 cores.\n\n",
        plan.sizes, plan.runs, plan.fanout_clients, plan.fanout_seconds, plan.throughput_levels, plan.throughput_seconds, plan.browser_count
    ));

    let s10 = size_entry(saha, 10_000);
    let r10 = size_entry(refr, 10_000);
    let get = |e: Option<&Value>, p: &[&str]| e.and_then(|e| num(e, p));
    out.push_str("## Summary\n\n| figure | target | Saha | reference | reference ÷ Saha |\n| --- | --- | --- | --- | --- |\n");
    let init_s = get(s10, &["initial_sync", "wall_ms", "median"]);
    let init_r = get(r10, &["initial_sync", "wall_ms", "median"]);
    out.push_str(&format!(
        "| initial sync, 10k accounts, empty client | ≤ 3 s, ≥ 10× faster | {} | {} | {} |\n",
        ms(init_s),
        ms(init_r),
        ratio(init_r, init_s)
    ));
    let rec_s = get(s10, &["reconnect", "all_synced_ms", "median"]);
    let rec_r = get(r10, &["reconnect", "all_synced_ms", "median"]);
    out.push_str(&format!(
        "| reconnect, 20 of 10k changed: all in sync | ≤ 300 ms | {} ({}) | {} ({}) | {} |\n",
        ms(rec_s),
        bytes(get(s10, &["reconnect", "bytes", "median"])),
        ms(rec_r),
        bytes(get(r10, &["reconnect", "bytes", "median"])),
        ratio(rec_r, rec_s)
    ));
    let fan_s = num(saha, &["fanout", "latency_ms", "p99"]);
    let fan_r = num(refr, &["fanout", "latency_ms", "p99"]);
    out.push_str(&format!(
        "| fan-out p99, {} clients (Saha: over {} nodes on PostgreSQL) | ≤ 50 ms | {} | {} | {} |\n",
        plan.fanout_clients,
        num(saha, &["fanout", "nodes"]).unwrap_or(1.0),
        ms(fan_s),
        ms(fan_r),
        ratio(fan_r, fan_s)
    ));
    let tp_s = num(saha, &["throughput", "best_changes_per_second"]);
    let tp_r = num(refr, &["throughput", "best_changes_per_second"]);
    out.push_str(&format!(
        "| sustained throughput (changes/s) | ≥ 5× reference | {:.0} | {:.0} | Saha {} |\n",
        tp_s.unwrap_or(f64::NAN),
        tp_r.unwrap_or(f64::NAN),
        ratio(tp_s, tp_r)
    ));
    let rss_s = num(saha, &["throughput", "peak_rss"]);
    let rss_r = num(refr, &["throughput", "peak_rss"]);
    out.push_str(&format!(
        "| server peak RSS in the throughput run | ≤ ⅓ of reference | {} | {} | {} |\n",
        bytes(rss_s),
        bytes(rss_r),
        ratio(rss_r, rss_s)
    ));
    let mem = &saha["memory"];
    out.push_str(&format!(
        "| server RSS with {} stored documents: after a protocol client loaded every one / peak while streaming all in the feed | bounded | {} / {} | — | — |\n",
        num(mem, &["documents"]).unwrap_or(f64::NAN),
        bytes(num(mem, &["peak_rss_protocol_walk"])),
        bytes(num(mem, &["peak_rss_feed"])),
    ));
    out.push_str(&format!(
        "| browser: cold open, {} accounts in IndexedDB | ≤ 1 s | {} | — | — |\n",
        plan.browser_count,
        spread(&browser["cold_open_ms"], ms)
    ));
    out.push_str(&format!(
        "| browser: search keystroke → results, {} accounts | ≤ 16 ms | p50 {}, p99 {} | — | — |\n",
        plan.browser_count,
        ms(num(browser, &["search_keystroke_ms", "p50"])),
        ms(num(browser, &["search_keystroke_ms", "p99"]))
    ));
    out.push_str(&format!(
        "| browser: global search (Ctrl/Cmd+K) keystroke → results, {} accounts | ≤ 16 ms | p50 {}, p99 {} | — | — |\n",
        plan.browser_count,
        ms(num(browser, &["global_search_keystroke_ms", "p50"])),
        ms(num(browser, &["global_search_keystroke_ms", "p99"]))
    ));
    out.push_str(&format!(
        "| browser: empty → fully synced, {} accounts | — | {} | — | — |\n",
        plan.browser_count,
        ms(num(browser, &["initial_sync_ms"]))
    ));
    out.push_str(&format!(
        "| WASM bundle, gzip (raw) | ≤ 1 MB | {} ({}) | — | — |\n\n",
        bytes(Some(wasm.1 as f64)),
        bytes(Some(wasm.0 as f64))
    ));

    out.push_str("## Server workloads\n\nBoth servers are driven by the same Rust load generator (`bench/`). For the reference it speaks the automerge-repo protocol only; Saha's clients bootstrap and reconnect through the change feed (`GET /api/sync/changes`, one streamed download) as the app does, and use the protocol for live changes. The reference is `@automerge/automerge-repo` with `WebSocketServerAdapter` and `NodeFSStorageAdapter`, set up as automerge-repo-sync-server does (`end2end/reference/server.mjs`). Saha acknowledges a change only after it is fsync'd; the reference acknowledges before its debounced write.\n\n");
    out.push_str("### Initial sync and reconnect, by size\n\n| server | accounts | seeding (info) | initial sync | bytes | server peak RSS | reconnect: changes in | reconnect: all in sync | reconnect bytes |\n| --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
    for (name, report) in [("Saha", saha), ("reference", refr)] {
        for entry in report["sizes"].as_array().into_iter().flatten() {
            let size = entry["size"].as_u64().unwrap_or(0);
            if let Some(e) = entry.get("error") {
                out.push_str(&format!(
                    "| {name} | {size} | broke: {} | | | | | | |\n",
                    e.as_str().unwrap_or("").replace('|', "/")
                ));
                continue;
            }
            out.push_str(&format!(
                "| {name} | {size} | {} | {} | {} | {} | {} | {} | {} |\n",
                ms(num(entry, &["seed_ms"])),
                spread(&entry["initial_sync"]["wall_ms"], ms),
                bytes(num(entry, &["initial_sync", "bytes", "median"])),
                bytes(num(entry, &["initial_sync", "peak_rss", "max"])),
                spread(&entry["reconnect"]["changes_ms"], ms),
                spread(&entry["reconnect"]["all_synced_ms"], ms),
                bytes(num(entry, &["reconnect", "bytes", "median"])),
            ));
        }
    }
    out.push_str("\n### Fan-out\n\nClients in groups of 10, each group sharing one document; every client edits once a second; latency from an edit to its arrival at each other member. Saha runs two nodes on one PostgreSQL with the clients alternating between them, so most deliveries cross nodes (NOTIFY, then a change-feed read); CPU and RSS are the two nodes' sums.\n\n| server | deliveries | p50 | p99 | max | server CPU | peak RSS | failed clients |\n| --- | --- | --- | --- | --- | --- | --- | --- |\n");
    for (name, report) in [("Saha", saha), ("reference", refr)] {
        let f = &report["fanout"];
        if let Some(e) = f.get("error") {
            out.push_str(&format!(
                "| {name} | broke: {} | | | | | | |\n",
                e.as_str().unwrap_or("")
            ));
            continue;
        }
        out.push_str(&format!(
            "| {name} | {} | {} | {} | {} | {:.0} % | {} | {} |\n",
            f["latency_ms"]["n"],
            ms(num(f, &["latency_ms", "p50"])),
            ms(num(f, &["latency_ms", "p99"])),
            ms(num(f, &["latency_ms", "max"])),
            num(f, &["server_cpu_percent"]).unwrap_or(f64::NAN),
            bytes(num(f, &["peak_rss"])),
            f["failed_clients"]
        ));
    }
    out.push_str("\n### Sustained throughput\n\nClosed-loop writers, each on its own document: change, send, wait for the acknowledgement. Levels rise until p99 passes 100 ms.\n\n| server | writers | changes/s | ack p50 | ack p99 |\n| --- | --- | --- | --- | --- |\n");
    for (name, report) in [("Saha", saha), ("reference", refr)] {
        for level in report["throughput"]["levels"]
            .as_array()
            .into_iter()
            .flatten()
        {
            out.push_str(&format!(
                "| {name} | {} | {:.0} | {} | {} |\n",
                level["writers"],
                level["changes_per_second"].as_f64().unwrap_or(f64::NAN),
                ms(num(level, &["ack_latency_ms", "p50"])),
                ms(num(level, &["ack_latency_ms", "p99"]))
            ));
        }
    }
    out.push_str(&format!(
        "\n## Browser (Saha, headless Chromium, 390×844)\n\n| figure | value |\n| --- | --- |\n| accounts | {} |\n| empty browser → fully synced | {} |\n| progress indicator seen (most records shown arriving) | {} |\n| cold open → list shown | {} |\n| of which (last run): IndexedDB read / read-model decode (or rebuild) / views | {} / {} / {} |\n| search keystroke → list updated | p50 {}, p99 {}, max {} (n={}) |\n| global search keystroke → results | p50 {}, p99 {}, max {} (n={}) |\n| JS heap used after loading | {} |\n| WASM linear memory after loading | {} |\n| WASM bundle raw / gzip | {} / {} |\n\n",
        browser["count"], ms(num(browser, &["initial_sync_ms"])), browser["progress_max_incoming"],
        spread(&browser["cold_open_ms"], ms),
        ms(num(browser, &["cold_open_breakdown", "indexeddb_ms"])),
        ms(num(browser, &["cold_open_breakdown", "read_model_ms"])),
        ms(num(browser, &["cold_open_breakdown", "views_ms"])),
        ms(num(browser, &["search_keystroke_ms", "p50"])), ms(num(browser, &["search_keystroke_ms", "p99"])), ms(num(browser, &["search_keystroke_ms", "max"])), browser["search_keystroke_ms"]["n"],
        ms(num(browser, &["global_search_keystroke_ms", "p50"])), ms(num(browser, &["global_search_keystroke_ms", "p99"])), ms(num(browser, &["global_search_keystroke_ms", "max"])), browser["global_search_keystroke_ms"]["n"],
        bytes(num(browser, &["js_heap_used_bytes"])), bytes(num(browser, &["wasm_memory_bytes"])),
        bytes(Some(wasm.0 as f64)), bytes(Some(wasm.1 as f64)),
    ));
    out.push_str(END);
    out
}

fn machine_line() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|c| {
            c.lines()
                .find(|l| l.starts_with("model name"))
                .map(|l| l.split(':').nth(1).unwrap_or("").trim().to_owned())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(0);
    let mem = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|m| {
            m.lines()
                .next()
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map(|kb| format!("{:.0} GiB", kb / 1024.0 / 1024.0))
        .unwrap_or_default();
    let date = Command::new("date")
        .args(["-u", "+%Y-%m-%d %H:%M UTC"])
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_default();
    let commit = Command::new("git")
        .args(["rev-parse", "--short", "HEAD"])
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_default();
    format!("{date}, commit {commit}, {cores} cores ({cpu}), {mem}")
}
