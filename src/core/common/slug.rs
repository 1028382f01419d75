//! Names made safe for files and folders: ASCII letters and digits only, so
//! that a script's or a folder's name means the same on every system.

/// `name` in lower-case ASCII letters and digits, each run of anything
/// else one `sep`, none at the ends; `empty` when nothing is left.
pub fn slug(name: &str, sep: char, empty: &str) -> String {
    let words: Vec<String> = name
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_lowercase)
        .collect();
    if words.is_empty() {
        empty.to_owned()
    } else {
        words.join(&sep.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_of_anything_else_become_one_separator() {
        assert_eq!(slug("Churn \"model\" 1", '-', "model"), "churn-model-1");
        assert_eq!(slug("  Score  seniors! ", '_', "job"), "score_seniors");
        assert_eq!(slug("été", '_', "job"), "t");
        assert_eq!(slug("!!", '_', "job"), "job");
    }
}
