//! The rotation.yaml file format: serde structs, one per YAML mapping.
//!
//! These structs are the single description of the format. serde reads the
//! file into them, and the JSON Schema in `rotation.schema.json` is generated
//! from them (`oncall schema`); the structural check in `validate.rs` walks
//! the file against that same schema, so the three can never disagree.
//!
//! Every value that a validation message may point at is a `Spanned<T>`,
//! which carries its line and column.
//!
//! Unknown keys are refused by the structural check (the schema says
//! `additionalProperties: false`), not by serde: serde then still reads the
//! rest, so the rules can be checked and reported in the same run.

use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::Deserialize;
use serde_saphyr::Spanned;

/// rotation.yaml: a team's on-call rotation, read by `oncall`.
#[derive(Debug, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
#[schemars(title = "oncall rotation.yaml")]
pub struct RotationFile {
    /// The team's display name. Also seeds the shuffle of each new cycle.
    #[schemars(with = "String", length(min = 1))]
    pub team: Spanned<String>,
    /// IANA time zone of the team, e.g. Europe/Berlin. "Today" is the date there.
    #[schemars(with = "String", length(min = 1))]
    pub timezone: Spanned<String>,
    /// The first day of the rotation (YYYY-MM-DD).
    #[schemars(with = "NaiveDate")]
    pub start: Spanned<NaiveDate>,
    /// Weekdays with an on-call engineer. Default: [mon, tue, wed, thu, fri].
    #[serde(default)]
    #[schemars(with = "Option<Vec<Weekday>>")]
    pub working_days: Option<Spanned<Vec<Weekday>>>,
    /// Days without on-call duty: a date, or {date, name}.
    #[serde(default)]
    #[schemars(with = "Vec<Holiday>")]
    pub holidays: Vec<Spanned<Holiday>>,
    /// The on-call list. Cycle 1 follows this order; later cycles are shuffled.
    #[schemars(with = "Vec<Member>", length(min = 1))]
    pub members: Spanned<Vec<Member>>,
    /// Puts a member on call on one date (a swap is two overrides).
    #[serde(default)]
    pub overrides: Vec<Override>,
    /// The on-call engineer's checklist for the day. Default: the standard duties.
    #[serde(default)]
    #[schemars(with = "Option<Vec<String>>")]
    pub duties: Option<Vec<Spanned<String>>>,
    /// Managed by `oncall advance`; readable, and correctable by hand.
    #[serde(default)]
    pub state: Option<State>,
}

/// A weekday, by its three-letter English name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Weekday {
    Mon,
    Tue,
    Wed,
    Thu,
    Fri,
    Sat,
    Sun,
}

impl From<Weekday> for chrono::Weekday {
    fn from(w: Weekday) -> Self {
        match w {
            Weekday::Mon => chrono::Weekday::Mon,
            Weekday::Tue => chrono::Weekday::Tue,
            Weekday::Wed => chrono::Weekday::Wed,
            Weekday::Thu => chrono::Weekday::Thu,
            Weekday::Fri => chrono::Weekday::Fri,
            Weekday::Sat => chrono::Weekday::Sat,
            Weekday::Sun => chrono::Weekday::Sun,
        }
    }
}

/// A holiday: just a date, or a date with a name.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum Holiday {
    Date(NaiveDate),
    Named(NamedHoliday),
}

/// A holiday with a name, shown in schedules and in the log.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct NamedHoliday {
    pub date: NaiveDate,
    pub name: String,
}

impl Holiday {
    pub fn date(&self) -> NaiveDate {
        match self {
            Holiday::Date(d) => *d,
            Holiday::Named(h) => h.date,
        }
    }
    pub fn name(&self) -> Option<&str> {
        match self {
            Holiday::Date(_) => None,
            Holiday::Named(h) => Some(&h.name),
        }
    }
}

/// A member of the on-call list.
#[derive(Debug, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Member {
    /// GitHub login: the member's key, unique in the list.
    #[schemars(with = "String")]
    pub github: Spanned<String>,
    /// Display name (default: the login).
    #[serde(default)]
    pub name: Option<String>,
    /// Slack member ID (e.g. U012AB3CDE), used for the @-mention.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub slack: Option<Spanned<String>>,
    /// Time off: inclusive date ranges.
    #[serde(default)]
    #[schemars(with = "Vec<Away>")]
    pub away: Vec<Spanned<Away>>,
}

/// An inclusive range of days off.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Away {
    /// First day off.
    pub from: NaiveDate,
    /// Last day off (inclusive).
    pub to: NaiveDate,
    /// Optional note (not published).
    #[serde(default)]
    pub reason: Option<String>,
}

/// An override: `github` is on call on `date`.
#[derive(Debug, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Override {
    #[schemars(with = "NaiveDate")]
    pub date: Spanned<NaiveDate>,
    #[schemars(with = "String")]
    pub github: Spanned<String>,
    /// Why (shown in the schedule and the log).
    #[serde(default)]
    pub reason: Option<String>,
}

/// Where the rotation stands, written by `oncall advance` after each handover.
#[derive(Debug, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct State {
    /// The last working day handed over.
    #[schemars(with = "NaiveDate")]
    pub since: Spanned<NaiveDate>,
    /// Who is on call on `since` (null: the day was uncovered).
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub on_call: Option<Spanned<String>>,
    /// The current cycle's number (cycle 1 follows `members`).
    #[schemars(with = "u32", range(min = 1))]
    pub cycle: Spanned<u32>,
    /// This cycle's order.
    #[schemars(with = "Vec<String>")]
    pub order: Vec<Spanned<String>>,
    /// Who has had (or lost) their turn in this cycle, in the order they served.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub served: Vec<Spanned<String>>,
}

/// The JSON Schema of rotation.yaml, as committed in `rotation.schema.json`
/// (generated once per process).
pub fn json_schema() -> &'static serde_json::Value {
    static SCHEMA: std::sync::OnceLock<serde_json::Value> = std::sync::OnceLock::new();
    SCHEMA.get_or_init(|| {
        serde_json::to_value(schemars::schema_for!(RotationFile)).expect("schema serializes")
    })
}

/// The schema as pretty JSON with a trailing newline (the committed file).
pub fn json_schema_text() -> String {
    let mut s = serde_json::to_string_pretty(json_schema()).expect("schema serializes");
    s.push('\n');
    s
}
