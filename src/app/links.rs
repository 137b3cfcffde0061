//! The app's patient-page URLs as plain functions: `/patient/<ID>` with the ID
//! percent-encoded as one path segment, and the decoding of that segment.

/// The path of patient `id`'s page: `/patient/<ID>`, the ID percent-encoded
/// ([`encode_segment`]).
pub fn patient_path(id: &str) -> String {
    format!("/patient/{}", encode_segment(id))
}

/// Percent-encodes a path segment: every byte except the unreserved ASCII characters
/// (`A-Z a-z 0-9 - _ . ~`) becomes `%XX` (IDs are usually plain; anything else stays a valid
/// URL, and a `/`, `?`, `#` or `%` in an ID cannot end the segment).
pub fn encode_segment(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Decodes the `%XX` escapes of a path segment; a `%` not followed by two hex digits stays as
/// it is, and bytes that are not UTF-8 become U+FFFD.
pub fn decode_segment(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%'
            && i + 2 < b.len()
            && s.is_char_boundary(i + 3)
            && let Ok(v) = u8::from_str_radix(&s[i + 1..i + 3], 16)
        {
            out.push(v);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    const IDS: [&str; 10] = [
        "p000001",
        "patient 12",
        "a/b",
        "50%",
        "%41",
        "bed#3",
        "who?x=1&y=2",
        "Zoë-ß 東京 🙂",
        "",
        "-_.~",
    ];

    #[test]
    fn plain_ids_stay_readable() {
        assert_eq!(patient_path("p000001"), "/patient/p000001");
        assert_eq!(encode_segment("-_.~"), "-_.~");
        assert_eq!(encode_segment(""), "");
        assert_eq!(patient_path(""), "/patient/");
    }

    #[test]
    fn reserved_and_unicode_characters_are_escaped() {
        assert_eq!(encode_segment("patient 12"), "patient%2012");
        assert_eq!(encode_segment("a/b"), "a%2Fb");
        assert_eq!(encode_segment("50%"), "50%25");
        assert_eq!(encode_segment("bed#3"), "bed%233");
        assert_eq!(encode_segment("who?x=1"), "who%3Fx%3D1");
        assert_eq!(encode_segment("ë"), "%C3%AB");
        assert_eq!(patient_path("a b/c"), "/patient/a%20b%2Fc");
        for id in IDS {
            let e = encode_segment(id);
            assert!(
                e.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"-_.~%".contains(&b)),
                "{id:?} -> {e:?}"
            );
        }
    }

    #[test]
    fn decoding() {
        assert_eq!(decode_segment("patient%2012"), "patient 12");
        assert_eq!(decode_segment("a%2fb"), "a/b", "lower-case hex");
        assert_eq!(decode_segment("%C3%AB"), "ë");
        assert_eq!(decode_segment("東京"), "東京", "unescaped unicode is kept");
        assert_eq!(decode_segment("50%"), "50%", "a lone % is kept");
        assert_eq!(decode_segment("%4"), "%4");
        assert_eq!(decode_segment("%zz1"), "%zz1");
        assert_eq!(decode_segment("%%41"), "%A");
        assert_eq!(decode_segment("%FF"), "\u{FFFD}", "not UTF-8");
        assert_eq!(decode_segment(""), "");
    }

    #[test]
    fn round_trip() {
        for id in IDS {
            assert_eq!(decode_segment(&encode_segment(id)), id, "{id:?}");
            let path = patient_path(id);
            let segment = path.strip_prefix("/patient/").unwrap();
            assert!(!segment.contains(['/', '?', '#']), "{path}");
            assert_eq!(decode_segment(segment), id);
        }
    }
}
