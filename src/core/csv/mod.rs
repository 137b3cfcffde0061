//! CSV ingestion: sniffing (byte-order mark, line endings, delimiter) and parsing into a
//! header plus records, each record remembering the physical line it started on.
//!
//! Parsing never drops a record: ragged rows are kept as they are and reported later by
//! validation against a schema. Only problems that make the whole file unreadable are errors.

use std::borrow::Cow;

mod chunks;

pub use chunks::CsvChunks;

use serde::{Deserialize, Serialize};

/// Line-ending style found in a file (the first one seen).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum LineEnding {
    /// `\n`
    Lf,
    /// `\r\n`
    CrLf,
    /// A bare `\r` (old Mac style).
    Cr,
    /// The file has a single line.
    None,
}

/// One data record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Record {
    /// 1-based physical line on which the record starts (the header is line 1).
    pub line: usize,
    /// The fields, unquoted, not trimmed.
    pub fields: Vec<String>,
}

/// A parsed CSV file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CsvTable {
    /// The delimiter used (`,` `;` `\t` or `|`).
    pub delimiter: u8,
    /// Whether the file started with a UTF-8 byte-order mark (which is removed).
    pub had_bom: bool,
    /// The line-ending style.
    pub line_ending: LineEnding,
    /// Header fields, unquoted and trimmed.
    pub header: Vec<String>,
    /// Data records in file order. Lines that are completely empty are skipped (they are not
    /// records); every other line is a record, even when it has the wrong number of fields.
    pub records: Vec<Record>,
}

/// Why a file cannot be read as CSV.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CsvError {
    /// The bytes are not UTF-8.
    #[error("line {line}: the file is not UTF-8 text (invalid byte at offset {offset})")]
    NotUtf8 {
        /// 1-based line of the invalid byte.
        line: usize,
        /// 0-based byte offset of the invalid byte in the input (a byte-order mark counts).
        offset: usize,
    },
    /// The bytes are UTF-16 text (a UTF-16 byte-order mark, or zero bytes between ASCII
    /// characters), which spreadsheet programs write as "Unicode text".
    #[error(
        "the file is UTF-16 text, not UTF-8: save or export it as \"CSV UTF-8\" and load it again"
    )]
    Utf16,
    /// The bytes are not text at all (a zero byte early on): a spreadsheet, an archive, an image.
    #[error(
        "the file is not text (a zero byte at offset {offset}): if it is a spreadsheet (.xlsx, .ods) or a compressed file, export or extract it as CSV first"
    )]
    Binary {
        /// 0-based offset of the first zero byte.
        offset: usize,
    },
    /// There is no header line.
    #[error("the file is empty (no header line)")]
    Empty,
    /// A quoted field is never closed.
    #[error("line {line}: a quoted field starting here is never closed")]
    UnterminatedQuote {
        /// 1-based line where the quoted field starts.
        line: usize,
    },
    /// The delimiter passed to [`parse_with_delimiter`] cannot separate fields: it must be an
    /// ASCII character other than `"`, CR and LF.
    #[error("invalid delimiter byte 0x{delimiter:02x} (must be ASCII, not a quote or line break)")]
    InvalidDelimiter {
        /// The rejected byte.
        delimiter: u8,
    },
}

/// The delimiters [`sniff_delimiter`] chooses from, in order of preference on ties.
pub const CANDIDATE_DELIMITERS: [u8; 4] = [b',', b';', b'\t', b'|'];

/// The UTF-8 byte-order mark.
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// How many logical lines (outside quotes, empty ones not counted) [`sniff_delimiter`] looks at.
const SNIFF_LINES: usize = 20;

/// How many bytes [`sniff_delimiter`] looks at, at most.
const SNIFF_BYTES: usize = 64 * 1024;

/// Parses CSV bytes: strips a UTF-8 byte-order mark, detects the line ending and the delimiter
/// (see [`sniff_delimiter`]), and splits the text into a trimmed header and untrimmed records.
///
/// Line breaks may be LF, CRLF or a bare CR, mixed freely; each counts as one physical line.
/// Fields follow RFC 4180: a field whose first character is `"` is quoted, may contain
/// delimiters, line breaks and doubled quotes (`""`), and ends at the next single quote; any
/// text between that closing quote and the next delimiter or line break is kept literally.
/// A quote inside an unquoted field is an ordinary character. Completely empty lines are
/// skipped; every other line is a record, whatever its number of fields. The first non-empty
/// line is the header.
///
/// Never panics. Errors: [`CsvError::Utf16`], [`CsvError::Binary`], [`CsvError::NotUtf8`],
/// [`CsvError::Empty`], [`CsvError::UnterminatedQuote`].
pub fn parse(bytes: &[u8]) -> Result<CsvTable, CsvError> {
    let (text, had_bom) = decode(bytes)?;
    let delimiter = sniff_delimiter(text);
    parse_text(text, delimiter, had_bom)
}

