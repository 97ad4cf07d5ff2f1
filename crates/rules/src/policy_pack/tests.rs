use super::*;
use crate::deadline_phrase::DeadlineKind;
use crate::org::{OrgKind, Sector};
use crate::unit_phrase::{LevelScope, Target};

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid test date")
}

/// The expected reading of a deadline phrase, in short.
#[derive(Debug, Clone, Copy)]
enum Due {
    /// End of September 2022, then ongoing.
    Sep,
    /// End of September 2022.
    SepOnly,
    /// End of December 2022, then ongoing.
    Dec,
    /// 长期坚持.
    Ongoing,
    /// 加快推进.
    NoDate,
    /// 按照市委年度巡察工作安排: every year.
    Yearly,
    /// April 2022 until the 20th Party Congress closed.
    Window,
}

impl Due {
    fn deadline(self) -> Deadline {
        let (due, ongoing, window, kind) = match self {
            Due::Sep => (
                Some(ymd(2022, 9, 30)),
                true,
                None,
                DeadlineKind::DatedThenOngoing,
            ),
            Due::SepOnly => (Some(ymd(2022, 9, 30)), false, None, DeadlineKind::Dated),
            Due::Dec => (
                Some(ymd(2022, 12, 31)),
                true,
                None,
                DeadlineKind::DatedThenOngoing,
            ),
            Due::Ongoing => (None, true, None, DeadlineKind::Ongoing),
            Due::NoDate => (None, false, None, DeadlineKind::NoFixedDate),
            Due::Yearly => (None, true, None, DeadlineKind::Yearly),
            Due::Window => (
                Some(ymd(2022, 10, 22)),
                false,
                Some((ymd(2022, 4, 1), ymd(2022, 10, 22))),
                DeadlineKind::Window,
            ),
        };
        Deadline {
            due,
            ongoing,
            window_start: window.map(|(start, _)| start),
            window_end: window.map(|(_, end)| end),
            kind,
        }
    }
}

const PC: Target = Target::Kind(OrgKind::PartyCommittee);
const GOV: Target = Target::Kind(OrgKind::Government);
const SC: Target = Target::Kind(OrgKind::SafetyCommittee);
const SO: Target = Target::Kind(OrgKind::SafetyOffice);
const DIS: Target = Target::Kind(OrgKind::Discipline);
const COURT: Target = Target::Kind(OrgKind::Court);
const PROC: Target = Target::Kind(OrgKind::Procuratorate);
const FIRE: Target = Target::Kind(OrgKind::FireRescue);
const ZONES: Target = Target::ZoneCommittees;
const SUP: Target = Target::SupervisingDepartments;
const REL: Target = Target::RelatedDepartments;
const CPE: Target = Target::CentralProvincialEnterprises;
const PU: Target = Target::ProductionUnits;

const fn dept(sector: Sector) -> Target {
    Target::Department(sector)
}

const A: LevelScope = LevelScope::All;
const CAB: LevelScope = LevelScope::CountyAndAbove;
const CITY: LevelScope = LevelScope::City;
const SAME: LevelScope = LevelScope::SameLevel;

/// One task's expected reading: number, deadline, selectors in order.
type Expectation = (u8, Due, Vec<(LevelScope, Target)>);

