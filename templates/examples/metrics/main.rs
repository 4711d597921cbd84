//! The `metrics` example: a client whose every attempt is counted by the interceptor of `app.rs`;
//! it lists the account's queues (every page) and prints the metrics the requests left.
//!
//! ```sh
//! TELNYX_API_KEY=... cargo run --example metrics
//! ```

mod app;

use app::Metrics;
use futures_util::TryStreamExt;
use telnyx_call_control::ClientBuilder;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let metrics = Metrics::default();
    let client = ClientBuilder::from_env()?
        .interceptor(metrics.clone())
        .build()?;
    let mut queues = client.queues().list_pages().items();
    while let Some(queue) = queues.try_next().await? {
        println!("queue {}: {} calls waiting", queue.name, queue.current_size);
    }
    print!("{}", metrics.render());
    Ok(())
}