/// Like [`parse`], with a given delimiter instead of a sniffed one. The delimiter must be an
/// ASCII character other than `"`, CR and LF ([`CsvError::InvalidDelimiter`] otherwise).
pub fn parse_with_delimiter(bytes: &[u8], delimiter: u8) -> Result<CsvTable, CsvError> {
    if !is_valid_delimiter(delimiter) {
        return Err(CsvError::InvalidDelimiter { delimiter });
    }
    let (text, had_bom) = decode(bytes)?;
    parse_text(text, delimiter, had_bom)
}

/// Whether `delimiter` can separate fields: ASCII, and not `"`, CR or LF.
pub fn is_valid_delimiter(delimiter: u8) -> bool {
    delimiter.is_ascii() && !matches!(delimiter, b'"' | b'\r' | b'\n')
}

/// Guesses the delimiter among `,` `;` tab and `|` from the first lines of `text` (at most
/// 20 non-empty logical lines or 64 KiB), counting each candidate outside quoted fields.
///
/// A candidate must occur in the first line (the header). The winner is the candidate whose
/// count in the most lines equals its header count (all lines agreeing means a consistent
/// count), then the one with the larger count, then the earlier one in
/// [`CANDIDATE_DELIMITERS`]. So `a;b` / `1,5;2,7` is `;` (the comma is absent from the header
/// and inconsistent). Returns `,` when no candidate occurs in the header.
pub fn sniff_delimiter(text: &str) -> u8 {
    sniff_bytes(text.as_bytes())
}

/// [`sniff_delimiter`] over bytes (the first 64 KiB of a longer text may end inside a
/// character).
fn sniff_bytes(b: &[u8]) -> u8 {
    let b = b.strip_prefix(BOM).unwrap_or(b);
    let truncated = b.len() > SNIFF_BYTES;
    let b = &b[..b.len().min(SNIFF_BYTES)];
    let mut lines: Vec<[usize; 4]> = Vec::new();
    let mut counts = [0usize; 4];
    let mut line_has_content = false;
    let mut in_quotes = false;
    for &c in b {
        if lines.len() >= SNIFF_LINES {
            break;
        }
        if in_quotes {
            if c == b'"' {
                in_quotes = false;
            }
        } else if c == b'\r' || c == b'\n' {
            if line_has_content {
                lines.push(counts);
            }
            counts = [0; 4];
            line_has_content = false;
        } else {
            line_has_content = true;
            if c == b'"' {
                in_quotes = true;
            } else if let Some(k) = CANDIDATE_DELIMITERS.iter().position(|&d| d == c) {
                counts[k] += 1;
            }
        }
    }
    // A pending last line counts if it is complete (or if it is all there is).
    if line_has_content
        && lines.len() < SNIFF_LINES
        && ((!truncated && !in_quotes) || lines.is_empty())
    {
        lines.push(counts);
    }
    let Some(first) = lines.first().copied() else {
        return b',';
    };
    let mut best: Option<(usize, usize, usize)> = None; // (agreeing lines, count, -index)
    let mut winner = b',';
    for (k, &d) in CANDIDATE_DELIMITERS.iter().enumerate() {
        let h = first[k];
        if h == 0 {
            continue;
        }
        let agree = lines.iter().filter(|l| l[k] == h).count();
        let score = (agree, h, CANDIDATE_DELIMITERS.len() - k);
        if best.is_none_or(|b| score > b) {
            best = Some(score);
            winner = d;
        }
    }
    winner
}

/// Bytes inspected for zero bytes by [`not_text`].
const TEXT_CHECK_BYTES: usize = 4096;

/// UTF-16 or binary content, recognised so that the message says what the file is rather
/// than "not UTF-8": a UTF-16 byte-order mark; or, in bytes that are not UTF-8, a zero byte in
/// the first 4 KiB (UTF-16 when one byte of every pair is zero, binary otherwise); or a first
/// line of ASCII characters each followed or preceded by a zero byte (UTF-16 without a
/// byte-order mark, which is valid UTF-8 with zero characters). `utf8_ok` says whether the
/// bytes decode. Valid UTF-8 with zero characters elsewhere is left to the fields' checks.
fn not_text(bytes: &[u8], utf8_ok: bool) -> Option<CsvError> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Some(CsvError::Utf16);
    }
    let head = &bytes[..bytes.len().min(TEXT_CHECK_BYTES)];
    let first = head.iter().position(|&b| b == 0)?;
    // ASCII text in UTF-16: (nearly) every byte of one parity is zero, (nearly) none of the
    // other. Checked on the first line (ended by a zero-padded line feed) or the whole head.
    let line = head
        .windows(2)
        .position(|w| w == [b'\n', 0] || w == [0, b'\n'])
        .map_or(head, |i| &head[..i]);
    let pairs = line.len() / 2;
    let zeros_at = |parity: usize| {
        line.iter()
            .skip(parity)
            .step_by(2)
            .filter(|&&b| b == 0)
            .count()
    };
    let utf16 = pairs >= 4
        && [0, 1]
            .iter()
            .any(|&p| zeros_at(p) * 10 >= pairs * 9 && zeros_at(1 - p) * 10 < pairs);
    if utf16 {
        Some(CsvError::Utf16)
    } else if utf8_ok {
        None
    } else {
        Some(CsvError::Binary { offset: first })
    }
}

