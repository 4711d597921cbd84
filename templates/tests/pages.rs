//! A list operation drained through its item stream against the fake Telnyx, across three pages.
#![cfg(feature = "testing")]

use futures_util::{StreamExt, TryStreamExt};
use serde_json::{json, Value};
use telnyx_call_control::testing::{FakeTelnyx, Fault, Operation};
use telnyx_call_control::types::Conference;
use telnyx_call_control::Paginated;

/// Page `number` of three, with two conferences named after it.
fn page(number: u32) -> Value {
    let conference = |name: String| {
        json!({
            "record_type": "conference",
            "id": format!("conf-{name}"),
            "name": name,
            "created_at": "2026-01-01T00:00:00Z",
            "expires_at": "2026-01-01T04:00:00Z",
        })
    };
    json!({
        "data": [conference(format!("{number}a")), conference(format!("{number}b"))],
        "meta": {"page_number": number, "page_size": 2, "total_pages": 3, "total_results": 6},
    })
}

#[tokio::test]
async fn the_item_stream_drains_three_pages_in_order() -> Result<(), Box<dyn std::error::Error>> {
    let fake = FakeTelnyx::start().await?;
    for number in 1..=3 {
        fake.fail(
            Operation::ConferenceList,
            Fault::status(200).body(page(number)),
        );
    }

    let conferences: Vec<Conference> = fake
        .client()
        .conferences()
        .list_pages()
        .items()
        .try_collect()
        .await?;

    let names: Vec<&str> = conferences.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["1a", "1b", "2a", "2b", "3a", "3b"]);
    let asked = fake
        .requests()
        .iter()
        .filter(|r| r.operation == Some(Operation::ConferenceList) && r.status == 200)
        .count();
    assert_eq!(asked, 3, "one request per page, none after the last");
    Ok(())
}

#[tokio::test]
async fn the_page_stream_stops_at_total_pages_whatever_page_number_says(
) -> Result<(), Box<dyn std::error::Error>> {
    // Unscripted, the fake answers every page with the spec's example: page 2 of 3.
    let fake = FakeTelnyx::start().await?;

    let pages: Vec<_> = fake.client().conferences().list_pages().collect().await;

    assert_eq!(pages.len(), 3);
    for page in pages {
        assert_eq!(page?.total_pages(), Some(3));
    }
    Ok(())
}

#[tokio::test]
async fn an_error_ends_the_item_stream_after_the_items_before_it(
) -> Result<(), Box<dyn std::error::Error>> {
    let fake = FakeTelnyx::start().await?;
    fake.fail(Operation::ConferenceList, Fault::status(200).body(page(1)));
    fake.fail(Operation::ConferenceList, Fault::status(403));

    let results: Vec<_> = fake
        .client()
        .conferences()
        .list_pages()
        .items()
        .collect()
        .await;

    assert_eq!(results.len(), 3);
    assert!(results[..2].iter().all(Result::is_ok));
    let status = results[2].as_ref().err().and_then(|e| e.status());
    assert_eq!(status.map(|s| s.as_u16()), Some(403));
    Ok(())
}
