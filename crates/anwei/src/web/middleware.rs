//! The middleware stack, outermost first: metrics → context → security headers → error
//! rendering → authentication → CSRF → handler.

use std::time::Instant;

use axum::body::{Body, Bytes};
use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};

use super::ctx::{RequestCtx, client_ip, cookie};
use crate::auth::model::{Actor, Via};
use crate::auth::service as auth;
use crate::error::{AppError, ErrorInfo};
use crate::i18n::{Lang, Msg};
use crate::state::AppState;

pub const SESSION_COOKIE: &str = "anwei_session";
pub const PRE_CSRF_COOKIE: &str = "anwei_pre";
pub const LANG_COOKIE: &str = "anwei_lang";

pub async fn metrics(req: Request, next: Next) -> Response {
    let start = Instant::now();
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map(|m| m.as_str().to_string())
        .unwrap_or_else(|| "unmatched".into());
    let method = req.method().to_string();
    let res = next.run(req).await;
    let status = res.status().as_u16().to_string();
    metrics::counter!("anwei_http_requests_total", "route" => route.clone(), "method" => method.clone(), "status" => status).increment(1);
    metrics::histogram!("anwei_http_request_duration_seconds", "route" => route, "method" => method).record(start.elapsed().as_secs_f64());
    res
}

pub async fn context(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let request_id = uuid::Uuid::now_v7().to_string();
    let (mut parts, body) = req.into_parts();
    let ip = client_ip(&parts, &state.cfg.trusted_proxies);
    let query_lang = parts.uri.query().and_then(|q| {
        q.split('&')
            .find_map(|kv| kv.strip_prefix("lang="))
            .and_then(Lang::parse)
    });
    let lang = query_lang
        .or_else(|| cookie(&parts.headers, LANG_COOKIE).and_then(Lang::parse))
        .or_else(|| {
            parts
                .headers
                .get(header::ACCEPT_LANGUAGE)
                .and_then(|v| v.to_str().ok())
                .map(Lang::from_accept_language)
        })
        .unwrap_or_default();
    let path = parts.uri.path().to_string();
    let is_api = path.starts_with("/api/");
    let ctx = RequestCtx {
        request_id: request_id.clone(),
        ip,
        lang,
        path,
        is_api,
    };
    parts.extensions.insert(ctx);
    req = Request::from_parts(parts, body);
    let mut res = next.run(req).await;
    if let Ok(v) = HeaderValue::from_str(&request_id) {
        res.headers_mut().insert("x-request-id", v);
    }
    res
}

pub async fn security_headers(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let is_docs = req.uri().path().starts_with("/api/docs");
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    // Swagger UI needs inline styles; everything else runs with no inline code at all.
    let csp = if is_docs {
        "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
    } else {
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
    };
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(csp),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    h.insert(
        "cross-origin-opener-policy",
        HeaderValue::from_static("same-origin"),
    );
    h.insert(
        "permissions-policy",
        HeaderValue::from_static("camera=(self), geolocation=(), microphone=()"),
    );
    if !h.contains_key(header::CACHE_CONTROL) {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    if state.cfg.secure_cookies() {
        h.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        );
    }
    res
}

/// Caps every request body at the largest limit any route declares (an upload route's, see
/// `files::accepts_files`), before routing: a declared length over it is refused at once,
/// and a body that grows past it fails while being read. Each route's own limit
/// (`body_limit_bytes`, or the upload limit where a route declares it) is then applied by
/// the extractors as the body is read, declared or chunked; both answer 413.
pub async fn body_limit(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let limit = state
        .cfg
        .body_limit_bytes
        .max(state.cfg.uploads.request_limit());
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > limit) {
        return ErrorInfo::from_status(StatusCode::PAYLOAD_TOO_LARGE).into_response_ext();
    }
    let (parts, body) = req.into_parts();
    let limited = Body::new(http_body_util::Limited::new(body, limit));
    next.run(Request::from_parts(parts, limited)).await
}

