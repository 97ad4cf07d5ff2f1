//! Group robots (钉钉自定义机器人 / 企业微信群机器人): one text message to the group configured in
//! `[notify]` (`webhook_url`, `webhook_kind`, `webhook_secret`). Every part that talks to a
//! group (today the supervision digest, job `webhook.post`) goes through [`post`].
//!
//! DingTalk's recommended security setting, 加签, needs each request URL to carry
//! `timestamp` (milliseconds, the server's clock; DingTalk refuses one more than an hour off)
//! and `sign` = urlEncode(Base64(HMAC-SHA256(key = secret, message = timestamp + "\n" +
//! secret))). With `notify.webhook_secret` set, [`signed_url`] appends both; WeCom robots
//! have no signature and never get one.

use std::time::Duration;

use base64::Engine;
use hmac::{Hmac, KeyInit, Mac};
use serde_json::{Value, json};
use sha2::Sha256;

use crate::config::NotifyConfig;

/// The DingTalk 加签 signature of `timestamp_ms`, already percent-encoded for the query
/// string (the Base64 alphabet's `+`, `/` and `=` become `%2B`, `%2F`, `%3D`).
pub fn dingtalk_sign(secret: &str, timestamp_ms: i64) -> String {
    let mut m = <Hmac<Sha256> as KeyInit>::new_from_slice(secret.as_bytes())
        .expect("HMAC takes any key length");
    m.update(format!("{timestamp_ms}\n{secret}").as_bytes());
    let b64 = base64::engine::general_purpose::STANDARD.encode(m.finalize().into_bytes());
    percent_encode(&b64)
}

/// Every byte but the unreserved ones (`A-Z a-z 0-9 - . _ ~`) as `%XX`.
fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 3 / 2);
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The URL to post to at `now_ms`: the configured one, plus `&timestamp=…&sign=…` for a
/// DingTalk robot with a secret.
pub fn signed_url(cfg: &NotifyConfig, now_ms: i64) -> String {
    let url = &cfg.webhook_url;
    if cfg.webhook_kind != "dingtalk" || cfg.webhook_secret.is_empty() {
        return url.clone();
    }
    let sep = if url.contains('?') { '&' } else { '?' };
    format!(
        "{url}{sep}timestamp={now_ms}&sign={}",
        dingtalk_sign(&cfg.webhook_secret, now_ms)
    )
}

/// The robot request body. Both robots take `{"msgtype": "text", "text": {"content": …}}`
/// (DingTalk 自定义机器人 `oapi.dingtalk.com/robot/send?access_token=…`; WeCom 群机器人
/// `qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…`). DingTalk's optional `at` says whom to
/// @-mention; we send `isAtAll: false` and name nobody. WeCom's equivalents
/// (`mentioned_list`, `mentioned_mobile_list`) are left out. Written from memory of both
/// vendors' documentation.
pub fn webhook_body(kind: &str, text: &str) -> Value {
    if kind == "wecom" {
        json!({"msgtype": "text", "text": {"content": text}})
    } else {
        json!({"msgtype": "text", "text": {"content": text}, "at": {"isAtAll": false}})
    }
}

/// POSTs the message (nothing when no robot is configured); both robots answer HTTP 200 with
/// `{"errcode": 0, "errmsg": "ok"}` on success and a non-zero `errcode` otherwise (bad token,
/// bad signature, keyword missing, rate limit: 20 messages a minute), which fails the job so
/// it is retried with back-off. Each attempt signs afresh with the current time.
pub async fn post(cfg: &NotifyConfig, text: &str) -> anyhow::Result<()> {
    if cfg.webhook_url.is_empty() {
        return Ok(());
    }
    // The URL carries the robot's token and the signature: keep it out of errors (logs, the
    // job table).
    let hide = |e: reqwest::Error| anyhow::anyhow!("webhook request failed: {}", e.without_url());
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(15))
        .build()
        .map_err(hide)?;
    let url = signed_url(cfg, crate::db::now_ms());
    let res = client
        .post(url)
        .json(&webhook_body(&cfg.webhook_kind, text))
        .send()
        .await
        .map_err(hide)?;
    let status = res.status();
    let answer = res.text().await.unwrap_or_default();
    if !status.is_success() {
        anyhow::bail!("webhook answered HTTP {status}");
    }
    if let Ok(v) = serde_json::from_str::<Value>(&answer)
        && let Some(code) = v.get("errcode").and_then(Value::as_i64)
        && code != 0
    {
        let msg = v.get("errmsg").and_then(Value::as_str).unwrap_or("");
        anyhow::bail!("webhook refused the message: errcode {code} {msg}");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg(url: &str, kind: &str, secret: &str) -> NotifyConfig {
        NotifyConfig {
            webhook_url: url.into(),
            webhook_kind: kind.into(),
            webhook_secret: secret.into(),
        }
    }

    // Expected values computed independently with Python:
    // base64.b64encode(hmac.new(s.encode(), f"{ts}\n{s}".encode(), hashlib.sha256).digest())
    // then urllib.parse.quote(b, safe="").
    #[test]
    fn the_dingtalk_signature_matches_an_independent_computation() {
        assert_eq!(
            dingtalk_sign("SEC0123456789abcdef", 1_700_000_000_000),
            "TSZbRFUuvaSQaRKUpF970OPCb2%2FLcQAP3wOvwZIzBZk%3D"
        );
        assert_eq!(
            dingtalk_sign("SECabc", 1_765_000_000_123),
            "PEe4%2Bb8oBxLoMkmx7CvKoGFW0ft%2BwEeXsCeYI8SmuzY%3D"
        );
        assert_eq!(
            dingtalk_sign("SEC+/=x", 1),
            "cEhE2c4GG0cNXgqiN%2B1yLaH%2F84%2FSqcJ2rRNtFu08F3w%3D"
        );
    }

    #[test]
    fn only_a_dingtalk_robot_with_a_secret_gets_timestamp_and_sign() {
        let url = "https://oapi.dingtalk.com/robot/send?access_token=t";
        assert_eq!(
            signed_url(&cfg(url, "dingtalk", "SECabc"), 1_765_000_000_123),
            format!(
                "{url}&timestamp=1765000000123&sign=PEe4%2Bb8oBxLoMkmx7CvKoGFW0ft%2BwEeXsCeYI8SmuzY%3D"
            )
        );
        assert_eq!(signed_url(&cfg(url, "dingtalk", ""), 1), url);
        assert_eq!(signed_url(&cfg(url, "wecom", "SECabc"), 1), url);
        assert!(
            signed_url(&cfg("http://h/robot", "dingtalk", "S"), 5)
                .starts_with("http://h/robot?timestamp=5&sign=")
        );
    }
}