/// Strips a byte-order mark and checks UTF-8 (after [`not_text`]).
fn decode(bytes: &[u8]) -> Result<(&str, bool), CsvError> {
    let (body, had_bom) = match bytes.strip_prefix(BOM) {
        Some(rest) => (rest, true),
        None => (bytes, false),
    };
    let decoded = std::str::from_utf8(body);
    if let Some(e) = not_text(bytes, decoded.is_ok()) {
        return Err(e);
    }
    match decoded {
        Ok(text) => Ok((text, had_bom)),
        Err(e) => {
            let at = e.valid_up_to();
            Err(CsvError::NotUtf8 {
                line: 1 + count_line_breaks(&body[..at]),
                offset: at + if had_bom { BOM.len() } else { 0 },
            })
        }
    }
}

/// Number of line breaks in `b`, counting CRLF once.
fn count_line_breaks(b: &[u8]) -> usize {
    let mut n = 0;
    for (i, &c) in b.iter().enumerate() {
        if c == b'\n' || (c == b'\r' && b.get(i + 1) != Some(&b'\n')) {
            n += 1;
        }
    }
    n
}

/// The style of the first line break in `b`.
fn detect_line_ending(b: &[u8]) -> LineEnding {
    match b.iter().position(|&c| c == b'\r' || c == b'\n') {
        None => LineEnding::None,
        Some(i) if b[i] == b'\n' => LineEnding::Lf,
        Some(i) if b.get(i + 1) == Some(&b'\n') => LineEnding::CrLf,
        Some(_) => LineEnding::Cr,
    }
}

/// The parser proper. `delimiter` is a valid ASCII delimiter, so every position where the
/// scanner stops (delimiter, quote, CR, LF) is a character boundary of `text`.
fn parse_text(text: &str, delimiter: u8, had_bom: bool) -> Result<CsvTable, CsvError> {
    let mut header: Option<Vec<String>> = None;
    let mut records = Vec::new();
    parse_part(text, delimiter, 1, &mut header, &mut records)?;
    let header = header.ok_or(CsvError::Empty)?;
    Ok(CsvTable {
        delimiter,
        had_bom,
        line_ending: detect_line_ending(text.as_bytes()),
        header,
        records,
    })
}

/// Parses `text`, which starts at a record boundary on physical line `line`: the first record
/// becomes the `header` while there is none, every other one is pushed to `records`. Returns
/// the physical line after `text`.
fn parse_part(
    text: &str,
    delimiter: u8,
    mut line: usize,
    header: &mut Option<Vec<String>>,
    records: &mut Vec<Record>,
) -> Result<usize, CsvError> {
    debug_assert!(is_valid_delimiter(delimiter));
    let b = text.as_bytes();
    let n = b.len();
    // Bytes that end an unquoted field.
    let mut stop = [false; 256];
    stop[usize::from(delimiter)] = true;
    stop[usize::from(b'\r')] = true;
    stop[usize::from(b'\n')] = true;

    let mut pos = 0;
    let mut width = 0;
    while pos < n {
        match b[pos] {
            b'\n' => {
                pos += 1;
                line += 1;
                continue;
            }
            b'\r' => {
                pos += 1;
                if b.get(pos) == Some(&b'\n') {
                    pos += 1;
                }
                line += 1;
                continue;
            }
            _ => {}
        }
        let start_line = line;
        let mut fields: Vec<String> = Vec::with_capacity(width);
        loop {
            if b.get(pos) == Some(&b'"') {
                let quote_line = line;
                pos += 1;
                let mut field = String::new();
                loop {
                    let chunk = pos;
                    while pos < n && b[pos] != b'"' {
                        match b[pos] {
                            b'\n' => line += 1,
                            b'\r' if b.get(pos + 1) != Some(&b'\n') => line += 1,
                            _ => {}
                        }
                        pos += 1;
                    }
                    if pos >= n {
                        return Err(CsvError::UnterminatedQuote { line: quote_line });
                    }
                    field.push_str(&text[chunk..pos]);
                    pos += 1; // the quote
                    if b.get(pos) == Some(&b'"') {
                        field.push('"');
                        pos += 1;
                    } else {
                        break;
                    }
                }
                // Lenient: text after the closing quote is kept literally.
                let rest = pos;
                while pos < n && !stop[usize::from(b[pos])] {
                    pos += 1;
                }
                field.push_str(&text[rest..pos]);
                fields.push(field);
            } else {
                let start = pos;
                while pos < n && !stop[usize::from(b[pos])] {
                    pos += 1;
                }
                fields.push(text[start..pos].to_owned());
            }
            if pos >= n {
                break;
            }
            let c = b[pos];
            pos += 1;
            if c == delimiter {
                continue;
            }
            if c == b'\r' && b.get(pos) == Some(&b'\n') {
                pos += 1;
            }
            line += 1;
            break;
        }
        width = fields.len();
        if header.is_none() {
            *header = Some(fields.iter().map(|f| f.trim().to_owned()).collect());
        } else {
            records.push(Record {
                line: start_line,
                fields,
            });
        }
    }
    Ok(line)
}

