//! Public report pages (no account, no script needed): `/report` to report and
//! `/report/follow` to come back with the receipt code — the code travels only in form bodies,
//! never in a URL. The staff pages are in `pages.rs`.

use askama::Template;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use serde::Deserialize;

use super::model::{FollowView, MessageInput, NewReportInput, ReporterInput};
use super::service;
use crate::auth::model::Actor;
use crate::auth::pages::{pre_csrf_token, set_pre_csrf};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::web::Base;
use crate::web::ctx::RequestCtx;
use crate::web::extract::{MaybeActor, WebForm};
use crate::web::page::{FieldErrors, render, render_form};

/// The public form's fields (flat: a form has no nested objects).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ReportForm {
    #[serde(default)]
    pub category: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub region_code: String,
    #[serde(default)]
    pub address: String,
    #[serde(default)]
    pub unit_name: String,
    #[serde(default)]
    pub occurred_on: String,
    #[serde(default)]
    pub employee: Option<String>,
    /// `anonymous` (default) or `named`.
    #[serde(default)]
    pub identity: String,
    #[serde(default)]
    pub reporter_name: String,
    #[serde(default)]
    pub reporter_phone: String,
    #[serde(default)]
    pub reporter_id_number: String,
    /// The office's entry only.
    #[serde(default)]
    pub channel: String,
    /// 防刷验证: the challenge the page carried and the nonce its script found (blank
    /// without script: the report still goes in, under the strict limit).
    #[serde(default)]
    pub pow_challenge: String,
    #[serde(default)]
    pub pow_nonce: String,
}

impl ReportForm {
    pub(super) fn input(&self) -> NewReportInput {
        let named = self.identity == "named";
        NewReportInput {
            category: self.category.clone(),
            description: self.description.clone(),
            region_code: self.region_code.clone(),
            address: self.address.clone(),
            unit_name: self.unit_name.clone(),
            occurred_on: self.occurred_on.clone(),
            employee: self.employee.is_some(),
            anonymous: !named,
            reporter: named.then(|| ReporterInput {
                name: self.reporter_name.clone(),
                phone: self.reporter_phone.clone(),
                id_number: self.reporter_id_number.clone(),
            }),
            channel: self.channel.clone(),
            pow: (!self.pow_nonce.is_empty()).then(|| super::pow::Solution {
                challenge: self.pow_challenge.clone(),
                nonce: self.pow_nonce.clone(),
            }),
        }
    }
}

#[derive(Template)]
#[template(path = "reports/form.html")]
pub struct FormPage {
    pub b: Base,
    pub input: ReportForm,
    pub errors: FieldErrors,
    pub message: Option<String>,
    /// A fresh proof-of-work challenge for `/assets/pow.js`.
    pub pow: super::pow::Challenge,
}

#[derive(Template)]
#[template(path = "reports/receipt.html")]
pub struct ReceiptPage {
    pub b: Base,
    pub code: String,
}

#[derive(Template)]
#[template(path = "reports/follow.html")]
pub struct FollowPage {
    pub b: Base,
    pub code: String,
    pub view: Option<FollowView>,
    pub errors: FieldErrors,
    pub message: Option<String>,
}

/// A public page's frame: the session's token for a signed-in visitor, else the pre-session
/// cookie's (set on the answer).
fn public_base(
    state: &AppState,
    ctx: &RequestCtx,
    actor: &Option<Actor>,
    headers: &HeaderMap,
    title: &str,
) -> (Base, Option<String>) {
    let mut b = Base::new(state, ctx, actor.as_ref(), title);
    if actor.is_some() {
        return (b, None);
    }
    let token = pre_csrf_token(headers);
    b.csrf = token.clone();
    (b, Some(token))
}

fn with_cookie(state: &AppState, mut res: Response, token: Option<String>) -> Response {
    if let Some(t) = token {
        set_pre_csrf(state, &mut res, &t);
    }
    res
}

pub async fn form(
    State(state): State<AppState>,
    ctx: RequestCtx,
    MaybeActor(actor): MaybeActor,
    headers: HeaderMap,
) -> AppResult<Response> {
    let (b, token) = public_base(&state, &ctx, &actor, &headers, "public_report.title");
    let input = ReportForm {
        identity: "anonymous".into(),
        ..ReportForm::default()
    };
    let page = FormPage {
        b,
        input,
        errors: FieldErrors::default(),
        message: None,
        pow: super::pow::issue(&state),
    };
    Ok(with_cookie(&state, render(&page)?, token))
}

