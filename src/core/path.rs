//! Request paths as routes read them: percent-encoded bytes decoded, as a real service's
//! framework decodes path parameters (`/users/%61lice` is `/users/alice`). An encoded `/`
//! (`%2F`) stays encoded, so that it never splits a segment in two.

use std::borrow::Cow;

/// `path` with its percent-encoded bytes decoded; borrowed when there is nothing to decode,
/// and left as it is when the decoded bytes are not UTF-8.
pub fn decode(path: &str) -> Cow<'_, str> {
    if !path.contains('%') {
        return Cow::Borrowed(path);
    }
    let bytes = path.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let escaped = bytes.get(i + 1..i + 3).and_then(hex_byte);
        match (bytes[i], escaped) {
            (b'%', Some(b)) if b != b'/' => {
                out.push(b);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).map_or(Cow::Borrowed(path), Cow::Owned)
}

fn hex_byte(pair: &[u8]) -> Option<u8> {
    let digit = |c: u8| (c as char).to_digit(16);
    Some((digit(pair[0])? * 16 + digit(pair[1])?) as u8)
}

#[cfg(test)]
mod tests {
    use super::decode;

    #[test]
    fn decodes_escapes_but_keeps_an_encoded_slash_and_bad_escapes() {
        assert_eq!(decode("/demo/chat/users/%61lice"), "/demo/chat/users/alice");
        assert_eq!(decode("/a%7C1%7Cb"), "/a|1|b");
        assert_eq!(decode("/a%2Fb"), "/a%2Fb");
        assert_eq!(decode("/a%zz%4"), "/a%zz%4");
        assert_eq!(decode("/%e4%bd%a0"), "/你");
        assert_eq!(decode("/%ff"), "/%ff");
    }
}
