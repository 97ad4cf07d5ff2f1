//! Reading the grid into tasks: finds the header, then reads every data row's five cells
//! through `anwei_rules`; a cell the rules do not understand is listed, never guessed.

use anwei_rules::{deadline_phrase, unit_phrase};

use super::{MAX_HEADER_ROW, MAX_ROWS};
use crate::i18n::Msg;

/// The five columns of a task table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Col {
    Measure,
    Number,
    Task,
    Units,
    Deadline,
}

impl Col {
    pub const ALL: [Col; 5] = [
        Col::Measure,
        Col::Number,
        Col::Task,
        Col::Units,
        Col::Deadline,
    ];
    pub fn code(self) -> &'static str {
        match self {
            Col::Measure => "measure",
            Col::Number => "number",
            Col::Task => "task",
            Col::Units => "units",
            Col::Deadline => "deadline",
        }
    }
    /// The column a header cell names (Chinese as in the document's attachment, or English).
    pub fn from_header(text: &str) -> Option<Col> {
        let h: String = text
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_lowercase();
        let h = h.trim_end_matches(['：', ':']);
        let names: [(Col, &[&str]); 5] = [
            (
                Col::Measure,
                &[
                    "措施",
                    "主要措施",
                    "工作措施",
                    "重点措施",
                    "具体措施",
                    "measure",
                    "measures",
                ],
            ),
            (
                Col::Number,
                &[
                    "序号",
                    "编号",
                    "任务序号",
                    "任务编号",
                    "number",
                    "no",
                    "no.",
                    "#",
                ],
            ),
            (
                Col::Task,
                &[
                    "重点任务",
                    "任务",
                    "工作任务",
                    "主要任务",
                    "任务内容",
                    "task",
                    "tasks",
                    "keytask",
                ],
            ),
            (
                Col::Units,
                &[
                    "责任单位",
                    "责任部门",
                    "牵头单位",
                    "responsibleunits",
                    "responsibleunit",
                    "units",
                ],
            ),
            (
                Col::Deadline,
                &["完成时限", "时限", "完成时间", "时限要求", "deadline"],
            ),
        ];
        names
            .iter()
            .find(|(_, ns)| ns.contains(&h))
            .map(|(c, _)| *c)
    }
}

pub use crate::files::xlsx::letter;

/// A cell that was not read: where it is, what it says, and why.
#[derive(Debug, Clone)]
pub struct CellError {
    /// 1-based row of the file (the header is a row too); 0 for the file as a whole.
    pub row: usize,
    /// `measure`, `number`, `task`, `units`, `deadline`, or `file`.
    pub column: &'static str,
    /// The spreadsheet letter of the column, when known.
    pub letter: String,
    pub text: String,
    pub reason: Msg,
}

/// One task as read, with its cells' parsed structure.
#[derive(Debug, Clone)]
pub struct ParsedRow {
    pub row: usize,
    pub measure: i64,
    pub measure_title: String,
    pub number: Option<i64>,
    pub content: String,
    pub units_text: String,
    pub deadline_text: String,
    pub deadline: Option<deadline_phrase::Deadline>,
    pub units: Vec<unit_phrase::UnitSelector>,
}

#[derive(Debug, Clone, Default)]
pub struct Parsed {
    pub rows: Vec<ParsedRow>,
    pub measures: Vec<String>,
    pub errors: Vec<CellError>,
}

pub(super) fn file_error(reason: Msg) -> CellError {
    CellError {
        row: 0,
        column: "file",
        letter: String::new(),
        text: String::new(),
        reason,
    }
}

fn digits(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '０'..='９' => {
                char::from_u32(u32::from(c) - u32::from('０') + u32::from('0')).unwrap_or(c)
            }
            other => other,
        })
        .collect()
}

