//! A CRM record crossing the sans-IO sync protocol of `saha-protocol`: the record layer
//! and the wire layer together, as the app and the server use them.

use automerge::Automerge;
use saha_core::parties::account::Account;
use saha_core::record::form::Form;
use saha_core::record::{EditContext, edit_fields, new_document, read};
use saha_protocol::DocumentId;
use saha_protocol::sync::Connection;
use saha_protocol::wire::{Message, PeerMetadata};

/// Runs both ends until neither has anything to send.
fn pump(
    client: &mut Connection,
    client_doc: &mut Automerge,
    server: &mut Connection,
    server_doc: &mut Automerge,
    id: DocumentId,
) {
    let mut frames = 0;
    loop {
        let mut progressed = false;
        if let Some(msg) = client.generate(id, client_doc) {
            let decoded = Message::decode(&msg.encode()).unwrap();
            let (Message::Sync(m) | Message::Request(m)) = decoded else {
                panic!("unexpected {decoded:?}")
            };
            server.receive(server_doc, &m).unwrap();
            frames += 1;
            progressed = true;
        }
        if let Some(msg) = server.generate(id, server_doc) {
            let Message::Sync(m) = msg else {
                panic!("server sends sync")
            };
            client.receive(client_doc, &m).unwrap();
            frames += 1;
            progressed = true;
        }
        if !progressed {
            return;
        }
        assert!(frames < 50, "sync did not settle");
    }
}

#[test]
fn a_new_account_reaches_the_server_and_an_edit_comes_back() {
    let (mut client, join) = Connection::client("client", PeerMetadata::default());
    let mut server = Connection::server("server");
    let peer = server.handshake(&join).unwrap().unwrap();
    assert!(client.handshake(&peer).unwrap().is_none());

    let id = DocumentId::random();
    let form = Form::new().with("name", "Marmara Lojistik");
    let mut client_doc = new_document::<Account>(&form, &EditContext::new("u1", 5)).unwrap();
    let mut server_doc = Automerge::new();
    pump(
        &mut client,
        &mut client_doc,
        &mut server,
        &mut server_doc,
        id,
    );
    assert_eq!(
        read::<Account>(&server_doc).unwrap().name,
        "Marmara Lojistik"
    );
    assert!(client.peer_has_all(&id, &client_doc));

    edit_fields::<Account>(&mut server_doc, &EditContext::new("u2", 6), |f| {
        f.set("city", "Kocaeli")
    })
    .unwrap();
    assert!(!server.peer_has_all(&id, &server_doc));
    pump(
        &mut client,
        &mut client_doc,
        &mut server,
        &mut server_doc,
        id,
    );
    assert_eq!(read::<Account>(&client_doc).unwrap().city, "Kocaeli");
    assert_eq!(client_doc.get_heads(), server_doc.get_heads());
}
