//! Connects to a (ticketed) sync URL and reports the handshake (debugging aid).
#[tokio::main]
async fn main() {
    let url = std::env::args().nth(1).expect("url");
    match saha_bench::peer::Peer::connect_url(&url, "probe").await {
        Ok(p) => println!("joined {:?}", p.conn.remote_id()),
        Err(e) => println!("failed: {e}"),
    }
}
