//! Production-safety accidents (生产安全事故): grades, supplementary reports, missing persons,
//! the reporting chain and its clocks, investigation deadlines, fines and assessment inputs.
//!
//! Sources (regulations.md §1, §7; all VERIFIED there against reprints unless said otherwise):
//!
//! - Grades: 《生产安全事故报告和调查处理条例》(国务院令第493号, the 条例) 第三条; "以上" includes
//!   the boundary, "以下" excludes it. The highest of the three criteria decides
//!   (《关于生产安全事故调查处理中有关问题的规定》安监总政法〔2013〕115号 第三条).
//! - Missing persons counted as deaths after the window and regraded: 115号 第三条.
//! - Supplementary reports (补报/续报): 条例 第十三条, 30 days, 7 for road traffic and fire.
//! - The chain and its clocks: 条例 第九条 to 第十一条 — see [`chain`].
//! - Investigation and approval deadlines: 条例 第十九条, 第二十九条, 第三十二条 — see
//!   [`investigation`].
//! - Fines and 一票否决 / 一票否优: 安全生产法 (2021) 第九十五条, 第一百一十四条; 通安委〔2022〕10号
//!   第十二条 — see [`liability`].
//!
//! **Day counting.** A period "自事故发生之日起N日" is counted as the 民法典 第二百零一条 counts
//! periods in days (开始的当日不计入，自下一日开始计算): the last day of the period is the
//! accident's date plus N days, and it is included. "N日后" begins the day after that last day.
//! The 条例 does not say how to count; this convention is the general rule of Chinese law (its
//! article number is from memory, not from regulations.md).

use chrono::{Days, NaiveDate};

pub mod chain;
pub mod investigation;
pub mod liability;

vocabulary! {
    /// 事故等级 (条例 第三条), lowest first, so that `max()` is the more serious grade.
    Grade {
        /// 一般事故.
        Ordinary => ("ordinary", "一般事故", "ordinary accident"),
        /// 较大事故.
        Serious => ("serious", "较大事故", "serious accident"),
        /// 重大事故.
        VerySerious => ("very_serious", "重大事故", "very serious accident"),
        /// 特别重大事故.
        ExtremelySerious => ("extremely_serious", "特别重大事故", "extremely serious accident"),
    }
}

vocabulary! {
    /// The three criteria of 条例 第三条.
    Measure {
        /// 死亡人数.
        Deaths => ("deaths", "死亡人数", "deaths"),
        /// 重伤人数（包括急性工业中毒）.
        SeriousInjuries => ("serious_injuries", "重伤人数（含急性工业中毒）", "serious injuries (incl. acute industrial poisoning)"),
        /// 直接经济损失 (yuan; GB 6721, proposed by the unit and confirmed by the investigating
        /// department, 115号 第三条).
        DirectLoss => ("direct_loss", "直接经济损失", "direct economic loss"),
    }
}

vocabulary! {
    /// What kind of accident, as far as the 条例's windows care (第十三条, 115号 第三条): road
    /// traffic (道路交通事故) and fire (火灾事故) accidents have a 7-day window, every other a
    /// 30-day one. This is not the GB 6441 type (`hazard::AccidentType`): a 车辆伤害 inside a
    /// plant is not a 道路交通事故, so the reporter chooses the category.
    Category {
        /// 道路交通事故.
        RoadTraffic => ("road_traffic", "道路交通事故", "road traffic accident"),
        /// 火灾事故.
        Fire => ("fire", "火灾事故", "fire accident"),
        /// Any other production-safety accident.
        Other => ("other", "其他生产安全事故", "other production-safety accident"),
    }
}

impl Measure {
    /// The unit the measure is counted in, in Chinese (人 / 元).
    pub fn unit_zh(&self) -> &'static str {
        match self {
            Measure::Deaths | Measure::SeriousInjuries => "人",
            Measure::DirectLoss => "元",
        }
    }

    /// The lower bound (以上, included) of `grade` for this measure; `None` for 一般, which has
    /// no lower bound (any death, serious injury or loss is at least 一般).
    pub fn threshold(&self, grade: Grade) -> Option<u64> {
        let (d, s, l) = match grade {
            Grade::ExtremelySerious => (30, 100, 100_000_000),
            Grade::VerySerious => (10, 50, 50_000_000),
            Grade::Serious => (3, 10, 10_000_000),
            Grade::Ordinary => return None,
        };
        Some(match self {
            Measure::Deaths => d,
            Measure::SeriousInjuries => s,
            Measure::DirectLoss => l,
        })
    }

    /// The grade this measure alone gives `value`, with the threshold reached (`None` for 一般).
    pub fn grade_of(&self, value: u64) -> (Grade, Option<u64>) {
        for grade in Grade::ALL.iter().rev() {
            if let Some(t) = self.threshold(*grade)
                && value >= t
            {
                return (*grade, Some(t));
            }
        }
        (Grade::Ordinary, None)
    }
}

