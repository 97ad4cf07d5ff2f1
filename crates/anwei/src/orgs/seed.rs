//! The built-in organisations of 通化市 (GB/T 2260 codes from the 民政部 list; the two
//! development zones have no official code and get internal ones, `has_gb2260_code = false`).

pub struct RegionSeed {
    pub code: &'static str,
    pub name: &'static str,
    pub level: &'static str,
    pub gb2260: bool,
    /// Short prefix used in organisation names, e.g. 东昌区.
    pub short: &'static str,
}

pub const CITY: RegionSeed = RegionSeed {
    code: "220500",
    name: "通化市",
    level: "city",
    gb2260: true,
    short: "通化市",
};

pub const COUNTIES: &[RegionSeed] = &[
    RegionSeed {
        code: "220502",
        name: "东昌区",
        level: "county",
        gb2260: true,
        short: "东昌区",
    },
    RegionSeed {
        code: "220503",
        name: "二道江区",
        level: "county",
        gb2260: true,
        short: "二道江区",
    },
    RegionSeed {
        code: "220521",
        name: "通化县",
        level: "county",
        gb2260: true,
        short: "通化县",
    },
    RegionSeed {
        code: "220523",
        name: "辉南县",
        level: "county",
        gb2260: true,
        short: "辉南县",
    },
    RegionSeed {
        code: "220524",
        name: "柳河县",
        level: "county",
        gb2260: true,
        short: "柳河县",
    },
    RegionSeed {
        code: "220581",
        name: "梅河口市",
        level: "county",
        gb2260: true,
        short: "梅河口市",
    },
    RegionSeed {
        code: "220582",
        name: "集安市",
        level: "county",
        gb2260: true,
        short: "集安市",
    },
];

pub const ZONES: &[RegionSeed] = &[
    RegionSeed {
        code: "220500-GX",
        name: "通化医药高新技术产业开发区",
        level: "county",
        gb2260: false,
        short: "通化医药高新区",
    },
    RegionSeed {
        code: "220500-GW",
        name: "吉林通化国际内陆港务区",
        level: "county",
        gb2260: false,
        short: "吉林通化国际内陆港务区",
    },
];

/// One organisation to create: `(code suffix, name, kind, parent suffix, supervises, sectors)`.
pub struct OrgSeed {
    pub suffix: &'static str,
    pub name: String,
    pub kind: &'static str,
    pub parent: Option<&'static str>,
    pub supervises: bool,
    pub sectors: &'static str,
    pub note: &'static str,
}

fn o(
    suffix: &'static str,
    name: String,
    kind: &'static str,
    parent: Option<&'static str>,
    supervises: bool,
    sectors: &'static str,
) -> OrgSeed {
    OrgSeed {
        suffix,
        name,
        kind,
        parent,
        supervises,
        sectors,
        note: "",
    }
}

/// Government departments found at city and county level:
/// `(suffix, city name, county name, supervises safety, sector)`.
const GOV_DEPTS: &[(&str, &str, &str, bool, &str)] = &[
    ("YJ", "应急管理局", "应急管理局", true, "emergency"),
    (
        "ZJ",
        "住房和城乡建设局",
        "住房和城乡建设局",
        true,
        "housing",
    ),
    ("JT", "交通运输局", "交通运输局", true, "transport"),
    ("GA", "公安局", "公安局", true, "public_security"),
    (
        "SJ",
        "市场监督管理局",
        "市场监督管理局",
        true,
        "market_regulation",
    ),
    (
        "GX",
        "工业和信息化局",
        "工业和信息化局",
        true,
        "industry_it",
    ),
    ("SW", "商务局", "商务局", true, "commerce"),
    (
        "WL",
        "文化广播电视和旅游局",
        "文化广播电视和旅游局",
        true,
        "culture_tourism",
    ),
    (
        "FG",
        "发展和改革委员会",
        "发展和改革局",
        true,
        "development_reform",
    ),
    ("WJ", "卫生健康委员会", "卫生健康局", true, "health"),
    ("JY", "教育局", "教育局", true, "education"),
    ("ZR", "自然资源局", "自然资源局", true, "natural_resources"),
    ("NY", "农业农村局", "农业农村局", true, "agriculture"),
    ("SL", "水利局", "水利局", true, "water_resources"),
    ("LY", "林业局", "林业局", true, "forestry"),
    (
        "RS",
        "人力资源和社会保障局",
        "人力资源和社会保障局",
        false,
        "human_resources",
    ),
    ("CZ", "财政局", "财政局", false, "finance"),
    ("SF", "司法局", "司法局", false, "justice"),
    (
        "JG",
        "机关事务管理局",
        "机关事务管理局",
        false,
        "government_affairs",
    ),
];

