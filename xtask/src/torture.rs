//! `cargo xtask torture [--quick]`: the reliability runs of RELIABILITY.md. So far the
//! crash storm (`bench/src/torture.rs`, behind `saha-bench crash-storm`): writers edit
//! records while the server is killed with SIGKILL and restarted, and every change it
//! acknowledged must survive. The full run (20 writers, 100 kills) rewrites the crash
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
}

const FULL: Storm = Storm {
    writers: 20,
    kills: 100,
    max_gap_ms: 1500,
};

const QUICK: Storm = Storm {
    writers: 5,
    kills: 10,
    max_gap_ms: 600,
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
    let report = crash_storm(root, &target_dir(root).join("debug"), quick)?;
    if !quick {
        write_reliability(root, &report)?;
    }
    Ok(())
}

/// Runs a crash storm with the debug binaries in `bins`; its report. Fails when an
/// acknowledged change was lost.
pub fn crash_storm(root: &Path, bins: &Path, quick: bool) -> Result<Value> {
    let storm = if quick { &QUICK } else { &FULL };
    let out = target_dir(root).join("torture/crash-storm.json");
    if let Some(dir) = out.parent() {
        std::fs::create_dir_all(dir).map_err(|e| format!("creating {}: {e}", dir.display()))?;
    }
    let _ = std::fs::remove_file(&out);
    run(Command::new(bins.join("saha-bench"))
        .arg("crash-storm")
        .arg("--saha-bin")
        .arg(bins.join("saha-server"))
        .arg("--site-root")
        .arg(target_dir(root).join("site"))
        .args(["--writers", &storm.writers.to_string()])
        .args(["--kills", &storm.kills.to_string()])
        .args(["--max-gap-ms", &storm.max_gap_ms.to_string()])
        .arg("--out")
        .arg(&out))?;
    let text =
        std::fs::read_to_string(&out).map_err(|e| format!("reading {}: {e}", out.display()))?;
    let report: Value =
        serde_json::from_str(&text).map_err(|e| format!("{}: {e}", out.display()))?;
    eprintln!(
        "xtask: crash storm: {} kills, {} acknowledged pushes, {} lost",
        report["kills"], report["acknowledged"], report["lost"]
    );
    Ok(report)
}

/// Rewrites RELIABILITY.md's crash storm section with `report`.
fn write_reliability(root: &Path, report: &Value) -> Result<()> {
    let path = root.join("RELIABILITY.md");
    let text =
        std::fs::read_to_string(&path).map_err(|e| format!("reading {}: {e}", path.display()))?;
    let begin = "<!-- crash-storm:begin -->";
    let end = "<!-- crash-storm:end -->";
    let (Some(start), Some(stop)) = (text.find(begin), text.find(end)) else {
        return Err(format!("{} has no crash storm markers", path.display()));
    };
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
    let commit = if dirty {
        format!("{commit} with uncommitted changes")
    } else {
        commit
    };
    let figures = format!(
        "{begin}\n\
         | figure | value |\n\
         | --- | --- |\n\
         | commit | {commit} |\n\
         | seed | {} |\n\
         | writers | {} |\n\
         | records (shared + private) | {} |\n\
         | SIGKILLs, each followed by a restart | {} |\n\
         | pushes acknowledged | {} |\n\
         | pushes cut off before their acknowledgement | {} |\n\
         | **acknowledged changes lost** | **{}** |\n\
         | records that did not load | {} |\n\
         | kill → answering again, median / max | {} ms / {} ms |\n\
         | run time | {:.0} s |\n\
         \n\
         Command: `cargo xtask torture` (debug build, embedded store).\n",
        report["seed"],
        report["writers"],
        report["records"],
        report["kills"],
        report["acknowledged"],
        report["unacknowledged"],
        report["lost"],
        report["unreadable"],
        report["restartMsMedian"],
        report["restartMsMax"],
        report["seconds"].as_f64().unwrap_or_default(),
    );
    let rewritten = format!("{}{figures}{}", &text[..start], &text[stop..]);
    std::fs::write(&path, rewritten).map_err(|e| format!("writing {}: {e}", path.display()))
}
