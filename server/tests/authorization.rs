//! Authorization under randomness: a seeded run over a workspace with random teams,
//! members of random roles and teams, and accounts in random teams, through rounds of
//! random record moves, role and team changes and writes by members. After every round,
//! for every member, each way out of the server — a sync connection opened before the
//! round, a new one, the change feed, the REST API's list and record reads, and a
//! report — returns exactly the records [`Access::can_read`] says the member may see
//! (never one more; a connection that is not closed keeps receiving what it may see);
//! and each write is stored exactly when the write rules allow it, every refused one
//! listed in the member's refusals (`GET /api/sync/refusals`).
//!
//! `SAHA_AUTH_SEEDS=N` runs seeds 1‥N (the test command runs 2); `SAHA_AUTH_SEED=S`
//! replays one. A failure names its seed and the command that replays it.

mod common;

use std::collections::{BTreeSet, HashMap};
use std::time::Duration;

use automerge::{Automerge, ChangeHash, ReadDoc};
use common::*;
use saha_core::DocumentId;
use saha_core::access::{Access, Role, Scope};
use saha_core::rules::{self, Change};

const MEMBERS: usize = 5;
const RECORDS: usize = 8;
const ROUNDS: usize = 8;
/// The roles members get: every one but the owner's.
fn roles() -> Vec<Role> {
    Role::ALL
        .into_iter()
        .filter(|r| *r != Role::Owner)
        .collect()
}

/// One of `items`.
fn pick<'a, T>(rng: &mut SeededRng, items: &'a [T]) -> &'a T {
    &items[rng.below(items.len())]
}

/// A random subset of `teams` (possibly empty).
fn random_teams(rng: &mut SeededRng, teams: &[String]) -> Vec<String> {
    teams
        .iter()
        .filter(|_| rng.below(2) == 0)
        .cloned()
        .collect()
}

struct Member {
    client: ApiClient,
    id: String,
    access: Access,
    rest: Rest,
    /// A connection opened at the start and kept through every round.
    peer: Peer,
}

/// The workspace as the run has made it.
struct World {
    server: TestServer,
    teams: Vec<String>,
    members: Vec<Member>,
    records: Vec<DocumentId>,
    /// The owner's copies of the records, and their team.
    owner: Peer,
    team_of: HashMap<DocumentId, String>,
    admin: Rest,
}

