//! Password hashing with argon2id (the crate's defaults: 19 MiB, 2 passes), off the async runtime.

use argon2::password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use fieldwork_app::common::FieldError;
use fieldwork_app::users::Password;
use tokio::sync::Semaphore;

/// Refuses a password that an attacker would guess in fewer than 10^8 tries by zxcvbn's
/// estimate (its score 3: one of its bundled 30,000 common — breached — passwords or built
/// from them, common names and words, keyboard walks, repeats, dates), or that is little more
/// than the user's own name or email.
pub fn hard_to_guess(password: &Password, about_the_user: &[&str]) -> Result<(), FieldError> {
    // zxcvbn matches each input as one word: "Sadia Islam" and "sadia@x.com" become "sadia",
    // "islam", "x", "com" and the whole strings.
    let words: Vec<String> = about_the_user
        .iter()
        .flat_map(|s| {
            let lower = s.to_lowercase();
            let parts: Vec<String> =
                lower.split(|c: char| !c.is_alphanumeric()).filter(|p| p.len() >= 3).map(str::to_string).collect();
            std::iter::once(lower).chain(parts)
        })
        .collect();
    let inputs: Vec<&str> = words.iter().map(String::as_str).collect();
    let mut rest = password.expose().to_lowercase();
    for word in &words {
        rest = rest.replace(word.as_str(), "");
    }
    let personal = rest.chars().filter(|c| c.is_alphanumeric()).count() < 6;
    if !personal && zxcvbn::zxcvbn(password.expose(), &inputs).score() >= zxcvbn::Score::Three {
        Ok(())
    } else {
        Err(FieldError::Invalid {
            reason: "is a common password or too easy to guess: use a longer phrase of unusual words".into(),
        })
    }
}

/// Each hash takes ~19 MiB and a core for tens of milliseconds: a burst of sign-ins queues
/// here instead of exhausting memory.
static HASHING: Semaphore = Semaphore::const_new(4);

pub async fn hash(password: String) -> anyhow::Result<String> {
    let _permit = HASHING.acquire().await?;
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| anyhow::anyhow!("hashing a password: {e}"))
    })
    .await?
}

/// True when `password` matches `stored`. A missing user is checked against a fixed hash so
/// that "no such user" and "wrong password" take the same time.
pub async fn verify(password: String, stored: Option<String>) -> bool {
    let Ok(_permit) = HASHING.acquire().await else { return false };
    tokio::task::spawn_blocking(move || {
        let stored = stored.unwrap_or_else(|| DUMMY_HASH.to_string());
        PasswordHash::new(&stored)
            .is_ok_and(|parsed| Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
    })
    .await
    .unwrap_or(false)
}

/// The argon2id hash of a random string nobody knows.
const DUMMY_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$Jp0j0Jq3mY3b2m7pKbgWd5mF3kE1Yx0yHqzZ9Q1t2aA";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_and_personal_passwords_are_refused_and_long_phrases_pass() {
        let check = |p: &str, about: &[&str]| hard_to_guess(&Password::parse(p).unwrap(), about).is_ok();
        for weak in ["password123", "qwertyuiop", "1234567890", "iloveyou12", "P@ssw0rd2024"] {
            assert!(!check(weak, &[]), "{weak} passed");
        }
        assert!(!check("rahim.uddin1", &["rahim.uddin@example.com", "Rahim Uddin"]), "built from the user's name");
        for strong in ["a long test password", "fieldwork-demo", "mango tractor velvet 42"] {
            assert!(check(strong, &["someone@example.com"]), "{strong} refused");
        }
    }

    #[tokio::test]
    async fn a_hash_verifies_its_password_and_nothing_else() {
        let h = hash("correct horse battery".into()).await.unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify("correct horse battery".into(), Some(h.clone())).await);
        assert!(!verify("wrong horse battery".into(), Some(h)).await);
        assert!(!verify("anything".into(), None).await);
    }
}
