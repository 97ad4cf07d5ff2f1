//! Inspections (检查记录) and campaigns (大检查、专项整治、打非治违), articles 十六 and 十七 of
//! 通安委〔2022〕10号: the kinds of inspection and campaign, the place types a campaign's scope
//! names, the two-officer rule of an enforcement inspection, and the unlisted-major-hazard rule.
//!
//! - Two officers: 《行政处罚法》(2021) 第四十二条 — 执法人员不得少于两人 — and 《安全生产法》
//!   (2021) 第六十五条 on 监督检查; an enforcement inspection (行政执法检查) needs at least
//!   [`MIN_ENFORCEMENT_OFFICERS`].
//! - The unlisted major hazard: article 十七 — 对大检查中未列入清单、检查后发生的重大风险隐患，
//!   一律按事故对待 (see [`unlisted`]).

use chrono::NaiveDate;

vocabulary! {
    /// What an inspection is: a routine check, or an administrative enforcement inspection.
    InspectionKind {
        Routine => ("routine", "日常检查", "routine inspection"),
        Enforcement => ("enforcement", "行政执法检查", "enforcement inspection"),
    }
}

vocabulary! {
    /// What a campaign is (article 十七 names all three).
    CampaignKind {
        GeneralInspection => ("general_inspection", "大检查", "general inspection"),
        SpecialRectification => ("special_rectification", "专项整治", "special rectification"),
        IllegalActivities => ("illegal_activities", "打非治违", "crackdown on illegal activities"),
    }
}

vocabulary! {
    /// Place types a campaign's scope names (article 十七's list, and the places of 新业态); an
    /// enterprise carries any number of them. No national code list exists: this vocabulary is
    /// the platform's.
    PlaceType {
        CrowdedPlace => ("crowded_place", "人员密集场所", "crowded place"),
        HighRise => ("high_rise", "高层建筑", "high-rise building"),
        SelfBuiltHouse => ("self_built_house", "自建房", "self-built house"),
        GroupRental => ("group_rental", "群租房", "group rental"),
        NewBusiness => ("new_business", "新业态", "new business form"),
        HazardousChemicals => ("hazardous_chemicals", "危险化学品场所", "hazardous chemicals site"),
        ConstructionSite => ("construction_site", "建筑施工工地", "construction site"),
        UndergroundSpace => ("underground_space", "地下空间", "underground space"),
    }
}

/// An enforcement inspection needs at least two officers (《行政处罚法》第四十二条).
pub const MIN_ENFORCEMENT_OFFICERS: usize = 2;

/// True when an inspection of `kind` with `officers` distinct officers is allowed.
pub fn enough_officers(kind: InspectionKind, officers: usize) -> bool {
    match kind {
        InspectionKind::Enforcement => officers >= MIN_ENFORCEMENT_OFFICERS,
        InspectionKind::Routine => officers >= 1,
    }
}

/// Reads a comma-separated list of place-type codes; the first unknown code is the error.
pub fn parse_place_types(text: &str) -> Result<Vec<PlaceType>, String> {
    let mut out = Vec::new();
    for code in text.split(',').map(str::trim).filter(|c| !c.is_empty()) {
        let t = PlaceType::parse(code).ok_or_else(|| code.to_string())?;
        if !out.contains(&t) {
            out.push(t);
        }
    }
    out.sort();
    Ok(out)
}

/// The stored form of place types: their codes, comma-separated, in vocabulary order.
pub fn place_types_text(types: &[PlaceType]) -> String {
    types
        .iter()
        .map(PlaceType::code)
        .collect::<Vec<_>>()
        .join(",")
}

/// An earlier inspection at the enterprise, as the unlisted rule sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Earlier {
    pub id: i64,
    pub date: NaiveDate,
    /// It was part of a campaign (大检查 and the like).
    pub in_campaign: bool,
    /// It registered a major hazard at the enterprise.
    pub found_major: bool,
}

/// Article 十七: a major hazard found on `found_on` at an enterprise that a campaign inspection
/// covered on or before that day without finding a major hazard is to be handled as an accident
/// (按事故对待). Returns the latest such inspection; `own` is the inspection that registered
/// this hazard (never counted against itself). A general hazard is never flagged.
pub fn unlisted(
    major: bool,
    found_on: NaiveDate,
    own: Option<i64>,
    earlier: &[Earlier],
) -> Option<Earlier> {
    if !major {
        return None;
    }
    earlier
        .iter()
        .filter(|e| e.in_campaign && !e.found_major && e.date <= found_on)
        .filter(|e| Some(e.id) != own)
        .max_by_key(|e| (e.date, e.id))
        .copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().expect("date")
    }

    fn e(id: i64, date: &str, in_campaign: bool, found_major: bool) -> Earlier {
        Earlier {
            id,
            date: d(date),
            in_campaign,
            found_major,
        }
    }

    #[test]
    fn enforcement_needs_two_officers() {
        assert!(!enough_officers(InspectionKind::Enforcement, 1));
        assert!(enough_officers(InspectionKind::Enforcement, 2));
        assert!(enough_officers(InspectionKind::Routine, 1));
        assert!(!enough_officers(InspectionKind::Routine, 0));
    }

    #[test]
    fn place_types_read_and_written() {
        let t = parse_place_types(" high_rise,crowded_place,high_rise ").expect("known");
        assert_eq!(t, vec![PlaceType::CrowdedPlace, PlaceType::HighRise]);
        assert_eq!(place_types_text(&t), "crowded_place,high_rise");
        assert_eq!(parse_place_types("castle"), Err("castle".to_string()));
        assert_eq!(parse_place_types(""), Ok(vec![]));
    }

    #[test]
    fn the_unlisted_rule() {
        let found = d("2022-06-10");
        let campaign = e(1, "2022-05-01", true, false);
        assert_eq!(unlisted(true, found, None, &[campaign]), Some(campaign));
        // A general hazard is never flagged.
        assert_eq!(unlisted(false, found, None, &[campaign]), None);
        // An inspection outside any campaign does not count.
        assert_eq!(
            unlisted(true, found, None, &[e(2, "2022-05-01", false, false)]),
            None
        );
        // One that found a major hazard did list it.
        assert_eq!(
            unlisted(true, found, None, &[e(3, "2022-05-01", true, true)]),
            None
        );
        // Later than the finding: not earlier.
        assert_eq!(
            unlisted(true, found, None, &[e(4, "2022-06-11", true, false)]),
            None
        );
        // The inspection that registers the hazard is not held against itself.
        assert_eq!(unlisted(true, found, Some(1), &[campaign]), None);
        // The latest one is shown.
        let later = e(5, "2022-06-01", true, false);
        assert_eq!(unlisted(true, found, None, &[campaign, later]), Some(later));
    }
}
