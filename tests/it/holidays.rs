//! `oncall holidays import FILE.ics --out calendars/NAME.yaml` (issue 23):
//! a public-holiday iCalendar file (tests/fixtures/holidays/berlin.ics,
//! Berlin's holidays as a publisher lists them: fixed dates as yearly
//! repeats since 2020, movable feasts one event a year, a two-day
//! Christmas, a folded line, a timed event and a cancelled one) becomes a
//! shared calendar that `check` accepts and the rotation uses.

use crate::support;
use std::process::Output;

const ICS: &str = "tests/fixtures/holidays/berlin.ics";

/// Berlin's public holidays of 2027, counted by hand from the fixture.
const BERLIN_2027: [(&str, &str); 10] = [
    ("2027-01-01", "New Year's Day"),
    ("2027-03-08", "International Women's Day (Berlin)"),
    ("2027-03-26", "Good Friday"),
    ("2027-03-29", "Easter Monday"),
    ("2027-05-01", "Labour Day"),
    ("2027-05-06", "Ascension Day"),
    (
        "2027-05-17",
        "Whit Monday (Pentecost Monday), a public holiday in every federal state",
    ),
    ("2027-10-03", "Day of German Unity"),
    ("2027-12-25", "Christmas Day, Second Day of Christmas"),
    ("2027-12-26", "Christmas Day, Second Day of Christmas"),
];

const ROTATION: &str = "\
team: Platform
timezone: Europe/Berlin
start: 2027-01-04
members:
  - { github: ana, name: Ana Example }
  - { github: ben, name: Ben Example }
  - { github: cy, name: Cy Example }
holidays:
  - include: calendars/berlin.yaml
";

struct Repo {
    dir: tempfile::TempDir,
    ics: std::path::PathBuf,
}

impl Repo {
    fn new() -> Repo {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("rotation.yaml"), ROTATION).unwrap();
        // The iCalendar file as downloaded: outside the repository.
        let ics = tempfile::tempdir().unwrap().keep().join("berlin.ics");
        std::fs::copy(ICS, &ics).unwrap();
        Repo { dir, ics }
    }
    fn run(&self, args: &[&str]) -> Output {
        assert_cmd::Command::cargo_bin("oncall")
            .unwrap()
            .current_dir(self.dir.path())
            .env("ONCALL_NOW", "2026-12-02T08:00:00Z")
            .env_remove("GITHUB_ACTIONS")
            .args(args)
            .output()
            .unwrap()
    }
    fn import(&self, extra: &[&str]) -> Output {
        let ics = self.ics.display().to_string();
        let mut args = vec!["holidays", "import", &ics, "--out", "calendars/berlin.yaml"];
        args.extend(extra);
        self.run(&args)
    }
    fn calendar(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("calendars/berlin.yaml")).unwrap()
    }
}

fn text(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr)
}

/// The calendar's items, as (date, name).
fn items(calendar: &str) -> Vec<(String, String)> {
    let value: serde_json::Value = serde_saphyr::from_str(calendar).unwrap();
    value["holidays"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| match h.as_str() {
            Some(date) => (date.to_owned(), String::new()),
            None => (
                h["date"].as_str().unwrap().to_owned(),
                h["name"].as_str().unwrap_or("").to_owned(),
            ),
        })
        .collect()
}

#[test]
fn a_public_holiday_file_becomes_a_calendar_that_check_accepts() {
    let repo = Repo::new();
    let out = repo.import(&["--from", "2027-01-01", "--until", "2027-12-31"]);
    let said = text(&out);
    assert!(out.status.success(), "{said}");
    let want: Vec<(String, String)> = BERLIN_2027
        .iter()
        .map(|(d, n)| (d.to_string(), n.to_string()))
        .collect();
    assert_eq!(items(&repo.calendar()), want);
    // It says what it did, and what it left out and why.
    assert!(
        said.starts_with("calendars/berlin.yaml: 10 holiday(s) added, 0 there already"),
        "{said}"
    );
    assert!(said.contains("  + 2027-03-26 Good Friday\n"), "{said}");
    assert!(
        said.contains("  skipped \"Summer time begins\": not an all-day event\n"),
        "{said}"
    );
    assert!(
        said.contains("  skipped \"Provisional holiday\": cancelled\n"),
        "{said}"
    );
    // The machine's path of the iCalendar file is not written down.
    let cal = repo.calendar();
    assert!(cal.starts_with("# Public holidays from berlin.ics, 2027-01-01 to 2027-12-31"));
    assert!(!cal.contains(&repo.ics.parent().unwrap().display().to_string()));

    // The rotation reads it: check passes, Good Friday is a holiday.
    let out = repo.run(&["check"]);
    assert!(out.status.success(), "{}", text(&out));
    let out = repo.run(&["who", "2027-03-26"]);
    assert!(text(&out).contains("Good Friday"), "{}", text(&out));
    // And the calendar's schema agrees.
    let file = repo.dir.path().join("calendars/berlin.yaml");
    support::validators::schema("calendar.schema.json", &[&file]).unwrap();
}

