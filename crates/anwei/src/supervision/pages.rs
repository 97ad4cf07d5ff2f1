//! HTML handlers of task supervision.

use crate::review::pages::{Call, Reviewed};
use askama::Template;
use axum::extract::{Path, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::model::{AssignmentFilter, AssignmentView, DecisionInput, IssueInput, IssuePick};
use super::service;
use crate::auth::model::{Actor, Perm};
use crate::error::AppResult;
use crate::i18n::Lang;
use crate::ids::{AssignmentId, FileId};
use crate::policy::model::{MeasureRow, TaskView};
use crate::state::AppState;
use crate::web::Base;
use crate::web::ctx::RequestCtx;
use crate::web::extract::{Q, WebForm};
use crate::web::page::{FieldErrors, Pager, redirect_or_again, render};

pub struct LightCount {
    pub light: &'static str,
    pub count: i64,
    pub href: String,
}

#[derive(Template)]
#[template(path = "supervision/ledger.html")]
pub struct LedgerPage {
    pub b: Base,
    pub items: Vec<AssignmentView>,
    pub pager: Pager,
    pub counts: Vec<LightCount>,
    pub f_task: String,
    pub f_measure: i64,
    pub f_org: String,
    pub f_level: String,
    pub f_light: String,
    pub f_status: String,
    pub measures: Vec<MeasureRow>,
    pub inbox: bool,
    pub can_issue: bool,
    pub policies: Vec<crate::policy::model::PolicyRow>,
    pub f_policy: String,
    /// The chart of lights per measure and the roll-up table (not in the inbox view).
    pub panel: Option<super::ledger::LedgerPanel>,
}

fn filter_query(f: &AssignmentFilter) -> Vec<(String, String)> {
    let mut q = Vec::new();
    if let Some(p) = f.policy.as_ref().filter(|s| !s.is_empty()) {
        q.push(("policy".into(), p.clone()));
    }
    if let Some(t) = f.task {
        q.push(("task".into(), t.to_string()));
    }
    if let Some(m) = f.measure {
        q.push(("measure".into(), m.to_string()));
    }
    for (k, v) in [
        ("org", &f.org),
        ("level", &f.level),
        ("light", &f.light),
        ("status", &f.status),
    ] {
        if let Some(v) = v.as_ref().filter(|s| !s.is_empty()) {
            q.push((k.into(), v.clone()));
        }
    }
    q
}

async fn ledger_render(
    state: &AppState,
    ctx: &RequestCtx,
    actor: &Actor,
    mut f: AssignmentFilter,
    inbox: bool,
) -> AppResult<Response> {
    if inbox {
        f.org = Some(actor.org_code.clone());
    }
    // The ledger page's panel counts lights per measure under the same filters; the tiles'
    // counts and the total are their sums, so the list skips its own count scan.
    let mut r = service::list_page(state, actor, &f, inbox).await?;
    let panel = if inbox {
        None
    } else {
        Some(super::ledger::panel(state, actor, &f, ctx.lang).await?)
    };
    if let Some(p) = &panel {
        r.counts = ["red", "yellow", "green", "grey"]
            .iter()
            .map(|l| (l.to_string(), p.rollup.iter().map(|m| m.count(l)).sum()))
            .collect();
        r.total = r.counts.iter().map(|(_, n)| n).sum();
    }
    let policies = crate::policy::service::policies(state, actor).await?;
    let measures = {
        let mut act = crate::act::Act::read(state, actor).await?;
        crate::policy::service::measures_of(&mut act, r.policy.id).await?
    };
    let base_q = filter_query(&f);
    let path = if inbox {
        "/supervision/inbox"
    } else {
        "/supervision"
    };
    let counts = anwei_rules::supervision::Light::ALL
        .iter()
        .map(|l| {
            let mut q: Vec<(String, String)> = base_q
                .iter()
                .filter(|(k, _)| k != "light")
                .cloned()
                .collect();
            q.push(("light".into(), l.code().into()));
            LightCount {
                light: l.code(),
                count: r
                    .counts
                    .iter()
                    .find(|(k, _)| k == l.code())
                    .map(|(_, n)| *n)
                    .unwrap_or(0),
                href: format!(
                    "{path}?{}",
                    serde_urlencoded::to_string(&q).unwrap_or_default()
                ),
            }
        })
        .collect();
    let title = if inbox {
        "supervision.inbox_title"
    } else {
        "supervision.ledger_title"
    };
    let b = Base::new(state, ctx, Some(actor), title);
    render(&LedgerPage {
        policies,
        f_policy: r.policy.code.clone(),
        items: r.items,
        pager: Pager {
            page: r.page,
            per_page: r.per_page,
            total: r.total,
            base_query: serde_urlencoded::to_string(&base_q).unwrap_or_default(),
        },
        counts,
        f_task: f.task.map(|t| t.to_string()).unwrap_or_default(),
        f_measure: f.measure.unwrap_or(0),
        f_org: if inbox {
            String::new()
        } else {
            f.org.clone().unwrap_or_default()
        },
        f_level: f.level.clone().unwrap_or_default(),
        f_light: f.light.clone().unwrap_or_default(),
        f_status: f.status.clone().unwrap_or_default(),
        measures,
        panel,
        inbox,
        can_issue: actor.can(Perm::TaskIssue),
        b,
    })
}

pub async fn ledger(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
    Q(f): Q<AssignmentFilter>,
) -> AppResult<Response> {
    ledger_render(&state, &ctx, &actor, f, false).await
}

pub async fn inbox(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
    Q(f): Q<AssignmentFilter>,
) -> AppResult<Response> {
    ledger_render(&state, &ctx, &actor, f, true).await
}

pub struct PickRow {
    pub org_code: String,
    pub org_name: String,
    pub role: &'static str,
    pub issued: bool,
}

#[derive(Template)]
#[template(path = "supervision/task.html")]
pub struct TaskPage {
    pub b: Base,
    /// The policy's code, carried by links and the issue form.
    pub policy: String,
    pub task: TaskView,
    pub assignments: Vec<AssignmentView>,
    pub events: Vec<super::model::EventRow>,
    pub picks: Vec<PickRow>,
    pub open: Vec<String>,
    pub can_issue: bool,
    pub errors: FieldErrors,
    pub flash: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct TaskQuery {
    pub issued: Option<i64>,
    pub existing: Option<i64>,
    pub policy: Option<String>,
}

async fn task_render(
    state: &AppState,
    ctx: &RequestCtx,
    actor: &Actor,
    number: i64,
    errors: FieldErrors,
    flash: Option<String>,
    policy: Option<&str>,
) -> AppResult<Response> {
    let (policy_row, task, assignments, events) =
        service::timeline(state, actor, policy, number).await?;
    let lang = ctx.lang;
    let (picks, open) = if actor.can(Perm::TaskIssue) {
        let p = service::proposal(state, actor, policy, number).await?;
        (
            p.picks
                .iter()
                .map(|k| PickRow {
                    org_code: k.org.code.clone(),
                    org_name: k.org.name.clone(),
                    role: k.role.code(),
                    issued: k.issued,
                })
                .collect(),
            p.open
                .iter()
                .map(|s| {
                    if lang == Lang::En {
                        s.describe_en()
                    } else {
                        s.describe_zh()
                    }
                })
                .collect(),
        )
    } else {
        (Vec::new(), Vec::new())
    };
    let b = Base::new(state, ctx, Some(actor), "supervision.task_title")
        .with_title(format!("{} {number}", crate::i18n::t(lang, "policy.task")))
        .with_flash(flash);
    let mut r = render(&TaskPage {
        policy: policy_row.code.clone(),
        task: task.view(lang),
        assignments,
        events,
        picks,
        open,
        can_issue: actor.can(Perm::TaskIssue),
        errors: errors.clone(),
        flash: None,
        b,
    })?;
    if errors.any() {
        *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(r)
}

pub async fn task(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
    Path(number): Path<i64>,
    Q(q): Q<TaskQuery>,
) -> AppResult<Response> {
    let flash = q.issued.map(|n| {
        crate::i18n::tf(
            ctx.lang,
            "supervision.issued_flash",
            &[
                ("created", n.to_string()),
                ("existing", q.existing.unwrap_or(0).to_string()),
            ],
        )
    });
    task_render(
        &state,
        &ctx,
        &actor,
        number,
        FieldErrors::default(),
        flash,
        q.policy.as_deref(),
    )
    .await
}

/// The issue form: one checkbox `org` per organisation (value `CODE:role`) plus free codes.
pub async fn issue(
    State(state): State<AppState>,
    ctx: RequestCtx,
    actor: Actor,
    Path(number): Path<i64>,
    WebForm(form): WebForm<Vec<(String, String)>>,
) -> AppResult<Response> {
    let mut picks = Vec::new();
    let policy = form
        .iter()
        .find(|(k, _)| k == "policy")
        .map(|(_, v)| v.clone())
        .filter(|v| !v.is_empty());
    for (k, v) in &form {
        if k == "org" {
            // A unit the office ticks or adds is responsible unless it chose support.
            let (code, role) = v.split_once(':').unwrap_or((v.as_str(), "lead"));
            picks.push(IssuePick {
                org_code: code.to_string(),
                role: role.to_string(),
            });
        }
        if k == "extra" {
            for code in v
                .split([',', '，', ' ', '\n'])
                .map(str::trim)
                .filter(|c| !c.is_empty())
            {
                picks.push(IssuePick {
                    org_code: code.to_string(),
                    role: "lead".into(),
                });
            }
        }
    }
    let input = IssueInput {
        orgs: Some(picks),
        policy: policy.clone(),
    };
    let r = service::issue(&state, &actor, number, &input).await;
    let p = policy.as_deref();
    redirect_or_again(
        r,
        ctx.lang,
        |r| {
            let p = crate::web::middleware::urlencode(p.unwrap_or(""));
            format!(
                "/supervision/tasks/{number}?issued={}&existing={}&policy={p}",
                r.created, r.existing
            )
        },
        async |errors| task_render(&state, &ctx, &actor, number, errors, None, p).await,
    )
    .await
}

#[derive(Template)]
#[template(path = "supervision/assignment.html")]
pub struct AssignmentPage {
    pub b: Base,
    pub d: service::Detail,
    pub task: TaskView,
    pub errors: FieldErrors,
    pub max_size: String,
}

/// The assignment's page and its review loop: the generic handlers of `review::pages`.
pub struct AssignmentPages;

impl Reviewed for AssignmentPages {
    type Id = AssignmentId;
    const PAGE: &'static str = "/supervision/assignments";

    async fn render(
        c: Call<'_, AssignmentId>,
        ctx: &RequestCtx,
        errors: FieldErrors,
    ) -> AppResult<Response> {
        let (state, actor) = (c.state, c.actor);
        let d = service::get(state, actor, c.id).await?;
        let task = d.task.view(ctx.lang);
        let b =
            Base::new(state, ctx, Some(actor), "supervision.assignment_title").with_title(format!(
                "{} · {} {}",
                d.view.org_name,
                crate::i18n::t(ctx.lang, "policy.task"),
                d.view.task_number
            ));
        render(&AssignmentPage {
            b,
            d,
            task,
            errors,
            max_size: crate::files::human_size(state.cfg.uploads.max_file_bytes),
        })
    }

    async fn submit(c: Call<'_, AssignmentId>, req: Request) -> AppResult<()> {
        let (state, actor, id) = (c.state, c.actor, c.id);
        let (input, files) = super::api::read_report(req, state).await?;
        service::report(state, actor, id, &input, files)
            .await
            .map(|_| ())
    }

    async fn decide(c: Call<'_, AssignmentId>, input: &DecisionInput) -> AppResult<()> {
        service::review(c.state, c.actor, c.id, input)
            .await
            .map(|_| ())
    }
}

pub async fn acknowledge(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<AssignmentId>,
) -> AppResult<Response> {
    service::acknowledge(&state, &actor, id).await?;
    Ok(Redirect::to(&format!("/supervision/assignments/{id}")).into_response())
}

/// Evidence download: always an attachment with a safe name, never rendered inline. Serves
/// both `/api/v1/attachments/{id}` and the page route `/supervision/attachments/{id}`.
#[utoipa::path(get, path = "/api/v1/attachments/{id}", tag = "supervision", params(("id" = i64, Path)),
    responses((status = 200, description = "the file (attachment)", content_type = "application/octet-stream"), (status = 401), (status = 403), (status = 404)))]
pub async fn download(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<FileId>,
) -> AppResult<Response> {
    let (name, mime, bytes) = service::attachment(&state, &actor, id).await?;
    crate::files::download_response(&name, &mime, bytes)
}
