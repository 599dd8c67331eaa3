//! Every kept fuzz input, replayed through its target's check without libFuzzer: the
//! seeds a run starts from (`seeds/<target>/`) and every input that ever failed
//! (`crashers/<target>/`), so that a fixed failure stays fixed.

use std::path::Path;

#[test]
fn every_kept_input_passes_its_target() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut replayed = 0;
    for (target, check) in saha_fuzz::TARGETS {
        for folder in ["seeds", "crashers"] {
            let dir = root.join(folder).join(target);
            let Ok(entries) = std::fs::read_dir(&dir) else {
                continue;
            };
            let mut files: Vec<_> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
            files.sort();
            for file in files {
                let bytes = std::fs::read(&file).expect("a kept input reads");
                eprintln!("{target}: {}", file.display());
                check(&bytes);
                replayed += 1;
            }
        }
    }
    // Every target has seeds: a run that found none would prove nothing.
    assert!(
        replayed >= saha_fuzz::TARGETS.len(),
        "{replayed} inputs replayed"
    );
}

#[test]
fn every_target_has_seeds_and_a_binary() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for (target, _) in saha_fuzz::TARGETS {
        let seeds = root.join("seeds").join(target);
        let count = std::fs::read_dir(&seeds).map_or(0, Iterator::count);
        assert!(count > 0, "no seeds in {}", seeds.display());
        assert!(
            root.join("fuzz_targets")
                .join(format!("{target}.rs"))
                .is_file(),
            "no fuzz_targets/{target}.rs"
        );
    }
}
