//! `/accidents/{id}/investigation` (issue 12): the investigation of an accident — team, lead
//! level, report due date, extension, report with responsibility findings, approval — and the
//! committee office's forms for each step (the API's permissions). Field errors and refused
//! steps re-render the page with what was typed.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use serde::Deserialize;

use super::model::{
    AppraisalInput, InvestigationDecisionInput, InvestigationExtensionInput, InvestigationMember,
    InvestigationOpenInput, InvestigationReportInput, InvestigationView,
};
use super::service::{self, Loaded};
use crate::auth::model::{Actor, Perm};
use crate::error::{AppError, AppResult};
use crate::i18n::Msg;
use crate::ids::AccidentId;
use crate::state::AppState;
use crate::web::Base;
use crate::web::ctx::RequestCtx;
use crate::web::extract::WebForm;
use crate::web::page::{FieldErrors, redirect_or_again, render_form};

/// Every form of the page as typed (each posts the fields it has).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct InvestigationForm {
    /// One member a line: 姓名，单位，职务.
    #[serde(default)]
    pub team: String,
    #[serde(default)]
    pub days: String,
    #[serde(default)]
    pub reason: String,
    #[serde(default)]
    pub approve: String,
    #[serde(default)]
    pub summary: String,
    #[serde(default)]
    pub findings: String,
    #[serde(default)]
    pub starts_on: String,
    #[serde(default)]
    pub ends_on: String,
    #[serde(default)]
    pub subject: String,
    #[serde(default)]
    pub appraiser: String,
}

impl InvestigationForm {
    fn team(&self) -> Vec<InvestigationMember> {
        self.team
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| {
                let mut parts = l.split([',', '，', '、']).map(str::trim);
                InvestigationMember {
                    name: parts.next().unwrap_or_default().to_string(),
                    organisation: parts.next().unwrap_or_default().to_string(),
                    role: parts.next().unwrap_or_default().to_string(),
                }
            })
            .collect()
    }
}

#[derive(Template)]
#[template(path = "accidents/investigation.html")]
pub struct InvestigationPage {
    pub b: Base,
    pub id: AccidentId,
    pub unit_name: String,
    pub grade: String,
    pub inv: Option<InvestigationView>,
    pub can_manage: bool,
    pub f: InvestigationForm,
    pub errors: FieldErrors,
}

async fn render_page(
    state: &AppState,
    ctx: &RequestCtx,
    actor: &Actor,
    id: AccidentId,
    f: InvestigationForm,
    errors: FieldErrors,
) -> AppResult<Response> {
    let (a, inv) = service::find(state, actor, id).await?;
    let inv = inv.map(|l| l.view(crate::time::today()));
    let invalid = errors.any();
    let page = InvestigationPage {
        b: Base::new(state, ctx, Some(actor), "investigation_pages.title"),
        id,
        unit_name: a.unit_name.clone(),
        grade: a.grade.code().to_string(),
        inv,
        can_manage: actor.can(Perm::InvestigationManage) && !actor.is_read_only(),
        f,
        errors,
    };
    render_form(&page, invalid)
}

pub async fn page(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
    Path(id): Path<AccidentId>,
) -> AppResult<Response> {
    render_page(
        &state,
        &ctx,
        &actor,
        id,
        Default::default(),
        Default::default(),
    )
    .await
}

/// A refused step (409: not open, a request pending, already open …) is shown on the form.
fn on_form(r: AppResult<Loaded>) -> AppResult<Loaded> {
    r.map_err(|e| match e {
        AppError::Conflict(m) => AppError::Validation(vec![("step".into(), m)]),
        e => e,
    })
}

async fn back(
    state: AppState,
    ctx: RequestCtx,
    actor: Actor,
    id: AccidentId,
    f: InvestigationForm,
    r: AppResult<Loaded>,
) -> AppResult<Response> {
    redirect_or_again(
        on_form(r),
        ctx.lang,
        |_| format!("/accidents/{id}/investigation"),
        async |errors| render_page(&state, &ctx, &actor, id, f, errors).await,
    )
    .await
}

/// Opens the investigation with its team.
pub async fn open(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
    Path(id): Path<AccidentId>,
    WebForm(f): WebForm<InvestigationForm>,
) -> AppResult<Response> {
    let input = InvestigationOpenInput { team: f.team() };
    let r = service::open(&state, &actor, id, &input).await;
    back(state, ctx, actor, id, f, r).await
}

/// Requests an extension (days, reason).
pub async fn extension(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
    Path(id): Path<AccidentId>,
    WebForm(f): WebForm<InvestigationForm>,
) -> AppResult<Response> {
    let r = match f.days.trim() {
        "" => Err(AppError::field(
            "days",
            Msg::new("investigation_pages.days"),
        )),
        d => match d.parse::<i64>() {
            Ok(days) => {
                let input = InvestigationExtensionInput {
                    days: Some(days),
                    reason: f.reason.clone(),
                };
                service::request_extension(&state, &actor, id, &input).await
            }
            Err(_) => Err(AppError::field(
                "days",
                Msg::new("investigation_pages.days"),
            )),
        },
    };
    back(state, ctx, actor, id, f, r).await
}

/// Approves (`approve=true`) or refuses the pending extension.
pub async fn decide(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
    Path(id): Path<AccidentId>,
    WebForm(f): WebForm<InvestigationForm>,
) -> AppResult<Response> {
    let input = InvestigationDecisionInput {
        approve: f.approve == "true",
    };
    let r = service::decide_extension(&state, &actor, id, &input).await;
    back(state, ctx, actor, id, f, r).await
}

/// Submits the report with the responsibility findings.
pub async fn report(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
    Path(id): Path<AccidentId>,
    WebForm(f): WebForm<InvestigationForm>,
) -> AppResult<Response> {
    let input = InvestigationReportInput {
        summary: f.summary.clone(),
        findings: f.findings.clone(),
    };
    let r = service::submit_report(&state, &actor, id, &input).await;
    back(state, ctx, actor, id, f, r).await
}

/// Records the approval (批复) of the report.
pub async fn approve(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
    Path(id): Path<AccidentId>,
) -> AppResult<Response> {
    let r = service::approve(&state, &actor, id).await;
    back(state, ctx, actor, id, Default::default(), r).await
}

/// Records a period of technical appraisal (技术鉴定).
pub async fn appraisal(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
    Path(id): Path<AccidentId>,
    WebForm(f): WebForm<InvestigationForm>,
) -> AppResult<Response> {
    let input = AppraisalInput {
        starts_on: f.starts_on.clone(),
        ends_on: f.ends_on.clone(),
        subject: f.subject.clone(),
        appraiser: f.appraiser.clone(),
    };
    let r = service::record_appraisal(&state, &actor, id, &input).await;
    back(state, ctx, actor, id, f, r).await
}