/// Every task's expected reading.
fn expected() -> Vec<Expectation> {
    use Due::*;
    use Sector::*;
    vec![
        (1, Sep, vec![(A, PC)]),
        (2, Sep, vec![(A, PC), (A, dept(Publicity))]),
        (3, Sep, vec![(A, PC), (A, dept(Organization))]),
        (4, Sep, vec![(CAB, PC), (CAB, dept(Organization))]),
        (5, Yearly, vec![(CITY, dept(Inspection))]),
        (6, SepOnly, vec![(A, PC)]),
        (7, Sep, vec![(A, PC)]),
        (8, Sep, vec![(CAB, PC)]),
        (9, Sep, vec![(A, PC)]),
        (10, Sep, vec![(A, PC)]),
        (11, Sep, vec![(A, GOV), (A, ZONES)]),
        (12, Sep, vec![(A, GOV), (A, ZONES)]),
        (13, Sep, vec![(A, GOV), (A, ZONES)]),
        (14, Sep, vec![(A, GOV), (A, ZONES)]),
        (15, Dec, vec![(A, SC)]),
        (16, Dec, vec![(CAB, GOV), (A, SC), (A, dept(Organization))]),
        (17, Sep, vec![(A, SUP)]),
        (18, Dec, vec![(A, SUP)]),
        (19, NoDate, vec![(CAB, GOV)]),
        (20, Sep, vec![(A, SUP), (A, FIRE)]),
        (21, SepOnly, vec![(A, SUP)]),
        (22, Ongoing, vec![(A, SO)]),
        (
            23,
            SepOnly,
            vec![
                (CAB, GOV),
                (CAB, ZONES),
                (A, dept(DevelopmentReform)),
                (A, dept(IndustryIt)),
                (A, PU),
            ],
        ),
        (24, Dec, vec![(A, PC), (A, GOV), (A, ZONES), (A, DIS)]),
        (
            25,
            Ongoing,
            vec![
                (A, PC),
                (A, GOV),
                (A, ZONES),
                (A, DIS),
                (A, COURT),
                (A, PROC),
            ],
        ),
        (26, Sep, vec![(A, SUP), (A, COURT), (A, PROC)]),
        (27, Ongoing, vec![(A, SUP), (A, COURT), (A, PROC)]),
        (28, Window, vec![(A, SC), (A, SUP), (A, FIRE)]),
        (29, SepOnly, vec![(A, SC), (A, SUP)]),
        (30, SepOnly, vec![(A, FIRE), (A, SUP)]),
        (
            31,
            SepOnly,
            vec![(A, SC), (A, SUP), (A, DIS), (A, COURT), (A, PROC)],
        ),
        (32, Sep, vec![(A, SUP)]),
        (33, Sep, vec![(A, dept(DevelopmentReform))]),
        (34, Sep, vec![(A, SUP)]),
        (35, Ongoing, vec![(SAME, PC)]),
        (36, Ongoing, vec![(A, GOV), (A, ZONES)]),
        (37, Sep, vec![(A, SUP)]),
        (38, Sep, vec![(A, CPE)]),
        (39, Sep, vec![(A, SUP)]),
        (40, Ongoing, vec![(A, PU)]),
        (
            41,
            Sep,
            vec![(A, SUP), (A, dept(PublicSecurity)), (A, dept(Cyberspace))],
        ),
        (42, Ongoing, vec![(A, CPE)]),
        (43, SepOnly, vec![(A, SUP), (A, FIRE)]),
        (
            44,
            Sep,
            vec![
                (A, dept(IndustryIt)),
                (A, dept(PublicSecurity)),
                (A, dept(Commerce)),
                (A, dept(Housing)),
                (A, dept(Transport)),
                (A, dept(CultureTourism)),
                (A, dept(Emergency)),
                (A, dept(MarketRegulation)),
                (A, FIRE),
            ],
        ),
        (45, Sep, vec![(A, SUP)]),
        (46, Sep, vec![(A, DIS), (A, COURT), (A, PROC)]),
        (47, Sep, vec![(A, DIS), (A, COURT), (A, PROC)]),
        (48, Sep, vec![(A, SUP), (A, FIRE)]),
        (49, Sep, vec![(A, SUP)]),
        (50, Sep, vec![(A, SUP)]),
        (51, Sep, vec![(A, SO)]),
        (
            52,
            SepOnly,
            vec![(A, PC), (A, dept(Organization)), (A, dept(Staffing))],
        ),
        (53, SepOnly, vec![(A, PC), (A, GOV), (A, ZONES)]),
        (54, Dec, vec![(A, dept(Organization)), (A, SUP)]),
        (
            55,
            Sep,
            vec![
                (A, dept(Emergency)),
                (A, dept(Justice)),
                (A, dept(HumanResources)),
                (A, dept(Finance)),
            ],
        ),
        (
            56,
            SepOnly,
            vec![
                (A, SUP),
                (A, dept(Justice)),
                (A, dept(GovernmentAffairs)),
                (A, dept(HumanResources)),
                (A, dept(Finance)),
            ],
        ),
        (57, Ongoing, vec![(A, dept(Publicity)), (A, SUP)]),
        (58, Ongoing, vec![(A, dept(Publicity)), (A, SUP)]),
        (59, Ongoing, vec![(A, SUP)]),
        (60, Ongoing, vec![(A, SUP), (A, DIS), (A, COURT), (A, PROC)]),
        (61, Ongoing, vec![(CITY, SC)]),
        (62, Ongoing, vec![(A, PC), (A, GOV), (A, ZONES)]),
        (63, Ongoing, vec![(A, PC), (A, GOV), (A, ZONES), (A, SUP)]),
        (64, Ongoing, vec![(A, PC), (A, GOV), (A, ZONES), (A, REL)]),
        (
            65,
            Sep,
            vec![
                (A, dept(IndustryIt)),
                (A, dept(Housing)),
                (A, dept(Health)),
                (A, dept(Emergency)),
                (A, FIRE),
            ],
        ),
        (66, Ongoing, vec![(A, PC), (A, GOV), (A, ZONES)]),
    ]
}