/// Whether [`quote_field`] must quote `field`: it contains the delimiter, a quote, CR or LF,
/// starts or ends with a space or tab, starts with a byte-order mark (which a reader would
/// strip at the start of a file), or is the empty string while `alone` (a record of one empty
/// field would otherwise be an empty line, which readers skip).
fn needs_quotes(field: &str, delimiter: u8, alone: bool) -> bool {
    if field.is_empty() {
        return alone;
    }
    field
        .bytes()
        .any(|c| c == delimiter || matches!(c, b'"' | b'\r' | b'\n'))
        || field.starts_with([' ', '\t', '\u{feff}'])
        || field.ends_with([' ', '\t'])
}

/// `field` as it must appear in a CSV file with `delimiter`: unchanged when that is safe,
/// otherwise wrapped in quotes with inner quotes doubled. Quoting happens when the field
/// contains the delimiter, a quote, CR or LF, starts or ends with a space or tab, or starts
/// with a byte-order mark.
pub fn quote_field(field: &str, delimiter: u8) -> Cow<'_, str> {
    quote(field, delimiter, false)
}

fn quote(field: &str, delimiter: u8, alone: bool) -> Cow<'_, str> {
    if !needs_quotes(field, delimiter, alone) {
        return Cow::Borrowed(field);
    }
    let mut s = String::with_capacity(field.len() + 2);
    s.push('"');
    for (i, part) in field.split('"').enumerate() {
        if i > 0 {
            s.push_str("\"\"");
        }
        s.push_str(part);
    }
    s.push('"');
    Cow::Owned(s)
}

/// `field` made safe to open in a spreadsheet (CSV formula injection, as OWASP describes
/// it): a text cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return gets a
/// leading `'`, so that Excel, LibreOffice or Google Sheets show it as text instead of
/// evaluating it. Numbers are left as they are (`-59.32`, `+1`, `-1e-5` stay numbers); so is
/// every other cell.
pub fn spreadsheet_safe(field: &str) -> Cow<'_, str> {
    let risky = field.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if !risky || is_plain_number(field) {
        return Cow::Borrowed(field);
    }
    Cow::Owned(format!("'{field}"))
}

/// Whether `field` is a finite decimal number and nothing else (optional sign, digits or a
/// leading point, as Rust and spreadsheets read it; not `inf` or `NaN`).
fn is_plain_number(field: &str) -> bool {
    let body = field.strip_prefix(['+', '-']).unwrap_or(field);
    body.starts_with(|c: char| c.is_ascii_digit() || c == '.')
        && field.parse::<f64>().is_ok_and(f64::is_finite)
}

/// Appends one record and `"\n"` to `out`, every field made [`spreadsheet_safe`] and quoted
/// only where needed (see [`quote_field`]): the writer of every CSV the app and the CLI hand
/// out. A record of a single empty field is written as `""` so that it is not an empty line;
/// a record of no fields is written as an empty line (which [`parse`] skips). `delimiter`
/// should satisfy [`is_valid_delimiter`]; a non-ASCII delimiter is written as the
/// corresponding Latin-1 character.
pub fn write_record(out: &mut String, fields: &[&str], delimiter: u8) {
    write_fields(out, fields.iter().map(|f| spreadsheet_safe(f)), delimiter);
}

/// [`write_record`] without [`spreadsheet_safe`]: the fields exactly, so that [`parse`]
/// gives them back unchanged (the writer's round trip).
pub fn write_record_verbatim(out: &mut String, fields: &[&str], delimiter: u8) {
    write_fields(out, fields.iter().map(|f| Cow::Borrowed(*f)), delimiter);
}

