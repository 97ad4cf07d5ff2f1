//! Whistleblower rewards (举报奖励). The receipt code's format is `report`'s.
//!
//! 《安全生产领域举报奖励办法》(安监总财〔2018〕19号, 国家安全监管总局 and 财政部, 2018-01-04;
//! regulations.md §2.1, amounts VERIFIED against a news report and a local notice quoting the
//! text):
//!
//! > （一）对举报重大事故隐患、违法生产经营建设的，奖励金额按照行政处罚金额的15%计算，最低奖励3000元，
//! > 最高不超过30万元。
//! > （二）对举报瞒报、谎报事故的，按照最终确认的事故等级和查实举报的瞒报谎报死亡人数给予奖励。其中：
//! > 一般事故按每查实瞒报谎报1人奖励3万元计算；较大事故…4万元…；重大事故…5万元…；特别重大事故…6万元
//! > 计算。最高奖励不超过30万元。
//!
//! These are national defaults: [`RewardRules`] holds them and a province or city may configure
//! its own (the 吉林省 办法 was not found, regulations.md §2.2). Money is integer: fines in fen,
//! rule amounts in whole yuan, proposals in fen; no floating point.
//!
//! **Rounding.** 15% of the fine is computed exactly in fen and rounded half up to the fen
//! (四舍五入到分): 0.45 fen → 0, 1.5 fen → 2 fen. The minimum and maximum then apply to the
//! rounded share. A verified report whose case ended with no fine (0) still earns the minimum:
//! the 办法 sets the minimum without a condition on the fine (an interpretation).

use crate::accident::Grade;

/// The reward amounts, national defaults (安监总财〔2018〕19号); every field configurable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RewardRules {
    /// Share of the fine for a hazard or violation, in basis points (1500 = 15%).
    pub fine_share_bp: u32,
    /// The least reward for a hazard or violation, yuan (3,000).
    pub fine_min_yuan: u64,
    /// The most for a hazard or violation, yuan (300,000).
    pub fine_max_yuan: u64,
    /// Per verified concealed death of a 一般 accident, yuan (30,000).
    pub per_death_ordinary_yuan: u64,
    /// … of a 较大 accident (40,000).
    pub per_death_serious_yuan: u64,
    /// … of a 重大 accident (50,000).
    pub per_death_very_serious_yuan: u64,
    /// … of a 特别重大 accident (60,000).
    pub per_death_extremely_serious_yuan: u64,
    /// The most for a concealed accident, yuan (300,000).
    pub concealment_max_yuan: u64,
}

impl Default for RewardRules {
    fn default() -> Self {
        Self {
            fine_share_bp: 1500,
            fine_min_yuan: 3_000,
            fine_max_yuan: 300_000,
            per_death_ordinary_yuan: 30_000,
            per_death_serious_yuan: 40_000,
            per_death_very_serious_yuan: 50_000,
            per_death_extremely_serious_yuan: 60_000,
            concealment_max_yuan: 300_000,
        }
    }
}

/// Why a [`RewardRules`] value is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RulesProblem {
    /// The share is above 100% (10,000 basis points).
    ShareAboveWhole,
    /// The minimum is above the maximum.
    MinAboveMax,
}

impl RewardRules {
    /// Checks a configured value.
    pub fn validate(&self) -> Result<(), RulesProblem> {
        if self.fine_share_bp > 10_000 {
            return Err(RulesProblem::ShareAboveWhole);
        }
        if self.fine_min_yuan > self.fine_max_yuan {
            return Err(RulesProblem::MinAboveMax);
        }
        Ok(())
    }

    /// The per-death amount of a grade.
    pub fn per_death_yuan(&self, grade: Grade) -> u64 {
        match grade {
            Grade::Ordinary => self.per_death_ordinary_yuan,
            Grade::Serious => self.per_death_serious_yuan,
            Grade::VerySerious => self.per_death_very_serious_yuan,
            Grade::ExtremelySerious => self.per_death_extremely_serious_yuan,
        }
    }
}