/// The figures of an accident that the rules read (条例 第十二条（四）).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct Casualties {
    /// 死亡人数.
    pub deaths: u32,
    /// 重伤人数, including 急性工业中毒.
    pub serious_injuries: u32,
    /// 下落不明（失踪）人数: not a criterion until counted as deaths (see [`missing_regrade`]).
    pub missing: u32,
    /// 直接经济损失 in whole yuan.
    pub direct_loss_yuan: u64,
}

impl Casualties {
    /// The value of one measure.
    pub fn value(&self, measure: Measure) -> u64 {
        match measure {
            Measure::Deaths => u64::from(self.deaths),
            Measure::SeriousInjuries => u64::from(self.serious_injuries),
            Measure::DirectLoss => self.direct_loss_yuan,
        }
    }
}

/// The criterion that decided a grade.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Criterion {
    /// The measure whose grade is the accident's.
    pub measure: Measure,
    /// The threshold it reached (以上, included); `None` for 一般 (no measure reached 较大).
    pub threshold: Option<u64>,
    /// The measure's value.
    pub value: u64,
}

impl Criterion {
    /// A stable code: `deaths>=10`, `direct_loss>=10000000`, or `below_serious` for 一般.
    pub fn code(&self) -> String {
        match self.threshold {
            Some(t) => format!("{}>={t}", self.measure.code()),
            None => "below_serious".to_owned(),
        }
    }

    /// The criterion in Chinese: 死亡人数 12人，达到10人以上 / 各项均未达到较大事故标准.
    pub fn describe_zh(&self) -> String {
        let unit = self.measure.unit_zh();
        match self.threshold {
            Some(t) => format!(
                "{}{}{unit}，达到{t}{unit}以上",
                self.measure.name_zh(),
                self.value
            ),
            None => "死亡、重伤和直接经济损失均未达到较大事故标准".to_owned(),
        }
    }

    /// The criterion in English.
    pub fn describe_en(&self) -> String {
        match self.threshold {
            Some(t) => format!(
                "{} {} reached {t} or more",
                self.measure.name_en(),
                self.value
            ),
            None => "deaths, serious injuries and direct loss all below the serious grade".into(),
        }
    }
}

/// A grade and the criterion that decided it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Grading {
    pub grade: Grade,
    pub criterion: Criterion,
}

/// Grades an accident (条例 第三条; 115号 第三条): each measure gives a grade, the highest wins.
/// When several measures give the same highest grade, the criterion named is the first of
/// deaths, serious injuries, direct loss. For 一般 the criterion is `below_serious`, naming the
/// deaths. Missing persons do not count here (see [`missing_regrade`]).
pub fn grade(c: &Casualties) -> Grading {
    let mut best: Option<Grading> = None;
    for measure in Measure::ALL {
        let value = c.value(*measure);
        let (grade, threshold) = measure.grade_of(value);
        if best.is_none_or(|b| grade > b.grade) {
            best = Some(Grading {
                grade,
                criterion: Criterion {
                    measure: *measure,
                    threshold,
                    value,
                },
            });
        }
    }
    best.expect("three measures")
}

impl Category {
    /// The supplementary-report window in days (条例 第十三条): 7 for road traffic and fire,
    /// 30 otherwise.
    pub fn window_days(&self) -> u32 {
        match self {
            Category::RoadTraffic | Category::Fire => 7,
            Category::Other => 30,
        }
    }
}

/// The last day (included) on which a change in casualties is a 补报 and regrades the accident:
/// the accident's date plus the window (see the module's day counting).
pub fn window_last_day(occurred_on: NaiveDate, category: Category) -> NaiveDate {
    occurred_on + Days::new(u64::from(category.window_days()))
}

/// Whether `today` is inside the supplementary-report window.
pub fn in_window(occurred_on: NaiveDate, category: Category, today: NaiveDate) -> bool {
    today >= occurred_on && today <= window_last_day(occurred_on, category)
}

/// The first day on which missing persons count as deaths (115号 第三条, "30日后", 7 for road
/// traffic and fire): the day after [`window_last_day`].
pub fn missing_count_as_dead_from(occurred_on: NaiveDate, category: Category) -> NaiveDate {
    window_last_day(occurred_on, category) + Days::new(1)
}

/// The regrade of the missing-person rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct MissingRegrade {
    /// The day the rule applies from.
    pub effective_from: NaiveDate,
    /// The figures with the missing counted as deaths (missing 0).
    pub casualties: Casualties,
    /// The grade of those figures.
    pub grading: Grading,
}

