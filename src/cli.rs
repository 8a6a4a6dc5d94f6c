//! The command line: clap definitions only.

use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand};
use oncall_core::schedule::Format;
use std::path::PathBuf;

/// Runs a team's daily on-call rotation from a Git repository.
#[derive(Debug, Clone, Parser)]
#[command(name = "oncall", version = crate::build_info::LONG_VERSION, about, long_about = None)]
pub struct Cli {
    /// The rotation file.
    #[arg(
        long,
        global = true,
        value_name = "PATH",
        default_value = "rotation.yaml"
    )]
    pub config: PathBuf,
    /// The on-call log.
    #[arg(
        long,
        global = true,
        value_name = "PATH",
        default_value = "oncall-log.md"
    )]
    pub log: PathBuf,
    /// A rotation of several in this repository: `rotations/NAME/` (its
    /// rotation.yaml and oncall-log.md); `default` is the top-level one.
    #[arg(long, global = true, value_name = "NAME")]
    pub rotation: Option<String>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Clone, Subcommand)]
pub enum Command {
    /// Validate rotation.yaml and the log; warn about uncovered days ahead.
    Check(CheckArgs),
    /// Who is on call on each working day of a range.
    Schedule(ScheduleArgs),
    /// Who is on call on a day (default: today in the team's time zone).
    Who(WhoArgs),
    /// Perform the day's handover: update the state, append the log section(s).
    Advance(AdvanceArgs),
    /// Swap two days: write two overrides into rotation.yaml (for a roster
    /// pull request), after checking both members can serve the other day.
    Swap(SwapArgs),
    /// Someone covers a day (default: today): write an override into
    /// rotation.yaml. On a day handed over already it is a takeover (R13):
    /// the next handover run applies and announces it.
    Cover(CoverArgs),
    /// Remove a member: from `members`, and from the state's `order`,
    /// `served` and `held_back`, in one edit (for a roster pull request).
    Leave(LeaveArgs),
    /// Fairness: per member, days served and scheduled, by override, as a
    /// substitute, turns lost to time off, and their share of the working
    /// days they were on the roster.
    Stats(StatsArgs),
    /// Write the schedule page: a month view, the cycle, the fairness table
    /// and the calendar feeds (index.html, oncall.ics, oncall-LOGIN.ics).
    Site(SiteArgs),
    /// The open threads: unticked task-list items under the days' Topics.
    Open(OpenArgs),
    /// The runbook debt: `runbook:` items under the days' Topics, still to
    /// write (unticked) and written (ticked).
    Runbooks(RunbooksArgs),
    /// Route a question to today's on-call engineer: assign them to an
    /// issue or pull request with a short comment (reads rotation.yaml from
    /// the default branch on GitHub). Without --issue, in GitHub Actions,
    /// the event decides (a routing label, or the comment command); a
    /// comment `/swap DATE` or `/take [DATE]` asks for or takes a swap
    /// (alias: `oncall comment`, for every comment command).
    #[command(visible_alias = "comment")]
    Assign(AssignArgs),
    /// Every rotation in this repository (the top-level rotation.yaml and
    /// rotations/NAME/): name, files, team and today's engineer. The JSON is
    /// what a workflow's matrix reads.
    List(ListArgs),
    /// Preview a change (a pull request): for every rotation whose
    /// rotation file, log or included calendar differs from the base tree
    /// DIR, the next working days before and after, in Markdown. With
    /// --slack, tells the people whose days moved, on each rotation's
    /// Slack webhook.
    Preview(PreviewArgs),
    /// Print the JSON Schema of rotation.yaml (or, with --calendar, of a
    /// shared holiday calendar).
    Schema(SchemaArgs),
    /// Set up oncall in this repository: rotation.yaml, the log and the two
    /// workflows (daily handover, roster pull request check), which serve
    /// every rotation. With --rotation NAME, a new team in rotations/NAME/
    /// (workflows that exist are left as they are). Asks for what is
    /// missing on a terminal; never overwrites a file without --force.
    Init(InitArgs),
    /// Import a rotation from another tool into rotation.yaml.
    Import(ImportArgs),
    /// Shared holiday calendars: `holidays import FILE.ics --out
    /// calendars/NAME.yaml` writes a public-holiday iCalendar file's dates
    /// into a calendar file (or adds them to it).
    Holidays(HolidaysArgs),
}

