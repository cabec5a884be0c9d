//! Operations over WebSocket on `/graphql`, in both protocols clients
//! use: graphql-transport-ws (`subscribe`/`next`, enisdenjo/graphql-ws) and
//! the legacy graphql-ws (`start`/`data`, subscriptions-transport-ws).
//!
//! `dialect` is what the protocols share and the rules each must answer
//! for, `transport_ws` and `legacy` implement them, `session` runs one
//! socket and `operation` one operation on it.

mod dialect;
mod legacy;
mod operation;
mod session;
mod transport_ws;

use std::{net::IpAddr, sync::Arc};

use axum::{
    extract::ws::{CloseFrame, Message, WebSocket, WebSocketUpgrade},
    http::HeaderMap,
    response::Response,
};
use futures::SinkExt;

use self::dialect::Dialect;
use super::runtime::Runtime;

/// `ip` is the client address of the upgrade request: operations on the
/// socket are rate-limited like HTTP requests from it.
pub fn upgrade(
    runtime: Arc<Runtime>,
    upgrade: WebSocketUpgrade,
    headers: HeaderMap,
    ip: Option<IpAddr>,
) -> Response {
    // graphql-transport-ws first: a client offering both gets it.
    let upgrade = upgrade.protocols([transport_ws::SUBPROTOCOL, legacy::SUBPROTOCOL]);
    let dialect: Option<&'static dyn Dialect> = match upgrade
        .selected_protocol()
        .map(|p| p.as_bytes())
    {
        Some(p) if p == transport_ws::SUBPROTOCOL.as_bytes() => Some(&transport_ws::TransportWs),
        Some(p) if p == legacy::SUBPROTOCOL.as_bytes() => Some(&legacy::Legacy),
        _ => None,
    };
    upgrade.on_upgrade(move |socket| async move {
        match dialect {
            Some(dialect) => session::run(socket, runtime, dialect, headers, ip).await,
            None => not_acceptable(socket).await,
        }
    })
}

/// Without a protocol both sides speak, the reference server accepts the
/// upgrade and closes at once with 4406 (a refused upgrade would leave
/// browsers with a bare 1006 and no reason).
async fn not_acceptable(mut socket: WebSocket) {
    let frame = CloseFrame {
        code: 4406,
        reason: "Subprotocol not acceptable".into(),
    };
    let _ = socket.send(Message::Close(Some(frame))).await;
    let _ = socket.close().await;
}
