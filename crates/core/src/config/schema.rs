//! The rotation.yaml file format: serde structs, one per YAML mapping.
//!
//! These structs are the single description of the format. serde reads the
//! file into them, and the JSON Schema in `rotation.schema.json` is generated
//! from them (`oncall schema`); the structural check in `structure.rs` walks
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
    #[schemars(with = "String", length(min = 1), pattern(super::text::pattern()))]
    pub team: Spanned<String>,
    /// IANA time zone of the team, e.g. Europe/Berlin. "Today" is the date there.
    #[schemars(with = "String", length(min = 1))]
    pub timezone: Spanned<String>,
    /// The first day of the rotation (YYYY-MM-DD).
    #[schemars(with = "NaiveDate")]
    pub start: Spanned<Date>,
    /// Weekdays with an on-call engineer. Default: [mon, tue, wed, thu, fri].
    #[serde(default)]
    #[schemars(with = "Option<Vec<Weekday>>", extend("uniqueItems" = true))]
    pub working_days: Option<Spanned<Vec<Weekday>>>,
    /// Days without on-call duty: a date, {date, name}, or {include: PATH},
    /// a shared calendar (a file whose only key is `holidays`), the path
    /// relative to this file.
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
    #[schemars(with = "Option<Vec<String>>", inner(pattern(super::text::pattern())))]
    pub duties: Option<Vec<Spanned<String>>>,
    /// Slack beyond the webhook: the @oncall user group kept on today's engineer.
    #[serde(default)]
    pub slack: Option<SlackSettings>,
    /// Which issues `oncall assign` routes to the on-call engineer.
    #[serde(default)]
    pub routing: Option<RoutingSettings>,
    /// The log file: `archive: yearly` keeps it to one year.
    #[serde(default)]
    pub log: Option<LogSettings>,
    /// Managed by `oncall advance`; readable, and correctable by hand.
    #[serde(default)]
    pub state: Option<State>,
}

/// How questions reach the on-call engineer (`oncall assign`).
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct RoutingSettings {
    /// Labels that route an issue or pull request to the on-call engineer.
    /// Default: [kind/question].
    #[serde(default)]
    #[schemars(with = "Option<Vec<String>>", inner(pattern(super::text::pattern())))]
    pub labels: Option<Vec<Spanned<String>>>,
    /// The comment command that routes it (the comment's first line, by a
    /// member or someone with write access). Default: /assign-to-oncall.
    #[serde(default)]
    #[schemars(with = "Option<String>", pattern(super::text::command_pattern()))]
    pub command: Option<Spanned<String>>,
}

/// The log's settings.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct LogSettings {
    /// `yearly`: the first handover of a year moves the finished year's
    /// day sections to `log/YYYY.md` beside the log, in the same commit,
    /// and carries its open threads and runbook debt into the log; every
    /// command reads across the archives. `none` (the default): one file.
    #[serde(default)]
    #[schemars(with = "Option<LogArchive>")]
    pub archive: Option<Spanned<LogArchive>>,
}

/// How the log is archived (`log.archive`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum LogArchive {
    // One file, never moved.
    #[default]
    None,
    // The finished year moves to `log/YYYY.md` at its first handover.
    Yearly,
}

/// Slack settings.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct SlackSettings {
    /// A Slack user group's ID (S…, e.g. S0123ABCD): the daily run sets its
    /// members to today's on-call engineer (needs SLACK_BOT_TOKEN with the
    /// usergroups:write scope).
    #[serde(default)]
    #[schemars(with = "Option<String>", pattern(USERGROUP_PATTERN))]
    pub usergroup: Option<Spanned<String>>,
    /// The environment variable that holds this rotation's incoming webhook
    /// URL (SLACK_WEBHOOK followed by capital letters, digits or _, e.g.
    /// SLACK_WEBHOOK_SRE). Default: SLACK_WEBHOOK_URL.
    #[serde(default)]
    #[schemars(
        with = "Option<String>",
        regex(pattern = r"^SLACK_WEBHOOK[A-Z0-9_]*$"),
        length(max = 100)
    )]
    pub webhook_env: Option<Spanned<String>>,
}

/// A weekday by its English name, in any case: `mon`, `Mon`, `MON`,
/// `monday`, `Monday`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Weekday {
    Mon,
    Tue,
    Wed,
    Thu,
    Fri,
    Sat,
    Sun,
}

