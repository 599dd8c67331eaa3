//! `saha-server admin import` and `admin export` against a real data directory: the
//! report of a Windows-1254 file with bad rows is exact, the records arrive as a
//! member's changes (REST lists them, the workspace index has them), and an export
//! imports again as "unchanged".

mod common;

use std::path::Path;

use common::*;
use saha_core::import::decode::encode_windows_1254;
use saha_core::text::validate;
use serde_json::Value;

/// A valid VKN starting with the nine digits of `prefix`.
fn vkn(prefix: u64) -> String {
    (0..10)
        .map(|d| format!("{prefix:09}{d}"))
        .find(|v| validate::vkn(v).is_ok())
        .expect("a check digit fits")
}

async fn admin(dir: &Path, args: &[&str]) -> (bool, String, String) {
    let output = tokio::process::Command::new(env!("CARGO_BIN_EXE_saha-server"))
        .arg("admin")
        .args(args)
        .arg("--data-dir")
        .arg(dir)
        .output()
        .await
        .expect("runs");
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

async fn accounts(owner: &ApiClient) -> Vec<Value> {
    let mut all = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let path = match &cursor {
            Some(c) => format!("/api/v1/accounts?limit=200&cursor={c}"),
            None => "/api/v1/accounts?limit=200".to_owned(),
        };
        let (status, page) = owner.get(&path).await.unwrap();
        assert_eq!(status, 200, "{page}");
        all.extend(page["data"].as_array().unwrap().iter().cloned());
        match page["nextCursor"].as_str() {
            Some(c) => cursor = Some(c.to_owned()),
            None => return all,
        }
    }
}

