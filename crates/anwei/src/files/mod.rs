//! Evidence files: type checked by content (magic bytes, never the client's word), stored
//! outside the database and the web root under their SHA-256 (in the local data folder or an
//! S3-compatible bucket: [`storage`]), served only as downloads to those who may see what they
//! belong to.

pub mod archive;
pub mod storage;
pub mod xlsx;

use sha2::{Digest, Sha256};

pub use storage::{Storage, StorageError};

use crate::error::AppError;
use crate::i18n::Msg;
use crate::ids::{AccountId, FileId};

/// Every type an installation may allow.
pub const KNOWN_TYPES: &[&str] = &[
    "pdf", "png", "jpg", "gif", "webp", "docx", "xlsx", "pptx", "doc", "xls", "zip", "txt",
];

/// The type of a file by its first bytes; `None` when it is none we know.
pub fn sniff(bytes: &[u8], filename: &str) -> Option<(&'static str, &'static str)> {
    let lower = filename.to_ascii_lowercase();
    if bytes.starts_with(b"%PDF-") {
        return Some(("pdf", "application/pdf"));
    }
    if bytes.starts_with(&[0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a]) {
        return Some(("png", "image/png"));
    }
    if bytes.starts_with(&[0xff, 0xd8, 0xff]) {
        return Some(("jpg", "image/jpeg"));
    }
    if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        return Some(("gif", "image/gif"));
    }
    if bytes.len() > 12 && &bytes[0..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        return Some(("webp", "image/webp"));
    }
    if bytes.starts_with(b"PK\x03\x04") {
        // Office Open XML files are zip archives; tell them apart by their parts.
        let window = &bytes[..bytes.len().min(4096)];
        let has = |needle: &[u8]| window.windows(needle.len()).any(|w| w == needle);
        if has(b"word/") || (has(b"[Content_Types].xml") && lower.ends_with(".docx")) {
            return Some((
                "docx",
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            ));
        }
        if has(b"xl/") || (has(b"[Content_Types].xml") && lower.ends_with(".xlsx")) {
            return Some((
                "xlsx",
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            ));
        }
        if has(b"ppt/") || (has(b"[Content_Types].xml") && lower.ends_with(".pptx")) {
            return Some((
                "pptx",
                "application/vnd.openxmlformats-officedocument.presentationml.presentation",
            ));
        }
        return Some(("zip", "application/zip"));
    }
    if bytes.starts_with(&[0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]) {
        return Some(if lower.ends_with(".xls") {
            ("xls", "application/vnd.ms-excel")
        } else {
            ("doc", "application/msword")
        });
    }
    if std::str::from_utf8(bytes).is_ok() && !bytes.contains(&0) {
        return Some(("txt", "text/plain; charset=utf-8"));
    }
    None
}

/// Records a stored file in the `attachment` table (its bytes are under its hash in the
/// [`Storage`]); the caller links it to what it is evidence for, in the same transaction.
pub async fn insert(
    tx: &mut crate::db::Tx,
    c: &Checked,
    by: AccountId,
    now: i64,
) -> Result<FileId, sqlx::Error> {
    let size = i64::try_from(c.size).unwrap_or(i64::MAX);
    crate::on_tx!(tx, |conn| {
        sqlx::query_scalar(
        "INSERT INTO attachment (sha256, size, mime, filename, uploaded_by, uploaded_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id"
    )
    .bind(&c.sha256)
    .bind(size)
    .bind(c.mime)
    .bind(&c.filename)
    .bind(by)
    .bind(now)
    .fetch_one(conn)
    .await
    })
}