/// The JSON Schema pattern of a weekday name (any case, short or full).
/// The structural check applies [`Weekday::parse`] where the schema says
/// this, so that the schema and the reader accept the same names.
pub const WEEKDAY_PATTERN: &str = "^(?:[Mm][Oo][Nn](?:[Dd][Aa][Yy])?|[Tt][Uu][Ee](?:[Ss][Dd][Aa][Yy])?|[Ww][Ee][Dd](?:[Nn][Ee][Ss][Dd][Aa][Yy])?|[Tt][Hh][Uu](?:[Rr][Ss][Dd][Aa][Yy])?|[Ff][Rr][Ii](?:[Dd][Aa][Yy])?|[Ss][Aa][Tt](?:[Uu][Rr][Dd][Aa][Yy])?|[Ss][Uu][Nn](?:[Dd][Aa][Yy])?)$";

/// The JSON Schema pattern of a GitHub login (with `minLength` 1 and
/// `maxLength` 39): letters, digits and single hyphens, not at either end
/// (`validate::is_github_login`).
pub const LOGIN_PATTERN: &str = "^[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*$";

/// The JSON Schema pattern of a Slack member ID: U or W, then 8 to 20
/// capital letters and digits (`validate::is_slack_member_id`).
pub const SLACK_MEMBER_PATTERN: &str = "^[UW][A-Z0-9]{8,20}$";

/// The JSON Schema pattern of a Slack user group ID: S, then 8 or more
/// capital letters and digits (`validate::is_usergroup_id`).
pub const USERGROUP_PATTERN: &str = "^S[A-Z0-9]{8,}$";

/// The weekday names, in full, for hints.
pub const WEEKDAY_NAMES: [&str; 7] = [
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

impl Weekday {
    /// A weekday name in any case, three letters or in full.
    pub fn parse(s: &str) -> Option<Weekday> {
        let lower = s.to_ascii_lowercase();
        let i = WEEKDAY_NAMES
            .iter()
            .position(|full| lower == *full || lower == full[..3])?;
        Some(
            [
                Weekday::Mon,
                Weekday::Tue,
                Weekday::Wed,
                Weekday::Thu,
                Weekday::Fri,
                Weekday::Sat,
                Weekday::Sun,
            ][i],
        )
    }
}

impl<'de> Deserialize<'de> for Weekday {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Weekday::parse(&s).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "{s:?} is not a weekday: write mon, tue, wed, thu, fri, sat or sun"
            ))
        })
    }
}

impl JsonSchema for Weekday {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Weekday".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "A weekday by its English name, in any case: mon, Mon, MON, monday or Monday.",
            "type": "string",
            "pattern": WEEKDAY_PATTERN
        })
    }
}

/// A calendar date written exactly as YYYY-MM-DD (four-digit year from
/// 1900, two-digit month and day). chrono alone would also read
/// `2026-3-2` or `+12026-01-01`; a typo there must not pass.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(pub NaiveDate);

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        super::parse_date(&s).map(Date).ok_or_else(|| {
            serde::de::Error::custom(format!("{s:?} is not a date written as YYYY-MM-DD"))
        })
    }
}

impl JsonSchema for Date {
    fn inline_schema() -> bool {
        true
    }
    fn schema_name() -> std::borrow::Cow<'static, str> {
        NaiveDate::schema_name()
    }
    fn json_schema(g: &mut schemars::SchemaGenerator) -> schemars::Schema {
        NaiveDate::json_schema(g)
    }
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

/// A holiday: just a date, a date with a name, or a shared calendar.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum Holiday {
    Date(Date),
    Named(NamedHoliday),
    Include(Include),
}

/// A shared holiday calendar: a file whose only key is `holidays:`, in the
/// same format (without includes of its own).
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Include {
    /// The calendar's path, relative to the file that includes it.
    #[schemars(length(min = 1))]
    pub include: String,
}

/// A shared holiday calendar file (`- include:` in a rotation's holidays).
#[derive(Debug, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
#[schemars(title = "oncall holiday calendar")]
pub struct CalendarFile {
    /// Days without on-call duty: a date, or {date, name}.
    #[schemars(with = "Vec<CalendarHoliday>")]
    pub holidays: Vec<Spanned<Holiday>>,
}

/// A holiday in a shared calendar: a date, or a date with a name (no
/// includes: a calendar does not include another). For the schema only;
/// the file is read as [`Holiday`]s, and an include is refused with its
/// position.
#[derive(JsonSchema)]
#[serde(untagged)]
#[allow(dead_code)]
enum CalendarHoliday {
    Date(Date),
    Named(NamedHoliday),
}

/// A holiday with a name, shown in schedules and in the log.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct NamedHoliday {
    pub date: Date,
    #[schemars(pattern(super::text::pattern()))]
    pub name: String,
}

impl Holiday {
    /// The date (`None` for an include).
    pub fn date(&self) -> Option<NaiveDate> {
        match self {
            Holiday::Date(d) => Some(d.0),
            Holiday::Named(h) => Some(h.date.0),
            Holiday::Include(_) => None,
        }
    }
    pub fn name(&self) -> Option<&str> {
        match self {
            Holiday::Named(h) => Some(&h.name),
            _ => None,
        }
    }
}

