//! CSV read in parts: bytes go in as they come (a file read in blocks, a `Blob` slice), and
//! complete records come out, so that a large file never has to be in memory at once.
//!
//! The parts, put end to end, are exactly what [`super::parse`] gives for the whole file: the
//! same header, delimiter (sniffed on the same first 64 KiB), line ending, records with the
//! same line numbers, and the same errors (a byte that is not UTF-8 is reported with the
//! file-wide line and offset). A part ends only after a line break outside quotes, and never
//! right after a CR whose LF may be in the next block.

use super::{
    BOM, CsvError, CsvTable, LineEnding, Record, SNIFF_BYTES, TEXT_CHECK_BYTES, count_line_breaks,
    detect_line_ending, is_valid_delimiter, not_text, parse_part, sniff_bytes,
};

/// A CSV file read part by part ([`CsvChunks::push`], then [`CsvChunks::finish`]).
#[derive(Debug)]
pub struct CsvChunks {
    /// A delimiter given by the caller (not sniffed).
    given: Option<u8>,
    /// The delimiter, once known.
    delimiter: Option<u8>,
    /// The header, once read.
    header: Option<Vec<String>>,
    had_bom: bool,
    line_ending: Option<LineEnding>,
    /// Bytes not parsed yet; they start at a record boundary.
    pending: Vec<u8>,
    /// Bytes of the file before `pending` (a byte-order mark included).
    consumed: usize,
    /// The physical line `pending` starts on.
    line: usize,
    /// The file's first bytes, for [`not_text`] when a later part is not UTF-8.
    head: Vec<u8>,
    started: bool,
}

impl CsvChunks {
    /// A reader that sniffs the delimiter, as [`super::parse`].
    pub fn new() -> Self {
        CsvChunks {
            given: None,
            delimiter: None,
            header: None,
            had_bom: false,
            line_ending: None,
            pending: Vec::new(),
            consumed: 0,
            line: 1,
            head: Vec::new(),
            started: false,
        }
    }

    /// A reader with a given delimiter, as [`super::parse_with_delimiter`].
    pub fn with_delimiter(delimiter: u8) -> Result<Self, CsvError> {
        if !is_valid_delimiter(delimiter) {
            return Err(CsvError::InvalidDelimiter { delimiter });
        }
        Ok(CsvChunks {
            given: Some(delimiter),
            ..CsvChunks::new()
        })
    }

    /// Adds the next bytes of the file. Returns the records completed by them (with the
    /// header), or None while no record is complete (and until the header and delimiter are
    /// known: the first 64 KiB, or the whole of a smaller file).
    pub fn push(&mut self, bytes: &[u8]) -> Result<Option<CsvTable>, CsvError> {
        self.pending.extend_from_slice(bytes);
        self.take(false)
    }

    /// Ends the file: the records still pending. Errors as [`super::parse`] for what is left
    /// (a quote never closed, a file with no header line).
    pub fn finish(&mut self) -> Result<Option<CsvTable>, CsvError> {
        self.take(true)
    }

    /// Physical lines read so far (the line the next part starts on, minus one).
    pub fn lines(&self) -> usize {
        self.line - 1
    }

    /// Bytes parsed so far.
    pub fn bytes(&self) -> usize {
        self.consumed
    }

    /// The start of the file: the byte-order mark, the text check of [`not_text`] and the
    /// delimiter, once enough bytes are there. Returns false while more are needed.
    fn start(&mut self, last: bool) -> Result<bool, CsvError> {
        if self.started {
            return Ok(true);
        }
        // A byte-order mark, then more than the sniffer reads (it notices a longer text).
        let body = self.pending.strip_prefix(BOM).unwrap_or(&self.pending);
        if !last && (body.len() <= SNIFF_BYTES || self.pending.len() < TEXT_CHECK_BYTES) {
            return Ok(false);
        }
        self.head = self.pending[..self.pending.len().min(TEXT_CHECK_BYTES)].to_vec();
        if let Some(e) = not_text(&self.head, true) {
            return Err(e);
        }
        if self.pending.starts_with(BOM) {
            self.had_bom = true;
            self.pending.drain(..BOM.len());
            self.consumed = BOM.len();
        }
        self.delimiter = Some(self.given.unwrap_or_else(|| sniff_bytes(&self.pending)));
        self.started = true;
        Ok(true)
    }

    fn take(&mut self, last: bool) -> Result<Option<CsvTable>, CsvError> {
        if !self.start(last)? {
            return Ok(None);
        }
        let delimiter = self.delimiter.unwrap_or(b',');
        let cut = if last {
            self.pending.len()
        } else {
            complete_records(&self.pending, delimiter)
        };
        let text = match std::str::from_utf8(&self.pending[..cut]) {
            Ok(t) => t,
            Err(e) => {
                if let Some(e) = not_text(&self.head, false) {
                    return Err(e);
                }
                let at = e.valid_up_to();
                return Err(CsvError::NotUtf8 {
                    line: self.line + count_line_breaks(&self.pending[..at]),
                    offset: self.consumed + at,
                });
            }
        };
        if self.line_ending.is_none() && (cut > 0 || last) {
            let ending = detect_line_ending(text.as_bytes());
            if ending != LineEnding::None || last {
                self.line_ending = Some(ending);
            }
        }
        let mut records: Vec<Record> = Vec::new();
        self.line = parse_part(text, delimiter, self.line, &mut self.header, &mut records)?;
        self.pending.drain(..cut);
        self.consumed += cut;
        let Some(header) = &self.header else {
            return if last { Err(CsvError::Empty) } else { Ok(None) };
        };
        if records.is_empty() && !last {
            return Ok(None);
        }
        Ok(Some(CsvTable {
            delimiter,
            had_bom: self.had_bom,
            line_ending: self.line_ending.unwrap_or(LineEnding::None),
            header: header.clone(),
            records,
        }))
    }
}

