//! Installing what the commands need, idempotently: each check is cheap and each
//! install happens only when its check fails.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Once;

use crate::{Result, run};

pub const WASM_TARGET: &str = "wasm32-unknown-unknown";

/// How to build for wasm32 on this machine.
pub enum WasmToolchain {
    /// rustup has the wasm32 target for the default toolchain.
    Rustup,
    /// Debian's `rustc-web` toolchain in /usr/bin, building std from source.
    Debian,
}

impl WasmToolchain {
    /// Each toolchain has its own target directory: switching never throws away the
    /// other's cache, nor the native build's.
    pub fn target_dir(&self, root: &Path) -> PathBuf {
        crate::target_dir(root).join(match self {
            WasmToolchain::Rustup => "wasm",
            WasmToolchain::Debian => "wasm-debian",
        })
    }

    /// A cargo command for the wasm32 build, with its own target directory so the
    /// native build's cache is never thrown away.
    pub fn cargo(&self, root: &Path, subcommand: &str) -> Command {
        let target_dir = self.target_dir(root);
        match self {
            WasmToolchain::Rustup => {
                let mut cmd =
                    Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
                cmd.current_dir(root)
                    .env("CARGO_TARGET_DIR", target_dir)
                    .args([subcommand, "--target", WASM_TARGET]);
                cmd
            }
            WasmToolchain::Debian => {
                let path = format!("/usr/bin:{}", std::env::var("PATH").unwrap_or_default());
                let mut cmd = Command::new("/usr/bin/cargo");
                cmd.current_dir(root)
                    .env("PATH", path)
                    .env("RUSTC_BOOTSTRAP", "1")
                    .env("CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER", "wasm-ld-19")
                    .env("CARGO_TARGET_DIR", target_dir)
                    .env_remove("RUSTC")
                    .env_remove("RUSTUP_TOOLCHAIN")
                    .env_remove("CARGO")
                    .args([
                        subcommand,
                        "--target",
                        WASM_TARGET,
                        "-Zbuild-std=std,panic_abort",
                    ]);
                cmd
            }
        }
    }
}

fn succeeds(cmd: &mut Command) -> bool {
    cmd.stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

fn output(cmd: &mut Command) -> Option<String> {
    let out = cmd.output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

fn dpkg_installed(package: &str) -> bool {
    output(Command::new("dpkg-query").args(["-W", "-f=${Status}", package]))
        .is_some_and(|s| s.contains("install ok installed"))
}

/// Installs Debian packages that are missing (running `apt-get update` once first).
pub fn apt_install(packages: &[&str]) -> Result<()> {
    let missing: Vec<&str> = packages
        .iter()
        .copied()
        .filter(|p| !dpkg_installed(p))
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    static UPDATE: Once = Once::new();
    let sudo = output(Command::new("id").arg("-u")).is_none_or(|u| u.trim() != "0");
    let apt = |args: &[&str]| {
        let mut cmd = if sudo {
            let mut c = Command::new("sudo");
            c.arg("apt-get");
            c
        } else {
            Command::new("apt-get")
        };
        cmd.env("DEBIAN_FRONTEND", "noninteractive").args(args);
        cmd
    };
    let mut update_result = Ok(());
    UPDATE.call_once(|| update_result = run(&mut apt(&["update", "-qq"])));
    update_result?;
    let mut args = vec!["install", "-y", "-qq"];
    args.extend(&missing);
    run(&mut apt(&args))
}

/// The `clippy-driver` of the toolchain that runs cargo (beside its `rustc`), installing
/// rustup's clippy component if it is missing.
pub fn clippy_driver() -> Result<PathBuf> {
    let sysroot = || {
        output(Command::new("rustc").args(["--print", "sysroot"]))
            .map(|s| PathBuf::from(s.trim()).join("bin/clippy-driver"))
            .filter(|p| p.is_file())
    };
    if let Some(path) = sysroot() {
        return Ok(path);
    }
    run(Command::new("rustup").args(["component", "add", "clippy"]))?;
    sysroot().ok_or_else(|| "no clippy-driver beside rustc (rustup component add clippy)".into())
}

/// Picks the wasm32 toolchain: rustup's target where it is (or can be) installed, else
/// Debian's. `SAHA_WASM_TOOLCHAIN=debian` (or `rustup`) forces one.
pub fn ensure_wasm_toolchain() -> Result<WasmToolchain> {
    match std::env::var("SAHA_WASM_TOOLCHAIN").as_deref() {
        Ok("debian") => {
            apt_install(&["rustc-web", "cargo-web", "rust-web-src", "lld-19"])?;
            return Ok(WasmToolchain::Debian);
        }
        Ok("rustup") => {
            run(Command::new("rustup").args(["target", "add", WASM_TARGET]))?;
            return Ok(WasmToolchain::Rustup);
        }
        _ => {}
    }
    let installed = output(Command::new("rustup").args(["target", "list", "--installed"]));
    if installed.is_some_and(|t| t.lines().any(|l| l.trim() == WASM_TARGET)) {
        return Ok(WasmToolchain::Rustup);
    }
    if succeeds(Command::new("rustup").args(["target", "add", WASM_TARGET])) {
        return Ok(WasmToolchain::Rustup);
    }
    eprintln!("xtask: rustup cannot add {WASM_TARGET}; using Debian's rustc-web toolchain");
    apt_install(&["rustc-web", "cargo-web", "rust-web-src", "lld-19"])?;
    Ok(WasmToolchain::Debian)
}

/// The `wasm-bindgen` version pinned in Cargo.lock.
pub fn locked_wasm_bindgen_version(root: &Path) -> Result<String> {
    let lock = std::fs::read_to_string(root.join("Cargo.lock"))
        .map_err(|e| format!("cannot read Cargo.lock: {e}"))?;
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line.trim() == "name = \"wasm-bindgen\""
            && let Some(version) = lines
                .next()
                .and_then(|l| l.trim().strip_prefix("version = "))
        {
            return Ok(version.trim_matches('"').to_owned());
        }
    }
    Err("wasm-bindgen is not in Cargo.lock".into())
}

pub fn cargo_bin_dir() -> PathBuf {
    std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))
        .unwrap_or_else(|| PathBuf::from(".cargo"))
        .join("bin")
}

