//! Command-line and environment configuration of `saha-server`.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::Parser;

/// Saha CRM server: serves the offline-first app and syncs its Automerge documents.
#[derive(Debug, Clone, Parser)]
#[command(name = "saha-server", version)]
pub struct Config {
    /// Address to listen on. Port 0 picks a free port; the chosen address is printed.
    #[arg(long, env = "SAHA_LISTEN", default_value = "127.0.0.1:3000")]
    pub listen: SocketAddr,

    /// Directory of the embedded storage (one file, `saha.redb`, is kept there).
    #[arg(long, env = "SAHA_DATA_DIR", default_value = "./data")]
    pub data_dir: PathBuf,

    /// Directory with the built web assets (`pkg/`, `sw.js`, manifest, icons).
    #[arg(long, env = "SAHA_SITE_ROOT", default_value = "target/site")]
    pub site_root: PathBuf,

    /// Name given to the workspace when the storage is created.
    #[arg(long, env = "SAHA_WORKSPACE_NAME", default_value = "Saha")]
    pub workspace_name: String,

    /// Largest WebSocket message accepted, in bytes; a larger one closes that connection.
    #[arg(long, env = "SAHA_MAX_MESSAGE_BYTES", default_value_t = 64 * 1024 * 1024)]
    pub max_message_bytes: usize,

    /// Seconds between WebSocket pings; a peer that misses two is dropped.
    #[arg(long, env = "SAHA_PING_SECONDS", default_value_t = 20)]
    pub ping_seconds: u64,
}

impl Config {
    /// A configuration for tests: port 0, the given data and site directories.
    pub fn for_tests(data_dir: PathBuf, site_root: PathBuf) -> Config {
        Config {
            listen: "127.0.0.1:0".parse().expect("valid literal address"),
            data_dir,
            site_root,
            workspace_name: "Test".into(),
            max_message_bytes: 1024 * 1024,
            ping_seconds: 20,
        }
    }
}
