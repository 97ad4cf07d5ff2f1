//! The 责任单位 (responsible units) phrases of a task table, read as selectors over the
//! organisation tree.
//!
//! Regulation: the attachment 重点任务分工表 of 通安委〔2022〕10号 names who carries out each task
//! with phrases such as `各级党（工）委，组织部门`, `县级以上政府，高新区、港务区管委会` or
//! `各级工信、公安、商务、住建、交通运输、文旅、应急、市场监管等部门，各级消防救援机构`.
//!
//! How a phrase is read:
//!
//! - Items are separated by `，` / `,` or spaces; inside an item, parts are separated by `、`.
//! - A level prefix (各级, 县级以上, 同级, 市委, 市) on a part sets the scope for that part and for
//!   every part after it, in the same item and in later items, until another prefix appears.
//!   So `各级党（工）委、政府` gives every party committee and every government, and the
//!   unprefixed `组织部门` in `各级党（工）委，组织部门` is every level's organisation department
//!   (which is what the document means). A phrase that starts without a prefix is read as 各级:
//!   `中省属企业` and `生产经营单位` are not tied to a level. `县级以上(含,下同)` says itself that
//!   it includes the county level and that the same holds below, which is this rule.
//! - A collective ending on the last part of an item applies to the bare names before it:
//!   `组织、机构编制部门` is the organisation department and the staffing department;
//!   `高新区、港务区管委会` is the zones' administrative committees. 等 ("and others") is read as
//!   closing the list: only the departments named are selected.
//! - Anything outside the vocabulary is a [`PhraseError`]; nothing is guessed.

use serde::{Deserialize, Serialize};

use crate::error::{PhraseError, PhraseProblem};
use crate::org::{Level, OrgKind, Sector};

/// Which levels of the tree a selector covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LevelScope {
    /// 各级: every level.
    All,
    /// 县级以上 (含): the city and the counties (development zones count as counties).
    CountyAndAbove,
    /// 市 / 市委 / 市安委会: the city only.
    City,
    /// 同级: the same level as each body the task is about (task 35's 同级党委 is each
    /// government's own party committee), so every level.
    SameLevel,
}

impl LevelScope {
    /// Every scope.
    pub const ALL: &'static [LevelScope] = &[
        LevelScope::All,
        LevelScope::CountyAndAbove,
        LevelScope::City,
        LevelScope::SameLevel,
    ];

    /// The stable snake_case identifier.
    pub fn code(&self) -> &'static str {
        match self {
            LevelScope::All => "all",
            LevelScope::CountyAndAbove => "county_and_above",
            LevelScope::City => "city",
            LevelScope::SameLevel => "same_level",
        }
    }

    /// Reads a stable identifier as produced by `code()`.
    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|scope| scope.code() == code)
    }

    /// The Chinese prefix (各级, 县级以上, 市, 同级).
    pub fn name_zh(&self) -> &'static str {
        match self {
            LevelScope::All => "各级",
            LevelScope::CountyAndAbove => "县级以上",
            LevelScope::City => "市",
            LevelScope::SameLevel => "同级",
        }
    }

    /// The English name.
    pub fn name_en(&self) -> &'static str {
        match self {
            LevelScope::All => "all levels",
            LevelScope::CountyAndAbove => "county level and above",
            LevelScope::City => "city",
            LevelScope::SameLevel => "same level",
        }
    }

    /// True when an organisation at `level` is covered. `reference` is the level of the
    /// organisation the phrase is read from; only [`LevelScope::SameLevel`] uses it.
    pub fn includes(&self, level: Level, reference: Level) -> bool {
        match self {
            LevelScope::All => true,
            LevelScope::CountyAndAbove => level.is_at_or_above(Level::County),
            LevelScope::City => level == Level::City,
            // 同级 is relative to each body the task is about, not to the office reading it:
            // task 35's 同级党委 is each government's own party committee, at every level.
            LevelScope::SameLevel => {
                let _ = reference;
                true
            }
        }
    }
}

