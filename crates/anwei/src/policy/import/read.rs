//! Reading the upload into a grid of text cells, telling xlsx from csv by content: xlsx through
//! calamine's streaming cell reader after the archive is checked and repacked, csv by hand.

use super::{MAX_CELLS, MAX_COLS, MAX_FILE_BYTES, MAX_HEADER_ROW, MAX_ROWS};
use crate::files::archive::MAX_UNPACKED_BYTES;
use crate::files::xlsx::{Caps, XlsxError, read_first_sheet};
use crate::i18n::Msg;

/// Reads an upload into rows of text cells, telling xlsx from csv by content.
pub fn read_grid(bytes: &[u8]) -> Result<Vec<Vec<String>>, Msg> {
    if bytes.is_empty() {
        return Err(Msg::new("file.empty"));
    }
    if bytes.len() > MAX_FILE_BYTES {
        return Err(
            Msg::new("policy_import.too_large").with("max_mb", MAX_FILE_BYTES / (1024 * 1024))
        );
    }
    if crate::files::xlsx::looks_like_xlsx(bytes) {
        return read_xlsx(bytes);
    }
    if crate::files::xlsx::looks_like_xls(bytes) {
        return Err(Msg::new("policy_import.xls_unsupported"));
    }
    read_csv(bytes)
}

/// The first worksheet, through the shared reader with this table's caps.
fn read_xlsx(bytes: &[u8]) -> Result<Vec<Vec<String>>, Msg> {
    let caps = Caps {
        max_unpacked_bytes: MAX_UNPACKED_BYTES,
        max_rows: MAX_ROWS + MAX_HEADER_ROW + 1,
        max_cells: MAX_CELLS,
        max_cols: MAX_COLS,
    };
    read_first_sheet(bytes, caps).map_err(|e| match e {
        XlsxError::Unreadable(m) => m,
        XlsxError::TooManyCells => Msg::new("policy_import.too_many_cells").with("max", MAX_CELLS),
        XlsxError::TooManyRows => Msg::new("policy_import.too_many_rows").with("max", MAX_ROWS),
    })
}

/// RFC 4180 csv: comma-separated, fields optionally in double quotes (a quote inside written
/// twice), records ended by CRLF (a bare LF is accepted too). UTF-8 only, with or without BOM.
pub fn read_csv(bytes: &[u8]) -> Result<Vec<Vec<String>>, Msg> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if bytes.starts_with(&[0xff, 0xfe]) || bytes.starts_with(&[0xfe, 0xff]) {
        return Err(Msg::new("policy_import.not_utf8"));
    }
    let text = std::str::from_utf8(bytes).map_err(|_| Msg::new("policy_import.not_utf8"))?;
    if text.contains('\0') {
        return Err(Msg::new("policy_import.not_utf8"));
    }
    let mut grid: Vec<Vec<String>> = Vec::new();
    let mut record: Vec<String> = Vec::new();
    let mut field = String::new();
    let mut chars = text.chars().peekable();
    let mut quoted = false;
    // Whether the current field began with a quote (and so must end with one).
    let mut was_quoted = false;
    let bad_quote = |n: usize| Msg::new("policy_import.csv_quote").with("row", n);
    while let Some(c) = chars.next() {
        let n = grid.len() + 1;
        if quoted {
            if c == '"' {
                if chars.peek() == Some(&'"') {
                    chars.next();
                    field.push('"');
                } else {
                    quoted = false;
                    match chars.peek() {
                        None | Some(',') | Some('\n') | Some('\r') => {}
                        Some(_) => return Err(bad_quote(n)),
                    }
                }
            } else {
                field.push(c);
            }
            continue;
        }
        match c {
            '"' if field.is_empty() && !was_quoted => {
                quoted = true;
                was_quoted = true;
            }
            '"' => return Err(bad_quote(n)),
            ',' => {
                record.push(std::mem::take(&mut field));
                was_quoted = false;
            }
            '\r' | '\n' => {
                if c == '\r' && chars.peek() == Some(&'\n') {
                    chars.next();
                }
                record.push(std::mem::take(&mut field));
                was_quoted = false;
                grid.push(std::mem::take(&mut record));
                if grid.len() > MAX_ROWS + MAX_HEADER_ROW + 1 {
                    return Err(Msg::new("policy_import.too_many_rows").with("max", MAX_ROWS));
                }
            }
            _ => field.push(c),
        }
    }
    if quoted {
        return Err(bad_quote(grid.len() + 1));
    }
    if !field.is_empty() || !record.is_empty() || was_quoted {
        record.push(field);
        grid.push(record);
    }
    if grid.len() > MAX_ROWS + MAX_HEADER_ROW + 1 {
        return Err(Msg::new("policy_import.too_many_rows").with("max", MAX_ROWS));
    }
    Ok(grid)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_follows_rfc_4180_quoting() {
        let g = read_csv("a,\"b,1\",\"say \"\"hi\"\"\"\r\n\"multi\nline\",x,\r\n".as_bytes())
            .expect("csv");
        assert_eq!(g[0], vec!["a", "b,1", "say \"hi\""]);
        assert_eq!(g[1], vec!["multi\nline", "x", ""]);
        assert_eq!(g.len(), 2);
        assert!(
            read_csv(b"a,b\"c\n").is_err(),
            "a quote inside an unquoted field"
        );
        assert!(read_csv(b"\"open,b\n").is_err(), "an unterminated quote");
        assert!(
            read_csv(b"\"a\"b,c\n").is_err(),
            "text after a closing quote"
        );
    }

    #[test]
    fn csv_is_utf8_with_or_without_bom_and_nothing_else() {
        let with_bom = [b"\xEF\xBB\xBF".as_slice(), "序号,任务\n".as_bytes()].concat();
        assert_eq!(read_csv(&with_bom).expect("bom")[0][0], "序号");
        // 序号 in GBK.
        assert!(read_csv(&[0xd0, 0xf2, 0xba, 0xc5, b',', b'a']).is_err());
        assert!(read_csv(&[0xff, 0xfe, b'a', 0]).is_err());
    }
}
