//! Hazards (事故隐患): accident types, grades, the life of a hazard record and the criteria of
//! a 重大事故隐患.
//!
//! - Grade: 《安全生产事故隐患排查治理暂行规定》(国家安全监管总局令第16号) 第三条 — 事故隐患分为
//!   一般事故隐患和重大事故隐患; 重大事故隐患，是指危害和整改难度较大，应当全部或者局部停产停业，
//!   并经过一定时间整改治理方能排除的隐患，或者因外部因素影响致使生产经营单位自身难以排除的隐患.
//! - Accident types: GB 6441-1986 《企业职工伤亡事故分类》, 20 categories (GB 6441-2025 replaces
//!   it; its codes are not encoded yet, so stored values name the 1986 edition).
//! - Criteria: the 重大事故隐患判定标准 of regulations.md §5 (data in `hazard_criteria.rs`).

use chrono::NaiveDate;

use crate::hazard_criteria::{CRITERIA, STANDARDS};

vocabulary! {
    /// GB 6441-1986 accident categories (事故类别), in the standard's order; `gb_code()` gives
    /// the two-digit code 01–20.
    AccidentType {
        ObjectStrike => ("object_strike", "物体打击", "struck by object"),
        Vehicle => ("vehicle", "车辆伤害", "vehicle injury"),
        Machinery => ("machinery", "机械伤害", "machinery injury"),
        Lifting => ("lifting", "起重伤害", "lifting injury"),
        ElectricShock => ("electric_shock", "触电", "electric shock"),
        Drowning => ("drowning", "淹溺", "drowning"),
        Burn => ("burn", "灼烫", "burn or scald"),
        Fire => ("fire", "火灾", "fire"),
        FallFromHeight => ("fall_from_height", "高处坠落", "fall from height"),
        Collapse => ("collapse", "坍塌", "collapse"),
        RoofFall => ("roof_fall", "冒顶片帮", "roof fall and rib spalling"),
        WaterInrush => ("water_inrush", "透水", "water inrush"),
        Blasting => ("blasting", "放炮", "blasting"),
        ExplosiveDetonation => ("explosive_detonation", "火药爆炸", "explosive detonation"),
        GasExplosion => ("gas_explosion", "瓦斯爆炸", "firedamp explosion"),
        BoilerExplosion => ("boiler_explosion", "锅炉爆炸", "boiler explosion"),
        VesselExplosion => ("vessel_explosion", "容器爆炸", "pressure vessel explosion"),
        OtherExplosion => ("other_explosion", "其他爆炸", "other explosion"),
        PoisoningAsphyxiation => ("poisoning_asphyxiation", "中毒和窒息", "poisoning and asphyxiation"),
        Other => ("other", "其他伤害", "other injury"),
    }
}

impl AccidentType {
    /// The two-digit GB 6441-1986 code, `01`–`20`.
    pub fn gb_code(&self) -> String {
        let i = Self::ALL
            .iter()
            .position(|t| t == self)
            .expect("every value is in ALL");
        format!("{:02}", i + 1)
    }

    /// The category of a GB 6441-1986 code (`01`–`20`).
    pub fn from_gb_code(code: &str) -> Option<AccidentType> {
        if code.len() != 2 || !code.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let n: usize = code.parse().ok()?;
        n.checked_sub(1).and_then(|i| Self::ALL.get(i)).copied()
    }

    /// The classification standard these codes belong to.
    pub const STANDARD: &'static str = "GB 6441-1986";
}

vocabulary! {
    /// 隐患等级, per 总局令第16号 第三条.
    Grade {
        General => ("general", "一般事故隐患", "general hazard"),
        Major => ("major", "重大事故隐患", "major hazard"),
    }
}

vocabulary! {
    /// How a hazard was found.
    Source {
        SelfCheck => ("self_check", "企业自查", "self-check"),
        Inspection => ("inspection", "检查发现", "inspection"),
        Campaign => ("campaign", "专项检查", "special campaign"),
        PublicReport => ("public_report", "群众举报", "public report"),
    }
}

