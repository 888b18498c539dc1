//! Where email goes: a folder of `.eml` files (the default: nothing leaves the machine) or an
//! SMTP server (`lettre`, TLS). Messages are built by `lettre` either way.

use lettre::message::{header::ContentType, Mailbox, Message};
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use secrecy::ExposeSecret;
use std::path::{Path, PathBuf};

/// One message to deliver; `id` is the outbox row's id and names the message everywhere
/// (`Message-ID`, the file's name).
pub struct Envelope<'a> {
    pub id: &'a str,
    pub to: &'a str,
    pub subject: &'a str,
    pub text: &'a str,
}

pub enum Transport {
    /// Writes `<id>.eml` into the folder.
    Files(PathBuf),
    Smtp(Box<AsyncSmtpTransport<Tokio1Executor>>),
}

/// Why a delivery failed, and whether trying again can help.
#[derive(Debug, thiserror::Error)]
pub enum SendError {
    /// A bad address or a message the server refused for good.
    #[error("{0}")]
    Permanent(String),
    #[error("{0}")]
    Temporary(String),
}

impl Transport {
    /// From the settings: SMTP when `smtp_url` is set, else the folder.
    pub fn from_settings(settings: &crate::config::Settings) -> Result<Transport, String> {
        match &settings.smtp_url {
            Some(url) => AsyncSmtpTransport::<Tokio1Executor>::from_url(url.expose_secret())
                .map(|b| Transport::Smtp(Box::new(b.build())))
                .map_err(|e| format!("FIELDWORK_SMTP_URL: {e}")),
            None => Ok(Transport::Files(settings.mail_dir.clone())),
        }
    }

    /// Whether this transport can tell that a message was already delivered.
    pub fn knows_deliveries(&self) -> bool {
        matches!(self, Transport::Files(_))
    }

    /// Whether the message `id` was already delivered (only the folder knows).
    pub async fn delivered(&self, id: &str) -> bool {
        match self {
            Transport::Files(dir) => tokio::fs::try_exists(file_of(dir, id)).await.unwrap_or(false),
            Transport::Smtp(_) => false,
        }
    }

    pub async fn send(&self, from: &str, mail: &Envelope<'_>) -> Result<(), SendError> {
        let message = build(from, mail)?;
        match self {
            Transport::Files(dir) => {
                let io = |e: std::io::Error| SendError::Temporary(format!("writing the email file: {e}"));
                tokio::fs::create_dir_all(dir).await.map_err(io)?;
                // Written aside and renamed: a crash never leaves half a file under the real name.
                let part = dir.join(format!(".{}.part", mail.id));
                tokio::fs::write(&part, message.formatted()).await.map_err(io)?;
                tokio::fs::rename(&part, file_of(dir, mail.id)).await.map_err(io)
            }
            Transport::Smtp(smtp) => smtp.send(message).await.map(|_| ()).map_err(|e| {
                if e.is_permanent() {
                    SendError::Permanent(e.to_string())
                } else {
                    SendError::Temporary(e.to_string())
                }
            }),
        }
    }
}

fn file_of(dir: &Path, id: &str) -> PathBuf {
    dir.join(format!("{id}.eml"))
}

fn build(from: &str, mail: &Envelope<'_>) -> Result<Message, SendError> {
    let from: Mailbox =
        from.parse().map_err(|e| SendError::Permanent(format!("the sender address {from:?} is not valid: {e}")))?;
    let to: Mailbox =
        mail.to.parse().map_err(|e| SendError::Permanent(format!("the address {:?} is not valid: {e}", mail.to)))?;
    let domain = from.email.domain().to_string();
    Message::builder()
        .from(from)
        .to(to)
        .subject(mail.subject)
        .message_id(Some(format!("<{}@{domain}>", mail.id)))
        .header(ContentType::TEXT_PLAIN)
        .body(mail.text.to_string())
        .map_err(|e| SendError::Permanent(format!("building the message: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_folder_knows_what_it_delivered() {
        let dir = std::env::temp_dir().join(format!("fw-mail-{}", uuid::Uuid::now_v7()));
        let t = Transport::Files(dir.clone());
        let mail =
            Envelope { id: "abc", to: "Nadia <nadia@example.com>", subject: "Hello ✓", text: "Line one\nLine two" };
        assert!(!t.delivered("abc").await);
        t.send("Fieldwork <no-reply@fieldwork.invalid>", &mail).await.unwrap();
        assert!(t.delivered("abc").await);
        let eml = std::fs::read_to_string(dir.join("abc.eml")).unwrap();
        assert!(eml.contains("Message-ID: <abc@fieldwork.invalid>"), "{eml}");
        assert!(eml.contains("To: Nadia <nadia@example.com>"), "{eml}");
        let bad = Envelope { to: "not an address", ..mail };
        assert!(matches!(t.send("Fieldwork <no-reply@fieldwork.invalid>", &bad).await, Err(SendError::Permanent(_))));
        std::fs::remove_dir_all(dir).unwrap();
    }
}