/// What kind of organisation a selector picks at the levels of its scope.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Target {
    /// A kind of organisation: 党（工）委, 政府, 安委会, 安委办 (安委会办公室), 纪检监察机关, 法院,
    /// 检察院, 消防救援机构.
    Kind(OrgKind),
    /// The development zones' administrative committees: 高新区、港务区管委会, 开发区管委会.
    ZoneCommittees,
    /// 负有安全生产监督管理职责的部门: every department with work-safety supervision duties.
    SupervisingDepartments,
    /// The department of one sector: 组织部门, 宣传部门, 发改部门, 市委巡察办 ….
    Department(Sector),
    /// 相关部门 / 有关部门: the departments concerned, to be named by the assigning office.
    RelatedDepartments,
    /// 中省属企业: enterprises owned by the central or provincial government.
    CentralProvincialEnterprises,
    /// 生产经营单位 / 有关生产经营单位: production and business units (enterprises).
    ProductionUnits,
}

impl Target {
    /// A stable identifier: `party_committee`, `department:industry_it`, `zone_committees` ….
    pub fn code(&self) -> String {
        match self {
            Target::Kind(kind) => kind.code().to_owned(),
            Target::ZoneCommittees => "zone_committees".to_owned(),
            Target::SupervisingDepartments => "supervising_departments".to_owned(),
            Target::Department(sector) => format!("department:{}", sector.code()),
            Target::RelatedDepartments => "related_departments".to_owned(),
            Target::CentralProvincialEnterprises => "central_provincial_enterprises".to_owned(),
            Target::ProductionUnits => "production_units".to_owned(),
        }
    }

    /// Reads an identifier produced by `code()`.
    pub fn parse_code(code: &str) -> Option<Self> {
        if let Some(sector) = code.strip_prefix("department:") {
            return Sector::parse(sector).map(Target::Department);
        }
        match code {
            "zone_committees" => Some(Target::ZoneCommittees),
            "supervising_departments" => Some(Target::SupervisingDepartments),
            "related_departments" => Some(Target::RelatedDepartments),
            "central_provincial_enterprises" => Some(Target::CentralProvincialEnterprises),
            "production_units" => Some(Target::ProductionUnits),
            other => OrgKind::parse(other).map(Target::Kind),
        }
    }

    /// True for targets that are not organs of a level (zones exist once, enterprises are not
    /// levelled), so a description leaves the scope out.
    fn ignores_scope(&self) -> bool {
        matches!(
            self,
            Target::ZoneCommittees | Target::CentralProvincialEnterprises | Target::ProductionUnits
        )
    }

    fn name_zh(&self) -> String {
        match self {
            Target::Kind(OrgKind::PartyCommittee) => "党（工）委".to_owned(),
            Target::Kind(kind) => kind.name_zh().to_owned(),
            Target::ZoneCommittees => "高新区、港务区管委会".to_owned(),
            Target::SupervisingDepartments => "负有安全生产监督管理职责的部门".to_owned(),
            Target::Department(sector) => format!("{}部门", sector.name_zh()),
            Target::RelatedDepartments => "相关部门".to_owned(),
            Target::CentralProvincialEnterprises => "中省属企业".to_owned(),
            Target::ProductionUnits => "生产经营单位".to_owned(),
        }
    }

    fn name_en(&self) -> String {
        match self {
            Target::Kind(kind) => kind.name_en().to_owned(),
            Target::ZoneCommittees => "Development zone administrative committees".to_owned(),
            Target::SupervisingDepartments => {
                "Departments with work safety supervision duties".to_owned()
            }
            Target::Department(sector) => format!("{} department", sector.name_en()),
            Target::RelatedDepartments => "Related departments".to_owned(),
            Target::CentralProvincialEnterprises => {
                "Central and provincial state-owned enterprises".to_owned()
            }
            Target::ProductionUnits => "Production and business units".to_owned(),
        }
    }
}