vocabulary! {
    /// Where a hazard record stands (排查、整改、验收、销号 — 总局令第16号 的闭环管理).
    ///
    /// registered → rectifying → submitted → closed; a returned submission goes back to
    /// rectifying; the office may reopen a closed hazard (back to rectifying).
    Status {
        /// 已登记.
        Registered => ("registered", "已登记", "registered"),
        /// 整改中.
        Rectifying => ("rectifying", "整改中", "rectifying"),
        /// 待验收: rectification reported, waiting for acceptance.
        Submitted => ("submitted", "待验收", "awaiting acceptance"),
        /// 已销号.
        Closed => ("closed", "已销号", "closed"),
    }
}

/// What someone does to a hazard record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    /// 下达整改 / 开始整改: registered → rectifying.
    StartRectification,
    /// 提交验收: rectifying → submitted.
    Submit,
    /// 验收通过，销号: submitted → closed.
    Accept,
    /// 验收不通过，退回: submitted → rectifying.
    Return,
    /// 重新打开 (office): closed → rectifying.
    Reopen,
}

/// Why an action is refused: the status it was tried in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Refusal {
    pub action: Action,
    pub status: Status,
}

impl Refusal {
    /// Translation key: `hazard.refused`.
    pub fn key(&self) -> &'static str {
        "hazard.refused"
    }
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{:?} is not allowed on a {} hazard",
            self.action, self.status
        )
    }
}

impl std::error::Error for Refusal {}

impl Status {
    /// Whether the rectification may be submitted for acceptance: while registered (fixed on
    /// the spot, 立查立改) or rectifying; never while one waits or once closed.
    pub fn may_submit(self) -> bool {
        matches!(self, Status::Registered | Status::Rectifying)
    }

    /// Whether the office may accept or return: only a submitted rectification.
    pub fn may_decide(self) -> bool {
        self == Status::Submitted
    }

    /// Whether the record may be edited: not once closed.
    pub fn may_edit(self) -> bool {
        self != Status::Closed
    }

    /// Whether the office may reopen: only a closed hazard.
    pub fn may_reopen(self) -> bool {
        self == Status::Closed
    }

    /// Overdue when the day is after the deadline (the deadline day itself counts) and the
    /// hazard is not closed.
    pub fn is_overdue(self, deadline: NaiveDate, today: NaiveDate) -> bool {
        self != Status::Closed && today > deadline
    }

    /// The status after `action`, or a refusal.
    pub fn transition(self, action: Action) -> Result<Status, Refusal> {
        use Action::*;
        let next = match (self, action) {
            (Status::Registered, StartRectification) => Status::Rectifying,
            // Fixed on the spot (立查立改) or after taking it on: either way it goes to acceptance.
            (Status::Registered | Status::Rectifying, Submit) => Status::Submitted,
            (Status::Submitted, Accept) => Status::Closed,
            (Status::Submitted, Return) => Status::Rectifying,
            (Status::Closed, Reopen) => Status::Rectifying,
            _ => {
                return Err(Refusal {
                    action,
                    status: self,
                });
            }
        };
        Ok(next)
    }
}

/// The default rectification period of a general hazard, in days from registration. A
/// default only: the app's configuration may change it, and a major hazard's deadline is set
/// in its 治理方案 (总局令第16号 第十五条).
pub const DEFAULT_DEADLINE_DAYS: u32 = 30;

/// [`DEFAULT_DEADLINE_DAYS`] as a function.
pub const fn default_deadline_days() -> u32 {
    DEFAULT_DEADLINE_DAYS
}

/// A 重大事故隐患判定标准.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Standard {
    /// Stable code, e.g. `gongmao_2023`.
    pub code: &'static str,
    pub title_zh: &'static str,
    /// 文号 or standard number, e.g. 应急管理部令第10号.
    pub document_no: &'static str,
    /// ISO date, where regulations.md gives one.
    pub in_force_from: Option<&'static str>,
    /// What is known, what is missing, what is unverified (Chinese).
    pub source_note: &'static str,
}

