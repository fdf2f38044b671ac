//! A small JSON reader and writer.
//!
//! Our own rather than serde_json: every document we read is untrusted (token responses, storage,
//! Kusto responses), we need numbers kept as their exact source text (Kusto `long` and `decimal`
//! do not fit an f64), and a generic serde stack costs tens of kilobytes of wasm.

use std::fmt::Write as _;

/// Nesting deeper than this is refused instead of recursing towards a stack overflow.
const MAX_DEPTH: usize = 128;

#[derive(Debug, Clone, PartialEq)]
pub enum Json {
    Null,
    Bool(bool),
    /// The number exactly as written in the source, already checked to be valid JSON.
    Num(String),
    Str(String),
    Arr(Vec<Json>),
    /// Members in source order. Parsed objects never repeat a name (see [`Json::parse`]).
    Obj(Vec<(String, Json)>),
    /// An array or object kept as its source text, not yet checked (see [`Json::parse_keeping_raw`]).
    Raw(String),
}

#[inline(never)]
fn add_member(members: &mut Vec<(String, Json)>, name: &str, value: Option<Json>) {
    if let Some(value) = value {
        members.push((name.to_owned(), value));
    }
}

/// Up to this many members, an object's names are compared as they are read.
const LINEAR_NAME_CHECK: usize = 32;

/// Whether a large object repeats a member name: sorted names, neighbours compared.
fn repeats_a_name(members: &[(String, Json)]) -> bool {
    let mut names: Vec<&str> = members.iter().map(|(k, _)| k.as_str()).collect();
    names.sort_unstable();
    names.windows(2).any(|w| w[0] == w[1])
}

/// Why a document is not JSON; `at` is the byte offset where reading stopped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonError {
    pub at: usize,
    pub reason: &'static str,
}

impl Json {
    /// Reads a whole document. An object that repeats a member name is refused: the browser's
    /// `JSON.parse` keeps the last copy, a lookup here would find the first, and the app and our
    /// checks (an ID token's `oid`, a response's `error`) must never see two different values.
    pub fn parse(text: &str) -> Result<Json, JsonError> {
        Self::parse_keeping_raw(text, None)
    }

    /// Reads a whole document as [`Json::parse`] does, except that the value of every member
    /// named `raw`, when an array or object, is kept as its source text ([`Json::Raw`]), only its
    /// strings and brackets followed to find its end: a member too large to build as a tree
    /// (Kusto's rows), which its reader then goes through, and checks, with a [`Cursor`].
    pub fn parse_keeping_raw(text: &str, raw: Option<&str>) -> Result<Json, JsonError> {
        let mut reader = Reader::new(text, raw);
        let value = reader.value(0)?;
        reader.skip_ws();
        if reader.pos != reader.src.len() {
            return Err(reader.fail("trailing characters after the document"));
        }
        Ok(value)
    }

    pub fn get(&self, key: &str) -> Option<&Json> {
        match self {
            Json::Obj(members) => members.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// Moves a member's value out, leaving null in its place: large members (Kusto rows) are
    /// read without a copy.
    pub fn take(&mut self, key: &str) -> Option<Json> {
        match self {
            Json::Obj(members) => members.iter_mut().find(|(k, _)| k == key).map(|(_, v)| std::mem::replace(v, Json::Null)),
            _ => None,
        }
    }

    /// A string member, or None when absent or of another type.
    pub fn str_at(&self, key: &str) -> Option<&str> {
        self.get(key).and_then(Json::as_str)
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Json::Str(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Json::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// An integer, also accepted when written as a string (some providers send `"3600"`).
    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Json::Num(n) | Json::Str(n) => n.trim().parse().ok(),
            _ => None,
        }
    }

    pub fn as_array(&self) -> Option<&[Json]> {
        match self {
            Json::Arr(items) => Some(items),
            _ => None,
        }
    }

    /// An array of strings; None if it is not an array or any item is not a string.
    pub fn as_strings(&self) -> Option<Vec<&str>> {
        self.as_array()?.iter().map(Json::as_str).collect()
    }

    pub fn members(&self) -> Option<&[(String, Json)]> {
        match self {
            Json::Obj(members) => Some(members),
            _ => None,
        }
    }

    /// Builds an object, leaving out members whose value is `None`.
    pub fn object<'a>(members: impl IntoIterator<Item = (&'a str, Option<Json>)>) -> Json {
        // A plain loop over one non-generic step: each of this function's many copies (one per
        // array length) is then a fraction of a `filter_map` and `collect`.
        let mut out = Vec::new();
        for (name, value) in members {
            add_member(&mut out, name, value);
        }
        Json::Obj(out)
    }

