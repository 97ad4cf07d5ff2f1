//! Roles, permissions, data scope and the acting user.

use std::collections::HashSet;
use std::sync::OnceLock;

use crate::audit::Who;
use crate::error::AppError;
use crate::i18n::Msg;
use crate::ids::{AccountId, OrgId, TokenId};

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
            DeliverableRead => !matches!(self, Auditor),
            DeliverableRequire | DeliverableReview => matches!(self, Office),
            DeliverableSubmit => matches!(self, Office | Department | Territory | Enterprise),
            EnterpriseManage | HazardReview => matches!(self, Office | Department | Territory),
            HazardRead => !matches!(self, Auditor | Admin),
            HazardReport | HazardRectify => {
                matches!(self, Office | Department | Territory | Enterprise)
            }
            ListingManage => matches!(self, Office),
            ReportRead | ReportVerify => matches!(self, Office | Department),
            ReportTriage => matches!(self, Office),
            RiskManage => matches!(self, Office | Department | Territory | Enterprise),
            InspectionRead => !matches!(self, Auditor | Admin),
            InspectionRecord => matches!(self, Office | Department | Territory),
            CampaignManage => matches!(self, Office),
            AccidentRead => !matches!(self, Auditor | Admin),
            AccidentReport => matches!(self, Office | Department | Territory | Enterprise),
            BanCheck => matches!(self, Office | Department | Territory),
            BanRead => matches!(self, Office | Discipline),
            BanManage | AccountabilityRecord | InvestigationManage => matches!(self, Office),
            AccountabilityRead => matches!(self, Office | Discipline | Leader),
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
    /// 报送事项: see deliverables and the requirements in scope.
    DeliverableRead,
    /// Require a deliverable from organisations (and, with `policy.edit`, add one).
    DeliverableRequire,
    /// 报送: submit what one's own organisation is required to deliver.
    DeliverableSubmit,
    /// 审核 / 退回 a submission (committee office).
    DeliverableReview,
    /// 企业档案: add and edit enterprises in scope (the office, supervising departments and
    /// territories that keep the registry).
    EnterpriseManage,
    /// 隐患: see hazards in scope.
    HazardRead,
    /// 隐患登记: register a hazard found at an enterprise in scope (an enterprise: its own).
    HazardReport,
    /// 整改报验: submit a rectification for acceptance (the enterprise, or an inspector on its
    /// behalf).
    HazardRectify,
    /// 验收销号 / 退回 / 重新打开 (office, departments, territories — never the reporter, the
    /// submitter or the enterprise itself).
    HazardReview,
    /// 挂牌督办: list a major hazard, record a stop-production order or a referral, and delist
    /// (摘牌) what one's own office listed (committee office).
    ListingManage,
    /// 举报: see reports in scope (a department: those routed to it), never the reporter's
    /// identity.
    ReportRead,
    /// 受理 / 不予受理 / 转办 a report, and enter one received by phone, letter or visit
    /// (committee office).
    ReportTriage,
    /// 核查 and 答复 a report routed to one's own department (or, for the office, any in scope).
    ReportVerify,
    /// 风险分级管控: record, re-assess and retire risk points of an enterprise in scope (an
    /// enterprise: its own).
    RiskManage,
    /// 检查记录 and 大检查: see inspections and campaigns in scope (an enterprise: its own
    /// inspections).
    InspectionRead,
    /// 检查记录: record an inspection at an enterprise in scope, by one's own organisation
    /// (the office: by an organisation in its scope).
    InspectionRecord,
    /// 大检查 / 专项整治 / 打非治违: create a campaign over one's own region (committee office).
    CampaignManage,
    /// 事故: see accidents in scope and their versions (纪检监察 and leaders read too).
    AccidentRead,
    /// 事故报告 / 补报: file an accident in scope (an enterprise: its own) and its supplementary
    /// reports.
    AccidentReport,
    /// 从业禁止核查: check whether a person may be a unit's principal (office, departments and
    /// territories that keep the enterprise registry).
    BanCheck,
    /// 从业禁止名单: search the ban registry (committee office; 纪检监察 reads).
    BanRead,
    /// 从业禁止登记: enter a ban by hand with its document number (the city's office only).
    BanManage,
    /// 追责问责: record accountability outcomes of an accident in scope (committee office).
    AccountabilityRecord,
    /// 追责问责: read accountability outcomes in scope (office, 纪检监察, leaders).
    AccountabilityRead,
    /// 事故调查: open an investigation of an accident in scope, request and decide its
    /// extension (never one's own request), submit and approve its report (committee office).
    InvestigationManage,
}

