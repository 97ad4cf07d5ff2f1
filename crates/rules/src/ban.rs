//! The principal-person ban (从业禁止): who may not be the 主要负责人 of a production unit.
//!
//! 安全生产法 第九十四条 (regulations.md §7; the wording of the older article is VERIFIED, the
//! 2021 verbatim text is from memory and matches 通安委〔2022〕10号 第十五条):
//!
//! > 生产经营单位的主要负责人依照前款规定受刑事处罚或者撤职处分的，自刑罚执行完毕或者受处分之日起，
//! > 五年内不得担任任何生产经营单位的主要负责人；对重大、特别重大生产安全事故负有责任的，终身不得
//! > 担任本行业生产经营单位的主要负责人。
//!
//! **The five years.** "自…之日起，五年内" is counted as the 民法典 counts periods (第二百零一条:
//! the starting day is not counted; 第二百零二条: a period in years ends on the corresponding day
//! of the last year, or the last day of the month when there is none). So a penalty ending on
//! 2020-03-10 bans the person up to and including 2025-03-10; from 2025-03-11 they may serve.
//! A penalty ending on 2020-02-29 bans up to 2025-02-28. Before the penalty's end date the
//! person is refused too (the ban runs on from it). `Verdict::until` is the last banned day.
//!
//! **本行业.** An industry is a GB/T 4754-2017 code, a section (门类, `C`) or a division (大类,
//! `C26`). Two industries are the same when both are divisions and equal; when either is only
//! a section, they are the same when their sections are equal. Matching by division keeps a
//! chemical plant's principal (C26) free to run a food factory (C13), which is what 本行业 reads
//! as; falling back to the section when one side is coarser refuses rather than lets through.

use chrono::{Months, NaiveDate};

use crate::accident::Grade;
use crate::enterprise::{CodeProblem, Industry, id_number_valid, normalise};

vocabulary! {
    /// The penalty that starts a five-year ban.
    Penalty {
        /// 撤职处分 (the ban runs from 受处分之日).
        Removal => ("removal", "撤职处分", "removal from post"),
        /// 刑事处罚 (the ban runs from 刑罚执行完毕之日).
        Criminal => ("criminal", "刑事处罚", "criminal penalty"),
    }
}

/// Why a person is on the registry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ground {
    /// A penalty: banned from being the principal of any unit for five years from `from`
    /// (the day of the removal, or the day the criminal penalty was fully executed).
    Penalty { penalty: Penalty, from: NaiveDate },
    /// Responsibility for an accident of `grade` in `industry`: banned for life from being the
    /// principal of a unit in that industry when the grade is 重大 or 特别重大; a record of a
    /// lower grade bans nobody.
    Responsibility { grade: Grade, industry: Industry },
}

/// A registry entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    /// 公民身份号码 (compared after [`normalise`]).
    pub id_number: String,
    pub ground: Ground,
}

/// Why a person is banned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    /// Five years after a penalty, up to `until` (included).
    FiveYears {
        penalty: Penalty,
        from: NaiveDate,
        until: NaiveDate,
    },
    /// For life in an industry.
    Lifetime { grade: Grade, industry: Industry },
}

impl Reason {
    /// Translation key.
    pub fn key(&self) -> &'static str {
        match self {
            Reason::FiveYears { .. } => "ban.five_years",
            Reason::Lifetime { .. } => "ban.lifetime",
        }
    }

    /// The reason in Chinese.
    pub fn message_zh(&self) -> String {
        match self {
            Reason::FiveYears {
                penalty,
                from,
                until,
            } => format!(
                "{from}受{}，{until}前（含当日）不得担任任何生产经营单位的主要负责人（安全生产法第九十四条）",
                penalty.name_zh()
            ),
            Reason::Lifetime { grade, industry } => format!(
                "对{}负有责任，终身不得担任本行业（{} {}）生产经营单位的主要负责人（安全生产法第九十四条）",
                grade.name_zh(),
                industry.code(),
                industry.name_zh()
            ),
        }
    }

    /// The reason in English.
    pub fn message_en(&self) -> String {
        match self {
            Reason::FiveYears {
                penalty,
                from,
                until,
            } => format!(
                "{} on {from}: may not be the principal of any production unit up to and including {until}",
                penalty.name_en()
            ),
            Reason::Lifetime { grade, industry } => format!(
                "responsible for a {}: may never be the principal of a unit in industry {}",
                grade.name_en(),
                industry.code()
            ),
        }
    }
}

