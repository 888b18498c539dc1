//! Random secrets (session tokens, API keys) and the hashes stored in their place.

use rand::RngCore;
use sha2::{Digest, Sha256};

/// 32 random bytes as hex, with a prefix that says what the secret is for.
pub fn generate(prefix: &str) -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    format!("{prefix}{}", hex::encode(bytes))
}

/// SHA-256 hex. Secrets are high-entropy, so a fast hash is the right tool (not argon2).
pub fn hash(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}
