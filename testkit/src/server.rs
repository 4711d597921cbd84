//! The fake's HTTP side: each request is matched to an operation's [`Route`] and checked as the API
//! checks it (bearer key, path, method, body against the schema), recorded as it arrives, run (by the
//! call simulator when it is on), and answered with the spec's example response, or with a fault the
//! test asked for. A delayed or dropped answer is held after the command ran, as when the network
//! loses an answer the API already acted on.

use std::sync::Arc;
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::Router;
use serde_json::{json, Value};

use crate::contract::{Operation, Route, Segment, Typed};
use crate::fault::Fault;
use crate::record::{Command, RecordedRequest};
use crate::schema::{check, Problem};
use crate::shared::Shared;
use crate::sim::{read, Params, Refusal};
use telnyx_call_control_contract::Field;

struct Ctx<O: Operation> {
    shared: Arc<Shared<O>>,
    prefix: String,
}

pub(crate) fn router<O: Operation>(shared: Arc<Shared<O>>, prefix: String) -> Router {
    Router::new()
        .fallback(handle::<O>)
        .with_state(Arc::new(Ctx { shared, prefix }))
}

/// An answer and what to record about the request.
struct Answer<O> {
    status: u16,
    body: Value,
    operation: Option<O>,
    /// The call it is about (the path's, or the one it created).
    call: Option<String>,
}

impl<O: Operation> Answer<O> {
    fn error(status: u16, operation: Option<O>, errors: Vec<Value>) -> Self {
        Answer {
            status,
            body: json!({ "errors": errors }),
            operation,
            call: None,
        }
    }

    fn refused(operation: O, refusal: &Refusal) -> Self {
        let mut error = error(refusal.code, refusal.title, refusal.detail.clone());
        if let Some(pointer) = refusal.pointer {
            error["source"] = json!({ "pointer": pointer });
        }
        Answer::error(refusal.status, Some(operation), vec![error])
    }
}

/// What the fake does after it decided the answer.
enum Hold {
    Answer,
    /// Answer after this long (`Fault::delay`, `Fault::after`).
    Delay(Duration),
    /// Never answer (`Fault::drop_answer`): the client sees its own timeout.
    Drop,
}

fn error(code: &str, title: &str, detail: impl Into<String>) -> Value {
    json!({"code": code, "title": title, "detail": detail.into()})
}

fn problem(p: &Problem) -> Value {
    let (code, title) = if p.detail == "is required" {
        ("10004", "Missing required parameter")
    } else {
        ("10015", "Invalid parameter")
    };
    let field = if p.pointer.is_empty() {
        "the body"
    } else {
        p.pointer.as_str()
    };
    json!({
        "code": code,
        "title": title,
        "detail": format!("{field} {}", p.detail),
        "source": {"pointer": p.pointer},
    })
}

