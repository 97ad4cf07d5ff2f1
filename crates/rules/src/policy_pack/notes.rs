//! 校注: the places where the published task table (重点任务分工表) differs from the body of
//! 通安委〔2022〕10号, or where the pack repaired a defect of the table as published, shown to
//! users beside the task. The table is kept as printed (it is what units were given); where an
//! article says otherwise, the article governs (e.g. task 24's 一票否决 for 较大事故 is the
//! article's 一票否优).

use serde::Serialize;

/// What a note records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NoteKind {
    /// The table's wording differs from its article; the table is kept as printed.
    Differs,
    /// A defect of the table as published or extracted (split cells, traditional characters,
    /// a mistyped number, a stray mark, a heading printed on the wrong page) was repaired.
    Repaired,
}

/// One note on one task.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct PackNote {
    /// The task it belongs to, 1 ..= 66.
    pub task: u8,
    pub kind: NoteKind,
    /// What the table prints.
    pub table_text: &'static str,
    /// What the article says (`Differs`) or what the pack holds instead (`Repaired`).
    pub other_text: &'static str,
    /// Where the other text comes from, e.g. `第十二条` or `分工表`.
    pub source: &'static str,
    /// The note in Chinese and English.
    pub note_zh: &'static str,
    pub note_en: &'static str,
}

const fn differs(
    task: u8,
    table_text: &'static str,
    other_text: &'static str,
    source: &'static str,
    note_zh: &'static str,
    note_en: &'static str,
) -> PackNote {
    PackNote {
        task,
        kind: NoteKind::Differs,
        table_text,
        other_text,
        source,
        note_zh,
        note_en,
    }
}

const fn repaired(
    task: u8,
    table_text: &'static str,
    other_text: &'static str,
    note_zh: &'static str,
    note_en: &'static str,
) -> PackNote {
    PackNote {
        task,
        kind: NoteKind::Repaired,
        table_text,
        other_text,
        source: "分工表",
        note_zh,
        note_en,
    }
}

const SHARED_26_27: (&str, &str) = (
    "任务26、27在分工表中同处一行：责任单位一格为两项共用，完成时限一格依次为两项各自的时限。",
    "Tasks 26 and 27 share one row of the table: the responsible-unit cell applies to both, the deadline cell holds one phrase per task in order.",
);
const SHARED_46_47: (&str, &str) = (
    "任务46、47在分工表中同处一行，责任单位和完成时限两项共用。",
    "Tasks 46 and 47 share one row of the table: the responsible-unit and deadline cells apply to both.",
);
const SHARED_49_50: (&str, &str) = (
    "任务49、50在分工表中共用一格任务内容；其后一行为任务50另列的责任单位和完成时限，与任务49相同。",
    "Tasks 49 and 50 share one content cell of the table; the next row gives task 50 its own units and deadline, the same as task 49's.",
);
const SHARED_57_58: (&str, &str) = (
    "任务57、58在分工表中同处一行，责任单位和完成时限两项共用。",
    "Tasks 57 and 58 share one row of the table: the responsible-unit and deadline cells apply to both.",
);