/// `oncall holidays`.
#[derive(Debug, Clone, Args)]
pub struct HolidaysArgs {
    #[command(subcommand)]
    pub command: HolidaysCommand,
}

#[derive(Debug, Clone, Subcommand)]
pub enum HolidaysCommand {
    /// Write the all-day events of an iCalendar file (a country's public
    /// holidays, as published) into a shared calendar file, as dates:
    /// creates it, or adds the dates it does not have yet (keeping its own
    /// names and comments). Repeating events are expanded.
    Import {
        /// The iCalendar file (.ics).
        #[arg(value_name = "FILE")]
        file: PathBuf,
        /// The calendar file to write (e.g. calendars/berlin.yaml).
        #[arg(long, value_name = "PATH")]
        out: PathBuf,
        /// The first day to import. Default: today (UTC).
        #[arg(long, value_parser = parse_date, value_name = "DATE")]
        from: Option<NaiveDate>,
        /// The last day to import. Default: the end of the year after --from's.
        #[arg(long, value_parser = parse_date, value_name = "DATE")]
        until: Option<NaiveDate>,
    },
}

/// How many days ahead `oncall check` looks for uncovered days (also what
/// `init` and `import` check their files with).
pub const CHECK_AHEAD: u32 = 28;

/// `oncall check`.
#[derive(Debug, Clone, Args)]
pub struct CheckArgs {
    /// How many days ahead to look for uncovered days.
    #[arg(long, default_value_t = CHECK_AHEAD, value_name = "N")]
    pub ahead: u32,
    /// `github` prints the problems as GitHub Actions annotations.
    #[arg(long, value_enum, default_value_t = CheckFormat::Text)]
    pub format: CheckFormat,
}

/// `oncall schedule`.
#[derive(Debug, Clone, Args)]
pub struct ScheduleArgs {
    /// First day (YYYY-MM-DD). Default: today in the team's time zone.
    #[arg(long, value_parser = parse_date, value_name = "DATE")]
    pub from: Option<NaiveDate>,
    /// Number of calendar days.
    #[arg(long, default_value_t = 14, value_name = "N",
          value_parser = clap::value_parser!(u32).range(1..=36600))]
    pub days: u32,
    /// Instead of --days: this many working days.
    #[arg(long, value_name = "N", conflicts_with = "days",
          value_parser = clap::value_parser!(u32).range(1..=10000))]
    pub working_days: Option<u32>,
    /// `ics`: an iCalendar feed, one all-day event per day.
    #[arg(long, value_enum, default_value_t = ScheduleFormat::Text)]
    pub format: ScheduleFormat,
    /// Only this member's days.
    #[arg(long, value_name = "LOGIN")]
    pub member: Option<String>,
    /// Compare with another rotation file (e.g. the base branch's): who is
    /// on call before and after, with the changed days marked.
    #[arg(long, value_name = "BASE_FILE")]
    pub compare: Option<PathBuf>,
}

/// `oncall who`.
#[derive(Debug, Clone, Args)]
pub struct WhoArgs {
    #[arg(value_parser = parse_date, value_name = "DATE")]
    pub date: Option<NaiveDate>,
}