/// Reads a JSON body, or a multipart form whose text parts are the same fields (the files
/// are the parts named `files`).
pub async fn read_form<T: serde::de::DeserializeOwned + Send + 'static>(
    req: axum::extract::Request,
    state: &crate::state::AppState,
) -> Result<(T, Vec<Upload>), AppError> {
    if !is_multipart(&req) {
        let crate::web::extract::ApiJson(input) =
            <crate::web::extract::ApiJson<T> as axum::extract::FromRequest<_>>::from_request(
                req, state,
            )
            .await?;
        return Ok((input, Vec::new()));
    }
    let form = read_multipart(req, state).await?;
    let mut pairs = Vec::new();
    for (name, bytes) in &form.parts {
        // Numbers read blank as "not given" through `web::forms::{int_or_blank,
        // opt_int_from_any}` on the input's fields.
        pairs.push((name.clone(), decode(name, bytes)?));
    }
    let query = serde_urlencoded::to_string(&pairs).unwrap_or_default();
    let input = serde_urlencoded::from_str::<T>(&query).map_err(|e| {
        let msg = e.to_string();
        let field = msg.split('`').nth(1).unwrap_or("body").to_string();
        AppError::field(&field, Msg::new("error.wrong_type"))
    })?;
    Ok((input, form.files))
}

/// An evidence file as uploaded, before it is checked.
pub struct Upload {
    pub filename: String,
    pub bytes: Vec<u8>,
}

/// A `multipart/form-data` body: the text parts in order, and the files sent as `files`,
/// `files[]` or `file` (a part with a file name; an empty, nameless file input is skipped).
#[derive(Default)]
pub struct MultipartForm {
    pub parts: Vec<(String, Vec<u8>)>,
    pub files: Vec<Upload>,
}

impl MultipartForm {
    /// The last part of this name as UTF-8 text; invalid UTF-8 is a field error.
    pub fn text(&self, name: &str) -> Result<Option<String>, AppError> {
        match self.parts.iter().rev().find(|(n, _)| n == name) {
            Some((n, b)) => decode(n, b).map(Some),
            None => Ok(None),
        }
    }
}

/// A part's bytes as text, or a field error naming the part.
pub fn decode(name: &str, bytes: &[u8]) -> Result<String, AppError> {
    String::from_utf8(bytes.to_vec())
        .map_err(|_| AppError::field(name, Msg::new("error.invalid_utf8")))
}

/// Reads a multipart body. A body over the route's limit is a `files` field error; anything
/// unreadable is a `body` field error.
pub async fn read_multipart<S: Send + Sync>(
    req: axum::extract::Request,
    state: &S,
) -> Result<MultipartForm, AppError> {
    use axum::extract::{FromRequest, Multipart};
    use axum::http::StatusCode;
    let too_large = || AppError::field("files", Msg::new("error.payload_too_large"));
    let unreadable = || AppError::field("body", Msg::new("error.body_unreadable"));
    let mut mp = Multipart::from_request(req, state)
        .await
        .map_err(|_| unreadable())?;
    let mut form = MultipartForm::default();
    loop {
        let field = match mp.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => return Err(too_large()),
            Err(_) => return Err(unreadable()),
        };
        let name = field.name().unwrap_or("").to_string();
        let filename = field.file_name().map(str::to_string);
        // A file part whose name is not UTF-8 cannot be read: refuse the whole request
        // rather than drop the file and answer as if it had been stored.
        let names_a_file = field
            .headers()
            .get(axum::http::header::CONTENT_DISPOSITION)
            .is_some_and(|v| {
                v.as_bytes()
                    .windows(8)
                    .any(|w| w.eq_ignore_ascii_case(b"filename"))
            });
        if filename.is_none() && names_a_file {
            return Err(AppError::field("files", Msg::new("file.name_unreadable")));
        }
        let data = field.bytes().await.map_err(|e| {
            if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                too_large()
            } else {
                unreadable()
            }
        })?;
        match (name.as_str(), filename) {
            ("files" | "files[]" | "file", Some(fname)) => {
                if !(data.is_empty() && fname.is_empty()) {
                    form.files.push(Upload {
                        filename: fname,
                        bytes: data.to_vec(),
                    });
                }
            }
            _ => form.parts.push((name, data.to_vec())),
        }
    }
    Ok(form)
}

/// True for a `multipart/form-data` request.
pub fn is_multipart(req: &axum::extract::Request) -> bool {
    req.headers()
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"))
}

