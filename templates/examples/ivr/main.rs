//! The `ivr` example: the application of `app.rs`, on port 3000.
//!
//! ```sh
//! TELNYX_API_KEY=... TELNYX_PUBLIC_KEY=... IVR_OPERATOR=+15550100 cargo run --example ivr
//! ```

mod app;

use app::{app, Ivr};
use telnyx_call_control::webhooks::Verifier;
use telnyx_call_control::Client;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let ivr = Ivr {
        client: Client::from_env()?,
        verifier: Verifier::from_env()?,
        operator: std::env::var("IVR_OPERATOR")?,
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:3000").await?;
    println!("IVR webhooks at http://{}/webhooks", listener.local_addr()?);
    axum::serve(listener, app(ivr)).await?;
    Ok(())
}
