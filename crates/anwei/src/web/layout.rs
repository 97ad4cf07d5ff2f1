//! What every page's layout needs: translator, the signed-in user, CSRF token, navigation.

use crate::auth::model::{Actor, Perm};
use crate::i18n::Tr;
use crate::state::AppState;
use crate::web::ctx::RequestCtx;

#[derive(Debug, Clone)]
pub struct NavItem {
    pub href: &'static str,
    pub label_key: &'static str,
    pub active: bool,
}

#[derive(Debug, Clone)]
pub struct Base {
    pub t: Tr,
    pub title: String,
    pub user: Option<UserView>,
    pub csrf: String,
    pub path: String,
    pub nav: Vec<NavItem>,
    pub flash: Option<String>,
    pub other_lang: &'static str,
    pub other_lang_label: &'static str,
    pub unread: i64,
}

#[derive(Debug, Clone)]
pub struct UserView {
    pub display_name: String,
    pub username: String,
    pub role_label: String,
    pub org_name: String,
}

impl Base {
    pub fn new(
        _state: &AppState,
        ctx: &RequestCtx,
        actor: Option<&Actor>,
        title_key: &str,
    ) -> Base {
        let t = ctx.tr();
        let mut nav = Vec::new();
        if let Some(a) = actor {
            let items: [(&'static str, &'static str, Option<Perm>); 18] = [
                ("/", "nav.home", None),
                ("/orgs", "nav.orgs", Some(Perm::OrgRead)),
                ("/people", "nav.people", Some(Perm::PeopleRead)),
                ("/policy", "nav.policy", Some(Perm::PolicyRead)),
                ("/supervision", "nav.supervision", Some(Perm::TaskRead)),
                (
                    "/deliverables",
                    "nav.deliverables",
                    Some(Perm::DeliverableRead),
                ),
                ("/duties", "nav.duties", Some(Perm::TaskRead)),
                ("/hazards", "nav.hazards", Some(Perm::HazardRead)),
                ("/listings", "nav.listings", Some(Perm::HazardRead)),
                ("/risk/map", "nav.risk_map", Some(Perm::HazardRead)),
                (
                    "/inspections",
                    "nav.inspections",
                    Some(Perm::InspectionRead),
                ),
                ("/enterprises", "nav.enterprises", Some(Perm::OrgRead)),
                ("/reports", "nav.reports", Some(Perm::ReportRead)),
                ("/admin/accounts", "nav.accounts", Some(Perm::AccountManage)),
                ("/audit", "nav.audit", Some(Perm::AuditRead)),
                ("/inbox", "nav.inbox", Some(Perm::OwnInbox)),
                ("/accidents", "nav.accidents", Some(Perm::AccidentRead)),
                ("/bans", "nav.bans", Some(Perm::BanRead)),
            ];
            for (href, key, perm) in items {
                if perm.is_none_or(|p| a.can(p)) {
                    let active = if href == "/" {
                        ctx.path == "/"
                    } else {
                        ctx.path.starts_with(href)
                    };
                    nav.push(NavItem {
                        href,
                        label_key: key,
                        active,
                    });
                }
            }
        }
        let other = ctx.lang.other();
        Base {
            t,
            title: t.t(title_key),
            user: actor.map(|a| UserView {
                display_name: a.display_name.clone(),
                username: a.username.clone(),
                role_label: t.t(&a.role.label_key()),
                org_name: a.org_name.clone(),
            }),
            csrf: actor.map(|a| a.csrf().to_string()).unwrap_or_default(),
            path: ctx.path.clone(),
            nav,
            flash: None,
            other_lang: other.code(),
            other_lang_label: if other == crate::i18n::Lang::En {
                "English"
            } else {
                "中文"
            },
            unread: 0,
        }
    }

    pub fn with_title(mut self, title: String) -> Base {
        self.title = title;
        self
    }

    pub fn with_flash(mut self, flash: Option<String>) -> Base {
        self.flash = flash;
        self
    }
}