/// `oncall advance`.
#[derive(Debug, Clone, Args)]
pub struct AdvanceArgs {
    /// Act as if it were this day (YYYY-MM-DD). Default: today in the team's time zone.
    #[arg(long, value_parser = parse_date, value_name = "DATE")]
    pub date: Option<NaiveDate>,
    /// Print the plan (the file changes as a diff, the handover) and write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Allow --date after today: hands over days that have not come yet.
    #[arg(long)]
    pub future: bool,
    /// Only apply a takeover of the day (R13: an override of a day handed
    /// over already); without one, hand over nothing. The daily workflow's
    /// run on a change to the roster.
    #[arg(long)]
    pub takeover_only: bool,
    /// Post the handover to the Slack incoming webhook in SLACK_WEBHOOK_URL,
    /// or in the variable rotation.yaml's `slack.webhook_env` names (once
    /// per day: the log, or with --pr the pull request, records the post).
    #[arg(long)]
    pub slack: bool,
    /// The environment variable with the webhook's URL, whatever
    /// rotation.yaml names (SLACK_WEBHOOK…).
    #[arg(long, value_name = "VAR", value_parser = parse_webhook_env, requires = "slack")]
    pub webhook_env: Option<String>,
    /// Work on GitHub: open or update the handover pull request, from the
    /// base branch's files (GITHUB_TOKEN, GITHUB_REPOSITORY, GITHUB_API_URL).
    #[arg(long)]
    pub pr: bool,
    /// The base branch (default: the repository's default branch).
    #[arg(long, value_name = "BRANCH", requires = "pr")]
    pub base: Option<String>,
    /// The repository as OWNER/NAME (default: GITHUB_REPOSITORY).
    #[arg(long, value_name = "OWNER/NAME", requires = "pr")]
    pub repo: Option<String>,
    /// The REST API URL (default: GITHUB_API_URL, else https://api.github.com).
    #[arg(long, value_name = "URL", requires = "pr")]
    pub api_url: Option<String>,
    /// The handover branch.
    #[arg(
        long,
        value_name = "BRANCH",
        default_value = crate::github::DEFAULT_BRANCH,
        requires = "pr"
    )]
    pub branch: String,
    /// The label of handover pull requests.
    #[arg(long, value_name = "NAME", default_value = "oncall", requires = "pr")]
    pub label: String,
}

/// `oncall swap`.
#[derive(Debug, Clone, Args)]
pub struct SwapArgs {
    #[arg(value_parser = parse_date, value_name = "DATE_A")]
    pub a: NaiveDate,
    #[arg(value_parser = parse_date, value_name = "DATE_B")]
    pub b: NaiveDate,
    /// Why (shown in the schedule, the log, the PR and Slack).
    #[arg(long, value_name = "TEXT")]
    pub reason: Option<String>,
}

/// `oncall cover`.
#[derive(Debug, Clone, Args)]
pub struct CoverArgs {
    /// Who covers the day (their `github` login).
    #[arg(value_name = "LOGIN")]
    pub login: String,
    /// The day (YYYY-MM-DD). Default: today in the team's time zone.
    #[arg(long, value_parser = parse_date, value_name = "DATE")]
    pub date: Option<NaiveDate>,
    /// Why (shown in the log, the pull request and Slack).
    #[arg(long, value_name = "TEXT")]
    pub reason: String,
}

/// `oncall leave`.
#[derive(Debug, Clone, Args)]
pub struct LeaveArgs {
    #[arg(value_name = "LOGIN")]
    pub login: String,
}

/// `oncall stats`.
#[derive(Debug, Clone, Args)]
pub struct StatsArgs {
    /// First day. Default: the rotation's start.
    #[arg(long, value_parser = parse_date, value_name = "DATE")]
    pub since: Option<NaiveDate>,
    /// Last day. Default: 90 days from today.
    #[arg(long, value_parser = parse_date, value_name = "DATE")]
    pub until: Option<NaiveDate>,
    #[arg(long, value_enum, default_value_t = TableFormat::Text)]
    pub format: TableFormat,
}

/// `oncall site`.
#[derive(Debug, Clone, Args)]
pub struct SiteArgs {
    /// The directory to write to (created if missing).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
}

/// `oncall open`.
#[derive(Debug, Clone, Args)]
pub struct OpenArgs {
    #[arg(long, value_enum, default_value_t = TableFormat::Text)]
    pub format: TableFormat,
}

/// `oncall runbooks`.
#[derive(Debug, Clone, Args)]
pub struct RunbooksArgs {
    #[arg(long, value_enum, default_value_t = TableFormat::Text)]
    pub format: TableFormat,
}

