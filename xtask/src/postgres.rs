//! The PostgreSQL the tests run against: `TEST_DATABASE_URL` or `DATABASE_URL` when
//! given, otherwise a throwaway cluster started here (Debian's `postgresql` package is
//! installed if missing) and removed when the tests end. Tests that need PostgreSQL
//! never skip: without one they fail.

use std::path::PathBuf;
use std::process::Command;

use crate::{Result, run, tools};

/// A database server for the tests; a cluster started here stops when this drops.
pub struct TestPostgres {
    pub url: String,
    cluster: Option<Cluster>,
}

struct Cluster {
    bin: PathBuf,
    dir: PathBuf,
    as_postgres_user: bool,
}

/// The newest `…/postgresql/<version>/bin` with `initdb`.
fn postgres_bin() -> Option<PathBuf> {
    let mut found: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let version = e.file_name().to_str()?.parse::<u32>().ok()?;
            let bin = e.path().join("bin");
            bin.join("initdb").exists().then_some((version, bin))
        })
        .collect();
    found.sort();
    found.pop().map(|(_, bin)| bin)
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .ok()
        .is_some_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

fn free_port() -> Result<u16> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
    Ok(listener.local_addr().map_err(|e| e.to_string())?.port())
}

impl Cluster {
    /// `program` from the cluster's binaries, as the `postgres` user when running as
    /// root (PostgreSQL refuses to run as root).
    fn command(&self, program: &str) -> Command {
        let path = self.bin.join(program);
        if self.as_postgres_user {
            let mut cmd = Command::new("runuser");
            cmd.args(["-u", "postgres", "--"]).arg(path);
            cmd
        } else {
            Command::new(path)
        }
    }
}

/// With `durable`, the throwaway cluster keeps `fsync` on (benchmarks); tests run
/// with it off.
pub fn ensure(durable: bool) -> Result<TestPostgres> {
    for var in ["TEST_DATABASE_URL", "DATABASE_URL"] {
        if let Ok(url) = std::env::var(var)
            && !url.is_empty()
        {
            eprintln!("xtask: PostgreSQL tests use {var}");
            return Ok(TestPostgres { url, cluster: None });
        }
    }
    let bin = match postgres_bin() {
        Some(bin) => bin,
        None => {
            tools::apt_install(&["postgresql"])?;
            postgres_bin().ok_or("Debian's postgresql installed no initdb")?
        }
    };
    let as_postgres_user = is_root();
    // One directory per cluster (the test command's and the benchmark smoke run's).
    static STARTED: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = STARTED.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!("saha-test-pg-{}-{n}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    if as_postgres_user {
        run(Command::new("chown").arg("postgres:").arg(&dir))?;
    }
    let cluster = Cluster {
        bin,
        dir: dir.clone(),
        as_postgres_user,
    };
    let data = dir.join("data");
    run(cluster
        .command("initdb")
        .args(["-D"])
        .arg(&data)
        .args(["-U", "saha", "--auth=trust", "-E", "UTF8", "--no-sync"])
        .stdout(std::process::Stdio::null()))?;
    let port = free_port()?;
    let options = format!(
        "-p {port} -k {} -c listen_addresses=127.0.0.1 -c fsync={} -c max_connections=300",
        dir.display(),
        if durable { "on" } else { "off" }
    );
    run(cluster
        .command("pg_ctl")
        .arg("-D")
        .arg(&data)
        .args(["-o", &options, "-l"])
        .arg(dir.join("server.log"))
        .args(["-w", "start"])
        .stdout(std::process::Stdio::null()))?;
    eprintln!("xtask: throwaway PostgreSQL on 127.0.0.1:{port}");
    Ok(TestPostgres {
        url: format!("postgres://saha@127.0.0.1:{port}/postgres"),
        cluster: Some(cluster),
    })
}

impl Drop for TestPostgres {
    fn drop(&mut self) {
        if let Some(cluster) = &self.cluster {
            let _ = cluster
                .command("pg_ctl")
                .arg("-D")
                .arg(cluster.dir.join("data"))
                .args(["-m", "immediate", "stop"])
                .stdout(std::process::Stdio::null())
                .status();
            let _ = std::fs::remove_dir_all(&cluster.dir);
        }
    }
}
