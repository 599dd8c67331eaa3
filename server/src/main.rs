//! `saha-server`: the Saha CRM server binary.

use clap::Parser;
use saha_server::{Config, start};
use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .init();
    let config = Config::parse();
    let data_dir = config.data_dir.clone();
    let server = match start(config).await {
        Ok(server) => server,
        Err(e) => {
            eprintln!("saha-server: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    // Tests and scripts read this line to learn the port when listening on port 0.
    println!("saha-server listening on http://{}", server.addr);
    tracing::info!(addr = %server.addr, data_dir = %data_dir.display(), "serving");
    let result = tokio::select! {
        r = server.wait() => r,
        _ = tokio::signal::ctrl_c() => Ok(()),
    };
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("saha-server: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
