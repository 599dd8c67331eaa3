//! Any bytes as one automerge-repo frame: decoding never panics, and a frame that
//! decodes encodes to a frame that decodes to the same message (so what the server
//! relays is what it understood).

use saha_protocol::wire::Message;

pub fn check(data: &[u8]) {
    let Ok(message) = Message::decode(data) else {
        return;
    };
    let _ = message.kind();
    let encoded = message.encode();
    match Message::decode(&encoded) {
        Ok(again) => assert_eq!(again, message, "a decoded frame re-encodes differently"),
        Err(e) => panic!("a decoded frame does not decode once re-encoded: {e}"),
    }
}
