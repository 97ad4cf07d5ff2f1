//! Roles, permissions, data scope and the acting user.

use crate::audit::Who;
use crate::error::AppError;
use crate::i18n::Msg;

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize, utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// 系统管理员: accounts, organisations, positions; cannot reveal protected data.
    Admin,
    /// 安委办: owns the system's business.
    Office,
    /// 负有监管职责的部门.
    Department,
    /// 属地 (county / zone).
    Territory,
    /// 企业 (used by later capabilities).
    Enterprise,
    /// 纪检监察: read-only on accountability.
    Discipline,
    /// 领导: read-only dashboards.
    Leader,
    /// 审计员: reads the audit log only.
    Auditor,
}

impl Role {
    pub const ALL: [Role; 8] = [
        Role::Admin,
        Role::Office,
        Role::Department,
        Role::Territory,
        Role::Enterprise,
        Role::Discipline,
        Role::Leader,
        Role::Auditor,
    ];
    pub fn code(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Office => "office",
            Role::Department => "department",
            Role::Territory => "territory",
            Role::Enterprise => "enterprise",
            Role::Discipline => "discipline",
            Role::Leader => "leader",
            Role::Auditor => "auditor",
        }
    }
    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.code() == s)
    }
    pub fn label_key(self) -> String {
        format!("role.{}", self.code())
    }
    /// Whether a token of this (owner's) role may act as the read-only leader role: only
    /// roles whose permissions and scope already include everything a leader reads. An
    /// auditor (audit log only) or an enterprise (its own organisation only) may not widen
    /// its reach through a token.
    pub fn may_issue_leader_tokens(self) -> bool {
        !matches!(self, Role::Auditor | Role::Enterprise)
    }

    pub fn allows(self, p: Perm) -> bool {
        use Perm::*;
        use Role::*;
        match p {
            OrgRead | PeopleRead => !matches!(self, Auditor),
            PolicyRead => !matches!(self, Auditor),
            OrgManage | PeopleManage => matches!(self, Admin | Office),
            PolicyEdit => matches!(self, Office),
            AccountManage => matches!(self, Admin),
            AuditRead => matches!(self, Admin | Auditor),
            OwnTokens | OwnInbox => true,
            TaskRead => !matches!(self, Auditor),
            TaskIssue | TaskReview => matches!(self, Office),
            TaskReport => matches!(self, Office | Department | Territory | Enterprise),
            DutyRecord => matches!(self, Office | Department | Territory),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Perm {
    OrgRead,
    OrgManage,
    PeopleRead,
    PeopleManage,
    PolicyRead,
    PolicyEdit,
    AccountManage,
    AuditRead,
    OwnTokens,
    OwnInbox,
    /// 督查督办: see assignments in scope.
    TaskRead,
    /// 交办: issue assignments (committee office).
    TaskIssue,
    /// 审核 / 退回 / 销号 (committee office).
    TaskReview,
    /// 签收 / 报送 / 办结申请 for one's own organisation.
    TaskReport,
    /// 履职记录: record the duties' activities of one's own organisation (or, for the office,
    /// of organisations in scope).
    DutyRecord,
}

impl Perm {
    /// Permissions over what applies to the whole city: held only by accounts of the top
    /// region's organisations.
    pub fn city_wide(self) -> bool {
        matches!(self, Perm::PolicyEdit)
    }
    pub fn code(self) -> &'static str {
        match self {
            Perm::OrgRead => "org.read",
            Perm::OrgManage => "org.manage",
            Perm::PeopleRead => "people.read",
            Perm::PeopleManage => "people.manage",
            Perm::PolicyRead => "policy.read",
            Perm::PolicyEdit => "policy.edit",
            Perm::AccountManage => "account.manage",
            Perm::AuditRead => "audit.read",
            Perm::OwnTokens => "token.own",
            Perm::OwnInbox => "inbox.own",
            Perm::TaskRead => "task.read",
            Perm::TaskIssue => "task.issue",
            Perm::TaskReview => "task.review",
            Perm::TaskReport => "task.report",
            Perm::DutyRecord => "duty.record",
        }
    }
}

/// Which organisations' data a user may see.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// The region subtree whose materialised path starts with this prefix (e.g. `/1/3/`).
    Region(String),
    /// One organisation only (enterprises).
    Org(i64),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Via {
    Session {
        id_hash: String,
        csrf: String,
    },
    /// `read_only`: the token was made with a role other than its owner's (the read-only
    /// `leader` role); such a token changes nothing, the owner's own account included.
    Token {
        token_id: i64,
        read_only: bool,
    },
}

/// The signed-in user (or API token) making a request.
#[derive(Debug, Clone)]
pub struct Actor {
    pub account_id: i64,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub org_id: i64,
    pub org_code: String,
    pub org_name: String,
    pub region_path: String,
    pub via: Via,
    pub request_id: String,
    pub ip: String,
    pub must_change_password: bool,
    pub needs_totp_setup: bool,
}

impl Actor {
    pub fn who(&self) -> Who {
        Who {
            actor_id: Some(self.account_id),
            actor_name: self.username.clone(),
            request_id: self.request_id.clone(),
            ip: self.ip.clone(),
        }
    }
    /// The role allows it and, for what applies to the whole city, the actor's organisation
    /// is in the top region (a county office cannot edit the city's policy).
    pub fn can(&self, p: Perm) -> bool {
        self.role.allows(p) && (!p.city_wide() || self.is_city_wide())
    }
    pub fn scope(&self) -> Scope {
        match self.role {
            Role::Enterprise => Scope::Org(self.org_id),
            _ => Scope::Region(self.region_path.clone()),
        }
    }
    /// True when the actor's organisation sits in the top region (the city). What applies to
    /// the whole city (the policy, duty rules, sensitive periods, deliverables) is changed by
    /// the city's committee office only.
    pub fn is_city_wide(&self) -> bool {
        self.region_path.matches('/').count() <= 2
    }
    pub fn is_city_office(&self) -> bool {
        self.role == Role::Office && self.is_city_wide()
    }
    /// A read-only token (see `Via::Token`): it may read, never change anything.
    pub fn is_read_only(&self) -> bool {
        matches!(
            self.via,
            Via::Token {
                read_only: true,
                ..
            }
        )
    }
    pub fn via_session(&self) -> bool {
        matches!(self.via, Via::Session { .. })
    }
    pub fn csrf(&self) -> &str {
        match &self.via {
            Via::Session { csrf, .. } => csrf,
            Via::Token { .. } => "",
        }
    }
}

/// Password rules (等保 level 3 minded): at least 12 characters with 3 of the 4 classes
/// (lower, upper, digit, symbol), or a passphrase of at least 16 characters; not a common
/// password; not containing the username.
pub fn check_password(password: &str, username: &str) -> Result<(), Msg> {
    let n = password.chars().count();
    if n > 256 {
        return Err(Msg::new("password.too_long"));
    }
    let classes = [
        password.chars().any(|c| c.is_lowercase()),
        password.chars().any(|c| c.is_uppercase()),
        password.chars().any(|c| c.is_ascii_digit()),
        password.chars().any(|c| !c.is_alphanumeric()),
    ]
    .iter()
    .filter(|b| **b)
    .count();
    let strong = (n >= 12 && classes >= 3) || n >= 16;
    if !strong {
        return Err(Msg::new("password.weak"));
    }
    let lower = password.to_lowercase();
    if !username.is_empty() && lower.contains(&username.to_lowercase()) {
        return Err(Msg::new("password.contains_username"));
    }
    const COMMON: &[&str] = &[
        "password1234",
        "password12345",
        "password123456",
        "passw0rd1234",
        "p@ssw0rd1234",
        "qwertyuiop123",
        "1234567890ab",
        "abc123456789",
        "iloveyou1234",
        "admin1234567",
        "administrator",
        "woaini1314520",
        "qwerty123456",
        "1q2w3e4r5t6y",
        "1qaz2wsx3edc",
        "zaq12wsxcde3",
        "aaaaaaaaaaaaaaaa",
        "1234567890123456",
        "passwordpassword",
    ];
    if COMMON.iter().any(|c| lower == *c) || password.chars().all(|c| password.starts_with(c)) {
        return Err(Msg::new("password.common"));
    }
    Ok(())
}

pub fn require(actor: &Actor, p: Perm) -> Result<(), AppError> {
    if actor.can(p) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_twelve_character_password_needs_three_classes() {
        assert!(check_password("abcdefghijkl", "u").is_err());
        assert!(check_password("abcdefGHIJKL", "u").is_err());
        assert!(check_password("abcdefGHIJ12", "u").is_ok());
        assert!(check_password("abcdef-hij12", "u").is_ok());
    }

    #[test]
    fn a_sixteen_character_passphrase_is_enough_alone() {
        assert!(check_password("correct horse battery", "u").is_ok());
        assert!(check_password("short phrase", "u").is_err());
    }

    #[test]
    fn common_and_username_passwords_are_refused() {
        assert_eq!(
            check_password("Password1234", "u"),
            Err(Msg::new("password.common"))
        );
        assert_eq!(
            check_password("Zhangsan-2022!", "zhangsan"),
            Err(Msg::new("password.contains_username"))
        );
    }

    #[test]
    fn only_admin_manages_accounts_and_auditor_only_reads_audit() {
        for r in Role::ALL {
            assert_eq!(r.allows(Perm::AccountManage), r == Role::Admin);
            assert_eq!(r.allows(Perm::OrgRead), r != Role::Auditor);
        }
        assert!(Role::Auditor.allows(Perm::AuditRead));
        assert!(!Role::Office.allows(Perm::AuditRead));
    }
}
