//! Enterprise identity: the unified social credit code, the resident ID number, the industry
//! code, the enterprise's scale and who manages it.
//!
//! - 统一社会信用代码: GB 32100-2015 《法人和其他组织统一社会信用代码编码规则》.
//! - 居民身份证号码: GB 11643-1999 《公民身份号码》.
//! - 行业: GB/T 4754-2017 《国民经济行业分类》 (20 门类, 97 大类; table in
//!   `industry_table.rs`).
//! - 规模: 《统计上大中小微型企业划分办法（2017）》 (国统字〔2017〕213号).

use std::fmt;

use chrono::NaiveDate;

use crate::industry_table::{DIVISIONS, SECTIONS};

/// What is wrong with a credit code or an ID number.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum CodeProblem {
    /// Not the required number of characters (18 for both codes).
    WrongLength { expected: usize, found: usize },
    /// A character outside the code's alphabet, at a 1-based position.
    IllegalCharacter { position: usize, character: char },
    /// The last character is not the check character the others call for.
    WrongCheck { expected: char, found: char },
    /// ID numbers: positions 7–14 are not a calendar date (YYYYMMDD).
    BadBirthDate { text: String },
}

impl CodeProblem {
    /// The translation key (`code.<kind>`).
    pub fn key(&self) -> &'static str {
        match self {
            CodeProblem::WrongLength { .. } => "code.wrong_length",
            CodeProblem::IllegalCharacter { .. } => "code.illegal_character",
            CodeProblem::WrongCheck { .. } => "code.wrong_check",
            CodeProblem::BadBirthDate { .. } => "code.bad_birth_date",
        }
    }

    /// The explanation in Chinese.
    pub fn message_zh(&self) -> String {
        match self {
            CodeProblem::WrongLength { expected, found } => {
                format!("长度应为{expected}位，实际为{found}位")
            }
            CodeProblem::IllegalCharacter {
                position,
                character,
            } => format!("第{position}位字符“{character}”不合法"),
            CodeProblem::WrongCheck { expected, found } => {
                format!("校验位错误：应为“{expected}”，实际为“{found}”")
            }
            CodeProblem::BadBirthDate { text } => format!("出生日期“{text}”不是有效日期"),
        }
    }

    /// The explanation in English.
    pub fn message_en(&self) -> String {
        match self {
            CodeProblem::WrongLength { expected, found } => {
                format!("expected {expected} characters, found {found}")
            }
            CodeProblem::IllegalCharacter {
                position,
                character,
            } => format!("illegal character '{character}' at position {position}"),
            CodeProblem::WrongCheck { expected, found } => {
                format!("wrong check character: expected '{expected}', found '{found}'")
            }
            CodeProblem::BadBirthDate { text } => {
                format!("birth date \"{text}\" is not a calendar date")
            }
        }
    }
}

impl fmt::Display for CodeProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message_en())
    }
}

impl std::error::Error for CodeProblem {}

/// GB 32100-2015 §4: the 31 characters of the code (digits and capitals without I, O, Z, S, V),
/// in the order of their values 0–30.
const CREDIT_ALPHABET: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";
/// GB 32100-2015 §5: the weights of positions 1–17.
const CREDIT_WEIGHTS: [u32; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];

fn credit_value(c: char) -> Option<u32> {
    CREDIT_ALPHABET.find(c).map(|i| i as u32)
}

/// Trims and upper-cases a credit code as typed (the code itself is upper-case only).
pub fn normalise_credit_code(code: &str) -> String {
    code.trim().to_ascii_uppercase()
}

