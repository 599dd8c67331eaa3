//! The OpenAPI document checked by tools that are not ours: PyPI's
//! `openapi-spec-validator` validates it, and `schemathesis` generates requests from it
//! against a live server — no answer may be a 5xx, and every answer must have a status,
//! content type and body the document declares. `cargo xtask test` installs both into a
//! virtual environment and names its `bin` directory in `SAHA_PY_TOOLS`.
//!
//! The fuzzer's budget is bounded (`SAHA_FUZZ_EXAMPLES` examples per operation, 8 by
//! default, and `SAHA_FUZZ_SECONDS`, 60 by default); `cargo xtask fuzz-api` runs it
//! longer.

mod common;

use std::path::PathBuf;
use std::process::Command;

use common::*;
use serde_json::json;

fn py_tool(name: &str) -> PathBuf {
    let dir = std::env::var_os("SAHA_PY_TOOLS")
        .map(PathBuf::from)
        .expect("set SAHA_PY_TOOLS to a directory with openapi-spec-validator and schemathesis (cargo xtask test does)");
    dir.join(name)
}

/// Runs `cmd` off the async workers; returns its status and what it printed.
async fn output(mut cmd: Command) -> (bool, String) {
    let out = tokio::task::spawn_blocking(move || cmd.output())
        .await
        .unwrap()
        .expect("the tool runs");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_document_validates_and_the_fuzzer_finds_no_failure() {
    // The server's warnings and errors (a 500's cause) show with a failure's output.
    let _ = tracing_subscriber::fmt()
        .with_env_filter("warn")
        .with_test_writer()
        .try_init();
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path()).await;
    let (status, token) = server
        .owner
        .post(
            "/api/api-tokens",
            &json!({ "name": "fuzzer", "scopes": ["*:write"] }),
        )
        .await
        .unwrap();
    assert_eq!(status, 201, "{token}");
    let secret = token["secret"].as_str().unwrap().to_owned();
    // Some records to read, change and delete.
    let client = reqwest::Client::new();
    for name in ["Deneme Bir", "Deneme İki"] {
        let response = client
            .post(format!("{}/api/v1/accounts", server.http()))
            .bearer_auth(&secret)
            .json(&json!({ "fields": { "name": name } }))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 201);
    }

    let document = client
        .get(format!("{}/api/v1/openapi.json", server.http()))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let file = dir.path().join("openapi.json");
    std::fs::write(&file, &document).unwrap();
    let mut validate = Command::new(py_tool("openapi-spec-validator"));
    validate.arg(&file);
    let (ok, text) = output(validate).await;
    assert!(ok, "openapi-spec-validator refused the document:\n{text}");

    let examples = std::env::var("SAHA_FUZZ_EXAMPLES").unwrap_or_else(|_| "8".into());
    let seconds = std::env::var("SAHA_FUZZ_SECONDS").unwrap_or_else(|_| "60".into());
    let mut fuzz = Command::new(py_tool("schemathesis"));
    fuzz.current_dir(dir.path())
        .env("SCHEMATHESIS_HOOKS", "")
        .args(["run", &format!("{}/api/v1/openapi.json", server.http())])
        .args(["--header", &format!("Authorization: Bearer {secret}")])
        .args([
            "--checks",
            "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance",
        ])
        .args(["--phases", "examples,coverage,fuzzing"])
        .args(["--max-examples", &examples, "--seed", "20261203"])
        // One worker: CPython 3.11's `ast.parse` is not safe across threads, and
        // Hypothesis parses lambdas while describing strategies ("AST constructor
        // recursion depth mismatch" with two workers).
        .args(["--workers", "1", "--max-time", &seconds])
        .args(["--generation-database", "none", "--no-color"]);
    let (ok, text) = output(fuzz).await;
    assert!(ok, "schemathesis found failures:\n{text}");
    server.shutdown().await.unwrap();
}
