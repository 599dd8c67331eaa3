//! A stock JS automerge-repo client (the npm packages) and the Rust peer converge on
//! documents through the Saha server.

mod common;

use std::path::PathBuf;
use std::process::Stdio;

use common::{account, connect, pump_until, read_account, start};
use saha_core::DocumentId;

fn node_modules() -> PathBuf {
    std::env::var_os("SAHA_NODE_MODULES")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../end2end/node_modules")
        })
}

#[tokio::test]
async fn js_automerge_repo_and_rust_peer_converge() {
    let modules = node_modules();
    assert!(
        modules.join("@automerge/automerge-repo").exists(),
        "npm packages missing in {}: run `cargo xtask test`, which installs them",
        modules.display()
    );
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path()).await;
    let mut rust = connect(&server, "rust-peer").await;

    let id = DocumentId::random();
    rust.docs.insert(id, account("Ege Zeytinyağı", ""));
    rust.push(id).await.unwrap();

    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../end2end/interop/js-peer.mjs");
    let output = tokio::process::Command::new("node")
        .arg(&script)
        .arg(server.http())
        .arg(server.owner.cookie())
        .arg(id.url().to_string())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .output()
        .await
        .expect("node runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "js peer failed: {stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let report: serde_json::Value =
        serde_json::from_str(stdout.lines().last().unwrap_or_default()).expect("one JSON line");
    // The JS client read what the Rust peer wrote…
    assert_eq!(report["seenName"], "Ege Zeytinyağı");
    // …the Rust peer gets the JS client's edit by fan-out…
    assert!(
        pump_until(&mut rust, |p| read_account(&p.docs[&id]).unwrap().city
            == "Trabzon")
        .await
    );
    assert_eq!(
        read_account(&rust.docs[&id]).unwrap().name,
        "Ege Zeytinyağı"
    );
    // …and can fetch the document the JS client created.
    let created: saha_core::AutomergeUrl = report["createdUrl"].as_str().unwrap().parse().unwrap();
    let doc = rust.fetch(created.document_id()).await.unwrap();
    let account = read_account(doc).unwrap();
    assert_eq!(account.name, "Karadeniz Balıkçılık");
    assert_eq!(account.city, "Rize");
    // The JS client's meeting (its numbers stored as floats) is on the calendar feed.
    let meeting: saha_core::AutomergeUrl = report["meetingUrl"].as_str().unwrap().parse().unwrap();
    let body = common::sales_calendar(&server.owner).await;
    assert!(
        body.contains(&format!("UID:{}@saha\r\n", meeting.document_id())),
        "{body}"
    );
    assert!(body.contains("SUMMARY:Liman ziyareti\r\n"), "{body}");
    server.shutdown().await.unwrap();
}