async fn handle<O: Operation>(
    State(ctx): State<Arc<Ctx<O>>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let path = uri.path().to_owned();
    // Everything up to the answer runs without waiting, so requests are recorded in the order they
    // arrive and a command has run (and queued its events) before its answer is held back.
    let (answer, hold) = {
        let _busy = ctx.shared.busy(format!("the request {method} {path}"));
        answer(&ctx, &method, &path, &headers, &body)
    };
    match hold {
        Hold::Answer => {}
        Hold::Delay(delay) => tokio::time::sleep(delay).await,
        Hold::Drop => std::future::pending::<()>().await,
    }
    let status = StatusCode::from_u16(answer.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let bytes = if answer.body.is_null() {
        Vec::new()
    } else {
        serde_json::to_vec(&answer.body).unwrap_or_default()
    };
    (status, [(header::CONTENT_TYPE, "application/json")], bytes).into_response()
}

/// Checks, runs and records one request; the answer is sent (or held) by the caller.
fn answer<O: Operation>(
    ctx: &Ctx<O>,
    method: &Method,
    path: &str,
    headers: &HeaderMap,
    body: &[u8],
) -> (Answer<O>, Hold) {
    let command_id = serde_json::from_slice::<Value>(body)
        .ok()
        .and_then(|v| read(&v, Field::CommandId)?.as_str().map(str::to_owned));
    let (answer, fault) = decide(ctx, method, path, headers, body);
    let hold = match &fault {
        Some(Fault { drop: true, .. }) => Hold::Drop,
        Some(Fault {
            delay: Some(delay), ..
        }) => Hold::Delay(*delay),
        _ => Hold::Answer,
    };
    let mut state = ctx.shared.state();
    let path = path.strip_prefix(&ctx.prefix).unwrap_or(path).to_owned();
    let what = match (answer.operation, answer.body.pointer("/errors/0/code")) {
        (Some(op), Some(Value::String(code))) if answer.status >= 400 => {
            format!("command {op:?} → {} ({code})", answer.status)
        }
        (Some(op), _) => format!("command {op:?} → {}", answer.status),
        (None, _) => format!("request {method} {path} → {}", answer.status),
    };
    state.sim.note(answer.call.as_deref(), what);
    state.requests.push(RecordedRequest {
        method: method.to_string(),
        path,
        operation: answer.operation,
        status: answer.status,
        command_id,
        dropped: matches!(hold, Hold::Drop),
    });
    drop(state);
    (answer, hold)
}

/// The answer to a request, and the fault it was given, if any.
fn decide<O: Operation>(
    ctx: &Ctx<O>,
    method: &Method,
    path: &str,
    headers: &HeaderMap,
    body: &[u8],
) -> (Answer<O>, Option<Fault>) {
    let shared = &ctx.shared;
    let authorized = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .is_some_and(|key| key == shared.api_key);
    if !authorized {
        let detail = "The API key is missing or is not the fake's.";
        let answer = Answer::error(
            401,
            None,
            vec![error("10009", "Authentication failed", detail)],
        );
        return (answer, None);
    }
    let Some((route, params)) = find(&ctx.prefix, path, method) else {
        let detail = format!("No operation of this crate is {method} {path}.");
        let answer = Answer::error(
            404,
            None,
            vec![error("10005", "Resource not found", detail)],
        );
        return (answer, None);
    };
    let operation = route.operation;
    let fault = take_fault(shared, operation);
    if let Some(Fault {
        status: Some(status),
        body,
        ..
    }) = &fault
    {
        // The API refused it: the command does not run.
        let body = body.clone().unwrap_or_else(|| {
            let detail = "Answered by FakeTelnyx::fail.";
            json!({"errors": [error(&status.to_string(), "Injected fault", detail)]})
        });
        let answer = Answer {
            status: *status,
            body,
            operation: Some(operation),
            call: path_call(&params),
        };
        return (answer, fault);
    }
    let answer = match read_body(route, headers, body) {
        Ok((json, typed)) => accept(shared, route, params, json, typed),
        Err(answer) => Answer {
            operation: Some(operation),
            call: path_call(&params),
            ..answer
        },
    };
    (answer, fault)
}

/// The route for a path and method, with the path's parameters (percent-decoded) by name.
fn find<O: Operation>(
    prefix: &str,
    path: &str,
    method: &Method,
) -> Option<(&'static Route<O>, Params)> {
    let rest = path.strip_prefix(prefix)?;
    let parts: Vec<&str> = rest.trim_start_matches('/').split('/').collect();
    O::routes().iter().find_map(|route| {
        if route.method != method.as_str() || route.segments.len() != parts.len() {
            return None;
        }
        let mut params = Vec::new();
        for (segment, part) in route.segments.iter().zip(&parts) {
            match segment {
                Segment::Static(s) if s == part => {}
                Segment::Static(_) => return None,
                Segment::Param(name) => {
                    let decoded = percent_encoding::percent_decode_str(part)
                        .decode_utf8()
                        .ok()?;
                    if decoded.is_empty() {
                        return None;
                    }
                    params.push((*name, decoded.into_owned()));
                }
            }
        }
        Some((route, params))
    })
}

fn take_fault<O: Operation>(shared: &Shared<O>, operation: O) -> Option<Fault> {
    let mut state = shared.state();
    let queue = state.faults.get_mut(&operation)?;
    let front = queue.front_mut()?;
    let fault = front.clone();
    front.times = front.times.saturating_sub(1);
    if front.times == 0 {
        queue.pop_front();
    }
    (fault.times > 0).then_some(fault)
}

type Read = (Value, Option<Typed>);

/// The body checked against the operation's schema and read into its request type.
fn read_body<O: Operation>(
    route: &Route<O>,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<Read, Answer<O>> {
    let Some(spec) = &route.body else {
        return Ok((Value::Null, None));
    };
    let empty = body.iter().all(u8::is_ascii_whitespace);
    let Some((shape, parse)) = &spec.json else {
        if empty && spec.required {
            let missing = Problem {
                pointer: String::new(),
                detail: "is required".into(),
            };
            return Err(Answer::error(422, None, vec![problem(&missing)]));
        }
        return Ok((Value::Null, None));
    };
    if empty {
        if !spec.required {
            return Ok((Value::Null, None));
        }
        let missing = Problem {
            pointer: String::new(),
            detail: "is required".into(),
        };
        return Err(Answer::error(422, None, vec![problem(&missing)]));
    }
    let json_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            let essence = v.split(';').next().unwrap_or("").trim();
            essence.eq_ignore_ascii_case("application/json") || essence.ends_with("+json")
        });
    if !json_type {
        let detail = "The body must be sent as application/json.";
        return Err(Answer::error(
            415,
            None,
            vec![error("10015", "Unsupported media type", detail)],
        ));
    }
    let value: Value = serde_json::from_slice(body).map_err(|e| {
        let detail = format!("The body is not JSON: {e}.");
        Answer::error(400, None, vec![error("10015", "Bad Request", detail)])
    })?;
    let problems = check(O::schemas(), shape, &value);
    if !problems.is_empty() {
        return Err(Answer::error(
            422,
            None,
            problems.iter().map(problem).collect(),
        ));
    }
    let typed = parse(value.clone()).map_err(|e| {
        let wrong = Problem {
            pointer: String::new(),
            detail: format!("does not fit the request type: {e}"),
        };
        Answer::error(422, None, vec![problem(&wrong)])
    })?;
    Ok((value, Some(typed)))
}

