//! Risk assessment (双重预防机制 风险分级管控): the LEC and LS methods and the four colours.
//!
//! - Four colours: 安委办〔2016〕11号 《关于实施遏制重特大事故工作指南构建双重预防机制的意见》 —
//!   安全风险等级从高到低划分为重大风险、较大风险、一般风险和低风险，分别用红、橙、黄、蓝四种颜色标示.
//! - LEC (作业条件危险性评价法): D = L × E × C with the customary scale values of L, E, C.
//! - LS (风险矩阵法): R = L × S, L and S integers 1–5.
//!
//! No national rule maps D or R to the four levels: the bands are configuration ([`Bands`]),
//! with defaults that are a local convention (可配置，非国家强制).

use std::fmt;

use serde::{Deserialize, Serialize};

vocabulary! {
    /// The four risk levels of 安委办〔2016〕11号, from lowest to highest (so `Ord` follows
    /// severity: `max` of two levels is the graver).
    RiskLevel {
        /// 低风险, blue.
        Low => ("low", "低风险", "low"),
        /// 一般风险, yellow.
        General => ("general", "一般风险", "general"),
        /// 较大风险, orange.
        High => ("high", "较大风险", "high"),
        /// 重大风险, red.
        Major => ("major", "重大风险", "major"),
    }
}

impl RiskLevel {
    /// The colour code: `red`, `orange`, `yellow`, `blue`.
    pub fn colour(&self) -> &'static str {
        match self {
            RiskLevel::Major => "red",
            RiskLevel::High => "orange",
            RiskLevel::General => "yellow",
            RiskLevel::Low => "blue",
        }
    }

    /// The colour in Chinese: 红, 橙, 黄, 蓝.
    pub fn colour_zh(&self) -> &'static str {
        match self {
            RiskLevel::Major => "红",
            RiskLevel::High => "橙",
            RiskLevel::General => "黄",
            RiskLevel::Low => "蓝",
        }
    }
}

/// LEC scale of L (事故发生的可能性), value and label.
pub const LEC_L: &[(f64, &str)] = &[
    (10.0, "完全会被预料到"),
    (6.0, "相当可能"),
    (3.0, "不经常，但可能"),
    (1.0, "完全意外，极少可能"),
    (0.5, "可以设想，但绝少可能"),
    (0.2, "极不可能"),
    (0.1, "实际上不可能"),
];

/// LEC scale of E (暴露于危险环境的频繁程度), value and label.
pub const LEC_E: &[(f64, &str)] = &[
    (10.0, "连续暴露于危害事件环境"),
    (6.0, "每天在工作时间内暴露"),
    (3.0, "每周一次或偶然地暴露"),
    (2.0, "每月暴露一次"),
    (1.0, "每年几次出现在危害事件环境"),
    (0.5, "非常罕见地暴露"),
];

/// LEC scale of C (事故可能结果), value and label.
pub const LEC_C: &[(f64, &str)] = &[
    (100.0, "大灾难（许多人死亡）"),
    (40.0, "灾难（几人死亡）"),
    (15.0, "非常严重（一人死亡）"),
    (7.0, "严重（严重伤害）"),
    (3.0, "重大（致残）"),
    (1.0, "引人注目（需要救护）"),
];

/// A value in tenths when it is (within rounding) one of the scale's values.
fn scale_tenths(value: f64, scale: &[(f64, &str)]) -> Option<i64> {
    if !value.is_finite() {
        return None;
    }
    let tenths = (value * 10.0).round();
    if (value * 10.0 - tenths).abs() > 1e-6 {
        return None;
    }
    let tenths = tenths as i64;
    scale
        .iter()
        .any(|(v, _)| (v * 10.0).round() as i64 == tenths)
        .then_some(tenths)
}

/// The input of LEC (作业条件危险性评价法). Only the scale values are accepted.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Lec {
    /// Likelihood: 10, 6, 3, 1, 0.5, 0.2, 0.1.
    pub l: f64,
    /// Exposure: 10, 6, 3, 2, 1, 0.5.
    pub e: f64,
    /// Consequence: 100, 40, 15, 7, 3, 1.
    pub c: f64,
}