/// One responsible unit of a task: a kind of organisation at the levels of a scope.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct UnitSelector {
    pub scope: LevelScope,
    pub target: Target,
}

impl UnitSelector {
    /// The selector in the document's words, e.g. `各级党（工）委`, `县级以上政府`, `市委巡察办`.
    pub fn describe_zh(&self) -> String {
        match (self.scope, self.target) {
            (LevelScope::City, Target::Department(Sector::Inspection)) => "市委巡察办".to_owned(),
            (_, target) if target.ignores_scope() => target.name_zh(),
            (scope, target) => format!("{}{}", scope.name_zh(), target.name_zh()),
        }
    }

    /// The selector in English, e.g. `Party committee (all levels)`.
    pub fn describe_en(&self) -> String {
        if self.target.ignores_scope() {
            self.target.name_en()
        } else {
            format!("{} ({})", self.target.name_en(), self.scope.name_en())
        }
    }

    /// A stable identifier: `all/party_committee`, `city/department:inspection` ….
    pub fn code(&self) -> String {
        format!("{}/{}", self.scope.code(), self.target.code())
    }

    /// Reads an identifier produced by `code()`.
    pub fn parse_code(code: &str) -> Option<Self> {
        let (scope, target) = code.split_once('/')?;
        Some(Self {
            scope: LevelScope::parse(scope)?,
            target: Target::parse_code(target)?,
        })
    }
}

/// Level prefixes, longest first so that 市委 wins over 市.
const PREFIXES: &[(&str, LevelScope)] = &[
    ("县级以上", LevelScope::CountyAndAbove),
    ("各级", LevelScope::All),
    ("同级", LevelScope::SameLevel),
    ("市委", LevelScope::City),
    ("市", LevelScope::City),
];

/// Names that stand for a target on their own (after the brackets of 党（工）委 are removed).
const FULL_NAMES: &[(&str, Target)] = &[
    ("党工委", Target::Kind(OrgKind::PartyCommittee)),
    ("党委", Target::Kind(OrgKind::PartyCommittee)),
    ("政府", Target::Kind(OrgKind::Government)),
    ("安委会", Target::Kind(OrgKind::SafetyCommittee)),
    ("安全生产委员会", Target::Kind(OrgKind::SafetyCommittee)),
    ("安委会办公室", Target::Kind(OrgKind::SafetyOffice)),
    ("安委办", Target::Kind(OrgKind::SafetyOffice)),
    ("安全生产委员会办公室", Target::Kind(OrgKind::SafetyOffice)),
    ("纪检监察机关", Target::Kind(OrgKind::Discipline)),
    ("纪委监委", Target::Kind(OrgKind::Discipline)),
    ("法院", Target::Kind(OrgKind::Court)),
    ("人民法院", Target::Kind(OrgKind::Court)),
    ("检察院", Target::Kind(OrgKind::Procuratorate)),
    ("人民检察院", Target::Kind(OrgKind::Procuratorate)),
    ("消防救援机构", Target::Kind(OrgKind::FireRescue)),
    ("高新区管委会", Target::ZoneCommittees),
    ("港务区管委会", Target::ZoneCommittees),
    ("开发区管委会", Target::ZoneCommittees),
    (
        "负有安全生产监督管理职责的部门",
        Target::SupervisingDepartments,
    ),
    ("负有安全生产监管职责的部门", Target::SupervisingDepartments),
    (
        "负有安全生产监督管理责任的部门",
        Target::SupervisingDepartments,
    ),
    ("相关部门", Target::RelatedDepartments),
    ("有关部门", Target::RelatedDepartments),
    ("中省属企业", Target::CentralProvincialEnterprises),
    ("生产经营单位", Target::ProductionUnits),
    ("有关生产经营单位", Target::ProductionUnits),
    ("巡察办", Target::Department(Sector::Inspection)),
    ("巡察工作办公室", Target::Department(Sector::Inspection)),
    ("网信办", Target::Department(Sector::Cyberspace)),
    ("编办", Target::Department(Sector::Staffing)),
];

