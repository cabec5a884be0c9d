//! Subscriptions to a subgraph over WebSocket (graphql-transport-ws, which
//! async-graphql, Apollo and Hive subgraphs speak): events arrive as a
//! stream of subgraph responses.

use futures::{SinkExt, StreamExt, stream::BoxStream};
use hyper::Uri;
use serde_json::{Value, json};
use tokio::sync::mpsc;
use tokio_tungstenite::{
    connect_async,
    tungstenite::{Message, client::IntoClientRequest, http::HeaderValue},
};

use super::client::{SubgraphError, SubgraphRequest, SubgraphResponse};

type Event = Result<SubgraphResponse, SubgraphError>;

/// `http://host/graphql` → `ws://host/graphql`.
fn websocket_url(url: &Uri) -> String {
    let text = url.to_string();
    if let Some(rest) = text.strip_prefix("https://") {
        format!("wss://{rest}")
    } else if let Some(rest) = text.strip_prefix("http://") {
        format!("ws://{rest}")
    } else {
        text
    }
}

/// Opens the subscription; the connection lives as long as the stream.
pub async fn subscribe(
    url: &Uri,
    request: SubgraphRequest,
    init_payload: Value,
) -> Result<BoxStream<'static, Event>, SubgraphError> {
    let mut ws_request = websocket_url(url)
        .into_client_request()
        .map_err(|e| SubgraphError::Transport(e.to_string()))?;
    ws_request.headers_mut().insert(
        "Sec-WebSocket-Protocol",
        HeaderValue::from_static("graphql-transport-ws"),
    );
    for (name, value) in &request.headers {
        ws_request.headers_mut().insert(name, value.clone());
    }
    let (socket, _) = connect_async(ws_request)
        .await
        .map_err(|e| SubgraphError::Transport(e.to_string()))?;
    let (mut sink, mut source) = socket.split();
    let send = |value: Value| Message::Text(value.to_string().into());
    sink.send(send(
        json!({"type": "connection_init", "payload": init_payload}),
    ))
    .await
    .map_err(|e| SubgraphError::Transport(e.to_string()))?;
    // Wait for the acknowledgement before subscribing.
    loop {
        match source.next().await {
            Some(Ok(Message::Text(text))) => {
                let message: Value = serde_json::from_str(text.as_str())
                    .map_err(|e| SubgraphError::InvalidResponse(e.to_string()))?;
                match message["type"].as_str() {
                    Some("connection_ack") => break,
                    Some("ping") => {
                        let _ = sink.send(send(json!({"type": "pong"}))).await;
                    }
                    _ => {
                        return Err(SubgraphError::InvalidResponse(format!(
                            "expected connection_ack, got {message}"
                        )));
                    }
                }
            }
            Some(Ok(_)) => {}
            Some(Err(e)) => return Err(SubgraphError::Transport(e.to_string())),
            None => {
                return Err(SubgraphError::Transport(
                    "the subgraph closed the connection".into(),
                ));
            }
        }
    }
    sink.send(send(json!({
        "id": "1",
        "type": "subscribe",
        // The request body is the payload: `{"query", "variables"}`.
        "payload": serde_json::from_slice::<Value>(&request.body)
            .map_err(|e| SubgraphError::Transport(format!("encoding the request: {e}")))?,
    })))
    .await
    .map_err(|e| SubgraphError::Transport(e.to_string()))?;

    let (events, receiver) = mpsc::channel::<Event>(16);
    tokio::spawn(async move {
        loop {
            tokio::select! {
                // The client went away: tell the subgraph and stop.
                () = events.closed() => {
                    let _ = sink.send(send(json!({"id": "1", "type": "complete"}))).await;
                    let _ = sink.close().await;
                    return;
                }
                message = source.next() => {
                    let text = match message {
                        Some(Ok(Message::Text(text))) => text,
                        Some(Ok(Message::Close(_))) | None => return,
                        Some(Ok(_)) => continue,
                        Some(Err(e)) => {
                            let _ = events.send(Err(SubgraphError::Transport(e.to_string()))).await;
                            return;
                        }
                    };
                    let Ok(message) = serde_json::from_str::<Value>(text.as_str()) else {
                        let _ = events
                            .send(Err(SubgraphError::InvalidResponse("a message is not JSON".into())))
                            .await;
                        return;
                    };
                    match message["type"].as_str() {
                        Some("next") => {
                            let event = SubgraphResponse::from_value(
                                message.get("payload").unwrap_or(&Value::Null),
                            );
                            if events.send(event).await.is_err() {
                                return;
                            }
                        }
                        Some("error") => {
                            let errors = match message.get("payload") {
                                Some(Value::Array(list)) => list.clone(),
                                Some(other) => vec![other.clone()],
                                None => Vec::new(),
                            };
                            let event = SubgraphResponse::from_value(&json!({"errors": errors}));
                            let _ = events.send(event).await;
                            return;
                        }
                        Some("complete") => return,
                        Some("ping") => {
                            let _ = sink.send(send(json!({"type": "pong"}))).await;
                        }
                        _ => {}
                    }
                }
            }
        }
    });
    Ok(
        futures::stream::unfold(receiver, |mut receiver| async move {
            receiver.recv().await.map(|event| (event, receiver))
        })
        .boxed(),
    )
}
