//! Where a subgraph request came from, for resolvers that limit per client
//! (login attempts). Both candidates are handed over; only the service
//! knows whether a proxy it trusts (the router) sits in front of it.

use std::net::{IpAddr, SocketAddr};

use axum::http::HeaderMap;

/// The header the router sets to the client address it determined.
pub const FORWARDED_FOR: &str = "x-forwarded-for";

/// Request data of every subgraph GraphQL request made over HTTP.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ClientAddress {
    /// The connection's peer: the client itself, or the proxy in front.
    pub peer: Option<IpAddr>,
    /// The last `X-Forwarded-For` entry, the one the nearest proxy added;
    /// anyone can send this header, so it means something only behind a
    /// proxy that sets it.
    pub forwarded_for: Option<IpAddr>,
}

impl ClientAddress {
    pub fn of(headers: &HeaderMap, peer: Option<SocketAddr>) -> Self {
        let forwarded_for = headers
            .get_all(FORWARDED_FOR)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .filter_map(|v| v.trim().parse::<IpAddr>().ok())
            .next_back();
        Self {
            peer: peer.map(|p| p.ip()),
            forwarded_for,
        }
    }

    /// The client: the forwarded address when the proxy in front is
    /// trusted to set it, else the peer.
    pub fn client(&self, trust_forwarded_for: bool) -> Option<IpAddr> {
        match self.forwarded_for {
            Some(ip) if trust_forwarded_for => Some(ip),
            _ => self.peer,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_forwarded_address_counts_only_when_trusted() {
        let mut headers = HeaderMap::new();
        headers.append(FORWARDED_FOR, "203.0.113.9, 198.51.100.7".parse().unwrap());
        let peer: SocketAddr = "10.0.0.2:5000".parse().unwrap();
        let address = ClientAddress::of(&headers, Some(peer));
        assert_eq!(address.forwarded_for, Some("198.51.100.7".parse().unwrap()));
        assert_eq!(address.client(true), Some("198.51.100.7".parse().unwrap()));
        assert_eq!(address.client(false), Some(peer.ip()));
        let direct = ClientAddress::of(&HeaderMap::new(), Some(peer));
        assert_eq!(direct.client(true), Some(peer.ip()));
    }
}
