//! The schedule page (`oncall site --out DIR`): one static HTML page with a
//! month view (today, holidays, time off, overrides, substitutes and
//! uncovered days marked and explained), the current cycle's checklist,
//! the fairness table and links to the calendar feeds; and the feeds
//! themselves. No JavaScript; a list instead of a grid on a phone. Pure:
//! every text comes from rotation.yaml and the log, escaped for HTML.

use crate::config::Rotation;
use crate::day::{self, OnDay, Row};
use crate::escape::html;
use crate::feed;
use crate::log::Log;
use crate::rotation::Why;
use crate::stats;
use chrono::{DateTime, Datelike, Days, Months, NaiveDate, Utc};

/// The files of the site: (name, content).
pub struct Site {
    pub files: Vec<(String, String)>,
}

/// A member's feed file name: the login is letters, digits and hyphens.
pub fn member_feed(login: &str) -> String {
    format!("oncall-{login}.ics")
}

pub(crate) const STYLE: &str = r#"
:root { --ink: #1b1f24; --muted: #4a5560; --line: #c9d1d9; --bg: #ffffff;
  --today: #0b57d0; --holiday-bg: #e6eefb; --override-bg: #fff1c2; --override-ink: #4d3800;
  --sub-bg: #e7f5ec; --sub-ink: #114a26; --unc-bg: #fde0df; --unc-ink: #7a1010; --off-bg: #f3f4f6; }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: var(--bg); overflow-wrap: break-word; }
header, main, footer { max-width: 72rem; margin: 0 auto; padding: 0 1rem; }
header { padding-top: 1.25rem; }
h1 { font-size: 1.6rem; margin: 0 0 .5rem; }
h2 { font-size: 1.25rem; margin: 1.75rem 0 .75rem; }
.now { font-size: 1.15rem; margin: .25rem 0; }
.now strong { color: var(--today); }
.legend { display: flex; flex-wrap: wrap; gap: .5rem 1rem; padding: 0; margin: 0 0 .75rem; list-style: none; font-size: .9rem; color: var(--muted); }
.legend li::before { content: ""; display: inline-block; width: .9rem; height: .9rem; margin-right: .35rem; vertical-align: -.1rem; border: 1px solid var(--line); }
.legend .k-today::before { border: 3px solid var(--today); }
.legend .k-holiday::before { background: var(--holiday-bg); }
.legend .k-override::before { background: var(--override-bg); }
.legend .k-substitute::before { background: var(--sub-bg); }
.legend .k-uncovered::before { background: var(--unc-bg); }
.month { display: grid; grid-template-columns: repeat(7, minmax(0, 1fr)); gap: 4px; padding: 0; margin: 0; list-style: none; }
.month .wd { font-size: .8rem; font-weight: 600; color: var(--muted); text-align: center; }
.day { min-height: 5.5rem; border: 1px solid var(--line); border-radius: 6px; padding: .3rem .4rem; overflow-wrap: anywhere; }
.day .date { display: block; font-size: .8rem; color: var(--muted); }
.day .who { display: block; font-weight: 600; }
.day .note { display: block; font-size: .8rem; }
.day.blank { border: none; }
.day.off, .day.before-start { background: var(--off-bg); color: var(--muted); }
.day.holiday { background: var(--holiday-bg); }
.day.override { background: var(--override-bg); color: var(--override-ink); }
.day.substitute { background: var(--sub-bg); color: var(--sub-ink); }
.day.uncovered { background: var(--unc-bg); color: var(--unc-ink); }
.day.today { border: 3px solid var(--today); }
.day .date .wdn { display: none; }
.login { font-weight: 400; font-size: .85em; color: var(--muted); }
.now .login { color: var(--today); }
.checklist { padding-left: 0; list-style: none; }
.checklist li { margin: .2rem 0; }
table { border-collapse: collapse; width: 100%; font-size: .95rem; }
th, td { border-bottom: 1px solid var(--line); padding: .3rem .4rem; text-align: right; }
th:first-child, td:first-child { text-align: left; }
td:first-child { overflow-wrap: anywhere; }
.scroll { overflow-x: auto; }
a { color: #0a4fc2; }
footer { color: var(--muted); font-size: .85rem; padding-bottom: 2rem; }
@media (max-width: 40rem) {
  .month { display: block; }
  .month .wd, .day.blank, .day.off, .day.before-start { display: none; }
  .day { min-height: 0; margin-bottom: 4px; }
  .day .date .wdn { display: inline; }
  .hide-narrow { display: none; }
}
"#;

/// A person: name, and the login in a smaller type.
pub(crate) fn person(rot: &Rotation, g: &str) -> String {
    let name = rot.display(g);
    if name == g {
        format!("@{}", html(g))
    } else {
        format!("{} <span class=\"login\">@{}</span>", html(name), html(g))
    }
}

/// Who is away on `d` (the reasons of time off are private).
fn away_on(rot: &Rotation, d: NaiveDate) -> Vec<String> {
    rot.members
        .iter()
        .filter(|m| m.is_away(d))
        .map(|m| m.display().to_owned())
        .collect()
}

/// One day's cell: its classes, the person, and the explanation (shown,
/// and as the cell's title for a hover).
fn cell(rot: &Rotation, log: &Log, d: NaiveDate, today: NaiveDate) -> String {
    let mut classes = vec!["day"];
    let mut who = String::new();
    let mut notes: Vec<String> = Vec::new();
    match day::on(rot, log, d) {
        OnDay::BeforeStart { start } => {
            classes.push("before-start");
            // Said once, in the title: a month of the same note is noise.
            return format!(
                "<li class=\"day before-start\" title=\"{}\"><span class=\"date\"><span class=\"wdn\">{} </span>{}</span></li>\n",
                html(&format!("Before the rotation starts on {start}.")),
                d.format("%a"),
                d.format("%-d %b")
            );
        }
        OnDay::Off {
            holiday: Some(name),
        } => {
            classes.push("holiday");
            who = "Holiday".to_owned();
            notes.push(match name {
                Some(n) => format!("Holiday: {n}. Nobody is on call."),
                None => "Holiday. Nobody is on call.".to_owned(),
            });
        }
        OnDay::Off { holiday: None } => {
            classes.push("off");
            notes.push("Not a working day.".to_owned());
        }
        OnDay::NoRecord => {
            classes.push("past");
            notes.push("Handed over; the log has no section for this day.".to_owned());
        }
        OnDay::Working(row) => {
            let Row {
                github,
                why,
                reason,
                replaces,
                substitute_for,
                past,
                ..
            } = &row;
            if *past {
                classes.push("past");
            }
            match github {
                Some(g) => who = person(rot, g),
                None => who = "Uncovered".to_owned(),
            }
            match why {
                Why::Override => {
                    classes.push("override");
                    let mut n = String::from("Override");
                    if let Some(r) = replaces {
                        n.push_str(&format!(", in place of {}", rot.display(r)));
                    }
                    match reason {
                        Some(r) => n.push_str(&format!(": {r}")),
                        None => n.push('.'),
                    }
                    notes.push(n);
                }
                Why::Substitute => {
                    classes.push("substitute");
                    let names: Vec<&str> = substitute_for.iter().map(|g| rot.display(g)).collect();
                    notes.push(if names.is_empty() {
                        "Substitute for a member who is away.".to_owned()
                    } else {
                        format!("Substitute for {} (away).", names.join(", "))
                    });
                }
                Why::Uncovered => {
                    classes.push("uncovered");
                    notes.push(
                        "Uncovered: everyone is away. Whoever is off call watches the support channels."
                            .to_owned(),
                    );
                }
                Why::Rotation => classes.push("rotation"),
            }
            if !row.lost_turn.is_empty() {
                let names: Vec<&str> = row.lost_turn.iter().map(|g| rot.display(g)).collect();
                notes.push(format!(
                    "{} lost a turn (away until the cycle ended).",
                    names.join(", ")
                ));
            }
        }
    }
    // Who is away, but not again for a substitute's day (said above) or an
    // uncovered one (everyone).
    let away = away_on(rot, d);
    if !away.is_empty()
        && !classes
            .iter()
            .any(|c| ["off", "substitute", "uncovered"].contains(c))
    {
        notes.push(format!("Away: {}.", away.join(", ")));
    }
    if d == today {
        classes.push("today");
        notes.insert(0, "Today.".to_owned());
    }
    let note = notes.join(" ");
    format!(
        "<li class=\"{}\" title=\"{}\"><span class=\"date\"><span class=\"wdn\">{} </span>{}</span><span class=\"who\">{}</span><span class=\"note\">{}</span></li>\n",
        classes.join(" "),
        html(&note),
        d.format("%a"),
        d.format("%-d %b"),
        who,
        html(&note)
    )
}

fn month(rot: &Rotation, log: &Log, first: NaiveDate, today: NaiveDate) -> String {
    let mut s = format!(
        "<section class=\"month-view\" aria-label=\"{}\">\n<h2>{}</h2>\n<ol class=\"month\">\n",
        first.format("%B %Y"),
        first.format("%B %Y")
    );
    for wd in ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"] {
        s.push_str(&format!(
            "<li class=\"wd\" aria-hidden=\"true\">{wd}</li>\n"
        ));
    }
    for _ in 0..first.weekday().num_days_from_monday() {
        s.push_str("<li class=\"day blank\" aria-hidden=\"true\"></li>\n");
    }
    let mut d = first;
    while d.month() == first.month() {
        s.push_str(&cell(rot, log, d, today));
        d = d.succ_opt().expect("a date after");
    }
    s.push_str("</ol>\n</section>\n");
    s
}

fn headline(rot: &Rotation, log: &Log, today: NaiveDate) -> String {
    let date = today.format("%A %Y-%m-%d");
    let now = match day::on(rot, log, today) {
        OnDay::Working(Row {
            github: Some(g), ..
        }) => format!(
            "Today, {date}: <strong>{}</strong> is on call.",
            person(rot, &g)
        ),
        OnDay::Working(_) => {
            format!("Today, {date}: <strong>nobody</strong> is on call (uncovered).")
        }
        OnDay::Off {
            holiday: Some(Some(n)),
        } => format!(
            "Today, {date}, is a holiday ({}): nobody is on call.",
            html(&n)
        ),
        OnDay::Off { .. } => format!("Today, {date}, is not a working day: nobody is on call."),
        OnDay::BeforeStart { start } => format!("The rotation starts on {start}."),
        OnDay::NoRecord => format!("Today, {date}: handed over, not in the log."),
    };
    let next = rot
        .next_working_day(today)
        .and_then(|n| match day::on(rot, log, n) {
            OnDay::Working(Row {
                github: Some(g), ..
            }) => Some(format!(
                "Next: {} on {}.",
                person(rot, &g),
                n.format("%A %Y-%m-%d")
            )),
            _ => None,
        })
        .unwrap_or_default();
    format!("<p class=\"now\" id=\"today\">{now}</p>\n<p>{next}</p>\n")
}

fn checklist(rot: &Rotation) -> String {
    let (cycle, order, served, on_call) = match &rot.state {
        Some(st) => (
            st.cycle,
            st.order.clone(),
            st.served.clone(),
            st.on_call.clone(),
        ),
        None => (
            1,
            rot.members.iter().map(|m| m.github.clone()).collect(),
            Vec::new(),
            None,
        ),
    };
    let mut s = format!(
        "<section id=\"cycle\">\n<h2>Cycle {cycle}</h2>\n<p>Who has had their turn in this cycle (as of the last handover), and who is still due. When everyone has served, the next cycle starts in a new shuffled order.</p>\n<ul class=\"checklist\">\n"
    );
    for g in &order {
        let (mark, what) = if on_call.as_deref() == Some(g.as_str()) {
            ("☑", "on call at the last handover")
        } else if served.contains(g) {
            ("☑", "served")
        } else {
            ("☐", "due")
        };
        s.push_str(&format!(
            "<li>{mark} {} <span class=\"muted\">({what})</span></li>\n",
            person(rot, g)
        ));
    }
    s.push_str("</ul>\n</section>\n");
    s
}

fn fairness(st: &stats::Stats, rot: &Rotation) -> String {
    let mut s = format!(
        "<section id=\"fairness\">\n<h2>Fairness</h2>\n<p>Days on call per member from {} to {} (handed over, then scheduled). <em>Share</em> is the days on call over the working days the member was on the roster; the spread between the highest and the lowest is <strong>{:.3}</strong>.</p>\n<div class=\"scroll\" tabindex=\"0\" role=\"region\" aria-label=\"Fairness: days on call per member\"><table>\n<thead><tr><th>member</th><th>served</th><th>scheduled</th><th class=\"hide-narrow\">by override</th><th class=\"hide-narrow\">as substitute</th><th class=\"hide-narrow\">turns lost</th><th>share</th></tr></thead>\n<tbody>\n",
        st.since, st.until, st.spread
    );
    for m in &st.members {
        s.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td>{}</td><td class=\"hide-narrow\">{}</td><td class=\"hide-narrow\">{}</td><td class=\"hide-narrow\">{}</td><td>{:.3}</td></tr>\n",
            person(rot, &m.github),
            m.served,
            m.scheduled,
            m.overrides,
            m.substitute,
            m.turns_lost,
            m.share
        ));
    }
    s.push_str("</tbody>\n</table></div>\n</section>\n");
    s
}