#[test]
fn every_task_deadline_and_unit_phrase_reads_as_expected() {
    let expected = expected();
    assert_eq!(expected.len(), 66);
    let parsed = parsed_tasks();
    assert_eq!(parsed.len(), 66);
    for ((task, deadline, units), (number, due, selectors)) in parsed.iter().zip(expected) {
        assert_eq!(task.number, number);
        assert_eq!(
            deadline.as_ref(),
            Ok(&due.deadline()),
            "task {number} deadline {:?}",
            task.deadline_text
        );
        let selectors: Vec<UnitSelector> = selectors
            .into_iter()
            .map(|(scope, target)| UnitSelector { scope, target })
            .collect();
        assert_eq!(
            units.as_ref(),
            Ok(&selectors),
            "task {number} units {:?}",
            task.units_text
        );
    }
}

#[test]
fn the_pack_has_fifteen_measures_numbered_in_order() {
    assert_eq!(MEASURES.len(), 15);
    for (i, measure) in MEASURES.iter().enumerate() {
        assert_eq!(usize::from(measure.number), i + 1);
        assert!(!measure.title_zh.is_empty() && !measure.title_en.is_empty());
        assert!(!measure.table_title_zh.contains(['<', ' ']));
        assert!(!measure.title_zh.contains(['<', ' ']));
    }
    assert_eq!(MEASURES[0].title_zh, "严格落实党委安全生产责任");
}

#[test]
fn the_pack_has_forty_three_articles_in_order_under_non_decreasing_measures() {
    assert_eq!(ARTICLES.len(), 43);
    let mut last_measure = 1;
    for (i, article) in ARTICLES.iter().enumerate() {
        assert_eq!(usize::from(article.number), i + 1);
        assert!((1..=15).contains(&article.measure));
        assert!(article.measure >= last_measure);
        last_measure = article.measure;
    }
    assert_eq!(ARTICLES[0].title_zh, "树牢安全发展理念");
    assert_eq!(ARTICLES[42].measure, 15);
    for measure in MEASURES {
        assert!(
            ARTICLES.iter().any(|a| a.measure == measure.number),
            "measure {} has articles",
            measure.number
        );
    }
}

#[test]
fn every_article_text_is_whole_and_clean() {
    for article in ARTICLES {
        let text = article.text_zh;
        assert!(!text.is_empty());
        assert!(
            text.starts_with(article.title_zh),
            "article {}",
            article.number
        );
        assert!(
            text.ends_with('。'),
            "article {} ends a sentence",
            article.number
        );
        assert!(!text.contains("<p>") && !text.contains("</p>"));
        assert!(!text.contains('\n') && !text.contains('\r'));
        assert!(!text.starts_with(['（', '(']), "numbering removed");
    }
}

#[test]
fn page_break_joins_restore_the_split_words() {
    let text = |n: usize| ARTICLES[n - 1].text_zh;
    assert!(text(2).contains("党委政府领导班子和有关领导干部"));
    assert!(text(4).contains("各级政府主要负责人每季度"));
    assert!(text(7).contains("的原则，严格落实"));
    assert!(text(11).contains("有关企业要提出一批"));
    assert!(text(14).contains("对本单位安全生产负总责"));
    assert!(text(16).contains("安全生产专项整治三年行动"));
    assert!(text(18).contains("把隐患排查治理挺在事故前面"));
    assert!(text(20).contains("满足国家各行业的规范标准"));
    assert!(text(23).starts_with("强化劳务派遣人员、灵活用工人员安全教育培训。"));
    assert!(text(32).contains("通过执法处罚量化评比"));
    assert!(text(38).ends_with("实行重奖。"));
}

