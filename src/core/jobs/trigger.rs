//! What starts a job: the learner (Run), a clock while the app is open
//! (every N minutes, or daily at a local time), or another job's success.
//! Times are milliseconds since the Unix epoch; a local time of day is read
//! with the browser's offset from UTC, which the caller passes in, so this
//! stays pure and testable.

use serde::{Deserialize, Serialize};

/// A minute in milliseconds.
pub const MINUTE_MS: f64 = 60_000.0;
const DAY_MS: f64 = 24.0 * 60.0 * MINUTE_MS;

/// Longest period a repeating job may have, in minutes (a week).
pub const MAX_EVERY_MINUTES: u32 = 7 * 24 * 60;

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Trigger {
    /// Only by hand (Run).
    #[default]
    Manual,
    /// Every `minutes`, counted from when the job was saved.
    Every { minutes: u32 },
    /// Each day at `minute` minutes after local midnight.
    Daily { minute: u32 },
    /// When the job named `job` succeeds.
    After { job: String },
}

impl Trigger {
    /// Reads `every=N`, `daily=HH:MM` or `after=NAME` (for the labs' `save-job`).
    pub fn from_setting(key: &str, value: &str) -> Result<Trigger, String> {
        match key {
            "every" => read_every(value).map(|minutes| Trigger::Every { minutes }),
            "daily" => read_time(value).map(|minute| Trigger::Daily { minute }),
            "after" if !value.trim().is_empty() => Ok(Trigger::After {
                job: value.trim().to_owned(),
            }),
            "after" => Err("after= needs a job's name".into()),
            _ => Err(format!("{key} is not a trigger (every, daily or after)")),
        }
    }

    /// In words, for the job's card and its history.
    pub fn describe(&self) -> String {
        match self {
            Trigger::Manual => "by hand".into(),
            Trigger::Every { minutes: 1 } => "every minute".into(),
            Trigger::Every { minutes } => format!("every {minutes} minutes"),
            Trigger::Daily { minute } => format!("daily at {}", clock(*minute)),
            Trigger::After { job } => format!("after {job} succeeds"),
        }
    }

    /// Whether a clock starts it.
    pub fn is_scheduled(&self) -> bool {
        matches!(self, Trigger::Every { .. } | Trigger::Daily { .. })
    }

    /// The first time after `after_ms` this trigger fires: `anchor_ms` is
    /// when the job was saved (a repeating job counts from it) and
    /// `offset_min` the local time's offset from UTC (UTC+1 is 60).
    pub fn next_after(&self, after_ms: f64, anchor_ms: f64, offset_min: f64) -> Option<f64> {
        match self {
            Trigger::Every { minutes } => {
                let period = f64::from((*minutes).max(1)) * MINUTE_MS;
                let k = ((after_ms - anchor_ms) / period).floor().max(0.0) + 1.0;
                let mut t = anchor_ms + k * period;
                while t <= after_ms {
                    t += period;
                }
                Some(t)
            }
            Trigger::Daily { minute } => {
                let offset = offset_min * MINUTE_MS;
                let local = after_ms + offset;
                let midnight = (local / DAY_MS).floor() * DAY_MS;
                let mut t = midnight + f64::from(*minute) * MINUTE_MS;
                if t <= local {
                    t += DAY_MS;
                }
                Some(t - offset)
            }
            Trigger::Manual | Trigger::After { .. } => None,
        }
    }

    /// The times it fired between `from_ms` (excluded) and `to_ms`
    /// (included), oldest first, at most `limit` of them, and how many
    /// there were in all: what was missed while the app was closed.
    pub fn fired_between(
        &self,
        from_ms: f64,
        to_ms: f64,
        anchor_ms: f64,
        offset_min: f64,
        limit: usize,
    ) -> (Vec<f64>, usize) {
        let mut times = Vec::new();
        let mut count = 0;
        let mut at = from_ms;
        while let Some(t) = self.next_after(at, anchor_ms, offset_min) {
            if t > to_ms {
                break;
            }
            if times.len() < limit {
                times.push(t);
            }
            count += 1;
            at = t;
            if count > 100_000 {
                break;
            }
        }
        // Keep the newest when there are more than the limit.
        if count > times.len() {
            times.clear();
            let mut at = to_ms;
            while times.len() < limit {
                let Some(t) = self.previous_at_or_before(at, anchor_ms, offset_min) else {
                    break;
                };
                if t <= from_ms {
                    break;
                }
                times.insert(0, t);
                at = t - 1.0;
            }
        }
        (times, count)
    }

    fn previous_at_or_before(&self, at_ms: f64, anchor_ms: f64, offset_min: f64) -> Option<f64> {
        match self {
            Trigger::Every { minutes } => {
                let period = f64::from((*minutes).max(1)) * MINUTE_MS;
                let k = ((at_ms - anchor_ms) / period).floor();
                (k >= 1.0).then_some(anchor_ms + k * period)
            }
            Trigger::Daily { .. } => self
                .next_after(at_ms - DAY_MS, anchor_ms, offset_min)
                .filter(|t| *t <= at_ms),
            Trigger::Manual | Trigger::After { .. } => None,
        }
    }

