//! Searching and splitting strings without panic paths. The standard library's `&str` patterns
//! and `&s[a..b]` indexing can panic with a message that formats a `char` with `{:?}`, which
//! alone pulls the Unicode printable tables (about 13 KB) into the wasm. These helpers work on
//! byte positions and `str::get`, so they cannot panic.

/// Byte position of the first `needle` in `haystack` (an empty needle is found at 0).
pub fn find(haystack: &str, needle: &str) -> Option<usize> {
    if needle.is_empty() {
        return Some(0);
    }
    haystack.as_bytes().windows(needle.len()).position(|w| w == needle.as_bytes())
}

pub fn contains(haystack: &str, needle: &str) -> bool {
    find(haystack, needle).is_some()
}

/// `haystack` before and after the first `needle`.
pub fn split_once<'a>(haystack: &'a str, needle: &str) -> Option<(&'a str, &'a str)> {
    let at = find(haystack, needle)?;
    Some((haystack.get(..at)?, haystack.get(at + needle.len()..)?))
}

/// `s` split at byte `at`; `(s, "")` when `at` is past the end or inside a character.
pub fn split_at(s: &str, at: usize) -> (&str, &str) {
    s.split_at_checked(at).unwrap_or((s, ""))
}

/// `s` with its first `from` replaced by `to`.
pub fn replace_first(s: &str, from: &str, to: &str) -> String {
    match split_once(s, from) {
        Some((before, after)) => [before, to, after].concat(),
        None => s.to_owned(),
    }
}

/// `parts` joined with `separator`: a loop of a few dozen bytes per element type, where the
/// standard `join` brings about 1 KB each.
pub fn join<S: AsRef<str>>(parts: &[S], separator: &str) -> String {
    let mut out = String::new();
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            out.push_str(separator);
        }
        out.push_str(part.as_ref());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn finds_and_splits_like_the_standard_library() {
        assert_eq!(find("https://x", "://"), Some(5));
        assert_eq!(split_once("https://x/y", "://"), Some(("https", "x/y")));
        assert_eq!(split_once("no scheme", "://"), None);
        assert_eq!(split_at("héllo", 1), ("h", "éllo"));
        assert_eq!(split_at("héllo", 2), ("héllo", ""), "inside a character");
        assert_eq!(split_at("abc", 9), ("abc", ""));
        assert_eq!(replace_first("a.kusto.b.kusto.c", ".kusto.", ".kustomfa."), "a.kustomfa.b.kusto.c");
        assert_eq!(join(&["a", "b", "c"], " | "), "a | b | c");
        assert_eq!(join::<&str>(&[], ";"), "");
    }

    proptest! {
        #[test]
        fn agrees_with_str_find(hay in ".{0,40}", needle in ".{0,4}") {
            prop_assert_eq!(find(&hay, &needle), hay.find(needle.as_str()));
            prop_assert_eq!(split_once(&hay, &needle), hay.split_once(needle.as_str()));
            prop_assert_eq!(replace_first(&hay, &needle, "<>"), hay.replacen(needle.as_str(), "<>", 1));
        }
    }
}