/// Every note, by task.
pub static NOTES: &[PackNote] = &[
    differs(
        1,
        "自觉承担起一方发展、保一方平安的政治责任",
        "自觉担起“促一方发展、保一方平安”的政治责任",
        "第一条",
        "分工表漏一“促”字；第一条原文为“促一方发展、保一方平安”。",
        "The table omits 促: article 1 reads “促一方发展、保一方平安” (promote development, keep the peace).",
    ),
    repaired(
        16,
        "（印在“三、”标题页）",
        "措施二（第六条）",
        "分工表将此行印在“三、”之下，但任务复述的是第六条，属措施二，按内容归入措施二。",
        "The table prints this row under heading 三、, but the task restates article 6 (measure 2); it is filed under measure 2.",
    ),
    repaired(
        23,
        "县级以上政府、，高新区……",
        "县级以上政府，高新区……",
        "责任单位一格“、，”处多出一个顿号，已删去。",
        "A stray “、” before “，” in the responsible-unit cell was removed.",
    ),
    differs(
        24,
        "较大事故一票否决",
        "较大事故“一票否优”",
        "第十二条",
        "分工表写“较大事故一票否决”，第十二条原文为较大事故“一票否优”（重大事故才一票否决）；考核以第十二条为准。",
        "The table says 一票否决 (veto) for a 较大 (serious) accident; article 12 says “一票否优” (no excellent rating). Only a 重大 or worse accident is a veto; assessment follows article 12.",
    ),
    repaired(
        25,
        "各級……管委會",
        "各级……管委会",
        "责任单位中的繁体字“級”“會”为提取所致，已改为“级”“会”。",
        "Traditional 級/會 in the responsible units come from the extraction and were normalised to 级/会.",
    ),
    differs(
        25,
        "依规依法依规",
        "依规依纪依法",
        "第十三条",
        "分工表写“依规依法依规”，第十三条原文为“依规依纪依法”。",
        "The table reads 依规依法依规; article 13 reads 依规依纪依法 (by the rules, Party discipline and law).",
    ),
    repaired(
        26,
        "（与任务27同处一行）",
        "（分列两项）",
        SHARED_26_27.0,
        SHARED_26_27.1,
    ),
    repaired(
        27,
        "（与任务26同处一行）",
        "（分列两项）",
        SHARED_26_27.0,
        SHARED_26_27.1,
    ),
    differs(
        29,
        "对拒不整改的采取停产停工、追究刑事责任果断措施",
        "对拒不整改的要采取停产停工、追究刑责等坚决果断措施",
        "第十七条",
        "分工表的措辞较第十七条有删改；第十七条原文为“对拒不整改的要采取停产停工、追究刑责等坚决果断措施”。",
        "The table shortens article 17, which reads “对拒不整改的要采取停产停工、追究刑责等坚决果断措施” (stop production, criminal liability and other decisive measures).",
    ),
    differs(
        30,
        "高层建筑建筑",
        "高层建筑",
        "分工表",
        "分工表原文“高层建筑建筑”（衍字），按原样保留。",
        "The table reads 高层建筑建筑 (a doubled word); kept as printed.",
    ),
    repaired(
        32,
        "（印在“七、”标题页）",
        "措施六（第十八条）",
        "分工表将此行印在“七、”之下，但任务复述的是第十八条，属措施六。",
        "The table prints this row under heading 七、, but the task restates article 18 (measure 6).",
    ),
    differs(
        33,
        "安全风险评估理论与论证机制",
        "安全风险评估与论证机制",
        "第十九条",
        "分工表写“安全风险评估理论与论证机制”，第十九条原文为“安全风险评估与论证机制”。",
        "The table adds 理论 (theory): article 19 reads 安全风险评估与论证机制 (risk assessment and review mechanism).",
    ),
    repaired(
        39,
        "（“九、”标题印了两次）",
        "措施八（第二十二条）",
        "分工表在此行旁重复印有“九、”，但任务复述的是第二十二条，属措施八。",
        "The table prints heading 九、 twice beside this row, but the task restates article 22 (measure 8).",
    ),
    repaired(
        46,
        "（与任务47同处一行）",
        "（分列两项）",
        SHARED_46_47.0,
        SHARED_46_47.1,
    ),
    repaired(
        47,
        "（与任务46同处一行）",
        "（分列两项）",
        SHARED_46_47.0,
        SHARED_46_47.1,
    ),
    repaired(
        49,
        "（与任务50共用内容一格）",
        "（分列两项）",
        SHARED_49_50.0,
        SHARED_49_50.1,
    ),
    repaired(
        50,
        "（与任务49共用内容一格）",
        "（分列两项）",
        SHARED_49_50.0,
        SHARED_49_50.1,
    ),
    repaired(
        51,
        "551",
        "51",
        "分工表序号误印为“551”，即任务51。",
        "The table prints the number as 551; it is task 51.",
    ),
    differs(
        52,
        "综合执法行政",
        "综合行政执法",
        "第三十三条",
        "分工表写“综合执法行政”，第三十三条原文为“综合行政执法”。",
        "The table reads 综合执法行政; article 33 reads 综合行政执法 (comprehensive administrative enforcement).",
    ),
    differs(
        55,
        "应急管理部門",
        "应急管理部门",
        "分工表",
        "“部門”为繁体字（提取所致），任务文本按原样保留，即“应急管理部门”。",
        "部門 is a traditional character from the extraction, kept as printed: it means 应急管理部门 (the emergency management department).",
    ),
    differs(
        56,
        "尽快解决应急管理综合执法人员岗位津贴问题",
        "解决安全生产监管执法人员岗位津贴问题",
        "第三十五条",
        "分工表写“应急管理综合执法人员”，第三十五条原文为“安全生产监管执法人员”，范围更广（含各负有监管职责部门的执法人员）。",
        "The table says 应急管理综合执法人员 (emergency-management enforcement staff); article 35 says 安全生产监管执法人员 (work-safety enforcement staff of every supervising department), which is wider.",
    ),
    differs(
        57,
        "《吉林省重大事故隐患和安全生产违法违规举报奖励暂行办法》",
        "《吉林省重大事故隐患和安全生产违法违纪举报奖励暂行办法》",
        "第三十六条",
        "分工表写“违法违规”，第三十六条所引办法名称为“违法违纪”。",
        "The table names the provincial reward measures with 违法违规; article 36 cites them with 违法违纪.",
    ),
    repaired(
        57,
        "（与任务58同处一行）",
        "（分列两项）",
        SHARED_57_58.0,
        SHARED_57_58.1,
    ),
    repaired(
        58,
        "（与任务57同处一行）",
        "（分列两项）",
        SHARED_57_58.0,
        SHARED_57_58.1,
    ),
    differs(
        58,
        "各级宣传部门，各级负有安全生产监督管理职责的部门",
        "负有安全生产监督管理责任的部门要及时核查处理举报事项",
        "第三十七条、第三十八条",
        "核查处理举报、保护举报人由负有安全生产监督管理职责的部门负责（第三十七条）；奖励资金“纳入同级财政预算”（第三十八条，分工表写“同级财政部门预算”）。宣传部门因与任务57同处一行而列入。",
        "Checking reports and protecting informants is the supervising departments' duty (article 37); reward funds go into the budget of the same level (article 38; the table says 同级财政部门预算). 宣传部门 are listed only because the row is shared with task 57.",
    ),
    differs(
        60,
        "依规依法依规",
        "依规依纪依法",
        "第四十条",
        "分工表写“依规依法依规”，第四十条原文为“依规依纪依法”。",
        "The table reads 依规依法依规; article 40 reads 依规依纪依法.",
    ),
    repaired(
        63,
        "红灯 绿灯 黄灯 之间",
        "红灯、绿灯、黄灯之间",
        "提取时丢失的顿号已补回（第四十一条为“红灯”、“绿灯”、“黄灯”；分工表各处均不用引号）。",
        "Separators lost in the extraction restored (article 41 quotes “红灯”、“绿灯”、“黄灯”; the table drops quotation marks throughout).",
    ),
    repaired(
        64,
        "问题 and 困难",
        "问题和困难",
        "提取产生的“and”已还原为“和”（第四十二条为“问题和困难”）。",
        "An extraction artefact “and” restored to 和 (article 42 reads 问题和困难).",
    ),
];

/// The notes on one task, in order.
pub fn of_task(task: u8) -> impl Iterator<Item = &'static PackNote> {
    NOTES.iter().filter(move |n| n.task == task)
}
