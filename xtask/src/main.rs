//! `cargo xtask`: the project's commands, each installing what it needs first.
//!
//! - `cargo xtask run [-- <saha-server args>]`: builds the release app and server and
//!   serves on http://127.0.0.1:3000 with embedded storage in `./data`.
//! - `cargo xtask test`: the lint below, then every test — unit, integration (real
//!   server on port 0, a stock JS automerge-repo peer, both storage backends, several
//!   nodes on one PostgreSQL) and end-to-end (Playwright driving Debian's Chromium).
//!   PostgreSQL comes from `TEST_DATABASE_URL`/`DATABASE_URL`, else a throwaway cluster
//!   ([`postgres`]). Clippy runs inside the test builds ([`with_clippy`]).
//! - `cargo xtask build`: the release artifacts (`target/site`, `target/release/saha-server`).
//! - `cargo xtask lint`: rustfmt, clippy (native and wasm) and rustdoc with warnings as
//!   errors, and the import-cycle check of [`cycles`] (alone: `cargo xtask cycles`).
//! - `cargo xtask bench`: the benchmark suite; writes `BENCHMARKS.md`.
//! - `cargo xtask torture [--quick]`: the reliability runs of [`torture`]; writes
//!   `RELIABILITY.md` (the quick run is part of `cargo xtask test`).
//! - `cargo xtask soak [--quick]`: the soak ([`torture::soak_command`]), an hour of
//!   steady mixed load on both backends; writes `RELIABILITY.md` (the quick run, two
//!   minutes, is part of `cargo xtask test`).
//! - `cargo xtask fuzz [--quick | --seconds N] [target…]`: the `cargo fuzz` targets of `fuzz/`
//!   ([`fuzz`]), 1,000,000 runs each; writes `RELIABILITY.md` (the quick run is part of
//!   `cargo xtask test`).
//!
//! Tools are installed only when missing: the wasm32 target (rustup, or Debian's
//! `rustc-web` toolchain with `-Zbuild-std` where rustup cannot fetch it),
//! `wasm-bindgen-cli` at the version in Cargo.lock, npm packages of `end2end/`
//! (Playwright, binaryen's `wasm-opt`, automerge-repo), and Debian's `chromium`.

mod bench;
mod cycles;
mod fuzz;
mod postgres;
mod site;
mod tools;
mod torture;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

pub type Result<T> = std::result::Result<T, String>;

/// The workspace root. `cargo run` sets `CARGO_MANIFEST_DIR` for the process; it is read
/// at run time because a target directory shared by several checkouts (CI's fresh clone
/// and a working tree) may hold an `xtask` binary compiled in the other checkout.
fn root() -> PathBuf {
    let manifest_dir = std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")));
    manifest_dir
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or(manifest_dir)
}

/// Runs a command, failing with its description if it does not succeed.
pub fn run(cmd: &mut Command) -> Result<()> {
    eprintln!("xtask: $ {}", describe(cmd));
    let status = cmd
        .status()
        .map_err(|e| format!("cannot start {}: {e}", describe(cmd)))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{} failed with {status}", describe(cmd)))
    }
}

pub fn describe(cmd: &Command) -> String {
    std::iter::once(cmd.get_program())
        .chain(cmd.get_args())
        .map(|s| s.to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Cargo's target directory: `CARGO_TARGET_DIR` if set (CI keeps one outside the
/// clone), else `target/` in the workspace.
pub fn target_dir(root: &Path) -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => root.join(dir),
        None => root.join("target"),
    }
}

pub fn cargo() -> Command {
    Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
}