/// Zone names that take 管委会 from the last part of their item (高新区、港务区管委会).
const ZONE_NAMES: &[&str] = &["高新区", "港务区", "开发区"];

/// Reads a 责任单位 phrase into selectors, in the order written, without duplicates (see the
/// module documentation for the rules).
pub fn parse(text: &str) -> Result<Vec<UnitSelector>, PhraseError> {
    let norm = normalise(text);
    let fail = |kind: PhraseProblem| PhraseError::new(text, kind);
    if norm.contains(['(', ')']) {
        return Err(fail(PhraseProblem::UnexpectedBrackets));
    }

    let mut scope = LevelScope::All;
    let mut selectors: Vec<UnitSelector> = Vec::new();
    for item in norm.split(',').filter(|item| !item.is_empty()) {
        let parts: Vec<&str> = item.split('、').collect();
        if parts.iter().any(|part| part.is_empty()) {
            return Err(fail(PhraseProblem::StrayComma {
                item: item.to_owned(),
            }));
        }
        let ending = parts.last().and_then(|last| collective_ending(last));
        for part in &parts {
            let (prefix, target) = read_part(part, ending).map_err(fail)?;
            if let Some(prefix) = prefix {
                scope = prefix;
            }
            let selector = UnitSelector { scope, target };
            if !selectors.contains(&selector) {
                selectors.push(selector);
            }
        }
    }
    if selectors.is_empty() {
        return Err(fail(PhraseProblem::NoUnit));
    }
    Ok(selectors)
}

/// Unifies brackets, commas and separators; folds the traditional characters the extracted
/// table contains (級, 會, 門) to simplified ones; drops the 县级以上 annotation.
fn normalise(text: &str) -> String {
    let folded: String = text
        .chars()
        .map(|c| match c {
            '（' => '(',
            '）' => ')',
            '，' => ',',
            '級' => '级',
            '會' => '会',
            '門' => '门',
            c if c.is_whitespace() => ',',
            other => other,
        })
        .collect();
    folded
        .replace("县级以上(含,下同)", "县级以上")
        .replace("县级以上(含)", "县级以上")
        .replace("党(工)委", "党工委")
}

/// The collective word ending the last part of an item, if any.
#[derive(Clone, Copy)]
enum Ending {
    Departments,
    ZoneCommittee,
}

fn collective_ending(last: &str) -> Option<Ending> {
    if last.ends_with("部门") {
        Some(Ending::Departments)
    } else if last.ends_with("管委会") {
        Some(Ending::ZoneCommittee)
    } else {
        None
    }
}

/// Reads one part: an optional level prefix and a target.
fn read_part(
    part: &str,
    ending: Option<Ending>,
) -> Result<(Option<LevelScope>, Target), PhraseProblem> {
    if let Some(target) = read_target(part, ending) {
        return Ok((None, target));
    }
    for (prefix, scope) in PREFIXES {
        if let Some(rest) = part.strip_prefix(prefix) {
            if *prefix == "市委" && rest.is_empty() {
                return Ok((Some(*scope), Target::Kind(OrgKind::PartyCommittee)));
            }
            if let Some(target) = read_target(rest, ending) {
                return Ok((Some(*scope), target));
            }
        }
    }
    Err(PhraseProblem::UnknownUnit {
        part: part.to_owned(),
    })
}