impl Perm {
    pub const ALL: [Perm; 40] = [
        Perm::OrgRead,
        Perm::OrgManage,
        Perm::PeopleRead,
        Perm::PeopleManage,
        Perm::PolicyRead,
        Perm::PolicyEdit,
        Perm::AccountManage,
        Perm::AuditRead,
        Perm::OwnTokens,
        Perm::OwnInbox,
        Perm::TaskRead,
        Perm::TaskIssue,
        Perm::TaskReview,
        Perm::TaskReport,
        Perm::DutyRecord,
        Perm::DeliverableRead,
        Perm::DeliverableRequire,
        Perm::DeliverableSubmit,
        Perm::DeliverableReview,
        Perm::EnterpriseManage,
        Perm::HazardRead,
        Perm::HazardReport,
        Perm::HazardRectify,
        Perm::HazardReview,
        Perm::ListingManage,
        Perm::ReportRead,
        Perm::ReportTriage,
        Perm::ReportVerify,
        Perm::RiskManage,
        Perm::InspectionRead,
        Perm::InspectionRecord,
        Perm::CampaignManage,
        Perm::AccidentRead,
        Perm::AccidentReport,
        Perm::BanCheck,
        Perm::BanRead,
        Perm::BanManage,
        Perm::AccountabilityRecord,
        Perm::AccountabilityRead,
        Perm::InvestigationManage,
    ];
    /// Permissions over what applies to the whole city: held only by accounts of the top
    /// region's organisations.
    pub fn city_wide(self) -> bool {
        matches!(self, Perm::PolicyEdit | Perm::BanManage)
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
            Perm::DeliverableRead => "deliverable.read",
            Perm::DeliverableRequire => "deliverable.require",
            Perm::DeliverableSubmit => "deliverable.submit",
            Perm::DeliverableReview => "deliverable.review",
            Perm::EnterpriseManage => "enterprise.manage",
            Perm::HazardRead => "hazard.read",
            Perm::HazardReport => "hazard.report",
            Perm::HazardRectify => "hazard.rectify",
            Perm::HazardReview => "hazard.review",
            Perm::ListingManage => "listing.manage",
            Perm::ReportRead => "report.read",
            Perm::ReportTriage => "report.triage",
            Perm::ReportVerify => "report.verify",
            Perm::RiskManage => "risk.manage",
            Perm::InspectionRead => "inspection.read",
            Perm::InspectionRecord => "inspection.record",
            Perm::CampaignManage => "campaign.manage",
            Perm::AccidentRead => "accident.read",
            Perm::AccidentReport => "accident.report",
            Perm::BanCheck => "ban.check",
            Perm::BanRead => "ban.read",
            Perm::BanManage => "ban.manage",
            Perm::AccountabilityRecord => "accountability.record",
            Perm::AccountabilityRead => "accountability.read",
            Perm::InvestigationManage => "investigation.manage",
        }
    }
}

/// Which organisations' data a user may see.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// The region subtree whose materialised path starts with this prefix (e.g. `/1/3/`).
    Region(String),
    /// One organisation only (enterprises).
    Org(OrgId),
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
        token_id: TokenId,
        read_only: bool,
    },
    /// An operator command run on the server acting as an account (the demo loader): no
    /// session and no token; every check of the services applies as for that account.
    Command,
}

/// The signed-in user (or API token) making a request.
#[derive(Debug, Clone)]
pub struct Actor {
    pub account_id: AccountId,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub org_id: OrgId,
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
            Via::Token { .. } | Via::Command => "",
        }
    }
}

/// Password rules (等保 level 3 minded): at least 12 characters with 3 of the 4 classes
/// (lower, upper, digit, symbol), or a passphrase of at least 16 characters; at most 256; not
/// containing the username; not one character repeated; not on the built-in list of common
/// passwords (case-insensitive, also with up to six digits or symbols appended); not a walk
/// along the keyboard; and not easy to guess by zxcvbn's estimate (score 3 or more: over 10^8
/// guesses), the username and the display name counting as guessable words. The refusal says
/// why (`password.common*`, `password.guessable.*`).
pub fn check_password(password: &str, username: &str, display_name: &str) -> Result<(), Msg> {
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
    if password.chars().all(|c| password.starts_with(c)) {
        return Err(Msg::new("password.common"));
    }
    if let Some(key) = common_password(&lower) {
        return Err(Msg::new(key));
    }
    // zxcvbn splits a long walk (1qaz2wsx3edc4rfv5tgb…) into pieces it finds hard enough.
    if is_keyboard_walk(password) {
        return Err(Msg::new("password.guessable.keyboard"));
    }
    guessable(password, &[username, display_name]).map_or(Ok(()), |key| Err(Msg::new(key)))
}