fn usage() -> ExitCode {
    eprintln!(
        "usage: cargo xtask <run [-- server args] | test | build | site | lint | cycles | bench [--quick] | fuzz-api [seconds] | torture [--quick] | fuzz [--quick | --seconds N] [target…] | soak [--quick]>"
    );
    ExitCode::from(2)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(command) = args.first() else {
        return usage();
    };
    let rest: Vec<String> = args[1..]
        .iter()
        .skip_while(|a| *a == "--")
        .cloned()
        .collect();
    let root = root();
    let result = match command.as_str() {
        "run" => cmd_run(&root, &rest),
        "test" => cmd_test(&root),
        "build" => cmd_build(&root).map(|_| ()),
        "site" => cmd_site(&root),
        "lint" => cmd_lint(&root),
        "cycles" => cycles::check(&root),
        "bench" => bench::bench(&root, &rest),
        "fuzz-api" => cmd_fuzz_api(&root, &rest),
        "torture" => torture::torture(&root, &rest),
        "fuzz" => fuzz::fuzz(&root, &rest),
        "soak" => torture::soak_command(&root, &rest),
        _ => return usage(),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Builds the site (WASM bundle + assets) and the release server.
fn cmd_build(root: &Path) -> Result<PathBuf> {
    let wasm = tools::ensure_wasm_toolchain()?;
    tools::ensure_wasm_bindgen(root)?;
    tools::ensure_npm_packages(root)?;
    site::build(root, &wasm)?;
    run(cargo().current_dir(root).args([
        "build",
        "--release",
        "-p",
        "server",
        "--bin",
        "saha-server",
    ]))?;
    Ok(target_dir(root).join("release/saha-server"))
}

/// Builds only the site (WASM bundle + assets), for working on the app against a debug
/// server.
fn cmd_site(root: &Path) -> Result<()> {
    let wasm = tools::ensure_wasm_toolchain()?;
    tools::ensure_wasm_bindgen(root)?;
    tools::ensure_npm_packages(root)?;
    site::build(root, &wasm)
}

fn cmd_run(root: &Path, server_args: &[String]) -> Result<()> {
    let server = cmd_build(root)?;
    let mut cmd = Command::new(server);
    cmd.current_dir(root)
        .env("SAHA_SITE_ROOT", target_dir(root).join("site"))
        .args(server_args);
    if std::env::var_os("SAHA_LISTEN").is_none()
        && !server_args.iter().any(|a| a.starts_with("--listen"))
    {
        cmd.args(["--listen", "127.0.0.1:3000"]);
    }
    eprintln!("xtask: Saha on http://127.0.0.1:3000 (Ctrl+C stops it)");
    run(&mut cmd)
}

fn cmd_test(root: &Path) -> Result<()> {
    let started = std::time::Instant::now();
    // Each phase's time, printed at the end (where CI's 40 minutes go).
    let mut phases: Vec<(&str, f64)> = Vec::new();
    let mut lap = std::time::Instant::now();
    let mut phase = |name: &'static str| {
        phases.push((name, lap.elapsed().as_secs_f64()));
        lap = std::time::Instant::now();
    };
    let wasm = tools::ensure_wasm_toolchain()?;
    tools::ensure_wasm_bindgen(root)?;
    tools::ensure_npm_packages(root)?;
    tools::ensure_chromium()?;
    let py_tools = tools::ensure_py_tools(root)?;
    phase("tools");
    // The site is built while the lint and the test builds run: they use different
    // target directories, and each spends minutes on one core (the app crate, the LTO
    // link, the server crate), which the other fills. Clippy runs inside the test
    // builds ([`with_clippy`]), so a commit that fails the lint fails here.
    let clippy = tools::clippy_driver()?;
    let (prepared, built) = std::thread::scope(|scope| {
        let site = scope.spawn(|| {
            site::build(root, &wasm)?;
            site::check_bundle_size(root)
        });
        let prepared = lint_outside_builds(root)
            .and_then(|()| run(cargo().current_dir(root).args(["test", "-p", "xtask"])))
            .and_then(|()| {
                run(with_clippy(&mut cargo(), &clippy).current_dir(root).args([
                    "test",
                    "--workspace",
                    "--exclude",
                    "xtask",
                    "--no-run",
                ]))
            })
            .and_then(|()| {
                run(with_clippy(&mut cargo(), &clippy).current_dir(root).args([
                    "test",
                    "-p",
                    "app",
                    "--features",
                    "hydrate",
                    "--lib",
                    "--no-run",
                ]))
            })
            .and_then(|()| run(bins_build(&mut cargo(), &clippy).current_dir(root)));
        let built = site
            .join()
            .unwrap_or_else(|_| Err("the site build panicked".into()));
        (prepared, built)
    });
    prepared?;
    built?;
    phase("lint, site and test builds");
    let docs = Background::docs(root)?;
    let fuzz_build = Background::fuzz_build(root)?;
    let pg = postgres::ensure(false)?;
    let node_modules = root.join("end2end/node_modules");
    // Unit and integration tests (the interop test drives the npm automerge-repo client).
    run(with_clippy(&mut cargo(), &clippy)
        .current_dir(root)
        .env("TEST_DATABASE_URL", &pg.url)
        .env("SAHA_NODE_MODULES", &node_modules)
        .env("SAHA_PY_TOOLS", &py_tools)
        .env("SAHA_SITE_ROOT", target_dir(root).join("site"))
        // The REST API fuzzer, briefly: `cargo xtask fuzz-api` runs it for 15 minutes.
        .env("SAHA_FUZZ_SECONDS", "30")
        .args([
            "test",
            "--workspace",
            "--exclude",
            "xtask",
            "--no-fail-fast",
        ]))?;
    phase("workspace tests");
    // The browser app's own unit tests (screens, formats, navigation): compiled with
    // the `hydrate` feature for this machine; they do not call into JavaScript.
    run(with_clippy(&mut cargo(), &clippy).current_dir(root).args([
        "test",
        "-p",
        "app",
        "--features",
        "hydrate",
        "--lib",
    ]))?;
    phase("app tests");
    // The server's integration tests again, every server on PostgreSQL.
    run(with_clippy(&mut cargo(), &clippy)
        .current_dir(root)
        .env("TEST_DATABASE_URL", &pg.url)
        .env("SAHA_TEST_STORAGE", "postgres")
        .env("SAHA_NODE_MODULES", &node_modules)
        .env("SAHA_PY_TOOLS", &py_tools)
        // The fuzzer ran against the embedded storage above; once more, shorter.
        .env("SAHA_FUZZ_SECONDS", "20")
        .env("SAHA_SITE_ROOT", target_dir(root).join("site"))
        .args(["test", "-p", "server", "--tests"]))?;
    phase("server tests on PostgreSQL");
    // Built above; run again so that these binaries, not the tests', are in place.
    run(bins_build(&mut cargo(), &clippy).current_dir(root))?;
    let debug = target_dir(root).join("debug");
    // End-to-end tests in the browser.
    run(Command::new("node")
        .current_dir(root.join("end2end"))
        .env("SAHA_SERVER_BIN", debug.join("saha-server"))
        .env("SAHA_BENCH_BIN", debug.join("saha-bench"))
        .env("SAHA_SITE_ROOT", target_dir(root).join("site"))
        .env("TEST_DATABASE_URL", &pg.url)
        .args(["--test", "--test-concurrency=1", "tests/"]))?;
    phase("end-to-end tests");
    // The crash storm, small: every change the server acknowledged survives SIGKILLs.
    torture::crash_storms(root, &debug, true, &pg.url)?;
    phase("crash storm");
    // The soak, two minutes on both backends at once (`cargo xtask soak` runs an hour).
    torture::soaks(root, &debug, true, &pg.url)?;
    phase("soak");
    // The benchmark harness on a small workload, so that it cannot rot.
    bench::smoke(root, &debug)?;
    phase("bench smoke");
    // The fuzz targets, a few seconds each (`cargo xtask fuzz` runs them long).
    fuzz_build.finish()?;
    fuzz::run_targets(root, &fuzz::TARGETS, Some(fuzz::QUICK_SECONDS))?;
    phase("fuzz targets");
    docs.finish()?;
    phase("rustdoc (what was left of it)");
    for (name, seconds) in &phases {
        eprintln!("xtask: {name}: {seconds:.0} s");
    }
    eprintln!(
        "xtask: all tests passed in {:.0} s",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// The REST API's conformance test with a long fuzzing budget (default 15 minutes),
/// against the embedded storage.
fn cmd_fuzz_api(root: &Path, args: &[String]) -> Result<()> {
    let seconds = args.first().map_or("900", String::as_str);
    let py_tools = tools::ensure_py_tools(root)?;
    run(cargo()
        .current_dir(root)
        .env("SAHA_PY_TOOLS", &py_tools)
        .env("SAHA_FUZZ_SECONDS", seconds)
        .env("SAHA_FUZZ_EXAMPLES", "200")
        .args(["test", "-p", "server", "--test", "openapi_conformance"]))
}

fn cmd_lint(root: &Path) -> Result<()> {
    let wasm = tools::ensure_wasm_toolchain()?;
    lint(root, &wasm)
}

/// `cmd` with clippy run by rustc itself on the workspace's crates, warnings as errors:
/// `clippy-driver` as cargo's workspace wrapper, as `cargo clippy` sets it up, but in a
/// build that also produces code. The test command compiles every crate once this way
/// instead of checking them all a second time for the lint: on a clean checkout the
/// separate `cargo clippy` passes (native, and the browser app for wasm32) cost minutes
/// of CI's 40. Every cargo command of the test command that builds the workspace goes
/// through here, so that none rebuilds what another built (the wrapper is part of the
/// artifacts' hash). The browser app is linted natively with its `hydrate` feature (its
/// unit tests' build): none of its code depends on the target.
fn with_clippy<'a>(cmd: &'a mut Command, clippy_driver: &Path) -> &'a mut Command {
    cmd.env("RUSTC_WORKSPACE_WRAPPER", clippy_driver).env(
        "CLIPPY_ARGS",
        "-D__CLIPPY_HACKERY__warnings__CLIPPY_HACKERY__",
    )
}

/// The server and bench binaries the end-to-end tests and the crash storm run (their
/// dependencies' features differ from the test build's, so they are built apart).
fn bins_build<'a>(cmd: &'a mut Command, clippy_driver: &Path) -> &'a mut Command {
    with_clippy(cmd, clippy_driver).args(["build", "-p", "server", "-p", "saha-bench", "--bins"])
}

