//! The pages of a list operation as a stream of pages and a stream of items: every page is asked
//! for in turn until `meta.total_pages`, and an error is yielded once and ends the stream.

use futures_util::{StreamExt, TryStreamExt};
use serde::Deserialize;
use serde_json::json;
use telnyx_call_control_runtime::reqwest::Method;
use telnyx_call_control_runtime::{Client, Error, Pages, Paginated};
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// A list response as Telnyx sends them: `data` and `meta`.
#[derive(Debug, Deserialize)]
struct Page {
    data: Vec<String>,
    meta: Meta,
}

#[derive(Debug, Deserialize)]
struct Meta {
    page_number: Option<i64>,
    total_pages: Option<i64>,
}

impl Paginated for Page {
    type Item = String;

    fn page_number(&self) -> Option<i64> {
        self.meta.page_number
    }

    fn total_pages(&self) -> Option<i64> {
        self.meta.total_pages
    }

    fn into_items(self) -> Vec<String> {
        self.data
    }
}

/// Serves page `number` of `total`, each with two items named after their page.
async fn serve_page(server: &MockServer, number: i64, total: i64) {
    Mock::given(method("GET"))
        .and(path("/things"))
        .and(query_param("page[number]", number.to_string()))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "data": [format!("{number}a"), format!("{number}b")],
            "meta": {"page_number": number, "total_pages": total},
        })))
        .expect(1)
        .mount(server)
        .await;
}

fn pages(client: &Client, first: i64) -> Pages<Page> {
    let client = client.clone();
    Pages::new(first, move |page| {
        client
            .request::<Page, ()>(Method::GET, "/things", None)
            .query("page[number]", page.to_string())
    })
}

fn client(server: &MockServer) -> Result<Client, Error> {
    Client::builder()
        .api_key("KEY")
        .base_url(server.uri())
        .retry_sleep(|_| std::future::ready(()))
        .build()
}

fn names(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| (*s).to_owned()).collect()
}

#[tokio::test]
async fn the_item_stream_drains_every_page_in_order() -> Result<(), Box<dyn std::error::Error>> {
    let server = MockServer::start().await;
    for number in 1..=3 {
        serve_page(&server, number, 3).await;
    }
    let client = client(&server)?;

    let items: Vec<String> = pages(&client, 1).items().try_collect().await?;

    assert_eq!(items, names(&["1a", "1b", "2a", "2b", "3a", "3b"]));
    // Each page was asked for exactly once (the mocks' `expect(1)`), and no fourth.
    assert_eq!(server.received_requests().await.map(|r| r.len()), Some(3));
    Ok(())
}

#[tokio::test]
async fn the_page_stream_starts_at_the_page_asked_for() -> Result<(), Box<dyn std::error::Error>> {
    let server = MockServer::start().await;
    for number in 2..=3 {
        serve_page(&server, number, 3).await;
    }
    let client = client(&server)?;

    let numbers: Vec<Option<i64>> = pages(&client, 2)
        .map_ok(|page| page.page_number())
        .try_collect()
        .await?;

    assert_eq!(numbers, vec![Some(2), Some(3)]);
    Ok(())
}

#[tokio::test]
async fn an_error_is_yielded_once_and_ends_the_stream() -> Result<(), Box<dyn std::error::Error>> {
    let server = MockServer::start().await;
    serve_page(&server, 1, 3).await;
    Mock::given(method("GET"))
        .and(query_param("page[number]", "2"))
        .respond_with(ResponseTemplate::new(404).set_body_json(json!({
            "errors": [{"code": "10005", "title": "Resource not found"}],
        })))
        .expect(1)
        .mount(&server)
        .await;
    let client = client(&server)?;

    let results: Vec<Result<String, Error>> = pages(&client, 1).items().collect().await;

    assert_eq!(results.len(), 3, "{results:?}");
    assert_eq!(results[0].as_deref().ok(), Some("1a"));
    assert_eq!(results[1].as_deref().ok(), Some("1b"));
    let status = results[2].as_ref().err().and_then(Error::status);
    assert_eq!(status.map(|s| s.as_u16()), Some(404));
    Ok(())
}

#[tokio::test]
async fn next_page_and_the_stream_walk_the_same_pages() -> Result<(), Box<dyn std::error::Error>> {
    let server = MockServer::start().await;
    for number in 1..=3 {
        serve_page(&server, number, 3).await;
    }
    let client = client(&server)?;
    let mut pages = pages(&client, 1);

    let first = pages
        .next_page()
        .await
        .transpose()?
        .map(Paginated::into_items);
    let second = pages.next().await.transpose()?.map(Paginated::into_items);
    let rest: Vec<String> = pages.items().try_collect().await?;

    assert_eq!(first, Some(names(&["1a", "1b"])));
    assert_eq!(second, Some(names(&["2a", "2b"])));
    assert_eq!(rest, names(&["3a", "3b"]));
    Ok(())
}

#[tokio::test]
async fn a_response_that_names_another_page_does_not_stall_the_walk(
) -> Result<(), Box<dyn std::error::Error>> {
    // A server answering every page with the same `page_number` (as a canned example does).
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "data": ["x"],
            "meta": {"page_number": 2, "total_pages": 3},
        })))
        .mount(&server)
        .await;
    let client = client(&server)?;

    let items: Vec<String> = pages(&client, 1).items().try_collect().await?;

    assert_eq!(items.len(), 3);
    let asked: Vec<Option<String>> = server
        .received_requests()
        .await
        .unwrap_or_default()
        .iter()
        .map(|r| {
            r.url
                .query_pairs()
                .find(|(k, _)| k == "page[number]")
                .map(|(_, v)| v.into_owned())
        })
        .collect();
    let expected: Vec<Option<String>> = ["1", "2", "3"].map(|n| Some(n.to_owned())).into();
    assert_eq!(asked, expected);
    Ok(())
}
