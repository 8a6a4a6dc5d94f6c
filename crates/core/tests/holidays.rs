//! `holidays::from_ics`: the parts of a repeat rule public-holiday files
//! use (UNTIL as a date, COUNT, EXDATE), and what is left out.

use chrono::NaiveDate;
use oncall_core::holidays::{Holiday, from_ics};

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn cal(events: &str) -> String {
    format!("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n{events}END:VCALENDAR\r\n")
}

fn event(uid: &str, lines: &str) -> String {
    format!("BEGIN:VEVENT\r\nUID:{uid}\r\nDTSTAMP:20260101T000000Z\r\n{lines}END:VEVENT\r\n")
}

fn dates(holidays: &[Holiday]) -> Vec<String> {
    holidays.iter().map(|h| h.date.to_string()).collect()
}

#[test]
fn a_repeat_stops_at_its_until_date_and_skips_its_exdates() {
    let text = cal(&event(
        "a",
        "DTSTART;VALUE=DATE:20240501\r\nRRULE:FREQ=YEARLY;UNTIL=20280501\r\nEXDATE;VALUE=DATE:20260501\r\nSUMMARY:Labour Day\r\n",
    ));
    let read = from_ics(&text, d("2020-01-01"), d("2030-12-31")).unwrap();
    assert_eq!(
        dates(&read.holidays),
        ["2024-05-01", "2025-05-01", "2027-05-01", "2028-05-01"]
    );
    assert_eq!(read.holidays[0].name.as_deref(), Some("Labour Day"));
}

#[test]
fn a_count_limits_the_repeats_and_the_range_cuts_them() {
    let text = cal(&event(
        "a",
        "DTSTART;VALUE=DATE:20251003\r\nRRULE:FREQ=YEARLY;COUNT=3\r\nSUMMARY:Unity\r\n",
    ));
    let read = from_ics(&text, d("2026-01-01"), d("2040-12-31")).unwrap();
    assert_eq!(dates(&read.holidays), ["2026-10-03", "2027-10-03"]);
}

#[test]
fn two_events_on_one_date_give_one_holiday_with_both_names() {
    let text = cal(
        &(event("a", "DTSTART;VALUE=DATE:20270101\r\nSUMMARY:New Year\r\n")
            + &event(
                "b",
                "DTSTART;VALUE=DATE:20270101\r\nSUMMARY:Bank holiday\r\n",
            )
            + &event("c", "DTSTART;VALUE=DATE:20270101\r\nSUMMARY:New Year\r\n")),
    );
    let read = from_ics(&text, d("2027-01-01"), d("2027-01-01")).unwrap();
    assert_eq!(
        read.holidays,
        [Holiday {
            date: d("2027-01-01"),
            name: Some("New Year / Bank holiday".into())
        }]
    );
}

#[test]
fn what_gives_no_holiday_is_listed_with_the_reason() {
    let text = cal(&(event(
        "a",
        "DTSTART;VALUE=DATE:20270101\r\nDTEND;VALUE=DATE:20270301\r\nSUMMARY:Winter\r\n",
    ) + &event(
        "b",
        "DTSTART;VALUE=DATE:20270101\r\nRRULE:FREQ=SOMETIMES\r\nSUMMARY:Odd\r\n",
    ) + &event("c", "SUMMARY:No date\r\n")));
    let read = from_ics(&text, d("2027-01-01"), d("2027-12-31")).unwrap();
    assert!(read.holidays.is_empty());
    let why: Vec<(&str, &str)> = read
        .skipped
        .iter()
        .map(|s| (s.summary.as_str(), s.why))
        .collect();
    assert_eq!(
        why,
        [
            ("Winter", "it lasts more than 31 days"),
            ("Odd", "its repeat rule (RRULE) cannot be read"),
            ("No date", "it has no date (DTSTART)"),
        ]
    );
}

#[test]
fn not_an_icalendar_file_is_an_error() {
    assert!(from_ics("holidays: []\n", d("2027-01-01"), d("2027-12-31")).is_err());
}

#[test]
fn a_name_loses_what_rotation_yaml_refuses_and_is_cut() {
    let long = "x".repeat(500);
    let text = cal(&(event(
        "a",
        "DTSTART;VALUE=DATE:20270101\r\nSUMMARY:New\u{202e}Year\u{7}Day\r\n",
    ) + &event(
        "b",
        &format!("DTSTART;VALUE=DATE:20270102\r\nSUMMARY:{long}\r\n"),
    )));
    let read = from_ics(&text, d("2027-01-01"), d("2027-12-31")).unwrap();
    assert_eq!(read.holidays[0].name.as_deref(), Some("New Year Day"));
    assert_eq!(
        read.holidays[1].name.as_ref().map(|n| n.chars().count()),
        Some(200)
    );
    // And the calendar written from them reads back.
    oncall_core::holidays::merge(None, &read.holidays, "").unwrap();
}
