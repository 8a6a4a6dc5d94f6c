//! Deciding the handover pull request (pure): from what GitHub holds and
//! today's date, the files to commit, the pull request's title and body,
//! and the requests to make.

mod body;
pub mod remote;

pub use self::body::{body, takeover_title, title};

use self::remote::{Commit, Remote};
use crate::config;
use crate::daily::{self, Daily, DayPlan};
use crate::diag::InvalidInput;
use crate::escape::markdown;
use crate::files::EditError;
use crate::log::{self, Log};
use crate::render;
use chrono::{NaiveDate, NaiveTime};

/// The trailer that marks the bot's commits.
pub const TRAILER: &str = "Oncall-Handover:";
/// The trailer recording the part of the log the bot took from the base.
pub const LOG_BASE_TRAILER: &str = "Oncall-Log-Base:";
/// The trailer of a takeover's commit (R13): `DATE N LOGIN`, the day's
/// Nth takeover, to LOGIN.
pub const TAKEOVER_TRAILER: &str = "Oncall-Takeover:";
/// The hidden line of the PR comment about a foreign change.
pub const FOREIGN_MARKER: &str = "<!-- oncall: branch changed by hand -->";

/// How many of the next working days the pull request shows.
pub const UPCOMING: u32 = 5;

/// Where things are.
#[derive(Debug, Clone)]
pub struct Paths {
    pub config: String,
    pub log: String,
    pub branch: String,
    pub label: String,
    /// e.g. https://github.com/OWNER/NAME
    pub web_repo: String,
}

impl Paths {
    /// The directory of the log's yearly archives (`log/` beside the log).
    pub fn archive_dir(&self) -> String {
        self.beside_log(crate::archive::DIR)
    }

    /// A path beside the log (an archive, `log/2026.md`) in the repository.
    pub fn beside_log(&self, path: &str) -> String {
        match self.log.rsplit_once('/') {
            Some((dir, _)) => format!("{dir}/{path}"),
            None => path.to_owned(),
        }
    }
}

/// How the branch must move.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BranchMove {
    /// The branch has what it should.
    Keep,
    /// Create the branch at the base head, then commit.
    Create { at: String },
    /// Commit on top of the branch head (compare-and-swap).
    OnTop { head: String },
    /// Move the branch to the base head (compare-and-swap on its old head),
    /// then commit: the base moved on since the branch was made.
    Rebuild { from: String, to: String },
}

/// What a run does on GitHub.
#[derive(Debug, Clone, PartialEq)]
pub struct Decision {
    pub date: NaiveDate,
    /// The day's plan (`daily`), as the base branch's files give it.
    pub day: Box<DayPlan>,
    pub branch: BranchMove,
    /// (rotation.yaml, oncall-log.md) to commit.
    pub files: Option<(String, String)>,
    /// The yearly archives committed with them, as (path in the
    /// repository, text): at the first handover of a year with
    /// `log.archive: yearly`, else none.
    pub archives: Vec<(String, String)>,
    pub commit_message: String,
    pub title: String,
    pub body: String,
    /// Create the PR (None) or update the PR with this id.
    pub pr_id: Option<String>,
    pub update_title: bool,
    pub update_body: bool,
    pub add_label: bool,
    /// Logins to ask for a review that were not asked yet.
    pub reviewers: Vec<String>,
    /// The line of today's section in the committed log.
    pub log_line: Option<u32>,
    /// The day's handover is announced by this branch's runs: false when
    /// the base has the day's section (its pull request was merged; only
    /// a takeover is left to announce).
    pub announce_handover: bool,
    /// The Slack claim points at a commit of this branch that hands `date`
    /// over (or takes it over): a run claimed the day's handover post, and
    /// a post that failed would have given the claim back. Counted as
    /// announced when the pull request's body lost the record (its update
    /// failed), so that a later commit does not post the handover again.
    pub handover_claimed: bool,
    /// The same for the day's takeover: the claim points at this
    /// takeover's commit (its [`TAKEOVER_TRAILER`]).
    pub takeover_claimed: bool,
}

impl Decision {
    /// Nothing to write on GitHub.
    pub fn is_noop(&self) -> bool {
        self.branch == BranchMove::Keep
            && self.pr_id.is_some()
            && !self.update_title
            && !self.update_body
            && !self.add_label
            && self.reviewers.is_empty()
    }
}

/// Why no decision can be made.
#[derive(Debug)]
pub enum Refusal {
    /// Nothing to hand over today (not a working day, before start, done).
    Nothing(crate::daily::NoHandover),
    /// Someone changed the branch beyond the log's day sections.
    Foreign {
        reason: String,
        pr: Option<(String, String)>,
        commented: bool,
    },
    Invalid(InvalidInput),
    Edit(EditError),
    Missing(String),
}

