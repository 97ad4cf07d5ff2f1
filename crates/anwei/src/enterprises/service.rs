//! Use cases of the enterprise registry.

use serde_json::json;

use super::model::{EnterpriseFilter, EnterpriseRow, NewEnterprise};
use super::store::{self, ListParams};
use crate::act::{Act, Scoped, Target};
use crate::audit::Event;
use crate::auth::model::{Actor, Perm};
use crate::db::now_ms;
use crate::error::{AppError, AppResult};
use crate::i18n::Msg;
use crate::ids::OrgId;
use crate::orgs::model::NewOrg;
use crate::state::AppState;

impl Scoped for EnterpriseRow {
    fn scope_org_id(&self) -> OrgId {
        self.org_id
    }
    fn scope_region_path(&self) -> &str {
        &self.region_path
    }
}

/// [`create`] from what was sent: the permission first (a caller who may not add
/// enterprises learns nothing about the fields), then every field.
pub async fn create_from(
    state: &AppState,
    actor: &Actor,
    input: &super::model::NewEnterpriseInput,
) -> AppResult<EnterpriseRow> {
    if !actor.can(Perm::EnterpriseManage) {
        let mut act = Act::read(state, actor).await?;
        let t = Target {
            kind: "enterprise",
            id: "",
        };
        act.require(Perm::EnterpriseManage, "enterprise.create", t)
            .await?;
    }
    create(state, actor, input.parse()?).await
}

/// Adds an enterprise: its organisation in the tree (code: the credit code) and its profile,
/// in one transaction. The region must lie in the actor's scope (403, audited); the credit
/// code must be free (422 naming `credit_code`).
pub async fn create(state: &AppState, actor: &Actor, e: NewEnterprise) -> AppResult<EnterpriseRow> {
    let mut act = Act::begin(state, actor).await?;
    let t = Target {
        kind: "enterprise",
        id: &e.credit_code,
    };
    act.require(Perm::EnterpriseManage, "enterprise.create", t)
        .await?;
    if store::credit_code_taken(act.tx(), &e.credit_code).await? {
        return Err(AppError::field(
            "credit_code",
            Msg::new("enterprise.credit_code_taken"),
        ));
    }
    let org = NewOrg {
        code: e.credit_code.clone(),
        name: e.name.clone(),
        short_name: String::new(),
        kind: anwei_rules::org::OrgKind::Enterprise,
        region_code: e.region_code.clone(),
        parent_code: None,
        supervises_safety: false,
        sectors: Vec::new(),
        note: String::new(),
    };
    let id = match crate::orgs::service::create_in(&mut act, &org).await {
        // The organisation's code is the credit code: taken there means taken here.
        Err(AppError::Validation(f)) if f.iter().any(|(n, _)| n == "code") => {
            return Err(AppError::field(
                "credit_code",
                Msg::new("enterprise.credit_code_taken"),
            ));
        }
        r => r?,
    };
    store::insert(act.tx(), id, &e, actor.account_id, now_ms()).await?;
    act.audit(
        Event::ok("enterprise.create", "enterprise", id).detail(json!({
            "credit_code": e.credit_code, "region": e.region_code, "industry": e.industry.code(),
        })),
    )
    .await?;
    let row = store::by_org_id(act.tx(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    act.commit().await?;
    Ok(row)
}

pub struct Page {
    pub items: Vec<EnterpriseRow>,
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
}

/// The enterprises in the actor's scope (an enterprise: itself), filtered.
pub async fn list(state: &AppState, actor: &Actor, f: &EnterpriseFilter) -> AppResult<Page> {
    let mut act = Act::read(state, actor).await?;
    let t = Target {
        kind: "enterprise",
        id: "",
    };
    act.require(Perm::OrgRead, "enterprise.list", t).await?;
    let ne = |v: &Option<String>| {
        v.as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    };
    let scope = crate::orgs::service::scope_params(actor);
    let mut path_like = scope.path_like.clone();
    if let Some(code) = ne(&f.region) {
        let Some(r) = crate::orgs::service::region_by_code(&mut act, &code).await? else {
            return Err(AppError::field("region", Msg::new("org.region_unknown")));
        };
        let inside = format!("{}%", r.path);
        // Narrow the scope, never widen it: a region outside it lists nothing.
        path_like = match path_like {
            Some(p) if !r.path.starts_with(p.trim_end_matches('%')) => Some(String::new()),
            _ => Some(inside),
        };
    }
    let industry_like = match ne(&f.industry) {
        None => None,
        Some(code) => {
            let code = code.to_uppercase();
            let Some(i) = anwei_rules::enterprise::Industry::parse(&code) else {
                return Err(AppError::field(
                    "industry",
                    Msg::new("enterprise.industry_unknown"),
                ));
            };
            Some(if i.division().is_some() {
                i.code()
            } else {
                format!("{}%", i.code())
            })
        }
    };
    let q_like = ne(&f.q).map(|q| format!("%{}%", crate::db::escape_like(&q)));
    let (page, per_page) = crate::web::page::page_and_size(f.page, f.per_page)?;
    let (items, total) = store::list(
        act.tx(),
        &ListParams {
            path_like: path_like.as_deref(),
            org_id: scope.org_id,
            industry_like: industry_like.as_deref(),
            q_like: q_like.as_deref(),
            limit: per_page,
            offset: (page - 1) * per_page,
        },
    )
    .await?;
    Ok(Page {
        items,
        total,
        page,
        per_page,
    })
}

/// One enterprise the actor may see.
pub async fn get(state: &AppState, actor: &Actor, id: OrgId) -> AppResult<EnterpriseRow> {
    let mut act = Act::read(state, actor).await?;
    visible(&mut act, id, "enterprise.read").await
}

/// The door for other capabilities (hazards), inside their use case: the enterprise with this
/// organisation id, when it lies in the actor's scope; otherwise it does not exist (404,
/// audited under `action`).
pub async fn visible(
    act: &mut Act<'_>,
    id: OrgId,
    action: &'static str,
) -> AppResult<EnterpriseRow> {
    act.load_by(Perm::OrgRead, action, "enterprise", id, store::by_org_id)
        .await
}
