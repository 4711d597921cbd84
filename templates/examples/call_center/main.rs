//! The `call_center` example: the application of `app.rs`, on port 3000.
//!
//! ```sh
//! TELNYX_API_KEY=... TELNYX_PUBLIC_KEY=... CALL_CENTER_CONNECTION_ID=... \
//! CALL_CENTER_NUMBER=+15550199 CALL_CENTER_AGENTS=+15550101,+15550102 cargo run --example call_center
//! ```

mod app;

use app::{app, Config};
use telnyx_call_control::webhooks::Verifier;
use telnyx_call_control::Client;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let env = |name: &str| std::env::var(name).map_err(|_| format!("{name} is not set"));
    let config = Config {
        client: Client::from_env()?,
        verifier: Verifier::from_env()?,
        connection_id: env("CALL_CENTER_CONNECTION_ID")?,
        number: env("CALL_CENTER_NUMBER")?,
        agents: env("CALL_CENTER_AGENTS")?
            .split(',')
            .map(|a| a.trim().to_owned())
            .collect(),
        hold_music: env("CALL_CENTER_HOLD_MUSIC")
            .unwrap_or_else(|_| "https://example.com/hold-music.mp3".into()),
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:3000").await?;
    println!(
        "call centre webhooks at http://{}/webhooks",
        listener.local_addr()?
    );
    axum::serve(listener, app(config)).await?;
    Ok(())
}
