//! Random tokens (sessions, CSRF, API) and their hashes. Tokens come from the operating
//! system's generator; only their SHA-256 is stored.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use rand::RngCore;
use sha2::Digest;

/// `bytes` random bytes, base64url-encoded.
pub fn token(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    rand::rngs::OsRng.fill_bytes(&mut buf);
    URL_SAFE_NO_PAD.encode(buf)
}

/// The hex SHA-256 under which a token is stored.
pub fn digest(token: &str) -> String {
    hex::encode(sha2::Sha256::digest(token.as_bytes()))
}

/// Compares two secrets in time independent of where they differ.
pub fn same(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// A new API token: a recognisable prefix and 32 random bytes.
pub fn api_token() -> String {
    format!("edt_{}", token(32))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_and_compared_whole() {
        let a = token(32);
        assert_eq!(a.len(), 43);
        assert_ne!(a, token(32));
        assert!(same(&a, &a.clone()));
        assert!(!same(&a, &token(32)));
        assert!(!same("abc", "abcd"));
        assert_eq!(digest("abc").len(), 64);
        assert!(api_token().starts_with("edt_"));
    }
}
