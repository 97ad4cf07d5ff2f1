use serde::{Deserialize, Serialize};

use crate::auth::model::{Role, check_password};
use crate::error::AppError;
use crate::i18n::Msg;
use crate::ids::{AccountId, OrgId};
use crate::web::extract::text;

#[derive(Debug, Clone, sqlx::FromRow, Serialize, utoipa::ToSchema)]
pub struct AccountRow {
    pub id: AccountId,
    pub username: String,
    pub display_name: String,
    pub email: String,
    pub role: String,
    pub org_id: OrgId,
    pub org_code: String,
    pub org_name: String,
    pub disabled: bool,
    pub locked_until: Option<i64>,
    pub totp_enabled: bool,
    pub must_change_password: bool,
    pub last_login_at: Option<i64>,
    pub created_at: i64,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct NewAccountInput {
    pub username: String,
    #[serde(default)]
    pub display_name: String,
    #[serde(default)]
    pub email: String,
    pub role: String,
    pub org_code: String,
    pub password: String,
}

pub struct NewAccount {
    pub username: String,
    pub display_name: String,
    pub email: String,
    pub role: Role,
    pub org_code: String,
    pub password: String,
}

pub fn check_username(v: &str, e: &mut Vec<(String, Msg)>) -> String {
    let u = text("username", v, 64, true, e);
    if !u.is_empty()
        && (u.chars().count() < 3
            || !u
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-')))
    {
        e.push(("username".into(), Msg::new("account.username_format")));
    }
    u
}

pub fn check_email(v: &str, e: &mut Vec<(String, Msg)>) -> String {
    let m = text("email", v, 200, false, e);
    if !m.is_empty()
        && (!m.contains('@') || m.contains(' ') || m.starts_with('@') || m.ends_with('@'))
    {
        e.push(("email".into(), Msg::new("account.email_format")));
    }
    m
}

impl NewAccountInput {
    pub fn parse(&self) -> Result<NewAccount, AppError> {
        let mut e = Vec::new();
        let username = check_username(&self.username, &mut e);
        let mut display_name = text("display_name", &self.display_name, 50, false, &mut e);
        if display_name.is_empty() {
            display_name = username.clone();
        }
        let email = check_email(&self.email, &mut e);
        let role = Role::parse(self.role.trim());
        if role.is_none() {
            e.push(("role".into(), Msg::new("account.role_unknown")));
        }
        let org_code = text("org_code", &self.org_code, 40, true, &mut e);
        if let Err(m) = check_password(&self.password, &username, &display_name) {
            e.push(("password".into(), m));
        }
        if !e.is_empty() {
            return Err(AppError::Validation(e));
        }
        Ok(NewAccount {
            username,
            display_name,
            email,
            role: role.expect("checked"),
            org_code,
            password: self.password.clone(),
        })
    }
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct UpdateAccountInput {
    #[serde(default)]
    pub display_name: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub role: Option<String>,
    #[serde(default)]
    pub org_code: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct ResetPasswordInput {
    pub password: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct AccountFilter {
    pub q: Option<String>,
    pub role: Option<String>,
    pub org: Option<String>,
    /// `active`, `disabled` or empty for all.
    pub status: Option<String>,
    pub sort: Option<String>,
    pub page: Option<i64>,
}
