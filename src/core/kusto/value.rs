//! Kusto scalar types and how their values cross into JavaScript.
//!
//! Cells are read as the service sent them (numbers as their source text, see
//! [`crate::core::json::Json::Num`]) and kept in the one form the JS API hands out, [`to_js`]:
//!
//! | Kusto type | JS value | why |
//! |---|---|---|
//! | any, when null | `null` | |
//! | `bool` | `boolean` (v1's `SByte` 0/1 too) | |
//! | `int` | `number` | 32-bit, always exact |
//! | `long` | `number` when within ±(2^53−1), else a `string` of the exact digits | a JS number silently rounds larger integers; `BigInt` would not mix with numbers nor serialize to JSON. Callers that need uniformity use `BigInt(v)` on either form |
//! | `real` | `number`; the strings `"NaN"`, `"Infinity"`, `"-Infinity"` as sent | JSON has no literal for them; `Number(v)` converts |
//! | `decimal` | `string`, the exact text | 128-bit decimals do not fit a double |
//! | `datetime` | `string`, ISO 8601 as sent (`2015-01-01T01:01:01.0000001Z`) | 100 ns precision exceeds `Date`'s milliseconds |
//! | `timespan` | `string` as sent (`1.00:00:01.0010001`, `-2.00:00:02`) | |
//! | `guid`, `string` | `string` | |
//! | `dynamic` | the JSON value as sent (object, array, number, string) | numbers inside follow JSON.parse |

use std::borrow::Cow;

use crate::core::json::Json;

/// The largest integer a JS number holds exactly (`Number.MAX_SAFE_INTEGER`).
pub const MAX_SAFE_INTEGER: i64 = 9_007_199_254_740_991;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScalarType {
    Bool,
    Int,
    Long,
    Real,
    Decimal,
    DateTime,
    TimeSpan,
    String,
    Guid,
    Dynamic,
    /// A type name this library does not know; values pass through unchanged.
    Unknown,
}

impl ScalarType {
    /// Reads a v2 `ColumnType` (`long`) or a v1 `DataType` (`Int64`, .NET names).
    pub fn from_name(name: &str) -> ScalarType {
        match name.trim().to_ascii_lowercase().as_str() {
            "bool" | "boolean" | "sbyte" => ScalarType::Bool,
            "int" | "int32" | "int16" | "byte" => ScalarType::Int,
            "long" | "int64" | "uint64" | "uint32" => ScalarType::Long,
            "real" | "double" | "single" | "float" => ScalarType::Real,
            "decimal" | "sqldecimal" => ScalarType::Decimal,
            "datetime" | "date" => ScalarType::DateTime,
            "timespan" | "time" => ScalarType::TimeSpan,
            "string" => ScalarType::String,
            "guid" | "uniqueid" => ScalarType::Guid,
            "dynamic" | "object" | "sbytearray" | "sqldynamic" => ScalarType::Dynamic,
            _ => ScalarType::Unknown,
        }
    }
}

/// An integer literal that a JS number holds exactly.
fn safe_integer(text: &str) -> bool {
    let digits = text.strip_prefix('-').unwrap_or(text);
    !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) && text.parse::<i64>().is_ok_and(|n| (-MAX_SAFE_INTEGER..=MAX_SAFE_INTEGER).contains(&n))
}

/// One cell as the JS API hands it out (see the table above); most cells, nulls among them, are
/// that already.
pub fn to_js(value: &Json, ty: ScalarType) -> Cow<'_, Json> {
    let mapped = match (ty, value) {
        (ScalarType::Bool, Json::Num(n)) if n == "0" || n == "1" => Json::Bool(n == "1"),
        (ScalarType::Bool, Json::Str(s)) if s.eq_ignore_ascii_case("true") || s.eq_ignore_ascii_case("false") => Json::Bool(s.eq_ignore_ascii_case("true")),
        (ScalarType::Long, Json::Num(t)) if safe_integer(t) => return Cow::Borrowed(value),
        // A long sent as a string ("0012") becomes the number's canonical form.
        (ScalarType::Long, Json::Str(t)) if safe_integer(t) => Json::int(t.parse().unwrap_or_default()),
        (ScalarType::Long | ScalarType::Decimal, Json::Num(t)) | (ScalarType::Long, Json::Str(t)) => Json::Str(t.clone()),
        _ => return Cow::Borrowed(value),
    };
    Cow::Owned(mapped)
}

/// Whether a scalar cell, as its JSON source text, is already what [`to_js`] makes of it: then it
/// is copied as sent, as most cells are.
pub fn is_js_form(text: &str, ty: ScalarType) -> bool {
    match ty {
        ScalarType::Bool => matches!(text, "true" | "false" | "null"),
        ScalarType::Long => text == "null" || safe_integer(text),
        ScalarType::Decimal => !text.starts_with(|c: char| c == '-' || c.is_ascii_digit()),
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn js(text: &str, ty: &str) -> String {
        to_js(&Json::parse(text).unwrap(), ScalarType::from_name(ty)).to_string()
    }

    #[test]
    fn maps_values_for_javascript() {
        assert_eq!(js("9007199254740991", "long"), "9007199254740991");
        assert_eq!(js("\"0012\"", "long"), "12", "a long sent as a string, written as valid JSON");
        assert_eq!(js("\"-5\"", "long"), "-5");
        assert_eq!(js("-9007199254740991", "Int64"), "-9007199254740991");
        assert_eq!(js("9007199254740992", "long"), "\"9007199254740992\"");
        assert_eq!(js("9223372036854775807", "long"), "\"9223372036854775807\"");
        assert_eq!(js("-9223372036854775808", "long"), "\"-9223372036854775808\"");
        assert_eq!(js("\"42\"", "long"), "42");
        assert_eq!(js("1e3", "long"), "\"1e3\"");
        assert_eq!(js("79228162514264337593543950335", "decimal"), "\"79228162514264337593543950335\"");
        assert_eq!(js("\"0.1000000000000000055511151231257827\"", "decimal"), "\"0.1000000000000000055511151231257827\"");
        assert_eq!(js("1.0001", "real"), "1.0001");
        assert_eq!(js("\"NaN\"", "real"), "\"NaN\"");
        assert_eq!(js("1", "SByte"), "true");
        assert_eq!(js("\"False\"", "Boolean"), "false");
        assert_eq!(js("\"2015-01-01T01:01:01.0000001Z\"", "datetime"), "\"2015-01-01T01:01:01.0000001Z\"");
        assert_eq!(js("{\"a\":[1,2]}", "dynamic"), "{\"a\":[1,2]}");
        assert_eq!(js("null", "long"), "null");
        assert_eq!(js("7", "mystery"), "7");
        assert_eq!(ScalarType::from_name("TimeSpan"), ScalarType::TimeSpan);
        assert_eq!(ScalarType::from_name("Guid"), ScalarType::Guid);
    }

    proptest::proptest! {
        /// A cell copied as sent is exactly what the mapping would have written.
        #[test]
        fn the_js_form_is_recognised_only_where_the_mapping_keeps_the_cell(
            cell in r#"(null|true|false|-?(0|[1-9][0-9]{0,19})(\.[0-9]{1,3})?(e[0-9])?|"[-0-9a-zA-Z. ]{0,24}")"#,
            ty in "(bool|int|long|real|decimal|datetime|timespan|string|guid|dynamic|SByte|Int64|mystery)",
        ) {
            let ty = ScalarType::from_name(&ty);
            if is_js_form(&cell, ty) {
                proptest::prop_assert!(matches!(to_js(&Json::parse(&cell).unwrap(), ty), Cow::Borrowed(_)));
            }
        }
    }
}