/// Checks a 统一社会信用代码 (GB 32100-2015): 18 characters of the alphabet
/// `0123456789ABCDEFGHJKLMNPQRTUWXY`, the 18th the check character of the first 17
/// (weights 1,3,9,27,19,26,16,17,20,29,25,13,8,24,10,30,28; check value `31 - sum mod 31`,
/// 31 meaning `0`). Strict: call [`normalise_credit_code`] first for typed input.
pub fn credit_code_valid(code: &str) -> Result<(), CodeProblem> {
    let chars: Vec<char> = code.chars().collect();
    if chars.len() != 18 {
        return Err(CodeProblem::WrongLength {
            expected: 18,
            found: chars.len(),
        });
    }
    let mut values = [0u32; 18];
    for (i, &c) in chars.iter().enumerate() {
        values[i] = credit_value(c).ok_or(CodeProblem::IllegalCharacter {
            position: i + 1,
            character: c,
        })?;
    }
    let sum: u32 = CREDIT_WEIGHTS
        .iter()
        .zip(values.iter())
        .map(|(w, v)| w * v)
        .sum();
    let check = (31 - sum % 31) % 31;
    let expected = CREDIT_ALPHABET.as_bytes()[check as usize] as char;
    if chars[17] != expected {
        return Err(CodeProblem::WrongCheck {
            expected,
            found: chars[17],
        });
    }
    Ok(())
}

/// The 6-digit administrative division code (GB/T 2260) at positions 3–8 of a valid credit
/// code; `None` when the code is not valid or those positions are not digits.
pub fn credit_code_region(code: &str) -> Option<&str> {
    credit_code_valid(code).ok()?;
    let region = &code[2..8];
    region.bytes().all(|b| b.is_ascii_digit()).then_some(region)
}

/// GB 11643-1999: the weights of positions 1–17.
const ID_WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
/// GB 11643-1999: the check character for `sum mod 11` = 0..10.
const ID_CHECK: &[u8; 11] = b"10X98765432";

/// Trims an ID number and upper-cases its check character (`x` → `X`).
pub fn normalise(id: &str) -> String {
    id.trim().to_ascii_uppercase()
}

/// Checks a 公民身份号码 (GB 11643-1999): 17 digits and a check character (digit or `X`,
/// lower-case `x` accepted), positions 7–14 a calendar date (YYYYMMDD), the check character
/// that of weights 7,9,10,5,8,4,2,1,6,3,7,9,10,5,8,4,2 with `sum mod 11` mapped through
/// `10X98765432`. Surrounding blanks are ignored (see [`normalise`]).
pub fn id_number_valid(id: &str) -> Result<(), CodeProblem> {
    let id = normalise(id);
    let chars: Vec<char> = id.chars().collect();
    if chars.len() != 18 {
        return Err(CodeProblem::WrongLength {
            expected: 18,
            found: chars.len(),
        });
    }
    let mut sum = 0;
    for (i, &c) in chars[..17].iter().enumerate() {
        let d = c.to_digit(10).ok_or(CodeProblem::IllegalCharacter {
            position: i + 1,
            character: c,
        })?;
        sum += d * ID_WEIGHTS[i];
    }
    let last = chars[17];
    if !(last.is_ascii_digit() || last == 'X') {
        return Err(CodeProblem::IllegalCharacter {
            position: 18,
            character: last,
        });
    }
    let birth = &id[6..14];
    if NaiveDate::parse_from_str(birth, "%Y%m%d").is_err() {
        return Err(CodeProblem::BadBirthDate {
            text: birth.to_owned(),
        });
    }
    let expected = ID_CHECK[(sum % 11) as usize] as char;
    if last != expected {
        return Err(CodeProblem::WrongCheck {
            expected,
            found: last,
        });
    }
    Ok(())
}

/// Masks an ID number for display: the first 6 and the last 4 characters stay, the rest
/// become `*` (`220502********1234`). Input of 10 characters or fewer is masked whole.
pub fn mask_id_number(id: &str) -> String {
    let chars: Vec<char> = normalise(id).chars().collect();
    let n = chars.len();
    if n <= 10 {
        return "*".repeat(n);
    }
    chars
        .iter()
        .enumerate()
        .map(|(i, &c)| if i < 6 || i >= n - 4 { c } else { '*' })
        .collect()
}

