//! The vocabulary of the organisation tree.
//!
//! 通安委〔2022〕10号 assigns its 66 tasks to kinds of organisation (各级党（工）委, 政府, 安委会,
//! 安委办, 负有安全生产监督管理职责的部门, 纪检监察机关, 法院, 检察院, 消防救援机构, enterprises) at
//! three levels (市, 县, 乡镇). These enums are the words the rest of Anwei uses for them; their
//! `code()` strings are stable identifiers for storage and URLs.

vocabulary! {
    /// What an organisation in the tree is.
    ///
    /// The development zones' bodies count as their level's equivalents: a 党工委 is a
    /// `PartyCommittee` and a 管委会 is a `Government` (通安委〔2022〕10号 writes 各级党（工）委 and
    /// names the zones' 管委会 beside 各级政府).
    OrgKind {
        /// 党委 (or a zone's 党工委).
        PartyCommittee => ("party_committee", "党委", "Party committee"),
        /// 政府 (or a zone's 管委会).
        Government => ("government", "政府", "Government"),
        /// 安全生产委员会 (安委会).
        SafetyCommittee => ("safety_committee", "安委会", "Work safety committee"),
        /// 安全生产委员会办公室 (安委办), seated in the emergency management department.
        SafetyOffice => ("safety_office", "安委办", "Work safety committee office"),
        /// A department of the party committee or the government; see [`Sector`].
        Department => ("department", "部门", "Department"),
        /// 纪检监察机关 (纪委监委).
        Discipline => ("discipline", "纪检监察机关", "Discipline inspection and supervision commission"),
        /// 人民法院.
        Court => ("court", "法院", "Court"),
        /// 人民检察院.
        Procuratorate => ("procuratorate", "检察院", "Procuratorate"),
        /// 消防救援机构 (支队, 大队).
        FireRescue => ("fire_rescue", "消防救援机构", "Fire and rescue service"),
        /// 企业 / 生产经营单位.
        Enterprise => ("enterprise", "企业", "Enterprise"),
    }
}

vocabulary! {
    /// The administrative level of an organisation.
    ///
    /// The development zones (通化医药高新区, 吉林通化国际内陆港务区) are County level: 通安委〔2022〕10号
    /// addresses them beside the 县（市、区） and they report to the city.
    Level {
        /// 市 (通化市).
        City => ("city", "市", "City"),
        /// 县（市、区） and the development zones.
        County => ("county", "县", "County"),
        /// 乡镇 (and 街道).
        Township => ("township", "乡镇", "Township"),
    }
}

impl Level {
    /// True when `self` is `other` or above it (the city is above a county).
    pub fn is_at_or_above(&self, other: Level) -> bool {
        self.rank() <= other.rank()
    }

    /// The level directly above, if any.
    pub fn parent(&self) -> Option<Level> {
        match self {
            Level::City => None,
            Level::County => Some(Level::City),
            Level::Township => Some(Level::County),
        }
    }

    fn rank(&self) -> u8 {
        match self {
            Level::City => 0,
            Level::County => 1,
            Level::Township => 2,
        }
    }
}

vocabulary! {
    /// What a department does: used both to select "the X department" of a level and to name the
    /// sector a supervising department is responsible for (管行业必须管安全).
    ///
    /// `name_zh()` is the short form the document uses before 部门 (工信部门, 住建部门); the
    /// longer official forms are accepted by [`Sector::from_zh`].
    Sector {
        /// 宣传部门.
        Publicity => ("publicity", "宣传", "Publicity"),
        /// 组织部门.
        Organization => ("organization", "组织", "Organisation"),
        /// 机构编制部门 (编办).
        Staffing => ("staffing", "机构编制", "Institutional staffing"),
        /// 政法部门 (named in article 3).
        PoliticsLaw => ("politics_law", "政法", "Political and legal affairs"),
        /// 发展改革部门.
        DevelopmentReform => ("development_reform", "发改", "Development and reform"),
        /// 工业和信息化部门.
        IndustryIt => ("industry_it", "工信", "Industry and information technology"),
        /// 公安部门.
        PublicSecurity => ("public_security", "公安", "Public security"),
        /// 网信部门 (网信办).
        Cyberspace => ("cyberspace", "网信", "Cyberspace affairs"),
        /// 商务部门.
        Commerce => ("commerce", "商务", "Commerce"),
        /// 住房和城乡建设部门.
        Housing => ("housing", "住建", "Housing and urban-rural development"),
        /// 交通运输部门.
        Transport => ("transport", "交通运输", "Transport"),
        /// 文化和旅游部门.
        CultureTourism => ("culture_tourism", "文旅", "Culture and tourism"),
        /// 应急管理部门.
        Emergency => ("emergency", "应急", "Emergency management"),
        /// 市场监督管理部门.
        MarketRegulation => ("market_regulation", "市场监管", "Market regulation"),
        /// 卫生健康部门.
        Health => ("health", "卫健", "Health"),
        /// 司法行政部门.
        Justice => ("justice", "司法", "Justice"),
        /// 人力资源和社会保障部门.
        HumanResources => ("human_resources", "人社", "Human resources and social security"),
        /// 财政部门.
        Finance => ("finance", "财政", "Finance"),
        /// 机关事务管理部门.
        GovernmentAffairs => ("government_affairs", "机关事务管理", "Government offices administration"),
        /// 巡察工作办公室 (市委巡察办).
        Inspection => ("inspection", "巡察", "Party inspection office"),
        /// 自然资源部门.
        NaturalResources => ("natural_resources", "自然资源", "Natural resources"),
        /// 教育部门.
        Education => ("education", "教育", "Education"),
        /// 农业农村部门.
        Agriculture => ("agriculture", "农业农村", "Agriculture and rural affairs"),
        /// 水利部门.
        WaterResources => ("water_resources", "水利", "Water resources"),
        /// 林业部门.
        Forestry => ("forestry", "林业", "Forestry"),
        /// 生态环境部门.
        Ecology => ("ecology", "生态环境", "Ecology and environment"),
        /// 能源部门.
        Energy => ("energy", "能源", "Energy"),
        /// 矿山安全监管部门.
        Mining => ("mining", "矿山", "Mine safety"),
    }
}