/// What a verified report led to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Basis {
    /// 重大事故隐患 or 安全生产违法行为 (违法生产经营建设): the administrative fine imposed, fen.
    Fine { fine_fen: u64 },
    /// 瞒报、谎报事故: the final grade and the verified concealed (or falsely reported) deaths.
    ConcealedAccident { grade: Grade, concealed_deaths: u32 },
}

/// Which bound, if any, decided a fine-share reward.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Bound {
    None,
    Minimum,
    Maximum,
}

/// The rule that produced a proposal, with its figures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "rule", rename_all = "snake_case")]
pub enum Rule {
    /// A share of the fine, bounded.
    FineShare {
        fine_fen: u64,
        share_bp: u32,
        /// The share before the bounds, rounded half up to the fen.
        share_fen: u64,
        bound: Bound,
    },
    /// So much per verified concealed death, capped.
    PerDeath {
        grade: Grade,
        deaths: u32,
        per_death_yuan: u64,
        capped: bool,
    },
}

/// A proposed reward.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Proposal {
    pub amount_fen: u64,
    pub rule: Rule,
}

const FEN: u64 = 100;

/// Formats fen as yuan with two decimals: `300000.00`.
pub fn yuan(fen: u64) -> String {
    format!("{}.{:02}", fen / FEN, fen % FEN)
}

impl Rule {
    /// A stable code: `fine_share` or `per_death`.
    pub fn code(&self) -> &'static str {
        match self {
            Rule::FineShare { .. } => "fine_share",
            Rule::PerDeath { .. } => "per_death",
        }
    }

    /// The rule in Chinese, with its figures.
    pub fn describe_zh(&self) -> String {
        match *self {
            Rule::FineShare {
                fine_fen,
                share_bp,
                share_fen,
                bound,
            } => {
                let base = format!(
                    "举报重大事故隐患或安全生产违法行为：按行政处罚金额{}元的{}计算为{}元",
                    yuan(fine_fen),
                    percent(share_bp),
                    yuan(share_fen)
                );
                match bound {
                    Bound::None => base,
                    Bound::Minimum => format!("{base}，低于最低奖励，按最低奖励发放"),
                    Bound::Maximum => format!("{base}，超过最高奖励，按最高奖励发放"),
                }
            }
            Rule::PerDeath {
                grade,
                deaths,
                per_death_yuan,
                capped,
            } => {
                let base = format!(
                    "举报瞒报、谎报事故：{}，查实瞒报谎报死亡{deaths}人，每人{per_death_yuan}元",
                    grade.name_zh()
                );
                if capped {
                    format!("{base}，超过最高奖励，按最高奖励发放")
                } else {
                    base
                }
            }
        }
    }

    /// The rule in English.
    pub fn describe_en(&self) -> String {
        match *self {
            Rule::FineShare {
                fine_fen,
                share_bp,
                share_fen,
                bound,
            } => {
                let base = format!(
                    "hazard or violation: {} of the fine of {} yuan is {} yuan",
                    percent(share_bp),
                    yuan(fine_fen),
                    yuan(share_fen)
                );
                match bound {
                    Bound::None => base,
                    Bound::Minimum => format!("{base}; raised to the minimum"),
                    Bound::Maximum => format!("{base}; limited to the maximum"),
                }
            }
            Rule::PerDeath {
                grade,
                deaths,
                per_death_yuan,
                capped,
            } => {
                let base = format!(
                    "concealed accident: {}, {deaths} verified concealed deaths at {per_death_yuan} yuan each",
                    grade.name_en()
                );
                if capped {
                    format!("{base}; limited to the maximum")
                } else {
                    base
                }
            }
        }
    }
}

fn percent(bp: u32) -> String {
    if bp.is_multiple_of(100) {
        format!("{}%", bp / 100)
    } else {
        format!("{}.{:02}%", bp / 100, bp % 100)
    }
}

/// The share of `fen` at `bp` basis points, rounded half up to the fen.
fn share_half_up(fen: u64, bp: u32) -> u64 {
    let exact = u128::from(fen) * u128::from(bp);
    let rounded = (exact + 5_000) / 10_000;
    u64::try_from(rounded).unwrap_or(u64::MAX)
}

