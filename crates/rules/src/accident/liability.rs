//! Consequences of an accident that the rules can compute: fines (安全生产法, 2021) and the
//! assessment inputs (一票否决 / 一票否优, 通安委〔2022〕10号 第十二条).
//!
//! - 安全生产法 第一百一十四条: the unit responsible is fined by grade — 一般 30万–100万元,
//!   较大 100万–200万元, 重大 200万–1000万元, 特别重大 1000万–2000万元; 情节特别严重、影响特别恶劣
//!   two to five times those amounts.
//! - 安全生产法 第九十五条: a 主要负责人 who did not perform the duties of the law, leading to the
//!   accident, is fined a share of the previous year's income — 一般 40%, 较大 60%, 重大 80%,
//!   特别重大 100% (the pre-2021 30/40/60/80% no longer applies).
//! - 通安委〔2022〕10号 第十二条: 重大生产安全事故"一票否决"、较大事故"一票否优". The task table's
//!   row 24 writes "一票否决" for 较大 too; the article's text is taken as authoritative and the
//!   table's wording as an erratum.

use super::Grade;

/// A fine range in whole yuan, both ends included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct FineRange {
    pub min_yuan: u64,
    pub max_yuan: u64,
}

impl FineRange {
    /// Whether an amount lies in the range.
    pub fn contains(&self, yuan: u64) -> bool {
        (self.min_yuan..=self.max_yuan).contains(&yuan)
    }
}

/// The unit's fine by grade (安全生产法 第一百一十四条第一款).
pub fn unit_fine(grade: Grade) -> FineRange {
    let (min_yuan, max_yuan) = match grade {
        Grade::Ordinary => (300_000, 1_000_000),
        Grade::Serious => (1_000_000, 2_000_000),
        Grade::VerySerious => (2_000_000, 10_000_000),
        Grade::ExtremelySerious => (10_000_000, 20_000_000),
    };
    FineRange { min_yuan, max_yuan }
}

/// The unit's fine when 情节特别严重、影响特别恶劣 (第一百一十四条第二款): two to five times the
/// amounts of the first paragraph.
pub fn unit_fine_aggravated(grade: Grade) -> FineRange {
    let base = unit_fine(grade);
    FineRange {
        min_yuan: base.min_yuan * 2,
        max_yuan: base.max_yuan * 5,
    }
}

/// The principal person's fine as a percentage of the previous year's income (第九十五条).
pub fn principal_fine_percent(grade: Grade) -> u32 {
    match grade {
        Grade::Ordinary => 40,
        Grade::Serious => 60,
        Grade::VerySerious => 80,
        Grade::ExtremelySerious => 100,
    }
}

/// The principal person's fine in fen, from the previous year's income in fen: the percentage
/// of [`principal_fine_percent`], rounded down to the fen (the fine never exceeds the share
/// the law names).
pub fn principal_fine_fen(grade: Grade, last_year_income_fen: u64) -> u64 {
    let share = u128::from(last_year_income_fen) * u128::from(principal_fine_percent(grade)) / 100;
    u64::try_from(share).expect("at most 100% of a u64")
}

vocabulary! {
    /// What a territory's accidents of a year mean for its assessment (通安委〔2022〕10号 第十二条),
    /// least severe first.
    AssessmentVeto {
        /// No 较大 or worse accident.
        Clear => ("clear", "无", "none"),
        /// 一票否优: a 较大 accident; the territory cannot be rated excellent.
        NoExcellent => ("no_excellent", "一票否优", "barred from excellent"),
        /// 一票否决: a 重大 or 特别重大 accident; the territory fails the assessment.
        Veto => ("veto", "一票否决", "veto"),
    }
}

/// The veto for a territory and year from the grades of its accidents.
pub fn assessment_veto(grades: impl IntoIterator<Item = Grade>) -> AssessmentVeto {
    grades
        .into_iter()
        .map(|g| match g {
            Grade::VerySerious | Grade::ExtremelySerious => AssessmentVeto::Veto,
            Grade::Serious => AssessmentVeto::NoExcellent,
            Grade::Ordinary => AssessmentVeto::Clear,
        })
        .max()
        .unwrap_or(AssessmentVeto::Clear)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Yuan in fen.
    const fn y(yuan: u64) -> u64 {
        yuan * 100
    }
    use Grade::*;

    #[test]
    fn unit_fines() {
        assert_eq!(
            unit_fine(Ordinary),
            FineRange {
                min_yuan: 300_000,
                max_yuan: 1_000_000
            }
        );
        assert_eq!(unit_fine(Serious).min_yuan, 1_000_000);
        assert_eq!(unit_fine(Serious).max_yuan, 2_000_000);
        assert_eq!(unit_fine(VerySerious).min_yuan, 2_000_000);
        assert_eq!(unit_fine(VerySerious).max_yuan, 10_000_000);
        assert_eq!(unit_fine(ExtremelySerious).min_yuan, 10_000_000);
        assert_eq!(unit_fine(ExtremelySerious).max_yuan, 20_000_000);
        assert!(unit_fine(Ordinary).contains(300_000));
        assert!(unit_fine(Ordinary).contains(1_000_000));
        assert!(!unit_fine(Ordinary).contains(299_999));
        assert!(!unit_fine(Ordinary).contains(1_000_001));
        assert_eq!(
            unit_fine_aggravated(ExtremelySerious),
            FineRange {
                min_yuan: 20_000_000,
                max_yuan: 100_000_000
            }
        );
        assert_eq!(unit_fine_aggravated(Ordinary).min_yuan, 600_000);
        assert_eq!(unit_fine_aggravated(Ordinary).max_yuan, 5_000_000);
    }

    #[test]
    fn principal_fines() {
        let income = y(200_000); // 200,000 yuan in fen
        assert_eq!(principal_fine_fen(Ordinary, income), y(80_000));
        assert_eq!(principal_fine_fen(Serious, income), y(120_000));
        assert_eq!(principal_fine_fen(VerySerious, income), y(160_000));
        assert_eq!(principal_fine_fen(ExtremelySerious, income), income);
        // Rounded down to the fen: 40% of 0.01 yuan is 0; of 0.03 yuan, 0.012 → 0.01.
        assert_eq!(principal_fine_fen(Ordinary, 1), 0);
        assert_eq!(principal_fine_fen(Ordinary, 3), 1);
        assert_eq!(principal_fine_fen(Serious, 3), 1);
        assert_eq!(principal_fine_fen(ExtremelySerious, u64::MAX), u64::MAX);
        assert_eq!(principal_fine_fen(Ordinary, 0), 0);
    }

    #[test]
    fn vetoes() {
        assert_eq!(assessment_veto([]), AssessmentVeto::Clear);
        assert_eq!(assessment_veto([Ordinary, Ordinary]), AssessmentVeto::Clear);
        assert_eq!(
            assessment_veto([Ordinary, Serious]),
            AssessmentVeto::NoExcellent
        );
        assert_eq!(
            assessment_veto([Serious, VerySerious]),
            AssessmentVeto::Veto
        );
        assert_eq!(assessment_veto([ExtremelySerious]), AssessmentVeto::Veto);
        assert_eq!(AssessmentVeto::NoExcellent.name_zh(), "一票否优");
        assert_eq!(AssessmentVeto::Veto.name_zh(), "一票否决");
    }
}
