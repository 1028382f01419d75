//! What a number field accepts, said in words and checked on the text
//! typed: whole or not, and the bounds. A field's text is read with the
//! rule and either gives a value or a message naming the field, what was
//! typed and what it takes; nothing is silently replaced.

/// One end of a range: the value, and whether the value itself is allowed.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Bound {
    pub value: f64,
    pub inclusive: bool,
}

/// What a number field accepts.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct NumberRule {
    pub whole: bool,
    pub min: Option<Bound>,
    pub max: Option<Bound>,
}

impl NumberRule {
    /// Any finite number.
    pub const ANY: NumberRule = NumberRule {
        whole: false,
        min: None,
        max: None,
    };

    /// A whole number from `min` up.
    pub const fn whole_from(min: f64) -> NumberRule {
        NumberRule {
            whole: true,
            min: Some(Bound {
                value: min,
                inclusive: true,
            }),
            max: None,
        }
    }

    /// A whole number from `min` to `max`, both allowed.
    pub const fn whole_between(min: f64, max: f64) -> NumberRule {
        NumberRule {
            whole: true,
            min: Some(Bound {
                value: min,
                inclusive: true,
            }),
            max: Some(Bound {
                value: max,
                inclusive: true,
            }),
        }
    }

    /// A number from `min` to `max`, both allowed.
    pub const fn between(min: f64, max: f64) -> NumberRule {
        NumberRule {
            whole: false,
            min: Some(Bound {
                value: min,
                inclusive: true,
            }),
            max: Some(Bound {
                value: max,
                inclusive: true,
            }),
        }
    }

    /// A number above `min` (not `min` itself).
    pub const fn above(min: f64) -> NumberRule {
        NumberRule {
            whole: false,
            min: Some(Bound {
                value: min,
                inclusive: false,
            }),
            max: None,
        }
    }

    /// What the rule takes, as the end of a sentence: "a whole number from
    /// 2 to 20", "a number above 0", "a whole number, 0 or more".
    pub fn describe(&self) -> String {
        let kind = if self.whole {
            "a whole number"
        } else {
            "a number"
        };
        let n = |v: f64| format!("{v}");
        match (self.min, self.max) {
            (None, None) => kind.to_owned(),
            (Some(lo), Some(hi)) if lo.inclusive && hi.inclusive => {
                format!("{kind} from {} to {}", n(lo.value), n(hi.value))
            }
            (Some(lo), Some(hi)) => format!(
                "{kind} {} {} and {} {}",
                if lo.inclusive { "from" } else { "above" },
                n(lo.value),
                if hi.inclusive { "up to" } else { "below" },
                n(hi.value)
            ),
            (Some(lo), None) if lo.inclusive => format!("{kind}, {} or more", n(lo.value)),
            (Some(lo), None) => format!("{kind} above {}", n(lo.value)),
            (None, Some(hi)) if hi.inclusive => format!("{kind}, {} or less", n(hi.value)),
            (None, Some(hi)) => format!("{kind} below {}", n(hi.value)),
        }
    }

    /// A list of values this rule takes, separated by commas, spaces or
    /// semicolons (a grid of values to try), or why not: the first value
    /// it does not take, or that there is none.
    pub fn read_list(&self, field: &str, text: &str) -> Result<Vec<f64>, String> {
        let items: Vec<&str> = text
            .split([',', ' ', ';'])
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .collect();
        if items.is_empty() {
            return Err(format!(
                "{field} is empty: it takes one or more values, each {}.",
                self.describe()
            ));
        }
        items.iter().map(|s| self.read(field, s)).collect()
    }