/// Percent-encodes a file name for `filename*=UTF-8''…` (RFC 5987 / 8187): every byte but
/// the attribute characters, so a space is `%20` (form encoding's `+` would be kept as a
/// plus sign by browsers).
pub fn rfc5987(name: &str) -> String {
    let mut out = String::with_capacity(name.len() * 3);
    for b in name.bytes() {
        if b.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A stored file as an HTTP answer: always a download (`Content-Disposition: attachment`)
/// with a safe ASCII name and the UTF-8 name, never rendered inline, never cached.
pub fn download_response(
    name: &str,
    mime: &str,
    bytes: Vec<u8>,
) -> Result<axum::response::Response, AppError> {
    use axum::http::{HeaderValue, StatusCode, header};
    use axum::response::IntoResponse;
    let mut res = (StatusCode::OK, bytes).into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_str(mime).unwrap_or(HeaderValue::from_static("application/octet-stream")),
    );
    let ascii: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let encoded = rfc5987(name);
    let cd = format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}");
    h.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_str(&cd)
            .map_err(|_| AppError::Internal(anyhow::anyhow!("bad header")))?,
    );
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    Ok(res)
}

/// A size for people: "512 KB", "20 MB".
pub fn human_size(bytes: usize) -> String {
    if bytes >= 1024 * 1024 && bytes.is_multiple_of(1024 * 1024) {
        format!("{} MB", bytes / (1024 * 1024))
    } else if bytes >= 1024 * 1024 {
        format!("{:.1} MB", bytes as f64 / (1024.0 * 1024.0))
    } else {
        format!("{} KB", bytes.div_ceil(1024))
    }
}

/// A checked file ready to store.
pub struct Checked {
    pub sha256: String,
    pub mime: &'static str,
    pub filename: String,
    pub size: usize,
}

/// Checks size and type (by content) against the configuration; field errors name `field`.
pub fn check(
    bytes: &[u8],
    filename: &str,
    max: usize,
    allowed: &[String],
    field: &str,
) -> Result<Checked, AppError> {
    if bytes.is_empty() {
        return Err(AppError::field(field, Msg::new("file.empty")));
    }
    if bytes.len() > max {
        return Err(AppError::field(
            field,
            Msg::new("file.too_large")
                .with("max", human_size(max))
                .with("name", safe_name(filename)),
        ));
    }
    let Some((kind, mime)) = sniff(bytes, filename) else {
        return Err(AppError::field(
            field,
            Msg::new("file.type_unknown").with("name", safe_name(filename)),
        ));
    };
    if !allowed.iter().any(|a| a == kind) {
        return Err(AppError::field(
            field,
            Msg::new("file.type_not_allowed")
                .with("type", kind)
                .with("name", safe_name(filename)),
        ));
    }
    // Evidence is a real file of its kind: not a stub of a few bytes, not a header with
    // nothing behind it, and not one kind dressed up as another by its name.
    if bytes.len() < MIN_BYTES || !complete(kind, bytes) {
        return Err(AppError::field(
            field,
            Msg::new("file.not_a_real_file")
                .with("type", kind)
                .with("name", safe_name(filename)),
        ));
    }
    let name = safe_name(filename);
    let name = match claimed_kind(&name) {
        Some(claimed) if claimed != kind => {
            return Err(AppError::field(
                field,
                Msg::new("file.extension_mismatch")
                    .with("type", kind)
                    .with("name", name),
            ));
        }
        Some(_) => name,
        // No known extension: the stored name gets the detected one.
        None => format!("{name}.{kind}"),
    };
    Ok(Checked {
        sha256: hex::encode(Sha256::digest(bytes)),
        mime,
        filename: name,
        size: bytes.len(),
    })
}

/// The smallest file accepted as evidence: a real PDF, image or document is never smaller.
pub const MIN_BYTES: usize = 16;

/// The kind a file name claims by its extension, when it is one of ours.
fn claimed_kind(name: &str) -> Option<&'static str> {
    let ext = name.rsplit_once('.')?.1.to_ascii_lowercase();
    Some(match ext.as_str() {
        "jpeg" | "jpg" => "jpg",
        other => KNOWN_TYPES.iter().find(|k| **k == other)?,
    })
}