use crate::escape::fingerprint;

fn trailer<'a>(message: &'a str, key: &str) -> Option<&'a str> {
    message
        .lines()
        .find_map(|l| l.strip_prefix(key))
        .map(str::trim)
}

/// The newest commit the bot made, if any, among the branch's recent ones.
fn last_bot_commit(history: &[Commit]) -> Option<&Commit> {
    history
        .iter()
        .find(|c| trailer(&c.message, TRAILER).is_some())
}

/// Checks that commits after the bot's last one changed nothing but the
/// day sections of the log. Returns why not, if they did.
fn foreign_change(remote: &Remote, paths: &Paths, branch_log: &str) -> Option<String> {
    let head = &remote.history.first()?.oid;
    let Some(bot) = last_bot_commit(&remote.history) else {
        return Some("the branch has commits that oncall did not make".into());
    };
    if &bot.oid == head {
        return None;
    }
    let latest = &remote.history[0];
    if latest.rotation_oid != bot.rotation_oid {
        return Some(format!("{} was changed on the branch", paths.config));
    }
    let top = |p: &str| p.split('/').next().unwrap_or(p).to_owned();
    let ours = [top(&paths.config), top(&paths.log)];
    let others = |c: &Commit| -> Vec<(String, String)> {
        c.tree
            .iter()
            .filter(|(n, _)| !ours.contains(n))
            .cloned()
            .collect()
    };
    if others(latest) != others(bot) {
        return Some("files other than the rotation and the log were changed on the branch".into());
    }
    let base_part = trailer(&bot.message, LOG_BASE_TRAILER)?;
    let (len, hash) = base_part.split_once(':')?;
    let len: usize = len.parse().ok()?;
    let intact = branch_log
        .get(..len)
        .is_some_and(|prefix| fingerprint(prefix) == hash);
    if !intact {
        return Some(format!(
            "{} was changed outside the day sections added on the branch",
            paths.log
        ));
    }
    None
}

/// The day sections of `branch_log` whose dates `base` does not have,
/// verbatim, oldest first.
fn branch_only_sections(base: &Log, branch_log: &str, branch: &Log) -> Vec<String> {
    let lines: Vec<&str> = branch_log.split_inclusive('\n').collect();
    let mut out = Vec::new();
    for (i, r) in branch.records.iter().enumerate() {
        if base.has(r.date) || base.last_date().is_some_and(|d| r.date < d) {
            continue;
        }
        let start = r.line as usize - 1;
        let end = branch
            .records
            .get(i + 1)
            .map_or(lines.len(), |n| n.line as usize - 1);
        let mut section: String = lines[start..end].concat();
        while section.ends_with("\n\n") {
            section.pop();
        }
        if !section.ends_with('\n') {
            section.push('\n');
        }
        out.push(section);
    }
    out
}

/// The base's log with its last section as the branch has it, when the
/// branch only appended takeover notes to that section (R13: the
/// takeover of a day merged already); None otherwise (anything else the
/// branch holds of the base's sections is the base's to say).
fn extended_last_section(
    base: &Log,
    base_text: &str,
    branch: &Log,
    branch_text: &str,
) -> Option<String> {
    let last = base.last_date()?;
    let (start, ours) = log::section_text(base, base_text, last)?;
    let (_, theirs) = log::section_text(branch, branch_text, last)?;
    let (ours, theirs) = (ours.trim_end(), theirs.trim_end());
    let added = theirs.strip_prefix(ours).filter(|a| !a.is_empty())?;
    if !added
        .lines()
        .all(|l| l.trim().is_empty() || crate::log_format::is_takeover_note(l))
    {
        return None;
    }
    Some(format!("{}{theirs}\n", &base_text[..start]))
}