    /// The value of `text` (spaces around it allowed, and thousands
    /// separators in a whole number), or why it is not one this rule takes.
    pub fn read(&self, field: &str, text: &str) -> Result<f64, String> {
        let trimmed = text.trim();
        let takes = || format!("{field} takes {}.", self.describe());
        if trimmed.is_empty() {
            return Err(format!("{field} is empty: it takes {}.", self.describe()));
        }
        let plain = if self.whole {
            trimmed.replace(',', "")
        } else {
            trimmed.to_owned()
        };
        let value = match plain.parse::<f64>() {
            Ok(v) if v.is_finite() && !plain.eq_ignore_ascii_case("nan") => v,
            _ => return Err(format!("\"{trimmed}\" is not a number. {}", takes())),
        };
        if self.whole && value.fract() != 0.0 {
            return Err(format!("{trimmed} is not a whole number. {}", takes()));
        }
        let below = self.min.is_some_and(|b| {
            if b.inclusive {
                value < b.value
            } else {
                value <= b.value
            }
        });
        let above = self.max.is_some_and(|b| {
            if b.inclusive {
                value > b.value
            } else {
                value >= b.value
            }
        });
        if below || above {
            return Err(format!("{trimmed} is out of range. {}", takes()));
        }
        Ok(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rule_says_what_it_takes() {
        assert_eq!(
            NumberRule::whole_between(2.0, 20.0).describe(),
            "a whole number from 2 to 20"
        );
        assert_eq!(
            NumberRule::whole_from(0.0).describe(),
            "a whole number, 0 or more"
        );
        assert_eq!(NumberRule::above(0.0).describe(), "a number above 0");
        assert_eq!(NumberRule::ANY.describe(), "a number");
        let share = NumberRule {
            whole: false,
            min: Some(Bound {
                value: 0.0,
                inclusive: false,
            }),
            max: Some(Bound {
                value: 100.0,
                inclusive: false,
            }),
        };
        assert_eq!(share.describe(), "a number above 0 and below 100");
        assert_eq!(
            NumberRule::between(0.5, 1.5).describe(),
            "a number from 0.5 to 1.5"
        );
    }

    #[test]
    fn text_is_read_or_refused_with_the_field_named() {
        let folds = NumberRule::whole_between(2.0, 20.0);
        assert_eq!(folds.read("Folds", " 5 "), Ok(5.0));
        assert_eq!(
            folds.read("Folds", "abc"),
            Err("\"abc\" is not a number. Folds takes a whole number from 2 to 20.".into())
        );
        assert_eq!(
            folds.read("Folds", "2.5"),
            Err("2.5 is not a whole number. Folds takes a whole number from 2 to 20.".into())
        );
        assert_eq!(
            folds.read("Folds", "30"),
            Err("30 is out of range. Folds takes a whole number from 2 to 20.".into())
        );
        assert_eq!(
            folds.read("Folds", ""),
            Err("Folds is empty: it takes a whole number from 2 to 20.".into())
        );
        assert_eq!(
            NumberRule::whole_from(1.0).read("Calls", "200,000"),
            Ok(200_000.0)
        );
        assert!(
            NumberRule::ANY.read("C", "1,5").is_err(),
            "a comma is no decimal point"
        );
        assert!(NumberRule::ANY.read("C", "NaN").is_err());
        assert!(NumberRule::ANY.read("C", "inf").is_err());
        assert_eq!(
            NumberRule::above(0.0).read("C", "0"),
            Err("0 is out of range. C takes a number above 0.".into())
        );
        assert_eq!(NumberRule::ANY.read("C", "1e-3"), Ok(0.001));
    }

    #[test]
    fn a_list_is_read_or_its_first_bad_value_named() {
        let c = NumberRule::above(0.0);
        assert_eq!(
            c.read_list("Grid of C", "0.01, 1;100 "),
            Ok(vec![0.01, 1.0, 100.0])
        );
        assert_eq!(
            c.read_list("Grid of C", "1, x, 0"),
            Err("\"x\" is not a number. Grid of C takes a number above 0.".into())
        );
        assert_eq!(
            c.read_list("Grid of C", "1 0"),
            Err("0 is out of range. Grid of C takes a number above 0.".into())
        );
        assert_eq!(
            c.read_list("Grid of C", " , "),
            Err("Grid of C is empty: it takes one or more values, each a number above 0.".into())
        );
    }
}