fn read_target(name: &str, ending: Option<Ending>) -> Option<Target> {
    if let Some((_, target)) = FULL_NAMES.iter().find(|(full, _)| *full == name) {
        return Some(*target);
    }
    if let Some(bare) = name.strip_suffix("部门") {
        let bare = bare.strip_suffix('等').unwrap_or(bare);
        return Sector::from_zh(bare).map(Target::Department);
    }
    match ending {
        Some(Ending::Departments) => Sector::from_zh(name).map(Target::Department),
        Some(Ending::ZoneCommittee) if ZONE_NAMES.contains(&name) => Some(Target::ZoneCommittees),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sel(scope: LevelScope, target: Target) -> UnitSelector {
        UnitSelector { scope, target }
    }

    const PC: Target = Target::Kind(OrgKind::PartyCommittee);
    const GOV: Target = Target::Kind(OrgKind::Government);
    const ALL: LevelScope = LevelScope::All;

    #[test]
    fn every_party_committee_reads_with_either_kind_of_bracket() {
        for text in ["各级党（工）委", "各级党(工)委"] {
            assert_eq!(parse(text), Ok(vec![sel(ALL, PC)]), "{text}");
        }
    }

    #[test]
    fn a_level_prefix_distributes_over_the_parts_of_its_item() {
        assert_eq!(
            parse("各级党（工）委、政府"),
            Ok(vec![sel(ALL, PC), sel(ALL, GOV)])
        );
        use Sector::*;
        let expected: Vec<UnitSelector> = [
            IndustryIt,
            PublicSecurity,
            Commerce,
            Housing,
            Transport,
            CultureTourism,
            Emergency,
            MarketRegulation,
        ]
        .into_iter()
        .map(|s| sel(ALL, Target::Department(s)))
        .collect();
        assert_eq!(
            parse("各级工信、公安、商务、住建、交通运输、文旅、应急、市场监管等部门"),
            Ok(expected)
        );
    }

    #[test]
    fn an_unprefixed_department_after_every_party_committee_is_every_levels_department() {
        assert_eq!(
            parse("各级党（工）委，组织部门"),
            Ok(vec![
                sel(ALL, PC),
                sel(ALL, Target::Department(Sector::Organization))
            ])
        );
        assert_eq!(
            parse("各级党（工）委， 宣传部门"),
            Ok(vec![
                sel(ALL, PC),
                sel(ALL, Target::Department(Sector::Publicity))
            ])
        );
    }

    #[test]
    fn county_and_above_with_its_annotation_includes_the_county_and_carries_on() {
        let cab = LevelScope::CountyAndAbove;
        assert_eq!(
            parse("县级以上(含,下同)党(工)委,组织部门"),
            Ok(vec![
                sel(cab, PC),
                sel(cab, Target::Department(Sector::Organization))
            ])
        );
        assert_eq!(parse("县级以上（含）政府"), Ok(vec![sel(cab, GOV)]));
        assert!(cab.includes(Level::County, Level::City));
        assert!(cab.includes(Level::City, Level::City));
        assert!(!cab.includes(Level::Township, Level::Township));
    }

    #[test]
    fn the_city_inspection_office_and_the_city_safety_committee_are_city_only() {
        assert_eq!(
            parse("市委巡察办"),
            Ok(vec![sel(
                LevelScope::City,
                Target::Department(Sector::Inspection)
            )])
        );
        assert_eq!(
            parse("市安委会"),
            Ok(vec![sel(
                LevelScope::City,
                Target::Kind(OrgKind::SafetyCommittee)
            )])
        );
        assert_eq!(parse("市委"), Ok(vec![sel(LevelScope::City, PC)]));
    }

    #[test]
    fn market_regulation_is_not_mistaken_for_a_city_prefix() {
        assert_eq!(
            parse("市场监管部门"),
            Ok(vec![sel(ALL, Target::Department(Sector::MarketRegulation))])
        );
    }

    #[test]
    fn the_same_level_party_committee_is_each_bodys_own_at_every_level() {
        let same = sel(LevelScope::SameLevel, PC);
        assert_eq!(parse("同级党委"), Ok(vec![same]));
        assert!(same.scope.includes(Level::County, Level::County));
        assert!(
            same.scope.includes(Level::City, Level::County),
            "not only the reader's level"
        );
        assert!(same.scope.includes(Level::Township, Level::City));
    }

    #[test]
    fn the_zone_committees_take_their_ending_from_the_last_part() {
        assert_eq!(
            parse("各级政府，高新区、港务区管委会"),
            Ok(vec![sel(ALL, GOV), sel(ALL, Target::ZoneCommittees)])
        );
        assert_eq!(
            parse("各级政府、开发区管委会"),
            Ok(vec![sel(ALL, GOV), sel(ALL, Target::ZoneCommittees)])
        );
    }

    #[test]
    fn a_shared_department_ending_applies_to_every_bare_sector() {
        assert_eq!(
            parse("各级党（工）委，组织、机构编制部门"),
            Ok(vec![
                sel(ALL, PC),
                sel(ALL, Target::Department(Sector::Organization)),
                sel(ALL, Target::Department(Sector::Staffing)),
            ])
        );
    }

    #[test]
    fn items_separated_only_by_a_space_are_two_items() {
        assert_eq!(
            parse("各级消防救援机构 各级负有安全生产监督管理职责的部门"),
            Ok(vec![
                sel(ALL, Target::Kind(OrgKind::FireRescue)),
                sel(ALL, Target::SupervisingDepartments),
            ])
        );
    }

    #[test]
    fn traditional_characters_from_the_extraction_read_as_simplified() {
        assert_eq!(
            parse("各級党（工）委、政府，高新区、港务区管委會"),
            parse("各级党（工）委、政府，高新区、港务区管委会")
        );
    }

    #[test]
    fn unknown_units_are_rejected_not_guessed() {
        for text in [
            "各级某某委",
            "尽快",
            "",
            " ，",
            "各级",
            "县级以上政府、，高新区、港务区管委会",
            "<p>各级安委会</p>",
            "各级党（某）委",
            "各级工信等单位",
            "高新区",
            "市县两级政府",
        ] {
            let err = parse(text).expect_err(text);
            assert_eq!(err.text, text);
        }
    }

    #[test]
    fn duplicates_are_dropped_and_order_is_kept() {
        assert_eq!(
            parse("各级政府，各级政府、党委"),
            Ok(vec![sel(ALL, GOV), sel(ALL, PC)])
        );
    }

    #[test]
    fn descriptions_use_the_documents_words() {
        assert_eq!(sel(ALL, PC).describe_zh(), "各级党（工）委");
        assert_eq!(
            sel(LevelScope::CountyAndAbove, GOV).describe_zh(),
            "县级以上政府"
        );
        assert_eq!(
            sel(LevelScope::City, Target::Department(Sector::Inspection)).describe_zh(),
            "市委巡察办"
        );
        assert_eq!(
            sel(ALL, Target::Department(Sector::IndustryIt)).describe_zh(),
            "各级工信部门"
        );
        assert_eq!(
            sel(ALL, Target::ZoneCommittees).describe_zh(),
            "高新区、港务区管委会"
        );
        assert_eq!(sel(ALL, PC).describe_en(), "Party committee (all levels)");
        assert_eq!(
            sel(LevelScope::City, Target::Kind(OrgKind::SafetyCommittee)).describe_en(),
            "Work safety committee (city)"
        );
    }

    #[test]
    fn selector_codes_read_back() {
        let mut targets = vec![
            Target::ZoneCommittees,
            Target::SupervisingDepartments,
            Target::RelatedDepartments,
            Target::CentralProvincialEnterprises,
            Target::ProductionUnits,
        ];
        targets.extend(OrgKind::ALL.iter().map(|k| Target::Kind(*k)));
        targets.extend(Sector::ALL.iter().map(|s| Target::Department(*s)));
        for scope in LevelScope::ALL {
            assert_eq!(LevelScope::parse(scope.code()), Some(*scope));
            for target in &targets {
                let selector = sel(*scope, *target);
                assert_eq!(UnitSelector::parse_code(&selector.code()), Some(selector));
            }
        }
        assert_eq!(UnitSelector::parse_code("all/nothing"), None);
    }
}