impl Lec {
    /// D = L × E × C in thousandths (exact: every scale value is a whole number of tenths).
    fn milli(&self) -> Result<i64, ScaleError> {
        let l = scale_tenths(self.l, LEC_L).ok_or(ScaleError::new(Field::L, self.l))?;
        let e = scale_tenths(self.e, LEC_E).ok_or(ScaleError::new(Field::E, self.e))?;
        let c = scale_tenths(self.c, LEC_C).ok_or(ScaleError::new(Field::C, self.c))?;
        Ok(l * e * c)
    }

    /// D = L × E × C, or which factor is off the scale.
    pub fn score(&self) -> Result<f64, ScaleError> {
        Ok(self.milli()? as f64 / 1000.0)
    }
}

/// The input of LS (风险矩阵法): L (likelihood) and S (severity), integers 1–5.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ls {
    pub l: u8,
    pub s: u8,
}

impl Ls {
    /// R = L × S, or which factor is outside 1–5.
    pub fn score(&self) -> Result<u8, ScaleError> {
        if !(1..=5).contains(&self.l) {
            return Err(ScaleError::new(Field::L, f64::from(self.l)));
        }
        if !(1..=5).contains(&self.s) {
            return Err(ScaleError::new(Field::S, f64::from(self.s)));
        }
        Ok(self.l * self.s)
    }
}

/// An assessment's input: one of the two methods.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "method", rename_all = "snake_case")]
pub enum Method {
    Lec(Lec),
    Ls(Ls),
}

/// Which factor is off its scale.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    L,
    E,
    C,
    S,
}

impl Field {
    /// The field's name as in the input: `l`, `e`, `c`, `s`.
    pub fn code(self) -> &'static str {
        match self {
            Field::L => "l",
            Field::E => "e",
            Field::C => "c",
            Field::S => "s",
        }
    }
}

/// A factor outside its scale.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ScaleError {
    pub field: Field,
    pub value: f64,
}

impl ScaleError {
    fn new(field: Field, value: f64) -> Self {
        Self { field, value }
    }

    /// The translation key: `risk.off_scale`.
    pub fn key(&self) -> &'static str {
        "risk.off_scale"
    }

    /// The explanation in Chinese.
    pub fn message_zh(&self) -> String {
        let (name, allowed) = match self.field {
            Field::L => (
                "L（可能性）",
                "LEC：10、6、3、1、0.5、0.2、0.1；LS：1–5的整数",
            ),
            Field::E => ("E（暴露频繁程度）", "10、6、3、2、1、0.5"),
            Field::C => ("C（后果）", "100、40、15、7、3、1"),
            Field::S => ("S（严重性）", "1–5的整数"),
        };
        format!("{name}的取值{}不在刻度内（允许：{allowed}）", self.value)
    }

    /// The explanation in English.
    pub fn message_en(&self) -> String {
        let allowed = match self.field {
            Field::L => "LEC: 10, 6, 3, 1, 0.5, 0.2, 0.1; LS: an integer 1-5",
            Field::E => "10, 6, 3, 2, 1, 0.5",
            Field::C => "100, 40, 15, 7, 3, 1",
            Field::S => "an integer 1-5",
        };
        format!(
            "{} = {} is off the scale (allowed: {allowed})",
            self.field.code(),
            self.value
        )
    }
}

impl fmt::Display for ScaleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message_en())
    }
}

impl std::error::Error for ScaleError {}

/// LEC bands: D strictly above a threshold reaches that level; a D exactly on a threshold
/// falls in the lower band (D = 320 is 较大, D = 70 is 低).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LecBands {
    /// D above this is 重大 (default 320).
    pub major_above: f64,
    /// D above this (and not above `major_above`) is 较大 (default 160).
    pub high_above: f64,
    /// D above this (and not above `high_above`) is 一般 (default 70); the rest is 低.
    pub general_above: f64,
}

impl Default for LecBands {
    /// Variant B of regulations.md §3.2: D > 320 重大; 160 < D ≤ 320 较大; 70 < D ≤ 160 一般;
    /// D ≤ 70 低. A local convention, configurable, not a national rule (可配置，非国家强制).
    fn default() -> Self {
        Self {
            major_above: 320.0,
            high_above: 160.0,
            general_above: 70.0,
        }
    }
}

