//! Data of 通安委〔2022〕10号, transcribed from `shared/source/000_6ae720ea06f11729.txt`.
//!
//! Texts are verbatim. The extraction of the source has defects that a real import meets:
//! paragraphs split by page breaks, table cells merged or shared between rows, HTML `<p>` tags,
//! a mistyped task number, stray characters. Each repair is noted in a comment next to the
//! entry it concerns; everything not noted is exactly as in the source.

use super::{Article, Measure, PackDeliverable, PackMeta, PackTask};
use crate::deadline_phrase::date;

pub(super) const META: PackMeta = PackMeta {
    code: "tonghua-2022-10",
    doc_number: "通安委〔2022〕10号",
    // The source prints the title over three lines with spaces at the breaks
    // ("关于进一步 强化安全生产责任落实坚决防范 遏制重特大事故的实施办法"); the spaces are dropped.
    title: "关于进一步强化安全生产责任落实坚决防范遏制重特大事故的实施办法",
    title_en: "Implementation Measures on Further Strengthening Work Safety Responsibilities and \
               Resolutely Preventing and Containing Major and Extraordinarily Serious Accidents",
    issuer: "通化市安全生产委员会",
    issued_on: date(2022, 5, 30),
};

// Join: a page break split the paragraph between "生命至上，" and "强化红线意识" (source lines
// 11 and 13); rejoined without a space.
pub(super) const PREAMBLE_ZH: &str = "为深入贯彻落实习近平总书记关于安全生产重要讲话重要指示精神，按照党中央、国务院决策部署，严格落实国务院安委会关于进一步强化安全生产责任落实、坚决防范遏制重特大事故的15条措施，统筹发展和安全，坚持人民至上、生命至上，强化红线意识和底线思维，以最严格的监管、最严厉的处罚、最严肃的问责，全面压实安全生产责任，精准落实安全防范措施，严防各类生产安全事故发生，为党的二十大胜利召开营造良好安全环境，以高水平安全服务高质量发展，特制定本实施办法。";

// Join: a page break split the paragraph between "细化到岗、" and "责任到人" (source lines 153
// and 155); rejoined without a space. The spaces in "安全生产 15 条措施" are the source's own.
pub(super) const CLOSING_ZH: &str = "各地、各部门、各单位要高度重视，进一步提高政治站位，精心组织、周密部署，结合本地区、本行业领域和本单位实际，从严从实从快贯彻落实国务院安委会安全生产 15 条措施，迅速制定具体实施方案，确定时间表、路线图，将措施细化到岗、责任到人，逐项抓好贯彻落实。市安委会将贯彻落实情况纳入安全生产督查、检查、巡查以及年度安全生产工作考核，对工作重视不够、落实不力甚至引发生产安全事故的要严肃问责。各地、各部门要将制定的具体实施方案于2022年6月10日前报送市安委会办公室；6月28日前报送阶段性工作开展情况；9月28日前报送工作总结。";

// Titles are the body's headings. Where the attachment's first column words a heading
// differently, `table_title_zh` keeps the table's wording (with extraction artefacts removed)
// and a note says what differs.
pub(super) static MEASURES: [Measure; 15] = [
    Measure {
        number: 1,
        title_zh: "严格落实党委安全生产责任",
        title_en: "Strictly fulfil the work safety responsibilities of party committees",
        table_title_zh: "严格落实党委安全生产责任",
    },
    Measure {
        number: 2,
        title_zh: "严格落实政府安全生产责任",
        title_en: "Strictly fulfil the work safety responsibilities of governments",
        table_title_zh: "严格落实政府安全生产责任",
    },
    Measure {
        number: 3,
        title_zh: "严格落实部门安全监管责任",
        title_en: "Strictly fulfil the safety supervision responsibilities of departments",
        table_title_zh: "严格落实部门安全监管责任",
    },
    Measure {
        number: 4,
        title_zh: "严肃追究领导责任和监管责任",
        title_en: "Hold leaders and supervisors strictly accountable",
        // The table wraps this heading in <p> tags; removed.
        table_title_zh: "严肃追究领导责任和监管责任",
    },
    Measure {
        number: 5,
        title_zh: "企业主要负责人必须严格履行第一责任人责任",
        title_en: "Principal persons in charge of enterprises must fulfil their duties as the persons primarily responsible",
        table_title_zh: "企业主要负责人必须严格履行第一责任人责任",
    },
    Measure {
        number: 6,
        // The body heading reads 深入扎实开展全省安全生产大检查; the table's first column reads
        // 深入开展全省安全生产大检查 (without 扎实); article 16 itself speaks of the 全市 (city-wide)
        // inspection. The body heading is kept as the title.
        title_zh: "深入扎实开展全省安全生产大检查",
        title_en: "Carry out the province-wide work safety inspection thoroughly",
        table_title_zh: "深入开展全省安全生产大检查",
    },
    Measure {
        number: 7,
        title_zh: "牢牢守住项目审批安全红线",
        title_en: "Hold the safety red line in project approval",
        table_title_zh: "牢牢守住项目审批安全红线",
    },
    Measure {
        number: 8,
        title_zh: "严厉查处违法分包转包和挂靠资质行为",
        title_en: "Crack down on illegal subcontracting, transfer of contracts and borrowed qualifications",
        table_title_zh: "严厉查处违法分包转包和挂靠资质行为",
    },
    Measure {
        number: 9,
        title_zh: "切实加强劳务派遣和灵活用工人员安全管理",
        title_en: "Strengthen the safety management of dispatched and flexible workers",
        // The table prints this heading twice in one cell ("九、…九、…"); read once.
        table_title_zh: "切实加强劳务派遣和灵活用工人员安全管理",
    },
    Measure {
        number: 10,
        title_zh: "重拳出击开展“打非治违”",
        title_en: "Strike hard against illegal and non-compliant production and business activities",
        // The table drops the quotation marks around 打非治违.
        table_title_zh: "重拳出击开展打非治违",
    },
    Measure {
        number: 11,
        title_zh: "坚决整治执法检查宽松软问题",
        title_en: "Put an end to lax, lenient and soft law enforcement inspections",
        table_title_zh: "坚决整治执法检查宽松软问题",
    },
    Measure {
        number: 12,
        title_zh: "着力加强安全监管执法队伍建设",
        title_en: "Build up the work safety supervision and enforcement teams",
        table_title_zh: "着力加强安全监管执法队伍建设",
    },
    Measure {
        number: 13,
        title_zh: "重奖激励安全生产隐患举报",
        title_en: "Reward reports of work safety hazards generously",
        table_title_zh: "重奖激励安全生产隐患举报",
    },
    Measure {
        number: 14,
        title_zh: "严肃查处瞒报谎报迟报漏报事故行为",
        title_en: "Punish the concealment, false, late and omitted reporting of accidents",
        // The table reads 严肃查处瞒报谎报迟报漏报事故的行为 (with 的).
        table_title_zh: "严肃查处瞒报谎报迟报漏报事故的行为",
    },
    Measure {
        number: 15,
        title_zh: "统筹做好经济发展、疫情防控和安全生产工作",
        title_en: "Coordinate economic development, epidemic control and work safety",
        // The table prints a line-break space in "疫情防控 和安全生产工作"; removed.
        table_title_zh: "统筹做好经济发展、疫情防控和安全生产工作",
    },
];

pub(super) static DELIVERABLES: [PackDeliverable; 6] = [
    // Closing paragraph: 将制定的具体实施方案于2022年6月10日前报送市安委会办公室.
    PackDeliverable {
        code: "implementation_plan",
        title_zh: "具体实施方案",
        title_en: "Implementation plan",
        due: date(2022, 6, 10),
        source_article: None,
    },
    // Closing paragraph: 6月28日前报送阶段性工作开展情况 (the year is the same 2022).
    PackDeliverable {
        code: "interim_progress",
        title_zh: "阶段性工作开展情况",
        title_en: "Interim progress report",
        due: date(2022, 6, 28),
        source_article: None,
    },
    // Closing paragraph: 9月28日前报送工作总结.
    PackDeliverable {
        code: "work_summary",
        title_zh: "工作总结",
        title_en: "Work summary",
        due: date(2022, 9, 28),
        source_article: None,
    },
    // Article 17: 于2022年6月底前将责任清单 … 报市安委会办公室.
    PackDeliverable {
        code: "responsibility_list",
        title_zh: "责任清单",
        title_en: "Responsibility list",
        due: date(2022, 6, 30),
        source_article: Some(17),
    },
    // Article 17: 9月底前将重大风险隐患清单及整改情况报市安委会办公室.
    PackDeliverable {
        code: "major_hazard_list",
        title_zh: "重大风险隐患清单及整改情况",
        title_en: "List of major risks and hazards and their rectification",
        due: date(2022, 9, 30),
        source_article: Some(17),
    },
    // Article 11: 各地、各部门要于2022年9月底前将项目清单报市安委会办公室.
    PackDeliverable {
        code: "intrinsic_safety_projects",
        title_zh: "本质安全提升项目清单",
        title_en: "List of intrinsic safety improvement projects",
        due: date(2022, 9, 30),
        source_article: Some(11),
    },
];