#[tokio::test]
async fn an_operator_imports_a_turkish_file_and_gets_the_exact_report() {
    let dir = tempfile::tempdir().unwrap();
    // A workspace and its owner, then the server stops (admin commands run offline).
    let server = start_embedded(dir.path()).await;
    server.shutdown().await.unwrap();

    // 100 good rows, 7 bad ones, written by Turkish Excel (Windows-1254, `;`).
    let mut text = String::from("Firma Adı;Vergi No;Cep Tel;E-Posta;Şehir;Tutar Potansiyel\r\n");
    for i in 0..100u64 {
        text.push_str(&format!(
            "Öğrenci Çiçekçilik {i} A.Ş.;{};0532 {:03} 22 33;satis{i}@cicek.com.tr;İzmir;\r\n",
            vkn(100_000_000 + i),
            100 + i
        ));
    }
    let bad_vkn = {
        let good = vkn(555_000_000);
        let last = good.as_bytes()[9] - b'0';
        format!("{}{}", &good[..9], (last + 1) % 10)
    };
    for row in [
        format!("Bozuk Vergi;{bad_vkn};;;;"),
        "Olmayan Alan Kodu;;0123 456 78 90;;;".to_owned(),
        "Kötü Posta;;;satış@@örnek;;".to_owned(),
        ";;;;Ankara;".to_owned(),
        format!("İkinci Kez;{};;;;", vkn(100_000_000)),
        "Taşan Satır;;;;;;fazla".to_owned(),
        "Son Satır \"tırnak;;;;;".to_owned(),
    ] {
        text.push_str(&row);
        text.push_str("\r\n");
    }
    // The last bad row has a quote inside an unquoted cell: kept, not an error; make
    // it really broken by opening a quoted cell that never closes.
    text.push_str("\"Kapanmayan;;;;;\r\n");
    let file = dir.path().join("firmalar.csv");
    std::fs::write(&file, encode_windows_1254(&text).unwrap()).unwrap();
    let refused = dir.path().join("reddedilen.csv");
    let file_arg = file.to_str().unwrap();

    let (ok, out, err) = admin(
        dir.path(),
        &[
            "import",
            "--email",
            OWNER_EMAIL,
            "--kind",
            "accounts",
            "--dry-run",
            file_arg,
        ],
    )
    .await;
    assert!(ok, "{out}{err}");
    assert!(out.contains("windows-1254"), "{out}");
    let expected_lines = [
        "108 rows: 101 would be created, 0 would be updated, 0 unchanged, 7 refused",
        "line 102 column \"Vergi No\": not a valid VKN (tax number) [invalid_vkn]",
        "line 103 column \"Cep Tel\": not a valid phone number [invalid_phone]",
        "line 104 column \"E-Posta\": not an e-mail address [invalid_email]",
        "line 105 column \"Firma Adı\": required, but empty [required]",
        "line 106 column \"Vergi No\": same key as line 2 [duplicate_in_file]",
        "line 107 column \"#7\": more cells than the file has columns [extra_cells]",
        "line 109: a quote opened here is never closed [unclosed_quote]",
    ];
    let report: Vec<&str> = out.lines().skip(1).collect();
    assert_eq!(report, expected_lines, "{out}");

    let (ok, out, err) = admin(
        dir.path(),
        &[
            "import",
            "--email",
            OWNER_EMAIL,
            "--kind",
            "accounts",
            "--refused",
            refused.to_str().unwrap(),
            file_arg,
        ],
    )
    .await;
    assert!(ok, "{out}{err}");
    assert!(out.contains("108 rows: 101 created"), "{out}");
    let refused_csv = std::fs::read_to_string(&refused).unwrap();
    assert_eq!(refused_csv.lines().count(), 8, "{refused_csv}");
    assert!(refused_csv.contains("Olmayan Alan Kodu"));
    assert!(refused_csv.contains("satış@@örnek"));

    // The records are there, as a member's changes, with every character.
    let server = start_embedded(dir.path()).await;
    let listed = accounts(&server.owner).await;
    assert_eq!(listed.len(), 101);
    let first = listed
        .iter()
        .find(|a| a["fields"]["name"] == "Öğrenci Çiçekçilik 0 A.Ş.")
        .expect("the first row");
    assert_eq!(first["fields"]["city"], "İzmir");
    assert_eq!(first["fields"]["mobile"], "+905321002233");
    assert_eq!(first["fields"]["tax_number"], vkn(100_000_000));
    let mut peer = connect(&server, "after-import").await;
    let index_id = server.owner.index_id().await.unwrap();
    let index = peer.fetch(index_id).await.unwrap();
    assert_eq!(saha_core::workspace::records(index).len(), 101);
    server.shutdown().await.unwrap();

    // Out and in again: nothing changes.
    let exported = dir.path().join("disari.csv");
    let (ok, out, err) = admin(
        dir.path(),
        &[
            "export",
            "--email",
            OWNER_EMAIL,
            "--kind",
            "accounts",
            "--out",
            exported.to_str().unwrap(),
        ],
    )
    .await;
    assert!(ok, "{out}{err}");
    assert!(out.contains("101 accounts exported"), "{out}");
    let (ok, out, err) = admin(
        dir.path(),
        &[
            "import",
            "--email",
            OWNER_EMAIL,
            "--kind",
            "accounts",
            "--mode",
            "create_or_update",
            exported.to_str().unwrap(),
        ],
    )
    .await;
    assert!(ok, "{out}{err}");
    assert!(
        out.contains("101 rows: 0 created, 0 updated, 101 unchanged, 0 refused"),
        "{out}"
    );

    // The same through an Excel workbook: typed cells (amounts, dates) read back as
    // they were stored.
    let workbook = dir.path().join("disari.xlsx");
    let (ok, out, err) = admin(
        dir.path(),
        &[
            "export",
            "--email",
            OWNER_EMAIL,
            "--kind",
            "accounts",
            "--format",
            "xlsx",
            "--out",
            workbook.to_str().unwrap(),
        ],
    )
    .await;
    assert!(ok, "{out}{err}");
    let import_workbook = |sheet: &'static str| {
        let mut args = vec![
            "import",
            "--email",
            OWNER_EMAIL,
            "--kind",
            "accounts",
            "--mode",
            "create_or_update",
        ];
        if !sheet.is_empty() {
            args.extend(["--sheet", sheet]);
        }
        let path = workbook.to_str().unwrap().to_owned();
        let dir = dir.path().to_owned();
        async move {
            let mut args: Vec<&str> = args;
            args.push(&path);
            admin(&dir, &args).await
        }
    };
    let (ok, out, err) = import_workbook("").await;
    assert!(ok, "{out}{err}");
    assert!(out.contains("xlsx workbook, sheet"), "{out}");
    assert!(
        out.contains("101 rows: 0 created, 0 updated, 101 unchanged, 0 refused"),
        "{out}"
    );
    let (ok, _, err) = import_workbook("Yok").await;
    assert!(!ok);
    assert!(
        err.contains("--sheet \"Yok\": the workbook's sheets are"),
        "{err}"
    );

    // A mapping that cannot run says why and stores nothing.
    let (ok, _, err) = admin(
        dir.path(),
        &[
            "import",
            "--email",
            OWNER_EMAIL,
            "--kind",
            "accounts",
            "--mode",
            "update",
            "--key",
            "sku",
            file_arg,
        ],
    )
    .await;
    assert!(!ok);
    assert!(err.contains("key_not_mapped"), "{err}");
}

/// Runs `admin import` of `text` (UTF-8) as records of `kind` and returns its output.
async fn import_text(dir: &Path, kind: &str, name: &str, text: &str) -> String {
    let file = dir.join(name);
    std::fs::write(&file, text).unwrap();
    let (ok, out, err) = admin(
        dir,
        &[
            "import",
            "--email",
            OWNER_EMAIL,
            "--kind",
            kind,
            file.to_str().unwrap(),
        ],
    )
    .await;
    assert!(ok, "{out}{err}");
    out
}

