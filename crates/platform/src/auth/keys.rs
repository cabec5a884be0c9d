//! The Ed25519 key that signs access tokens.

use base64::{Engine as _, engine::general_purpose::URL_SAFE_NO_PAD};
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use ring::{
    rand::SystemRandom,
    signature::{Ed25519KeyPair, KeyPair},
};
use serde_json::{Value, json};

use super::Claims;

/// An Ed25519 private key with its key id.
pub struct SigningKey {
    kid: String,
    pkcs8: Vec<u8>,
    public: Vec<u8>,
    encoding: EncodingKey,
}

impl SigningKey {
    /// A fresh key, for the users service to persist on first start.
    pub fn generate() -> anyhow::Result<Self> {
        let pkcs8 = Ed25519KeyPair::generate_pkcs8(&SystemRandom::new())
            .map_err(|_| anyhow::anyhow!("generating an Ed25519 key failed"))?;
        let kid = uuid::Uuid::new_v4().simple().to_string();
        Self::from_pkcs8(kid, pkcs8.as_ref().to_vec())
    }

    /// A key loaded from its PKCS#8 DER form.
    pub fn from_pkcs8(kid: String, pkcs8: Vec<u8>) -> anyhow::Result<Self> {
        let pair = Ed25519KeyPair::from_pkcs8(&pkcs8)
            .map_err(|e| anyhow::anyhow!("invalid Ed25519 PKCS#8 key: {e}"))?;
        let public = pair.public_key().as_ref().to_vec();
        let encoding = EncodingKey::from_ed_der(&pkcs8);
        Ok(Self {
            kid,
            pkcs8,
            public,
            encoding,
        })
    }

    pub fn kid(&self) -> &str {
        &self.kid
    }

    /// The PKCS#8 DER bytes, for persisting.
    pub fn pkcs8(&self) -> &[u8] {
        &self.pkcs8
    }

    /// Signs `claims` into a compact JWT.
    pub fn sign(&self, claims: &Claims) -> anyhow::Result<String> {
        let mut header = Header::new(Algorithm::EdDSA);
        header.kid = Some(self.kid.clone());
        Ok(jsonwebtoken::encode(&header, claims, &self.encoding)?)
    }

    /// The public half as a JSON Web Key (RFC 8037).
    pub fn public_jwk(&self) -> Value {
        json!({
            "kty": "OKP",
            "crv": "Ed25519",
            "alg": "EdDSA",
            "use": "sig",
            "kid": self.kid,
            "x": URL_SAFE_NO_PAD.encode(&self.public),
        })
    }
}

impl SigningKey {
    /// The JWKS document that publishes this key.
    pub fn jwks(&self) -> Value {
        json!({ "keys": [self.public_jwk()] })
    }
}