fn feeds(rot: &Rotation) -> String {
    let mut s = String::from(
        "<section id=\"feeds\">\n<h2>Calendar feeds</h2>\n<p>Subscribe to a feed in your calendar (Google Calendar: Other calendars → From URL; Outlook: Add calendar → Subscribe from web; Apple Calendar: File → New Calendar Subscription) with the link's address. Each on-call day is an all-day event, updated in place when the rotation changes.</p>\n<ul>\n<li><a href=\"oncall.ics\">The whole team</a></li>\n",
    );
    for m in &rot.members {
        s.push_str(&format!(
            "<li><a href=\"{}\">{}</a></li>\n",
            member_feed(&m.github),
            person(rot, &m.github)
        ));
    }
    s.push_str("</ul>\n</section>\n");
    s
}

/// The site for `now`: `index.html`, `oncall.ics` and one feed per member.
/// The page shows this month and the next; the feeds run from 30 days back
/// to a year ahead.
pub fn build(rot: &Rotation, log: &Log, log_text: &str, now: DateTime<Utc>) -> Site {
    let today = crate::calendar::today(rot.timezone, now);
    let first = today.with_day(1).expect("the first of the month");
    let next = first + Months::new(1);
    let since = (today - Days::new(365)).max(rot.start);
    let until = today + Days::new(90);
    let st = stats::compute(rot, log, log_text, since, until);
    let title = format!("On call: {}", rot.team);
    let mut page = format!(
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<link rel=\"alternate\" type=\"text/calendar\" title=\"{}\" href=\"oncall.ics\">\n<style>{STYLE}</style>\n</head>\n<body>\n<header>\n<h1>{}</h1>\n{}</header>\n<main>\n",
        html(&title),
        html(&title),
        html(&title),
        headline(rot, log, today)
    );
    page.push_str("<ul class=\"legend\" aria-label=\"Legend\"><li class=\"k-today\">today</li><li class=\"k-holiday\">holiday</li><li class=\"k-override\">override</li><li class=\"k-substitute\">substitute for someone away</li><li class=\"k-uncovered\">uncovered</li></ul>\n");
    page.push_str(&month(rot, log, first, today));
    page.push_str(&month(rot, log, next, today));
    page.push_str(&checklist(rot));
    page.push_str(&fairness(&st, rot));
    page.push_str(&feeds(rot));
    page.push_str(&format!(
        "</main>\n<footer><p>Made by oncall {} from rotation.yaml and the on-call log at {} UTC. Days before the last handover are read from the log; later days follow the rotation rules and change when the rotation changes.</p></footer>\n</body>\n</html>\n",
        crate::VERSION,
        now.format("%Y-%m-%d %H:%M")
    ));
    let feed_from = (today - Days::new(30)).max(rot.start);
    let rows = day::rows(rot, log, feed_from, 396);
    let mut files = vec![
        ("index.html".to_owned(), page),
        ("oncall.ics".to_owned(), feed::ics(rot, &rows, None, now)),
    ];
    for m in &rot.members {
        files.push((
            member_feed(&m.github),
            feed::ics(rot, &rows, Some(&m.github), now),
        ));
    }
    Site { files }
}
