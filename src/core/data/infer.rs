//! Reading one cell's text as a value, and guessing a column's type from a
//! sample of cells.
//!
//! The rules, in order: empty, whitespace, `NA`, `N/A` and `null` are nulls;
//! a column whose other cells all parse as integers is integer, then float,
//! then boolean (`true`/`false` only); strings with few distinct values are
//! categorical, the rest text. Yes/No stays categorical.

use crate::common::hash::FxHashSet;
use crate::data::table::ColumnType;

/// Most distinct labels a column may have and still be inferred categorical.
pub const CATEGORICAL_MAX_DISTINCT: usize = 1000;

/// True for cells that mean "no value".
#[inline(always)]
pub fn is_null_token(raw: &[u8]) -> bool {
    let (Some(&first), Some(&last)) = (raw.first(), raw.last()) else {
        return true;
    };
    if !first.is_ascii_whitespace() && !last.is_ascii_whitespace() {
        // No padding: only the three words can be null.
        return match raw.len() {
            2 => raw.eq_ignore_ascii_case(b"na"),
            3 => raw.eq_ignore_ascii_case(b"n/a"),
            4 => raw.eq_ignore_ascii_case(b"null"),
            _ => false,
        };
    }
    let t = trim(raw);
    t.is_empty()
        || t.eq_ignore_ascii_case(b"na")
        || t.eq_ignore_ascii_case(b"n/a")
        || t.eq_ignore_ascii_case(b"null")
}

pub fn trim(raw: &[u8]) -> &[u8] {
    let start = raw
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(raw.len());
    let end = raw
        .iter()
        .rposition(|b| !b.is_ascii_whitespace())
        .map_or(start, |e| e + 1);
    &raw[start..end]
}

/// A number written with a leading zero (`08123`, `-007`, `00.5`): a postal
/// code or an account number, which reading as a number would change.
/// `0`, `0.5` and `-0.25` are plain numbers.
#[inline]
pub fn has_leading_zero(raw: &[u8]) -> bool {
    let t = trim(raw);
    let body = match t.first() {
        Some(b'-' | b'+') => &t[1..],
        _ => t,
    };
    body.len() > 1 && body[0] == b'0' && body[1].is_ascii_digit()
}

/// `123` or `-45` with no padding and at most 18 digits: the common case,
/// which cannot overflow.
#[inline]
pub fn parse_plain_int(raw: &[u8]) -> Option<i64> {
    let (negative, digits) = match raw.first()? {
        b'-' => (true, &raw[1..]),
        _ => (false, raw),
    };
    if digits.is_empty() || digits.len() > 18 {
        return None;
    }
    let mut value: i64 = 0;
    for &b in digits {
        let d = b.wrapping_sub(b'0');
        if d > 9 {
            return None;
        }
        value = value * 10 + d as i64;
    }
    Some(if negative { -value } else { value })
}

/// An optionally signed run of ASCII digits that fits an `i64`.
pub fn parse_int(raw: &[u8]) -> Option<i64> {
    let t = trim(raw);
    let (negative, digits) = match t.first()? {
        b'-' => (true, &t[1..]),
        b'+' => (false, &t[1..]),
        _ => (false, t),
    };
    if digits.is_empty() || digits.len() > 19 {
        return None;
    }
    let mut value: i64 = 0;
    for &b in digits {
        let d = b.wrapping_sub(b'0');
        if d > 9 {
            return None;
        }
        value = value.checked_mul(10)?.checked_add(d as i64)?;
    }
    Some(if negative { -value } else { value })
}

/// Exact powers of ten for the fast path of [`parse_float`].
const POW10: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

/// A decimal number: `12`, `-3.5`, `.5`, `1e-3`. Not `inf`, `NaN` or hex.
#[inline]
pub fn parse_float(raw: &[u8]) -> Option<f64> {
    if let Some(v) = parse_plain_decimal(raw) {
        return Some(v);
    }
    let t = trim(raw);
    let body = match t.first()? {
        b'-' | b'+' => &t[1..],
        _ => t,
    };
    match body.first() {
        Some(b) if b.is_ascii_digit() || *b == b'.' => {}
        _ => return None,
    }
    if !body
        .iter()
        .all(|&b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'-' | b'+'))
    {
        return None;
    }
    // All bytes are ASCII, so this cannot fail; `parse` checks the grammar.
    std::str::from_utf8(t)
        .ok()?
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite())
}

