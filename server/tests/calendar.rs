//! Calendar subscriptions through a real server: a feed serves the meetings of its
//! calendar that its creator may see, only its creator may subscribe to a personal
//! calendar, and a revoked or unknown address answers 404.

mod common;

use common::{connect, start};
use saha_core::DocumentId;
use saha_core::activities::meeting::Meeting;
use saha_core::record::{EditContext, RecordType, create};
use serde_json::json;

fn meeting(title: &str, calendar: &str, team: &str) -> Meeting {
    let mut m = Meeting::blank(&EditContext::new("owner", 1_700_000_000_000));
    m.title = title.into();
    m.calendar = calendar.into();
    m.common.team = team.into();
    m.start = "2026-12-07T10:00".into();
    m.end = "2026-12-07T11:00".into();
    m
}

async fn fetch(url: &str) -> (u16, String, String) {
    let response = reqwest::get(url).await.unwrap();
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    (status, content_type, response.text().await.unwrap())
}

#[tokio::test]
async fn a_feed_serves_what_its_creator_may_see_until_revoked() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path()).await;
    let izmir = server.team("İzmir").await;
    let rep = server
        .member("temsilci@anadolu.test", "sales_rep", &[])
        .await;

    let mut owner = connect(&server, "owner").await;
    let (shared, private, personal) = (
        DocumentId::random(),
        DocumentId::random(),
        DocumentId::random(),
    );
    for (id, m) in [
        (shared, meeting("Haftalık satış", "dept:sales", "")),
        (private, meeting("İzmir bayi planı", "dept:sales", &izmir)),
        (
            personal,
            meeting("Muhasebe kapanışı", "dept:accounting", ""),
        ),
    ] {
        owner.docs.insert(id, create(&m).unwrap());
        owner.push(id).await.unwrap();
    }

    let (status, feed) = rep
        .post("/api/calendar-feeds", &json!({ "calendar": "dept:sales" }))
        .await
        .unwrap();
    assert!(status.is_success(), "{status} {feed}");
    let url = feed["url"].as_str().unwrap().to_owned();

    let (status, content_type, body) = fetch(&url).await;
    assert_eq!(status, 200);
    assert!(content_type.starts_with("text/calendar"), "{content_type}");
    assert!(body.contains(&format!("UID:{shared}@saha\r\n")), "{body}");
    assert!(
        !body.contains(&private.to_string()),
        "a team's meeting the member may not see stays out"
    );
    assert!(
        !body.contains(&personal.to_string()),
        "another calendar's meeting stays out"
    );

    // The owner sees the team's meeting too.
    let (_, feed) = server
        .owner
        .post("/api/calendar-feeds", &json!({ "calendar": "dept:sales" }))
        .await
        .unwrap();
    let (_, _, body) = fetch(feed["url"].as_str().unwrap()).await;
    assert!(body.contains(&private.to_string()));

    // Someone else's personal calendar, or an unknown one: refused.
    let (_, me) = server.owner.get("/api/auth/me").await.unwrap();
    let owner_calendar = format!("user:{}", me["userId"].as_str().unwrap());
    for calendar in [owner_calendar.as_str(), "dept:moon", "everything"] {
        let (status, _) = rep
            .post("/api/calendar-feeds", &json!({ "calendar": calendar }))
            .await
            .unwrap();
        assert_eq!(status, 400, "{calendar}");
    }

    // Listed without the secret; revoked, the address stops working at once.
    let (_, list) = rep.get("/api/calendar-feeds").await.unwrap();
    let listed = list.as_array().unwrap();
    assert_eq!(listed.len(), 1);
    assert!(
        listed[0].get("url").is_none(),
        "the secret is shown only once"
    );
    let id = listed[0]["id"].as_str().unwrap();
    let (status, _) = rep
        .send(
            reqwest::Method::DELETE,
            &format!("/api/calendar-feeds/{id}"),
            &json!(null),
        )
        .await
        .unwrap();
    assert_eq!(status, 204);
    assert_eq!(fetch(&url).await.0, 404);
    let unknown = format!("{}/calendar/{}.ics", server.http(), "0".repeat(64));
    assert_eq!(fetch(&unknown).await.0, 404);
    assert_eq!(
        fetch(&format!("{}/calendar/nonsense", server.http()))
            .await
            .0,
        404
    );
}