/// When and what the grade becomes once missing persons count as deaths: `None` when nobody is
/// missing. The regrade applies from `effective_from` ([`missing_count_as_dead_from`]); a job
/// runs it on that day, and [`missing_regrade_due`] says whether it is due.
pub fn missing_regrade(
    c: &Casualties,
    occurred_on: NaiveDate,
    category: Category,
) -> Option<MissingRegrade> {
    if c.missing == 0 {
        return None;
    }
    let casualties = Casualties {
        deaths: c.deaths.saturating_add(c.missing),
        missing: 0,
        ..*c
    };
    Some(MissingRegrade {
        effective_from: missing_count_as_dead_from(occurred_on, category),
        casualties,
        grading: grade(&casualties),
    })
}

/// The missing-person regrade when it is due on `today`, else `None`.
pub fn missing_regrade_due(
    c: &Casualties,
    occurred_on: NaiveDate,
    category: Category,
    today: NaiveDate,
) -> Option<MissingRegrade> {
    missing_regrade(c, occurred_on, category).filter(|r| today >= r.effective_from)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(deaths: u32, serious_injuries: u32, direct_loss_yuan: u64) -> Casualties {
        Casualties {
            deaths,
            serious_injuries,
            missing: 0,
            direct_loss_yuan,
        }
    }

    fn g(deaths: u32, injuries: u32, loss: u64) -> Grade {
        grade(&c(deaths, injuries, loss)).grade
    }

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    use Grade::*;

    #[test]
    fn deaths_boundaries() {
        assert_eq!(g(0, 0, 0), Ordinary);
        assert_eq!(g(2, 0, 0), Ordinary);
        assert_eq!(g(3, 0, 0), Serious);
        assert_eq!(g(9, 0, 0), Serious);
        assert_eq!(g(10, 0, 0), VerySerious);
        assert_eq!(g(29, 0, 0), VerySerious);
        assert_eq!(g(30, 0, 0), ExtremelySerious);
        assert_eq!(g(u32::MAX, 0, 0), ExtremelySerious);
    }

    #[test]
    fn serious_injury_boundaries() {
        assert_eq!(g(0, 9, 0), Ordinary);
        assert_eq!(g(0, 10, 0), Serious);
        assert_eq!(g(0, 49, 0), Serious);
        assert_eq!(g(0, 50, 0), VerySerious);
        assert_eq!(g(0, 99, 0), VerySerious);
        assert_eq!(g(0, 100, 0), ExtremelySerious);
    }

    #[test]
    fn direct_loss_boundaries() {
        assert_eq!(g(0, 0, 9_999_999), Ordinary);
        assert_eq!(g(0, 0, 10_000_000), Serious);
        assert_eq!(g(0, 0, 49_999_999), Serious);
        assert_eq!(g(0, 0, 50_000_000), VerySerious);
        assert_eq!(g(0, 0, 99_999_999), VerySerious);
        assert_eq!(g(0, 0, 100_000_000), ExtremelySerious);
        assert_eq!(g(0, 0, u64::MAX), ExtremelySerious);
    }

    #[test]
    fn the_highest_criterion_wins_and_is_named() {
        // 2 deaths (一般), 10 injuries (较大), 9,999,999 yuan (一般) → 较大 by injuries.
        let r = grade(&c(2, 10, 9_999_999));
        assert_eq!(r.grade, Serious);
        assert_eq!(r.criterion.measure, Measure::SeriousInjuries);
        assert_eq!(r.criterion.threshold, Some(10));
        assert_eq!(r.criterion.value, 10);
        assert_eq!(r.criterion.code(), "serious_injuries>=10");
        // 3 deaths (较大), 50 injuries (重大), 100,000,000 yuan (特别重大) → 特别重大 by loss.
        let r = grade(&c(3, 50, 100_000_000));
        assert_eq!(r.grade, ExtremelySerious);
        assert_eq!(r.criterion.measure, Measure::DirectLoss);
        assert_eq!(r.criterion.code(), "direct_loss>=100000000");
        assert_eq!(
            r.criterion.describe_zh(),
            "直接经济损失100000000元，达到100000000元以上"
        );
        // 12 deaths (重大), 9 injuries, 50,000,000 (重大): tie → deaths named first.
        let r = grade(&c(12, 9, 50_000_000));
        assert_eq!(r.grade, VerySerious);
        assert_eq!(r.criterion.measure, Measure::Deaths);
        assert_eq!(r.criterion.describe_zh(), "死亡人数12人，达到10人以上");
        // A tie of injuries and loss, deaths lower: injuries named.
        let r = grade(&c(0, 60, 60_000_000));
        assert_eq!(r.criterion.measure, Measure::SeriousInjuries);
        // Nothing reaches 较大.
        let r = grade(&c(2, 9, 9_999_999));
        assert_eq!(r.grade, Ordinary);
        assert_eq!(r.criterion.threshold, None);
        assert_eq!(r.criterion.code(), "below_serious");
        // Every combination of one value per measure: the grade is the maximum.
        let deaths = [0, 2, 3, 9, 10, 29, 30];
        let injuries = [0, 9, 10, 49, 50, 99, 100];
        let losses = [
            0,
            9_999_999,
            10_000_000,
            49_999_999,
            50_000_000,
            99_999_999,
            100_000_000,
        ];
        for dd in deaths {
            for ii in injuries {
                for ll in losses {
                    let want = Measure::Deaths
                        .grade_of(u64::from(dd))
                        .0
                        .max(Measure::SeriousInjuries.grade_of(u64::from(ii)).0)
                        .max(Measure::DirectLoss.grade_of(ll).0);
                    let r = grade(&c(dd, ii, ll));
                    assert_eq!(r.grade, want, "{dd} {ii} {ll}");
                    let (mg, _) = r.criterion.measure.grade_of(r.criterion.value);
                    assert_eq!(mg, want, "the named criterion gives the grade");
                }
            }
        }
    }

    #[test]
    fn missing_persons_do_not_grade_until_counted() {
        let figures = Casualties {
            deaths: 2,
            serious_injuries: 0,
            missing: 1,
            direct_loss_yuan: 0,
        };
        assert_eq!(grade(&figures).grade, Ordinary);
        let r = missing_regrade(&figures, d("2026-06-01"), Category::Other).unwrap();
        assert_eq!(r.effective_from, d("2026-07-02"));
        assert_eq!(r.casualties.deaths, 3);
        assert_eq!(r.casualties.missing, 0);
        assert_eq!(r.grading.grade, Serious);
        assert_eq!(r.grading.criterion.code(), "deaths>=3");
        // Due the day after the window's last day, not on it.
        let due = |day| missing_regrade_due(&figures, d("2026-06-01"), Category::Other, d(day));
        assert_eq!(due("2026-07-01"), None);
        assert_eq!(due("2026-07-02"), Some(r));
        assert!(due("2027-01-01").is_some());
        // Road traffic and fire: 7 days.
        let r = missing_regrade(&figures, d("2026-06-01"), Category::RoadTraffic).unwrap();
        assert_eq!(r.effective_from, d("2026-06-09"));
        let r = missing_regrade(&figures, d("2026-06-01"), Category::Fire).unwrap();
        assert_eq!(r.effective_from, d("2026-06-09"));
        // Nobody missing: nothing to do.
        assert_eq!(
            missing_regrade(&c(5, 0, 0), d("2026-06-01"), Category::Other),
            None
        );
        // 8 dead + 2 missing: 较大 becomes 重大.
        let figures = Casualties {
            deaths: 8,
            missing: 2,
            ..Casualties::default()
        };
        let r = missing_regrade(&figures, d("2026-06-01"), Category::Other).unwrap();
        assert_eq!(
            (grade(&figures).grade, r.grading.grade),
            (Serious, VerySerious)
        );
    }

    #[test]
    fn supplementary_windows() {
        assert_eq!(Category::Other.window_days(), 30);
        assert_eq!(Category::RoadTraffic.window_days(), 7);
        assert_eq!(Category::Fire.window_days(), 7);
        let on = d("2026-06-01");
        assert_eq!(window_last_day(on, Category::Other), d("2026-07-01"));
        assert!(in_window(on, Category::Other, d("2026-06-01")));
        assert!(in_window(on, Category::Other, d("2026-07-01")));
        assert!(!in_window(on, Category::Other, d("2026-07-02")));
        for cat in [Category::RoadTraffic, Category::Fire] {
            assert_eq!(window_last_day(on, cat), d("2026-06-08"));
            assert!(in_window(on, cat, d("2026-06-08")), "{cat}");
            assert!(!in_window(on, cat, d("2026-06-09")), "{cat}");
        }
        assert!(!in_window(on, Category::Other, d("2026-05-31")));
        // Across a year end.
        assert_eq!(
            window_last_day(d("2026-12-20"), Category::Other),
            d("2027-01-19")
        );
    }

    #[test]
    fn vocabularies() {
        assert!(ExtremelySerious > VerySerious && VerySerious > Serious && Serious > Ordinary);
        assert_eq!(Grade::parse("extremely_serious"), Some(ExtremelySerious));
        assert_eq!(Grade::parse("very_serious").unwrap().name_zh(), "重大事故");
        assert_eq!(Serious.name_zh(), "较大事故");
        assert_eq!(Ordinary.code(), "ordinary");
        assert_eq!(Category::parse("road_traffic"), Some(Category::RoadTraffic));
        assert!(Grade::try_from("minor".to_string()).is_err());
        assert_eq!(Measure::Deaths.threshold(Ordinary), None);
        assert_eq!(
            Measure::DirectLoss.grade_of(10_000_000),
            (Serious, Some(10_000_000))
        );
    }
}