/// Reads the grid: finds the header, then reads every data row's five cells. Every cell the
/// rules do not understand becomes a `CellError`; nothing is guessed.
pub fn parse_grid(grid: &[Vec<String>]) -> Parsed {
    let mut out = Parsed::default();
    let cell =
        |r: &Vec<String>, i: usize| r.get(i).map(|s| s.trim().to_string()).unwrap_or_default();
    // The header: the first row (of the first few) that names at least three columns.
    let header = grid
        .iter()
        .take(MAX_HEADER_ROW)
        .enumerate()
        .find(|(_, r)| r.iter().filter_map(|c| Col::from_header(c)).count() >= 3);
    let Some((hi, header)) = header else {
        out.errors
            .push(file_error(Msg::new("policy_import.no_header")));
        return out;
    };
    let mut cols: Vec<(Col, usize)> = Vec::new();
    for (i, text) in header.iter().enumerate() {
        if let Some(c) = Col::from_header(text) {
            if cols.iter().any(|(k, _)| *k == c) {
                out.errors.push(CellError {
                    row: hi + 1,
                    column: c.code(),
                    letter: letter(i),
                    text: text.trim().to_string(),
                    reason: Msg::new("policy_import.header_twice"),
                });
            } else {
                cols.push((c, i));
            }
        }
    }
    for c in Col::ALL {
        if !cols.iter().any(|(k, _)| *k == c) {
            out.errors.push(CellError {
                row: hi + 1,
                column: c.code(),
                letter: String::new(),
                text: String::new(),
                reason: Msg::new("policy_import.header_missing"),
            });
        }
    }
    if !out.errors.is_empty() {
        return out;
    }
    let at = |c: Col| {
        cols.iter()
            .find(|(k, _)| *k == c)
            .map(|(_, i)| *i)
            .unwrap_or(0)
    };
    let data: Vec<(usize, &Vec<String>)> = grid
        .iter()
        .enumerate()
        .skip(hi + 1)
        .filter(|(_, r)| r.iter().any(|c| !c.trim().is_empty()))
        .map(|(i, r)| (i + 1, r))
        .collect();
    if data.is_empty() {
        out.errors
            .push(file_error(Msg::new("policy_import.no_rows")));
        return out;
    }
    if data.len() > MAX_ROWS {
        out.errors.push(file_error(
            Msg::new("policy_import.too_many_rows").with("max", MAX_ROWS),
        ));
        return out;
    }
    let n = data.len() as i64;
    let mut current: Option<usize> = None;
    let mut seen_numbers: Vec<(i64, usize)> = Vec::new();
    for (row, r) in data {
        let mut err = |col: Col, text: &str, reason: Msg| {
            out.errors.push(CellError {
                row,
                column: col.code(),
                letter: letter(at(col)),
                text: text.to_string(),
                reason,
            })
        };
        // Measure: a blank cell continues the one above (a merged cell spans rows).
        let m = cell(r, at(Col::Measure));
        if m.is_empty() {
            if current.is_none() {
                err(Col::Measure, "", Msg::new("policy_import.measure_missing"));
            }
        } else if current.is_some_and(|i| out.measures[i] == m) {
        } else if out.measures.contains(&m) {
            err(Col::Measure, &m, Msg::new("policy_import.measure_again"));
        } else if m.chars().count() > 200 {
            err(
                Col::Measure,
                &m,
                Msg::new("error.too_long").with("max", 200),
            );
        } else {
            out.measures.push(m.clone());
            current = Some(out.measures.len() - 1);
        }
        // Number: 1..n, each once.
        let t = cell(r, at(Col::Number));
        let number = match digits(&t).parse::<i64>() {
            _ if t.is_empty() => {
                err(Col::Number, &t, Msg::new("error.required"));
                None
            }
            Ok(k) if (1..=n).contains(&k) => {
                if let Some((_, first)) = seen_numbers.iter().find(|(x, _)| *x == k) {
                    err(
                        Col::Number,
                        &t,
                        Msg::new("policy_import.number_twice").with("row", first),
                    );
                    None
                } else {
                    seen_numbers.push((k, row));
                    Some(k)
                }
            }
            Ok(_) => {
                err(
                    Col::Number,
                    &t,
                    Msg::new("policy_import.number_range").with("n", n),
                );
                None
            }
            Err(_) => {
                err(
                    Col::Number,
                    &t,
                    Msg::new("policy_import.number_not_integer"),
                );
                None
            }
        };
        let content = cell(r, at(Col::Task));
        if content.is_empty() {
            err(Col::Task, "", Msg::new("error.required"));
        } else if content.chars().count() > 2000 {
            err(
                Col::Task,
                &content,
                Msg::new("error.too_long").with("max", 2000),
            );
        }
        let units_text = cell(r, at(Col::Units));
        let units = match unit_phrase::parse(&units_text) {
            Ok(u) => u,
            Err(e) => {
                err(
                    Col::Units,
                    &units_text,
                    Msg::new("policy.units_unparsed").with_msg("reason", Msg::phrase(&e)),
                );
                Vec::new()
            }
        };
        let deadline_text = cell(r, at(Col::Deadline));
        let deadline = match deadline_phrase::parse(&deadline_text) {
            Ok(d) => Some(d),
            Err(e) => {
                err(
                    Col::Deadline,
                    &deadline_text,
                    Msg::new("policy.deadline_unparsed").with_msg("reason", Msg::phrase(&e)),
                );
                None
            }
        };
        out.rows.push(ParsedRow {
            row,
            measure: current.map(|i| i as i64 + 1).unwrap_or(0),
            measure_title: current.map(|i| out.measures[i].clone()).unwrap_or_default(),
            number,
            content,
            units_text,
            deadline_text,
            deadline,
            units,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grid(rows: &[&[&str]]) -> Vec<Vec<String>> {
        rows.iter()
            .map(|r| r.iter().map(|s| s.to_string()).collect())
            .collect()
    }

    #[test]
    fn a_blank_measure_continues_the_one_above_and_every_bad_cell_is_listed() {
        let g = grid(&[
            &["措施", "序号", "重点任务", "责任单位", "完成时限"],
            &["一、压实责任", "1", "任务一", "各级政府", "长期坚持"],
            &["", "2", "任务二", "市委巡察办", "2022年9月底前完成"],
            &["二、专项整治", "3", "任务三", "各级党委", "尽快"],
            &["", "3", "任务四", "某某单位", "长期坚持"],
        ]);
        let p = parse_grid(&g);
        assert_eq!(p.measures, vec!["一、压实责任", "二、专项整治"]);
        assert_eq!(p.rows[1].measure, 1);
        assert_eq!(p.rows[2].measure, 2);
        let at: Vec<(usize, &str)> = p.errors.iter().map(|e| (e.row, e.column)).collect();
        assert_eq!(at, vec![(4, "deadline"), (5, "number"), (5, "units")]);
        assert_eq!(p.errors[0].text, "尽快");
        assert_eq!(p.errors[0].letter, "E");
    }

    #[test]
    fn numbers_run_from_one_to_n_once_each() {
        let g = grid(&[
            &["序号", "措施", "任务", "责任单位", "完成时限"],
            &["1", "甲", "t", "各级政府", "长期坚持"],
            &["5", "", "t", "各级政府", "长期坚持"],
            &["x", "", "t", "各级政府", "长期坚持"],
        ]);
        let p = parse_grid(&g);
        let at: Vec<(usize, &str)> = p.errors.iter().map(|e| (e.row, e.column)).collect();
        assert_eq!(at, vec![(3, "number"), (4, "number")]);
    }

    #[test]
    fn a_missing_header_or_first_measure_is_an_error_not_a_guess() {
        let p = parse_grid(&grid(&[&["a", "b"], &["1", "2"]]));
        assert_eq!(p.errors[0].column, "file");
        let p = parse_grid(&grid(&[&["措施", "序号", "任务", "完成时限"]]));
        assert_eq!(p.errors[0].column, "units");
        let p = parse_grid(&grid(&[
            &["措施", "序号", "任务", "责任单位", "完成时限"],
            &["", "1", "t", "各级政府", "长期坚持"],
        ]));
        assert_eq!(p.errors[0].column, "measure");
    }

    #[test]
    fn spreadsheet_letters_count_past_z() {
        assert_eq!(letter(0), "A");
        assert_eq!(letter(25), "Z");
        assert_eq!(letter(26), "AA");
    }
}