    /// Its crontab schedule (minute hour day month weekday), in the
    /// machine's local time, or why cron cannot say it.
    pub fn crontab(&self) -> Result<String, String> {
        match self {
            Trigger::Every { minutes } if *minutes < 60 && 60 % minutes == 0 => {
                Ok(if *minutes == 1 {
                    "* * * * *".into()
                } else {
                    format!("*/{minutes} * * * *")
                })
            }
            Trigger::Every { minutes } if minutes % 60 == 0 && 24 % (minutes / 60) == 0 => {
                Ok(match minutes / 60 {
                    1 => "0 * * * *".into(),
                    24 => "0 0 * * *".into(),
                    h => format!("0 */{h} * * *"),
                })
            }
            Trigger::Every { minutes } => Err(format!(
                "cron repeats within the hour or the day: every {minutes} minutes does not divide one, so this job is run by hand"
            )),
            Trigger::Daily { minute } => Ok(format!("{} {} * * *", minute % 60, minute / 60)),
            Trigger::Manual => Err("it runs by hand".into()),
            Trigger::After { job } => Err(format!("it runs after {job}, on the same line")),
        }
    }
}

/// `HH:MM` of a minute of the day.
pub fn clock(minute: u32) -> String {
    format!("{:02}:{:02}", minute / 60, minute % 60)
}

/// Reads a number of minutes from 1 to a week.
pub fn read_every(text: &str) -> Result<u32, String> {
    text.trim()
        .parse::<u32>()
        .ok()
        .filter(|m| (1..=MAX_EVERY_MINUTES).contains(m))
        .ok_or_else(|| {
            format!("every={text:?} is not a number of minutes from 1 to {MAX_EVERY_MINUTES}")
        })
}

/// Reads `HH:MM` (24-hour) as minutes after midnight.
pub fn read_time(text: &str) -> Result<u32, String> {
    let bad = || format!("{text:?} is not a time of day: write HH:MM, 24-hour, like 06:30");
    let (h, m) = text.trim().split_once(':').ok_or_else(bad)?;
    let h: u32 = h.parse().map_err(|_| bad())?;
    let m: u32 = m.parse().map_err(|_| bad())?;
    if h > 23 || m > 59 {
        return Err(bad());
    }
    Ok(h * 60 + m)
}

#[cfg(test)]
mod tests {
    use super::*;

    const H: f64 = 60.0 * MINUTE_MS;

    #[test]
    fn every_counts_from_the_save() {
        let t = Trigger::Every { minutes: 5 };
        assert_eq!(
            t.next_after(1_000.0, 1_000.0, 0.0),
            Some(1_000.0 + 5.0 * MINUTE_MS)
        );
        assert_eq!(
            t.next_after(1_000.0 + 5.0 * MINUTE_MS, 1_000.0, 0.0),
            Some(1_000.0 + 10.0 * MINUTE_MS)
        );
        assert_eq!(
            t.next_after(0.0, 1_000.0, 0.0),
            Some(1_000.0 + 5.0 * MINUTE_MS)
        );
    }

    #[test]
    fn daily_is_local_time() {
        let t = Trigger::Daily {
            minute: 6 * 60 + 30,
        };
        // 2026-12-06 00:00 UTC.
        let day = 1_796_515_200_000.0;
        assert_eq!(t.next_after(day, 0.0, 0.0), Some(day + 6.5 * H));
        // In UTC+2, 06:30 local is 04:30 UTC.
        assert_eq!(t.next_after(day, 0.0, 120.0), Some(day + 4.5 * H));
        // Past today's time: tomorrow's.
        assert_eq!(t.next_after(day + 7.0 * H, 0.0, 0.0), Some(day + 30.5 * H));
        // In UTC-5 at 23:00 UTC (18:00 local) the next is 06:30 local, 11:30 UTC.
        assert_eq!(
            t.next_after(day + 23.0 * H, 0.0, -300.0),
            Some(day + 35.5 * H)
        );
    }

    #[test]
    fn missed_times_are_counted_and_the_newest_kept() {
        let t = Trigger::Every { minutes: 60 };
        let (times, count) = t.fired_between(0.0, 10.0 * H, 0.0, 0.0, 3);
        assert_eq!(count, 10);
        assert_eq!(times, vec![8.0 * H, 9.0 * H, 10.0 * H]);
        let (times, count) = t.fired_between(0.0, 2.5 * H, 0.0, 0.0, 3);
        assert_eq!((times, count), (vec![H, 2.0 * H], 2));
        let daily = Trigger::Daily { minute: 0 };
        let (times, count) = daily.fired_between(0.5 * H, 72.5 * H, 0.0, 0.0, 2);
        assert_eq!(count, 3);
        assert_eq!(times, vec![48.0 * H, 72.0 * H]);
        assert_eq!(
            Trigger::Manual.fired_between(0.0, 1e12, 0.0, 0.0, 3),
            (vec![], 0)
        );
    }

    #[test]
    fn settings_and_crontab() {
        assert_eq!(
            Trigger::from_setting("daily", "06:05"),
            Ok(Trigger::Daily { minute: 365 })
        );
        assert_eq!(
            Trigger::from_setting("every", "15"),
            Ok(Trigger::Every { minutes: 15 })
        );
        assert!(Trigger::from_setting("daily", "25:00")
            .unwrap_err()
            .contains("HH:MM"));
        assert!(Trigger::from_setting("every", "0")
            .unwrap_err()
            .contains("from 1"));
        assert_eq!(
            Trigger::Daily { minute: 365 }.crontab().unwrap(),
            "5 6 * * *"
        );
        assert_eq!(
            Trigger::Every { minutes: 1 }.crontab().unwrap(),
            "* * * * *"
        );
        assert_eq!(
            Trigger::Every { minutes: 15 }.crontab().unwrap(),
            "*/15 * * * *"
        );
        assert_eq!(
            Trigger::Every { minutes: 120 }.crontab().unwrap(),
            "0 */2 * * *"
        );
        assert!(Trigger::Every { minutes: 7 }.crontab().is_err());
        assert_eq!(Trigger::Daily { minute: 365 }.describe(), "daily at 06:05");
    }
}
