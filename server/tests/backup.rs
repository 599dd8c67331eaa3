//! Whole-workspace backup and restore: an owner's download restores into an empty
//! server, a backup of the restored workspace is byte-for-byte the one it came from,
//! the records read and sync again, and a damaged or colliding file writes nothing.

mod common;

use std::io::{Read, Write};
use std::path::Path;
use std::process::Stdio;

use common::*;
use saha_core::DocumentId;

/// Runs `saha-server admin …` on `dir`, with `stdin` as its standard input.
async fn admin(dir: &Path, args: &[&str], stdin: &str) -> (bool, String) {
    let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_saha-server"))
        .arg("admin")
        .args(args)
        .arg("--data-dir")
        .arg(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("runs");
    {
        use tokio::io::AsyncWriteExt;
        let mut input = child.stdin.take().unwrap();
        input.write_all(stdin.as_bytes()).await.unwrap();
    }
    let output = child.wait_with_output().await.unwrap();
    (
        output.status.success(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ),
    )
}

fn gunzip(bytes: &[u8]) -> String {
    let mut text = String::new();
    flate2::read::MultiGzDecoder::new(bytes)
        .read_to_string(&mut text)
        .unwrap();
    text
}

fn gzip(text: &str) -> Vec<u8> {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(text.as_bytes()).unwrap();
    gz.finish().unwrap()
}

#[tokio::test]
async fn a_backup_restores_into_an_empty_server_and_backs_up_identically() {
    let origin_dir = tempfile::tempdir().unwrap();
    let origin = start_embedded(origin_dir.path()).await;
    let team = origin.team("Ege Bölgesi").await;
    let rep = origin
        .member("temsilci@anadolu.test", "sales_rep", &[&team])
        .await;

    // Records with some history, from two devices.
    let mut office = connect(&origin, "office").await;
    let ids: Vec<DocumentId> = (0..3).map(|_| DocumentId::random()).collect();
    for (i, id) in ids.iter().enumerate() {
        office
            .docs
            .insert(*id, account(&format!("Şişli Çiçekçilik {i}"), &team));
        office.push(*id).await.unwrap();
    }
    edit(office.docs.get_mut(&ids[0]).unwrap(), |f| {
        f.set("notes", "İlk görüşme: ğüşıöç");
    });
    office.push(ids[0]).await.unwrap();
    let mut field = connect_as(&rep, "field").await;
    field.fetch(ids[1]).await.unwrap();
    edit(field.docs.get_mut(&ids[1]).unwrap(), |f| {
        f.set("phone", "0532 111 22 33");
    });
    field.push(ids[1]).await.unwrap();
    let (status, body) = rep
        .post(
            "/api/document-numbers",
            &serde_json::json!({ "year": 2026, "series": "invoice" }),
        )
        .await
        .unwrap();
    assert!(status.is_success(), "{status} {body}");

    // Only the owner may take the whole workspace.
    let (status, _) = rep.get_bytes("/api/workspace/backup").await.unwrap();
    assert_eq!(status, 403);
    let (status, backup) = origin
        .owner
        .get_bytes("/api/workspace/backup")
        .await
        .unwrap();
    assert_eq!(status, 200);
    let text = gunzip(&backup);
    assert!(!text.contains("argon2"), "no password hash in a backup");
    assert!(text.starts_with(r#"{"header":{"format":"saha-backup","version":1"#));
    assert!(text.contains(r#""member":{"#) && text.contains("temsilci@anadolu.test"));
    assert!(text.lines().last().unwrap().starts_with(r#"{"end":{"#));
    // The download is audited (after the backup read the log).
    let (_, log) = origin.owner.get("/api/audit").await.unwrap();
    assert!(log.to_string().contains("workspace.backed_up"), "{log}");
    drop((office, field));
    origin.shutdown().await.unwrap();

    let file_dir = tempfile::tempdir().unwrap();
    let file = file_dir.path().join("yedek.jsonl.gz");
    std::fs::write(&file, &backup).unwrap();
    let file_arg = file.to_str().unwrap();

    // A damaged file is refused with its reason, and writes nothing.
    let target_dir = tempfile::tempdir().unwrap();
    let target = target_dir.path();
    let cut = file_dir.path().join("kesik.jsonl.gz");
    let lines: Vec<&str> = text.lines().collect();
    std::fs::write(&cut, gzip(&(lines[..lines.len() - 1].join("\n") + "\n"))).unwrap();
    let (ok, out) = admin(
        target,
        &["restore", "--password-stdin", cut.to_str().unwrap()],
        &format!("{PASSWORD}\n"),
    )
    .await;
    assert!(
        !ok && out.contains("cut off") && out.contains("nothing was restored"),
        "{out}"
    );
    let bad_doc = file_dir.path().join("bozuk.jsonl.gz");
    let doc_line = lines
        .iter()
        .position(|l| l.starts_with(r#"{"document""#))
        .unwrap();
    let mut damaged: Vec<String> = lines.iter().map(|l| (*l).to_owned()).collect();
    damaged[doc_line] = damaged[doc_line].replace(r#""automerge":""#, r#""automerge":"AAAA"#);
    std::fs::write(&bad_doc, gzip(&(damaged.join("\n") + "\n"))).unwrap();
    let (ok, out) = admin(
        target,
        &["restore", "--password-stdin", bad_doc.to_str().unwrap()],
        &format!("{PASSWORD}\n"),
    )
    .await;
    assert!(
        !ok && out.contains(&format!("line {}", doc_line + 1)),
        "{out}"
    );
    let (ok, out) = admin(target, &["backup", "--out", "/dev/null"], "").await;
    assert!(
        !ok && out.contains("0 workspaces"),
        "nothing was written: {out}"
    );

    // The real file restores; a backup of the result is the same bytes.
    let (ok, out) = admin(
        target,
        &["restore", "--password-stdin", file_arg],
        &format!("{PASSWORD}\n"),
    )
    .await;
    assert!(ok, "{out}");
    assert!(
        out.contains(OWNER_EMAIL) && out.contains("temsilci@anadolu.test"),
        "the owner signs in, the rep needs a password: {out}"
    );
    let again = file_dir.path().join("yeniden.jsonl.gz");
    let (ok, out) = admin(target, &["backup", "--out", again.to_str().unwrap()], "").await;
    assert!(ok, "{out}");
    assert!(
        std::fs::read(&again).unwrap() == backup,
        "backup → restore → backup gives the same bytes"
    );
    // Restoring the same workspace twice is refused.
    let (ok, out) = admin(
        target,
        &["restore", "--password-stdin", file_arg],
        &format!("{PASSWORD}\n"),
    )
    .await;
    assert!(!ok && out.contains("exists"), "{out}");
    let (ok, out) = admin(
        target,
        &[
            "set-password",
            "--email",
            "temsilci@anadolu.test",
            "--password-stdin",
        ],
        &format!("{PASSWORD}\n"),
    )
    .await;
    assert!(ok, "{out}");

    // The restored server: the owner signs in (with the password given at restore),
    // the records list and sync, history included, and the counter goes on.
    let restored = start_embedded(target).await;
    let (status, page) = restored.owner.get("/api/v1/accounts").await.unwrap();
    assert_eq!(status, 200, "{page}");
    assert_eq!(page["data"].as_array().unwrap().len(), 3, "{page}");
    let rep = ApiClient::login(&restored.http(), "temsilci@anadolu.test", PASSWORD)
        .await
        .expect("the rep signs in after set-password");
    let mut field = connect_as(&rep, "field-again").await;
    let doc = field.fetch(ids[1]).await.unwrap().clone();
    assert_eq!(read_account(&doc).unwrap().fields.phone, "+905321112233");
    let doc = field.fetch(ids[0]).await.unwrap().clone();
    assert!(read_account(&doc).unwrap().common.notes.contains("ğüşıöç"));
    assert!(
        doc.get_changes(&[]).len() >= 2,
        "the document keeps its history"
    );
    let (_, body) = rep
        .post(
            "/api/document-numbers",
            &serde_json::json!({ "year": 2026, "series": "invoice" }),
        )
        .await
        .unwrap();
    assert!(
        body["first"].as_u64().unwrap() > 1,
        "numbers go on after the restored counter: {body}"
    );
    drop(field);
    restored.shutdown().await.unwrap();
}

/// A push the server confirmed: the record and its heads then.
type Acknowledged = (DocumentId, Vec<automerge::ChangeHash>);

/// PostgreSQL's own tools: `pg_dump` of a live Saha database taken while a member goes
/// on writing, `pg_restore` into a new database, and a server started on that database
/// (with an empty local data directory) holds every change acknowledged before the dump
/// began, and serves the same members.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pg_dump_taken_during_writes_restores_every_change_acknowledged_before_it() {
    use automerge::ReadDoc;
    use std::sync::{Arc, Mutex};
    let source = fresh_database().await;
    let dir = tempfile::tempdir().unwrap();
    let server = start_on_postgres(&source, dir.path()).await;
    let mut writer = connect(&server, "writer").await;
    let ids: Vec<DocumentId> = (0..8).map(|_| DocumentId::random()).collect();
    for (n, id) in ids.iter().enumerate() {
        writer.docs.insert(*id, account(&format!("Döküm {n}"), ""));
    }
    writer.push_all(&ids).await.unwrap();
    // Every acknowledged push: the record and its heads once the server confirmed them.
    let acknowledged: Arc<Mutex<Vec<Acknowledged>>> = Arc::default();
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let writing = {
        let (ids, acknowledged, stop) = (ids.clone(), acknowledged.clone(), stop.clone());
        tokio::spawn(async move {
            let mut n = 0;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                let id = ids[n % ids.len()];
                n += 1;
                edit(writer.docs.get_mut(&id).unwrap(), |f| {
                    f.set("notes", format!("değişiklik {n}"))
                });
                writer.push(id).await.unwrap();
                let heads = writer.docs[&id].get_heads();
                acknowledged.lock().unwrap().push((id, heads));
            }
            n
        })
    };
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    let before: Vec<Acknowledged> = acknowledged.lock().unwrap().clone();
    let dump = dir.path().join("saha.dump");
    let dumped = tokio::process::Command::new("pg_dump")
        .args(["--format=custom", "--file"])
        .arg(&dump)
        .arg(&source)
        .status()
        .await
        .expect("pg_dump runs");
    assert!(dumped.success());
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let edits = writing.await.unwrap();
    server.shutdown().await.unwrap();

    let target = fresh_database().await;
    let restored = tokio::process::Command::new("pg_restore")
        .args(["--no-owner", "--exit-on-error", "--dbname"])
        .arg(&target)
        .arg(&dump)
        .status()
        .await
        .expect("pg_restore runs");
    assert!(restored.success());
    let elsewhere = tempfile::tempdir().unwrap();
    let server = start_on_postgres(&target, elsewhere.path()).await;
    let mut reader = connect(&server, "reader").await;
    reader.fetch_all(&ids).await.unwrap();
    let missing = before
        .iter()
        .filter(|(id, heads)| {
            heads
                .iter()
                .any(|h| reader.docs[id].get_change_by_hash(h).is_none())
        })
        .count();
    eprintln!(
        "pg_dump drill: {edits} edits, {} acknowledged before the dump began, {missing} \
         missing after pg_restore",
        before.len()
    );
    assert!(
        !before.is_empty(),
        "the writer had pushed nothing before the dump"
    );
    assert_eq!(
        missing, 0,
        "changes acknowledged before pg_dump began are missing"
    );
    server.shutdown().await.unwrap();
}
