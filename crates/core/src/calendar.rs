//! Working days (R1) and "today" in the team's time zone (R11).

use crate::config::Rotation;
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use chrono_tz::Tz;

pub use crate::config::DEFAULT_WORKING_DAYS;

/// R11: the date it is in the team's time zone at the instant `now`.
pub fn today(timezone: Tz, now: DateTime<Utc>) -> NaiveDate {
    now.with_timezone(&timezone).date_naive()
}

impl Rotation {
    /// R1: the weekday is a working day and the date is not a holiday.
    pub fn is_working_day(&self, day: NaiveDate) -> bool {
        self.working_days.contains(&day.weekday()) && !self.holidays.contains_key(&day)
    }

    /// The first working day strictly after `day` (None only when the
    /// calendar has no working day at all in the next ten years).
    pub fn next_working_day(&self, day: NaiveDate) -> Option<NaiveDate> {
        day.iter_days()
            .skip(1)
            .take(3660)
            .find(|d| self.is_working_day(*d))
    }

    /// The rotation's first working day: `start`, or the first working day
    /// after it.
    pub fn first_day(&self) -> Option<NaiveDate> {
        if self.is_working_day(self.start) {
            Some(self.start)
        } else {
            self.next_working_day(self.start)
        }
    }

    /// How many calendar days from `from` hold `n` working days (at most
    /// ten years).
    pub fn calendar_days_for(&self, from: NaiveDate, n: u32) -> u32 {
        let mut seen = 0;
        for (i, d) in from.iter_days().take(3660).enumerate() {
            if self.is_working_day(d) {
                seen += 1;
                if seen == n {
                    return i as u32 + 1;
                }
            }
        }
        3660
    }

    /// How many calendar days from `from` hold the rotation's first `n`
    /// working days on or after `from`: the days before `start` are not
    /// the rotation's working days (issue 22, bug 7).
    pub fn rotation_days_for(&self, from: NaiveDate, n: u32) -> u32 {
        let first = from.max(self.start);
        let before = (first - from).num_days().clamp(0, 3660) as u32;
        before.saturating_add(self.calendar_days_for(first, n))
    }

    /// The working days in `from..=to`.
    pub fn working_days_in(
        &self,
        from: NaiveDate,
        to: NaiveDate,
    ) -> impl Iterator<Item = NaiveDate> + '_ {
        from.iter_days()
            .take_while(move |d| *d <= to)
            .filter(|d| self.is_working_day(*d))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn today_is_the_date_in_the_team_zone() {
        // 23:30 UTC on Thursday is already Friday in Berlin (UTC+1 in winter),
        // and still Thursday in New York.
        let now = Utc.with_ymd_and_hms(2026, 11, 26, 23, 30, 0).unwrap();
        assert_eq!(
            today(chrono_tz::Europe::Berlin, now),
            NaiveDate::from_ymd_opt(2026, 11, 27).unwrap()
        );
        assert_eq!(
            today(chrono_tz::America::New_York, now),
            NaiveDate::from_ymd_opt(2026, 11, 26).unwrap()
        );
    }
}
