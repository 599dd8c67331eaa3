//! `cargo xtask fuzz [--quick [--seconds N]] [target…]`: the `cargo fuzz` targets of `fuzz/`, built
//! with libFuzzer's coverage instrumentation and run one after another.
//!
//! The build is what `cargo fuzz build --release --sanitizer none` does, on the stable
//! toolchain: `-Cpasses=sancov-module` and the `sanitizer-coverage` LLVM options, for
//! the target triple only (build scripts and proc macros stay uninstrumented), in a
//! target directory of its own (`fuzz/` under cargo's). Each target starts from its
//! seeds (`fuzz/seeds/<target>`) and the corpus earlier runs grew
//! (`<target dir>/fuzz/corpus/<target>`), with a memory limit and a per-input time
//! limit, so an input that makes a parser allocate without bound or loop fails like a
//! panic does. A failing input is left in `<target dir>/fuzz/artifacts/<target>/`; the
//! error says how to keep it as a regression test (`fuzz/crashers/<target>/`, replayed
//! by `fuzz/tests/kept_inputs.rs` on every `cargo test`).
//!
//! The full run (1,000,000 runs of each target) rewrites the fuzzing table of
//! RELIABILITY.md; `--quick` (a few seconds of each, from a fixed seed:
//! [`QUICK_SEED`]; `--seconds N` runs it longer) runs inside `cargo xtask test`,
//! which builds them in the background beside its tests (`--build-only`).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use crate::{Result, cargo, describe, target_dir};

/// The targets, in `fuzz/fuzz_targets/`.
pub const TARGETS: [&str; 7] = [
    "wire_message",
    "change_feed",
    "document_load",
    "import_file",
    "calendar",
    "input_fields",
    // The slowest (a whole sync exchange per input), last.
    "sync_sequence",
];

/// What `cargo fuzz` passes to rustc for libFuzzer's coverage feedback.
const INSTRUMENTATION: &str = "-Cpasses=sancov-module \
    -Cllvm-args=-sanitizer-coverage-level=4 \
    -Cllvm-args=-sanitizer-coverage-inline-8bit-counters \
    -Cllvm-args=-sanitizer-coverage-pc-table \
    -Cllvm-args=-sanitizer-coverage-trace-compares \
    --cfg fuzzing";

/// Runs of each target in the full run.
const FULL_RUNS: u64 = 1_000_000;

/// Seconds of each target in the quick run.
pub const QUICK_SECONDS: u64 = 8;

/// libFuzzer's random seed in the quick run. Fixed, so that the test command mutates
/// the same inputs on every machine: a quick run that fails on CI fails the same way
/// here, and one that passes here for longer than [`QUICK_SECONDS`] passes on CI
/// (`cargo xtask fuzz --seconds N` checks that). The full run draws a seed
/// each time, to look where no run looked before.
const QUICK_SEED: u32 = 20_261_208;

/// libFuzzer's limits: resident memory (MB) and seconds for one input.
const RSS_LIMIT_MB: u32 = 1024;
const INPUT_SECONDS: u32 = 10;

/// One target's run.
pub struct Run {
    pub target: &'static str,
    pub runs: u64,
    pub seconds: f64,
    /// Inputs in the corpus after the run.
    pub corpus: usize,
}

/// `cargo xtask fuzz [--quick [--seconds N] | --build-only] [target…]`.
pub fn fuzz(root: &Path, args: &[String]) -> Result<()> {
    if args.iter().any(|a| a == "--build-only") {
        return build(root).map(|_| ());
    }
    let mut quick = None;
    let mut chosen: Vec<&'static str> = Vec::new();
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        match arg.as_str() {
            "--quick" => {
                quick.get_or_insert(QUICK_SECONDS);
            }
            "--seconds" => {
                let seconds = rest
                    .next()
                    .and_then(|n| n.parse::<u64>().ok())
                    .filter(|n| *n > 0)
                    .ok_or("fuzz: --seconds needs a number of seconds above 0")?;
                quick = Some(seconds);
            }
            name => chosen.push(TARGETS.into_iter().find(|t| *t == name).ok_or_else(|| {
                format!("fuzz: no target {name} (targets: {})", TARGETS.join(", "))
            })?),
        }
    }
    let targets = if chosen.is_empty() {
        TARGETS.to_vec()
    } else {
        chosen
    };
    let runs = run_targets(root, &targets, quick)?;
    if quick.is_none() && targets.len() == TARGETS.len() {
        write_reliability(root, &runs)?;
    }
    Ok(())
}