/// A GB/T 4754-2017 industry: a section (门类, `C`) or a division (大类, `C26`) within it.
///
/// The API code is the section letter, followed for a division by its two digits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Industry {
    section: char,
    division: Option<u8>,
}

impl Industry {
    /// Reads `C` or `C26`; `None` unless the section exists and the division (01–97)
    /// belongs to it (`C01` is refused: 01 is in section A).
    pub fn parse(code: &str) -> Option<Industry> {
        let mut chars = code.chars();
        let section = chars.next()?;
        SECTIONS.iter().find(|s| s.0 == section)?;
        let rest = chars.as_str();
        if rest.is_empty() {
            return Some(Industry {
                section,
                division: None,
            });
        }
        if rest.len() != 2 || !rest.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let n: u8 = rest.parse().ok()?;
        let d = DIVISIONS.iter().find(|d| d.0 == n)?;
        (d.1 == section).then_some(Industry {
            section,
            division: Some(n),
        })
    }

    /// The division's industry (`26` → `C26`); `None` outside 01–97.
    pub fn from_division(division: u8) -> Option<Industry> {
        DIVISIONS
            .iter()
            .find(|d| d.0 == division)
            .map(|d| Industry {
                section: d.1,
                division: Some(division),
            })
    }

    /// The API code: `C` or `C26`.
    pub fn code(&self) -> String {
        match self.division {
            Some(d) => format!("{}{d:02}", self.section),
            None => self.section.to_string(),
        }
    }

    /// The section letter.
    pub fn section(&self) -> char {
        self.section
    }

    /// The division number, when this is a division.
    pub fn division(&self) -> Option<u8> {
        self.division
    }

    /// The section alone (`C26` → `C`).
    pub fn section_industry(&self) -> Industry {
        Industry {
            section: self.section,
            division: None,
        }
    }

    fn section_row(&self) -> &'static (char, &'static str, &'static str) {
        SECTIONS
            .iter()
            .find(|s| s.0 == self.section)
            .expect("an Industry is only built from a known section")
    }

    /// The section's Chinese name (制造业).
    pub fn section_name_zh(&self) -> &'static str {
        self.section_row().1
    }

    /// The section's English name (Manufacturing).
    pub fn section_name_en(&self) -> &'static str {
        self.section_row().2
    }

    /// The Chinese name: the division's (化学原料和化学制品制造业) or, for a section, the
    /// section's.
    pub fn name_zh(&self) -> &'static str {
        match self.division {
            Some(n) => DIVISIONS[usize::from(n) - 1].2,
            None => self.section_name_zh(),
        }
    }

    /// Every section, A–T.
    pub fn sections() -> impl Iterator<Item = Industry> {
        SECTIONS.iter().map(|s| Industry {
            section: s.0,
            division: None,
        })
    }

    /// Every division, 01–97.
    pub fn divisions() -> impl Iterator<Item = Industry> {
        DIVISIONS.iter().map(|d| Industry {
            section: d.1,
            division: Some(d.0),
        })
    }

    /// The divisions of this section (of its own section, for a division).
    pub fn divisions_of_section(&self) -> impl Iterator<Item = Industry> {
        let section = self.section;
        Industry::divisions().filter(move |d| d.section == section)
    }
}

impl fmt::Display for Industry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.code())
    }
}

impl serde::Serialize for Industry {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.code())
    }
}

impl<'de> serde::Deserialize<'de> for Industry {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let code = String::deserialize(d)?;
        Industry::parse(&code)
            .ok_or_else(|| serde::de::Error::custom(format!("unknown industry code {code:?}")))
    }
}

impl TryFrom<String> for Industry {
    type Error = crate::error::UnknownCode;
    fn try_from(code: String) -> Result<Self, Self::Error> {
        Industry::parse(&code).ok_or(crate::error::UnknownCode {
            vocabulary: "Industry",
            code,
        })
    }
}

