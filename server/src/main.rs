//! `saha-server`: the Saha CRM server binary.

use clap::Parser;
use saha_server::config::Command;
use saha_server::{Cli, start};
use tracing_subscriber::EnvFilter;

/// See `Cargo.toml`: the server allocates and frees document memory as it evicts.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Resolves on Ctrl+C or SIGTERM.
async fn stop_signal() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {}
        () = terminate => {}
    }
    tracing::info!("stopping");
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    let config = cli.config;
    if let Some(Command::Admin(command)) = cli.command {
        return match saha_server::admin::run(config, command).await {
            Ok(done) => {
                if !done.is_empty() {
                    println!("{done}");
                }
                std::process::ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("saha-server admin: {e}");
                std::process::ExitCode::FAILURE
            }
        };
    }
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
    let result = server.run_until(stop_signal()).await;
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("saha-server: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