/// The common case, `-123.45` with at most 15 digits and no exponent: the
/// digits and the power of ten are both exact, so one division is correctly
/// rounded (Clinger's fast path) and agrees with `str::parse`.
#[inline]
pub fn parse_plain_decimal(raw: &[u8]) -> Option<f64> {
    let (negative, body) = match raw.first()? {
        b'-' => (true, &raw[1..]),
        _ => (false, raw),
    };
    if body.is_empty() || body.len() > 16 {
        return None;
    }
    let mut mantissa: u64 = 0;
    let mut digits = 0;
    let mut fraction: Option<usize> = None;
    for &b in body {
        match b {
            b'0'..=b'9' => {
                mantissa = mantissa * 10 + (b - b'0') as u64;
                digits += 1;
                if let Some(f) = fraction.as_mut() {
                    *f += 1;
                }
            }
            b'.' if fraction.is_none() => fraction = Some(0),
            _ => return None,
        }
    }
    if digits == 0 || digits > 15 {
        return None;
    }
    let value = mantissa as f64 / POW10[fraction.unwrap_or(0)];
    Some(if negative { -value } else { value })
}

/// `true` or `false`, in any letter case.
pub fn parse_bool(raw: &[u8]) -> Option<bool> {
    let t = trim(raw);
    if t.eq_ignore_ascii_case(b"true") {
        Some(true)
    } else if t.eq_ignore_ascii_case(b"false") {
        Some(false)
    } else {
        None
    }
}

/// What a sample of one column's cells looks like.
#[derive(Debug, Default, Clone)]
pub struct ColumnProfile {
    pub non_null: usize,
    pub all_int: bool,
    pub all_float: bool,
    pub all_bool: bool,
    distinct: FxHashSet<Vec<u8>>,
    distinct_overflow: bool,
}

impl ColumnProfile {
    pub fn new() -> ColumnProfile {
        ColumnProfile {
            all_int: true,
            all_float: true,
            all_bool: true,
            ..ColumnProfile::default()
        }
    }

    pub fn observe(&mut self, raw: &[u8]) {
        if is_null_token(raw) {
            return;
        }
        self.non_null += 1;
        if (self.all_int || self.all_float) && has_leading_zero(raw) {
            self.all_int = false;
            self.all_float = false;
        }
        if self.all_int && parse_int(raw).is_none() {
            self.all_int = false;
        }
        if self.all_float && parse_float(raw).is_none() {
            self.all_float = false;
        }
        if self.all_bool && parse_bool(raw).is_none() {
            self.all_bool = false;
        }
        if !self.distinct_overflow && !self.distinct.contains(raw) {
            if self.distinct.len() >= CATEGORICAL_MAX_DISTINCT {
                self.distinct_overflow = true;
                self.distinct.clear();
            } else {
                self.distinct.insert(raw.to_vec());
            }
        }
    }

    /// The inferred type, or `None` when every sampled cell was null.
    pub fn infer(&self) -> Option<ColumnType> {
        if self.non_null == 0 {
            return None;
        }
        Some(if self.all_int {
            ColumnType::Integer
        } else if self.all_float {
            ColumnType::Float
        } else if self.all_bool {
            ColumnType::Boolean
        } else if self.looks_categorical() {
            ColumnType::Categorical
        } else {
            ColumnType::Text
        })
    }