    pub fn string(s: impl Into<String>) -> Json {
        Json::Str(s.into())
    }

    pub fn int(n: i64) -> Json {
        Json::Num(n.to_string())
    }

    pub fn strings<S: AsRef<str>>(items: impl IntoIterator<Item = S>) -> Json {
        Json::Arr(items.into_iter().map(|s| Json::string(s.as_ref())).collect())
    }

    pub fn write(&self, out: &mut String) {
        match self {
            Json::Null => out.push_str("null"),
            Json::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Json::Num(n) | Json::Raw(n) => out.push_str(n),
            Json::Str(s) => write_str(s, out),
            Json::Arr(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    item.write(out);
                }
                out.push(']');
            }
            Json::Obj(members) => {
                out.push('{');
                for (i, (k, v)) in members.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    write_str(k, out);
                    out.push(':');
                    v.write(out);
                }
                out.push('}');
            }
        }
    }
}

impl std::fmt::Display for Json {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut out = String::new();
        self.write(&mut out);
        f.write_str(&out)
    }
}

fn write_str(s: &str, out: &mut String) {
    out.push('"');
    // Runs without anything to escape (nearly all of every token and claim) are copied whole.
    let mut run_start = 0;
    for (i, b) in s.bytes().enumerate() {
        let escaped = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0..0x20 => "",
            _ => continue,
        };
        out.push_str(s.get(run_start..i).unwrap_or_default());
        if escaped.is_empty() {
            let _ = write!(out, "\\u{:04x}", b);
        } else {
            out.push_str(escaped);
        }
        run_start = i + 1;
    }
    out.push_str(s.get(run_start..).unwrap_or_default());
    out.push('"');
}

struct Reader<'a> {
    text: &'a str,
    src: &'a [u8],
    pos: usize,
    raw: Option<&'a str>,
}

/// Goes through a large array item by item without building it (Kusto's rows): each scalar is
/// checked and handed over as its source text, anything else is read as a tree.
pub struct Cursor<'a>(Reader<'a>);

impl<'a> Cursor<'a> {
    pub fn new(text: &'a str) -> Cursor<'a> {
        Cursor(Reader::new(text, None))
    }

    /// The next byte that is not whitespace.
    pub fn peek(&mut self) -> Option<u8> {
        self.0.skip_ws();
        self.0.src.get(self.0.pos).copied()
    }

    /// Enters the array that comes next.
    pub fn enter(&mut self) -> Result<(), JsonError> {
        if self.peek() != Some(b'[') {
            return Err(self.0.fail("expected an array"));
        }
        self.0.pos += 1;
        Ok(())
    }

    /// Moves to the next item of the array entered last (`first`: none read yet), or past its
    /// end: false.
    pub fn next(&mut self, first: bool) -> Result<bool, JsonError> {
        match self.peek() {
            Some(b']') => {
                self.0.pos += 1;
                Ok(false)
            }
            _ if first => Ok(true),
            Some(b',') => {
                self.0.pos += 1;
                Ok(true)
            }
            _ => Err(self.0.fail("expected ',' or ']'")),
        }
    }

    /// The next value's source text when it is a string, number, boolean or null (checked as
    /// [`Json::parse`] checks it); None, with nothing read, when it is an array or object.
    pub fn scalar(&mut self) -> Result<Option<&'a str>, JsonError> {
        if matches!(self.peek(), Some(b'[' | b'{')) {
            return Ok(None);
        }
        let start = self.0.pos;
        self.0.scalar()?;
        let text = self.0.slice(start)?;
        Ok(Some(text))
    }

    /// The next value as a tree, nested at most as deep as a document read whole.
    pub fn value(&mut self) -> Result<Json, JsonError> {
        self.0.value(2)
    }