impl Sector {
    /// Every Chinese name the sector goes by, short form first, without the word 部门.
    pub fn aliases_zh(&self) -> &'static [&'static str] {
        match self {
            Sector::Publicity => &["宣传"],
            Sector::Organization => &["组织"],
            Sector::Staffing => &["机构编制", "编制"],
            Sector::PoliticsLaw => &["政法"],
            Sector::DevelopmentReform => &["发改", "发展改革", "发展和改革"],
            Sector::IndustryIt => &["工信", "工业和信息化"],
            Sector::PublicSecurity => &["公安"],
            Sector::Cyberspace => &["网信", "网络安全和信息化"],
            Sector::Commerce => &["商务"],
            Sector::Housing => &["住建", "住房和城乡建设", "住房城乡建设"],
            Sector::Transport => &["交通运输", "交通"],
            Sector::CultureTourism => &["文旅", "文化和旅游", "文化旅游"],
            Sector::Emergency => &["应急", "应急管理"],
            Sector::MarketRegulation => &["市场监管", "市场监督管理"],
            Sector::Health => &["卫健", "卫生健康"],
            Sector::Justice => &["司法", "司法行政"],
            Sector::HumanResources => &["人社", "人力资源和社会保障", "人力资源社会保障"],
            Sector::Finance => &["财政"],
            Sector::GovernmentAffairs => &["机关事务管理", "机关事务"],
            Sector::Inspection => &["巡察", "巡察工作"],
            Sector::NaturalResources => &["自然资源"],
            Sector::Education => &["教育"],
            Sector::Agriculture => &["农业农村", "农业"],
            Sector::WaterResources => &["水利"],
            Sector::Forestry => &["林业"],
            Sector::Ecology => &["生态环境"],
            Sector::Energy => &["能源"],
            Sector::Mining => &["矿山", "矿山安全"],
        }
    }

    /// Reads a Chinese sector name (short or official form, without 部门); exact match only.
    pub fn from_zh(name: &str) -> Option<Self> {
        Self::ALL
            .iter()
            .copied()
            .find(|sector| sector.aliases_zh().contains(&name))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_org_kind_code_reads_back_as_itself() {
        for kind in OrgKind::ALL {
            assert_eq!(OrgKind::parse(kind.code()), Some(*kind));
        }
        assert_eq!(OrgKind::ALL.len(), 10);
    }

    #[test]
    fn org_kind_codes_are_the_documented_snake_case_names() {
        let codes: Vec<&str> = OrgKind::ALL.iter().map(|k| k.code()).collect();
        assert_eq!(
            codes,
            [
                "party_committee",
                "government",
                "safety_committee",
                "safety_office",
                "department",
                "discipline",
                "court",
                "procuratorate",
                "fire_rescue",
                "enterprise"
            ]
        );
    }

    #[test]
    fn every_level_code_reads_back_as_itself() {
        for level in Level::ALL {
            assert_eq!(Level::parse(level.code()), Some(*level));
        }
        assert_eq!(Level::parse("province"), None);
    }

    #[test]
    fn the_city_is_above_a_county_and_a_county_above_a_township() {
        assert!(Level::City.is_at_or_above(Level::County));
        assert!(Level::County.is_at_or_above(Level::County));
        assert!(!Level::Township.is_at_or_above(Level::County));
        assert_eq!(Level::Township.parent(), Some(Level::County));
        assert_eq!(Level::City.parent(), None);
    }

    #[test]
    fn every_sector_code_reads_back_and_every_alias_reads_as_its_sector() {
        for sector in Sector::ALL {
            assert_eq!(Sector::parse(sector.code()), Some(*sector));
            assert_eq!(sector.aliases_zh().first(), Some(&sector.name_zh()));
            for alias in sector.aliases_zh() {
                assert_eq!(Sector::from_zh(alias), Some(*sector), "{alias}");
            }
        }
    }

    #[test]
    fn codes_and_chinese_names_are_unique() {
        let mut codes: Vec<&str> = Sector::ALL.iter().map(|s| s.code()).collect();
        let mut names: Vec<&str> = Sector::ALL
            .iter()
            .flat_map(|s| s.aliases_zh().iter().copied())
            .collect();
        let (c, n) = (codes.len(), names.len());
        codes.sort_unstable();
        codes.dedup();
        names.sort_unstable();
        names.dedup();
        assert_eq!((codes.len(), names.len()), (c, n));
    }

    #[test]
    fn unknown_sector_names_are_not_guessed() {
        assert_eq!(Sector::from_zh("某某"), None);
        assert_eq!(Sector::from_zh("工信部门"), None);
        assert_eq!(Sector::parse("Industry_IT"), None);
    }
}