/// `oncall assign`.
#[derive(Debug, Clone, Args)]
pub struct AssignArgs {
    /// The issue or pull request number. Default: the event's
    /// (GITHUB_EVENT_NAME, GITHUB_EVENT_PATH).
    #[arg(long, value_name = "N")]
    pub issue: Option<u64>,
    /// The repository as OWNER/NAME (default: GITHUB_REPOSITORY).
    #[arg(long, value_name = "OWNER/NAME")]
    pub repo: Option<String>,
    /// The REST API URL (default: GITHUB_API_URL, else https://api.github.com).
    #[arg(long, value_name = "URL")]
    pub api_url: Option<String>,
    /// Act as if it were this day (YYYY-MM-DD). Default: today in the team's time zone.
    #[arg(long, value_parser = parse_date, value_name = "DATE")]
    pub date: Option<NaiveDate>,
    /// Print what it would do; write nothing.
    #[arg(long)]
    pub dry_run: bool,
}

/// `oncall list`.
#[derive(Debug, Clone, Args)]
pub struct ListArgs {
    #[arg(long, value_enum, default_value_t = ListFormat::Text)]
    pub format: ListFormat,
}

/// `oncall preview`.
#[derive(Debug, Clone, Args)]
pub struct PreviewArgs {
    /// The base tree (e.g. `git archive BASE | tar -x -C DIR`).
    #[arg(long, value_name = "DIR")]
    pub base: PathBuf,
    /// How many working days ahead.
    #[arg(long, default_value_t = 20, value_name = "N",
          value_parser = clap::value_parser!(u32).range(1..=10000))]
    pub working_days: u32,
    /// Tell the people whose days moved: for each rotation whose days in
    /// the next 8 weeks change, post one message to its Slack webhook
    /// (rotation.yaml's slack.webhook_env) naming each of them with their
    /// days before and after. A change that moves nobody posts nothing.
    #[arg(long)]
    pub slack: bool,
    /// With --slack: post at most once for this commit (the change that
    /// landed), however often the run repeats: claims the ref
    /// refs/oncall/moved/COMMIT/ROTATION on GitHub before posting
    /// (GITHUB_TOKEN with contents: write, GITHUB_REPOSITORY); a claim
    /// that exists posts nothing.
    #[arg(long, value_name = "COMMIT", requires = "slack")]
    pub once_for: Option<String>,
    /// With --slack: the environment variable with the webhook's URL, for
    /// every rotation told, whatever its rotation.yaml names (SLACK_WEBHOOK…;
    /// a job's own webhook, with --rotation).
    #[arg(long, value_name = "VAR", value_parser = parse_webhook_env, requires = "slack")]
    pub webhook_env: Option<String>,
}

/// `oncall schema`.
#[derive(Debug, Clone, Args)]
pub struct SchemaArgs {
    /// The schema of a shared holiday calendar (`- include:`).
    #[arg(long)]
    pub calendar: bool,
}

/// `oncall init`.
#[derive(Debug, Clone, Args)]
pub struct InitArgs {
    /// The team's name.
    #[arg(long, value_name = "NAME")]
    pub team: Option<String>,
    /// The team's IANA time zone. Default: this machine's.
    #[arg(long, value_name = "ZONE")]
    pub timezone: Option<String>,
    /// A member, in rotation order: their GitHub login, and optionally
    /// their Slack member ID (repeat for each member).
    #[arg(long = "member", value_name = "LOGIN[:SLACK_ID]")]
    pub members: Vec<String>,
    /// The rotation's first day. Default: the next working day.
    #[arg(long, value_parser = parse_date, value_name = "DATE")]
    pub start: Option<NaiveDate>,
    /// A shared holiday calendar the rotation includes, as a path in the
    /// repository (e.g. calendars/berlin.yaml); one that does not exist is
    /// written with no holidays (`oncall holidays import` fills it).
    #[arg(long, value_name = "PATH")]
    pub calendar: Option<PathBuf>,
    /// Write only the workflows (for an existing or imported rotation.yaml).
    #[arg(long, conflicts_with_all = ["team", "timezone", "members", "start", "calendar"])]
    pub workflows_only: bool,
    /// The action the workflows use, as `OWNER/NAME@REF`. Default: the
    /// release of this binary, pinned to the commit its tag points at
    /// (looked up on GitHub; the tag itself when that fails).
    #[arg(long, value_name = "OWNER/NAME@REF")]
    pub action: Option<String>,
    /// Overwrite files that exist.
    #[arg(long)]
    pub force: bool,
}