    /// Checks that nothing but whitespace is left.
    pub fn end(&mut self) -> Result<(), JsonError> {
        match self.peek() {
            None => Ok(()),
            Some(_) => Err(self.0.fail("trailing characters after the document")),
        }
    }
}

impl<'a> Reader<'a> {
    fn new(text: &'a str, raw: Option<&'a str>) -> Reader<'a> {
        Reader { text, src: text.as_bytes(), pos: 0, raw }
    }

    /// The text from `start` to here; both ends are on ASCII, so it is whole UTF-8.
    fn slice(&self, start: usize) -> Result<&'a str, JsonError> {
        self.text.get(start..self.pos).ok_or_else(|| self.fail("bad UTF-8"))
    }

    fn fail(&self, reason: &'static str) -> JsonError {
        JsonError { at: self.pos, reason }
    }

    fn skip_ws(&mut self) {
        while matches!(self.src.get(self.pos), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    fn eat(&mut self, byte: u8) -> bool {
        if self.src.get(self.pos) == Some(&byte) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn literal(&mut self, word: &'static str, value: Json) -> Result<Json, JsonError> {
        if self.src[self.pos..].starts_with(word.as_bytes()) {
            self.pos += word.len();
            Ok(value)
        } else {
            Err(self.fail("unknown literal"))
        }
    }

    /// One value, as a tree.
    fn value(&mut self, depth: usize) -> Result<Json, JsonError> {
        if depth > MAX_DEPTH {
            return Err(self.fail("nested too deeply"));
        }
        self.skip_ws();
        match self.src.get(self.pos) {
            None => Err(self.fail("unexpected end of input")),
            Some(b'n') => self.literal("null", Json::Null),
            Some(b't') => self.literal("true", Json::Bool(true)),
            Some(b'f') => self.literal("false", Json::Bool(false)),
            Some(b'"') => self.string().map(Json::Str),
            Some(b'[') => {
                self.pos += 1;
                let mut items = Vec::new();
                self.skip_ws();
                if self.eat(b']') {
                    return Ok(Json::Arr(items));
                }
                loop {
                    items.push(self.value(depth + 1)?);
                    self.skip_ws();
                    if self.eat(b']') {
                        return Ok(Json::Arr(items));
                    }
                    if !self.eat(b',') {
                        return Err(self.fail("expected ',' or ']'"));
                    }
                }
            }
            Some(b'{') => {
                self.pos += 1;
                let mut members = Vec::new();
                self.skip_ws();
                if self.eat(b'}') {
                    return Ok(Json::Obj(members));
                }
                loop {
                    self.skip_ws();
                    if self.src.get(self.pos) != Some(&b'"') {
                        return Err(self.fail("expected a member name"));
                    }
                    let name_at = self.pos;
                    let key = self.string()?;
                    // The objects we read have a few members (Kusto's rows are arrays): a scan of
                    // those read so far is cheapest. A larger object is checked once, sorted, at
                    // its end, so that a crafted one cannot cost quadratic time.
                    if members.len() < LINEAR_NAME_CHECK && members.iter().any(|(k, _)| *k == key) {
                        return Err(JsonError { at: name_at, reason: "repeated member name" });
                    }
                    self.skip_ws();
                    if !self.eat(b':') {
                        return Err(self.fail("expected ':'"));
                    }
                    self.skip_ws();
                    let value = if self.raw == Some(key.as_str()) && matches!(self.src.get(self.pos), Some(b'[' | b'{')) {
                        let start = self.pos;
                        self.skip_unchecked()?;
                        Json::Raw(self.slice(start)?.to_owned())
                    } else {
                        self.value(depth + 1)?
                    };
                    members.push((key, value));
                    self.skip_ws();
                    if self.eat(b'}') {
                        if members.len() > LINEAR_NAME_CHECK && repeats_a_name(&members) {
                            return Err(self.fail("repeated member name"));
                        }
                        return Ok(Json::Obj(members));
                    }
                    if !self.eat(b',') {
                        return Err(self.fail("expected ',' or '}'"));
                    }
                }
            }
            Some(b'-' | b'0'..=b'9') => self.number().map(|text| Json::Num(text.to_owned())),
            Some(_) => Err(self.fail("unexpected character")),
        }
    }

    /// Moves past the string, number, boolean or null that starts here, checking it, without
    /// copying it (Kusto's rows are mostly scalars).
    fn scalar(&mut self) -> Result<(), JsonError> {
        match self.src.get(self.pos) {
            Some(b'"') => self.scan_string(None),
            Some(b'-' | b'0'..=b'9') => self.number().map(drop),
            // Literals (nothing to allocate) and what is not a value.
            _ => self.value(0).map(drop),
        }
    }

    fn digits(&mut self) -> usize {
        let start = self.pos;
        while matches!(self.src.get(self.pos), Some(b'0'..=b'9')) {
            self.pos += 1;
        }
        self.pos - start
    }

    /// Moves past the array or object that starts here, following only its strings and brackets.
    fn skip_unchecked(&mut self) -> Result<(), JsonError> {
        let mut depth = 0usize;
        while let Some(&b) = self.src.get(self.pos) {
            self.pos += 1;
            match b {
                b'"' => loop {
                    let rest = self.src.get(self.pos..).unwrap_or_default();
                    let Some(at) = rest.iter().position(|&c| c == b'"' || c == b'\\') else { return Err(self.fail("unterminated string")) };
                    self.pos += at + 1;
                    if rest[at] == b'"' {
                        break;
                    }
                    self.pos += 1; // the escaped byte
                },
                b'[' | b'{' => depth += 1,
                b']' | b'}' => {
                    depth -= 1;
                    if depth == 0 {
                        return Ok(());
                    }
                }
                _ => {}
            }
        }
        Err(self.fail("unexpected end of input"))
    }

    /// A number's source text.
    fn number(&mut self) -> Result<&str, JsonError> {
        let start = self.pos;
        self.eat(b'-');
        if self.eat(b'0') {
            // A leading zero stands alone.
        } else if self.digits() == 0 {
            return Err(self.fail("expected digits"));
        }
        if self.eat(b'.') && self.digits() == 0 {
            return Err(self.fail("expected digits after '.'"));
        }
        if matches!(self.src.get(self.pos), Some(b'e' | b'E')) {
            self.pos += 1;
            if !self.eat(b'+') {
                self.eat(b'-');
            }
            if self.digits() == 0 {
                return Err(self.fail("expected exponent digits"));
            }
        }
        self.slice(start)
    }

    fn hex4(&mut self) -> Result<u32, JsonError> {
        let digits = self.src.get(self.pos..self.pos + 4).ok_or_else(|| self.fail("short \\u escape"))?;
        let mut value = 0u32;
        for &d in digits {
            let nibble = (d as char).to_digit(16).ok_or_else(|| self.fail("bad \\u escape"))?;
            value = value * 16 + nibble;
        }
        self.pos += 4;
        Ok(value)
    }

    fn string(&mut self) -> Result<String, JsonError> {
        let mut out = String::new();
        self.scan_string(Some(&mut out))?;
        Ok(out)
    }

    /// Reads a string, into `out` if given (else only checks it).
    fn scan_string(&mut self, mut out: Option<&mut String>) -> Result<(), JsonError> {
        self.pos += 1; // opening quote
        loop {
            let run_start = self.pos;
            let rest = self.src.get(self.pos..).unwrap_or_default();
            self.pos += rest.iter().position(|&b| b == b'"' || b == b'\\' || b < 0x20).unwrap_or(rest.len());
            if let Some(out) = out.as_deref_mut() {
                out.push_str(self.slice(run_start)?);
            }
            match self.src.get(self.pos) {
                None => return Err(self.fail("unterminated string")),
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(());
                }
                Some(b'\\') => {
                    self.pos += 1;
                    let esc = *self.src.get(self.pos).ok_or_else(|| self.fail("unterminated escape"))?;
                    self.pos += 1;
                    let c = match esc {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => self.unicode_escape()?,
                        _ => return Err(self.fail("unknown escape")),
                    };
                    if let Some(out) = out.as_deref_mut() {
                        out.push(c);
                    }
                }
                Some(_) => return Err(self.fail("control character in string")),
            }
        }
    }

    fn unicode_escape(&mut self) -> Result<char, JsonError> {
        let first = self.hex4()?;
        let code = if (0xD800..0xDC00).contains(&first) {
            // A high surrogate must be followed by an escaped low surrogate.
            if !(self.eat(b'\\') && self.eat(b'u')) {
                return Err(self.fail("lone surrogate"));
            }
            let second = self.hex4()?;
            if !(0xDC00..0xE000).contains(&second) {
                return Err(self.fail("lone surrogate"));
            }
            0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
        } else {
            first
        };
        char::from_u32(code).ok_or_else(|| self.fail("lone surrogate"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn reads_every_kind_of_value() {
        let doc = Json::parse(r#" {"a": [1, -2.5e3, true, false, null], "b": "x\"\u00e9\ud83d\ude00\n", "c": {}} "#).unwrap();
        let a = doc.get("a").unwrap().as_array().unwrap();
        assert_eq!(a[0], Json::Num("1".into()));
        assert_eq!(a[1], Json::Num("-2.5e3".into()));
        assert_eq!(a[2], Json::Bool(true));
        assert_eq!(a[4], Json::Null);
        assert_eq!(doc.str_at("b"), Some("x\"é😀\n"));
        assert_eq!(doc.get("c").unwrap().members().unwrap().len(), 0);
    }

    #[test]
    fn keeps_big_integers_exact() {
        let doc = Json::parse("[9223372036854775807, 12345678901234567890.123456789]").unwrap();
        assert_eq!(doc.to_string(), "[9223372036854775807,12345678901234567890.123456789]");
        assert_eq!(doc.as_array().unwrap()[0].as_i64(), Some(i64::MAX));
    }

    #[test]
    fn refuses_malformed_documents() {
        for bad in ["", "{", "[1,]", "{\"a\" 1}", "01", "1.", "\"\\x\"", "\"\\ud800\"", "tru", "[1] 2", "\"a\nb\"", "-"] {
            assert!(Json::parse(bad).is_err(), "{bad:?} should be refused");
        }
    }

    #[test]
    fn refuses_repeated_member_names() {
        for bad in [r#"{"oid":"a","oid":"b"}"#, r#"{"a":1,"b":2,"a":1}"#, r#"[{"x":{"k":1,"k":1}}]"#, r#"{"\u0061":1,"a":2}"#] {
            assert_eq!(Json::parse(bad).unwrap_err().reason, "repeated member name", "{bad}");
        }
        let many = format!("{{{}}}", (0..5000).map(|i| format!(r#""k{i}":{i}"#)).collect::<Vec<_>>().join(","));
        assert_eq!(Json::parse(&many).unwrap().members().unwrap().len(), 5000);
        assert!(Json::parse(&many.replace(r#""k4999""#, r#""k17""#)).is_err());
        for n in [LINEAR_NAME_CHECK - 1, LINEAR_NAME_CHECK, LINEAR_NAME_CHECK + 1] {
            let object = format!("{{{},\"k0\":0}}", (0..n).map(|i| format!(r#""k{i}":{i}"#)).collect::<Vec<_>>().join(","));
            assert!(Json::parse(&object).is_err(), "a repeat as member {}", n + 1);
        }
        // 200,000 members: checked in well under a second (a scan of each would take minutes).
        let huge = format!("{{{}}}", (0..200_000).map(|i| format!(r#""k{i}":0"#)).collect::<Vec<_>>().join(","));
        let started = std::time::Instant::now();
        assert!(Json::parse(&huge).is_ok());
        assert!(started.elapsed() < std::time::Duration::from_secs(2), "{:?}", started.elapsed());
        // Names that differ only in case, or the same name in sibling objects, are fine.
        assert!(Json::parse(r#"{"a":{"k":1},"A":{"k":2},"b":[{"k":1},{"k":1}]}"#).is_ok());
    }

    #[test]
    fn refuses_deep_nesting_without_overflowing() {
        let deep = "[".repeat(100_000);
        assert_eq!(Json::parse(&deep).unwrap_err().reason, "nested too deeply");
    }

    #[test]
    fn writes_what_it_reads() {
        let src = r#"{"k":"tab\t\u0001 quote\" slash\\","n":[0,-1.5E+2]}"#;
        let doc = Json::parse(src).unwrap();
        assert_eq!(Json::parse(&doc.to_string()).unwrap(), doc);
    }

    #[test]
    fn keeps_a_named_member_as_its_source_text() {
        let doc = Json::parse_keeping_raw(r#"{"a":1,"Rows":[[1, "x\u00e9]"],{"k":"\"}"}],"b":{"Rows":7}}"#, Some("Rows")).unwrap();
        assert_eq!(doc.get("Rows"), Some(&Json::Raw(r#"[[1, "x\u00e9]"],{"k":"\"}"}]"#.into())));
        assert_eq!(doc.get("b").and_then(|b| b.get("Rows")), Some(&Json::Num("7".into())), "a scalar is read as usual");
        assert_eq!(doc.get("a"), Some(&Json::Num("1".into())));
        assert_eq!(doc.to_string(), r#"{"a":1,"Rows":[[1, "x\u00e9]"],{"k":"\"}"}],"b":{"Rows":7}}"#);
        // What is kept is not checked: its reader does that.
        let kept = Json::parse_keeping_raw(r#"{"Rows":[1,,"\x"]}"#, Some("Rows")).unwrap();
        assert!(Json::parse(kept.get("Rows").unwrap().to_string().as_str()).is_err());
        // Its end is found, or the document refused.
        for bad in [r#"{"Rows":[1}"#, r#"{"Rows":["]"}"#, r#"{"Rows":[[1]"#, r#"{"Rows":["\"]}"#, r#"{"Rows":[1]]}"#] {
            assert!(Json::parse_keeping_raw(bad, Some("Rows")).is_err(), "{bad:?} should be refused");
        }
    }

    /// Goes through an array with a cursor as a reader of rows would: scalars as written,
    /// anything else as a tree.
    fn walk(text: &str) -> Result<Vec<String>, JsonError> {
        let mut cursor = Cursor::new(text);
        let mut out = Vec::new();
        cursor.enter()?;
        let mut first = true;
        while cursor.next(first)? {
            first = false;
            match cursor.scalar()? {
                Some(text) => out.push(text.to_owned()),
                None => out.push(format!("tree {}", cursor.value()?)),
            }
        }
        cursor.end()?;
        Ok(out)
    }

    #[test]
    fn a_cursor_hands_over_scalars_as_written_and_the_rest_as_trees() {
        assert_eq!(walk(r#" [ "a\"b\u00e9" , -1.5e3,null , {"k":[1]}, [true],false ] "#).unwrap(), [r#""a\"b\u00e9""#, "-1.5e3", "null", r#"tree {"k":[1]}"#, "tree [true]", "false"]);
        assert_eq!(walk("[]").unwrap(), Vec::<String>::new());
        for bad in ["[1 2]", "[,1]", "[1,]", r#"["\q"]"#, r#"["\udc00"]"#, r#"[{"a":1,"a":2}]"#, "[01]", "{}", "[1] 2", "[1"] {
            assert!(walk(bad).is_err(), "{bad:?} should be refused");
        }
    }

    proptest! {
        #[test]
        fn a_cursor_reads_what_parse_reads(s in r#"\[(("[a-z\\"]{0,4}"|-?[0-9]{1,3}|null|\{"k":[0-9]\}|\[\]),?){0,5}\]"#) {
            // The same verdict, and the same values.
            match (walk(&s), Json::parse(&s)) {
                (Ok(items), Ok(Json::Arr(tree))) => {
                    let items: Vec<Json> = items.iter().map(|i| Json::parse(i.strip_prefix("tree ").unwrap_or(i)).unwrap()).collect();
                    prop_assert_eq!(items, tree);
                }
                (Err(_), Err(_)) => {}
                (cursor, parse) => prop_assert!(false, "{s}: cursor {cursor:?}, parse {parse:?}"),
            }
        }

        #[test]
        fn never_panics(s in ".*") {
            let _ = Json::parse(&s);
        }

        #[test]
        fn round_trips_strings(s in ".*") {
            let text = Json::string(s.clone()).to_string();
            prop_assert_eq!(Json::parse(&text).unwrap(), Json::Str(s));
        }
    }
}
