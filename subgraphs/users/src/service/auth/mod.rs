//! Credentials: password hashing and the tokens a session hands out.

pub mod password;
pub mod tokens;