/// True when the bytes end the way a whole file of this kind ends (a PDF's `%%EOF`, a PNG's
/// IEND chunk, a JPEG's end-of-image marker, a GIF's trailer, a zip's end-of-central-directory
/// record, a WebP's RIFF length), so a header alone or a truncated upload is refused.
fn complete(kind: &str, b: &[u8]) -> bool {
    let tail = |n: usize| &b[b.len().saturating_sub(n)..];
    let contains = |hay: &[u8], needle: &[u8]| hay.windows(needle.len()).any(|w| w == needle);
    let trimmed = {
        let mut end = b.len();
        while end > 0 && matches!(b[end - 1], b'\r' | b'\n' | b' ' | b'\t' | 0) {
            end -= 1;
        }
        &b[..end]
    };
    match kind {
        "pdf" => contains(tail(1024), b"%%EOF"),
        "png" => contains(tail(16), b"IEND"),
        "jpg" => trimmed.ends_with(&[0xff, 0xd9]),
        "gif" => trimmed.ends_with(b";"),
        "webp" => {
            b.len() >= 12 && u32::from_le_bytes([b[4], b[5], b[6], b[7]]) as usize + 8 <= b.len()
        }
        "zip" | "docx" | "xlsx" | "pptx" => contains(tail(22 + 65_535), b"PK\x05\x06"),
        _ => true,
    }
}

/// A file name safe to store and to send back: no paths, no control characters, no quotes.
pub fn safe_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or("");
    let cleaned: String = base
        .chars()
        .filter(|c| {
            !c.is_control()
                && !crate::web::extract::is_bidi_control(*c)
                && !matches!(c, '"' | '\\' | '/' | ':' | '*' | '?' | '<' | '>' | '|')
        })
        .take(120)
        .collect();
    let trimmed = cleaned.trim().trim_start_matches('.').to_string();
    if trimmed.is_empty() {
        "file".into()
    } else {
        trimmed
    }
}

/// Stores `bytes` under their name (see [`Storage::put`]).
pub async fn store(files: &Storage, sha: &str, bytes: &[u8]) -> Result<(), StorageError> {
    files.put(sha, bytes).await
}

/// The bytes stored under `sha` (see [`Storage::get`]).
pub async fn read(files: &Storage, sha: &str) -> Result<Vec<u8>, StorageError> {
    files.get(sha).await
}

/// Checks the uploads of the `files` field against `[uploads]`: at most `max_files` in all
/// (`already` of them attached before), each of an allowed type by its content and within the
/// size limit. Every problem goes to `e`; the uploads that passed come back with their check,
/// to be stored with [`store_uploads`] once the whole request is valid.
pub fn check_uploads<'a>(
    uploads: &'a [Upload],
    already: usize,
    cfg: &crate::config::UploadsConfig,
    e: &mut Vec<(String, Msg)>,
) -> Result<Vec<(Checked, &'a Upload)>, AppError> {
    if uploads.len() + already > cfg.max_files {
        e.push((
            "files".to_string(),
            Msg::new("file.too_many").with("max", cfg.max_files),
        ));
    }
    let mut checked = Vec::new();
    for f in uploads {
        match check(
            &f.bytes,
            &f.filename,
            cfg.max_file_bytes,
            &cfg.file_types,
            "files",
        ) {
            Ok(c) => checked.push((c, f)),
            Err(AppError::Validation(mut v)) => e.append(&mut v),
            Err(other) => return Err(other),
        }
    }
    Ok(checked)
}

/// The body limit of a route that takes evidence files, declared where the route is:
/// `post(handler).layer(files::accepts_files(&cfg.uploads))`. Every other route keeps
/// `body_limit_bytes`; no list of upload paths exists anywhere else.
pub fn accepts_files(cfg: &crate::config::UploadsConfig) -> axum::extract::DefaultBodyLimit {
    axum::extract::DefaultBodyLimit::max(cfg.request_limit())
}

