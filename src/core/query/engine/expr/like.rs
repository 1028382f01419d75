//! LIKE patterns: `%` and `_` wildcards with an optional escape character,
//! compiled once and matched with one backtrack point (ILIKE ignores case).

/// A compiled LIKE pattern.
#[derive(Clone, Debug, PartialEq)]
pub struct LikePattern {
    tokens: Vec<LikeToken>,
    case_insensitive: bool,
}

#[derive(Clone, Debug, PartialEq)]
enum LikeToken {
    Literal(char),
    AnyOne,
    AnyMany,
}

impl LikePattern {
    pub fn new(pattern: &str, escape: Option<char>, case_insensitive: bool) -> LikePattern {
        let mut tokens = Vec::new();
        let mut chars = pattern.chars();
        while let Some(c) = chars.next() {
            let token = match c {
                c if Some(c) == escape => LikeToken::Literal(chars.next().unwrap_or(c)),
                '%' => LikeToken::AnyMany,
                '_' => LikeToken::AnyOne,
                c if case_insensitive => LikeToken::Literal(c.to_lowercase().next().unwrap_or(c)),
                c => LikeToken::Literal(c),
            };
            tokens.push(token);
        }
        LikePattern {
            tokens,
            case_insensitive,
        }
    }

    pub fn matches(&self, text: &str) -> bool {
        let chars: Vec<char> = if self.case_insensitive {
            text.chars()
                .map(|c| c.to_lowercase().next().unwrap_or(c))
                .collect()
        } else {
            text.chars().collect()
        };
        // Classic wildcard matching with one backtrack point.
        let (mut t, mut p) = (0, 0);
        let (mut star, mut star_t) = (None, 0);
        while t < chars.len() {
            match self.tokens.get(p) {
                Some(LikeToken::AnyOne) => {
                    t += 1;
                    p += 1;
                }
                Some(LikeToken::Literal(c)) if *c == chars[t] => {
                    t += 1;
                    p += 1;
                }
                Some(LikeToken::AnyMany) => {
                    star = Some(p);
                    star_t = t;
                    p += 1;
                }
                _ => match star {
                    Some(s) => {
                        p = s + 1;
                        star_t += 1;
                        t = star_t;
                    }
                    None => return false,
                },
            }
        }
        self.tokens[p..].iter().all(|t| *t == LikeToken::AnyMany)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn like_patterns() {
        let p = LikePattern::new("Fib%", None, false);
        assert!(p.matches("Fiber optic"));
        assert!(!p.matches("fiber optic"));
        assert!(LikePattern::new("fib%", None, true).matches("Fiber optic"));
        assert!(LikePattern::new("%check", None, false).matches("Electronic check"));
        assert!(LikePattern::new("_o", None, false).matches("No"));
        assert!(!LikePattern::new("_o", None, false).matches("Yes"));
        assert!(LikePattern::new("%a%b%", None, false).matches("xxaxxbxx"));
        assert!(LikePattern::new("100!%", Some('!'), false).matches("100%"));
        assert!(!LikePattern::new("100!%", Some('!'), false).matches("1000"));
        assert!(LikePattern::new("", None, false).matches(""));
    }
}