/// Resolves the session cookie or bearer token into an `Actor`. A bad bearer token on the
/// API is a 401 at once; a stale cookie just means "not signed in".
pub async fn authenticate(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let Some(ctx) = req.extensions().get::<RequestCtx>().cloned() else {
        return AppError::Internal(anyhow::anyhow!("no context")).into_response();
    };
    let bearer = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            v.strip_prefix("Bearer ")
                .or_else(|| v.strip_prefix("bearer "))
        })
        .map(|s| s.trim().to_string());
    let actor = if let Some(token) = bearer {
        match auth::resolve_token(&state, &ctx, &token).await {
            Ok(Some(a)) => Some(a),
            Ok(None) => return AppError::Unauthenticated.into_response(),
            Err(e) => return e.into_response(),
        }
    } else if let Some(c) = cookie(req.headers(), SESSION_COOKIE).map(str::to_string) {
        match auth::resolve_session(&state, &ctx, &c).await {
            Ok(a) => a,
            Err(e) => return e.into_response(),
        }
    } else {
        None
    };
    if let Some(a) = actor {
        // Until the password is changed or TOTP is set up, only those pages work.
        let p = req.uri().path();
        let allowed_while_limited = p.starts_with("/account/")
            || p == "/logout"
            || p.starts_with("/assets/")
            || p == "/lang";
        if !ctx.is_api && a.must_change_password && !allowed_while_limited {
            return Redirect::to("/account/password").into_response();
        }
        if !ctx.is_api && a.needs_totp_setup && !allowed_while_limited {
            return Redirect::to("/account/totp").into_response();
        }
        // The API is held to the same rule: until the password is changed (or TOTP set up
        // in the web), only these calls work.
        let api_allowed = matches!(
            p,
            "/api/v1/me" | "/api/v1/me/password" | "/api/v1/auth/logout"
        );
        if ctx.is_api && (a.must_change_password || a.needs_totp_setup) && !api_allowed {
            let (code, key) = if a.must_change_password {
                ("password_change_required", "password.forced")
            } else {
                ("totp_setup_required", "totp.required")
            };
            return ErrorInfo {
                status: StatusCode::FORBIDDEN,
                code,
                msg: Msg::new(key),
                fields: vec![],
                internal: None,
            }
            .into_response_ext();
        }
        // A read-only token changes nothing, the owner's account included (its password,
        // tokens and TOTP): every unsafe method is refused here, whatever the route.
        if a.is_read_only()
            && !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS)
        {
            let path = req.uri().path().to_string();
            let _ =
                crate::audit::service::deny(&state, &a.who(), "token.read_only", "request", path)
                    .await;
            return ErrorInfo {
                status: StatusCode::FORBIDDEN,
                code: "read_only_token",
                msg: Msg::new("token.read_only"),
                fields: vec![],
                internal: None,
            }
            .into_response_ext();
        }
        req.extensions_mut().insert(a);
    }
    next.run(req).await
}

/// CSRF on every unsafe method: the browser's Sec-Fetch-Site / Origin must be same-origin,
/// and the request must carry the synchronizer token (session) or the pre-session cookie
/// value (login, first set-up) in `X-CSRF-Token` or the `_csrf` form field. Bearer-token
/// calls carry no ambient credentials and are exempt.
pub async fn csrf(State(state): State<AppState>, req: Request, next: Next) -> Response {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.run(req).await;
    }
    let actor = req.extensions().get::<Actor>().cloned();
    if matches!(actor.as_ref().map(|a| &a.via), Some(Via::Token { .. })) {
        return next.run(req).await;
    }
    let has_cookie_auth = cookie(req.headers(), SESSION_COOKIE).is_some();
    let is_api = req.uri().path().starts_with("/api/");
    // An API call with neither cookie nor token: let the handler answer 401 (or log in).
    if is_api && !has_cookie_auth {
        return next.run(req).await;
    }
    if let Some(site) = req
        .headers()
        .get("sec-fetch-site")
        .and_then(|v| v.to_str().ok())
        && !matches!(site, "same-origin" | "none")
    {
        return csrf_failed();
    }
    if let Some(origin) = req
        .headers()
        .get(header::ORIGIN)
        .and_then(|v| v.to_str().ok())
    {
        let host = req
            .headers()
            .get(header::HOST)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        let origin_host = origin.split_once("://").map(|(_, h)| h).unwrap_or(origin);
        if origin != "null" && origin_host != host {
            return csrf_failed();
        }
    }
    let expected = match &actor {
        Some(a) => a.csrf().to_string(),
        None => cookie(req.headers(), PRE_CSRF_COOKIE)
            .unwrap_or("")
            .to_string(),
    };
    if expected.is_empty() {
        return csrf_failed();
    }
    let is_multipart = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"));
    if is_multipart && req.headers().get("x-csrf-token").is_none() {
        // A browser cannot add a header to a file-upload form: its token is in the query.
        let q = req.uri().query().unwrap_or("");
        let token = serde_urlencoded::from_str::<Vec<(String, String)>>(q)
            .ok()
            .and_then(|v| v.into_iter().find(|(k, _)| k == "_csrf").map(|(_, v)| v));
        return if token.is_some_and(|t| crate::auth::crypto::ct_eq(&t, &expected)) {
            next.run(req).await
        } else {
            csrf_failed()
        };
    }
    if let Some(h) = req
        .headers()
        .get("x-csrf-token")
        .and_then(|v| v.to_str().ok())
    {
        return if crate::auth::crypto::ct_eq(h, &expected) {
            next.run(req).await
        } else {
            csrf_failed()
        };
    }
    let is_form = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if !is_form {
        return csrf_failed();
    }
    let (parts, body) = req.into_parts();
    // A form is never an upload (files come as multipart): it is read up to the ordinary
    // body limit, before routing, to find its token.
    let bytes: Bytes = match axum::body::to_bytes(body, state.cfg.body_limit_bytes).await {
        Ok(b) => b,
        Err(_) => return ErrorInfo::from_status(StatusCode::PAYLOAD_TOO_LARGE).into_response_ext(),
    };
    let token = form_field(&bytes, "_csrf");
    if !token.is_some_and(|t| crate::auth::crypto::ct_eq(&t, &expected)) {
        return csrf_failed();
    }
    next.run(Request::from_parts(parts, Body::from(bytes)))
        .await
}

