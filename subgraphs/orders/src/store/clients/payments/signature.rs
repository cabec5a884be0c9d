//! HMAC-SHA256 signatures of payment callbacks. The provider signs the
//! moment it sends and the raw body, `"<unix seconds>.<body>"`, with the
//! shared secret, and sends `x-payment-signature: t=<unix seconds>,sha256=<hex>`.
//! The time is signed so that a captured callback cannot be replayed later:
//! one signed outside the tolerance window is refused.

use std::time::Duration;

use hmac::{Hmac, Mac};
use sha2::Sha256;

pub const SIGNATURE_HEADER: &str = "x-payment-signature";

type HmacSha256 = Hmac<Sha256>;

/// Why a callback's signature is not accepted.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    #[error("the signature header is missing or malformed")]
    Malformed,
    #[error("the signature does not match")]
    Mismatch,
    /// Genuine, but signed too long ago or too far ahead: a replay, or a
    /// clock far off.
    #[error(
        "the callback was signed {skew_secs} s from now, outside the {tolerance_secs} s tolerance"
    )]
    OutsideTolerance { skew_secs: i64, tolerance_secs: u64 },
}

fn mac(secret: &str, timestamp: i64, body: &[u8]) -> HmacSha256 {
    // HMAC accepts keys of any length, so this cannot fail.
    let mut mac = HmacSha256::new_from_slice(secret.as_bytes())
        .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"));
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    mac
}

/// The header value for `body` sent at `timestamp` (Unix seconds).
pub fn sign(secret: &str, timestamp: i64, body: &[u8]) -> String {
    let digest = mac(secret, timestamp, body).finalize().into_bytes();
    format!("t={timestamp},sha256={}", hex::encode(digest))
}

/// Checks that `header` signs `body` with `secret` (in constant time) at a
/// moment within `tolerance` of `now` (Unix seconds).
pub fn verify(
    secret: &str,
    body: &[u8],
    header: &str,
    now: i64,
    tolerance: Duration,
) -> Result<(), SignatureError> {
    let (timestamp, digest) = parse(header).ok_or(SignatureError::Malformed)?;
    mac(secret, timestamp, body)
        .verify_slice(&digest)
        .map_err(|_| SignatureError::Mismatch)?;
    let skew = timestamp.saturating_sub(now);
    if skew.unsigned_abs() > tolerance.as_secs() {
        return Err(SignatureError::OutsideTolerance {
            skew_secs: skew,
            tolerance_secs: tolerance.as_secs(),
        });
    }
    Ok(())
}

/// `t=<seconds>,sha256=<hex>`, in that order.
fn parse(header: &str) -> Option<(i64, Vec<u8>)> {
    let (t, signature) = header.trim().split_once(',')?;
    let timestamp = t.trim().strip_prefix("t=")?.parse().ok()?;
    let digest = hex::decode(signature.trim().strip_prefix("sha256=")?).ok()?;
    Some((timestamp, digest))
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_790_000_000;
    const TOLERANCE: Duration = Duration::from_secs(300);

    #[test]
    fn signatures_verify_only_for_the_same_secret_body_and_time() {
        let header = sign("secret", NOW, b"{\"a\":1}");
        assert_eq!(
            verify("secret", b"{\"a\":1}", &header, NOW, TOLERANCE),
            Ok(())
        );
        assert_eq!(
            verify("other", b"{\"a\":1}", &header, NOW, TOLERANCE),
            Err(SignatureError::Mismatch)
        );
        assert_eq!(
            verify("secret", b"{\"a\":2}", &header, NOW, TOLERANCE),
            Err(SignatureError::Mismatch)
        );
        // The time is signed: moving it forward breaks the signature.
        let moved = header.replacen(&format!("t={NOW}"), &format!("t={}", NOW + 600), 1);
        assert_eq!(
            verify("secret", b"{\"a\":1}", &moved, NOW + 600, TOLERANCE),
            Err(SignatureError::Mismatch)
        );
        for malformed in [
            "sha256=00",
            "t=x,sha256=00",
            "t=1,md5=00",
            "t=1,sha256=zz",
            "",
        ] {
            assert_eq!(
                verify("secret", b"{}", malformed, NOW, TOLERANCE),
                Err(SignatureError::Malformed),
                "{malformed}"
            );
        }
    }

    #[test]
    fn a_signature_outside_the_tolerance_window_is_refused_either_way() {
        let body = b"{}";
        let edge = sign("secret", NOW - 300, body);
        assert_eq!(verify("secret", body, &edge, NOW, TOLERANCE), Ok(()));
        let stale = sign("secret", NOW - 301, body);
        assert_eq!(
            verify("secret", body, &stale, NOW, TOLERANCE),
            Err(SignatureError::OutsideTolerance {
                skew_secs: -301,
                tolerance_secs: 300
            })
        );
        let ahead = sign("secret", NOW + 301, body);
        assert!(matches!(
            verify("secret", body, &ahead, NOW, TOLERANCE),
            Err(SignatureError::OutsideTolerance { skew_secs: 301, .. })
        ));
    }
}