/// LS bands: R at or above a threshold reaches that level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LsBands {
    /// R from this is 重大 (default 20).
    pub major_from: u8,
    /// R from this (below `major_from`) is 较大 (default 15).
    pub high_from: u8,
    /// R from this (below `high_from`) is 一般 (default 9); below it is 低.
    pub general_from: u8,
}

impl Default for LsBands {
    /// 20–25 重大, 15–16 较大, 9–12 一般, 1–8 低: one of several conventions in use
    /// (regulations.md §3.3 records it FROM MEMORY; sources disagree). Configurable, not a
    /// national rule.
    fn default() -> Self {
        Self {
            major_from: 20,
            high_from: 15,
            general_from: 9,
        }
    }
}

/// The bands of both methods, as the app's configuration holds them (every field optional,
/// defaulting as above).
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Bands {
    pub lec: LecBands,
    pub ls: LsBands,
}

/// Why a [`Bands`] value is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BandsProblem {
    /// LEC thresholds must be finite and 0 ≤ general < high < major.
    LecNotIncreasing,
    /// LS thresholds must satisfy 2 ≤ general < high < major ≤ 25.
    LsNotIncreasing,
}

impl BandsProblem {
    pub fn message_zh(self) -> &'static str {
        match self {
            BandsProblem::LecNotIncreasing => "LEC分级阈值须满足 0 ≤ 一般 < 较大 < 重大",
            BandsProblem::LsNotIncreasing => "LS分级阈值须满足 2 ≤ 一般 < 较大 < 重大 ≤ 25",
        }
    }
    pub fn message_en(self) -> &'static str {
        match self {
            BandsProblem::LecNotIncreasing => {
                "LEC thresholds must be finite with 0 <= general < high < major"
            }
            BandsProblem::LsNotIncreasing => {
                "LS thresholds must satisfy 2 <= general < high < major <= 25"
            }
        }
    }
}

impl fmt::Display for BandsProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message_en())
    }
}

impl std::error::Error for BandsProblem {}

impl Bands {
    /// Checks that the thresholds increase (call when loading the configuration).
    pub fn validate(&self) -> Result<(), BandsProblem> {
        let l = &self.lec;
        let finite =
            l.general_above.is_finite() && l.high_above.is_finite() && l.major_above.is_finite();
        if !(finite
            && 0.0 <= l.general_above
            && l.general_above < l.high_above
            && l.high_above < l.major_above)
        {
            return Err(BandsProblem::LecNotIncreasing);
        }
        let s = &self.ls;
        if !(2 <= s.general_from
            && s.general_from < s.high_from
            && s.high_from < s.major_from
            && s.major_from <= 25)
        {
            return Err(BandsProblem::LsNotIncreasing);
        }
        Ok(())
    }

    /// The level of an LEC score D (boundary values fall in the lower band).
    pub fn lec_level(&self, d: f64) -> RiskLevel {
        // Compare in thousandths, the exact unit of D.
        let milli = (d * 1000.0).round() as i64;
        self.lec_level_milli(milli)
    }

    fn lec_level_milli(&self, milli: i64) -> RiskLevel {
        let t = |x: f64| (x * 1000.0).round() as i64;
        if milli > t(self.lec.major_above) {
            RiskLevel::Major
        } else if milli > t(self.lec.high_above) {
            RiskLevel::High
        } else if milli > t(self.lec.general_above) {
            RiskLevel::General
        } else {
            RiskLevel::Low
        }
    }

    /// The level of an LS score R (a threshold value belongs to its band).
    pub fn ls_level(&self, r: u8) -> RiskLevel {
        if r >= self.ls.major_from {
            RiskLevel::Major
        } else if r >= self.ls.high_from {
            RiskLevel::High
        } else if r >= self.ls.general_from {
            RiskLevel::General
        } else {
            RiskLevel::Low
        }
    }
}

/// The outcome of an assessment: the score (D or R) and its level.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Assessment {
    pub score: f64,
    pub level: RiskLevel,
}