/// The outcome of a check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Verdict {
    pub banned: bool,
    /// The last banned day of a five-year ban; `None` when not banned or banned for life.
    pub until: Option<NaiveDate>,
    pub reason: Option<Reason>,
}

impl Verdict {
    const CLEAR: Verdict = Verdict {
        banned: false,
        until: None,
        reason: None,
    };
}

/// The last banned day of a five-year ban starting `from` (see the module's counting).
pub fn five_year_last_day(from: NaiveDate) -> NaiveDate {
    from.checked_add_months(Months::new(60))
        .unwrap_or(NaiveDate::MAX)
}

/// Whether two industries are the same industry (本行业; see the module's matching rule).
pub fn same_industry(a: Industry, b: Industry) -> bool {
    match (a.division(), b.division()) {
        (Some(x), Some(y)) => x == y,
        _ => a.section() == b.section(),
    }
}

/// Whether the person with `id_number` may not be the principal of a unit in `industry` on
/// `today`, checked against `records`. A lifetime ban wins over a five-year one; of several
/// five-year bans the one lasting longest is reported. A wrong ID number is refused.
pub fn check(
    records: &[Record],
    id_number: &str,
    industry: Industry,
    today: NaiveDate,
) -> Result<Verdict, CodeProblem> {
    id_number_valid(id_number)?;
    let id = normalise(id_number);
    let mut verdict = Verdict::CLEAR;
    for record in records.iter().filter(|r| normalise(&r.id_number) == id) {
        match record.ground {
            Ground::Responsibility {
                grade,
                industry: theirs,
            } => {
                if grade >= Grade::VerySerious && same_industry(theirs, industry) {
                    return Ok(Verdict {
                        banned: true,
                        until: None,
                        reason: Some(Reason::Lifetime {
                            grade,
                            industry: theirs,
                        }),
                    });
                }
            }
            Ground::Penalty { penalty, from } => {
                let until = five_year_last_day(from);
                if today <= until && verdict.until.is_none_or(|u| until > u) {
                    verdict = Verdict {
                        banned: true,
                        until: Some(until),
                        reason: Some(Reason::FiveYears {
                            penalty,
                            from,
                            until,
                        }),
                    };
                }
            }
        }
    }
    Ok(verdict)
}

#[cfg(test)]
mod tests {
    use super::*;

    const ID: &str = "11010519491231002X";
    const OTHER: &str = "110105194912310029";

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn ind(code: &str) -> Industry {
        Industry::parse(code).unwrap()
    }

    fn penalty(penalty: Penalty, from: &str) -> Record {
        Record {
            id_number: ID.into(),
            ground: Ground::Penalty {
                penalty,
                from: d(from),
            },
        }
    }

    fn responsibility(grade: Grade, industry: &str) -> Record {
        Record {
            id_number: ID.into(),
            ground: Ground::Responsibility {
                grade,
                industry: ind(industry),
            },
        }
    }

    #[test]
    fn the_ids_used_are_valid() {
        assert_eq!(id_number_valid(ID), Ok(()));
        assert!(id_number_valid(OTHER).is_err());
    }

    #[test]
    fn five_years_boundary() {
        for p in Penalty::ALL {
            let records = [penalty(*p, "2020-03-10")];
            let on = |day| check(&records, ID, ind("C26"), d(day)).unwrap();
            let v = on("2025-03-10");
            assert!(v.banned, "the anniversary is the last banned day");
            assert_eq!(v.until, Some(d("2025-03-10")));
            assert_eq!(
                v.reason,
                Some(Reason::FiveYears {
                    penalty: *p,
                    from: d("2020-03-10"),
                    until: d("2025-03-10")
                })
            );
            assert!(!on("2025-03-11").banned, "free the day after");
            assert_eq!(on("2025-03-11").until, None);
            assert!(on("2020-03-10").banned);
            assert!(on("2019-01-01").banned, "before the penalty's end too");
            // Any industry.
            assert!(
                check(&records, ID, ind("A"), d("2024-01-01"))
                    .unwrap()
                    .banned
            );
        }
        assert_eq!(five_year_last_day(d("2020-02-29")), d("2025-02-28"));
        let records = [penalty(Penalty::Criminal, "2020-02-29")];
        assert!(
            check(&records, ID, ind("C"), d("2025-02-28"))
                .unwrap()
                .banned
        );
        assert!(
            !check(&records, ID, ind("C"), d("2025-03-01"))
                .unwrap()
                .banned
        );
    }