/// The test command's lint beside the builds [`with_clippy`] lints: rustfmt and the
/// import-cycle check (rustdoc and clippy of `xtask`: [`Background::docs`]).
fn lint_outside_builds(root: &Path) -> Result<()> {
    run(cargo().current_dir(root).args(["fmt", "--all", "--check"]))?;
    cycles::check(root)
}

/// A build started in the background at the lowest CPU priority, in a target
/// directory of its own (so that it never waits for the tests' cargo lock), with its
/// output in a log; run beside the tests it takes only the cycles they leave idle.
/// [`Background::finish`] waits for it and fails with its output.
///
/// Two run so: rustdoc with warnings as errors and clippy of `xtask` (not among the
/// tested crates), which need every dependency checked natively — nothing else in the
/// test command does that, and run first it held up every test on CI's two cores — and
/// the build of the fuzz targets ([`fuzz`]), whose instrumented release build of the
/// shared crates is another.
struct Background {
    name: &'static str,
    child: std::process::Child,
    log: PathBuf,
}

impl Background {
    /// rustdoc and clippy of xtask, in `doc-check/`.
    fn docs(root: &Path) -> Result<Background> {
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        // `$0` is cargo; the clippy of xtask shares the dependency check with rustdoc.
        let script = format!(
            "\"$0\" clippy -p xtask --all-targets -- -D warnings && \"$0\" {}",
            RUSTDOC_ARGS.join(" ")
        );
        let mut cmd = Command::new("nice");
        cmd.args(["-n", "19", "sh", "-c", &script])
            .arg(cargo)
            .env("CARGO_TARGET_DIR", target_dir(root).join("doc-check"))
            .env("RUSTDOCFLAGS", "-D warnings");
        Background::start(root, "rustdoc and clippy of xtask", "doc-check.log", cmd)
    }