/// A member of the on-call list.
#[derive(Debug, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Member {
    /// GitHub login: the member's key, unique in the list.
    #[schemars(with = "String", length(max = 39), pattern(LOGIN_PATTERN))]
    pub github: Spanned<String>,
    /// Display name (default: the login).
    #[serde(default)]
    #[schemars(pattern(super::text::pattern()))]
    pub name: Option<String>,
    /// Slack member ID (e.g. U012AB3CDE), used for the @-mention.
    #[serde(default)]
    #[schemars(with = "Option<String>", pattern(SLACK_MEMBER_PATTERN))]
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
    pub from: Date,
    /// Last day off (inclusive).
    pub to: Date,
    /// Optional note (not published).
    #[serde(default)]
    #[schemars(pattern(super::text::pattern()))]
    pub reason: Option<String>,
}

/// An override: `github` is on call on `date`.
#[derive(Debug, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Override {
    #[schemars(with = "NaiveDate")]
    pub date: Spanned<Date>,
    #[schemars(with = "String", length(max = 39), pattern(LOGIN_PATTERN))]
    pub github: Spanned<String>,
    /// Why (shown in the schedule and the log).
    #[serde(default)]
    #[schemars(pattern(super::text::pattern()))]
    pub reason: Option<String>,
}

/// The highest cycle number `state.cycle` may say: far beyond any team's
/// (a cycle a day would take 2,700 years), and far from where counting on
/// would overflow.
pub const MAX_CYCLE: u32 = 1_000_000;

/// Where the rotation stands, written by `oncall advance` after each handover.
#[derive(Debug, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct State {
    /// The last working day handed over.
    #[schemars(with = "NaiveDate")]
    pub since: Spanned<Date>,
    /// Who is on call on `since` (null: the day was uncovered).
    #[serde(default)]
    #[schemars(with = "Option<String>", length(max = 39), pattern(LOGIN_PATTERN))]
    pub on_call: Option<Spanned<String>>,
    /// The current cycle's number (cycle 1 follows `members`).
    #[schemars(with = "u32", range(min = 1, max = MAX_CYCLE))]
    pub cycle: Spanned<u32>,
    /// This cycle's order.
    #[schemars(
        with = "Vec<String>",
        inner(length(max = 39), pattern(LOGIN_PATTERN)),
        extend("uniqueItems" = true)
    )]
    pub order: Vec<Spanned<String>>,
    /// Who has had (or lost) their turn in this cycle, in the order they served.
    #[serde(default)]
    #[schemars(
        with = "Vec<String>",
        inner(length(max = 39), pattern(LOGIN_PATTERN)),
        extend("uniqueItems" = true)
    )]
    pub served: Vec<Spanned<String>>,
    /// Who served the last days of the previous cycle and is kept out of
    /// this cycle's first days (the spacing rule); present only then.
    #[serde(default)]
    #[schemars(
        with = "Vec<String>",
        inner(length(max = 39), pattern(LOGIN_PATTERN)),
        extend("uniqueItems" = true)
    )]
    pub held_back: Vec<Spanned<String>>,
    /// For how many more turns `held_back` is kept out (the cycle's
    /// hold-back, fixed when it was drawn, less the turns served since);
    /// present with `held_back`.
    #[serde(default)]
    #[schemars(with = "Option<u32>", range(min = 1))]
    pub held_for: Option<Spanned<u32>>,
}

/// The JSON Schema of rotation.yaml, as committed in `rotation.schema.json`
/// (generated once per process).
pub fn json_schema() -> &'static serde_json::Value {
    static SCHEMA: std::sync::OnceLock<serde_json::Value> = std::sync::OnceLock::new();
    SCHEMA.get_or_init(|| {
        serde_json::to_value(schemars::schema_for!(RotationFile)).expect("schema serializes")
    })
}

/// The JSON Schema of a shared holiday calendar (generated once per process).
pub fn calendar_schema() -> &'static serde_json::Value {
    static SCHEMA: std::sync::OnceLock<serde_json::Value> = std::sync::OnceLock::new();
    SCHEMA.get_or_init(|| {
        serde_json::to_value(schemars::schema_for!(CalendarFile)).expect("schema serializes")
    })
}

/// The calendar's schema as pretty JSON with a trailing newline (the
/// committed `calendar.schema.json`).
pub fn calendar_schema_text() -> String {
    let mut s = serde_json::to_string_pretty(calendar_schema()).expect("schema serializes");
    s.push('\n');
    s
}

/// The schema as pretty JSON with a trailing newline (the committed file).
pub fn json_schema_text() -> String {
    let mut s = serde_json::to_string_pretty(json_schema()).expect("schema serializes");
    s.push('\n');
    s
}