#[tokio::test]
async fn orders_with_lines_arrive_whole_with_their_day_and_history() {
    let dir = tempfile::tempdir().unwrap();
    let server = start_embedded(dir.path()).await;
    server.shutdown().await.unwrap();
    let tax = vkn(321_000_000);
    import_text(
        dir.path(),
        "accounts",
        "cariler.csv",
        &format!("Firma Adı;Vergi No\nKaya Market Ltd.;{tax}\n"),
    )
    .await;
    import_text(
        dir.path(),
        "products",
        "urunler.csv",
        "Stok Kodu;Ürün Adı;Birim Fiyat;Maliyet;KDV\nUR-1;Beyaz peynir 1 kg;250;180;%10\nUR-2;Kaşar 500 g;190;;%10\n",
    )
    .await;
    // An ERP's order lines: orders S-1 and S-3 are good (S-1 invoiced last year), S-2
    // has a line with an unknown product and is refused whole.
    let orders = format!(
        "Sipariş No;Sipariş Tarihi;Vergi No;Stok Kodu;Miktar;Birim Fiyat;Durum\n\
         S-1;14.11.2025;{tax};UR-1;10;240;Faturalandı\n\
         S-1;14.11.2025;{tax};UR-2;5;;Faturalandı\n\
         S-2;02.12.2025;{tax};UR-1;1;;\n\
         S-2;02.12.2025;{tax};UR-404;1;;\n\
         S-3;03.12.2025;{tax};UR-2;2;;Açık\n"
    );
    let out = import_text(dir.path(), "orders", "siparisler.csv", &orders).await;
    let report: Vec<&str> = out.lines().skip(1).collect();
    assert_eq!(
        report,
        [
            "5 rows: 2 created (with 3 order lines), 0 updated, 0 unchanged, 2 refused",
            "line 4: line 5 of the same order was refused; the order is taken whole [order_refused]",
            "line 5 column \"Stok Kodu\": no such record to link to [link_not_found]",
        ],
        "{out}"
    );

    // Stored as a member's changes: an invoiced order keeps its lines and its day.
    let server = start_embedded(dir.path()).await;
    let (status, page) = server.owner.get("/api/v1/orders?limit=50").await.unwrap();
    assert_eq!(status, 200, "{page}");
    let data = page["data"].as_array().unwrap();
    assert_eq!(data.len(), 2, "{page}");
    let first = data
        .iter()
        .find(|o| o["title"] == "S-1")
        .unwrap_or_else(|| panic!("no S-1 in {page}"));
    assert_eq!(first["fields"]["status"], "invoiced");
    assert_eq!(first["fields"]["order_date"], "2025-11-14");
    let lines = first["lines"].as_array().unwrap();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["description"], "Beyaz peynir 1 kg");
    assert_eq!(
        (
            &lines[0]["quantity"],
            &lines[0]["unit_price"],
            &lines[0]["unit_cost"]
        ),
        (&"10".into(), &"240".into(), &"180".into())
    );
    assert_eq!(lines[1]["unit_price"], "190");
    // 10 × 240 + 5 × 190, with 10 % KDV.
    assert_eq!(first["totals"]["gross"], "3685.00");

    // The analytics count each sale on its own day: the first sale is last November's.
    let (status, profit) = server
        .owner
        .get("/api/v1/reports/profitability")
        .await
        .unwrap();
    assert_eq!(status, 200, "{profit}");
    let kaya = &profit["accounts"][0];
    assert_eq!(kaya["accountName"], "Kaya Market Ltd.", "{profit}");
    assert_eq!(
        (&kaya["sales"], &kaya["firstSale"], &kaya["lastSale"]),
        (&2.into(), &"2025-11-14".into(), &"2025-12-03".into()),
        "{profit}"
    );
    // 10 × 240 + 5 × 190 + 2 × 190; only the first line has a cost (10 × 180).
    assert_eq!(kaya["revenue"], "3730.00");
    assert_eq!(kaya["margin"], "600.00");
    assert_eq!(kaya["uncostedLines"], 2);
    server.shutdown().await.unwrap();

    // The same file again, new and existing: the good orders are unchanged.
    let file = dir.path().join("siparisler.csv");
    let (ok, out, err) = admin(
        dir.path(),
        &[
            "import",
            "--email",
            OWNER_EMAIL,
            "--kind",
            "orders",
            "--mode",
            "create_or_update",
            "--dry-run",
            file.to_str().unwrap(),
        ],
    )
    .await;
    assert!(ok, "{out}{err}");
    assert!(
        out.contains("5 rows: 0 would be created, 0 would be updated, 2 unchanged, 2 refused"),
        "{out}"
    );
}