pub async fn submit(
    State(state): State<AppState>,
    ctx: RequestCtx,
    MaybeActor(actor): MaybeActor,
    headers: HeaderMap,
    req: axum::extract::Request,
) -> AppResult<Response> {
    // Too many requests, or a body that cannot be read (too large): the form again, empty.
    // An address past both budgets is refused before its body is read.
    let read = match super::pow::gate(&state, &ctx.ip) {
        Ok(()) => super::attachments::read_web::<ReportForm>(req, &state).await,
        Err(e) => Err(e),
    };
    let (f, r) = match read {
        Ok((f, files)) => {
            let input = f.input();
            match super::pow::admit(&state, &ctx.ip, input.pow.as_ref()).await {
                Ok(()) => {
                    let r = service::submit_public(&state, &ctx.request_id, &input, &files).await;
                    (f, r)
                }
                Err(e @ AppError::TooManyRequests(_)) => (ReportForm::default(), Err(e)),
                Err(e) => (f, Err(e)),
            }
        }
        Err(e) => (ReportForm::default(), Err(e)),
    };
    let (b, token) = public_base(&state, &ctx, &actor, &headers, "public_report.title");
    let res = match r {
        Ok(code) => {
            let code = anwei_rules::report::format_receipt(&code);
            render(&ReceiptPage { b, code })?
        }
        Err(e) => {
            let (errors, message) = form_trouble(&e, &ctx)?;
            let invalid = errors.any() || message.is_some();
            let mut res = render_form(
                &FormPage {
                    b,
                    input: f,
                    errors,
                    message,
                    pow: super::pow::issue(&state),
                },
                invalid,
            )?;
            if let AppError::TooManyRequests(_) | AppError::UnavailableFor(_) = e {
                *res.status_mut() = e.status();
            }
            res
        }
    };
    Ok(with_cookie(&state, res, token))
}

/// Field errors, or the message of a refusal the form shows (too many requests, not found,
/// the key provider unavailable: nothing was saved, the person may send it again).
fn form_trouble(e: &AppError, ctx: &RequestCtx) -> AppResult<(FieldErrors, Option<String>)> {
    if let Some(f) = FieldErrors::from_error(e, ctx.lang) {
        return Ok((f, None));
    }
    match e {
        AppError::TooManyRequests(m) | AppError::UnavailableFor(m) => {
            Ok((FieldErrors::default(), Some(m.render(ctx.lang))))
        }
        AppError::NotFound => Ok((
            FieldErrors::default(),
            Some(crate::i18n::t(ctx.lang, "public_report.follow_not_found")),
        )),
        _ => Err(AppError::Internal(anyhow::anyhow!("report form: {e:?}"))),
    }
}

pub async fn follow_form(
    State(state): State<AppState>,
    ctx: RequestCtx,
    MaybeActor(actor): MaybeActor,
    headers: HeaderMap,
) -> AppResult<Response> {
    let (b, token) = public_base(&state, &ctx, &actor, &headers, "public_report.follow_title");
    let page = FollowPage {
        b,
        code: String::new(),
        view: None,
        errors: FieldErrors::default(),
        message: None,
    };
    Ok(with_cookie(&state, render(&page)?, token))
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct FollowForm {
    #[serde(default)]
    pub receipt_code: String,
    #[serde(default)]
    pub body: String,
}

async fn follow_answer(
    state: &AppState,
    ctx: &RequestCtx,
    actor: &Option<Actor>,
    headers: &HeaderMap,
    code: String,
    r: AppResult<FollowView>,
) -> AppResult<Response> {
    let (b, token) = public_base(state, ctx, actor, headers, "public_report.follow_title");
    let res = match r {
        Ok(view) => render(&FollowPage {
            b,
            code,
            view: Some(view),
            errors: FieldErrors::default(),
            message: None,
        })?,
        Err(e) => {
            let (errors, message) = match &e {
                // A message without its text: the report is shown again with the field named.
                AppError::Validation(_) => (FieldErrors::from_error(&e, ctx.lang), None),
                _ => (None, form_trouble(&e, ctx)?.1),
            };
            let view = match errors {
                Some(_) => service::follow(state, &code).await.ok(),
                None => None,
            };
            let mut res = render_form(
                &FollowPage {
                    b,
                    code: if view.is_some() { code } else { String::new() },
                    view,
                    errors: errors.unwrap_or_default(),
                    message,
                },
                true,
            )?;
            *res.status_mut() = e.status();
            res
        }
    };
    Ok(with_cookie(state, res, token))
}

pub async fn follow(
    State(state): State<AppState>,
    ctx: RequestCtx,
    MaybeActor(actor): MaybeActor,
    headers: HeaderMap,
    WebForm(f): WebForm<FollowForm>,
) -> AppResult<Response> {
    let r = match service::limit_public(&state, &ctx.ip) {
        Ok(()) => service::follow(&state, &f.receipt_code).await,
        Err(e) => Err(e),
    };
    follow_answer(&state, &ctx, &actor, &headers, f.receipt_code, r).await
}

pub async fn reporter_message(
    State(state): State<AppState>,
    ctx: RequestCtx,
    MaybeActor(actor): MaybeActor,
    headers: HeaderMap,
    req: axum::extract::Request,
) -> AppResult<Response> {
    service::limit_public(&state, &ctx.ip)?;
    let (f, files) = super::attachments::read_web::<FollowForm>(req, &state).await?;
    let input = MessageInput { body: f.body };
    let r =
        service::reporter_message(&state, &ctx.request_id, &f.receipt_code, &input, &files).await;
    follow_answer(&state, &ctx, &actor, &headers, f.receipt_code, r).await
}