/// Scores the input and bands it, or names the factor that is off its scale.
pub fn assess(input: Method, bands: &Bands) -> Result<Assessment, ScaleError> {
    match input {
        Method::Lec(lec) => {
            let milli = lec.milli()?;
            Ok(Assessment {
                score: milli as f64 / 1000.0,
                level: bands.lec_level_milli(milli),
            })
        }
        Method::Ls(ls) => {
            let r = ls.score()?;
            Ok(Assessment {
                score: f64::from(r),
                level: bands.ls_level(r),
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lec(l: f64, e: f64, c: f64) -> Result<Assessment, ScaleError> {
        assess(Method::Lec(Lec { l, e, c }), &Bands::default())
    }

    fn ls(l: u8, s: u8) -> Result<Assessment, ScaleError> {
        assess(Method::Ls(Ls { l, s }), &Bands::default())
    }

    #[test]
    fn lec_boundaries_fall_in_the_lower_band() {
        // 10 × 6 × 7 = 420 > 320
        assert_eq!(lec(10.0, 6.0, 7.0).unwrap().level, RiskLevel::Major);
        // 3 × 3 × 40 = 360
        assert_eq!(lec(3.0, 3.0, 40.0).unwrap().level, RiskLevel::Major);
        let b = Bands::default();
        assert_eq!(b.lec_level(320.0), RiskLevel::High);
        assert_eq!(b.lec_level(320.001), RiskLevel::Major);
        assert_eq!(b.lec_level(160.0), RiskLevel::General);
        assert_eq!(b.lec_level(160.5), RiskLevel::High);
        assert_eq!(b.lec_level(70.0), RiskLevel::Low);
        assert_eq!(b.lec_level(70.5), RiskLevel::General);
        // Products of scale values: 6 × 6 × 7 = 252 → 较大
        let a = lec(6.0, 6.0, 7.0).unwrap();
        assert_eq!((a.score, a.level), (252.0, RiskLevel::High));
        // 10 × 1 × 15 = 150 → 一般; 10 × 10 × 1 = 100 → 一般
        assert_eq!(lec(10.0, 1.0, 15.0).unwrap().level, RiskLevel::General);
        // 10 × 1 × 7 = 70 exactly → 低 (boundary goes down)
        let a = lec(10.0, 1.0, 7.0).unwrap();
        assert_eq!((a.score, a.level), (70.0, RiskLevel::Low));
        // 1 × 2 × 40 = 80 → 一般
        assert_eq!(lec(1.0, 2.0, 40.0).unwrap().level, RiskLevel::General);
        // 10 × 0.5 × 40 = 200 → 较大; 0.1 × 0.5 × 1 = 0.05 → 低
        assert_eq!(lec(10.0, 0.5, 40.0).unwrap().level, RiskLevel::High);
        let a = lec(0.1, 0.5, 1.0).unwrap();
        assert_eq!((a.score, a.level), (0.05, RiskLevel::Low));
    }

    #[test]
    fn lec_reachable_exact_boundaries() {
        // Every product of scale values, against the bands written out by hand (exact
        // boundary values in the lower band).
        let b = Bands::default();
        for (l, _) in LEC_L {
            for (e, _) in LEC_E {
                for (c, _) in LEC_C {
                    let a = assess(
                        Method::Lec(Lec {
                            l: *l,
                            e: *e,
                            c: *c,
                        }),
                        &b,
                    )
                    .unwrap();
                    let expected = if a.score > 320.0 + 1e-9 {
                        RiskLevel::Major
                    } else if a.score > 160.0 + 1e-9 {
                        RiskLevel::High
                    } else if a.score > 70.0 + 1e-9 {
                        RiskLevel::General
                    } else {
                        RiskLevel::Low
                    };
                    assert_eq!(a.level, expected, "{l} × {e} × {c} = {}", a.score);
                }
            }
        }
        // 0.2 × 0.5 × 7 is 0.7000000000000001 in floats; the score is exact.
        let a = lec(0.2, 0.5, 7.0).unwrap();
        assert_eq!(a.score, 0.7);
    }

    #[test]
    fn lec_accepts_only_scale_values_and_names_the_field() {
        assert_eq!(lec(0.3 - 0.1, 1.0, 1.0).unwrap().score, 0.2);
        let e = lec(2.0, 1.0, 1.0).unwrap_err();
        assert_eq!(e.field, Field::L);
        let e = lec(10.0, 4.0, 1.0).unwrap_err();
        assert_eq!(e.field, Field::E);
        assert_eq!(e.field.code(), "e");
        let e = lec(10.0, 6.0, 50.0).unwrap_err();
        assert_eq!(e.field, Field::C);
        assert!(e.message_zh().contains("C（后果）"));
        assert!(e.message_en().starts_with("c = 50"));
        assert_eq!(lec(f64::NAN, 1.0, 1.0).unwrap_err().field, Field::L);
        assert_eq!(lec(0.15, 1.0, 1.0).unwrap_err().field, Field::L);
    }

    #[test]
    fn ls_boundaries_of_the_default_bands() {
        let level = |l, s| ls(l, s).unwrap().level;
        assert_eq!(level(5, 5), RiskLevel::Major); // 25
        assert_eq!(level(4, 5), RiskLevel::Major); // 20
        assert_eq!(level(4, 4), RiskLevel::High); // 16
        assert_eq!(level(3, 5), RiskLevel::High); // 15
        assert_eq!(level(3, 4), RiskLevel::General); // 12
        assert_eq!(level(2, 5), RiskLevel::General); // 10
        assert_eq!(level(3, 3), RiskLevel::General); // 9
        assert_eq!(level(2, 4), RiskLevel::Low); // 8
        assert_eq!(level(1, 1), RiskLevel::Low); // 1
        let b = Bands::default();
        for r in 1..=25u8 {
            let expected = match r {
                20..=25 => RiskLevel::Major,
                15..=19 => RiskLevel::High,
                9..=14 => RiskLevel::General,
                _ => RiskLevel::Low,
            };
            assert_eq!(b.ls_level(r), expected, "R = {r}");
        }
        assert_eq!(ls(4, 5).unwrap().score, 20.0);
    }

    #[test]
    fn ls_rejects_factors_outside_one_to_five() {
        assert_eq!(ls(0, 3).unwrap_err().field, Field::L);
        assert_eq!(ls(6, 3).unwrap_err().field, Field::L);
        assert_eq!(ls(3, 0).unwrap_err().field, Field::S);
        assert_eq!(ls(3, 6).unwrap_err().field, Field::S);
    }

    #[test]
    fn bands_validate_and_read_from_configuration() {
        assert_eq!(Bands::default().validate(), Ok(()));
        let mut b = Bands::default();
        b.lec.high_above = 400.0;
        assert_eq!(b.validate(), Err(BandsProblem::LecNotIncreasing));
        let mut b = Bands::default();
        b.ls.general_from = 15;
        assert_eq!(b.validate(), Err(BandsProblem::LsNotIncreasing));
        let mut b = Bands::default();
        b.ls.major_from = 26;
        assert_eq!(b.validate(), Err(BandsProblem::LsNotIncreasing));
        // Variant A (D > 160 重大) as configuration.
        let a = Bands {
            lec: LecBands {
                major_above: 160.0,
                high_above: 70.0,
                general_above: 20.0,
            },
            ..Bands::default()
        };
        assert_eq!(a.validate(), Ok(()));
        assert_eq!(a.lec_level(252.0), RiskLevel::Major);
        assert_eq!(a.lec_level(20.0), RiskLevel::Low);
    }

    #[test]
    fn levels_have_colours_and_order_by_severity() {
        assert_eq!(RiskLevel::Major.colour(), "red");
        assert_eq!(RiskLevel::High.colour(), "orange");
        assert_eq!(RiskLevel::General.colour(), "yellow");
        assert_eq!(RiskLevel::Low.colour(), "blue");
        assert_eq!(RiskLevel::Major.colour_zh(), "红");
        assert_eq!(RiskLevel::Low.colour_zh(), "蓝");
        assert!(RiskLevel::Major > RiskLevel::High);
        assert_eq!(RiskLevel::parse("general"), Some(RiskLevel::General));
    }
}
