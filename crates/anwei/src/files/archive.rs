//! Reading an uploaded xlsx safely: an xlsx is a zip archive, and calamine unpacks it in
//! memory. `check_zip` reads the central directory the zip reader will use (exactly one end
//! record, on disk 0) and the sizes it declares; `repack` then copies every entry unpacked,
//! with the bytes *actually* read capped per entry and in total whatever the headers claim,
//! into an uncompressed archive that calamine reads. A zip bomb is refused either way.

use std::io::Cursor;

use crate::i18n::Msg;

/// The most an xlsx archive may declare, and really unpack to, and the most entries it may
/// have: calamine unpacks in memory, so a small zip that unpacks to gigabytes is refused first.
pub const MAX_UNPACKED_BYTES: u64 = 64 * 1024 * 1024;
const MAX_ZIP_ENTRIES: usize = 1000;
/// An entry larger than 1 MB unpacked may not be compressed more than this.
const MAX_RATIO: u64 = 200;

fn u16_at(b: &[u8], i: usize) -> Option<u64> {
    Some(u64::from(u16::from_le_bytes([*b.get(i)?, *b.get(i + 1)?])))
}

fn u32_at(b: &[u8], i: usize) -> Option<u64> {
    Some(u64::from(u32::from_le_bytes([
        *b.get(i)?,
        *b.get(i + 1)?,
        *b.get(i + 2)?,
        *b.get(i + 3)?,
    ])))
}

/// An end-of-central-directory record is searched for in this many bytes at the end of the
/// archive: the 22-byte record and the longest comment, plus a margin, because the zip reader
/// looks a few bytes further back than that (65,572 bytes in zip 9.8).
const EOCD_SEARCH: usize = 22 + 65_535 + 64;
const EOCD_SIGNATURE: [u8; 4] = *b"PK\x05\x06";

/// Checks the central directory of an xlsx archive before anything is unpacked: its one end
/// record, and the sizes its entries declare. The zip reader skips an end record it cannot
/// use (another disk, a comment past the end) and tries the next one further back, so a fake
/// record in the comment would hide the real directory from a check that reads only the last
/// one. Hence exactly one, on disk 0, whose directory ends where the record starts: the
/// directory the reader uses. The reader stops each entry at its declared size, and `repack`
/// caps what is really unpacked in any case.
pub fn check_zip(b: &[u8]) -> Result<(), Msg> {
    check_zip_within(b, MAX_UNPACKED_BYTES)
}

/// [`check_zip`] with another cap on the unpacked total (a larger table's import).
pub fn check_zip_within(b: &[u8], budget: u64) -> Result<(), Msg> {
    let bad = || Msg::new("policy_import.xlsx_unreadable");
    let bomb = || Msg::new("policy_import.xlsx_too_big");
    if b.len() < 22 {
        return Err(bad());
    }
    let lowest = b.len().saturating_sub(EOCD_SEARCH);
    let mut ends = (lowest..=b.len() - 4).filter(|&i| b[i..i + 4] == EOCD_SIGNATURE);
    let eocd = ends.next().ok_or_else(bad)?;
    if ends.next().is_some() {
        return Err(bad());
    }
    let field16 = |at: usize| u16_at(b, eocd + at).ok_or_else(bad);
    let field32 = |at: usize| u32_at(b, eocd + at).ok_or_else(bad);
    let (disk, cd_disk, on_disk, entries) = (field16(4)?, field16(6)?, field16(8)?, field16(10)?);
    let (cd_size, cd_offset, comment) = (field32(12)?, field32(16)?, field16(20)?);
    if eocd as u64 + 22 + comment > b.len() as u64 {
        return Err(bad());
    }
    if entries == 0xffff || cd_size == 0xffff_ffff || cd_offset == 0xffff_ffff {
        // ZIP64: no task table needs it.
        return Err(bomb());
    }
    if disk != 0 || cd_disk != 0 || on_disk != entries {
        return Err(bad());
    }
    if entries as usize > MAX_ZIP_ENTRIES {
        return Err(bomb());
    }
    // Where the reader looks first; with a gap before the end record it may look elsewhere.
    if cd_offset + cd_size != eocd as u64 {
        return Err(bad());
    }
    let cd_end = eocd;
    let mut p = usize::try_from(cd_offset).map_err(|_| bad())?;
    let mut total: u64 = 0;
    for _ in 0..entries {
        if p + 46 > cd_end || u32_at(b, p) != Some(0x0201_4b50) {
            return Err(bad());
        }
        let packed = u32_at(b, p + 20).ok_or_else(bad)?;
        let unpacked = u32_at(b, p + 24).ok_or_else(bad)?;
        if packed == 0xffff_ffff || unpacked == 0xffff_ffff {
            return Err(bomb());
        }
        if unpacked > 1024 * 1024 && unpacked / packed.max(1) > MAX_RATIO {
            return Err(bomb());
        }
        total += unpacked;
        if total > budget {
            return Err(bomb());
        }
        let name = u16_at(b, p + 28).ok_or_else(bad)?;
        let extra = u16_at(b, p + 30).ok_or_else(bad)?;
        let comment = u16_at(b, p + 32).ok_or_else(bad)?;
        p += 46 + (name + extra + comment) as usize;
    }
    if p != cd_end {
        return Err(bad());
    }
    Ok(())
}