/// Writes the bytes of checked uploads (each stored once, by hash).
pub async fn store_uploads(
    files: &Storage,
    checked: &[(Checked, &Upload)],
) -> Result<(), AppError> {
    for (c, f) in checked {
        store(files, &c.sha256, &f.bytes)
            .await
            .map_err(|e| AppError::Internal(anyhow::anyhow!("storing file {}: {e}", c.sha256)))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn download_names_are_percent_encoded_with_a_space_as_percent_20() {
        assert_eq!(
            super::rfc5987("会议 纪要.pdf"),
            "%E4%BC%9A%E8%AE%AE%20%E7%BA%AA%E8%A6%81.pdf"
        );
        assert_eq!(super::rfc5987("a+b c.pdf"), "a+b%20c.pdf");
    }

    use super::*;

    #[test]
    fn types_are_told_by_content_not_by_name() {
        assert_eq!(sniff(b"%PDF-1.7 ...", "x.jpg").map(|t| t.0), Some("pdf"));
        assert_eq!(
            sniff(
                &[0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a, 0],
                "a.pdf"
            )
            .map(|t| t.0),
            Some("png")
        );
        assert_eq!(
            sniff(&[0x7f, b'E', b'L', b'F', 0, 1, 2], "report.pdf"),
            None,
            "an executable is no pdf"
        );
        assert_eq!(
            sniff("整改报告".as_bytes(), "a.txt").map(|t| t.0),
            Some("txt")
        );
    }

    #[test]
    fn names_lose_paths_and_dangerous_characters() {
        assert_eq!(safe_name("../../etc/passwd"), "passwd");
        assert_eq!(safe_name("C:\\temp\\整改\"报告\".pdf"), "整改报告.pdf");
        assert_eq!(safe_name(".hidden"), "hidden");
        assert_eq!(safe_name("\u{0}\u{7}"), "file");
    }

    #[test]
    fn size_and_type_limits_name_the_field() {
        let allowed = vec!["pdf".to_string()];
        assert!(
            check(
                b"%PDF-1.4\n% a page\n%%EOF\n",
                "a.pdf",
                1024,
                &allowed,
                "files"
            )
            .is_ok()
        );
        assert!(
            matches!(check(b"plain text", "a.txt", 1024, &allowed, "files"), Err(AppError::Validation(f)) if f[0].0 == "files")
        );
        assert!(check(&[b'%'; 2048], "a.pdf", 1024, &allowed, "files").is_err());
        assert!(check(b"", "a.pdf", 1024, &allowed, "files").is_err());
    }

    #[test]
    fn throwaway_evidence_is_refused() {
        let allowed: Vec<String> = super::KNOWN_TYPES.iter().map(|s| s.to_string()).collect();
        let ok = |b: &[u8], name: &str| check(b, name, 1 << 20, &allowed, "files");
        assert!(ok(b"x", "a.txt").is_err(), "one byte");
        assert!(ok(b"%PDF-", "a.pdf").is_err(), "a header");
        assert!(
            ok(b"%PDF-1.4\n% no end of file here\n", "a.pdf").is_err(),
            "truncated"
        );
        let html = b"<html><body>minutes</body></html>";
        assert!(ok(html, "minutes.pdf").is_err(), "text dressed up as a PDF");
        assert!(ok(html, "minutes.txt").is_ok());
        let mut png = vec![0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a];
        png.extend_from_slice(&[0; 16]);
        assert!(ok(&png, "a.png").is_err(), "no IEND");
        png.extend_from_slice(b"\0\0\0\0IEND\xaeB`\x82");
        assert!(ok(&png, "a.png").is_ok());
        assert!(ok(&png, "a.jpg").is_err(), "a PNG named .jpg");
        let pdf = b"%PDF-1.4\n% minutes\n%%EOF\n";
        assert_eq!(ok(pdf, "纪要").expect("no extension").filename, "纪要.pdf");
        assert_eq!(ok(pdf, "a.PDF").expect("upper case").filename, "a.PDF");
    }
}
