//! What a request looks like on the wire (auth, headers, path, query, body) and what callers
//! get back (raw response, empty bodies, decode and build errors), plus key redaction.

use std::collections::HashMap;

use serde_json::{json, Value};
use telnyx_call_control_runtime::reqwest::{Method, StatusCode};
use telnyx_call_control_runtime::{encode_path_segment, Client, Error};
use wiremock::matchers::{body_json, header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

type TestResult = Result<(), Box<dyn std::error::Error>>;

const KEY: &str = "KEY_0123456789_secret";

fn client(server: &MockServer) -> Result<Client, Error> {
    Client::builder()
        .api_key(KEY)
        .base_url(format!("{}/v2", server.uri()))
        .max_retries(0)
        .build()
}

async fn only_request(
    server: &MockServer,
) -> Result<wiremock::Request, Box<dyn std::error::Error>> {
    let mut requests = server.received_requests().await.unwrap_or_default();
    if requests.len() != 1 {
        return Err(format!("expected one request, got {}", requests.len()).into());
    }
    Ok(requests.remove(0))
}

#[tokio::test]
async fn requests_carry_auth_user_agent_and_json_body() -> TestResult {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v2/calls"))
        .and(header("authorization", format!("Bearer {KEY}").as_str()))
        .and(header(
            "user-agent",
            concat!("telnyx-call-control-runtime/", env!("CARGO_PKG_VERSION")),
        ))
        .and(header("content-type", "application/json"))
        .and(header("accept", "application/json"))
        .and(body_json(json!({"to": "+15550001111"})))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"data": {"id": 1}})))
        .expect(1)
        .mount(&server)
        .await;

    let body: Value = client(&server)?
        .request(Method::POST, "/calls", Some(&json!({"to": "+15550001111"})))
        .await?;

    assert_eq!(body["data"]["id"], 1);
    Ok(())
}

#[tokio::test]
async fn per_request_header_is_sent_and_can_replace_defaults() -> TestResult {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .mount(&server)
        .await;

    client(&server)?
        .request::<Value, ()>(Method::GET, "/balance", None)
        .header("x-trace-id", "trace-42")
        .header("user-agent", "my-app/2")
        .await?;

    let request = only_request(&server).await?;
    let get = |name: &str| {
        request
            .headers
            .get_all(name)
            .iter()
            .filter_map(|v| v.to_str().ok().map(str::to_owned))
            .collect::<Vec<_>>()
    };
    assert_eq!(get("x-trace-id"), ["trace-42"]);
    assert_eq!(get("user-agent"), ["my-app/2"]);
    assert_eq!(get("authorization"), [format!("Bearer {KEY}")]);
    assert!(get("content-type").is_empty(), "no body, no content type");
    Ok(())
}

#[tokio::test]
async fn invalid_header_is_a_build_error_and_nothing_is_sent() -> TestResult {
    let server = MockServer::start().await;

    let err = client(&server)?
        .request::<Value, ()>(Method::GET, "/balance", None)
        .header("bad header", "x")
        .await
        .err()
        .ok_or("expected an error")?;

    assert!(matches!(err, Error::Build { .. }), "{err:?}");
    assert_eq!(err.attempts(), 0);
    assert_eq!(server.received_requests().await.map_or(0, |r| r.len()), 0);
    Ok(())
}

#[tokio::test]
async fn unserializable_body_is_a_build_error() -> TestResult {
    let server = MockServer::start().await;
    let body: HashMap<(u8, u8), u8> = HashMap::from([((1, 2), 3)]);

    let err = client(&server)?
        .request::<Value, _>(Method::POST, "/calls", Some(&body))
        .await
        .err()
        .ok_or("expected an error")?;

    assert!(matches!(err, Error::Build { .. }), "{err:?}");
    assert!(std::error::Error::source(&err).is_some());
    assert!(err
        .to_string()
        .starts_with("POST /calls: could not build request"));
    assert_eq!(server.received_requests().await.map_or(0, |r| r.len()), 0);
    Ok(())
}

#[tokio::test]
async fn query_parameters_keep_their_bracketed_names_and_order() -> TestResult {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v2/calls"))
        .and(query_param("page[number]", "2"))
        .and(query_param("filter[status]", "in progress"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"data": []})))
        .expect(1)
        .mount(&server)
        .await;

    client(&server)?
        .request::<Value, ()>(Method::GET, "/calls", None)
        .query("page[number]", "2")
        .query("filter[status]", "in progress")
        .await?;

    let request = only_request(&server).await?;
    let names: Vec<String> = request
        .url
        .query_pairs()
        .map(|(k, _)| k.into_owned())
        .collect();
    assert_eq!(names, ["page[number]", "filter[status]"]);
    Ok(())
}

#[tokio::test]
async fn path_parameters_are_percent_encoded() -> TestResult {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v2/calls/v3%3Aa%2Fb%20c%3F"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .expect(1)
        .mount(&server)
        .await;
    let id = encode_path_segment("v3:a/b c?");

    client(&server)?
        .request::<Value, ()>(Method::GET, &format!("/calls/{id}"), None)
        .await?;

    Ok(())
}