/// The zip reader stops an entry that unpacks past the size it declares with this error: a
/// bomb, not a damaged file. (Should zip reword it, such an entry is still refused, only as
/// unreadable, and the unit tests say so.)
fn unpacks_past_its_size(e: &std::io::Error) -> bool {
    e.kind() == std::io::ErrorKind::InvalidData
        && e.to_string().contains("larger than its declared")
}

/// Copies every entry of an xlsx archive, unpacked, into a new archive without compression,
/// reading at most `budget` bytes in all whatever the headers declare. calamine reads the
/// copy, so what it holds is bounded by what was really unpacked here (`budget` plus headers),
/// not by what an archive claims. Names are kept as they are (nothing is written to disk).
pub fn repack(bytes: &[u8], budget: u64) -> Result<Vec<u8>, Msg> {
    use std::io::{Read, copy};
    use zip::write::SimpleFileOptions;
    let bad = || Msg::new("policy_import.xlsx_unreadable");
    let bomb = || Msg::new("policy_import.xlsx_too_big");
    let mut src = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| bad())?;
    if src.len() > MAX_ZIP_ENTRIES {
        return Err(bomb());
    }
    let stored = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let mut left = budget;
    for i in 0..src.len() {
        if src.by_index_data(i).map_err(|_| bad())?.encrypted() {
            return Err(bad());
        }
        let entry = src.by_index(i).map_err(|_| bad())?;
        let name = entry.name().map_err(|_| bad())?.into_owned();
        if entry.is_dir() {
            out.add_directory(name, stored).map_err(|_| bad())?;
            continue;
        }
        out.start_file(name, stored).map_err(|_| bad())?;
        // One byte past what is left tells "too big" from "exactly the budget".
        let read = copy(&mut entry.take(left + 1), &mut out).map_err(|e| {
            if unpacks_past_its_size(&e) {
                bomb()
            } else {
                bad()
            }
        })?;
        left = left.checked_sub(read).ok_or_else(bomb)?;
    }
    Ok(out.finish().map_err(|_| bad())?.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::import::{MAX_FILE_BYTES, parse_grid, read_grid};

    #[test]
    fn a_zip_that_declares_a_huge_unpacked_size_is_refused() {
        // A central directory entry claiming 1 GB unpacked from 1 KB.
        let mut cd = Vec::new();
        cd.extend_from_slice(&0x0201_4b50u32.to_le_bytes());
        cd.extend_from_slice(&[0; 16]);
        cd.extend_from_slice(&1024u32.to_le_bytes());
        cd.extend_from_slice(&(1u32 << 30).to_le_bytes());
        cd.extend_from_slice(&1u16.to_le_bytes());
        // Extra and comment lengths, disks, attributes, local header offset (46 bytes in all).
        cd.extend_from_slice(&[0; 16]);
        cd.push(b'x');
        let mut z = b"PK\x03\x04".to_vec();
        let offset = z.len() as u32;
        z.extend_from_slice(&cd);
        z.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
        // Disk 0, the directory on disk 0, one entry on this disk and one in all.
        z.extend_from_slice(&[0; 4]);
        z.extend_from_slice(&1u16.to_le_bytes());
        z.extend_from_slice(&1u16.to_le_bytes());
        z.extend_from_slice(&(cd.len() as u32).to_le_bytes());
        z.extend_from_slice(&offset.to_le_bytes());
        z.extend_from_slice(&[0; 2]);
        assert_eq!(
            check_zip(&z).map_err(|m| m.key),
            Err("policy_import.xlsx_too_big")
        );
    }

    const MIB: usize = 1024 * 1024;
    const UNREADABLE: Result<(), &str> = Err("policy_import.xlsx_unreadable");
    const TOO_BIG: Result<(), &str> = Err("policy_import.xlsx_too_big");

    fn key<T>(r: Result<T, Msg>) -> Result<(), &'static str> {
        r.map(|_| ()).map_err(|m| m.key)
    }

    /// A raw deflate stream that inflates to `n` zeros (n ≥ 1), written by hand with the fixed
    /// codes so no compressor has to run over them: one literal 0, then matches of 258 bytes
    /// at distance 1 (13 bits each, about 160 to 1 — under the ratio limit).
    fn deflated_zeros(n: usize) -> Vec<u8> {
        struct Bits {
            out: Vec<u8>,
            acc: u8,
            len: u32,
        }
        impl Bits {
            fn bit(&mut self, b: u32) {
                self.acc |= ((b & 1) as u8) << self.len;
                self.len += 1;
                if self.len == 8 {
                    self.out.push(self.acc);
                    (self.acc, self.len) = (0, 0);
                }
            }
            /// A Huffman code goes out from its most significant bit.
            fn code(&mut self, c: u32, len: u32) {
                for i in (0..len).rev() {
                    self.bit(c >> i);
                }
            }
        }
        let mut w = Bits {
            out: Vec::with_capacity(n / 150 + 16),
            acc: 0,
            len: 0,
        };
        // The last block; fixed codes (type 1, least significant bit first).
        w.bit(1);
        w.bit(1);
        w.bit(0);
        w.code(0x30, 8);
        let rest = n - 1;
        for _ in 0..rest / 258 {
            // Length 258 (symbol 285), distance 1 (code 0).
            w.code(0xc5, 8);
            w.code(0, 5);
        }
        for _ in 0..rest % 258 {
            w.code(0x30, 8);
        }
        // End of block.
        w.code(0, 7);
        if w.len > 0 {
            w.out.push(w.acc);
        }
        w.out
    }

    fn crc32(data: &[u8]) -> u32 {
        let mut c = !0u32;
        for &b in data {
            c ^= u32::from(b);
            for _ in 0..8 {
                c = if c & 1 == 1 {
                    (c >> 1) ^ 0xedb8_8320
                } else {
                    c >> 1
                };
            }
        }
        !c
    }

    /// One entry of a hand-made archive: the bytes as packed, and what its headers declare
    /// (true or not).
    struct Entry {
        name: String,
        flags: u16,
        method: u16,
        packed: Vec<u8>,
        declared: u32,
        crc: u32,
    }

    fn stored(name: &str, data: &[u8]) -> Entry {
        Entry {
            name: name.to_string(),
            flags: 0,
            method: 0,
            packed: data.to_vec(),
            declared: data.len() as u32,
            crc: crc32(data),
        }
    }

    /// Deflated zeros whose headers declare `declared` bytes unpacked (the CRC is not checked
    /// before the end of an entry, and these tests never get that far).
    fn zeros(name: &str, packed: &[u8], declared: usize) -> Entry {
        Entry {
            name: name.to_string(),
            flags: 0,
            method: 8,
            packed: packed.to_vec(),
            declared: declared as u32,
            crc: 0,
        }
    }

    /// An archive laid out as writers do: local headers with their data, the central
    /// directory, its end record (22 bytes, no comment).
    fn archive(entries: &[Entry]) -> Vec<u8> {
        let mut z = Vec::new();
        let mut cd = Vec::new();
        for e in entries {
            let offset = z.len() as u32;
            let common = |v: &mut Vec<u8>| {
                v.extend_from_slice(&20u16.to_le_bytes());
                v.extend_from_slice(&e.flags.to_le_bytes());
                v.extend_from_slice(&e.method.to_le_bytes());
                // 00:00, 1 January 1980.
                v.extend_from_slice(&0u16.to_le_bytes());
                v.extend_from_slice(&0x21u16.to_le_bytes());
                v.extend_from_slice(&e.crc.to_le_bytes());
                v.extend_from_slice(&(e.packed.len() as u32).to_le_bytes());
                v.extend_from_slice(&e.declared.to_le_bytes());
                v.extend_from_slice(&(e.name.len() as u16).to_le_bytes());
                v.extend_from_slice(&0u16.to_le_bytes());
            };
            z.extend_from_slice(b"PK\x03\x04");
            common(&mut z);
            z.extend_from_slice(e.name.as_bytes());
            z.extend_from_slice(&e.packed);
            cd.extend_from_slice(b"PK\x01\x02");
            cd.extend_from_slice(&20u16.to_le_bytes());
            common(&mut cd);
            // Comment length, first disk, internal and external attributes.
            cd.extend_from_slice(&[0; 10]);
            cd.extend_from_slice(&offset.to_le_bytes());
            cd.extend_from_slice(e.name.as_bytes());
        }
        let n = entries.len() as u16;
        let cd_offset = z.len() as u32;
        z.extend_from_slice(&cd);
        z.extend_from_slice(b"PK\x05\x06");
        z.extend_from_slice(&[0; 4]);
        z.extend_from_slice(&n.to_le_bytes());
        z.extend_from_slice(&n.to_le_bytes());
        z.extend_from_slice(&(cd.len() as u32).to_le_bytes());
        z.extend_from_slice(&cd_offset.to_le_bytes());
        z.extend_from_slice(&0u16.to_le_bytes());
        z
    }

    fn set16(z: &mut [u8], at: usize, v: u16) {
        z[at..at + 2].copy_from_slice(&v.to_le_bytes());
    }

    fn set32(z: &mut [u8], at: usize, v: u32) {
        z[at..at + 4].copy_from_slice(&v.to_le_bytes());
    }

    #[test]
    fn a_fake_end_record_in_the_comment_cannot_hide_the_real_central_directory() {
        // The tester's file: a sharedStrings.xml of 100 MiB (honestly declared) in well under
        // a megabyte, and after the real end record a comment holding a fake one on disk 1
        // that lists nothing.
        let big = 100 * MIB;
        let mut z = archive(&[zeros("xl/sharedStrings.xml", &deflated_zeros(big), big)]);
        let real = z.len() - 22;
        set16(&mut z, real + 20, 22);
        z.extend_from_slice(b"PK\x05\x06");
        z.extend_from_slice(&1u16.to_le_bytes());
        z.extend_from_slice(&1u16.to_le_bytes());
        z.extend_from_slice(&[0; 14]);
        assert!(z.len() < MAX_FILE_BYTES);
        // The zip reader skips the fake record and unpacks the real entry.
        let mut reader = zip::ZipArchive::new(Cursor::new(&z)).expect("the reader opens it");
        assert_eq!(reader.len(), 1);
        assert_eq!(reader.by_index(0).expect("entry").size(), big as u64);
        // So the check reads the same directory, or refuses.
        assert_eq!(key(check_zip(&z)), UNREADABLE);
        assert!(read_grid(&z).is_err());
    }

    #[test]
    fn an_end_record_on_another_disk_or_with_its_directory_out_of_place_is_refused() {
        let good = archive(&[stored("a.txt", b"hello"), stored("b.txt", b"world")]);
        assert_eq!(key(check_zip(&good)), Ok(()));
        let eocd = good.len() - 22;
        let cd_size = u32::from_le_bytes(good[eocd + 12..eocd + 16].try_into().expect("u32"));
        let refused = |patch: &dyn Fn(&mut Vec<u8>)| {
            let mut z = good.clone();
            patch(&mut z);
            key(check_zip(&z))
        };
        // Number of this disk; disk where the central directory starts.
        assert_eq!(refused(&|z| set16(z, eocd + 4, 1)), UNREADABLE);
        assert_eq!(refused(&|z| set16(z, eocd + 6, 1)), UNREADABLE);
        // Entries on this disk differ from entries in all.
        assert_eq!(refused(&|z| set16(z, eocd + 8, 1)), UNREADABLE);
        // A directory that does not end at the record, or does not fit in the file.
        assert_eq!(refused(&|z| set32(z, eocd + 12, cd_size - 1)), UNREADABLE);
        assert_eq!(refused(&|z| set32(z, eocd + 12, cd_size + 1)), UNREADABLE);
        assert_eq!(refused(&|z| set32(z, eocd + 16, 1 << 20)), UNREADABLE);
        // A comment longer than what follows the record.
        assert_eq!(refused(&|z| set16(z, eocd + 20, 1)), UNREADABLE);
        // A second end record anywhere in the tail, even an identical one.
        assert_eq!(
            refused(&|z| {
                let copy = z[eocd..].to_vec();
                set16(z, eocd + 20, 22);
                z.extend_from_slice(&copy);
            }),
            UNREADABLE
        );
    }

    #[test]
    fn an_entry_that_unpacks_past_its_declared_size_is_refused_while_repacking() {
        // Declares 1 KB; really 65 MiB of zeros.
        let z = archive(&[zeros(
            "xl/sharedStrings.xml",
            &deflated_zeros(65 * MIB),
            1024,
        )]);
        assert_eq!(key(check_zip(&z)), Ok(()), "the declared sizes are fine");
        assert_eq!(key(repack(&z, MAX_UNPACKED_BYTES)), TOO_BIG);
        assert_eq!(key(read_grid(&z)), TOO_BIG);
    }

    #[test]
    fn repacking_stops_at_the_budget_counted_over_all_entries() {
        let data = vec![0u8; 400 * 1024];
        let z = archive(&[
            stored("a.xml", &data),
            stored("b.xml", &data),
            stored("c.xml", &data),
        ]);
        assert_eq!(key(repack(&z, 3 * 400 * 1024 - 1)), TOO_BIG);
        let copy = repack(&z, 3 * 400 * 1024).expect("exactly the budget");
        let mut copy = zip::ZipArchive::new(Cursor::new(copy)).expect("the copy opens");
        assert_eq!(copy.len(), 3);
        for i in 0..3 {
            let e = copy.by_index(i).expect("entry");
            assert_eq!(e.size(), data.len() as u64);
            assert_eq!(e.compression(), zip::CompressionMethod::Stored);
        }
        // An encrypted entry is not read at all.
        let mut locked = stored("a.xml", b"secret");
        locked.flags = 1;
        assert_eq!(
            key(repack(&archive(&[locked]), MAX_UNPACKED_BYTES)),
            UNREADABLE
        );
    }

    #[test]
    fn an_archive_of_more_than_1000_entries_is_refused() {
        let entries: Vec<Entry> = (0..=MAX_ZIP_ENTRIES)
            .map(|i| stored(&format!("f{i}"), b""))
            .collect();
        let z = archive(&entries);
        assert_eq!(key(check_zip(&z)), TOO_BIG);
        assert_eq!(key(repack(&z, MAX_UNPACKED_BYTES)), TOO_BIG);
        assert_eq!(key(check_zip(&archive(&entries[1..]))), Ok(()));
    }

    #[test]
    fn an_archive_declaring_more_than_64_mib_in_all_is_refused() {
        // Each entry is within the ratio limit and 30 MiB alone is fine; three are not.
        let packed = deflated_zeros(30 * MIB);
        let one = |name: &str| zeros(name, &packed, 30 * MIB);
        assert_eq!(key(check_zip(&archive(&[one("a.xml")]))), Ok(()));
        let z = archive(&[one("a.xml"), one("b.xml"), one("c.xml")]);
        assert_eq!(key(check_zip(&z)), TOO_BIG);
        assert_eq!(key(read_grid(&z)), TOO_BIG);
    }

    #[test]
    fn a_normal_xlsx_is_repacked_without_compression_and_reads_as_before() {
        let mut wb = rust_xlsxwriter::Workbook::new();
        let ws = wb.add_worksheet();
        let rows: [[&str; 5]; 3] = [
            ["措施", "序号", "重点任务", "责任单位", "完成时限"],
            ["一、压实责任", "1", "制定责任清单", "各级政府", "长期坚持"],
            [
                "",
                "2",
                "开展隐患排查",
                "市应急管理部门",
                "2022年9月底前完成",
            ],
        ];
        for (r, row) in rows.iter().enumerate() {
            for (c, text) in row.iter().enumerate() {
                if !text.is_empty() {
                    ws.write_string(r as u32, c as u16, *text).expect("cell");
                }
            }
        }
        let bytes = wb.save_to_buffer().expect("xlsx");
        let copy = repack(&bytes, MAX_UNPACKED_BYTES).expect("repacked");
        let original = zip::ZipArchive::new(Cursor::new(&bytes)).expect("original");
        let mut copy = zip::ZipArchive::new(Cursor::new(copy)).expect("copy");
        fn names<R: std::io::Read + std::io::Seek>(a: &zip::ZipArchive<R>) -> Vec<String> {
            a.file_names()
                .map(|n| n.expect("name").into_owned())
                .collect()
        }
        assert_eq!(names(&original), names(&copy));
        for i in 0..copy.len() {
            let e = copy.by_index(i).expect("entry");
            assert_eq!(e.compression(), zip::CompressionMethod::Stored);
        }
        let grid = read_grid(&bytes).expect("reads");
        assert_eq!(grid[1][2], "制定责任清单");
        let p = parse_grid(&grid);
        assert!(p.errors.is_empty(), "{:?}", p.errors);
        assert_eq!(p.rows.len(), 2);
        assert_eq!(p.rows[1].measure, 1);
        assert_eq!(p.rows[1].content, "开展隐患排查");
    }
}
