//! The sales records through a real server: quote lines edited on two replicas merge,
//! and blocks of document numbers never overlap, per series.

mod common;

use std::collections::HashSet;

use common::{connect, pump_until, start};
use saha_core::DocumentId;
use saha_core::record::form::Form;
use saha_core::record::{EditContext, create, read, write};
use saha_core::sales::document::{QUOTE, SalesDocument};
use saha_core::sales::numbering::{BLOCK_SIZE, NumberBlock, Series};
use serde_json::json;

fn line(description: &str, quantity: &str, price: &str) -> Form {
    Form::new()
        .with("description", description)
        .with("quantity", quantity)
        .with("unit_price", price)
        .with("vat", "20")
}

/// Edits the quote in `doc` with `change`, as a device would.
fn edit_quote(doc: &mut automerge::Automerge, change: impl FnOnce(&mut SalesDocument)) {
    let mut quote: SalesDocument = read(doc).unwrap();
    change(&mut quote);
    write(doc, &quote).unwrap();
}

#[tokio::test]
async fn quote_line_edits_from_two_replicas_merge_through_the_server() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path()).await;
    let mut office = connect(&server, "office").await;
    let mut field = connect(&server, "field").await;

    let ctx = EditContext::new("u1", 1);
    let mut quote = SalesDocument::new(QUOTE, &ctx);
    quote.account = DocumentId::random().to_string();
    quote.set_line("a", &line("Bakım", "1", "1000")).unwrap();
    quote
        .set_line("b", &line("Yedek parça", "2", "250"))
        .unwrap();
    let id = DocumentId::random();
    office.docs.insert(id, create(&quote).unwrap());
    office.push(id).await.unwrap();
    field.fetch(id).await.unwrap();

    // Offline on both sides: the office changes line a's price and adds a line; the
    // field rep changes line a's quantity and line b's discount.
    edit_quote(office.docs.get_mut(&id).unwrap(), |q| {
        q.set_line("a", &line("Bakım", "1", "900")).unwrap();
        q.set_line("c", &line("Kurulum", "1", "400")).unwrap();
    });
    edit_quote(field.docs.get_mut(&id).unwrap(), |q| {
        q.set_line("a", &line("Bakım", "3", "1000")).unwrap();
        q.set_line("b", &line("Yedek parça", "2", "250").with("discount", "10"))
            .unwrap();
    });
    office.push(id).await.unwrap();
    field.push(id).await.unwrap();
    assert!(
        pump_until(&mut office, |p| p.docs[&id].get_heads()
            == field.docs[&id].get_heads())
        .await,
        "the replicas converge"
    );
    let merged: SalesDocument = read(&office.docs[&id]).unwrap();
    let a = &merged.lines["a"];
    assert_eq!((a.quantity.as_str(), a.unit_price.as_str()), ("3", "900"));
    assert_eq!(merged.lines["b"].discount, "10");
    assert_eq!(merged.lines["c"].description, "Kurulum");
    // 3 × 900 + 2 × 250 − 10 % + 400 = 2 700 + 450 + 400; totals are computed, not stored.
    let totals = merged.totals().unwrap();
    assert_eq!(totals.net.to_string(), "3550.00");
    assert_eq!(totals.gross.to_string(), "4260.00");
    // The server stored the merged document.
    let mut check = connect(&server, "check").await;
    let stored: SalesDocument = read(check.fetch(id).await.unwrap()).unwrap();
    assert_eq!(stored, merged);
}

#[tokio::test]
async fn invoice_number_blocks_never_overlap() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path()).await;
    let rep = server
        .member("temsilci@anadolu.test", "sales_rep", &[])
        .await;
    let viewer = server
        .member("izleyici@anadolu.test", "read_only", &[])
        .await;

    // Two devices ask at the same time, many times.
    let year = json!({ "year": 2026 });
    let mut asks = Vec::new();
    for client in [
        &server.owner,
        &rep,
        &server.owner,
        &rep,
        &server.owner,
        &rep,
    ] {
        asks.push(client.post("/api/invoice-numbers", &year));
    }
    let mut seen = HashSet::new();
    for answer in futures_util::future::join_all(asks).await {
        let (status, body) = answer.unwrap();
        assert!(status.is_success(), "{status} {body}");
        let block: NumberBlock = serde_json::from_value(body).unwrap();
        assert_eq!(
            (block.year, block.last + 1 - block.first),
            (2026, BLOCK_SIZE)
        );
        for n in block.first..=block.last {
            assert!(seen.insert(n), "number {n} handed out twice");
        }
    }
    assert_eq!(seen.len() as u64, 6 * BLOCK_SIZE);
    // Quotes and orders count on their own, on the route the app uses now; the old
    // route without a series still means invoices.
    for series in ["quote", "order"] {
        let (status, body) = rep
            .post(
                "/api/document-numbers",
                &json!({ "year": 2026, "series": series }),
            )
            .await
            .unwrap();
        assert!(status.is_success(), "{status} {body}");
        let block: NumberBlock = serde_json::from_value(body).unwrap();
        assert_eq!((block.first, block.series.code()), (1, series));
    }
    let (_, body) = rep
        .post(
            "/api/document-numbers",
            &json!({ "year": 2026, "series": "invoice" }),
        )
        .await
        .unwrap();
    let block: NumberBlock = serde_json::from_value(body).unwrap();
    assert_eq!(
        (block.series, block.first),
        (Series::Invoice, 6 * BLOCK_SIZE + 1)
    );
    let (status, _) = rep
        .post(
            "/api/document-numbers",
            &json!({ "year": 2026, "series": "receipt" }),
        )
        .await
        .unwrap();
    assert!(status.is_client_error());
    // Another year starts from 1; read-only members and bad years are refused.
    let (_, body) = rep
        .post("/api/invoice-numbers", &json!({ "year": 2027 }))
        .await
        .unwrap();
    assert_eq!(body["first"], 1);
    let (status, _) = viewer
        .post("/api/invoice-numbers", &json!({ "year": 2026 }))
        .await
        .unwrap();
    assert_eq!(status, 403);
    let (status, body) = rep
        .post("/api/invoice-numbers", &json!({ "year": 1 }))
        .await
        .unwrap();
    assert_eq!(
        (status.as_u16(), body["error"].as_str()),
        (400, Some("invalid_input"))
    );
    let (status, _) = rep
        .post("/api/invoice-numbers", &json!({ "year": "x" }))
        .await
        .unwrap();
    assert!(status.is_client_error());
    // The counter survives a restart.
    server.shutdown().await.unwrap();
    let server = start(dir.path()).await;
    let (_, body) = server
        .owner
        .post("/api/invoice-numbers", &json!({ "year": 2026 }))
        .await
        .unwrap();
    assert_eq!(body["first"], 7 * BLOCK_SIZE + 1);
}