#[tokio::test]
async fn dot_segments_in_a_path_are_refused() -> TestResult {
    let server = MockServer::start().await;
    let id = encode_path_segment("..");

    let err = client(&server)?
        .request::<Value, ()>(Method::POST, &format!("/calls/{id}/actions/hangup"), None)
        .await
        .err()
        .ok_or("expected an error")?;

    assert!(matches!(err, Error::Build { .. }), "{err:?}");
    assert_eq!(server.received_requests().await.map_or(0, |r| r.len()), 0);
    Ok(())
}

#[tokio::test]
async fn raw_response_exposes_status_headers_and_request_id() -> TestResult {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(201)
                .insert_header("x-request-id", "req-123")
                .insert_header("x-ratelimit-remaining", "99")
                .set_body_json(json!({"data": {"call_control_id": "v3:abc"}})),
        )
        .mount(&server)
        .await;

    let response = client(&server)?
        .request::<Value, _>(Method::POST, "/calls", Some(&json!({})))
        .send_with_response()
        .await?;

    assert_eq!(response.status(), StatusCode::CREATED);
    assert_eq!(response.request_id(), Some("req-123"));
    assert_eq!(
        response
            .headers()
            .get("x-ratelimit-remaining")
            .and_then(|v| v.to_str().ok()),
        Some("99")
    );
    assert_eq!(response.attempts(), 1);
    assert_eq!(response["data"]["call_control_id"], "v3:abc");
    assert_eq!(response.into_data()["data"]["call_control_id"], "v3:abc");
    Ok(())
}

#[tokio::test]
async fn empty_body_decodes_as_unit() -> TestResult {
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;

    let response = client(&server)?
        .request::<(), ()>(Method::DELETE, "/calls/x", None)
        .send_with_response()
        .await?;

    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    Ok(())
}

#[tokio::test]
async fn undecodable_success_body_is_a_decode_error_with_a_snippet() -> TestResult {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("x-request-id", "req-d")
                .set_body_string("{\"data\": [1, 2"),
        )
        .mount(&server)
        .await;

    let err = client(&server)?
        .request::<Value, ()>(Method::GET, "/calls", None)
        .max_retries(2)
        .await
        .err()
        .ok_or("expected an error")?;

    match &err {
        Error::Decode {
            status,
            body_snippet,
            ..
        } => {
            assert_eq!(*status, StatusCode::OK);
            assert_eq!(body_snippet, "{\"data\": [1, 2");
        }
        other => return Err(format!("expected a decode error, got {other:?}").into()),
    }
    assert!(!err.is_retryable());
    assert_eq!(err.request_id(), Some("req-d"));
    assert_eq!(server.received_requests().await.map_or(0, |r| r.len()), 1);
    Ok(())
}

#[tokio::test]
async fn non_json_error_body_gives_a_bounded_snippet() -> TestResult {
    let server = MockServer::start().await;
    let page = format!("<html><body>{}</body></html>", "Bad gateway ".repeat(200));
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(502).set_body_string(page))
        .mount(&server)
        .await;

    let err = client(&server)?
        .request::<Value, ()>(Method::GET, "/calls", None)
        .await
        .err()
        .ok_or("expected an error")?;

    let api = err.api_error().ok_or("expected an API error")?;
    assert_eq!(api.status, StatusCode::BAD_GATEWAY);
    assert!(api.errors.is_empty());
    assert!(api.body_snippet.starts_with("<html><body>Bad gateway"));
    assert!(api.body_snippet.len() <= 512, "{}", api.body_snippet.len());
    let shown = err.to_string();
    assert!(
        shown.starts_with("GET /calls: HTTP 502 Bad Gateway: <html><body>Bad gateway"),
        "{shown}"
    );
    assert!(!shown.contains('\n'));
    Ok(())
}

#[tokio::test]
async fn api_key_never_shows_in_debug_or_errors() -> TestResult {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(401).set_body_json(
            json!({"errors": [{"code": "10009", "title": "Authentication failed"}]}),
        ))
        .mount(&server)
        .await;
    let client = client(&server)?;

    let err = client
        .request::<Value, ()>(Method::GET, "/balance", None)
        .await
        .err()
        .ok_or("expected an error")?;

    for shown in [
        format!("{client:?}"),
        format!("{err}"),
        format!("{err:?}"),
        format!("{:?}", client.request::<Value, ()>(Method::GET, "/x", None)),
    ] {
        assert!(!shown.contains("secret"), "{shown}");
        assert!(!shown.contains(KEY), "{shown}");
    }
    assert!(format!("{client:?}").contains("<redacted>"));
    assert!(err.to_string().contains("Authentication failed"));
    Ok(())
}

#[tokio::test]
async fn base_url_path_and_trailing_slash_are_joined_once() -> TestResult {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v2/balance"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"ok": true})))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::builder()
        .api_key(KEY)
        .base_url(format!("{}/v2/", server.uri()))
        .build()?;

    let body: Value = client
        .request::<_, ()>(Method::GET, "balance", None)
        .await?;

    assert_eq!(body["ok"], true);
    Ok(())
}