/// One item of a standard: a situation that is to be judged a 重大事故隐患.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Criterion {
    /// Stable code `<standard>/<item>`, e.g. `gongmao_2023/3.1` (第三条（一）).
    pub code: &'static str,
    /// The standard's code.
    pub standard: &'static str,
    /// The item as the standard numbers it, e.g. 第三条（一）.
    pub item: &'static str,
    /// The text, verbatim from the reprint regulations.md quotes (`……` where it is cut).
    pub text_zh: &'static str,
    /// Whether regulations.md found the text in a source (false: from memory, check first).
    pub verified: bool,
}

/// Every criterion, grouped by standard.
pub fn criteria() -> &'static [Criterion] {
    CRITERIA
}

/// The criterion of a code (`gongmao_2023/3.1`).
pub fn criterion(code: &str) -> Option<&'static Criterion> {
    CRITERIA.iter().find(|c| c.code == code)
}

/// The criteria of one standard, in order.
pub fn criteria_of(standard: &str) -> impl Iterator<Item = &'static Criterion> + '_ {
    CRITERIA.iter().filter(move |c| c.standard == standard)
}

/// Every standard.
pub fn standards() -> &'static [Standard] {
    STANDARDS
}

/// The standard of a code (`gongmao_2023`).
pub fn standard(code: &str) -> Option<&'static Standard> {
    STANDARDS.iter().find(|s| s.code == code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accident_types_follow_gb_6441_1986() {
        assert_eq!(AccidentType::ALL.len(), 20);
        assert_eq!(AccidentType::ObjectStrike.gb_code(), "01");
        assert_eq!(AccidentType::FallFromHeight.gb_code(), "09");
        assert_eq!(AccidentType::FallFromHeight.name_zh(), "高处坠落");
        assert_eq!(AccidentType::PoisoningAsphyxiation.gb_code(), "19");
        assert_eq!(AccidentType::Other.gb_code(), "20");
        assert_eq!(AccidentType::Other.name_zh(), "其他伤害");
        assert_eq!(
            AccidentType::from_gb_code("15"),
            Some(AccidentType::GasExplosion)
        );
        assert_eq!(AccidentType::from_gb_code("00"), None);
        assert_eq!(AccidentType::from_gb_code("21"), None);
        assert_eq!(AccidentType::from_gb_code("5"), None);
        let zh: Vec<&str> = AccidentType::ALL.iter().map(|t| t.name_zh()).collect();
        assert_eq!(
            zh.join(""),
            "物体打击车辆伤害机械伤害起重伤害触电淹溺灼烫火灾高处坠落坍塌冒顶片帮透水放炮\
             火药爆炸瓦斯爆炸锅炉爆炸容器爆炸其他爆炸中毒和窒息其他伤害"
        );
        for t in AccidentType::ALL {
            assert_eq!(AccidentType::from_gb_code(&t.gb_code()), Some(*t));
            assert_eq!(AccidentType::parse(t.code()), Some(*t));
        }
    }

    #[test]
    fn the_life_of_a_hazard() {
        use Action::*;
        let s = Status::Registered;
        assert!(
            s.may_submit(),
            "fixed on the spot: submitted straight from registered"
        );
        assert_eq!(s.transition(Submit), Ok(Status::Submitted));
        let s = s.transition(StartRectification).unwrap();
        assert_eq!(s, Status::Rectifying);
        assert!(s.may_submit() && !s.may_decide() && s.may_edit());
        let s = s.transition(Submit).unwrap();
        assert_eq!(s, Status::Submitted);
        assert!(!s.may_submit() && s.may_decide());
        let s = s.transition(Return).unwrap();
        assert_eq!(s, Status::Rectifying);
        let s = s.transition(Submit).unwrap().transition(Accept).unwrap();
        assert_eq!(s, Status::Closed);
        assert!(!s.may_edit() && !s.may_submit() && !s.may_decide() && s.may_reopen());
        let s = s.transition(Reopen).unwrap();
        assert_eq!(s, Status::Rectifying);
    }

    #[test]
    fn refused_transitions() {
        use Action::*;
        for s in Status::ALL {
            for a in [StartRectification, Submit, Accept, Return, Reopen] {
                let allowed = matches!(
                    (s, a),
                    (Status::Registered, StartRectification)
                        | (Status::Registered | Status::Rectifying, Submit)
                        | (Status::Submitted, Accept | Return)
                        | (Status::Closed, Reopen)
                );
                assert_eq!(s.transition(a).is_ok(), allowed, "{s:?} {a:?}");
            }
            assert_eq!(s.may_reopen(), *s == Status::Closed);
        }
        assert_eq!(
            Status::Closed.transition(Submit),
            Err(Refusal {
                action: Submit,
                status: Status::Closed
            })
        );
    }

    #[test]
    fn overdue_after_the_deadline_unless_closed() {
        let d = |s| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let deadline = d("2026-03-31");
        assert!(!Status::Rectifying.is_overdue(deadline, d("2026-03-31")));
        assert!(Status::Rectifying.is_overdue(deadline, d("2026-04-01")));
        assert!(Status::Registered.is_overdue(deadline, d("2026-04-01")));
        assert!(Status::Submitted.is_overdue(deadline, d("2026-04-01")));
        assert!(!Status::Closed.is_overdue(deadline, d("2026-04-01")));
    }

    #[test]
    fn stored_codes_read_back() {
        assert_eq!(
            Status::try_from("submitted".to_string()),
            Ok(Status::Submitted)
        );
        assert_eq!(Status::Closed.name_zh(), "已销号");
        assert!(Status::try_from("returned".to_string()).is_err());
        assert_eq!(Source::parse("public_report"), Some(Source::PublicReport));
        assert_eq!(Source::Campaign.name_zh(), "专项检查");
        assert_eq!(Grade::parse("major"), Some(Grade::Major));
        assert_eq!(default_deadline_days(), 30);
    }

    #[test]
    fn criteria_are_well_formed_and_unique() {
        let mut codes = std::collections::HashSet::new();
        for c in criteria() {
            assert!(codes.insert(c.code), "duplicate {}", c.code);
            assert!(standard(c.standard).is_some(), "{}", c.code);
            assert!(c.code.starts_with(&format!("{}/", c.standard)));
            assert!(!c.text_zh.is_empty() && !c.item.is_empty());
        }
        for s in standards() {
            assert!(criteria_of(s.code).next().is_some(), "{}", s.code);
        }
        let count = |s| criteria_of(s).count();
        assert_eq!(count("gongmao_2023"), 7);
        assert_eq!(count("chemical_2017"), 20);
        assert_eq!(count("coal_2020"), 15);
        assert_eq!(count("metal_mine_2022"), 7);
        assert_eq!(count("housing_2022"), 7);
        assert_eq!(count("gb35181_2017"), 10);
        assert_eq!(count("gas_2023"), 7);
    }

    #[test]
    fn criteria_by_code() {
        let c = criterion("gongmao_2023/3.1").unwrap();
        assert_eq!(c.item, "第三条（一）");
        assert!(c.text_zh.starts_with("未对承包单位、承租单位"));
        assert!(c.verified);
        assert_eq!(
            criterion("chemical_2017/2").unwrap().text_zh,
            "特种作业人员未持证上岗。"
        );
        assert!(criterion("chemical_2017/16").unwrap().verified);
        for n in 17..=20 {
            assert!(!criterion(&format!("chemical_2017/{n}")).unwrap().verified);
        }
        assert_eq!(criterion("coal_2020/3.2").unwrap().text_zh, "瓦斯超限作业");
        assert!(
            criterion("gb35181_2017/direct.10")
                .unwrap()
                .text_zh
                .contains("GB 8624-2012")
        );
        assert_eq!(criterion("gongmao_2023/9.9"), None);
        assert_eq!(
            standard("gongmao_2023").unwrap().document_no,
            "应急管理部令第10号"
        );
        assert_eq!(
            standard("gongmao_2023").unwrap().in_force_from,
            Some("2023-05-15")
        );
    }
}
