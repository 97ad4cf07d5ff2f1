//! SMTP delivery through lettre (rustls with ring).

use lettre::message::{Mailbox, header::ContentType};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use crate::config::SmtpConfig;

pub async fn send(cfg: &SmtpConfig, to: &str, subject: &str, body: &str) -> anyhow::Result<()> {
    let from: Mailbox = cfg
        .from
        .parse()
        .map_err(|e| anyhow::anyhow!("smtp.from: {e}"))?;
    let to: Mailbox = to
        .parse()
        .map_err(|e| anyhow::anyhow!("recipient address: {e}"))?;
    let msg = Message::builder()
        .from(from)
        .to(to)
        .subject(subject)
        .header(ContentType::TEXT_PLAIN)
        .body(body.to_string())?;
    let mut builder = match cfg.security.as_str() {
        "tls" => AsyncSmtpTransport::<Tokio1Executor>::relay(&cfg.host)?,
        "starttls" => AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&cfg.host)?,
        _ => AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&cfg.host),
    }
    .port(cfg.port);
    if !cfg.username.is_empty() {
        builder = builder.credentials(Credentials::new(cfg.username.clone(), cfg.password.clone()));
    }
    builder.build().send(msg).await?;
    Ok(())
}