vocabulary! {
    /// Enterprise scale (企业规模), per 《统计上大中小微型企业划分办法（2017）》
    /// (国统字〔2017〕213号). The thresholds per industry are not encoded: the scale is
    /// recorded as declared.
    Scale {
        Large => ("large", "大型", "large"),
        Medium => ("medium", "中型", "medium"),
        Small => ("small", "小型", "small"),
        Micro => ("micro", "微型", "micro"),
    }
}

vocabulary! {
    /// Which level supervises the enterprise (分级属地监管): the city (市管) or the county
    /// (县管). A local assignment recorded per enterprise, not a national code.
    Management {
        City => ("city", "市管", "city-managed"),
        County => ("county", "县管", "county-managed"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Builds a valid credit code from its first 17 characters.
    fn with_check(first17: &str) -> String {
        let sum: u32 = first17
            .chars()
            .zip(CREDIT_WEIGHTS)
            .map(|(c, w)| credit_value(c).unwrap() * w)
            .sum();
        let v = (31 - sum % 31) % 31;
        format!(
            "{first17}{}",
            CREDIT_ALPHABET.as_bytes()[v as usize] as char
        )
    }

    #[test]
    fn the_widely_used_example_credit_code_is_valid() {
        assert_eq!(credit_code_valid("91350100M000100Y43"), Ok(()));
        assert_eq!(with_check("91350100M000100Y4"), "91350100M000100Y43");
        assert_eq!(credit_code_region("91350100M000100Y43"), Some("350100"));
        let built = with_check("91220500MA0Y12345");
        assert_eq!(credit_code_valid(&built), Ok(()));
        assert_eq!(credit_code_region(&built), Some("220500"));
    }

    #[test]
    fn a_one_character_change_breaks_the_credit_code() {
        assert_eq!(
            credit_code_valid("91350100M000100Y44"),
            Err(CodeProblem::WrongCheck {
                expected: '3',
                found: '4'
            })
        );
        assert!(matches!(
            credit_code_valid("91350100M000200Y43"),
            Err(CodeProblem::WrongCheck { .. })
        ));
        assert_eq!(credit_code_region("91350100M000100Y44"), None);
    }

    #[test]
    fn credit_code_length_and_alphabet_are_checked() {
        assert_eq!(
            credit_code_valid("91350100M000100Y4"),
            Err(CodeProblem::WrongLength {
                expected: 18,
                found: 17
            })
        );
        for bad in ['I', 'O', 'Z', 'S', 'V', 'm'] {
            let code = format!("91350100{bad}000100Y43");
            assert_eq!(
                credit_code_valid(&code),
                Err(CodeProblem::IllegalCharacter {
                    position: 9,
                    character: bad
                })
            );
        }
        assert_eq!(
            credit_code_valid(&normalise_credit_code(" 91350100m000100y43 ")),
            Ok(())
        );
    }

    #[test]
    fn a_check_value_of_zero_is_the_character_zero() {
        // Find a 17-character prefix whose sum is a multiple of 31.
        let mut found = false;
        for n in 0..31u32 {
            let prefix = format!("9122050000000{n:04}");
            let code = with_check(&prefix);
            if code.ends_with('0') {
                assert_eq!(credit_code_valid(&code), Ok(()));
                found = true;
            }
        }
        assert!(found);
    }

    #[test]
    fn the_standard_example_id_number_is_valid() {
        assert_eq!(id_number_valid("11010519491231002X"), Ok(()));
        assert_eq!(id_number_valid("11010519491231002x"), Ok(()));
        assert_eq!(normalise(" 11010519491231002x "), "11010519491231002X");
        assert_eq!(id_number_valid("440524188001010014"), Ok(()));
    }

    #[test]
    fn invalid_id_numbers_say_why() {
        assert_eq!(
            id_number_valid("110105194912310021"),
            Err(CodeProblem::WrongCheck {
                expected: 'X',
                found: '1'
            })
        );
        assert!(matches!(
            id_number_valid("11010519491231002"),
            Err(CodeProblem::WrongLength { found: 17, .. })
        ));
        assert_eq!(
            id_number_valid("1101051949123100AX"),
            Err(CodeProblem::IllegalCharacter {
                position: 17,
                character: 'A'
            })
        );
        assert_eq!(
            id_number_valid("110105194902300021"),
            Err(CodeProblem::BadBirthDate {
                text: "19490230".into()
            })
        );
        let e = id_number_valid("110105194902300021").unwrap_err();
        assert_eq!(e.key(), "code.bad_birth_date");
        assert!(e.message_zh().contains("出生日期"));
    }

    #[test]
    fn masking_keeps_the_first_six_and_last_four() {
        assert_eq!(mask_id_number("220502199001011234"), "220502********1234");
        assert_eq!(mask_id_number("11010519491231002x"), "110105********002X");
        assert_eq!(mask_id_number("12345"), "*****");
    }

    #[test]
    fn industries_parse_only_within_their_section() {
        let c26 = Industry::parse("C26").unwrap();
        assert_eq!(c26.code(), "C26");
        assert_eq!(c26.name_zh(), "化学原料和化学制品制造业");
        assert_eq!(c26.section_name_zh(), "制造业");
        assert_eq!(c26.section_name_en(), "Manufacturing");
        assert_eq!(Industry::parse("C01"), None);
        assert_eq!(Industry::parse("Z99"), None);
        assert_eq!(Industry::parse("Z"), None);
        assert_eq!(Industry::parse("C2"), None);
        assert_eq!(Industry::parse("C260"), None);
        assert_eq!(Industry::parse("c26"), None);
        assert_eq!(Industry::parse("C").unwrap().name_zh(), "制造业");
        assert_eq!(Industry::parse("T97").unwrap().name_zh(), "国际组织");
        assert_eq!(Industry::from_division(44).unwrap().code(), "D44");
        assert_eq!(Industry::from_division(98), None);
    }

    #[test]
    fn the_table_has_20_sections_and_97_divisions_in_the_standard_ranges() {
        assert_eq!(Industry::sections().count(), 20);
        assert_eq!(Industry::divisions().count(), 97);
        for (i, d) in DIVISIONS.iter().enumerate() {
            assert_eq!(usize::from(d.0), i + 1);
        }
        let ranges = [
            ('A', 1, 5),
            ('B', 6, 12),
            ('C', 13, 43),
            ('D', 44, 46),
            ('E', 47, 50),
            ('F', 51, 52),
            ('G', 53, 60),
            ('H', 61, 62),
            ('I', 63, 65),
            ('J', 66, 69),
            ('K', 70, 70),
            ('L', 71, 72),
            ('M', 73, 75),
            ('N', 76, 79),
            ('O', 80, 82),
            ('P', 83, 83),
            ('Q', 84, 85),
            ('R', 86, 90),
            ('S', 91, 96),
            ('T', 97, 97),
        ];
        for (s, from, to) in ranges {
            let section = Industry::parse(&s.to_string()).unwrap();
            let divs: Vec<u8> = section
                .divisions_of_section()
                .map(|d| d.division().unwrap())
                .collect();
            assert_eq!(divs, (from..=to).collect::<Vec<u8>>(), "section {s}");
        }
    }

    #[test]
    fn industry_serialises_as_its_code() {
        let i: Industry = serde_json_like("C26");
        assert_eq!(i.code(), "C26");
        assert!(Industry::try_from("C01".to_string()).is_err());
    }

    fn serde_json_like(code: &str) -> Industry {
        use serde::de::IntoDeserializer;
        use serde::de::value::{Error, StrDeserializer};
        let d: StrDeserializer<'_, Error> = code.into_deserializer();
        serde::Deserialize::deserialize(d).unwrap()
    }

    #[test]
    fn scale_and_management_vocabularies() {
        assert_eq!(Scale::parse("micro"), Some(Scale::Micro));
        assert_eq!(Scale::Large.name_zh(), "大型");
        assert_eq!(Management::County.name_zh(), "县管");
        assert_eq!(
            Management::try_from("city".to_string()),
            Ok(Management::City)
        );
    }
}