impl World {
    fn visible(&self, member: &Member, id: &DocumentId) -> bool {
        member.access.can_read(&Scope {
            team: self.team_of[id].clone(),
            owner: String::new(),
        })
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_member_ever_gets_a_record_access_hides_and_every_refusal_is_listed() {
    let seeds: Vec<u64> = match std::env::var("SAHA_AUTH_SEED") {
        Ok(seed) => vec![seed.parse().expect("SAHA_AUTH_SEED is a number")],
        Err(_) => {
            let n = std::env::var("SAHA_AUTH_SEEDS")
                .ok()
                .and_then(|n| n.parse().ok())
                .unwrap_or(2u64);
            (1..=n).collect()
        }
    };
    for seed in seeds {
        eprintln!(
            "authorization run, seed {seed} (replay: SAHA_AUTH_SEED={seed} cargo test -p server \
             --test authorization)"
        );
        run(seed).await;
    }
}

async fn run(seed: u64) {
    let mut rng = SeededRng(seed);
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path()).await;
    let mut teams = Vec::new();
    for name in ["Kuzey", "Güney", "Doğu"] {
        teams.push(server.team(name).await);
    }
    let admin = Rest::new(&server.http(), &token(&server, &["*:read"], None).await);
    let mut owner = connect(&server, "owner").await;
    let mut records = Vec::new();
    let mut team_of = HashMap::new();
    for n in 0..RECORDS {
        let id = DocumentId::random();
        let team = match rng.below(4) {
            3 => String::new(),
            t => teams[t].clone(),
        };
        owner
            .docs
            .insert(id, account(&format!("Müşteri {n}"), &team));
        records.push(id);
        team_of.insert(id, team);
    }
    owner.push_all(&records).await.unwrap();
    let mut members = Vec::new();
    for n in 0..MEMBERS {
        let role = *pick(&mut rng, &roles());
        let member_teams = random_teams(&mut rng, &teams);
        let refs: Vec<&str> = member_teams.iter().map(String::as_str).collect();
        let client = server
            .member(&format!("uye{n}@anadolu.test"), role.code(), &refs)
            .await;
        let id = client.user_id().await.unwrap();
        let rest = Rest::new(
            &server.http(),
            &token(&server, &["*:read"], Some(&id)).await,
        );
        let mut peer = connect_as(&client, &format!("uye{n}")).await;
        peer.fetch_all(&records).await.unwrap();
        members.push(Member {
            client,
            id,
            access: Access {
                role,
                teams: member_teams,
            },
            rest,
            peer,
        });
    }
    let mut world = World {
        server,
        teams,
        members,
        records,
        owner,
        team_of,
        admin,
    };
    for round in 0..ROUNDS {
        match world_step(&mut world, &mut rng, round).await {
            Ok(()) => {}
            Err(e) => panic!("seed {seed}, round {round}: {e}"),
        }
    }
    world.server.shutdown().await.unwrap();
}

/// One round: a random change, then every record touched by the owner, then the checks.
async fn world_step(world: &mut World, rng: &mut SeededRng, round: usize) -> Result<(), String> {
    match rng.below(3) {
        0 => move_record(world, rng).await?,
        1 => change_member(world, rng).await?,
        _ => member_writes(world, rng).await?,
    }
    let hashes = touch_every_record(world, round).await?;
    check_every_member(world, &hashes).await
}

/// The owner moves a record to a random team (or shares it).
async fn move_record(world: &mut World, rng: &mut SeededRng) -> Result<(), String> {
    let id = *pick(rng, &world.records);
    let team = match rng.below(world.teams.len() + 1) {
        t if t == world.teams.len() => String::new(),
        t => world.teams[t].clone(),
    };
    eprintln!("  the owner moves {id} to {team:?}");
    let doc = world.owner.docs.get_mut(&id).ok_or("no owner copy")?;
    let moved = team.clone();
    edit(doc, move |f| f.set("team", moved));
    world.owner.push(id).await.map_err(|e| e.to_string())?;
    world.team_of.insert(id, team);
    Ok(())
}

/// The owner gives a member a random role and random teams.
async fn change_member(world: &mut World, rng: &mut SeededRng) -> Result<(), String> {
    let m = rng.below(world.members.len());
    let role = *pick(rng, &roles());
    let teams = random_teams(rng, &world.teams);
    eprintln!("  member {m} becomes {} of {teams:?}", role.code());
    let (status, body) = world
        .server
        .owner
        .send(
            reqwest::Method::PATCH,
            &format!("/api/members/{}", world.members[m].id),
            &serde_json::json!({ "role": role.code(), "teams": teams }),
        )
        .await
        .map_err(|e| e.to_string())?;
    if !status.is_success() {
        return Err(format!("changing member {m}: {status} {body}"));
    }
    world.members[m].access = Access { role, teams };
    Ok(())
}

/// A member writes to a record: a new city, or a move to a random team, by URL even
/// when the record is hidden from them. Stored exactly when the rules allow it; a
/// refusal of a visible record is listed in the member's refusals.
async fn member_writes(world: &mut World, rng: &mut SeededRng) -> Result<(), String> {
    let m = rng.below(world.members.len());
    let id = *pick(rng, &world.records);
    let moves = rng.below(2) == 0;
    // Always a change: another team than the record's, a city never written before.
    let others: Vec<String> = world
        .teams
        .iter()
        .filter(|t| **t != world.team_of[&id])
        .cloned()
        .collect();
    let team = pick(rng, &others).clone();
    let city = format!("Semt {}", rng.next());
    let visible = world.visible(&world.members[m], &id);
    let before = world.owner.docs[&id].clone();
    let mut changed = before.clone();
    if moves {
        edit(&mut changed, |f| f.set("team", team.clone()));
    } else {
        edit(&mut changed, |f| f.set("city", city));
    }
    if changed.get_heads() == before.get_heads() {
        return Err(format!("member {m}'s write to {id} changes nothing"));
    }
    let access = world.members[m].access.clone();
    let allowed = visible
        && rules::check(
            Some(&access),
            &Change {
                doc: &changed,
                before_heads: &before.get_heads(),
                before: rules::read_record(&before).ok().flatten().as_ref(),
                after: None,
            },
        )
        .is_ok();
    eprintln!(
        "  member {m} ({}) {} {id} ({}): {}",
        access.role.code(),
        if moves { "moves" } else { "edits" },
        if visible { "visible" } else { "hidden" },
        if allowed { "allowed" } else { "refused" }
    );
    let change: Vec<ChangeHash> = changed.get_heads();
    let mut writer = connect_as(&world.members[m].client, "writer").await;
    writer.docs.insert(id, changed);
    let confirmed = offered_and_confirmed(&mut writer, id).await;
    if confirmed != allowed {
        let (_, me) = world.members[m]
            .client
            .get("/api/auth/me")
            .await
            .map_err(|e| e.to_string())?;
        return Err(format!(
            "member {m}'s write to {id} was {} but the rules say {} (the server knows \
             the member as {me})",
            if confirmed { "stored" } else { "not stored" },
            if allowed { "allowed" } else { "refused" }
        ));
    }
    if allowed {
        // The owner's copy takes it, as every device would.
        let owner = &mut world.owner;
        let arrived = owner
            .pump_until(TIMEOUT, |p| {
                change
                    .iter()
                    .all(|h| p.docs[&id].get_change_by_hash(h).is_some())
            })
            .await
            .map_err(|e| e.to_string())?;
        if !arrived {
            return Err(format!("member {m}'s stored write never reached the owner"));
        }
        if moves {
            world.team_of.insert(id, team);
        }
    } else if visible {
        let listed = refusal_listed(&world.members[m].client, id).await;
        if !listed {
            return Err(format!(
                "member {m}'s refused write to {id} is not in their refusals"
            ));
        }
    }
    Ok(())
}

async fn refusal_listed(member: &ApiClient, id: DocumentId) -> bool {
    for _ in 0..100 {
        let (status, list) = member.get("/api/sync/refusals").await.unwrap();
        assert_eq!(status, 200, "{list}");
        if list
            .as_array()
            .is_some_and(|l| l.iter().any(|r| r["document"] == id.to_string()))
        {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    false
}

/// The owner writes the round into every record's notes; the new head of each. Waits
/// until the server's projection (what the API and reports read) shows it.
async fn touch_every_record(
    world: &mut World,
    round: usize,
) -> Result<HashMap<DocumentId, ChangeHash>, String> {
    let note = format!("tur {round}");
    let mut hashes = HashMap::new();
    for id in &world.records {
        let doc = world.owner.docs.get_mut(id).ok_or("no owner copy")?;
        let n = note.clone();
        edit(doc, move |f| f.set("notes", n));
        hashes.insert(*id, doc.get_heads()[0]);
    }
    let records = world.records.clone();
    world
        .owner
        .push_all(&records)
        .await
        .map_err(|e| e.to_string())?;
    for id in &world.records {
        let seen = async {
            for _ in 0..200 {
                let (status, body) = world.admin.get(&format!("/api/v1/accounts/{id}")).await;
                if status == 200
                    && body["fields"]["notes"] == note.as_str()
                    && body["fields"]["team"] == world.team_of[id].as_str()
                {
                    return true;
                }
                tokio::time::sleep(Duration::from_millis(25)).await;
            }
            false
        };
        if !seen.await {
            return Err(format!("the API never showed round {round} of {id}"));
        }
    }
    Ok(hashes)
}

/// Record IDs among `ids` (strings anywhere in a JSON answer).
fn mentioned(value: &serde_json::Value, ids: &[DocumentId], out: &mut BTreeSet<DocumentId>) {
    match value {
        serde_json::Value::String(s) => {
            out.extend(ids.iter().filter(|id| s.contains(&id.to_string())));
        }
        serde_json::Value::Array(items) => items.iter().for_each(|v| mentioned(v, ids, out)),
        serde_json::Value::Object(map) => map.values().for_each(|v| mentioned(v, ids, out)),
        _ => {}
    }
}

async fn check_every_member(
    world: &mut World,
    hashes: &HashMap<DocumentId, ChangeHash>,
) -> Result<(), String> {
    let records = world.records.clone();
    for m in 0..world.members.len() {
        let member = &world.members[m];
        let visible: BTreeSet<DocumentId> = records
            .iter()
            .filter(|id| world.visible(member, id))
            .copied()
            .collect();
        let who = format!(
            "member {m} ({} of {:?})",
            member.access.role.code(),
            member.access.teams
        );
        let expect = |way: &str, got: BTreeSet<DocumentId>| {
            if got == visible {
                Ok(())
            } else {
                Err(format!(
                    "{who}: {way} gave {} records hidden from them and missed {} they may see",
                    got.difference(&visible).count(),
                    visible.difference(&got).count()
                ))
            }
        };

        // The change feed from the start.
        let feed = member.client.changes(0).await.map_err(|e| e.to_string())?;
        let got = feed
            .documents
            .iter()
            .map(|(id, _)| *id)
            .filter(|id| records.contains(id))
            .collect();
        expect("the change feed", got)?;

        // A new connection asking for every record by ID.
        let mut fresh = connect_as(&member.client, "fresh").await;
        fresh.fetch_all(&records).await.map_err(|e| e.to_string())?;
        expect(
            "a new connection",
            records.iter().filter(|id| fresh.has(id)).copied().collect(),
        )?;

        // The REST API: the list, and each record by ID.
        let (status, page) = member.rest.get("/api/v1/accounts?limit=100").await;
        if status != 200 {
            return Err(format!("{who}: listing accounts answered {status} {page}"));
        }
        let mut listed = BTreeSet::new();
        mentioned(&page["data"], &records, &mut listed);
        expect("the REST list", listed)?;
        let mut readable = BTreeSet::new();
        for id in &records {
            let (status, _) = member.rest.get(&format!("/api/v1/accounts/{id}")).await;
            match status.as_u16() {
                200 => {
                    readable.insert(*id);
                }
                404 => {}
                other => return Err(format!("{who}: reading {id} answered {other}")),
            }
        }
        expect("REST reads by ID", readable)?;

        // A report over the records the member may read.
        let (status, report) = member
            .rest
            .get("/api/v1/reports/satisfaction-loyalty")
            .await;
        if status == 200 {
            let mut named = BTreeSet::new();
            mentioned(&report, &records, &mut named);
            if let Some(id) = named.difference(&visible).next() {
                return Err(format!("{who}: the satisfaction report names hidden {id}"));
            }
        } else if status != 403 {
            return Err(format!("{who}: the report answered {status} {report}"));
        }

        // The connection kept open: this round's change of every record it may see
        // arrives (a record moved into sight too), and none of a hidden one.
        let member = &mut world.members[m];
        let arrived = member
            .peer
            .pump_until(Duration::from_secs(10), |p| {
                visible.iter().all(|id| {
                    p.docs
                        .get(id)
                        .is_some_and(|d| d.get_change_by_hash(&hashes[id]).is_some())
                })
            })
            .await;
        match arrived {
            Ok(true) => {}
            Ok(false) => {
                return Err(format!(
                    "{who}: the open connection did not get this round's changes"
                ));
            }
            // The server closed it (a role change may): a new one starts.
            Err(_) => {
                member.peer = connect_as(&member.client, "again").await;
                member
                    .peer
                    .fetch_all(&records)
                    .await
                    .map_err(|e| e.to_string())?;
            }
        }
        // Whatever else is on its way arrives before the hidden records are looked at.
        let _ = member
            .peer
            .pump_until(Duration::from_millis(300), |_| false)
            .await;
        for id in records.iter().filter(|id| !visible.contains(id)) {
            let leaked = member
                .peer
                .docs
                .get(id)
                .is_some_and(|d: &Automerge| d.get_change_by_hash(&hashes[id]).is_some());
            if leaked {
                return Err(format!(
                    "{who}: the open connection got this round's change of hidden {id}"
                ));
            }
        }
    }
    Ok(())
}
