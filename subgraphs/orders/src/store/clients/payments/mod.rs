//! The payment provider: the interface the service asks ([`provider`]), the
//! built-in sandbox behind it ([`sandbox`]) and the signature over the
//! callbacks it sends ([`signature`]).

pub mod provider;
pub mod sandbox;
pub mod signature;