/// Decides the handover for `date` from what GitHub holds. `at`: the
/// run's time of day in the team's time zone (a takeover's note says it).
pub fn decide(
    remote: &Remote,
    paths: &Paths,
    date: NaiveDate,
    at: NaiveTime,
) -> Result<Decision, Refusal> {
    let base = remote
        .base
        .as_ref()
        .ok_or_else(|| Refusal::Missing("the base branch does not exist".into()))?;
    let base_label = |p: &str| format!("{p} (on {})", base.name);
    let rotation_text = base
        .rotation
        .as_ref()
        .and_then(|f| f.text.clone())
        .ok_or_else(|| Refusal::Missing(format!("{} is not on {}", paths.config, base.name)))?;
    let base_log_text = base
        .log
        .as_ref()
        .and_then(|f| f.text.clone())
        .unwrap_or_default();
    let (rot, _) = config::load_from(
        &base_label(&paths.config),
        &paths.config,
        &rotation_text,
        &mut remote.calendars(),
    )
    .map_err(Refusal::Invalid)?;
    // A catch-up of more than a year is refused (R9).
    crate::lint::refuse_catch_up(&base_label(&paths.config), &rot, date)
        .map_err(Refusal::Invalid)?;
    let base_log = log::parse(&base_label(&paths.log), &base_log_text).map_err(Refusal::Invalid)?;

    // The branch: refuse if a person changed more than the day sections.
    let branch_log_text = remote
        .branch
        .as_ref()
        .and_then(|b| b.log.as_ref())
        .and_then(|f| f.text.clone());
    let mut merged_log = base_log_text.clone();
    if remote.branch.is_some() {
        // Checked whenever the branch exists, with or without a log on it.
        let text = branch_log_text.as_deref().unwrap_or("");
        if let Some(reason) = foreign_change(remote, paths, text) {
            let pr = remote.pr.as_ref().map(|p| (p.id.clone(), p.url.clone()));
            let commented = remote
                .pr
                .as_ref()
                .is_some_and(|p| p.comments.iter().any(|c| c.contains(FOREIGN_MARKER)));
            return Err(Refusal::Foreign {
                reason,
                pr,
                commented,
            });
        }
        let branch_log = log::parse(&format!("{} (on {})", paths.log, paths.branch), text)
            .map_err(Refusal::Invalid)?;
        let sections = branch_only_sections(&base_log, text, &branch_log);
        if merged_log.trim().is_empty() && !sections.is_empty() {
            merged_log = render::header(&rot);
        }
        for section in &sections {
            log::append(&mut merged_log, section);
        }
        // The base's last section, as the branch extends it: a takeover
        // of a day merged already is a note appended to it (R13), kept
        // as the branch has it so that a rerun does not write it again.
        if let Some(extended) = sections
            .is_empty()
            .then(|| extended_last_section(&base_log, &base_log_text, &branch_log, text))
            .flatten()
        {
            merged_log = extended;
        }
    }
    let mut merged = log::parse(&paths.log, &merged_log).map_err(Refusal::Invalid)?;
    // The archives are not read: the handover needs the last sections and
    // the open items, which the log holds. Their names are, so that a move
    // never overwrites one.
    merged.archives = base.archives.iter().map(|y| (*y, None)).collect();
    let day = match daily::plan(&rot, &rotation_text, &merged, &merged_log, date, at)
        .map_err(Refusal::Edit)?
    {
        Daily::Nothing(why) => return Err(Refusal::Nothing(why)),
        // Handed over, and merged (a takeover too): nothing to write.
        Daily::Day(day) if !day.writes() => {
            return Err(Refusal::Nothing(daily::NoHandover::AlreadyDone { date }));
        }
        Daily::Day(day) => day,
    };
    let new = day
        .files
        .clone()
        .expect("a day this run writes has its files");
    let files = (new.rotation_text, new.log_text);
    let archives: Vec<(String, String)> = new
        .archives
        .into_iter()
        .map(|(p, text)| (paths.beside_log(&p), text))
        .collect();
    let (new_rot, today, missed) = (&day.after, &day.handover, &day.missed);
    let log_line = log::parse(&paths.log, &files.1)
        .ok()
        .and_then(|l| l.record(date).map(|r| r.line));

    // The branch: keep, commit on top, rebuild on the base head, or create.
    let branch_files = remote.branch.as_ref().map(|b| {
        (
            b.rotation.as_ref().and_then(|f| f.text.clone()),
            b.log.as_ref().and_then(|f| f.text.clone()),
        )
    });
    let on_base =
        last_bot_commit(&remote.history).is_some_and(|c| c.parents.first() == Some(&base.head));
    let branch = match &remote.branch {
        None => BranchMove::Create {
            at: base.head.clone(),
        },
        Some(b) if !on_base => BranchMove::Rebuild {
            from: b.head.clone(),
            to: base.head.clone(),
        },
        Some(_) if branch_files == Some((Some(files.0.clone()), Some(files.1.clone()))) => {
            BranchMove::Keep
        }
        Some(b) => BranchMove::OnTop {
            head: b.head.clone(),
        },
    };

    let takeover = day.takeover.as_ref();
    let title = match takeover {
        Some(t) => takeover_title(t),
        None => title(today),
    };
    let mut body = body(new_rot, paths, today, missed, log_line, &files.1, takeover);
    if !archives.is_empty() {
        let moved: Vec<String> = archives
            .iter()
            .map(|(p, _)| format!("`{}`", p.replace('`', "")))
            .collect();
        body.push_str(&format!(
            "\n**Yearly archive** (`log.archive: yearly`): this commit moves the finished year's day sections to {}; what was still open is carried to the top of the log.\n",
            moved.join(", ")
        ));
    }
    let pr = remote.pr.as_ref();
    // The engineer on call and the one who handed over; after a takeover,
    // the one taken over from too.
    let wanted: Vec<String> = [
        today.day.on_call.clone(),
        today.previous.clone(),
        takeover.and_then(|t| t.from.clone()),
    ]
    .into_iter()
    .flatten()
    .collect();
    let mut reviewers: Vec<String> = Vec::new();
    for login in wanted {
        let asked = pr.is_some_and(|p| p.reviewers.iter().any(|r| r.eq_ignore_ascii_case(&login)));
        if !asked && !reviewers.contains(&login) {
            reviewers.push(login);
        }
    }
    let body_base = crate::log_format::without_slack_markers;
    let update_body = pr.is_some_and(|p| body_base(&p.body).trim_end() != body.trim_end());
    // A new body keeps the day's Slack records (the handover's, a
    // takeover's): the day is still announced once.
    if let Some(p) = pr.filter(|_| update_body) {
        let kept = crate::log_format::pr_markers_of(&p.body, date);
        if !kept.is_empty() {
            body = format!("{}\n\n{}\n", body.trim_end(), kept.join("\n"));
        }
    }
    let mut message = match takeover {
        Some(_) => format!("On-call takeover {date}"),
        None => format!("On-call handover {date}"),
    };
    message = commit_message(&message, date, base_part(&files.1, &base_log));
    let takeover_trailer = takeover.map(|t| format!("{date} {} {}", t.nth, t.to));
    if let Some(t) = &takeover_trailer {
        message.push_str(&format!("{TAKEOVER_TRAILER} {t}\n"));
    }
    // Where the Slack claim points, if it is a commit of this branch: a
    // run claimed that commit's posts (a post that failed gives the claim
    // back), so they count as made when the body lost their record.
    let claimed = remote
        .history
        .iter()
        .find(|c| remote.slack_claim.as_deref() == Some(c.oid.as_str()));
    Ok(Decision {
        date,
        // Announced on the day it was handed over on this branch; a day
        // merged already was announced then (only a takeover is new).
        announce_handover: !base_log.has(date),
        handover_claimed: claimed
            .is_some_and(|c| trailer(&c.message, TRAILER) == Some(date.to_string().as_str())),
        takeover_claimed: claimed.is_some_and(|c| {
            takeover_trailer.is_some()
                && trailer(&c.message, TAKEOVER_TRAILER) == takeover_trailer.as_deref()
        }),
        day,
        commit_message: message,
        update_title: pr.is_some_and(|p| p.title != title),
        update_body,
        add_label: pr.is_none_or(|p| !p.labels.iter().any(|l| l == &paths.label)),
        pr_id: pr.map(|p| p.id.clone()),
        title,
        body,
        branch,
        files: Some(files),
        archives,
        reviewers,
        log_line,
    })
}

