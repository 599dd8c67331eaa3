//! Assembling `target/site`: the WASM bundle (built, bound, optimised), the stylesheet,
//! the static files of `public/`, and the service worker stamped with a build version.

use std::collections::hash_map::DefaultHasher;
use std::hash::Hasher;
use std::path::Path;
use std::process::Command;

use crate::tools::{self, WasmToolchain};
use crate::{Result, run};

const OUTPUT_NAME: &str = "saha";
/// The features the wasm32 target enables by default in this Rust; wasm-opt must accept them.
const WASM_FEATURES: &[&str] = &[
    "--enable-bulk-memory",
    "--enable-nontrapping-float-to-int",
    "--enable-sign-ext",
    "--enable-mutable-globals",
    "--enable-reference-types",
    "--enable-multivalue",
];

fn io(what: &str, path: &Path) -> impl FnOnce(std::io::Error) -> String {
    let path = path.display().to_string();
    let what = what.to_owned();
    move |e| format!("cannot {what} {path}: {e}")
}

/// The most the compressed bundle may weigh (gzip -9), checked by `cargo xtask test`.
/// A ratchet, not the goal: the target is 1,000,000 B (issue 18; BENCHMARKS.md says
/// where the bytes are). Lower it whenever the bundle shrinks; raising it needs a reason
/// in BENCHMARKS.md.
pub const BUNDLE_GZIP_CEILING: u64 = 1_870_000;

/// Fails when the built bundle's compressed size is over [`BUNDLE_GZIP_CEILING`].
pub fn check_bundle_size(root: &Path) -> Result<()> {
    let gz = crate::target_dir(root).join(format!("site/pkg/{OUTPUT_NAME}_bg.wasm.gz"));
    let size = std::fs::metadata(&gz).map_err(io("stat", &gz))?.len();
    if size > BUNDLE_GZIP_CEILING {
        return Err(format!(
            "the WASM bundle is {size} B gzipped, over its ceiling of {BUNDLE_GZIP_CEILING} B \
             (xtask/src/site.rs)"
        ));
    }
    eprintln!("xtask: WASM bundle {size} B gzipped (ceiling {BUNDLE_GZIP_CEILING} B)");
    Ok(())
}

pub fn build(root: &Path, wasm: &WasmToolchain) -> Result<()> {
    let site = crate::target_dir(root).join("site");
    let pkg = site.join("pkg");
    std::fs::create_dir_all(&pkg).map_err(io("create", &pkg))?;

    run(wasm.cargo(root, "build").args([
        "-p",
        "app",
        "--lib",
        "--features",
        "hydrate",
        "--profile",
        "wasm-release",
    ]))?;
    let raw =
        crate::target_dir(root).join(format!("wasm/{}/wasm-release/app.wasm", tools::WASM_TARGET));
    let bound = pkg.join(format!("{OUTPUT_NAME}_bg.wasm"));
    let bindgen = tools::ensure_wasm_bindgen(root)?;
    // wasm-bindgen and wasm-opt take a minute or two; their output depends only on the
    // raw module, the tools and the flags, so an unchanged input skips them.
    let stamp_file = pkg.join(".inputs");
    let stamp = inputs_stamp(&raw, &bindgen, &tools::wasm_opt(root))?;
    let outputs_exist = [&bound, &pkg.join(format!("{OUTPUT_NAME}.js"))]
        .iter()
        .all(|f| f.exists());
    if outputs_exist && std::fs::read_to_string(&stamp_file).ok().as_deref() == Some(&stamp) {
        eprintln!("xtask: the WASM module is unchanged; wasm-bindgen and wasm-opt skipped");
    } else {
        // A build cut off halfway must not leave a stamp that vouches for it.
        let _ = std::fs::remove_file(&stamp_file);
        run(Command::new(&bindgen)
            .arg(&raw)
            .args([
                "--target",
                "web",
                "--no-typescript",
                "--out-name",
                OUTPUT_NAME,
                "--out-dir",
            ])
            .arg(&pkg))?;
        run(Command::new(tools::wasm_opt(root))
            .arg("-Oz")
            .args(WASM_FEATURES)
            .arg(&bound)
            .arg("-o")
            .arg(&bound))?;
        std::fs::write(&stamp_file, &stamp).map_err(io("write", &stamp_file))?;
    }

    let css = pkg.join(format!("{OUTPUT_NAME}.css"));
    std::fs::copy(root.join("style/main.css"), &css).map_err(io("copy", &css))?;
    copy_dir(&root.join("public"), &site)?;

    // The service worker's cache is named after a hash of everything it precaches, so a
    // new build installs a new worker and drops the old cache.
    let mut hasher = DefaultHasher::new();
    for file in [
        bound.clone(),
        pkg.join(format!("{OUTPUT_NAME}.js")),
        css.clone(),
        site.join("boot.js"),
        site.join("manifest.webmanifest"),
    ] {
        hasher.write(&std::fs::read(&file).map_err(io("read", &file))?);
    }
    let version = format!("{:016x}", hasher.finish());
    let sw_template = root.join("public/sw.js");
    let sw = std::fs::read_to_string(&sw_template).map_err(io("read", &sw_template))?;
    let sw_out = site.join("sw.js");
    std::fs::write(&sw_out, sw.replace("__SAHA_BUILD__", &version))
        .map_err(io("write", &sw_out))?;

    for file in [&bound, &pkg.join(format!("{OUTPUT_NAME}.js")), &css] {
        run(Command::new("gzip")
            .args(["-9", "-k", "-f", "-n"])
            .arg(file))?;
    }
    let raw_size = std::fs::metadata(&bound).map_err(io("stat", &bound))?.len();
    let gz = bound.with_extension("wasm.gz");
    let gz_size = std::fs::metadata(&gz).map_err(io("stat", &gz))?.len();
    eprintln!(
        "xtask: site built in {} (version {version}); wasm {raw_size} bytes, {gz_size} gzipped",
        site.display()
    );
    Ok(())
}

/// A fingerprint of what the bound and optimised module is made from: the raw module's
/// bytes, the two tools (path, size, modification time) and the wasm-opt flags.
fn inputs_stamp(raw: &Path, bindgen: &Path, wasm_opt: &Path) -> Result<String> {
    let mut hasher = DefaultHasher::new();
    hasher.write(&std::fs::read(raw).map_err(io("read", raw))?);
    for tool in [bindgen, wasm_opt] {
        hasher.write(tool.to_string_lossy().as_bytes());
        if let Ok(meta) = std::fs::metadata(tool) {
            hasher.write_u64(meta.len());
            if let Ok(modified) = meta.modified() {
                hasher.write(format!("{modified:?}").as_bytes());
            }
        }
    }
    for flag in WASM_FEATURES {
        hasher.write(flag.as_bytes());
    }
    Ok(format!("{:016x}\n", hasher.finish()))
}

fn copy_dir(from: &Path, to: &Path) -> Result<()> {
    for entry in std::fs::read_dir(from).map_err(io("read", from))? {
        let entry = entry.map_err(io("read", from))?;
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            std::fs::create_dir_all(&target).map_err(io("create", &target))?;
            copy_dir(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), &target).map_err(io("copy", &target))?;
        }
    }
    Ok(())
}
