//! 管行业必须管安全: which sectors' departments supervise an enterprise, by its industry.
//!
//! 《中华人民共和国安全生产法》第十条 gives the 负有安全生产监督管理职责的部门 by 行业、领域; the
//! local 安全生产监督管理职责分工 names which department covers which trade. No national table
//! maps GB/T 4754 codes to departments, so [`DEFAULT_MAP`] is the common division of duties
//! (应急 for 工贸 and 危化, 住建 for construction and gas, 交通运输 for transport, …) as a
//! default the app's configuration overrides key by key (`[enterprises] industry_sectors`).
//! An industry that maps to no sector — new business types such as 剧本杀、密室逃脱、月子中心
//! fall under divisions left unmapped here — puts the enterprise on the supervision-gap list
//! until the government names a lead department (谁主管谁牵头、谁为主谁牵头、谁靠近谁牵头).

use crate::enterprise::Industry;
use crate::org::Sector;

use Sector::*;

/// The default map: a section (`C`) or a division (`C26`), and the sectors whose departments
/// supervise it. A division's entry takes precedence over its section's.
pub const DEFAULT_MAP: &[(&str, &[Sector])] = &[
    ("A", &[Agriculture]),
    ("A02", &[Forestry]),
    ("B", &[Emergency, Mining]),
    ("B07", &[Emergency, Energy]),
    ("C", &[Emergency, IndustryIt]),
    ("D44", &[Energy, DevelopmentReform]),
    ("D45", &[Housing]),
    ("D46", &[Housing, WaterResources]),
    ("E", &[Housing]),
    ("E48", &[Housing, Transport, WaterResources]),
    ("F", &[Commerce, MarketRegulation]),
    ("G", &[Transport]),
    ("G57", &[Energy, Emergency]),
    ("G59", &[Commerce, Emergency]),
    ("H61", &[CultureTourism]),
    ("H62", &[Commerce, MarketRegulation]),
    ("I", &[IndustryIt]),
    ("J", &[Finance]),
    ("K", &[Housing]),
    ("L", &[Commerce]),
    ("N76", &[WaterResources]),
    ("N77", &[Ecology]),
    ("N78", &[Housing]),
    ("N79", &[NaturalResources]),
    ("P", &[Education]),
    ("Q84", &[Health]),
    ("R86", &[CultureTourism]),
    ("R87", &[CultureTourism]),
    ("R88", &[CultureTourism]),
    ("R89", &[Education]),
];

/// The sectors for `industry` under `map` (entries as in [`DEFAULT_MAP`]): the division's
/// entry when there is one, else the section's, else none (a supervision gap).
pub fn sectors_for(industry: Industry, map: &[(String, Vec<Sector>)]) -> &[Sector] {
    let find = |code: &str| {
        map.iter()
            .find(|(k, _)| k == code)
            .map(|(_, v)| v.as_slice())
    };
    if industry.division().is_some()
        && let Some(v) = find(&industry.code())
    {
        return v;
    }
    find(&industry.section_industry().code()).unwrap_or(&[])
}

/// [`DEFAULT_MAP`] with `overrides` laid over it key by key (an empty list unmaps a key).
/// Keys must be industries and values sector codes; the first that is not is the error.
pub fn merged_map(
    overrides: &[(String, Vec<String>)],
) -> Result<Vec<(String, Vec<Sector>)>, String> {
    let mut map: Vec<(String, Vec<Sector>)> = DEFAULT_MAP
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_vec()))
        .collect();
    for (k, v) in overrides {
        let key = Industry::parse(k.trim())
            .ok_or_else(|| format!("`{k}` is not a GB/T 4754-2017 section or division"))?
            .code();
        let sectors = v
            .iter()
            .map(|s| Sector::parse(s.trim()).ok_or_else(|| format!("`{s}` is not a sector")))
            .collect::<Result<Vec<_>, _>>()?;
        map.retain(|(k, _)| *k != key);
        map.push((key, sectors));
    }
    Ok(map)
}

vocabulary! {
    /// The lead-department principles of 国务院安委会 practice for a trade no department covers.
    Principle {
        /// 谁主管谁牵头.
        Authority => ("authority", "谁主管谁牵头", "Whoever is in charge leads"),
        /// 谁为主谁牵头.
        Main => ("main", "谁为主谁牵头", "Whoever does most leads"),
        /// 谁靠近谁牵头.
        Closest => ("closest", "谁靠近谁牵头", "Whoever is closest leads"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn default() -> Vec<(String, Vec<Sector>)> {
        merged_map(&[]).unwrap()
    }

    #[test]
    fn a_division_entry_wins_over_its_section_and_unmapped_trades_are_gaps() {
        let m = default();
        let i = |c| Industry::parse(c).unwrap();
        assert_eq!(sectors_for(i("C26"), &m), &[Emergency, IndustryIt]);
        assert_eq!(sectors_for(i("D45"), &m), &[Housing]);
        assert_eq!(sectors_for(i("B07"), &m), &[Emergency, Energy]);
        assert_eq!(sectors_for(i("B06"), &m), &[Emergency, Mining]);
        // 居民服务 (月子中心) and 娱乐业 (剧本杀、密室逃脱): no department by default.
        assert!(sectors_for(i("O80"), &m).is_empty());
        assert!(sectors_for(i("R90"), &m).is_empty());
        assert!(sectors_for(i("M"), &m).is_empty());
    }

    #[test]
    fn configuration_overrides_and_unmaps_key_by_key_and_refuses_unknown_codes() {
        let m = merged_map(&[
            (
                "R90".into(),
                vec!["culture_tourism".into(), "public_security".into()],
            ),
            ("C".into(), vec![]),
        ])
        .unwrap();
        let i = |c| Industry::parse(c).unwrap();
        assert_eq!(sectors_for(i("R90"), &m), &[CultureTourism, PublicSecurity]);
        assert!(sectors_for(i("C30"), &m).is_empty(), "C unmapped");
        assert!(merged_map(&[("Z1".into(), vec![])]).is_err());
        assert!(merged_map(&[("C".into(), vec!["police".into()])]).is_err());
    }
}