pub(super) static ARTICLES: [Article; 43] = [
    // Source line 17.
    Article {
        number: 1,
        measure: 1,
        title_zh: "树牢安全发展理念",
        text_zh: "树牢安全发展理念。安全生产是人命关天的大事，事关国之大者，各级党委必须高度重视，把安全生产纳入党委议事日程和向全会报告工作的内容，自觉担起“促一方发展、保一方平安”的政治责任。要牢固树立安全发展理念，始终把人民群众生命安全放在第一位，非常明确、非常强烈、非常坚定地树立“发展不能以牺牲人的生命为代价”这个观念，统筹好发展和安全。将认真学习贯彻习近平总书记关于安全生产重要论述、安全生产法律法规等纳入理论学习中心组学习的重要内容，每季度至少集中学习1次，不断提升安全生产治理能力。",
    },
    // Source line 19.
    // Join: a page break split the paragraph between "府领导班" and "子和有关" (source line 21); rejoined without a space.
    Article {
        number: 2,
        measure: 1,
        title_zh: "切实加强对安全生产工作的组织领导",
        text_zh: "切实加强对安全生产工作的组织领导。各级党委要严格落实《吉林省党政领导干部安全生产责任制实施细则》《通化市安全生产“党政同责、一岗双责”实施细则》，严格执行“党政同责、一岗双责、齐抓共管、失职追责”要求，综合运用巡查督查、考核考察、激励惩戒等措施加强对安全生产工作的组织领导。加大安全生产等约束性指标在经济社会发展考核评价体系中的权重，将履行安全生产责任情况作为对党委政府领导班子和有关领导干部考核、有关人选考察的重要内容。县级以上党委每年至少对下级党委进行1次安全生产巡查，并将巡查结果作为对被巡查地区党委班子和有关领导干部考核、奖惩和使用的重要参考。市委将安全生产工作纳入政治巡察内容。",
    },
    // Source line 23.
    Article {
        number: 3,
        measure: 1,
        title_zh: "强化安全生产责任落实",
        text_zh: "强化安全生产责任落实。各级党委要把安全生产纳入党委常委会及其成员职责清单，主要负责人要亲力亲为、靠前协调，各级党委主要负责人每季度至少组织召开1次党委常委会，专题研究安全生产工作，解决安全监管部门领导班子、干部队伍、执法力量等重大问题。相关会议纪要抄报上级安委会办公室。参照抓经济分片包保的模式，实行县级以上党委常委安全生产分片包保工作机制。各级党委主要负责人每季度至少带队督促检查1次安全生产工作及党委常委会成员落实安全生产“一岗双责”制度实施情况。党委常委会其他成员按照职责分工协调纪检监察机关和组织、宣传、政法、机构编制等单位支持保障安全生产工作。各级党委常委会其他成员每季度至少带队督促检查1次安全生产工作。重点敏感时期要加密检查频次。",
    },
    // Source line 27.
    // Join: a page break split the paragraph between "主要负责" and "人每季度" (source line 29); rejoined without a space.
    Article {
        number: 4,
        measure: 2,
        title_zh: "强化政府全面监管责任落实",
        text_zh: "强化政府全面监管责任落实。各级政府要把安全生产纳入政府重要议事日程，把安全发展理念具体落实到经济社会发展各领域、各环节，组织制定政府领导干部安全生产“职责清单”和“年度任务清单”，并加强督查检查。各级政府主要负责人每季度至少组织召开 1 次政府常务会议或专题会议，分析安全生产形势，研究部署安全生产工作。各级政府主要负责人每季度至少带队开展 1 次安全生产检查。各级政府其他领导干部要分兵把口、严格履责，切实抓好分管行业领域安全生产工作，并把安全生产工作贯穿业务工作全过程；每季度至少向政府主要负责人汇报 1 次分管行业（领域）、部门（单位）的安全生产工作，至少组织召开 1 次分管行业（领域）、部门（单位）安全生产会议，至少组织 1 次分管行业（领域）、部门（单位）安全生产监督检查。重点敏感时期要加密检查频次。",
    },
    // Source line 31.
    Article {
        number: 5,
        measure: 2,
        title_zh: "强化安委会实体化运行",
        text_zh: "强化安委会实体化运行。按照国务院安委会关于“各级安委会要创造条件实现实体化运行”的要求，各级安委会要创造条件实现实体化运行，强化统筹协调职能，组织定期研判重大安全风险，滚动排查重大安全隐患，主动协调加强铁路、电力等跨区域跨部门安全工作。",
    },
    // Source line 33.
    Article {
        number: 6,
        measure: 2,
        title_zh: "强化落实工作保障",
        text_zh: "强化落实工作保障。县级以上政府每年要对下级政府至少进行 1 次安全生产巡查和考核，由本级安委会具体组织实施，并将巡查考核结果作为对被巡查考核地区政府班子和有关领导干部考核、奖惩和使用的重要参考。",
    },
    // Source line 37.
    // Join: a page break split the paragraph between "原则，严" and "格落实《" (source line 39); rejoined without a space.
    Article {
        number: 7,
        measure: 3,
        title_zh: "严格落实“三管三必须”要求",
        text_zh: "严格落实“三管三必须”要求。各级负有安全生产监督管理职责的部门要严格按照“管行业必须管安全、管业务必须管安全、管生产经营必须管安全”和“谁主管谁负责”的原则，严格落实《通化市安全生产委员会成员单位及相关单位安全生产工作任务分工》（通安委〔2021〕6号）中明确的责任清单；每季度至少召开1次专题会议，研究解决本行业（领域）安全生产突出问题。市县两级负有安全生产监督管理职责的部门分别每2个月、每月至少组织检查1次本行业（领域）安全生产重点工作。重点敏感时期要加密检查频次。",
    },
    // Source line 41.
    Article {
        number: 8,
        measure: 3,
        title_zh: "全面厘清监管责任边界",
        text_zh: "全面厘清监管责任边界。对职能交叉领域和新业态新风险，按照“谁主管谁牵头、谁为主谁牵头、谁靠近谁牵头”的原则，由县级以上政府及时明确监管责任，各有关部门要主动担当，不得推诿扯皮。",
    },
    // Source line 43.
    Article {
        number: 9,
        measure: 3,
        title_zh: "强化全链条安全监管",
        text_zh: "强化全链条安全监管。对危化品、燃气、道路交通、电动自行车等环节多的领域，各级负有安全生产监督管理职责的部门要抓实全链条监管责任，主动上前一步，形成工作合力。对直接关系安全的取消下放事项，各级负有安全生产监督管理职责的部门要实事求是开展一次全面评估，对基层接不住、监管跟不上的要及时纠正，必要时收回，酿成事故的要严肃追责。",
    },
    // Source line 45.
    Article {
        number: 10,
        measure: 3,
        title_zh: "强化安委办综合监管职能",
        text_zh: "强化安委办综合监管职能。各级应急管理部门要理直气壮履行安委会办公室职责，发挥统筹、协调、指导作用，加强考核巡查、警示提醒、挂牌督办、提级调查，切实推动各级负有安全生产监督管理职责的部门落实安全监管责任。",
    },
    // Source line 47.
    // Join: a page break split the paragraph between "企业要提" and "出一批有" (source line 49); rejoined without a space.
    Article {
        number: 11,
        measure: 3,
        title_zh: "提升本质安全水平",
        text_zh: "提升本质安全水平。各有关部门、有关企业要提出一批有利于提升安全水平和长期发展的项目，抓紧上报审批。相关项目申请立项等进展情况要及时抄送同级安委会办公室，各地、各部门要于2022年9月底前将项目清单报市安委会办公室。",
    },
    // Source line 53.
    Article {
        number: 12,
        measure: 4,
        title_zh: "加大事故追责力度",
        text_zh: "加大事故追责力度。严格落实重大生产安全事故“一票否决”、较大事故“一票否优”制度。对不认真履行职责造成较大以上生产安全事故的，不仅要追究直接责任，而且要追究属地党委和政府领导责任、有关部门监管责任，特别是重特大事故，要追究主要领导、分管领导责任。发生一般生产安全事故，参照较大以上事故依法进行追责。",
    },
    // Source line 55.
    // Note: the source prints the traditional character 爲 in 违法违规行爲 (title); kept faithfully. The same word is 行为 elsewhere.
    Article {
        number: 13,
        measure: 4,
        title_zh: "加大违法违规行爲追责力度",
        text_zh: "加大违法违规行爲追责力度。要把隐患当成事故对待，对非法煤矿、违法盗采等严重违法违规行为没有采取有效制止措施甚至放任不管的，要依规依纪依法追究各级党委、政府和监管部门责任，构成犯罪的移交司法机关追究刑事责任。监察机关依照《安全生产法》第七十一条的规定，对负有安全生产监督管理职责的部门及其工作人员履行安全生产监督管理职责实施监察，对监督管理职责落实不到位或存在失职渎职等行为的党员干部和公职人员依规依纪依法处理。",
    },
    // Source line 59.
    // Join: a page break split the paragraph between "本单位安" and "全生产负" (source line 61); rejoined without a space.
    Article {
        number: 14,
        measure: 5,
        title_zh: "从严落实责任",
        text_zh: "从严落实责任。企业法定代表人、实际控制人、实际负责人要严格履行安全生产第一责任人责任，对本单位安全生产负总责。要按照规定设立安全生产管理机构、配齐安全管理和专业技术人员，牵头组织制定安全生产责任清单，落实全员安全生产责任制，及时修订完善并实施生产安全事故应急救援预案。全面履行《安全生产法》等法律法规规定的各项职责，严格落实重大危险源安全包保责任制、矿长带班下井等制度规定，确保企业主体责任有效落实。",
    },
    // Source line 63.
    Article {
        number: 15,
        measure: 5,
        title_zh: "严肃责任追究",
        text_zh: "严肃责任追究。各级负有安全生产监督管理职责的部门要加大对企业主要负责人依法履责情况的监督管理，对不履行职责的要严格按照《安全生产法》规定予以行政处罚。对主要负责人未依法履责导致发生生产安全事故的，给予撤职处分；构成犯罪的，依照刑法有关规定追究刑事责任。对受刑事处罚或者撤职处分的生产经营单位主要负责人，自刑罚执行完毕或者受处分之日起，五年内不得担任任何生产经营单位的主要负责人。对重特大事故负有主要责任的，在追究刑事责任的同时，明确终身不得担任本行业单位主要负责人。对落实重大危险源安全包保责任制、矿长带班下井等制度弄虚作假、搞“挂名矿长”逃避安全责任的，依法追究实际控制人的责任。",
    },
    // Source line 67.
    // Join: a page break split the paragraph between "专项整治" and "三年行动" (source line 69); rejoined without a space.
    Article {
        number: 16,
        measure: 6,
        title_zh: "深入开展全市安全生产大检查",
        text_zh: "深入开展全市安全生产大检查。从4月起至党的二十大结束，在全市范围内开展安全生产大检查。突出学习贯彻习近平总书记关于安全生产重要论述、全面落实安全生产责任制、排查化解重大安全隐患等内容，结合安全生产专项整治三年行动，紧盯矿山、危化品、道路和水上交通、渔业船舶、建筑施工、燃气、消防等重点行业领域以及商场、影院、医院、养老院、学校、幼儿园等人员密集场所和高层建筑，紧盯生产经营租住村（居）民自建房、群租屋、工业用地改变使用性质建筑等高风险场所和储能电站、月子中心、密室逃脱等新业态场所，全面深入排查整治安全风险隐患，决不能流于形式、走过场。",
    },
    // Source line 71.
    Article {
        number: 17,
        measure: 6,
        title_zh: "坚决整改排查发现的各类隐患",
        text_zh: "坚决整改排查发现的各类隐患。对在安全生产大检查中发现的问题隐患，要列出清单、明确要求、压实责任、限期整改。特别是对尾矿库、群租房、客车客船等存在的可能造成群死群伤的重大风险隐患，由市安委会挂牌督办，对拒不整改的要采取停产停工、追究刑责等坚决果断措施，坚决防止风险隐患演变为事故。要统筹疫情防控和公共安全，对人员密集场所和高层建筑封闭安全出口、疏散通道的，要立即责令整改。对排查整治不认真，未列入清单，经查实属于重大隐患的，要当作事故调查处理，引发事故的要从严从重追究责任。对基层难以解决的重要问题，要报告本级安委会和上级行业主管部门及时协调解决。各地、各有关部门于2022年6月底前将责任清单、9月底前将重大风险隐患清单及整改情况报市安委会办公室。",
    },
    // Source line 73.
    // Join: a page break split the paragraph between "查治理挺" and "在事故前" (source line 75); rejoined without a space.
    Article {
        number: 18,
        measure: 6,
        title_zh: "健全完善风险分级管控和隐患排查治理双重预防机制",
        text_zh: "健全完善风险分级管控和隐患排查治理双重预防机制。坚持把安全风险管控挺在隐患前面、把隐患排查治理挺在事故前面，加强安全风险研判。督促企业建立健全风险分级管控和隐患排查治理双重预防机制，对生产工艺、设备设施、作业环境、人员行为、管理体系等方面存在的安全风险开展全方位、全过程辨识，明确管控责任和措施，并对管控措施是否完好有效持续开展排查，及时消除安全隐患，严防生产安全事故发生。",
    },
    // Source line 79.
    Article {
        number: 19,
        measure: 7,
        title_zh: "严把项目审批安全关",
        text_zh: "严把项目审批安全关。当前经济社会发展的压力大，每一个项目、每一个环节都要以安全为前提，不能有丝毫疏漏。各级发展改革部门要建立完善安全风险评估与论证机制，不得“边审批、边设计、边施工”，对危化品、矿山、烟花爆竹、建筑施工、金属冶炼等行业领域高危项目和人员密集场所，不得以集中审批为名降低安全门槛。各级负有安全生产监督管理职责的部门要督促生产经营单位严格履行建设项目安全设施“三同时”规定，严格项目审查、建设、验收、投产闭环管理，对于当前集中开工的项目，逐一审核把关。对各地政府违规审批、强行上马的不达标项目，造成事故的要终身追责，对涉嫌违纪违法，需要给予党纪政务处分的，按照干部管理权限移送相关纪检监察机关办理。",
    },
    // Source line 81.
    // Join: a page break split the paragraph between "足国家各" and "行业的规" (source line 83); rejoined without a space.
    Article {
        number: 20,
        measure: 7,
        title_zh: "严格项目引进安全关",
        text_zh: "严格项目引进安全关。各地、各有关部门要贯彻构建新发展格局、实现高质量发展要求，坚决将不符合国家产业规划和地方规划的项目拒之门外，确保落地项目满足国家各行业的规范标准，坚决淘汰落后产能。",
    },
    // Source line 87.
    Article {
        number: 21,
        measure: 8,
        title_zh: "开展违法分包转包和挂靠资质专项整治行动",
        text_zh: "开展违法分包转包和挂靠资质专项整治行动。各级负有安全生产监督管理职责的部门要立即开展严厉查处违法分包转包和挂靠资质专项整治行动，坚决打击建筑施工、矿山、化工等高危行业领域建设、生产、经营活动中存在的违法分包转包和挂靠资质行为，严肃追究发包方、承包方法律责任。坚持“谁的资质谁负责，谁挂的牌子谁负责”，对发生生产安全事故的严格追究资质方的责任，遏制出借资质、无序扩张。",
    },
    // Source line 89.
    Article {
        number: 22,
        measure: 8,
        title_zh: "强化中省属企业安全管理",
        text_zh: "强化中省属企业安全管理。中省属企业要带头履行主体责任，发挥表率作用，建立安全生产专业化技术管理团队，加强对下属企业安全生产的指导、监督、考核、奖惩，不具备条件的不得盲目承接相关业务。要加强对分包单位等关联单位安全生产的指导、监督，实行安全生产的统一管理；对违法分包转包行为，通报其上级主管部门，需要给予党纪政务处分的，按照干部管理权限移送相关纪检监察机关办理。各级负有安全生产监督管理职责的部门要加强对中省属企业工作落实情况的督导检查，全面排查治理以中省属企业名义中标，实际上由没有技术团队支撑的单位具体施工的分包转包和挂靠资质行为。",
    },
    // Source line 93.
    // Join: a page break split the paragraph between "全教育培" and "训。生产" (source line 95); rejoined without a space.
    Article {
        number: 23,
        measure: 9,
        title_zh: "强化劳务派遣人员、灵活用工人员安全教育培训",
        text_zh: "强化劳务派遣人员、灵活用工人员安全教育培训。生产经营单位要将接受其作业指令的劳务派遣人员、灵活用工人员纳入本单位统一管理，落实全员安全生产责任制，履行安全生产保障责任，对劳务派遣人员、灵活用工人员进行岗位安全操作规程和安全操作技能的教育和培训，未经培训合格的不得上岗作业。生产经营单位对危险岗位人员要实行台账式管理，并向行业管理部门报备。要严控危险岗位劳务派遣员工数量，从事危化品、烟花爆竹、矿山、金属冶炼等高危行业的从业人员，必须具备入职人员资质和学历，企业要签订用工合同、履行用工手续，矿山井下作业禁止使用劳务派遣工。",
    },
    // Source line 97.
    Article {
        number: 24,
        measure: 9,
        title_zh: "开展劳务派遣人员、灵活用工人员安全管理专项整治",
        text_zh: "开展劳务派遣人员、灵活用工人员安全管理专项整治。各级负有安全生产监督管理职责的部门要迅速开展劳务派遣人员、灵活用工人员安全管理专项整治行动，对劳务派遣、灵活用工数量较多的行业领域，重点加强督导检查。对企业全员安全生产责任制落实不到位的责令限期整改。要严厉打击假冒安全监管部门网站及通过网络制假售假行为，严肃查处从业人员持假冒特种作业操作证上岗作业行为，进一步规范和完善特种作业操作证考核发放和信息查询。",
    },
    // Source line 99.
    Article {
        number: 25,
        measure: 9,
        title_zh: "依法保障劳务派遣人员、灵活用工人员权益",
        text_zh: "依法保障劳务派遣人员、灵活用工人员权益。中省属企业要带头减少危险作业领域灵活用工人员，但不得以安全生产为名辞退农民工，要加强教育培训，提高工人安全素质，提升企业本质安全水平。",
    },
    // Source line 103. The source numbers this article with half-width brackets
    // and a space ("(二十六) "); the numbering is dropped like all others.
    Article {
        number: 26,
        measure: 10,
        title_zh: "组织开展安全生产“打非治违”专项行动",
        text_zh: "组织开展安全生产“打非治违”专项行动。针对一些地区和行业领域违法违规生产经营建设突出问题，各地、各相关部门要迅速开展“打非治违”专项行动，对重点地区进行集中整治，严厉打击矿山违法盗采、油气管道乱挖乱钻、危化品非法生产运输经营、建筑无资质施工和层层转包、客车客船渔船非法运营、机动车非法改装和违规动火等典型非法违法行为。同时开展烟花爆竹、交通运输、城镇燃气、消防、特种设备、文化旅游、民爆物品以及工贸等重点行业领域全覆盖执法检查，全市所有餐饮等行业生产经营单位必须依法安装可燃气体报警装置。",
    },
    // Source line 105. The source numbers this article with half-width brackets
    // and a space ("(二十七) "); the numbering is dropped like all others.
    Article {
        number: 27,
        measure: 10,
        title_zh: "狠抓一批违法违规行为和事故的处理",
        text_zh: "狠抓一批违法违规行为和事故的处理。各地区、各相关部门要充分运用停产整顿、关闭取缔、上限处罚、追究法律责任等手段，对查出的违法行为严格依法处罚。对顶风作案、屡禁不止，以及责任不落实、监管不到位、失职渎职的要依规依纪依法从重惩处，加大曝光力度，强化震慑警示和宣传教育。“以点带线、以线扩面”深挖违法行为背后的“保护伞”，对监管执法人员和不法企业“猫鼠一家”的腐败问题，移交纪检监察机关严肃处理。",
    },
    // Source line 107. The source numbers this article with half-width brackets
    // and a space ("(二十八) "); the numbering is dropped like all others.
    Article {
        number: 28,
        measure: 10,
        title_zh: "建立“打非治违”长效机制",
        text_zh: "建立“打非治违”长效机制。巩固“打非治违”成果，推动“打非治违”常态化、制度化、规范化，督促企业建立“反三违”长效机制和自我约束机制，严防死灰复燃。",
    },
    // Source line 111.
    Article {
        number: 29,
        measure: 11,
        title_zh: "理直气壮执法",
        text_zh: "理直气壮执法。各级负有安全生产监管职责的部门要理直气壮，敢于动真碰硬，紧盯各类违法行为不放，督促企业彻底整改，不得选择性执法，不能宽松软、走过场。用好《安全生产法》《消防法》等法律利器，对安全生产违法行为必须依法依规处罚，不得以经济发展和营商环境为由只检查不处罚、以责令改正代替行政处罚。加强行刑衔接，严格落实《刑法修正案（十一）》，加大对危险作业行为刑事责任追究力度，不得以行政处罚代替移送。",
    },
    // Source line 113.
    Article {
        number: 30,
        measure: 11,
        title_zh: "强化精准执法",
        text_zh: "强化精准执法。推动实施分级分类监管执法，按照市县两级执法管理权限，确定各级管辖企业名单，建立重点检查企业和重点执法事项清单，围绕重点检查事项开展有针对性的检查，防止检查一般化、简单化。强化专业执法、联合执法，组织专家参与执法过程，加密对重点企业的执法检查频次。对事故暴露出的严重违法行为和突出问题，要以点带线、以线扩面，举一反三，加大对同类企业的执法检查力度，提高执法检查效能。",
    },
    // Source line 115.
    Article {
        number: 31,
        measure: 11,
        title_zh: "创新监管方式",
        text_zh: "创新监管方式。大力推进异地交叉、“线上+线下”、“干部+专家”、“明查+暗访”等检查方式，充分利用在线远程巡查、用水用电监测、视频监控、电子封条等新技术和信息化手段，及时发现违法盗采、冒险作业等行为，对关停的矿山要停止供电，派人现场盯守或巡查，严防明停暗采。",
    },
    // Source line 117.
    // Join: a page break split the paragraph between "过执法处" and "罚量化评" (source line 119); rejoined without a space.
    Article {
        number: 32,
        measure: 11,
        title_zh: "定期通报考核",
        text_zh: "定期通报考核。各级安委会办公室通过执法处罚量化评比、通报、典型案例交流等方式，推动各地加大执法检查力度，切实解决执法检查宽松软问题。",
    },
    // Source line 123.
    Article {
        number: 33,
        measure: 12,
        title_zh: "切实配齐建强安全监管执法队伍",
        text_zh: "切实配齐建强安全监管执法队伍。各地要按照“安全生产执法工作只能加强不能削弱”的要求，针对安全监管执法队伍“人少质弱”的实际，按不同安全风险等级企业数量，配齐建强安全监管执法队伍，确保有足够的力量承担安全生产监管执法任务。在探索跨领域跨部门综合行政执法时，要充分考虑安全监管执法的专业性、特殊性，不得简单撤并安全监管执法队伍。要贯彻《通化市安委会印发〈关于深化应急管理综合行政执法改革的实施方案〉的通知》（通安委〔2021〕11号）等文件精神，加快推进应急管理综合行政执法改革。同时，将执法改革成效纳入各级党委政府安全生产党政同责目标绩效管理考评的重要内容。",
    },
    // Source line 125.
    Article {
        number: 34,
        measure: 12,
        title_zh: "加强安全监管执法队伍专业化建设",
        text_zh: "加强安全监管执法队伍专业化建设。配强各级安全监管执法队伍领导班子，充实专业干部，培养执法骨干力量，强化专业知识和业务技能培训，尽快提高执法队伍整体素质和执法专业能力。按照国家要求推行聘用技术检查员和社会监督员协助开展行政执法、监督检查等工作，各级人力资源和社会保障部门积极配合应急管理部门做好专职技术检查员的招聘工作。技术检查员和社会监督员履行职责所需经费按相关规定予以保障。",
    },
    // Source line 127.
    Article {
        number: 35,
        measure: 12,
        title_zh: "加强安全监管执法装备和经费保障",
        text_zh: "加强安全监管执法装备和经费保障。按照《应急管理综合行政执法装备配备标准（试行）》《应急管理部关于加强应急管理综合行政执法用车保障工作的通知》等规定，加强专业执法装备配备，确保每5名在编在职的执法人员至少保障1辆执法用车，执法服装尽快配发到位。健全经费保障机制，将执法经费纳入财政预算，解决安全生产监管执法人员岗位津贴问题。",
    },
    // Source line 131.
    Article {
        number: 36,
        measure: 13,
        title_zh: "拓宽举报渠道",
        text_zh: "拓宽举报渠道。依托报纸、广播、电视、微信、微博等媒介，广泛宣传《吉林省重大事故隐患和安全生产违法违纪举报奖励暂行办法》，鼓励社会公众通过政务热线、举报电话和网站、来信来访等多种方式，对安全生产重大风险、事故隐患和违法行为进行举报。用好安全生产“吹哨人”制度，鼓励企业内部职工举报安全生产违法行为。",
    },
    // Source line 133.
    Article {
        number: 37,
        measure: 13,
        title_zh: "依法查处安全生产举报",
        text_zh: "依法查处安全生产举报。负有安全生产监督管理责任的部门要及时核查处理举报事项，依法保护举报人，对不认真核查处理或者私自泄露有关个人信息的，要严肃追责问责。",
    },
    // Source line 135.
    // Join: a page break split the paragraph between "员实行重" and "奖。" (source line 137); rejoined without a space.
    Article {
        number: 38,
        measure: 13,
        title_zh: "落实举报奖励兑现保障",
        text_zh: "落实举报奖励兑现保障。各地要积极争取财政支持，将安全生产举报奖励资金纳入同级财政预算，对查实的举报件，根据风险程度落实举报奖励，对报告重大安全风险、重大事故隐患或者举报安全生产违法行为的有功人员实行重奖。",
    },
    // Source line 141.
    Article {
        number: 39,
        measure: 14,
        title_zh: "严格落实事故直报制度",
        text_zh: "严格落实事故直报制度。认真贯彻《中共中央办公厅 国务院办公厅关于更加有效发挥统计监督职能作用的意见》，严格执行《关于做好生产安全事故统计信息归口直报工作的通知》（吉安监管统计〔2016〕165号），切实做好生产安全事故统计直报工作。相关部门要加强沟通协调和督促指导，定期对接核实事故数据，确保事故应报尽报。",
    },
    // Source line 143.
    Article {
        number: 40,
        measure: 14,
        title_zh: "加大对瞒报谎报迟报漏报事故行为的查处力度",
        text_zh: "加大对瞒报谎报迟报漏报事故行为的查处力度。生产安全事故隐瞒不报、谎报或者拖延不报的，对直接负责人和负有管理领导责任的人员依规依纪依法从严追究责任；构成犯罪的，依照刑法有关规定追究刑事责任。对初步认定的瞒报事故，一律由上级安委会挂牌督办，从严从快查处，必要时提级调查。",
    },
    // Source line 147.
    Article {
        number: 41,
        measure: 15,
        title_zh: "坚持一体化推进",
        text_zh: "坚持一体化推进。各级党委政府要正确统筹经济发展、疫情防控和安全生产的关系，把做好这三项工作作为一个整体，不能“单打一”。要注意调动各方面积极性，提倡互相协助、互相尊重、齐心协力，共同解决好面对的复杂问题。各级负有安全生产监督管理职责的部门要从实际出发，处理好“红灯”、“绿灯”、“黄灯”之间的关系，既要亮红灯，又要给黄灯、给绿灯，协调有序推进各项工作，引导形成良好市场预期。",
    },
    // Source line 149.
    Article {
        number: 42,
        measure: 15,
        title_zh: "加强安全服务指导",
        text_zh: "加强安全服务指导。各地、各相关部门要高度重视特困行业纾困问题，严格落实中央纾困政策。在确保安全的前提下，全力支持经济发展和疫情防控。要打好安全风险防控“组合拳”，扎实开展安全生产专项整治三年行动巩固提升，深化危险化学品安全风险集中整治，强化矿山、道路交通、建筑施工、消防、城镇燃气、有限空间、特种设备、文化旅游、民爆物品、烟花爆竹、水电站、工贸等重点领域的安全监管，注意发挥一线人员做好安全生产工作的主动性，全面推进企业主体责任落实。要寓监管于服务，主动担当作为，下沉企业一线开展调研指导，切实掌握了解企业安全生产工作中遇到的问题和困难，及时研究解决。要加强对防疫物资生产企业、医疗机构、方舱医院、隔离场所等涉疫重点单位的安全督导检查，为疫情防控工作保驾护航。",
    },
    // Source line 151.
    Article {
        number: 43,
        measure: 15,
        title_zh: "高质量统筹落实",
        text_zh: "高质量统筹落实。各级党委、政府要把握好政策基调，完整、准确、全面贯彻新发展理念，做到稳中求进，善于“弹钢琴”，高质量统筹做好各方面工作，坚决防止形式主义、官僚主义，真正体现党的执政能力水平，让党中央放心，让全市人民放心。",
    },
];

