//! HMAC-SHA256 signatures of payment callbacks: the provider signs the raw
//! body with the shared secret and sends `x-payment-signature: sha256=<hex>`.

use hmac::{Hmac, Mac};
use sha2::Sha256;

pub const SIGNATURE_HEADER: &str = "x-payment-signature";

type HmacSha256 = Hmac<Sha256>;

/// The header value for `body` signed with `secret`.
pub fn sign(secret: &str, body: &[u8]) -> String {
    // HMAC accepts keys of any length, so this cannot fail.
    let mut mac = HmacSha256::new_from_slice(secret.as_bytes())
        .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"));
    mac.update(body);
    format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
}

/// Whether `header` is a valid signature of `body`, compared in constant time.
pub fn verify(secret: &str, body: &[u8], header: &str) -> bool {
    let Some(hex_digest) = header.trim().strip_prefix("sha256=") else {
        return false;
    };
    let Ok(digest) = hex::decode(hex_digest) else {
        return false;
    };
    let Ok(mut mac) = HmacSha256::new_from_slice(secret.as_bytes()) else {
        return false;
    };
    mac.update(body);
    mac.verify_slice(&digest).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_verify_only_for_the_same_secret_and_body() {
        let header = sign("secret", b"{\"a\":1}");
        assert!(verify("secret", b"{\"a\":1}", &header));
        assert!(!verify("other", b"{\"a\":1}", &header));
        assert!(!verify("secret", b"{\"a\":2}", &header));
        assert!(!verify("secret", b"{\"a\":1}", "sha256=zz"));
        assert!(!verify("secret", b"{\"a\":1}", "md5=00"));
    }
}