/// The built-in list of common passwords: lower case, one a line, `#` starts a comment line.
fn common_passwords() -> &'static HashSet<&'static str> {
    static LIST: OnceLock<HashSet<&'static str>> = OnceLock::new();
    LIST.get_or_init(|| {
        include_str!("common_passwords.txt")
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .collect()
    })
}

/// At most this many digits or symbols appended to a listed password still count as it
/// ("password2024!", "woaini1314520").
const MAX_APPENDED: usize = 6;

/// `password.common` for a listed password (`lower` is lower-cased), `password.common_variant`
/// for a listed one with a few digits or symbols appended.
fn common_password(lower: &str) -> Option<&'static str> {
    let list = common_passwords();
    if list.contains(lower) {
        return Some("password.common");
    }
    for (i, c) in lower.char_indices().rev().take(MAX_APPENDED) {
        if c.is_alphabetic() {
            break;
        }
        if list.contains(&lower[..i]) {
            return Some("password.common_variant");
        }
    }
    None
}

/// zxcvbn reads only this many characters. zxcvbn 3.1.1 caps its input at 100, but its work
/// grows with the length and its keyboard-pattern estimate overflows `u64` on a walk of 29
/// characters or more (`1212…`: a panic in debug builds, a wrapped, meaningless estimate in
/// release builds). A prefix that is not easy to guess is enough: the rules above look at the
/// whole password.
const ZXCVBN_MAX_CHARS: usize = 28;

/// zxcvbn's score (0–4) below which a password is refused: 3 means more than 10^8 guesses.
const MIN_ZXCVBN_SCORE: u8 = 3;

/// The reason key when zxcvbn finds the password easy to guess, `None` when it does not.
/// `user_inputs` (username, display name) count as words an attacker would try first.
fn guessable(password: &str, user_inputs: &[&str]) -> Option<&'static str> {
    let head: String = password.chars().take(ZXCVBN_MAX_CHARS).collect();
    let inputs: Vec<&str> = user_inputs
        .iter()
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
        .collect();
    // Belt and braces: should another of zxcvbn's estimates overflow, refuse rather than fail
    // the request.
    let Ok(entropy) = std::panic::catch_unwind(|| zxcvbn::zxcvbn(&head, &inputs)) else {
        return Some("password.guessable.predictable");
    };
    if u8::from(entropy.score()) >= MIN_ZXCVBN_SCORE {
        return None;
    }
    Some(guessable_reason(&head, &entropy, &inputs))
}

/// Our own (translated) reason for zxcvbn's finding: its English feedback is never shown.
fn guessable_reason(head: &str, entropy: &zxcvbn::Entropy, user_inputs: &[&str]) -> &'static str {
    use zxcvbn::feedback::Warning as W;
    use zxcvbn::matching::patterns::MatchPattern as P;
    // zxcvbn bases its feedback on the longest pattern it found.
    let longest = entropy
        .sequence()
        .iter()
        .filter(|m| !matches!(m.pattern, P::BruteForce))
        .max_by_key(|m| m.token.chars().count());
    // zxcvbn gives no warning for the user's own words; name them first.
    if let Some(P::Dictionary(d)) = longest.map(|m| &m.pattern)
        && user_inputs
            .iter()
            .any(|u| u.to_lowercase() == d.matched_word)
    {
        return "password.guessable.personal";
    }
    let warning = entropy.feedback().and_then(|f| f.warning());
    // zxcvbn's password dictionary holds keyboard walks (qwertyuiop, 1qaz2wsx…) and then
    // calls them merely "common"; a walk is the clearer reason.
    let from_dictionary = match warning {
        Some(
            W::ThisIsATop10Password
            | W::ThisIsATop100Password
            | W::ThisIsACommonPassword
            | W::ThisIsSimilarToACommonlyUsedPassword,
        ) => true,
        None => matches!(longest.map(|m| &m.pattern), Some(P::Dictionary(_))),
        Some(_) => false,
    };
    if from_dictionary && is_keyboard_walk(head) {
        return "password.guessable.keyboard";
    }
    match warning {
        Some(W::StraightRowsOfKeysAreEasyToGuess | W::ShortKeyboardPatternsAreEasyToGuess) => {
            "password.guessable.keyboard"
        }
        Some(
            W::RepeatsLikeAaaAreEasyToGuess | W::RepeatsLikeAbcAbcAreOnlySlightlyHarderToGuess,
        ) => "password.guessable.repeat",
        Some(W::SequencesLikeAbcAreEasyToGuess) => "password.guessable.sequence",
        Some(
            W::ThisIsATop10Password
            | W::ThisIsATop100Password
            | W::ThisIsACommonPassword
            | W::ThisIsSimilarToACommonlyUsedPassword,
        ) => "password.guessable.common",
        Some(W::AWordByItselfIsEasyToGuess) => "password.guessable.word",
        Some(
            W::NamesAndSurnamesByThemselvesAreEasyToGuess | W::CommonNamesAndSurnamesAreEasyToGuess,
        ) => "password.guessable.name",
        Some(W::RecentYearsAreEasyToGuess | W::DatesAreOftenEasyToGuess) => {
            "password.guessable.date"
        }
        None => match longest.map(|m| &m.pattern) {
            Some(P::Spatial(_)) => "password.guessable.keyboard",
            Some(P::Repeat(_)) => "password.guessable.repeat",
            Some(P::Sequence(_)) => "password.guessable.sequence",
            Some(P::Date(_) | P::Regex(_)) => "password.guessable.date",
            Some(P::Dictionary(_)) => "password.guessable.word",
            Some(P::BruteForce) | None => "password.guessable.predictable",
        },
    }
}

