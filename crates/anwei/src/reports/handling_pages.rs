//! The staff report page's forms for 转办 (transfer), 延期 (extension request and decision) and
//! links to what the case produced: each posts, then returns to the report's page, or shows it
//! again with the errors named by field. A transfer that takes the case out of the sender's
//! sight returns to the list.

use axum::extract::{Path, State};
use axum::response::Response;

use super::extension::{ExtensionDecisionInput, ReportExtensionInput};
use super::links::LinkInput;
use super::model::StepInput;
use super::pages::detail_render;
use super::transfer::TransferInput;
use crate::accidents::concealment::model::ConcealmentCaseInput;
use crate::auth::model::Actor;
use crate::error::{AppError, AppResult};
use crate::i18n::Msg;
use crate::ids::ReportId;
use crate::state::AppState;
use crate::web::ctx::RequestCtx;
use crate::web::extract::WebForm;
use crate::web::page::redirect_or_again;

async fn back<T>(
    state: &AppState,
    ctx: &RequestCtx,
    actor: &Actor,
    id: ReportId,
    r: AppResult<T>,
    to: impl FnOnce(T) -> String,
) -> AppResult<Response> {
    redirect_or_again(r, ctx.lang, to, async |errors| {
        detail_render(state, ctx, actor, id, StepInput::default(), errors, None).await
    })
    .await
}

pub async fn transfer(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
    Path(id): Path<ReportId>,
    WebForm(input): WebForm<TransferInput>,
) -> AppResult<Response> {
    let r = super::transfer::transfer(&state, &actor, id, &input).await;
    back(&state, &ctx, &actor, id, r, |(_, after)| match after {
        Some(_) => format!("/reports/{id}"),
        None => "/reports".to_string(),
    })
    .await
}

pub async fn extension(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
    Path(id): Path<ReportId>,
    WebForm(input): WebForm<ReportExtensionInput>,
) -> AppResult<Response> {
    let r = super::extension::request(&state, &actor, id, &input).await;
    back(&state, &ctx, &actor, id, r, |_| format!("/reports/{id}")).await
}

pub async fn extension_decide(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
    Path(id): Path<ReportId>,
    WebForm(input): WebForm<ExtensionDecisionInput>,
) -> AppResult<Response> {
    let r = super::extension::decide(&state, &actor, id, &input).await;
    back(&state, &ctx, &actor, id, r, |_| format!("/reports/{id}")).await
}

/// Links the case to a hazard, an inspection or a penalty by its number.
pub async fn link(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
    Path(id): Path<ReportId>,
    WebForm(input): WebForm<LinkInput>,
) -> AppResult<Response> {
    let r = super::links::add(&state, &actor, id, &input).await;
    back(&state, &ctx, &actor, id, r, |_| format!("/reports/{id}")).await
}

/// The form opening a suspected concealment case from the report (疑似瞒报案件), as typed.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct CaseForm {
    /// `datetime-local` (UTC+8) or RFC 3339.
    #[serde(default)]
    pub occurred_at: String,
    #[serde(default)]
    pub deaths: String,
    /// Blank: the report's description.
    #[serde(default)]
    pub case_description: String,
}

impl CaseForm {
    fn input(&self) -> AppResult<ConcealmentCaseInput> {
        let t = self.occurred_at.trim();
        let occurred_at = match t.len() {
            16 => format!("{t}:00+08:00"),
            19 => format!("{t}+08:00"),
            _ => t.to_string(),
        };
        let deaths = match self.deaths.trim() {
            "" => None,
            d => Some(
                d.parse::<i64>()
                    .map_err(|_| AppError::field("deaths", Msg::new("error.wrong_type")))?,
            ),
        };
        Ok(ConcealmentCaseInput {
            occurred_at,
            deaths,
            description: self.case_description.clone(),
            ..ConcealmentCaseInput::default()
        })
    }
}

/// Opens a suspected concealment case from a verified report alleging a concealed accident,
/// through the same use case as `POST /api/v1/reports/{id}/concealment-case`, then shows the
/// case; refused (not verified, not about a concealed accident) or wrong input: the report's
/// page again with the message.
pub async fn concealment_case(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
    Path(id): Path<ReportId>,
    WebForm(f): WebForm<CaseForm>,
) -> AppResult<Response> {
    let r = match f.input() {
        Ok(input) => super::links::concealment_from_report(&state, &actor, id, input).await,
        Err(e) => Err(e),
    };
    let r = r.map_err(|e| match e {
        AppError::Conflict(m) => AppError::Validation(vec![("case".into(), m)]),
        e => e,
    });
    back(&state, &ctx, &actor, id, r, |c| {
        format!("/accidents/concealment/{}", c.id)
    })
    .await
}