fn write_fields<'a>(
    out: &mut String,
    fields: impl ExactSizeIterator<Item = Cow<'a, str>>,
    delimiter: u8,
) {
    let alone = fields.len() == 1;
    for (i, f) in fields.enumerate() {
        if i > 0 {
            out.push(char::from(delimiter));
        }
        out.push_str(&quote(&f, delimiter, alone));
    }
    out.push('\n');
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(t: &CsvTable) -> Vec<Vec<&str>> {
        t.records
            .iter()
            .map(|r| r.fields.iter().map(String::as_str).collect())
            .collect()
    }

    fn lines(t: &CsvTable) -> Vec<usize> {
        t.records.iter().map(|r| r.line).collect()
    }

    #[test]
    fn plain_lf_file() {
        let t = parse(b"a,b,c\n1,2,3\n4,5,6\n").unwrap();
        assert_eq!(t.delimiter, b',');
        assert!(!t.had_bom);
        assert_eq!(t.line_ending, LineEnding::Lf);
        assert_eq!(t.header, ["a", "b", "c"]);
        assert_eq!(fields(&t), [["1", "2", "3"], ["4", "5", "6"]]);
        assert_eq!(lines(&t), [2, 3]);
    }

    #[test]
    fn bom_is_stripped_and_recorded() {
        let t = parse(b"\xEF\xBB\xBFID,PL\n1,2\n").unwrap();
        assert!(t.had_bom);
        assert_eq!(t.header, ["ID", "PL"]);
        assert_eq!(fields(&t), [["1", "2"]]);
        let t = parse_with_delimiter(b"\xEF\xBB\xBFID;PL", b';').unwrap();
        assert!(t.had_bom);
        assert_eq!(t.header, ["ID", "PL"]);
    }

    #[test]
    fn bare_cr_without_final_newline() {
        let t = parse(b"\xEF\xBB\xBFa,b\r1,2\r3,4\r5,6").unwrap();
        assert_eq!(t.line_ending, LineEnding::Cr);
        assert_eq!(fields(&t), [["1", "2"], ["3", "4"], ["5", "6"]]);
        assert_eq!(lines(&t), [2, 3, 4]);
    }

    #[test]
    fn crlf() {
        let t = parse(b"a,b\r\n1,2\r\n\r\n3,4\r\n").unwrap();
        assert_eq!(t.line_ending, LineEnding::CrLf);
        assert_eq!(fields(&t), [["1", "2"], ["3", "4"]]);
        assert_eq!(lines(&t), [2, 4]);
    }

    #[test]
    fn mixed_line_endings_count_one_line_each() {
        let t = parse(b"a,b\n1,2\r\n3,4\r5,6\n\r7,8").unwrap();
        assert_eq!(t.line_ending, LineEnding::Lf);
        assert_eq!(lines(&t), [2, 3, 4, 6]);
    }

    #[test]
    fn single_line_has_no_line_ending() {
        let t = parse(b"a,b").unwrap();
        assert_eq!(t.line_ending, LineEnding::None);
        assert!(t.records.is_empty());
    }

    #[test]
    fn quoted_delimiter_newline_and_quote() {
        let t =
            parse(b"a,b,c\n\"x,y\",\"say \"\"hi\"\"\",\"two\nlines\"\n\"\",\"\"\"\",z\n").unwrap();
        assert_eq!(
            fields(&t),
            [vec!["x,y", "say \"hi\"", "two\nlines"], vec!["", "\"", "z"]]
        );
        assert_eq!(lines(&t), [2, 4]);
    }

    #[test]
    fn quotes_inside_unquoted_fields_and_after_closing_quote_are_literal() {
        let t = parse_with_delimiter(b"a,b\nab\"c,\"x\"y z\n", b',').unwrap();
        assert_eq!(fields(&t), [["ab\"c", "xy z"]]);
    }

    #[test]
    fn line_numbers_with_multiline_quoted_fields_in_every_style() {
        let data = b"h1,h2\n\"a\r\nb\rc\nd\",1\r\n2,\"\n\"\r3,4";
        let t = parse(data).unwrap();
        assert_eq!(
            fields(&t),
            [vec!["a\r\nb\rc\nd", "1"], vec!["2", "\n"], vec!["3", "4"]]
        );
        assert_eq!(lines(&t), [2, 6, 8]);
    }

    #[test]
    fn semicolon_with_decimal_commas() {
        let t = parse(b"PL;M11;BD2\n120;33,6;0,627\n85;26,6;0,351\n").unwrap();
        assert_eq!(t.delimiter, b';');
        assert_eq!(
            fields(&t),
            [["120", "33,6", "0,627"], ["85", "26,6", "0,351"]]
        );
        assert_eq!(sniff_delimiter("a;b\n1,5;2,7\n"), b';');
    }

    #[test]
    fn tab_and_pipe() {
        let t = parse(b"a\tb\tc\n1\t2,5\t3\n").unwrap();
        assert_eq!(t.delimiter, b'\t');
        assert_eq!(fields(&t), [["1", "2,5", "3"]]);
        let t = parse(b"a|b\n1|2\n").unwrap();
        assert_eq!(t.delimiter, b'|');
        assert_eq!(fields(&t), [["1", "2"]]);
    }

    #[test]
    fn sniffing_ignores_quoted_content_and_defaults_to_comma() {
        assert_eq!(sniff_delimiter("\"a;b;c\",d\n\"1;2\",3\n"), b',');
        assert_eq!(sniff_delimiter("\"x\ny;z\";w\n1;2\n"), b';');
        assert_eq!(sniff_delimiter("single\nline\n"), b',');
        assert_eq!(sniff_delimiter(""), b',');
        assert_eq!(sniff_delimiter("\u{feff}a|b\n1|2"), b'|');
        // A ragged line does not beat a delimiter that agrees on the other lines.
        assert_eq!(sniff_delimiter("a;b;c\n1;2;3\n4;5\n6;7;8\n"), b';');
    }

    #[test]
    fn blank_lines_are_skipped_but_delimiter_only_lines_are_records() {
        let t = parse(b"\n\na,b\n\n1,2\n,\n\n\n3,4\n\n").unwrap();
        assert_eq!(t.header, ["a", "b"]);
        assert_eq!(fields(&t), [vec!["1", "2"], vec!["", ""], vec!["3", "4"]]);
        assert_eq!(lines(&t), [5, 6, 9]);
        // A whitespace-only line is not empty: it is a (one-field) record.
        let t = parse(b"a,b\n  \n").unwrap();
        assert_eq!(fields(&t), [["  "]]);
    }

    #[test]
    fn header_trimmed_records_not() {
        let t = parse(b" a ,\"b \" \n 1 , 2 \n").unwrap();
        assert_eq!(t.header, ["a", "b"]);
        assert_eq!(fields(&t), [[" 1 ", " 2 "]]);
    }

    #[test]
    fn ragged_records_are_kept() {
        let t = parse(b"a,b,c\n1,2\n1,2,3,4\n5\n1,2,3\n").unwrap();
        assert_eq!(
            fields(&t),
            [
                vec!["1", "2"],
                vec!["1", "2", "3", "4"],
                vec!["5"],
                vec!["1", "2", "3"]
            ]
        );
    }

    #[test]
    fn utf16_and_binary_files_are_named_for_what_they_are() {
        let text = "PRG,PL,Age\n1,150,40\n";
        let utf16 = |le: bool, bom: bool| {
            let mut v: Vec<u8> = Vec::new();
            if bom {
                v.extend(if le { [0xFF, 0xFE] } else { [0xFE, 0xFF] });
            }
            for u in text.encode_utf16() {
                v.extend(if le { u.to_le_bytes() } else { u.to_be_bytes() });
            }
            v
        };
        for (le, bom) in [(true, true), (false, true), (true, false), (false, false)] {
            assert_eq!(
                parse(&utf16(le, bom)),
                Err(CsvError::Utf16),
                "le {le} bom {bom}"
            );
        }
        assert!(
            parse(&utf16(true, true))
                .unwrap_err()
                .to_string()
                .contains("CSV UTF-8")
        );
        // A zip archive (an .xlsx file), a PNG image, a UTF-8 file with a zero byte.
        let zip = b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00\xeb\x7a";
        assert_eq!(parse(zip), Err(CsvError::Binary { offset: 5 }));
        let png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR";
        assert_eq!(parse(png), Err(CsvError::Binary { offset: 8 }));
        // Valid UTF-8 with a zero character is text; its fields are checked like any other.
        assert_eq!(
            fields(&parse(b"a,b\n1,\x002\n").unwrap()),
            [["1", "\u{0}2"]]
        );
        let msg = parse(zip).unwrap_err().to_string();
        assert!(msg.contains("not text") && msg.contains(".xlsx"), "{msg}");
        // Invalid UTF-8 without zero bytes early on is reported as such.
        let mut late = b"a,b\n".to_vec();
        late.extend(b"1,2\n".repeat(1100));
        late.extend(b"3,\x00\xff\n");
        assert!(matches!(
            parse(&late),
            Err(CsvError::NotUtf8 { line: 1102, .. })
        ));
    }

    #[test]
    fn trailing_delimiter_gives_empty_last_field() {
        let t = parse(b"a,b\n1,").unwrap();
        assert_eq!(fields(&t), [["1", ""]]);
    }

    #[test]
    fn not_utf8_reports_line_and_offset() {
        assert_eq!(
            parse(b"a,b\n1,2\r\n3,\xFF\n"),
            Err(CsvError::NotUtf8 {
                line: 3,
                offset: 11
            })
        );
        // Offsets count the BOM; bare CRs count as line breaks.
        assert_eq!(
            parse(b"\xEF\xBB\xBFa\rb\xC3"),
            Err(CsvError::NotUtf8 { line: 2, offset: 6 })
        );
        let msg = parse(b"\xFE").unwrap_err().to_string();
        assert!(msg.contains("line 1") && msg.contains("offset 0"), "{msg}");
    }

    #[test]
    fn unterminated_quote_reports_start_line() {
        assert_eq!(
            parse(b"a,b\n1,2\r\n3,\"oops\n4,5\n"),
            Err(CsvError::UnterminatedQuote { line: 3 })
        );
        assert_eq!(parse(b"\"a"), Err(CsvError::UnterminatedQuote { line: 1 }));
    }

    #[test]
    fn empty_inputs() {
        for data in [&b""[..], b"\xEF\xBB\xBF", b"\n", b"\r\n\r\n", b"\r\r"] {
            assert_eq!(parse(data), Err(CsvError::Empty), "{data:?}");
        }
        // A header without records is fine.
        assert_eq!(parse(b"a,b\n\n").unwrap().records, []);
    }

    #[test]
    fn invalid_delimiters_are_rejected() {
        for d in [b'"', b'\r', b'\n', 0xC3, 0xFF] {
            assert_eq!(
                parse_with_delimiter(b"a,b", d),
                Err(CsvError::InvalidDelimiter { delimiter: d })
            );
        }
        let t = parse_with_delimiter("a:b\n1:é".as_bytes(), b':').unwrap();
        assert_eq!(fields(&t), [["1", "é"]]);
    }

    #[test]
    fn quoting_only_when_needed() {
        assert_eq!(quote_field("plain", b','), "plain");
        assert_eq!(quote_field("1,5", b';'), "1,5");
        assert_eq!(quote_field("1,5", b','), "\"1,5\"");
        assert_eq!(quote_field("a\"b", b','), "\"a\"\"b\"");
        assert_eq!(quote_field("a\rb", b','), "\"a\rb\"");
        assert_eq!(quote_field("a\nb", b','), "\"a\nb\"");
        assert_eq!(quote_field(" a", b','), "\" a\"");
        assert_eq!(quote_field("a ", b','), "\"a \"");
        assert_eq!(quote_field("", b','), "");
        assert!(matches!(quote_field("ok", b','), Cow::Borrowed(_)));
        let mut out = String::new();
        write_record(&mut out, &["a", "b;c", "", "d\""], b';');
        write_record(&mut out, &[""], b';');
        write_record(&mut out, &["", ""], b'\t');
        assert_eq!(out, "a;\"b;c\";;\"d\"\"\"\n\"\"\n\t\n");
    }

    #[test]
    fn error_converts_into_core_error() {
        let e: crate::core::Error = CsvError::Empty.into();
        assert_eq!(e.to_string(), "the file is empty (no header line)");
    }

    /// Not a strict benchmark (that needs `--release`), but catches accidental quadratic work.
    #[test]
    fn parses_100k_rows_quickly() {
        let mut s = String::from("ID,PRG,PL,PR,SK,TS,M11,BD2,Age,Insurance,Sepssis,Note\n");
        for i in 0..100_000 {
            s.push_str(&format!(
                "ICU{i},6,148,72,35,0,33.6,0.627,50,0,Positive,\"a, b\"\n"
            ));
        }
        let t0 = std::time::Instant::now();
        let t = parse(s.as_bytes()).unwrap();
        let dt = t0.elapsed();
        assert_eq!(t.records.len(), 100_000);
        assert_eq!(t.records[99_999].line, 100_001);
        assert!(dt.as_secs_f64() < 2.0, "{dt:?}");
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod proptests {
    use super::*;
    use proptest::prelude::*;

    const ENDINGS: [&str; 3] = ["\n", "\r\n", "\r"];

    /// Arbitrary strings biased towards the characters that matter to CSV.
    fn field() -> impl Strategy<Value = String> {
        prop_oneof![
            ".*",
            proptest::collection::vec(
                prop_oneof![
                    Just(","),
                    Just(";"),
                    Just("\t"),
                    Just("|"),
                    Just("\""),
                    Just("\r"),
                    Just("\n"),
                    Just("\r\n"),
                    Just(" "),
                    Just("a"),
                    Just("é"),
                    Just("\u{feff}"),
                    Just("🦀"),
                ],
                0..8
            )
            .prop_map(|v| v.concat()),
        ]
    }

    /// A table: a header and ragged records, every row with at least one field. (A row with
    /// no field is an empty line, which is by definition not a record; a row with one empty
    /// field is written as `""` and does round-trip.)
    fn table() -> impl Strategy<Value = (Vec<String>, Vec<Vec<String>>)> {
        (1usize..6).prop_flat_map(|w| {
            (
                proptest::collection::vec(field(), w),
                proptest::collection::vec(proptest::collection::vec(field(), 1..=w + 1), 0..8),
            )
        })
    }

    fn write(
        header: &[String],
        records: &[Vec<String>],
        delimiter: u8,
        ending: &str,
        bom: bool,
        final_newline: bool,
    ) -> String {
        let mut out = String::new();
        if bom {
            out.push('\u{feff}');
        }
        for row in std::iter::once(header).chain(records.iter().map(Vec::as_slice)) {
            let refs: Vec<&str> = row.iter().map(String::as_str).collect();
            write_record_verbatim(&mut out, &refs, delimiter);
            out.pop();
            out.push_str(ending);
        }
        if !final_newline {
            out.truncate(out.len() - ending.len());
        }
        out
    }

    #[test]
    fn exported_cells_cannot_start_a_formula() {
        let cases = [
            (
                "=HYPERLINK(\"http://x\",\"y\")",
                "'=HYPERLINK(\"http://x\",\"y\")",
            ),
            ("+1+1", "'+1+1"),
            ("-2+3", "'-2+3"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tx", "'\tx"),
            ("\rx", "'\rx"),
            ("-", "'-"),
            ("-inf", "'-inf"),
            ("-59.32", "-59.32"),
            ("+1", "+1"),
            ("-1e-5", "-1e-5"),
            ("-.5", "-.5"),
            ("ICU200010", "ICU200010"),
            ("a=b", "a=b"),
            ("", ""),
        ];
        for (field, want) in cases {
            assert_eq!(spreadsheet_safe(field), want, "{field:?}");
        }
        let mut out = String::new();
        write_record(&mut out, &["=1+1", "-3", "@x"], b',');
        assert_eq!(out, "'=1+1,-3,'@x\n");
        let back = parse(out.as_bytes()).unwrap();
        assert_eq!(back.header, ["'=1+1", "-3", "'@x"]);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        /// The exported form of any cell: unchanged unless it could start a formula, then
        /// prefixed with `'`; never itself starting a formula; numbers always unchanged.
        #[test]
        fn spreadsheet_safe_cells(field in "[=+@\\-\t\r0-9.eE a-z]{0,8}", x in -1e9f64..1e9) {
            let safe = spreadsheet_safe(&field);
            if safe != field {
                prop_assert_eq!(safe.as_ref(), format!("'{field}"));
            }
            prop_assert!(!safe.starts_with(['=', '+', '@', '\t', '\r'])
                || is_plain_number(&safe));
            prop_assert!(!safe.starts_with('-') || is_plain_number(&safe));
            let n = x.to_string();
            let kept = spreadsheet_safe(&n);
            prop_assert_eq!(kept.as_ref(), n.as_str());
        }

        /// Writing then parsing gives back the table exactly (the header trimmed, as parsing
        /// trims it), for every delimiter and line ending, with or without BOM and final
        /// line break.
        #[test]
        fn write_then_parse_round_trips(
            (header, records) in table(),
            d in 0usize..4,
            e in 0usize..3,
            bom in any::<bool>(),
            final_newline in any::<bool>(),
        ) {
            let delimiter = CANDIDATE_DELIMITERS[d];
            let text = write(&header, &records, delimiter, ENDINGS[e], bom, final_newline);
            let t = parse_with_delimiter(text.as_bytes(), delimiter).unwrap();
            prop_assert_eq!(t.had_bom, bom);
            prop_assert_eq!(t.delimiter, delimiter);
            let trimmed: Vec<String> = header.iter().map(|h| h.trim().to_string()).collect();
            prop_assert_eq!(&t.header, &trimmed);
            let got: Vec<Vec<String>> = t.records.iter().map(|r| r.fields.clone()).collect();
            prop_assert_eq!(&got, &records);
            if !header.iter().any(|h| h.contains(['\r', '\n'])) && !records.is_empty() {
                let want = [LineEnding::Lf, LineEnding::CrLf, LineEnding::Cr][e];
                prop_assert_eq!(t.line_ending, want);
            }
            // Each record starts on the line after the previous one ended.
            let breaks = |row: &[String]| {
                let refs: Vec<&str> = row.iter().map(String::as_str).collect();
                let mut one = String::new();
                write_record_verbatim(&mut one, &refs, delimiter);
                count_line_breaks(one.as_bytes())
            };
            let mut line = 1 + breaks(&header);
            for (r, rec) in t.records.iter().zip(&records) {
                prop_assert_eq!(r.line, line);
                line += breaks(rec);
            }
        }

        /// Sniffing finds the delimiter of regular tables, including decimal commas in
        /// non-comma files.
        #[test]
        fn sniffing_finds_the_delimiter(
            w in 2usize..8,
            rows in 1usize..30,
            d in 0usize..4,
            e in 0usize..3,
            seed in proptest::collection::vec("[a-z]{1,6}|[0-9]{1,3},[0-9]{1,3}|[0-9.]{1,5}", 1..20),
        ) {
            let delimiter = CANDIDATE_DELIMITERS[d];
            let header: Vec<String> = (0..w).map(|j| format!("col{j}")).collect();
            let records: Vec<Vec<String>> = (0..rows)
                .map(|i| (0..w).map(|j| seed[(i * w + j) % seed.len()].clone()).collect())
                .collect();
            let text = write(&header, &records, delimiter, ENDINGS[e], false, true);
            let t = parse(text.as_bytes()).unwrap();
            prop_assert_eq!(t.delimiter, delimiter);
            prop_assert_eq!(t.records.len(), rows);
        }

        /// No byte sequence makes the parser panic.
        #[test]
        fn parse_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..300), d in any::<u8>()) {
            let _ = parse(&bytes);
            let _ = parse_with_delimiter(&bytes, d);
        }

        /// The same, with bytes drawn mostly from the characters that steer the parser.
        #[test]
        fn parse_never_panics_on_csvish_bytes(
            bytes in proptest::collection::vec(
                prop_oneof![
                    Just(b','), Just(b';'), Just(b'\t'), Just(b'|'), Just(b'"'), Just(b'\r'),
                    Just(b'\n'), Just(b'a'), Just(b' '), Just(0xEF), Just(0xBB), Just(0xBF),
                    Just(0xC3), Just(0xA9), Just(0xFF), any::<u8>(),
                ],
                0..300,
            )
        ) {
            if let Ok(t) = parse(&bytes) {
                prop_assert!(t.records.windows(2).all(|w| w[0].line < w[1].line));
                prop_assert!(t.records.iter().all(|r| !r.fields.is_empty()));
            }
        }
    }
}