#[test]
fn article_thirteen_keeps_the_sources_traditional_character() {
    assert_eq!(ARTICLES[12].title_zh, "加大违法违规行爲追责力度");
}

#[test]
fn the_pack_has_sixty_six_tasks_numbered_without_gaps() {
    assert_eq!(TASKS.len(), 66);
    for (i, task) in TASKS.iter().enumerate() {
        assert_eq!(usize::from(task.number), i + 1);
        assert!((1..=15).contains(&task.measure));
        assert!(!task.content.is_empty());
        assert!(!task.units_text.is_empty());
        assert!(!task.deadline_text.is_empty());
    }
}

#[test]
fn every_task_implements_articles_of_its_own_measure() {
    for task in TASKS {
        assert!(!task.articles.is_empty(), "task {}", task.number);
        for number in task.articles {
            let article = builtin().article(*number).expect("article exists");
            assert_eq!(article.measure, task.measure, "task {}", task.number);
        }
    }
}

#[test]
fn every_article_is_implemented_by_some_task_and_tasks_follow_article_order() {
    for article in ARTICLES {
        assert!(
            TASKS.iter().any(|t| t.articles.contains(&article.number)),
            "article {}",
            article.number
        );
    }
    let firsts: Vec<u8> = TASKS.iter().map(|t| t.articles[0]).collect();
    assert!(firsts.windows(2).all(|w| w[0] <= w[1]));
}

#[test]
fn task_texts_carry_no_extraction_artefacts() {
    for task in TASKS {
        for text in [task.content, task.units_text, task.deadline_text] {
            assert!(
                !text.contains("<p>") && !text.contains("</p>"),
                "task {}",
                task.number
            );
            assert!(!text.contains(" and "), "task {}", task.number);
            assert!(!text.contains("、，"), "task {}", task.number);
            assert!(!text.contains(['級', '會']), "task {}", task.number);
            assert!(!text.starts_with(char::is_numeric) || text.starts_with("20"));
        }
    }
    let task = |n: u8| builtin().task(n).expect("task exists");
    assert!(task(51).content.starts_with("通过执法处罚量化评比"));
    assert!(
        task(63)
            .content
            .contains("处理好红灯、绿灯、黄灯之间的关系")
    );
    assert!(task(64).content.contains("遇到的问题和困难"));
    assert!(task(23).units_text.starts_with("县级以上政府，高新区"));
}

#[test]
fn rows_sharing_cells_give_each_task_its_own_cells() {
    let task = |n: u8| builtin().task(n).expect("task exists");
    assert_eq!(task(26).units_text, task(27).units_text);
    assert_eq!(task(26).deadline_text, "2022年9月底前完成，并长期坚持");
    assert_eq!(task(27).deadline_text, "长期坚持");
    for (a, b) in [(46, 47), (49, 50), (57, 58)] {
        assert_eq!(task(a).units_text, task(b).units_text);
        assert_eq!(task(a).deadline_text, task(b).deadline_text);
        assert_ne!(task(a).content, task(b).content);
    }
    assert!(task(47).content.starts_with("建立打非治违长效机制"));
    assert!(task(50).content.starts_with("推进异地交叉"));
    assert!(task(58).content.starts_with("及时核查处理举报事项"));
}

#[test]
fn the_raw_defective_cells_would_be_rejected() {
    assert!(
        unit_phrase::parse(
            "县级以上政府、，高新区、港务区管委会，各级发改、工信等部门，有关生产经营单位"
        )
        .is_err()
    );
    assert!(unit_phrase::parse("<p>各级负有安全生产监督管理职责的部门</p>").is_err());
    assert!(deadline_phrase::parse("<p>长期坚持</p>").is_err());
}

#[test]
fn the_meta_names_the_document() {
    let meta = &builtin().meta;
    assert_eq!(meta.code, "tonghua-2022-10");
    assert_eq!(meta.doc_number, "通安委〔2022〕10号");
    assert_eq!(meta.issuer, "通化市安全生产委员会");
    assert_eq!(meta.issued_on, ymd(2022, 5, 30));
    assert_eq!(META, *meta);
    assert!(!meta.title.contains(' '));
}