#[test]
fn an_import_adds_only_the_dates_missing_and_keeps_the_file_as_written() {
    let repo = Repo::new();
    std::fs::create_dir_all(repo.dir.path().join("calendars")).unwrap();
    let own = "\
# Our office calendar: Christmas Eve is ours.
holidays:
  - { date: 2027-12-24, name: Christmas Eve (office closed) }
  - { date: 2027-12-25, name: Xmas }  # our name for it
";
    std::fs::write(repo.dir.path().join("calendars/berlin.yaml"), own).unwrap();
    let out = repo.import(&["--from", "2027-01-01", "--until", "2027-12-31"]);
    let said = text(&out);
    assert!(out.status.success(), "{said}");
    assert!(
        said.contains("9 holiday(s) added, 1 there already"),
        "{said}"
    );
    assert!(
        said.contains("  = 2027-12-25 (there already; its name is kept)"),
        "{said}"
    );
    let cal = repo.calendar();
    assert!(
        cal.starts_with(own),
        "the file as written, then the new dates: {cal}"
    );
    let got = items(&cal);
    assert_eq!(got.len(), 11);
    assert_eq!(got[1], ("2027-12-25".into(), "Xmas".into()));
    assert_eq!(got[2], ("2027-01-01".into(), "New Year's Day".into()));
    // Twice is once: nothing more to add, the file is not touched.
    let out = repo.import(&["--from", "2027-01-01", "--until", "2027-12-31"]);
    assert!(
        text(&out).contains("0 holiday(s) added, 10 there already"),
        "{}",
        text(&out)
    );
    assert_eq!(repo.calendar(), cal);
}

#[test]
fn an_empty_flow_list_becomes_a_block_list() {
    let repo = Repo::new();
    std::fs::create_dir_all(repo.dir.path().join("calendars")).unwrap();
    std::fs::write(
        repo.dir.path().join("calendars/berlin.yaml"),
        "holidays: []\n",
    )
    .unwrap();
    let out = repo.import(&["--from", "2027-05-01", "--until", "2027-05-31"]);
    assert!(out.status.success(), "{}", text(&out));
    assert_eq!(
        repo.calendar(),
        "holidays:\n  - { date: 2027-05-01, name: \"Labour Day\" }\n  - { date: 2027-05-06, name: \"Ascension Day\" }\n  - { date: 2027-05-17, name: \"Whit Monday (Pentecost Monday), a public holiday in every federal state\" }\n"
    );
}

/// The repeats are expanded at midnight UTC: the machine's time zone does
/// not move a date (R8: the same files give the same calendar).
#[test]
fn the_dates_do_not_depend_on_the_machines_time_zone() {
    let mut calendars = Vec::new();
    for tz in ["UTC", "Pacific/Kiritimati", "America/Adak"] {
        let repo = Repo::new();
        let out = assert_cmd::Command::cargo_bin("oncall")
            .unwrap()
            .current_dir(repo.dir.path())
            .env("TZ", tz)
            .env("ONCALL_NOW", "2026-12-02T08:00:00Z")
            .args(["holidays", "import"])
            .arg(&repo.ics)
            .args(["--out", "calendars/berlin.yaml"])
            .args(["--from", "2026-12-01", "--until", "2027-01-31"])
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", text(&out));
        calendars.push(items(&repo.calendar()));
    }
    let want: Vec<(String, String)> = [
        ("2026-12-25", "Christmas Day, Second Day of Christmas"),
        ("2026-12-26", "Christmas Day, Second Day of Christmas"),
        ("2027-01-01", "New Year's Day"),
    ]
    .iter()
    .map(|(d, n)| (d.to_string(), n.to_string()))
    .collect();
    for c in calendars {
        assert_eq!(c, want);
    }
}

/// By default: from today to the end of next year.
#[test]
fn by_default_it_imports_from_today_to_the_end_of_next_year() {
    let repo = Repo::new();
    let out = repo.import(&[]);
    assert!(out.status.success(), "{}", text(&out));
    let got = items(&repo.calendar());
    assert_eq!(got.first().unwrap().0, "2026-12-25");
    assert_eq!(got.last().unwrap().0, "2027-12-26");
    assert_eq!(got.len(), 12);
    assert!(text(&out).contains("from 2026-12-02 to 2027-12-31"));
}

#[test]
fn a_file_that_is_not_icalendar_or_a_broken_calendar_writes_nothing() {
    let repo = Repo::new();
    std::fs::write(&repo.ics, "holidays:\n  - 2027-01-01\n").unwrap();
    let out = repo.import(&[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out).contains("berlin.ics: this is not an iCalendar file"),
        "{}",
        text(&out)
    );
    assert!(!repo.dir.path().join("calendars").exists());

    // A calendar file with a mistake: named at its line, not changed.
    let repo = Repo::new();
    std::fs::create_dir_all(repo.dir.path().join("calendars")).unwrap();
    let broken = "holidays:\n  - 2027-02-30\n";
    std::fs::write(repo.dir.path().join("calendars/berlin.yaml"), broken).unwrap();
    let out = repo.import(&[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out).contains("calendars/berlin.yaml:2:5: error:"),
        "{}",
        text(&out)
    );
    assert_eq!(repo.calendar(), broken);

    let out = repo.import(&["--from", "2027-02-01", "--until", "2027-01-01"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out).contains("--until 2027-01-01 is before --from 2027-02-01"));
}