/// Builds the targets and runs each: `quick`, the quick run, for that many seconds
/// from [`QUICK_SEED`], else for [`FULL_RUNS`]. Fails on the first input that fails.
pub fn run_targets(root: &Path, targets: &[&'static str], quick: Option<u64>) -> Result<Vec<Run>> {
    let bins = build(root)?;
    let dir = target_dir(root).join("fuzz");
    let mut runs = Vec::new();
    for &target in targets {
        let corpus = dir.join("corpus").join(target);
        let artifacts = dir.join("artifacts").join(target);
        for d in [&corpus, &artifacts] {
            std::fs::create_dir_all(d).map_err(|e| format!("{}: {e}", d.display()))?;
        }
        let log = dir.join(format!("{target}.log"));
        let out = std::fs::File::create(&log).map_err(|e| format!("{}: {e}", log.display()))?;
        let mut cmd = Command::new(bins.join(target));
        cmd.arg(&corpus)
            .arg(root.join("fuzz/seeds").join(target))
            .arg(format!("-rss_limit_mb={RSS_LIMIT_MB}"))
            .arg(format!("-timeout={INPUT_SECONDS}"))
            .arg(format!("-artifact_prefix={}/", artifacts.display()))
            .arg("-print_final_stats=1")
            .stderr(out);
        if let Some(seconds) = quick {
            cmd.arg(format!("-max_total_time={seconds}"))
                .arg(format!("-seed={QUICK_SEED}"));
        } else {
            cmd.arg(format!("-runs={FULL_RUNS}"));
        }
        eprintln!("xtask: $ {} (output in {})", describe(&cmd), log.display());
        let started = Instant::now();
        let status = cmd
            .status()
            .map_err(|e| format!("cannot start {}: {e}", describe(&cmd)))?;
        let seconds = started.elapsed().as_secs_f64();
        let output = std::fs::read_to_string(&log).unwrap_or_default();
        if !status.success() {
            let tail: Vec<&str> = output.lines().rev().take(40).collect();
            let tail: Vec<&str> = tail.into_iter().rev().collect();
            eprintln!("{}", tail.join("\n"));
            return Err(format!(
                "fuzz target {target} failed ({status}); the input is in {}: once fixed, \
                 keep it as a regression test in fuzz/crashers/{target}/ with a name that \
                 says what it found",
                artifacts.display()
            ));
        }
        let runs_done = final_runs(&output).unwrap_or_default();
        let corpus_size = std::fs::read_dir(&corpus).map_or(0, Iterator::count);
        eprintln!(
            "xtask: fuzz {target}: {runs_done} runs in {seconds:.0} s, no failure; corpus {corpus_size}"
        );
        runs.push(Run {
            target,
            runs: runs_done,
            seconds,
            corpus: corpus_size,
        });
    }
    Ok(runs)
}

/// Builds every target; the directory of the binaries.
fn build(root: &Path) -> Result<PathBuf> {
    let dir = target_dir(root).join("fuzz");
    let triple = host_triple()?;
    crate::run(
        cargo()
            .current_dir(root)
            .env("CARGO_TARGET_DIR", &dir)
            .env("RUSTFLAGS", INSTRUMENTATION)
            // A toolchain wrapper of the caller (clippy) would change nothing here.
            .env_remove("RUSTC_WORKSPACE_WRAPPER")
            .args([
                "build",
                "--release",
                "-p",
                "saha-fuzz",
                "--features",
                "libfuzzer",
            ])
            .args(["--bins", "--target", &triple]),
    )?;
    Ok(dir.join(triple).join("release"))
}

/// The host's target triple (`rustc -vV`), so that `RUSTFLAGS` reach only the targets.
fn host_triple() -> Result<String> {
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
    let out = Command::new(&rustc)
        .arg("-vV")
        .output()
        .map_err(|e| format!("cannot start {rustc} -vV: {e}"))?;
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("host: "))
        .map(str::to_owned)
        .ok_or_else(|| format!("{rustc} -vV names no host"))
}

/// The run count of libFuzzer's `Done N runs in S second(s)` line.
fn final_runs(output: &str) -> Option<u64> {
    output
        .lines()
        .rev()
        .find_map(|l| l.strip_prefix("Done "))
        .and_then(|l| l.split_whitespace().next())
        .and_then(|n| n.parse().ok())
}

/// Rewrites RELIABILITY.md's fuzzing table.
fn write_reliability(root: &Path, runs: &[Run]) -> Result<()> {
    let mut table = String::from(
        "| target | runs | time | runs/s | corpus | failures |\n| --- | --- | --- | --- | --- | --- |\n",
    );
    for r in runs {
        table.push_str(&format!(
            "| `{}` | {} | {:.0} s | {:.0} | {} | 0 |\n",
            r.target,
            r.runs,
            r.seconds,
            r.runs as f64 / r.seconds.max(0.001),
            r.corpus
        ));
    }
    let content = format!(
        "{table}\nCommit {}; command: `cargo xtask fuzz` (release build with libFuzzer's \
         coverage instrumentation, no sanitizer; `-rss_limit_mb={RSS_LIMIT_MB} \
         -timeout={INPUT_SECONDS}`; one core).\n",
        crate::torture::commit_description(root)
    );
    crate::torture::replace_section(root, "fuzz", &content)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_run_count_comes_from_libfuzzers_last_line() {
        let output = "#1000000\tDONE cov: 10 ft: 20\nDone 1000000 runs in 42 second(s)\n\
                      stat::number_of_executed_units: 1000000\n";
        assert_eq!(final_runs(output), Some(1_000_000));
        assert_eq!(final_runs("==1== ERROR: libFuzzer: deadly signal\n"), None);
    }

    #[test]
    fn every_target_is_a_binary_of_the_fuzz_crate() {
        let manifest = std::fs::read_to_string(crate::root().join("fuzz/Cargo.toml"))
            .expect("fuzz/Cargo.toml");
        for target in TARGETS {
            assert!(
                manifest.contains(&format!("name = \"{target}\"")),
                "{target} is not in fuzz/Cargo.toml"
            );
        }
        assert_eq!(manifest.matches("[[bin]]").count(), TARGETS.len());
    }
}