impl Default for CsvChunks {
    fn default() -> Self {
        Self::new()
    }
}

/// The length of the longest prefix of `b` (which starts at a record boundary) made of whole
/// records: it ends after a line break outside quoted fields, and not after a CR that ends
/// `b` (its LF may follow). The rules of the parser: a field is quoted when its first
/// character is `"`; inside, `""` is a quote; after the closing quote the field goes on
/// unquoted up to a delimiter or line break.
fn complete_records(b: &[u8], delimiter: u8) -> usize {
    let n = b.len();
    let (mut pos, mut end) = (0, 0);
    let (mut field_start, mut quoted) = (true, false);
    while pos < n {
        let c = b[pos];
        if quoted {
            if c == b'"' {
                match b.get(pos + 1) {
                    None => return end,
                    Some(b'"') => pos += 1,
                    Some(_) => quoted = false,
                }
            }
        } else if field_start && c == b'"' {
            quoted = true;
            field_start = false;
        } else if c == delimiter {
            field_start = true;
        } else if c == b'\n' {
            end = pos + 1;
            field_start = true;
        } else if c == b'\r' {
            match b.get(pos + 1) {
                None => return end,
                Some(b'\n') => pos += 1,
                Some(_) => {}
            }
            end = pos + 1;
            field_start = true;
        } else {
            field_start = false;
        }
        pos += 1;
    }
    end
}

#[cfg(test)]
mod tests {
    use super::super::{parse, parse_with_delimiter};
    use super::*;

    /// `bytes` through [`CsvChunks`] in blocks of `block` bytes, the parts put end to end.
    fn in_blocks(bytes: &[u8], block: usize, given: Option<u8>) -> Result<CsvTable, CsvError> {
        let mut c = match given {
            Some(d) => CsvChunks::with_delimiter(d)?,
            None => CsvChunks::new(),
        };
        let mut whole: Option<CsvTable> = None;
        let mut add = |part: Option<CsvTable>| {
            if let Some(p) = part {
                match &mut whole {
                    None => whole = Some(p),
                    Some(w) => {
                        assert_eq!(w.header, p.header);
                        assert_eq!(w.delimiter, p.delimiter);
                        w.records.extend(p.records);
                    }
                }
            }
        };
        for b in bytes.chunks(block.max(1)) {
            add(c.push(b)?);
        }
        add(c.finish()?);
        Ok(whole.expect("a table"))
    }

    fn same_as_whole(bytes: &[u8]) {
        for block in [1, 2, 3, 7, 64, 4096, 70_000, bytes.len().max(1)] {
            let parts = in_blocks(bytes, block, None);
            assert_eq!(parts, parse(bytes), "block {block}");
            assert_eq!(
                in_blocks(bytes, block, Some(b';')),
                parse_with_delimiter(bytes, b';'),
                "block {block}"
            );
        }
    }

    #[test]
    fn parts_are_the_whole_file() {
        same_as_whole(b"a,b\n1,2\n3,4\n");
        same_as_whole(b"a,b\r\n1,2\r\n\r\n3,4");
        same_as_whole(b"a;b\r1;2\r3;4\r");
        same_as_whole("\u{feff}a,b\n\"x,\ny\",2\n\"q\"\"\",3\nz\"w,4\n\"a\"b,5\n".as_bytes());
        same_as_whole("h\né,ü\n".as_bytes());
        same_as_whole(b"\n\n  a ,b\n1");
        // More than the sniffer reads, with a quoted line break at a block edge.
        let mut big = String::from("id|v|w\n");
        for i in 0..6000 {
            big.push_str(&format!("{i}|\"{i}\n{i}\"|x,y;z\n"));
        }
        same_as_whole(big.as_bytes());
    }

    #[test]
    fn errors_are_the_whole_file_s() {
        for bad in [
            &b""[..],
            b"\n\n",
            b"a,b\n\"never closed,1\n2,3\n",
            b"a,b\n1,2\n\xff,3\n",
            b"\xff\xfea\0b\0",
            b"a,b\n1,\0\xff\n",
        ] {
            for block in [1, 3, 4096] {
                assert_eq!(in_blocks(bad, block, None), parse(bad), "{bad:?} {block}");
            }
        }
        // Not UTF-8 far into a large file: the line and offset are the file's.
        let mut big = "a,b\n".repeat(30_000).into_bytes();
        big.extend_from_slice(b"1,\xc3\n");
        let whole = parse(&big).unwrap_err();
        assert!(
            matches!(whole, CsvError::NotUtf8 { line: 30_001, .. }),
            "{whole}"
        );
        assert_eq!(in_blocks(&big, 5000, None).unwrap_err(), whole);
        assert!(CsvChunks::with_delimiter(b'"').is_err());
    }

    #[test]
    fn record_ends() {
        assert_eq!(complete_records(b"a,b\n1,2", b','), 4);
        assert_eq!(complete_records(b"a\r", b','), 0);
        assert_eq!(complete_records(b"a\r\nb", b','), 3);
        assert_eq!(complete_records(b"\"a\nb\"\nc", b','), 6);
        assert_eq!(complete_records(b"\"a\"", b','), 0);
        assert_eq!(complete_records(b"x\"a\nb", b','), 4);
    }

    #[test]
    fn progress_is_counted() {
        let mut c = CsvChunks::new();
        assert!(c.push(b"a,b\n1,2\n").unwrap().is_none());
        let t = c.finish().unwrap().unwrap();
        assert_eq!(t.records.len(), 1);
        assert_eq!((c.lines(), c.bytes()), (2, 8));
    }
}