    /// The fuzz targets' build (`cargo xtask fuzz --build-only`).
    fn fuzz_build(root: &Path) -> Result<Background> {
        let xtask = std::env::current_exe().map_err(|e| format!("this program's path: {e}"))?;
        let mut cmd = Command::new("nice");
        cmd.args(["-n", "19"])
            .arg(xtask)
            .args(["fuzz", "--build-only"]);
        Background::start(root, "the fuzz targets' build", "fuzz-build.log", cmd)
    }

    fn start(
        root: &Path,
        name: &'static str,
        log_name: &str,
        mut cmd: Command,
    ) -> Result<Background> {
        let log = target_dir(root).join(log_name);
        if let Some(dir) = log.parent() {
            std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        }
        let out = std::fs::File::create(&log).map_err(|e| format!("{}: {e}", log.display()))?;
        let err = out
            .try_clone()
            .map_err(|e| format!("{}: {e}", log.display()))?;
        cmd.current_dir(root).stdout(out).stderr(err);
        eprintln!(
            "xtask: $ {} (in the background; output in {})",
            describe(&cmd),
            log.display()
        );
        let child = cmd
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", describe(&cmd)))?;
        Ok(Background { name, child, log })
    }

    fn finish(mut self) -> Result<()> {
        let status = self
            .child
            .wait()
            .map_err(|e| format!("waiting for {}: {e}", self.name))?;
        if status.success() {
            eprintln!("xtask: {} passed", self.name);
            return Ok(());
        }
        let output = std::fs::read_to_string(&self.log).unwrap_or_default();
        eprintln!("{output}");
        Err(format!("{} failed with {status} (output above)", self.name))
    }
}

impl Drop for Background {
    fn drop(&mut self) {
        // A test failed first: the background build is not waited for.
        if matches!(self.child.try_wait(), Ok(None)) {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// `cargo doc` for the whole workspace, private items included.
const RUSTDOC_ARGS: [&str; 4] = [
    "doc",
    "--workspace",
    "--no-deps",
    "--document-private-items",
];

/// The docs, with broken intra-doc links and other rustdoc warnings as errors.
fn rustdoc(root: &Path) -> Result<()> {
    run(cargo()
        .current_dir(root)
        .env("RUSTDOCFLAGS", "-D warnings")
        .args(RUSTDOC_ARGS))
}

/// rustfmt, clippy (native and wasm) and rustdoc with warnings as errors, and the
/// import-cycle check.
fn lint(root: &Path, wasm: &tools::WasmToolchain) -> Result<()> {
    run(cargo().current_dir(root).args(["fmt", "--all", "--check"]))?;
    run(cargo().current_dir(root).args([
        "clippy",
        "--workspace",
        "--all-targets",
        "--",
        "-D",
        "warnings",
    ]))?;
    // The browser app (`hydrate`) is linted for wasm32 only: none of its code depends on
    // the target, so a native pass linted the same code again, and cost a clean checkout
    // almost two minutes of checking its dependencies natively.
    run(wasm.cargo(root, "clippy").args([
        "-p",
        "app",
        "--lib",
        "--features",
        "hydrate",
        "--",
        "-D",
        "warnings",
    ]))?;
    rustdoc(root)?;
    cycles::check(root)
}