/// The path parameter that names a call.
const CALL_ID: &str = "call_control_id";

/// The call a request's path names.
fn path_call(params: &Params) -> Option<String> {
    params
        .iter()
        .find_map(|(name, value)| (*name == CALL_ID).then(|| value.clone()))
}

/// Runs a valid command (through the simulator when it is on, unless the test gives its reaction),
/// records it, queues the events that follow it, and answers the example response.
fn accept<O: Operation>(
    shared: &Shared<O>,
    route: &Route<O>,
    params: Params,
    json: Value,
    typed: Option<Typed>,
) -> Answer<O> {
    let mut response = route
        .response
        .and_then(|text| serde_json::from_str::<Value>(text).ok())
        .unwrap_or(Value::Null);
    let call_id = path_call(&params);
    let command_id = read(&json, Field::CommandId).and_then(Value::as_str);
    let key = command_id.map(|c| (call_id.clone().unwrap_or_default(), c.to_owned()));
    let mut state = shared.state();
    if let Some(first) = key.as_ref().and_then(|key| state.answered.get(key)) {
        // The API runs a command once per command_id: a repeat gets the first one's answer.
        let created = route
            .response_call_id
            .and_then(|path| first.pointer(&format!("/{}", path.join("/"))))
            .and_then(Value::as_str)
            .map(str::to_owned);
        return Answer {
            status: route.status,
            body: first.clone(),
            operation: Some(route.operation),
            call: created.or(call_id),
        };
    }
    let reaction = state.reactions.get(&route.operation).cloned();
    let (call_id, simulated) = if state.simulate {
        let ran = match reaction {
            Some(_) => state
                .sim
                .check_only(route, &params, &json, &mut response)
                .map(|call| (call, Vec::new())),
            None => state
                .sim
                .command(route, &params, &json, &mut response)
                .map(|outcome| (outcome.call, outcome.events)),
        };
        match ran {
            Ok((created, events)) => (created.or(call_id), events),
            Err(refusal) => {
                let mut answer = Answer::refused(route.operation, &refusal);
                answer.call = call_id;
                return answer;
            }
        }
    } else {
        (
            created_call(&mut state.calls_created, route, call_id),
            Vec::new(),
        )
    };
    if let (Some(id), Some(path)) = (&call_id, route.response_call_id) {
        set_string(&mut response, path, id);
    }
    if let Some(key) = key {
        state.answered.insert(key, response.clone());
    }
    let (typed, type_name) = match typed {
        Some((typed, name)) => (Some(typed), Some(name)),
        None => (None, None),
    };
    let command = Command {
        operation: route.operation,
        call_control_id: call_id.clone(),
        json,
        typed,
        type_name,
    };
    let events = match reaction {
        Some(react) => {
            // The test's function runs without the lock, so it may ask the fake anything.
            drop(state);
            let mut events = react(&command);
            state = shared.state();
            if let Some(id) = &command.call_control_id {
                // Under the simulator, the call's client state (the command's, if it gave one);
                // without it, the command's.
                let client_state = match (state.simulate, command.client_state()) {
                    (true, None) => state.sim.client_state_of(id).map(str::to_owned),
                    (_, given) => given.map(str::to_owned),
                };
                for event in &mut events {
                    event.fill_from_command(id, client_state.as_deref());
                }
            }
            if state.simulate {
                for event in &events {
                    state.sim.take_in(event);
                }
            }
            events
        }
        None => simulated,
    };
    state.commands.push(command);
    drop(state);
    shared.enqueue(events);
    Answer {
        status: route.status,
        body: response,
        operation: Some(route.operation),
        call: call_id,
    }
}

/// Without the simulator: the path's call, or a new id for an operation that creates a call.
fn created_call<O: Operation>(
    count: &mut u64,
    route: &Route<O>,
    call_id: Option<String>,
) -> Option<String> {
    match (call_id, route.response_call_id) {
        (Some(id), _) => Some(id),
        (None, Some(_)) => {
            *count += 1;
            Some(format!("v3:fake-call-{count}"))
        }
        (None, None) => None,
    }
}

fn set_string(value: &mut Value, path: &[&str], text: &str) {
    let mut at = value;
    for key in path {
        match at.get_mut(*key) {
            Some(next) => at = next,
            None => return,
        }
    }
    *at = Value::String(text.to_owned());
}