    #[test]
    fn the_longest_five_year_ban_is_reported() {
        let records = [
            penalty(Penalty::Removal, "2021-01-01"),
            penalty(Penalty::Criminal, "2022-06-30"),
            penalty(Penalty::Removal, "2020-01-01"),
        ];
        let v = check(&records, ID, ind("C26"), d("2025-06-01")).unwrap();
        assert_eq!(v.until, Some(d("2027-06-30")));
        assert!(matches!(
            v.reason,
            Some(Reason::FiveYears {
                penalty: Penalty::Criminal,
                ..
            })
        ));
    }

    #[test]
    fn lifetime_in_the_same_industry_only() {
        for grade in [Grade::VerySerious, Grade::ExtremelySerious] {
            let records = [responsibility(grade, "C26")];
            let v = check(&records, ID, ind("C26"), d("2060-01-01")).unwrap();
            assert!(v.banned);
            assert_eq!(v.until, None);
            assert_eq!(
                v.reason,
                Some(Reason::Lifetime {
                    grade,
                    industry: ind("C26")
                })
            );
            assert!(
                !check(&records, ID, ind("C13"), d("2030-01-01"))
                    .unwrap()
                    .banned
            );
            assert!(
                !check(&records, ID, ind("B06"), d("2030-01-01"))
                    .unwrap()
                    .banned
            );
            // Coarser side: matched by section.
            assert!(
                check(&records, ID, ind("C"), d("2030-01-01"))
                    .unwrap()
                    .banned
            );
            assert!(
                !check(&records, ID, ind("B"), d("2030-01-01"))
                    .unwrap()
                    .banned
            );
        }
        let records = [responsibility(Grade::VerySerious, "B")];
        assert!(
            check(&records, ID, ind("B06"), d("2030-01-01"))
                .unwrap()
                .banned
        );
        // 较大 and 一般 ban nobody under this rule.
        for grade in [Grade::Serious, Grade::Ordinary] {
            let records = [responsibility(grade, "C26")];
            assert_eq!(
                check(&records, ID, ind("C26"), d("2030-01-01")).unwrap(),
                Verdict::CLEAR
            );
        }
    }

    #[test]
    fn lifetime_wins_over_five_years() {
        let records = [
            penalty(Penalty::Removal, "2024-01-01"),
            responsibility(Grade::VerySerious, "E47"),
        ];
        let v = check(&records, ID, ind("E47"), d("2025-01-01")).unwrap();
        assert_eq!(v.until, None);
        assert!(matches!(v.reason, Some(Reason::Lifetime { .. })));
        let v = check(&records, ID, ind("C26"), d("2025-01-01")).unwrap();
        assert_eq!(v.until, Some(d("2029-01-01")));
    }

    #[test]
    fn other_people_and_bad_numbers() {
        let records = [penalty(Penalty::Removal, "2024-01-01")];
        let lower = ID.to_lowercase();
        assert!(
            check(&records, &lower, ind("C"), d("2025-01-01"))
                .unwrap()
                .banned
        );
        assert!(
            check(&records, &format!(" {ID} "), ind("C"), d("2025-01-01"))
                .unwrap()
                .banned
        );
        let someone = "110105194912310011";
        assert_eq!(id_number_valid(someone), Ok(()));
        assert_eq!(
            check(&records, someone, ind("C"), d("2025-01-01")).unwrap(),
            Verdict::CLEAR
        );
        assert!(matches!(
            check(&records, OTHER, ind("C"), d("2025-01-01")),
            Err(CodeProblem::WrongCheck { .. })
        ));
        assert!(check(&records, "123", ind("C"), d("2025-01-01")).is_err());
    }

    #[test]
    fn messages() {
        let r = Reason::FiveYears {
            penalty: Penalty::Removal,
            from: d("2020-03-10"),
            until: d("2025-03-10"),
        };
        assert_eq!(
            r.message_zh(),
            "2020-03-10受撤职处分，2025-03-10前（含当日）不得担任任何生产经营单位的主要负责人（安全生产法第九十四条）"
        );
        assert_eq!(r.key(), "ban.five_years");
        let r = Reason::Lifetime {
            grade: Grade::VerySerious,
            industry: ind("C26"),
        };
        assert!(
            r.message_zh()
                .contains("对重大事故负有责任，终身不得担任本行业（C26 ")
        );
        assert!(r.message_en().contains("C26"));
    }
}