pub(super) static TASKS: [PackTask; 66] = [
    // Table line 173.
    PackTask {
        number: 1,
        measure: 1,
        articles: &[1],
        content: "各级党委把安全生产纳入党委议事日程和向全会报告工作的内容，自觉承担起一方发展、保一方平安的政治责任。",
        units_text: "各级党（工）委",
        deadline_text: "2022年9月底前完成，并长期坚持",
    },
    // Table line 174.
    PackTask {
        number: 2,
        measure: 1,
        articles: &[1],
        content: "各级党委将认真学习贯彻习近平总书记关于安全生产重要论述、安全生产法律法规等纳入理论学习中心组学习的重要内容，每季度至少集中学习1次，不断提升安全生产治理能力。",
        units_text: "各级党（工）委， 宣传部门",
        deadline_text: "2022年9月底前完成，并长期坚持",
    },
    // Table line 175.
    PackTask {
        number: 3,
        measure: 1,
        articles: &[2],
        content: "各级党委要加大安全生产等约束性指标在经济社会发展考核评价体系中的权重，将履行安全生产责任情况作为对党委政府领导班子和有关领导干部考核、有关人选考察的重要内容。",
        units_text: "各级党（工）委， 组织部门",
        deadline_text: "2022年9月底前完成，并长期坚持",
    },
    // Table line 178.
    PackTask {
        number: 4,
        measure: 1,
        articles: &[2],
        content: "县级以上党委每年至少对下级党委进行1次安全生产巡查,并将巡查结果作为对被巡查地区党委班子和有关领导干部考核、奖惩和使用的重要参考。",
        units_text: "县级以上(含,下同)党(工)委,组织部门",
        deadline_text: "2022年9月底前完成,并长期坚持",
    },
    // Table line 179.
    PackTask {
        number: 5,
        measure: 1,
        articles: &[2],
        content: "市委将安全生产工作纳入政治巡察。",
        units_text: "市委巡察办",
        deadline_text: "按照市委年度巡察工作安排",
    },
    // Table line 180.
    PackTask {
        number: 6,
        measure: 1,
        articles: &[3],
        content: "各级党委要把安全生产纳入党委常委会及其成员职责清单。",
        units_text: "各级党(工)委",
        deadline_text: "2022年9月底前完成",
    },
    // Table line 181.
    PackTask {
        number: 7,
        measure: 1,
        articles: &[3],
        content: "各级党委主要负责人每季度至少组织召开1次党委常委会,专题研究安全生产工作,解决安全监管部门领导班子、干部队伍、执法力量等重大问题。相关会议纪要抄报上级安委会办公室。",
        units_text: "各级党(工)委",
        deadline_text: "2022年9月底前完成,并长期坚持",
    },
    // Table line 182.
    PackTask {
        number: 8,
        measure: 1,
        articles: &[3],
        content: "参照抓经济分片包保的模式,实行县级以上党委常委安全生产分片包保工作机制。",
        units_text: "县级以上党(工)委",
        deadline_text: "2022年9月底前完成,并长期坚持",
    },
    // Table line 183.
    PackTask {
        number: 9,
        measure: 1,
        articles: &[3],
        content: "各级党委主要负责人每季度至少带队督促检查1次安全生产工作及党委常委会成员落实安全生产一岗双责制度实施情况。重点敏感时期要加密检查频次。",
        units_text: "各级党(工)委",
        deadline_text: "2022年9月底前完成,并长期坚持",
    },
    // Table line 184.
    PackTask {
        number: 10,
        measure: 1,
        articles: &[3],
        content: "各级党委常委会其他成员每季度至少带队督促检查1次安全生产工作。重点敏感时期要加密检查频次。",
        units_text: "各级党(工)委",
        deadline_text: "2022年9月底前完成,并长期坚持",
    },
    // Table line 187.
    PackTask {
        number: 11,
        measure: 2,
        articles: &[4],
        content: "各级政府要把安全生产纳入政府重要议事日程，把安全发展理念具体落实到经济社会发展各领域、各环节。",
        units_text: "各级政府，高新区、港务区管委会",
        deadline_text: "2022年9月底前完成，并长期坚持",
    },
    // Table line 188.
    PackTask {
        number: 12,
        measure: 2,
        articles: &[4],
        content: "各级政府组织制定政府领导干部安全生产职责清单和年度任务清单，并加强监督检查。",
        units_text: "各级政府，高新区、港务区管委会",
        deadline_text: "2022年9月底前完成，并长期坚持",
    },
    // Table line 189.
    PackTask {
        number: 13,
        measure: 2,
        articles: &[4],
        content: "各级政府主要负责人每季度至少组织召开1次政府常务会议或专题会议，分析安全生产形势，研究部署安全生产工作。各级政府主要负责人每季度至少带队开展1次安全生产检查。重点敏感时期要加密检查频次。",
        units_text: "各级政府，高新区、港务区管委会",
        deadline_text: "2022年9月底前完成，并长期坚持",
    },
    // Table line 190.
    PackTask {
        number: 14,
        measure: 2,
        articles: &[4],
        content: "各级政府其他领导干部每季度至少向政府主要负责人汇报1次分管行业（领域）、部门（单位）的安全生产工作，至少组织召开1次分管行业（领域）、部门（单位）安全生产会议，至少组织1次分管行业（领域）、部门（单位）安全生产监督检查。重点敏感时期要加密检查频次。",
        units_text: "各级政府，高新区、港务区管委会",
        deadline_text: "2022年9月底前完成，并长期坚持",
    },
    // Table line 191.
    PackTask {
        number: 15,
        measure: 2,
        articles: &[5],
        content: "各级安委会要创造条件实现实体化运行，强化统筹协调职能，组织定期研判重大安全风险，滚动排查重大安全隐患，主动协调加强铁路、电力等跨区域跨部门安全工作。",
        units_text: "各级安委会",
        deadline_text: "2022年12月底前完成，并长期坚持",
    },
    // Table line 194.
    // Fix/note: Measure by reading: the table prints this row on the page headed 三、 (measure 3), but the task restates article 6 (measure 2).
    PackTask {
        number: 16,
        measure: 2,
        articles: &[6],
        content: "县级以上政府每年对下级政府至少进行1次安全生产巡查和考核，将巡查考核结果作为对被巡查考核地区政府班子和有关领导干部考核、奖惩和使用的重要参考。",
        units_text: "县级以上政府，各级安委会，各级组织部门",
        deadline_text: "2022年12月底前完成，并长期坚持",
    },
    // Table line 195.
    PackTask {
        number: 17,
        measure: 3,
        articles: &[7],
        content: "各级负有安全生产监督管理职责的部门每季度至少召开1次专题办公会议，研究解决本行业（领域）安全生产突出问题。",
        units_text: "各级负有安全生产监督管理职责的部门",
        deadline_text: "2022年9月底前完成，并长期坚持",
    },
    // Table line 196.
    PackTask {
        number: 18,
        measure: 3,
        articles: &[7],
        content: "市县两级负有安全生产监督管理职责的部门分别每2个月、每月至少组织检查1次本行业（领域）安全生产重点工作。重点敏感时期要加密检查频次。",
        units_text: "各级负有安全生产监督管理职责的部门",
        deadline_text: "2022年12月底前完成，并长期坚持",
    },
    // Table line 197.
    PackTask {
        number: 19,
        measure: 3,
        articles: &[8],
        content: "对职能交叉领域和新业态新风险，按照谁主管谁牵头、谁为主谁牵头、谁靠近谁牵头的原则，由县级以上政府及时明确监管责任。",
        units_text: "县级以上政府",
        deadline_text: "加快推进",
    },
    // Table line 198.
    PackTask {
        number: 20,
        measure: 3,
        articles: &[9],
        content: "各级负有安全生产监督管理职责的部门抓实危化品、燃气、道路交通、电动自行车等领域的全链条监管责任。",
        units_text: "各级负有安全生产监督管理职责的部门，各级消防救援机构",
        deadline_text: "2022年9月底前完成，并长期坚持",
    },
    // Table line 199.
    PackTask {
        number: 21,
        measure: 3,
        articles: &[9],
        content: "各级负有安全生产监督管理职责的部门对直接关系安全的取消下放事项开展一次全面评估，对基层接不住、监管跟不上的要及时纠正，必要时收回。",
        units_text: "各级负有安全生产监督管理职责的部门",
        deadline_text: "2022年9月底前完成",
    },
    // Table line 202.
    // Fix/note: HTML <p> tags from the extraction removed from the cells of this row.
    PackTask {
        number: 22,
        measure: 3,
        articles: &[10],
        content: "各级安委会办公室要发挥统筹、协调、指导作用，加强考核巡查、警示提醒、挂牌督办、提级调查，切实推动负有安全生产监督管理职责的部门落实安全监管责任。",
        units_text: "各级安委会办公室",
        deadline_text: "长期坚持",
    },
    // Table line 203.
    // Fix/note: HTML <p> tags from the extraction removed from the cells of this row.
    // Fix/note: Units text: a stray "、" before "，" (县级以上政府、，高新区…) removed.
    PackTask {
        number: 23,
        measure: 3,
        articles: &[11],
        content: "各有关部门、有关企业要提出一批有利于提升安全水平和长期发展的项目，抓紧上报审批。相关项目申请立项等进展情况要及时抄送同级安委会办公室，将项目清单报市安委会办公室。",
        units_text: "县级以上政府，高新区、港务区管委会，各级发改、工信等部门，有关生产经营单位",
        deadline_text: "2022年9月底前完成",
    },
    // Table line 204.
    // Fix/note: HTML <p> tags from the extraction removed from the cells of this row.
    // Fix/note: Kept verbatim: the table reads 较大事故一票否决, article 12 reads 较大事故“一票否优”.
    PackTask {
        number: 24,
        measure: 4,
        articles: &[12],
        content: "严格落实重大生产安全事故一票否决、较大事故一票否决制度。对不认真履行职责造成较大以上生产安全事故的，不仅要追究直接责任，而且要追究属地党委和政府领导责任、有关部门监管责任，特别是重特大事故，要追究主要领导、分管领导责任。发生一般生产安全事故，参照较大以上事故依法进行追责。",
        units_text: "各级党（工）委、政府，高新区、港务区管委会，各级纪检监察机关",
        deadline_text: "2022年12月底前完成，并长期坚持",
    },
    // Table line 207.
    // Fix/note: HTML <p> tags from the extraction removed from the cells of this row.
    // Fix/note: Units text: traditional characters 級/會 from the extraction (各級, 管委會) normalised to 级/会.
    // Fix/note: Kept verbatim: 依规依法依规 (sic; article 13 reads 依规依纪依法).
    PackTask {
        number: 25,
        measure: 4,
        articles: &[13],
        content: "对非法煤矿、违法盗采等严重违法违规行为没有采取有效制止措施甚至放任不管的，依规依法依规追究各级党委、政府和监管部门责任，构成犯罪的移交司法机关追究刑事责任。监察机关依照《安全生产法》第七十一条规定，对负有安全生产监督管理职责的部门及其工作人员履行安全生产监督管理职责实施监察。",
        units_text: "各级党（工）委、政府，高新区、港务区管委会，各级纪检监察机关，各级法院、检察院",
        deadline_text: "长期坚持",
    },
    // Table line 208.
    // Fix/note: HTML <p> tags from the extraction removed from the cells of this row.
    // Fix/note: Tasks 26 and 27 share one row in the extracted table: the responsible-unit cell is shared (it applies to both), the deadline cell holds one phrase per task in order.
    // Fix/note: Units text: traditional 級 from the extraction (各級) normalised to 级.
    PackTask {
        number: 26,
        measure: 5,
        articles: &[14],
        content: "生产经营单位主要负责人要严格履行《安全生产法》等法律法规规定的各项职责，严格落实重大危险源安全包保责任制、矿长带班下井等制度规定。",
        units_text: "各级负有安全生产监督管理职责的部门，各级法院、检察院",
        deadline_text: "2022年9月底前完成，并长期坚持",
    },
    // Table line 208.
    // Fix/note: HTML <p> tags from the extraction removed from the cells of this row.
    // Fix/note: Tasks 26 and 27 share one row in the extracted table: the responsible-unit cell is shared (it applies to both), the deadline cell holds one phrase per task in order.
    // Fix/note: Units text: traditional 級 from the extraction (各級) normalised to 级.
    PackTask {
        number: 27,
        measure: 5,
        articles: &[15],
        content: "加大对企业主要负责人依法履责情况的检查力度，按照《安全生产法》的规定，对不履行安全管理职责的要严格予以处罚，导致发生生产安全事故的，给予撤职处分；构成犯罪的，依照刑法有关规定追究刑事责任。对重特大事故负有主要责任的，在追究刑事责任的同时，明确终身不得担任本行业单位主要负责人的。对落实重大危险源安全包保责任制、矿长带班下井等制度弄虚作假、搞挂名矿长逃避安全责任的，依法追究实际控制人的责任。",
        units_text: "各级负有安全生产监督管理职责的部门，各级法院、检察院",
        deadline_text: "长期坚持",
    },
    // Table line 211.
    // Fix/note: HTML <p> tags from the extraction removed from the cells of this row.
    // Fix/note: Kept verbatim: the deadline reads 结束的 with a trailing 的; the deadline parser accepts it.
    // Fix/note: Articles: the task covers the inspection campaign of article 16 and the lists of article 17.
    PackTask {
        number: 28,
        measure: 6,
        articles: &[16, 17],
        content: "自2022年4月起，在全市范围内开展安全生产大检查，全面深入排查整治安全风险隐患。对在安全生产大检查中发现的问题隐患，要列出清单、明确要求、压实责任、限期整改。6月底前将责任清单、9月底前将重大风险隐患清单及整改情况报市安委会办公室。",
        units_text: "各级安委会，各级负有安全生产监督管理职责的部门，各级消防救援机构",
        deadline_text: "2022年4月至党的二十大结束的",
    },
    // Table line 212.
    // Fix/note: HTML <p> tags from the extraction removed from the cells of this row.
    PackTask {
        number: 29,
        measure: 6,
        articles: &[17],
        content: "对尾矿库、群租房、客车客船等存在的可能造成群死群伤的重大风险隐患，由市安委会挂牌督办，对拒不整改的采取停产停工、追究刑事责任果断措施，坚决防止风险隐患演变为事故。",
        units_text: "各级安委会，各级负有安全生产监督管理职责的部门",
        deadline_text: "2022年9月底前完成",
    },
    // Table line 213.
    // Fix/note: HTML <p> tags from the extraction removed from the cells of this row.
    // Fix/note: Kept verbatim: 高层建筑建筑 (sic). Units text keeps the space that separates its two items (no comma in the table).
    PackTask {
        number: 30,
        measure: 6,
        articles: &[17],
        content: "统筹疫情防控和公共安全，对商场、影院、医院、养老院、学校、幼儿园等人员密集场所和高层建筑建筑封闭安全出口、疏散通道的，要立即责令整改。",
        units_text: "各级消防救援机构 各级负有安全生产监督管理职责的部门",
        deadline_text: "2022年9月底前完成",
    },
    // Table line 214.
    // Fix/note: HTML <p> tags from the extraction removed from the cells of this row.
    PackTask {
        number: 31,
        measure: 6,
        articles: &[17],
        content: "对排查整治不认真，未列入清单，经查实属于重大隐患的，要当作事故调查处理，引发事故的要从严从重追究责任。对基层难以解决的重要问题，要报告本级安委会和上级行业主管部门及时协调解决。",
        units_text: "各级安委会，各级负有安全生产监督管理职责的部门，各级纪检监察机关，各级法院、检察院",
        deadline_text: "2022年9月底前完成",
    },
    // Table line 217.
    // Fix/note: Measure by reading: the table prints this row on the page headed 七、 (measure 7), but the task restates article 18 (measure 6).
    PackTask {
        number: 32,
        measure: 6,
        articles: &[18],
        content: "督促企业建立健全风险分级管控和隐患排查治理双重预防机制，明确管控责任和措施，持续开展排查，及时消除安全隐患。",
        units_text: "各级负有安全生产监督管理职责的部门",
        deadline_text: "2022 年 9 月底前完成，并长期坚持",
    },
    // Table line 218.
    // Fix/note: Kept verbatim: 安全风险评估理论与论证机制 (sic; article 19 reads 安全风险评估与论证机制).
    PackTask {
        number: 33,
        measure: 7,
        articles: &[19],
        content: "各级发展改革部门要建立完善安全风险评估理论与论证机制，不得边审批、边设计、边施工，对危化品、矿山、烟花爆竹、建筑施工、金属冶炼等行业领域高危项目和人员密集场所，不得以集中审批为名降低安全门槛。",
        units_text: "各级发改部门",
        deadline_text: "2022 年 9 月底前完成，并长期坚持",
    },
    // Table line 219.
    PackTask {
        number: 34,
        measure: 7,
        articles: &[19],
        content: "各级负有安全生产监督管理职责的部门要督促生产经营单位严格履行建设项目安全设施“三同时”规定，严格项目审查、建设、验收、投产闭环管理，对于当前集中开工的项目，逐一审核把关。",
        units_text: "各级负有安全生产监督管理职责的部门",
        deadline_text: "2022 年 9 月底前完成，并长期坚持",
    },
    // Table line 220.
    PackTask {
        number: 35,
        measure: 7,
        articles: &[19],
        content: "对各地政府违规审批、强行上马的不达标项目，造成事故的要终身追责，对涉嫌违纪违法，需要给予党纪政务处分的，按照干部管理权限移送相关纪检监察机关办理。",
        units_text: "同级党委",
        deadline_text: "长期坚持",
    },
    // Table line 221.
    PackTask {
        number: 36,
        measure: 7,
        articles: &[20],
        content: "坚决将不符合国家产业规划和地方规划的项目拒之门外，确保落地项目满足国家各行业的规范标准，坚决淘汰落后产能。",
        units_text: "各级政府、开发区管委会",
        deadline_text: "长期坚持",
    },
    // Table line 224.
    PackTask {
        number: 37,
        measure: 8,
        articles: &[21],
        content: "开展严厉查处违法分包转包和挂靠资质专项整治行动，严肃追究发包方、承包方法律责任，遏制出借资质、无序扩张。",
        units_text: "各级负有安全生产监督管理职责的部门",
        deadline_text: "2022年9月底前完成，并长期坚持",
    },
    // Table line 225.
    PackTask {
        number: 38,
        measure: 8,
        articles: &[22],
        content: "中省属企业要建立安全生产专业化技术管理团队，加强对下属企业安全生产的指导、监督、考核和奖惩。对分包单位等关联单位实行统一管理，对违法分包转包行为，通报其上级主管部门，需要给予党纪政务处分的，按照干部管理权限移送相关纪检监察机关办理。",
        units_text: "中省属企业",
        deadline_text: "2022年9月底前完成，并长期坚持",
    },
    // Table line 226.
    // Fix/note: Measure by reading: the table prints the heading 九、 twice next to this row, but the task restates article 22 (measure 8).
    PackTask {
        number: 39,
        measure: 8,
        articles: &[22],
        content: "严厉查处以中省属企业名义中标，实际上由没有技术团队支撑的单位具体施工的分包转包和挂靠资质行为。",
        units_text: "各级负有安全生产监督管理职责的部门",
        deadline_text: "2022年9月底前完成，并长期坚持",
    },
    // Table line 227.
    PackTask {
        number: 40,
        measure: 9,
        articles: &[23],
        content: "将劳务派遣人员、灵活用工人员纳入统一管理，履行安全生产保障责任，进行教育和培训，对危险岗位人员实行台账式管理，严控危险岗位劳务派遣员工数量，并严格落实使用规定。",
        units_text: "生产经营单位",
        deadline_text: "长期坚持",
    },
    // Table line 230.
    // Fix/note: HTML <p> tags from the extraction removed from the cells of this row.
    PackTask {
        number: 41,
        measure: 9,
        articles: &[24],
        content: "开展劳务派遣人员、灵活用工人员安全管理专项整治行动，加强督导检查，及时对企业责任落实不到位的责令整改。严厉打击假冒安全监管部门网站及通过网络制假售假行为，严肃查处从业人员持假特种作业操作证上岗作业行为，规范和完善特种作业操作证考核发放和信息查询。",
        units_text: "各级负有安全生产监督管理职责的部门，各级公安、网信部门",
        deadline_text: "2022年9月底前完成，并长期坚持",
    },
    // Table line 231.
    // Fix/note: HTML <p> tags from the extraction removed from the cells of this row.
    PackTask {
        number: 42,
        measure: 9,
        articles: &[25],
        content: "带头减少危险作业领域灵活用工人员，不得以安全生产为名辞退农民工，要加强教育培训，提高工人安全素质。",
        units_text: "中省属企业",
        deadline_text: "长期坚持",
    },
    // Table line 232.
    // Fix/note: HTML <p> tags from the extraction removed from the cells of this row.
    PackTask {
        number: 43,
        measure: 10,
        articles: &[26],
        content: "组织开展打非治违专项行动，对重点地区和典型非法违法行为进行集中整治。",
        units_text: "各级负有安全生产监督管理职责的部门，各级消防救援机构",
        deadline_text: "2022年9月底前完成",
    },
    // Table line 233.
    // Fix/note: HTML <p> tags from the extraction removed from the cells of this row.
    PackTask {
        number: 44,
        measure: 10,
        articles: &[26],
        content: "开展烟花爆竹、交通运输、城镇燃气、消防、特种设备、文化旅游、民爆物品以及工贸等重点行业领域全覆盖执法检查。督促全市所有餐饮等行业生产经营单位必须依法安装可燃气体报警装置。",
        units_text: "各级工信、公安、商务、住建、交通运输、文旅、应急、市场监管等部门，各级消防救援机构",
        deadline_text: "2022年9月底前完成，并长期坚持",
    },
    // Table line 234.
    // Fix/note: HTML <p> tags from the extraction removed from the cells of this row.
    PackTask {
        number: 45,
        measure: 10,
        articles: &[27],
        content: "充分运用停产整顿、关闭取缔、上限处罚、追究法律责任等手段，对违法行为严格依法处罚，加大曝光力度，强化震慑警示和宣传教育。",
        units_text: "各级负有安全生产监督管理职责的部门",
        deadline_text: "2022年9月底前完成，并长期坚持",
    },
    // Table line 237.
    // Fix/note: HTML <p> tags from the extraction removed from the cells of this row.
    // Fix/note: Tasks 46 and 47 share one row in the extracted table: the responsible-unit and deadline cells apply to both.
    // Fix/note: Measure by reading: printed on the page headed 十一、, but the task restates article 27 (measure 10).
    PackTask {
        number: 46,
        measure: 10,
        articles: &[27],
        content: "对责任不落实、监管不到位、失职渎职的依规依纪依法从重惩处,深挖违法行为背后保护伞,严肃处理监管执法人员和不法企业猫鼠一家等腐败问题。",
        units_text: "各级纪检监察机关,各级法院、检察院",
        deadline_text: "2022年9月底前完成,并长期坚持",
    },
    // Table line 237.
    // Fix/note: HTML <p> tags from the extraction removed from the cells of this row.
    // Fix/note: Tasks 46 and 47 share one row in the extracted table: the responsible-unit and deadline cells apply to both.
    // Fix/note: Measure by reading: printed on the page headed 十一、, but the task restates article 28 (measure 10).
    PackTask {
        number: 47,
        measure: 10,
        articles: &[28],
        content: "建立打非治违长效机制,推动打非治违常态化、制度化、规范化。",
        units_text: "各级纪检监察机关,各级法院、检察院",
        deadline_text: "2022年9月底前完成,并长期坚持",
    },
    // Table line 238.
    // Fix/note: HTML <p> tags from the extraction removed from the cells of this row.
    PackTask {
        number: 48,
        measure: 11,
        articles: &[29],
        content: "用好《安全生产法》《消防法》等法律利器,依法处罚安全生产违法行为,不得以经济发展和营商环境为由只检查不处罚、以责令改正代替处罚。严格落实《刑法修正案(十一)》,加大对危险作业行为刑事责任追究力度,不得以行政处罚代替移送。",
        units_text: "各级负有安全生产监督管理职责的部门,各级消防救援机构",
        deadline_text: "2022年9月底前完成,并长期坚持",
    },
    // Table line 239.
    // Fix/note: HTML <p> tags from the extraction removed from the cells of this row.
    // Fix/note: Tasks 49 and 50 share one content cell in the extracted table; the row after it (source line 240) carries a separate units and deadline cell for task 50, identical to those of task 49.
    PackTask {
        number: 49,
        measure: 11,
        articles: &[30],
        content: "按照市县两级执法管理权限,确定各级管辖企业名单,建立重点检查企业和重点执法事项清单,开展针对性检查。",
        units_text: "各级负有安全生产监督管理职责的部门",
        deadline_text: "2022年9月底前完成,并长期坚持",
    },
    // Table line 239.
    // Fix/note: HTML <p> tags from the extraction removed from the cells of this row.
    // Fix/note: Tasks 49 and 50 share one content cell in the extracted table; the row after it (source line 240) carries a separate units and deadline cell for task 50, identical to those of task 49.
    PackTask {
        number: 50,
        measure: 11,
        articles: &[31],
        content: "推进异地交叉、线上线下、干部专家、明查暗访等方式,充分利用在线远程巡查、用水用电监测、视频监控、电子封条等信息化手段开展检查。",
        units_text: "各级负有安全生产监督管理职责的部门",
        deadline_text: "2022年9月底前完成,并长期坚持",
    },
    // Table line 243.
    // Fix/note: The extracted table prints the number as "551"; it is task 51.
    PackTask {
        number: 51,
        measure: 11,
        articles: &[32],
        content: "通过执法处罚量化评比、通报、典型案例交流等方式，推动各地加大执法检查力度，切实解决执法检查宽松软问题。",
        units_text: "各级安委会办公室",
        deadline_text: "2022年9月底前完成，并长期坚持",
    },
    // Table line 244.
    // Fix/note: Kept verbatim: 综合执法行政 (sic; article 33 reads 综合行政执法).
    PackTask {
        number: 52,
        measure: 12,
        articles: &[33],
        content: "按照不同安全风险等级企业数量，配齐建强安全监管执法队伍，确保有足够的力量承担安全生产监管执法任务。在探索跨领域跨部门综合执法行政时，要充分考虑安全监管执法的专业性、特殊性，不得简单撤并安全监管执法队伍。",
        units_text: "各级党（工）委，组织、机构编制部门",
        deadline_text: "2022年9月底前完成",
    },
    // Table line 245.
    PackTask {
        number: 53,
        measure: 12,
        articles: &[33],
        content: "加快推进应急管理综合行政执法改革，将执法改革成效纳入各级党委政府安全生产党政同责目标绩效管理考评的重要内容。",
        units_text: "各级党（工）委、政府、开发区管委会",
        deadline_text: "2022年9月底前完成",
    },
    // Table line 246.
    PackTask {
        number: 54,
        measure: 12,
        articles: &[34],
        content: "配强各级安全监管执法领导班子，充实专业干部，培养执法骨干力量，强化专业知识和业务技能培训。",
        units_text: "各级组织部门，各级负有安全生产监督管理职责的部门",
        deadline_text: "2022年12月底前完成，并长期坚持",
    },
    // Table line 247.
    // Fix/note: Kept verbatim: 部門 is a traditional character from the extraction (应急管理部門).
    PackTask {
        number: 55,
        measure: 12,
        articles: &[34],
        content: "按照国家要求推行聘用技术检查员和社会监督员协助开展行政执法、监督检查等工作，各级人力资源和社会保障部门积极配合应急管理部門做好专职技术检查员的招聘工作。技术检查员和社会监督员履行职责所需经费按相关规定予以保障。",
        units_text: "各级应急、司法、人社、财政部门",
        deadline_text: "2022年9月底前完成，并长期坚持",
    },
    // Table line 250.
    // Fix/note: Measure by reading: printed on the page headed 十三、, but the task restates article 35 (measure 12).
    PackTask {
        number: 56,
        measure: 12,
        articles: &[35],
        content: "加强专业执法装备配备,确保每5名在编在职的执法人员至少保障1辆执法用车,尽快配发执法服装,将执法经费纳入财政预算,尽快解决应急管理综合执法人员岗位津贴问题。",
        units_text: "各级负有安全生产监督管理职责的部门,各级司法、机关事务管理、人社、财政部门",
        deadline_text: "2022年9月底前完成",
    },
    // Table line 251.
    // Fix/note: Tasks 57 and 58 share one row in the extracted table: the responsible-unit and deadline cells apply to both.
    PackTask {
        number: 57,
        measure: 13,
        articles: &[36],
        content: "广泛宣传《吉林省重大事故隐患和安全生产违法违规举报奖励暂行办法》,鼓励社会公众、内部职工通过多种方式进行举报。",
        units_text: "各级宣传部门,各级负有安全生产监督管理职责的部门",
        deadline_text: "长期坚持",
    },
    // Table line 251.
    // Fix/note: Tasks 57 and 58 share one row in the extracted table: the responsible-unit and deadline cells apply to both.
    // Fix/note: Articles: the task covers article 37 (handling reports) and article 38 (reward funding).
    PackTask {
        number: 58,
        measure: 13,
        articles: &[37, 38],
        content: "及时核查处理举报事项,依法保护举报人,将安全生产举报奖励资金纳入同级财政部门预算,根据风险程度及时兑现举报奖励。",
        units_text: "各级宣传部门,各级负有安全生产监督管理职责的部门",
        deadline_text: "长期坚持",
    },
    // Table line 252.
    PackTask {
        number: 59,
        measure: 14,
        articles: &[39],
        content: "严格执行《关于做好生产安全事故统计信息归口直报工作的通知》(吉安监管统计〔2016〕165号),切实做好生产安全事故统计直报工作。",
        units_text: "各级负有安全生产监督管理职责的部门",
        deadline_text: "长期坚持",
    },
    // Table line 255.
    // Fix/note: Kept verbatim: 依规依法依规 (sic; article 40 reads 依规依纪依法).
    PackTask {
        number: 60,
        measure: 14,
        articles: &[40],
        content: "生产安全事故隐瞒不报、谎报或者拖延不报的，对直接负责人和负有管理领导责任的人员依规依法依规从严追究责任；构成犯罪的，依照刑法有关规定追究刑事责任。",
        units_text: "各级负有安全生产监督管理职责的部门，各级纪检监察机关，各级法院、检察院",
        deadline_text: "长期坚持",
    },
    // Table line 256.
    PackTask {
        number: 61,
        measure: 14,
        articles: &[40],
        content: "对初步认定的瞒报事故，一律挂牌督办，从严从快查处，必要时提级调查。",
        units_text: "市安委会",
        deadline_text: "长期坚持",
    },
    // Table line 257.
    PackTask {
        number: 62,
        measure: 15,
        articles: &[41],
        content: "正确统筹经济发展、疫情防控和安全生产的关系，把三项工作作为一个整体，注意调动各方面积极性，提倡互相协助、互相尊重、齐心协力，共同解决问题。",
        units_text: "各级党（工）委、政府，高新区、港务区管委会",
        deadline_text: "长期坚持",
    },
    // Table line 258.
    // Fix/note: Content: "红灯 绿灯 黄灯 之间" restored to "红灯、绿灯、黄灯之间". Article 41 reads “红灯”、“绿灯”、“黄灯”; the table drops quotation marks everywhere, so only the separators are restored.
    PackTask {
        number: 63,
        measure: 15,
        articles: &[41],
        content: "从实际出发，处理好红灯、绿灯、黄灯之间的关系，既要亮红灯，又要给黄灯、给绿灯，协调有序推进各项工作。",
        units_text: "各级党（工）委、政府，高新区、港务区管委会，各级负有安全生产监督管理职责的部门",
        deadline_text: "长期坚持",
    },
    // Table line 259.
    // Fix/note: Content: extraction artefact "问题 and 困难" restored to "问题和困难" (article 42 reads 问题和困难).
    PackTask {
        number: 64,
        measure: 15,
        articles: &[42],
        content: "重视特困行业纾困问题，严格落实中央纾困政策；寓监管于服务，切实掌握了解企业安全生产工作中遇到的问题和困难，及时研究解决。",
        units_text: "各级党（工）委、政府，高新区、港务区管委会，各级相关部门",
        deadline_text: "长期坚持",
    },
    // Table line 262.
    // Fix/note: HTML <p> tags from the extraction removed from the cells of this row.
    PackTask {
        number: 65,
        measure: 15,
        articles: &[42],
        content: "加强对防疫物资生产企业、医疗机构、方舱医院、隔离场所等涉疫重点单位的安全督导检查。",
        units_text: "各级工信、住建、卫健、应急等部门，各级消防救援机构",
        deadline_text: "2022 年 9 月底前完成，并长期坚持",
    },
    // Table line 263.
    // Fix/note: HTML <p> tags from the extraction removed from the cells of this row.
    PackTask {
        number: 66,
        measure: 15,
        articles: &[43],
        content: "把握政策基调，完整、准确、全面贯彻新发展理念，稳中求进，高质量统筹做好各方面工作，坚决防止形式主义、官僚主义，真正体现党的执政能力水平。",
        units_text: "各级党（工）委、政府，高新区、港务区管委会",
        deadline_text: "长期坚持",
    },
];