fn form_field(body: &[u8], name: &str) -> Option<String> {
    serde_urlencoded::from_bytes::<Vec<(String, String)>>(body)
        .ok()?
        .into_iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v)
}

fn csrf_failed() -> Response {
    ErrorInfo {
        status: StatusCode::FORBIDDEN,
        code: "csrf",
        msg: Msg::new("error.csrf"),
        fields: vec![],
        internal: None,
    }
    .into_response_ext()
}

impl ErrorInfo {
    pub fn into_response_ext(self) -> Response {
        let mut res = self.status.into_response();
        res.extensions_mut().insert(self);
        res
    }
}

/// Renders errors: JSON `{"error", "message", "fields", "request_id"}` for the API, a page
/// for the web (401 becomes a redirect to the login page).
pub async fn render_errors(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let ctx = req.extensions().get::<RequestCtx>().cloned();
    let actor = req.extensions().get::<Actor>().cloned();
    let wants_json = req
        .headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| a.contains("application/json") && !a.contains("text/html"));
    // The route's pattern, never the path itself: a path may carry a secret (a receipt code).
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map(|m| m.as_str().to_string())
        .unwrap_or_else(|| "unmatched".into());
    let uri = req.uri().clone();
    let res = next.run(req).await;
    let status = res.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return res;
    }
    let info = match res.extensions().get::<ErrorInfo>() {
        Some(i) => i.clone(),
        None => {
            let ct = res
                .headers()
                .get(header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("");
            if ct.starts_with("text/html") || ct.starts_with("application/json") {
                // Already rendered by a handler (a form with field errors, for instance).
                return res;
            }
            ErrorInfo::from_status(status)
        }
    };
    let Some(ctx) = ctx else { return res };
    if let Some(internal) = &info.internal {
        tracing::error!(request_id = %ctx.request_id, error = %internal, "internal error");
    } else if info.status.is_server_error() {
        // Every 5xx leaves a line under its request id (a caught panic, a timeout in a
        // layer, a 503), so an answer the user saw can always be found in the log.
        tracing::error!(request_id = %ctx.request_id, status = info.status.as_u16(), route = %route, "server error");
    }
    let mut out = if ctx.is_api || wants_json {
        let fields: serde_json::Map<String, serde_json::Value> = info
            .fields
            .iter()
            .map(|(k, m)| (k.clone(), serde_json::Value::String(m.render(ctx.lang))))
            .collect();
        let body = serde_json::json!({
            "error": info.code,
            "message": info.msg.render(ctx.lang),
            "fields": fields,
            "request_id": ctx.request_id,
        });
        (info.status, axum::Json(body)).into_response()
    } else if info.status == StatusCode::UNAUTHORIZED {
        let next = uri.path_and_query().map(|p| p.as_str()).unwrap_or("/");
        Redirect::to(&format!("/login?next={}", urlencode(next))).into_response()
    } else {
        let base = super::layout::Base::new(&state, &ctx, actor.as_ref(), "error.title");
        {
            let mut r = super::page::error_page(base, &info);
            *r.status_mut() = info.status;
            r
        }
    };
    if info.status == StatusCode::SERVICE_UNAVAILABLE {
        out.headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from_static("5"));
    }
    if info.status == StatusCode::TOO_MANY_REQUESTS {
        out.headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from_static("60"));
    }
    out
}

pub fn urlencode(s: &str) -> String {
    serde_urlencoded::to_string([("x", s)])
        .map(|v| v[2..].to_string())
        .unwrap_or_default()
}

/// Builds the `Set-Cookie` value for the session.
pub fn session_cookie(state: &AppState, value: &str, max_age_secs: i64) -> String {
    let secure = if state.cfg.secure_cookies() {
        "; Secure"
    } else {
        ""
    };
    format!(
        "{SESSION_COOKIE}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age_secs}{secure}"
    )
}

pub fn clear_session_cookie(state: &AppState) -> String {
    session_cookie(state, "", 0)
}
