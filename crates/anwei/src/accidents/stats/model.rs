//! The accident statistics as answered.

use serde::{Deserialize, Serialize};

/// `GET /api/v1/accidents/stats?from=&to=&region_code=`: the first and last month of
/// occurrence (`YYYY-MM` or a day in it; default: January of `to`'s year to the current
/// month) and a GB/T 2260 code within the caller's scope (default: the caller's region).
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema, utoipa::IntoParams)]
pub struct AccidentStatsFilter {
    #[serde(default)]
    pub from: Option<String>,
    #[serde(default)]
    pub to: Option<String>,
    #[serde(default)]
    pub region_code: Option<String>,
}

/// The figures of one row of a table (a grade, a type, a section, a territory, a month), from
/// each accident's latest version.
#[derive(Debug, Clone, Default, Serialize, utoipa::ToSchema)]
pub struct Figures {
    pub key: String,
    pub label: String,
    /// 事故起数.
    pub accidents: i64,
    /// 死亡人数.
    pub deaths: i64,
    /// 重伤人数（含急性工业中毒）.
    pub serious_injuries: i64,
    /// 下落不明人数.
    pub missing: i64,
    /// 直接经济损失, yuan.
    pub direct_loss_yuan: i64,
}

impl Figures {
    pub fn add(&mut self, o: &Figures) {
        self.accidents += o.accidents;
        self.deaths += o.deaths;
        self.serious_injuries += o.serious_injuries;
        self.missing += o.missing;
        self.direct_loss_yuan += o.direct_loss_yuan;
    }
}

/// 同比: the change against the same months a year earlier, as a ratio (`-0.25`: a quarter
/// fewer); null when the earlier figure is 0.
#[derive(Debug, Clone, Default, Serialize, utoipa::ToSchema)]
pub struct YearOnYear {
    pub accidents: Option<f64>,
    pub deaths: Option<f64>,
    pub serious_injuries: Option<f64>,
    pub direct_loss_yuan: Option<f64>,
}

impl YearOnYear {
    pub fn between(now: &Figures, before: &Figures) -> YearOnYear {
        let r = |a: i64, b: i64| {
            (b > 0).then(|| ((a - b) as f64 / b as f64 * 10_000.0).round() / 10_000.0)
        };
        YearOnYear {
            accidents: r(now.accidents, before.accidents),
            deaths: r(now.deaths, before.deaths),
            serious_injuries: r(now.serious_injuries, before.serious_injuries),
            direct_loss_yuan: r(now.direct_loss_yuan, before.direct_loss_yuan),
        }
    }
}

/// The statistics of a region and period.
#[derive(Debug, Clone, Default, Serialize, utoipa::ToSchema)]
pub struct AccidentStats {
    pub region_code: String,
    pub region_name: String,
    /// `YYYY-MM`.
    pub from: String,
    pub to: String,
    pub total: Figures,
    /// The same months a year earlier.
    pub previous_from: String,
    pub previous_to: String,
    pub previous: Figures,
    pub year_on_year: YearOnYear,
    /// 特别重大, 重大, 较大, 一般 (latest grade).
    pub by_grade: Vec<Figures>,
    /// GB 6441-1986 type.
    pub by_type: Vec<Figures>,
    /// GB/T 4754 section (blank key: no industry recorded).
    pub by_industry: Vec<Figures>,
    /// Per child territory (the region itself for accidents placed at it).
    pub by_territory: Vec<Figures>,
    /// By month of occurrence, `YYYY-MM`.
    pub by_month: Vec<Figures>,
    /// 及时率 per reporting level, chain order (unit, county, city, province).
    pub on_time: Vec<LevelOnTime>,
}

/// 及时率 of one reporting level: the hops from it due in the period (their due time falls in
/// the months `from..=to`, UTC+8) and how they stand.
#[derive(Debug, Clone, Default, Serialize, utoipa::ToSchema)]
pub struct LevelOnTime {
    /// The reporting level: `unit`, `county`, `city` or `province` (the State Council level
    /// reports no further).
    pub level: String,
    /// 事故发生单位, 县级, 设区的市级, 省级.
    pub label: String,
    /// The level it reports to.
    pub to: String,
    /// Hops due in the period.
    pub due: i64,
    /// Acknowledged (or, above the city, sent) by the due time.
    pub on_time: i64,
    /// Acknowledged or sent after it (迟报).
    pub late: i64,
    /// Still open and past due now.
    pub overdue: i64,
    /// Still open, the clock still running.
    pub running: i64,
    /// `on_time / (on_time + late + overdue)`, rounded to four places; null when nothing is
    /// settled yet.
    pub rate: Option<f64>,
}