/// Path of a `wasm-bindgen` matching Cargo.lock, installing it if needed.
pub fn ensure_wasm_bindgen(root: &Path) -> Result<PathBuf> {
    let version = locked_wasm_bindgen_version(root)?;
    let bin = cargo_bin_dir().join("wasm-bindgen");
    let current = output(Command::new(&bin).arg("--version")).unwrap_or_default();
    if current.split_whitespace().nth(1) == Some(version.as_str()) {
        return Ok(bin);
    }
    run(
        Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into())).args([
            "install",
            "wasm-bindgen-cli",
            "--version",
            &format!("={version}"),
        ]),
    )?;
    Ok(bin)
}

/// Installs the npm packages of `end2end/` when its lockfile changed since the last
/// install. (`npm install`, not `npm ci`: npm's lockfile omits cbor-extract's optional
/// per-platform packages and `npm ci` then refuses it; `install` keeps the locked versions.)
pub fn ensure_npm_packages(root: &Path) -> Result<()> {
    let dir = root.join("end2end");
    let lock = std::fs::read(dir.join("package-lock.json"))
        .map_err(|e| format!("cannot read end2end/package-lock.json: {e}"))?;
    let stamp = dir.join("node_modules/.saha-lock");
    if std::fs::read(&stamp).ok().as_deref() == Some(lock.as_slice()) {
        return Ok(());
    }
    if !succeeds(Command::new("npm").arg("--version")) {
        apt_install(&["nodejs", "npm"])?;
    }
    run(Command::new("npm").current_dir(&dir).args([
        "install",
        "--no-audit",
        "--no-fund",
        "--loglevel=error",
    ]))?;
    std::fs::write(&stamp, lock).map_err(|e| format!("cannot write {}: {e}", stamp.display()))
}

/// The PyPI tools the tests run, pinned: an independent OpenAPI validator and a
/// property-based API fuzzer (the REST API's conformance test), and a local S3 service
/// (the attachments' blob store on a bucket).
const PY_TOOLS: &[&str] = &[
    "openapi-spec-validator==0.9.0",
    "schemathesis==4.32.5",
    "moto[server]==5.1.18",
];

/// A virtual environment holding [`PY_TOOLS`] under the target directory; returns its
/// `bin` directory. Installed once per pin list.
pub fn ensure_py_tools(root: &Path) -> Result<PathBuf> {
    let venv = crate::target_dir(root).join("py-tools");
    let bin = venv.join("bin");
    let stamp = venv.join(".saha-pins");
    let pins = PY_TOOLS.join("\n");
    if std::fs::read_to_string(&stamp).ok().as_deref() == Some(pins.as_str())
        && bin.join("schemathesis").exists()
        && bin.join("moto_server").exists()
    {
        return Ok(bin);
    }
    if !succeeds(Command::new("python3").args(["-m", "venv", "--help"])) {
        apt_install(&["python3-venv"])?;
    }
    run(Command::new("python3").args(["-m", "venv"]).arg(&venv))?;
    run(Command::new(bin.join("pip"))
        .args(["install", "--quiet", "--disable-pip-version-check"])
        .args(PY_TOOLS))?;
    std::fs::write(&stamp, pins).map_err(|e| format!("cannot write {}: {e}", stamp.display()))?;
    Ok(bin)
}

pub fn wasm_opt(root: &Path) -> PathBuf {
    root.join("end2end/node_modules/.bin/wasm-opt")
}

pub fn ensure_chromium() -> Result<()> {
    if Path::new("/usr/bin/chromium").exists() {
        return Ok(());
    }
    apt_install(&["chromium"])
}