    /// Few labels, each repeated: a handful in a small file, or at most one
    /// distinct label per two values in a large one.
    fn looks_categorical(&self) -> bool {
        let d = self.distinct.len();
        !self.distinct_overflow && ((d <= 20 && d < self.non_null) || d * 2 <= self.non_null)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn infer(cells: &[&str]) -> Option<ColumnType> {
        let mut p = ColumnProfile::new();
        for c in cells {
            p.observe(c.as_bytes());
        }
        p.infer()
    }

    #[test]
    fn null_tokens() {
        for t in ["", " ", "\t", "NA", "na", "N/A", "null", "NULL", " null "] {
            assert!(is_null_token(t.as_bytes()), "{t:?}");
        }
        for t in ["0", "No", "none", "nan", "NAN"] {
            assert!(!is_null_token(t.as_bytes()), "{t:?}");
        }
    }

    #[test]
    fn parses_numbers_strictly() {
        assert_eq!(parse_int(b"42"), Some(42));
        assert_eq!(parse_int(b" -7 "), Some(-7));
        assert_eq!(parse_int(b"9223372036854775807"), Some(i64::MAX));
        assert_eq!(parse_int(b"9223372036854775808"), None);
        assert_eq!(parse_int(b"1.0"), None);
        assert_eq!(parse_int(b"-"), None);
        assert_eq!(parse_float(b"29.85"), Some(29.85));
        assert_eq!(parse_float(b".5"), Some(0.5));
        assert_eq!(parse_float(b"-1e-3"), Some(-0.001));
        assert_eq!(parse_float(b"-"), None);
        assert_eq!(parse_float(b"."), None);
        assert_eq!(parse_float(b"5."), Some(5.0));
        for bad in ["inf", "NaN", "1,5", "0x10", "1.2.3", "", "e5", "1e400"] {
            assert_eq!(parse_float(bad.as_bytes()), None, "{bad}");
        }
        assert_eq!(parse_bool(b"TRUE"), Some(true));
        assert_eq!(parse_bool(b"yes"), None);
    }

    #[test]
    fn the_fast_float_path_agrees_with_the_standard_parser() {
        let mut rng = crate::common::rng::Rng::new(11);
        for _ in 0..200_000 {
            let int = rng.below(10_000_000_000);
            let decimals = rng.below(6) as usize;
            let text = if decimals == 0 {
                format!("{int}")
            } else {
                let s = format!("{int:0>width$}", width = decimals + 1);
                format!("{}.{}", &s[..s.len() - decimals], &s[s.len() - decimals..])
            };
            let text = if rng.bernoulli(0.3) {
                format!("-{text}")
            } else {
                text
            };
            assert_eq!(
                parse_float(text.as_bytes()),
                text.parse::<f64>().ok(),
                "{text}"
            );
        }
    }

    #[test]
    fn infers_types_in_order() {
        assert_eq!(infer(&["1", "2", "", "NA"]), Some(ColumnType::Integer));
        assert_eq!(infer(&["1", "2.5", " "]), Some(ColumnType::Float));
        assert_eq!(infer(&["true", "False"]), Some(ColumnType::Boolean));
        assert_eq!(infer(&["Yes", "No", "Yes"]), Some(ColumnType::Categorical));
        assert_eq!(infer(&["a", "b", "c"]), Some(ColumnType::Text));
        assert_eq!(infer(&["", "null"]), None);
    }

    #[test]
    fn numbers_with_leading_zeros_stay_text() {
        assert!(
            has_leading_zero(b"08123") && has_leading_zero(b"-007") && has_leading_zero(b" 00.5")
        );
        assert!(
            !has_leading_zero(b"0")
                && !has_leading_zero(b"0.5")
                && !has_leading_zero(b"-0.25")
                && !has_leading_zero(b"80")
        );
        assert_eq!(infer(&["08123", "75001", "10115"]), Some(ColumnType::Text));
        assert_eq!(infer(&["0", "10", "0.5"]), Some(ColumnType::Float));
    }

    #[test]
    fn near_unique_strings_are_text() {
        let ids: Vec<String> = (0..100).map(|i| format!("{i:04}-ABCDE")).collect();
        let refs: Vec<&str> = ids.iter().map(String::as_str).collect();
        assert_eq!(infer(&refs), Some(ColumnType::Text));
        let many: Vec<String> = (0..5000).map(|i| format!("v{}", i % 1500)).collect();
        let refs: Vec<&str> = many.iter().map(String::as_str).collect();
        assert_eq!(
            infer(&refs),
            Some(ColumnType::Text),
            "over the distinct cap"
        );
    }
}
