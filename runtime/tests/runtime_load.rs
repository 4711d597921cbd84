//! Load check, ignored by default; run with `cargo test --release -- --ignored`.
//!
//! 20,000 idempotent commands at concurrency 64 against a local server that rate-limits the
//! first attempt of every 10th new `command_id`. It asserts that no request is lost, that
//! every logical request succeeds exactly once under one id, that each rate-limited request
//! costs exactly one retry, and that resident memory after the run is back within
//! [`RSS_TOLERANCE_KIB`] of its level before it.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};
use telnyx_call_control_runtime::reqwest::Method;
use telnyx_call_control_runtime::Client;

const REQUESTS: usize = 20_000;
const CONCURRENCY: usize = 64;
/// Every n-th new command id is rate-limited on its first attempt.
const LIMIT_EVERY: usize = 10;
/// Allowed growth of resident memory across the run. The allocator keeps some freed pages
/// and the connection pool keeps its buffers, so "back near" means within 8 MiB (a run
/// measured about +3.2 MiB; a leak of 400 bytes per request would exceed it).
const RSS_TOLERANCE_KIB: u64 = 8 * 1024;
/// The whole check must finish well within this.
const DEADLINE: Duration = Duration::from_secs(300);

/// Per command id: attempts seen and successes answered.
#[derive(Default)]
struct Ledger {
    ids: Mutex<HashMap<String, (u32, u32)>>,
    new_ids: AtomicUsize,
    limited: AtomicUsize,
}

async fn command(State(ledger): State<Arc<Ledger>>, Json(body): Json<Value>) -> Response {
    let Some(id) = body.get("command_id").and_then(Value::as_str) else {
        return (StatusCode::UNPROCESSABLE_ENTITY, "missing command_id").into_response();
    };
    let first_attempt = {
        let Ok(mut ids) = ledger.ids.lock() else {
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        };
        let entry = ids.entry(id.to_owned()).or_default();
        entry.0 += 1;
        entry.0 == 1
    };
    if first_attempt
        && ledger.new_ids.fetch_add(1, Ordering::Relaxed) % LIMIT_EVERY == LIMIT_EVERY - 1
    {
        ledger.limited.fetch_add(1, Ordering::Relaxed);
        return (StatusCode::TOO_MANY_REQUESTS, [("retry-after-ms", "1")]).into_response();
    }
    if let Ok(mut ids) = ledger.ids.lock() {
        if let Some(entry) = ids.get_mut(id) {
            entry.1 += 1;
        }
    }
    Json(json!({"data": {"result": "ok", "command_id": id}})).into_response()
}

/// Resident set size of this process in KiB, from `/proc/self/status` (Linux only).
fn rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Sends `count` commands from `CONCURRENCY` workers; returns each success's id and attempts.
async fn run(client: &Client, count: usize) -> Result<Vec<(String, u32)>, String> {
    let next = Arc::new(AtomicUsize::new(0));
    let mut workers = Vec::new();
    for _ in 0..CONCURRENCY {
        let client = client.clone();
        let next = next.clone();
        workers.push(tokio::spawn(async move {
            let mut done = Vec::new();
            while next.fetch_add(1, Ordering::Relaxed) < count {
                let response = client
                    .request::<Value, _>(
                        Method::POST,
                        "/calls/v3:load/actions/speak",
                        Some(&json!({"payload": "load"})),
                    )
                    .fill_command_id()
                    .send_with_response()
                    .await
                    .map_err(|e| e.to_string())?;
                let id = response["data"]["command_id"]
                    .as_str()
                    .ok_or("response without command_id")?
                    .to_owned();
                done.push((id, response.attempts()));
            }
            Ok::<_, String>(done)
        }));
    }
    let mut all = Vec::with_capacity(count);
    for worker in workers {
        all.extend(worker.await.map_err(|e| e.to_string())??);
    }
    Ok(all)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "load check: run with `cargo test --release -- --ignored`"]
async fn load_20k_commands_with_rate_limits() -> Result<(), Box<dyn std::error::Error>> {
    let ledger = Arc::new(Ledger::default());
    let app = axum::Router::new()
        .route("/calls/{id}/actions/speak", axum::routing::post(command))
        .with_state(ledger.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let base_url = format!("http://{}", listener.local_addr()?);
    let server = tokio::spawn(async move { axum::serve(listener, app).await });

    let client = Client::builder()
        .api_key("KEY_load")
        .base_url(base_url)
        .timeout(Duration::from_secs(10))
        .build()?;

    // Warm up the pool, the allocator and the ledger's table before measuring.
    tokio::time::timeout(DEADLINE, run(&client, 2_000)).await??;
    ledger.ids.lock().map_err(|e| e.to_string())?.clear();
    ledger.new_ids.store(0, Ordering::Relaxed);
    ledger.limited.store(0, Ordering::Relaxed);
    let rss_before = rss_kib().ok_or("cannot read VmRSS")?;

    let started = Instant::now();
    let done = tokio::time::timeout(DEADLINE, run(&client, REQUESTS)).await??;
    let elapsed = started.elapsed();

    let retries: u32 = done.iter().map(|(_, attempts)| attempts - 1).sum();
    let (lost, duplicated, unanswered, limited) = {
        let ids = ledger.ids.lock().map_err(|e| e.to_string())?;
        let mut per_client_id: HashMap<&str, u32> = HashMap::new();
        for (id, _) in &done {
            *per_client_id.entry(id.as_str()).or_default() += 1;
        }
        let lost = REQUESTS - done.len();
        let duplicated = per_client_id.values().filter(|n| **n > 1).count()
            + ids.values().filter(|(_, successes)| *successes > 1).count();
        let unanswered = ids
            .values()
            .filter(|(_, successes)| *successes == 0)
            .count();
        (
            lost,
            duplicated,
            unanswered,
            ledger.limited.load(Ordering::Relaxed),
        )
    };
    let distinct = ledger.ids.lock().map_err(|e| e.to_string())?.len();

    // Drop what the run kept so that only leaks remain in the second measurement.
    drop(done);
    ledger.ids.lock().map_err(|e| e.to_string())?.clear();
    ledger
        .ids
        .lock()
        .map_err(|e| e.to_string())?
        .shrink_to_fit();
    let rss_after = rss_kib().ok_or("cannot read VmRSS")?;

    println!(
        "load: {REQUESTS} requests at concurrency {CONCURRENCY} in {:.2} s = {:.0} requests/s; \
         {retries} retries ({limited} rate-limited); RSS before {rss_before} KiB, after \
         {rss_after} KiB ({:+} KiB)",
        elapsed.as_secs_f64(),
        REQUESTS as f64 / elapsed.as_secs_f64(),
        rss_after as i64 - rss_before as i64,
    );

    assert_eq!(lost, 0, "lost requests");
    assert_eq!(duplicated, 0, "command ids that succeeded more than once");
    assert_eq!(unanswered, 0, "command ids that never succeeded");
    assert_eq!(distinct, REQUESTS, "one command id per logical request");
    assert_eq!(limited, REQUESTS / LIMIT_EVERY);
    assert_eq!(
        retries as usize, limited,
        "each rate-limited request retried once"
    );
    assert!(
        rss_after <= rss_before + RSS_TOLERANCE_KIB,
        "RSS grew from {rss_before} KiB to {rss_after} KiB"
    );
    server.abort();
    Ok(())
}