/// `oncall import`.
#[derive(Debug, Clone, Args)]
pub struct ImportArgs {
    #[command(subcommand)]
    pub from: ImportFrom,
}

/// The tools `oncall import` reads.
#[derive(Debug, Clone, Subcommand)]
pub enum ImportFrom {
    /// The Operate First slack-first bot's config: the switch day is the
    /// rotation's first day, the member the bot names then is on call that
    /// day, and the first cycle follows the bot's order from them. On a
    /// terminal, it asks for what the flags do not say.
    SlackFirst {
        /// The bot's config file (SLACK_BOT_CONFIG).
        #[arg(value_name = "CONFIG")]
        bot_config: PathBuf,
        /// The bot's separate members file (ON_CALL_MEMBERS_CONFIG), when
        /// `onCall.members` is not in CONFIG.
        #[arg(long, value_name = "FILE")]
        members: Option<PathBuf>,
        /// The team's name. Default: "On-call rotation".
        #[arg(long, value_name = "NAME")]
        team: Option<String>,
        /// The team's IANA time zone. Default: this machine's.
        #[arg(long, value_name = "ZONE")]
        timezone: Option<String>,
        /// The day the team switches to oncall (the rotation's first day;
        /// it may be ahead). Default: today.
        #[arg(long, value_parser = parse_date, value_name = "DATE")]
        date: Option<NaiveDate>,
        /// Overwrite rotation.yaml and the log if they exist.
        #[arg(long)]
        force: bool,
    },
}

/// Output formats of `oncall stats`, `open` and `runbooks`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum TableFormat {
    Text,
    Json,
    Markdown,
}

impl From<TableFormat> for Format {
    fn from(f: TableFormat) -> Format {
        match f {
            TableFormat::Text => Format::Text,
            TableFormat::Json => Format::Json,
            TableFormat::Markdown => Format::Markdown,
        }
    }
}

/// Output formats of `oncall list`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ListFormat {
    Text,
    Json,
}

/// Output formats of `oncall schedule`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ScheduleFormat {
    Text,
    Json,
    Markdown,
    /// An iCalendar (RFC 5545) feed.
    Ics,
}

impl ScheduleFormat {
    /// The table format, or `None` for the calendar feed.
    pub fn table(self) -> Option<Format> {
        match self {
            ScheduleFormat::Text => Some(Format::Text),
            ScheduleFormat::Json => Some(Format::Json),
            ScheduleFormat::Markdown => Some(Format::Markdown),
            ScheduleFormat::Ics => None,
        }
    }
}

/// Output formats of `oncall check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum CheckFormat {
    Text,
    /// GitHub Actions annotations (`::error file=…,line=…,col=…::…`).
    Github,
}

/// A webhook's variable name: SLACK_WEBHOOK, then capital letters, digits or _.
pub fn parse_webhook_env(s: &str) -> Result<String, String> {
    match oncall_core::config::validate::is_webhook_env(s) {
        true => Ok(s.to_owned()),
        false => Err(format!(
            "{s:?} is not a webhook's variable: SLACK_WEBHOOK followed by capital letters, digits or _"
        )),
    }
}

/// A date argument, exactly YYYY-MM-DD.
pub fn parse_date(s: &str) -> Result<NaiveDate, String> {
    oncall_core::config::parse_date(s)
        .ok_or_else(|| format!("{s:?} is not a date: write YYYY-MM-DD, e.g. 2026-11-27"))
}
