//! Per-request context: id, client IP, language.

use std::net::{IpAddr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;

use crate::audit::Who;
use crate::error::AppError;
use crate::i18n::{Lang, Tr};

#[derive(Debug, Clone)]
pub struct RequestCtx {
    pub request_id: String,
    pub ip: String,
    pub lang: Lang,
    pub path: String,
    pub is_api: bool,
}

impl RequestCtx {
    pub fn anonymous(&self, name: &str) -> Who {
        Who {
            actor_id: None,
            actor_name: name.to_string(),
            request_id: self.request_id.clone(),
            ip: self.ip.clone(),
        }
    }
    pub fn tr(&self) -> Tr {
        Tr { lang: self.lang }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for RequestCtx {
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<RequestCtx>()
            .cloned()
            .ok_or_else(|| AppError::Internal(anyhow::anyhow!("request context missing")))
    }
}

/// The client's address: the peer, or the last untrusted hop of `X-Forwarded-For` when the
/// peer is a configured trusted proxy (the first element is client-controlled).
pub fn client_ip(parts: &Parts, trusted: &[String]) -> String {
    let peer = parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip());
    let Some(peer) = peer else {
        return String::from("-");
    };
    if trusted
        .iter()
        .any(|t| t.parse::<IpAddr>().ok() == Some(peer))
        && let Some(xff) = parts
            .headers
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
    {
        for hop in xff.split(',').rev() {
            let hop = hop.trim();
            if let Ok(ip) = hop.parse::<IpAddr>()
                && !trusted.iter().any(|t| t.parse::<IpAddr>().ok() == Some(ip))
            {
                return ip.to_string();
            }
        }
    }
    peer.to_string()
}

pub fn cookie<'a>(parts_headers: &'a axum::http::HeaderMap, name: &str) -> Option<&'a str> {
    for h in parts_headers.get_all(axum::http::header::COOKIE) {
        let Ok(s) = h.to_str() else { continue };
        for kv in s.split(';') {
            if let Some((k, v)) = kv.trim().split_once('=')
                && k == name
            {
                return Some(v);
            }
        }
    }
    None
}
