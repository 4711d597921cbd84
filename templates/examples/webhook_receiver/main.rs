//! The `webhook_receiver` example: the application of `app.rs`, on port 3000.
//!
//! ```sh
//! TELNYX_PUBLIC_KEY=<base64 key from the portal> cargo run --example webhook_receiver
//! ```

mod app;

use app::app;
use telnyx_call_control::webhooks::Verifier;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let verifier = Verifier::from_env()?;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:3000").await?;
    println!("listening on http://{}/webhooks", listener.local_addr()?);
    axum::serve(listener, app(verifier)).await?;
    Ok(())
}