/// The part of the committed log that people must not change on the
/// branch: everything before the first day section the base does not have
/// (the base's log, or the header the bot wrote for a new log).
fn base_part<'a>(committed: &'a str, base: &Log) -> &'a str {
    let Ok(parsed) = log::parse("", committed) else {
        return committed;
    };
    match parsed.records.iter().find(|r| !base.has(r.date)) {
        None => committed,
        Some(r) => {
            let offset: usize = committed
                .split_inclusive('\n')
                .take(r.line as usize - 1)
                .map(str::len)
                .sum();
            &committed[..offset]
        }
    }
}

/// The one comment on a pull request whose branch a person changed:
/// Markdown, every value escaped (names cannot mention or reference).
pub fn foreign_comment(reason: &str, branch: &str) -> String {
    format!(
        "{FOREIGN_MARKER}\nSomeone changed this branch beyond the log's day sections ({}), so oncall leaves it alone: it never overwrites a person's work. Merge or close this pull request (or delete the branch `{}`); the next run then starts a new handover.",
        markdown(reason),
        branch.replace('`', "")
    )
}

/// The bot's commit message, with the trailers that let the next run
/// recognise its commit and check the log's base part.
pub fn commit_message(headline: &str, date: NaiveDate, base_log: &str) -> String {
    format!(
        "{headline}\n\n{TRAILER} {date}\n{LOG_BASE_TRAILER} {}:{}\n",
        base_log.len(),
        fingerprint(base_log)
    )
}