/// Whether at least three quarters of the steps from one character to the next go to a
/// neighbouring key of a US keyboard (the layout Chinese users type passwords on too):
/// `qwertyuiopasdfgh`, `1qaz2wsx3edc`, `!QAZ@WSX`.
fn is_keyboard_walk(s: &str) -> bool {
    // Rows with their shifted twins and the stagger of each row, in quarters of a key.
    const ROWS: [(&str, &str, i32); 4] = [
        ("`1234567890-=", "~!@#$%^&*()_+", 0),
        ("qwertyuiop[]\\", "QWERTYUIOP{}|", 6),
        ("asdfghjkl;'", "ASDFGHJKL:\"", 7),
        ("zxcvbnm,./", "ZXCVBNM<>?", 9),
    ];
    let key = |c: char| {
        (0i32..)
            .zip(ROWS)
            .find_map(|(row, (plain, shifted, stagger))| {
                let col = plain
                    .chars()
                    .position(|k| k == c)
                    .or_else(|| shifted.chars().position(|k| k == c))?;
                Some((row, 4 * col as i32 + stagger))
            })
    };
    let keys: Vec<Option<(i32, i32)>> = s.chars().map(key).collect();
    let steps = keys.len().saturating_sub(1);
    if steps < 3 {
        return false;
    }
    let near = keys
        .windows(2)
        .filter(|w| match (w[0], w[1]) {
            (Some((r1, x1)), Some((r2, x2))) => {
                let (dr, dx) = ((r1 - r2).abs(), (x1 - x2).abs());
                (dr == 0 && dx == 4) || (dr == 1 && dx < 4)
            }
            _ => false,
        })
        .count();
    near * 4 >= steps * 3
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

    /// docs/security.md states who holds which permission in one table; the table and
    /// `Role::allows` must say the same, row by row and column by column.
    #[test]
    fn the_permission_table_in_the_security_doc_is_the_code() {
        let doc = include_str!("../../../../docs/security.md");
        let mut seen = Vec::new();
        for line in doc.lines().filter(|l| l.starts_with("| `")) {
            let cells: Vec<&str> = line.split('|').map(str::trim).collect();
            let code = cells[1].split('`').nth(1).expect("a permission code");
            let Some(perm) = Perm::ALL.into_iter().find(|p| p.code() == code) else {
                continue;
            };
            let marks = &cells[2..2 + Role::ALL.len()];
            for (role, mark) in Role::ALL.into_iter().zip(marks) {
                assert_eq!(
                    role.allows(perm),
                    *mark == "✔",
                    "docs/security.md says {mark} for {code} and {}",
                    role.code()
                );
            }
            seen.push(perm);
        }
        for p in Perm::ALL {
            assert!(seen.contains(&p), "{} is missing from the table", p.code());
        }
    }
    use super::*;

    fn check(password: &str) -> Result<(), Msg> {
        check_password(password, "zhaoliu", "")
    }

    fn refused_with(password: &str, key: &str) {
        assert_eq!(
            check(password).map_err(|m| m.key),
            Err(key),
            "{password} is refused with {key}"
        );
    }

    #[test]
    fn a_twelve_character_password_needs_three_classes() {
        refused_with("mkvtpqwxhzrb", "password.weak");
        refused_with("mkvtpqGHXWRB", "password.weak");
        assert!(check("mkvtpqGHXW47").is_ok());
        assert!(check("mkvtpq-hxw47").is_ok());
    }

    #[test]
    fn a_sixteen_character_passphrase_is_enough_alone() {
        assert!(check("correct horse battery").is_ok());
        refused_with("short phrase", "password.weak");
    }

    #[test]
    fn common_and_username_passwords_are_refused() {
        refused_with("Password1234", "password.common");
        assert_eq!(
            check_password("Zhangsan-2022!", "zhangsan", ""),
            Err(Msg::new("password.contains_username"))
        );
        refused_with("aaaaaaaaaaaaaaaa", "password.common");
    }

    #[test]
    fn an_alphabet_run_is_refused_as_a_sequence() {
        refused_with("abcdefghijklmnop", "password.guessable.sequence");
        refused_with("ABCDEFGHIJKLMNOP", "password.guessable.sequence");
    }

    #[test]
    fn a_keyboard_row_is_refused_as_a_keyboard_pattern() {
        refused_with("qwertyuiopasdfgh", "password.guessable.keyboard");
        refused_with("1qaz2wsx3edc4rfv5tgb", "password.guessable.keyboard");
    }

    #[test]
    fn a_repeated_chunk_is_refused_as_a_repeat() {
        refused_with("abcabcabcabcabca", "password.guessable.repeat");
        refused_with("Xy9!Xy9!Xy9!Xy9!", "password.guessable.repeat");
    }

    #[test]
    fn a_listed_password_is_refused_whatever_its_case() {
        refused_with("WoAiNi1314520", "password.common");
        refused_with("1QAZ2WSX3EDC4RFV", "password.common");
        refused_with("A123456789Qq", "password.guessable.common");
        refused_with("Qq123456789!", "password.common_variant");
    }

    #[test]
    fn a_listed_password_with_digits_or_symbols_appended_is_refused() {
        refused_with("Password2024!", "password.common_variant");
        refused_with("Woaini1314-520", "password.common_variant");
        refused_with("Iloveyou5201314", "password.common_variant");
    }

    #[test]
    fn the_username_and_display_name_count_as_guessable_words() {
        assert!(check_password("Wangxiaoming2024", "zhaoliu", "").is_ok());
        assert_eq!(
            check_password("Wangxiaoming2024", "zhaoliu", "wangxiaoming"),
            Err(Msg::new("password.guessable.personal"))
        );
    }

    #[test]
    fn genuinely_strong_passwords_pass() {
        for p in [
            "Test-Password-2026",
            "Anwei-Demo-2022",
            "Bench-Password-2026!",
            "river maple quartz lantern",
            "Tr0ub4dor-Xq7&3",
            "kX9#mQ2vL8pZ",
            "安全生产-Chunfeng-2026",
        ] {
            assert_eq!(check(p), Ok(()), "{p}");
        }
    }

    #[test]
    fn a_random_looking_sixteen_character_passphrase_passes() {
        assert_eq!(check("wT4nV7bR2yQ8sF3j"), Ok(()));
        assert_eq!(check("vqmtrzkplwhxbnsd"), Ok(()));
    }

    #[test]
    fn a_long_keypad_walk_is_judged_on_its_head_without_overflowing() {
        // zxcvbn 3.1.1 overflows (panics in this debug build) on a keypad walk of 29 or more
        // characters; only the head is given to it, so the answer is its own, not the fallback.
        refused_with(&"74".repeat(128), "password.guessable.repeat");
        let long = format!("{}{}", "wT4nV7bR2yQ8sF3j", "74".repeat(120));
        assert_eq!(check(&long), Ok(()), "the head decides");
    }

    #[test]
    fn a_long_keyboard_walk_is_refused_even_where_zxcvbn_would_pass_it() {
        refused_with(
            "1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik,9ol.0p;/",
            "password.guessable.keyboard",
        );
        refused_with("!QAZ@WSX#EDC$RFV", "password.guessable.keyboard");
        refused_with(&"12".repeat(128), "password.guessable.keyboard");
        assert!(!is_keyboard_walk("river maple quartz lantern"));
    }

    #[test]
    fn the_built_in_list_holds_lower_case_entries_only() {
        let list = common_passwords();
        assert!(list.len() >= 300, "{}", list.len());
        for p in list {
            assert_eq!(*p, p.to_lowercase(), "{p}");
        }
        for p in [
            "woaini1314",
            "5201314",
            "qq123456",
            "a123456789",
            "1qaz2wsx",
            "zxcvbnm",
            "88888888",
            "147258369",
        ] {
            assert!(list.contains(p), "{p}");
        }
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