#[test]
fn the_six_deliverables_have_the_documents_dates() {
    let due: Vec<(&str, NaiveDate, Option<u8>)> = DELIVERABLES
        .iter()
        .map(|d| (d.title_zh, d.due, d.source_article))
        .collect();
    assert_eq!(
        due,
        [
            ("具体实施方案", ymd(2022, 6, 10), None),
            ("阶段性工作开展情况", ymd(2022, 6, 28), None),
            ("工作总结", ymd(2022, 9, 28), None),
            ("责任清单", ymd(2022, 6, 30), Some(17)),
            ("重大风险隐患清单及整改情况", ymd(2022, 9, 30), Some(17)),
            ("本质安全提升项目清单", ymd(2022, 9, 30), Some(11)),
        ]
    );
    let mut codes: Vec<&str> = DELIVERABLES.iter().map(|d| d.code).collect();
    codes.sort_unstable();
    codes.dedup();
    assert_eq!(codes.len(), 6);
}

#[test]
fn deliverables_cite_text_the_source_really_contains() {
    let pack = builtin();
    assert!(
        pack.closing_zh
            .contains("于2022年6月10日前报送市安委会办公室")
    );
    assert!(pack.closing_zh.contains("6月28日前报送阶段性工作开展情况"));
    assert!(pack.closing_zh.contains("9月28日前报送工作总结"));
    assert!(pack.closing_zh.contains("细化到岗、责任到人"));
    let article = |n: u8| pack.article(n).expect("article exists").text_zh;
    assert!(
        article(17).contains(
            "2022年6月底前将责任清单、9月底前将重大风险隐患清单及整改情况报市安委会办公室"
        )
    );
    assert!(article(11).contains("2022年9月底前将项目清单报市安委会办公室"));
    assert!(pack.preamble_zh.contains("生命至上，强化红线意识"));
}

#[test]
fn lookups_by_number_find_the_entries() {
    let pack = builtin();
    assert_eq!(pack.measure(6).map(|m| m.number), Some(6));
    assert_eq!(pack.article(43).map(|a| a.title_zh), Some("高质量统筹落实"));
    assert_eq!(pack.task(66).map(|t| t.measure), Some(15));
    assert!(pack.task(0).is_none() && pack.task(67).is_none());
}

mod notes {
    use super::super::notes::{NOTES, NoteKind, of_task};
    use super::super::{ARTICLES, TASKS};

    fn task_text(n: u8) -> String {
        let t = TASKS.iter().find(|t| t.number == n).expect("task");
        format!("{}{}{}", t.content, t.units_text, t.deadline_text)
    }

    #[test]
    fn every_difference_quotes_the_table_and_its_article_truly() {
        for n in NOTES.iter().filter(|n| n.kind == NoteKind::Differs) {
            let table = task_text(n.task).replace(',', "，");
            assert!(
                table.contains(&n.table_text.replace(',', "，")),
                "task {}: the table does not read {:?}",
                n.task,
                n.table_text
            );
            if n.source.starts_with('第') {
                assert!(
                    ARTICLES.iter().any(|a| a.text_zh.contains(n.other_text)),
                    "task {}: no article reads {:?}",
                    n.task,
                    n.other_text
                );
            }
            assert!(!n.note_zh.is_empty() && !n.note_en.is_empty());
        }
    }

    #[test]
    fn the_places_users_must_see_are_noted() {
        for task in [1, 24, 29, 55, 56, 57, 58] {
            assert!(
                of_task(task).any(|n| n.kind == NoteKind::Differs),
                "task {task} needs a 校注"
            );
        }
        let t24: Vec<_> = of_task(24).collect();
        assert!(t24.iter().any(|n| n.other_text.contains("一票否优")
            && n.table_text.contains("一票否决")
            && n.source == "第十二条"));
        assert!(of_task(51).any(|n| n.table_text == "551"));
        assert!(of_task(2).next().is_none(), "a task without notes has none");
    }

    #[test]
    fn notes_come_in_task_order() {
        assert!(NOTES.windows(2).all(|w| w[0].task <= w[1].task));
    }
}