/// Proposes the reward for what a verified report led to, under `rules`.
pub fn propose(rules: &RewardRules, basis: Basis) -> Proposal {
    match basis {
        Basis::Fine { fine_fen } => {
            let share_fen = share_half_up(fine_fen, rules.fine_share_bp);
            let min = rules.fine_min_yuan.saturating_mul(FEN);
            let max = rules.fine_max_yuan.saturating_mul(FEN);
            let (amount_fen, bound) = if share_fen < min {
                (min, Bound::Minimum)
            } else if share_fen > max {
                (max, Bound::Maximum)
            } else {
                (share_fen, Bound::None)
            };
            Proposal {
                amount_fen,
                rule: Rule::FineShare {
                    fine_fen,
                    share_bp: rules.fine_share_bp,
                    share_fen,
                    bound,
                },
            }
        }
        Basis::ConcealedAccident {
            grade,
            concealed_deaths,
        } => {
            let per_death_yuan = rules.per_death_yuan(grade);
            let total = per_death_yuan.saturating_mul(u64::from(concealed_deaths));
            let capped = total > rules.concealment_max_yuan;
            let total = total.min(rules.concealment_max_yuan);
            Proposal {
                amount_fen: total.saturating_mul(FEN),
                rule: Rule::PerDeath {
                    grade,
                    deaths: concealed_deaths,
                    per_death_yuan,
                    capped,
                },
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Yuan in fen.
    const fn y(yuan: u64) -> u64 {
        yuan * 100
    }

    fn fine(yuan: u64) -> Proposal {
        propose(
            &RewardRules::default(),
            Basis::Fine {
                fine_fen: yuan * 100,
            },
        )
    }

    fn concealed(grade: Grade, deaths: u32) -> Proposal {
        propose(
            &RewardRules::default(),
            Basis::ConcealedAccident {
                grade,
                concealed_deaths: deaths,
            },
        )
    }

    fn bound(p: &Proposal) -> Bound {
        match p.rule {
            Rule::FineShare { bound, .. } => bound,
            _ => panic!("not a fine share"),
        }
    }

    #[test]
    fn fine_share_bounds() {
        let p = fine(19_999);
        assert_eq!(p.amount_fen, y(3_000));
        assert_eq!(bound(&p), Bound::Minimum);
        assert!(matches!(p.rule, Rule::FineShare { share_fen, .. } if share_fen == y(2_999) + 85));
        let p = fine(20_000);
        assert_eq!((p.amount_fen, bound(&p)), (y(3_000), Bound::None));
        let p = fine(20_001);
        assert_eq!(p.amount_fen, y(3_000) + 15);
        let p = fine(100_000);
        assert_eq!((p.amount_fen, bound(&p)), (y(15_000), Bound::None));
        let p = fine(2_000_000);
        assert_eq!((p.amount_fen, bound(&p)), (y(300_000), Bound::None));
        let p = fine(2_000_001);
        assert_eq!((p.amount_fen, bound(&p)), (y(300_000), Bound::Maximum));
        let p = fine(0);
        assert_eq!((p.amount_fen, bound(&p)), (y(3_000), Bound::Minimum));
        let p = propose(&RewardRules::default(), Basis::Fine { fine_fen: u64::MAX });
        assert_eq!(p.amount_fen, y(300_000));
    }

    #[test]
    fn rounding_is_half_up_to_the_fen() {
        assert_eq!(share_half_up(3, 1500), 0); // 0.45 fen
        assert_eq!(share_half_up(10, 1500), 2); // 1.5 fen
        assert_eq!(share_half_up(9, 1500), 1); // 1.35 fen
        assert_eq!(share_half_up(y(1_999_999) + 99, 1500), 30_000_000); // 299,999.9985 yuan
        // An odd fine just above the minimum's: 20,000.03 yuan × 15% = 3,000.0045 → 3,000.00.
        let p = propose(
            &RewardRules::default(),
            Basis::Fine {
                fine_fen: y(20_000) + 3,
            },
        );
        assert_eq!(p.amount_fen, y(3_000));
        assert_eq!(bound(&p), Bound::None);
        // 20,000.04 yuan → 3,000.006 → 3,000.01.
        let p = propose(
            &RewardRules::default(),
            Basis::Fine {
                fine_fen: y(20_000) + 4,
            },
        );
        assert_eq!(p.amount_fen, y(3_000) + 1);
    }

    #[test]
    fn concealment_by_grade_and_cap() {
        assert_eq!(concealed(Grade::Ordinary, 1).amount_fen, y(30_000));
        assert_eq!(concealed(Grade::Serious, 1).amount_fen, y(40_000));
        assert_eq!(concealed(Grade::VerySerious, 1).amount_fen, y(50_000));
        assert_eq!(concealed(Grade::ExtremelySerious, 1).amount_fen, y(60_000));
        // The cap: 10 × 30,000 = 300,000 is not capped, 11 is.
        let p = concealed(Grade::Ordinary, 10);
        assert_eq!(p.amount_fen, y(300_000));
        assert!(matches!(p.rule, Rule::PerDeath { capped: false, .. }));
        let p = concealed(Grade::Ordinary, 11);
        assert_eq!(p.amount_fen, y(300_000));
        assert!(matches!(p.rule, Rule::PerDeath { capped: true, .. }));
        assert_eq!(concealed(Grade::Serious, 7).amount_fen, y(280_000));
        assert_eq!(concealed(Grade::Serious, 8).amount_fen, y(300_000));
        assert_eq!(concealed(Grade::VerySerious, 6).amount_fen, y(300_000));
        let p = concealed(Grade::ExtremelySerious, 5);
        assert!(matches!(p.rule, Rule::PerDeath { capped: false, .. }));
        let p = concealed(Grade::ExtremelySerious, 6);
        assert!(matches!(p.rule, Rule::PerDeath { capped: true, .. }));
        assert_eq!(
            concealed(Grade::ExtremelySerious, u32::MAX).amount_fen,
            y(300_000)
        );
        assert_eq!(concealed(Grade::Serious, 0).amount_fen, 0);
    }

    #[test]
    fn configurable_rules() {
        let rules = RewardRules {
            fine_share_bp: 2000,
            fine_min_yuan: 5_000,
            concealment_max_yuan: 500_000,
            ..RewardRules::default()
        };
        assert_eq!(rules.validate(), Ok(()));
        let p = propose(
            &rules,
            Basis::Fine {
                fine_fen: y(100_000),
            },
        );
        assert_eq!(p.amount_fen, y(20_000));
        let p = propose(
            &rules,
            Basis::Fine {
                fine_fen: y(10_000),
            },
        );
        assert_eq!(p.amount_fen, y(5_000));
        let p = propose(
            &rules,
            Basis::ConcealedAccident {
                grade: Grade::Ordinary,
                concealed_deaths: 11,
            },
        );
        assert_eq!(p.amount_fen, y(330_000));
        let bad = RewardRules {
            fine_share_bp: 10_001,
            ..RewardRules::default()
        };
        assert_eq!(bad.validate(), Err(RulesProblem::ShareAboveWhole));
        let bad = RewardRules {
            fine_min_yuan: 300_001,
            ..RewardRules::default()
        };
        assert_eq!(bad.validate(), Err(RulesProblem::MinAboveMax));
        assert_eq!(RewardRules::default().validate(), Ok(()));
    }

    #[test]
    fn descriptions() {
        let p = fine(19_999);
        assert_eq!(p.rule.code(), "fine_share");
        assert_eq!(
            p.rule.describe_zh(),
            "举报重大事故隐患或安全生产违法行为：按行政处罚金额19999.00元的15%计算为2999.85元，低于最低奖励，按最低奖励发放"
        );
        assert!(p.rule.describe_en().contains("raised to the minimum"));
        let p = concealed(Grade::Serious, 2);
        assert_eq!(p.rule.code(), "per_death");
        assert_eq!(
            p.rule.describe_zh(),
            "举报瞒报、谎报事故：较大事故，查实瞒报谎报死亡2人，每人40000元"
        );
        assert_eq!(percent(1250), "12.50%");
        assert_eq!(yuan(5), "0.05");
    }
}