pub fn city_orgs() -> Vec<OrgSeed> {
    let mut v = vec![
        o(
            "DW",
            "中共通化市委员会".into(),
            "party_committee",
            None,
            false,
            "",
        ),
        o("ZF", "通化市人民政府".into(), "government", None, false, ""),
        o(
            "AWH",
            "通化市安全生产委员会".into(),
            "safety_committee",
            Some("ZF"),
            false,
            "",
        ),
        OrgSeed {
            note: "设在市应急管理局",
            ..o(
                "AWB",
                "通化市安全生产委员会办公室".into(),
                "safety_office",
                Some("AWH"),
                false,
                "",
            )
        },
        o(
            "JW",
            "中共通化市纪律检查委员会 通化市监察委员会".into(),
            "discipline",
            None,
            false,
            "",
        ),
        o("FY", "通化市中级人民法院".into(), "court", None, false, ""),
        o(
            "JCY",
            "通化市人民检察院".into(),
            "procuratorate",
            None,
            false,
            "",
        ),
        o(
            "XF",
            "通化市消防救援支队".into(),
            "fire_rescue",
            None,
            true,
            "",
        ),
        o(
            "SLXF",
            "通化市森林消防大队".into(),
            "fire_rescue",
            None,
            true,
            "",
        ),
        o(
            "ZZB",
            "中共通化市委组织部".into(),
            "department",
            Some("DW"),
            false,
            "organization",
        ),
        o(
            "XCB",
            "中共通化市委宣传部".into(),
            "department",
            Some("DW"),
            false,
            "publicity",
        ),
        o(
            "WXB",
            "中共通化市委网络安全和信息化委员会办公室".into(),
            "department",
            Some("DW"),
            false,
            "cyberspace",
        ),
        o(
            "BB",
            "中共通化市委机构编制委员会办公室".into(),
            "department",
            Some("DW"),
            false,
            "staffing",
        ),
        o(
            "XCHB",
            "中共通化市委巡察工作办公室".into(),
            "department",
            Some("DW"),
            false,
            "inspection",
        ),
    ];
    for (suffix, city_name, _, sup, sector) in GOV_DEPTS {
        v.push(o(
            suffix,
            format!("通化市{city_name}"),
            "department",
            Some("ZF"),
            *sup,
            sector,
        ));
    }
    v
}

pub fn county_orgs(r: &RegionSeed) -> Vec<OrgSeed> {
    let n = r.short;
    let mut v = vec![
        o(
            "DW",
            format!("中共{n}委员会"),
            "party_committee",
            None,
            false,
            "",
        ),
        o("ZF", format!("{n}人民政府"), "government", None, false, ""),
        o(
            "AWH",
            format!("{n}安全生产委员会"),
            "safety_committee",
            Some("ZF"),
            false,
            "",
        ),
        OrgSeed {
            note: "设在应急管理局",
            ..o(
                "AWB",
                format!("{n}安全生产委员会办公室"),
                "safety_office",
                Some("AWH"),
                false,
                "",
            )
        },
        o(
            "JW",
            format!("中共{n}纪律检查委员会 {n}监察委员会"),
            "discipline",
            None,
            false,
            "",
        ),
        o("FY", format!("{n}人民法院"), "court", None, false, ""),
        o(
            "JCY",
            format!("{n}人民检察院"),
            "procuratorate",
            None,
            false,
            "",
        ),
        o(
            "XF",
            format!("{n}消防救援大队"),
            "fire_rescue",
            None,
            true,
            "",
        ),
        o(
            "ZZB",
            format!("中共{n}委组织部"),
            "department",
            Some("DW"),
            false,
            "organization",
        ),
        o(
            "XCB",
            format!("中共{n}委宣传部"),
            "department",
            Some("DW"),
            false,
            "publicity",
        ),
        o(
            "WXB",
            format!("中共{n}委网络安全和信息化委员会办公室"),
            "department",
            Some("DW"),
            false,
            "cyberspace",
        ),
        o(
            "BB",
            format!("中共{n}委机构编制委员会办公室"),
            "department",
            Some("DW"),
            false,
            "staffing",
        ),
    ];
    for (suffix, _, county_name, sup, sector) in GOV_DEPTS {
        v.push(o(
            suffix,
            format!("{n}{county_name}"),
            "department",
            Some("ZF"),
            *sup,
            sector,
        ));
    }
    v
}

pub fn zone_orgs(r: &RegionSeed) -> Vec<OrgSeed> {
    let n = r.short;
    vec![
        o(
            "DGW",
            format!("中共{n}工作委员会"),
            "party_committee",
            None,
            false,
            "",
        ),
        o(
            "GWH",
            format!("{n}管理委员会"),
            "government",
            None,
            false,
            "",
        ),
        o(
            "AWH",
            format!("{n}安全生产委员会"),
            "safety_committee",
            Some("GWH"),
            false,
            "",
        ),
        o(
            "AWB",
            format!("{n}安全生产委员会办公室"),
            "safety_office",
            Some("AWH"),
            false,
            "",
        ),
        o(
            "AJ",
            format!("{n}安全生产监督管理局"),
            "department",
            Some("GWH"),
            true,
            "emergency",
        ),
        o(
            "JS",
            format!("{n}建设局"),
            "department",
            Some("GWH"),
            true,
            "housing",
        ),
    ]
}

/// Positions each party committee and government starts with: `(kind, title, sectors)`.
pub fn party_positions() -> Vec<(&'static str, &'static str, &'static str)> {
    vec![
        ("principal", "党委书记（主要负责人）", ""),
        ("standing_member", "党委副书记（常委会成员）", ""),
        ("standing_member", "常委、组织部部长", ""),
        ("standing_member", "常委、宣传部部长", ""),
        ("standing_member", "常委、政法委书记", ""),
    ]
}

pub fn government_positions() -> Vec<(&'static str, &'static str, &'static str)> {
    vec![
        ("principal", "政府主要负责人", ""),
        (
            "deputy",
            "常务副职（分管安全生产、应急管理）",
            "emergency,industry_it",
        ),
        ("deputy", "副职（分管住建、交通）", "housing,transport"),
        ("deputy", "副职（分管公安、消防）", "public_security"),
    ]
}
