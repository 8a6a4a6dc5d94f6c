//! `oncall open` and `oncall runbooks`: the open threads and the runbook
//! debt the engineers wrote under their days' `### Topics` (read by
//! `log::parse`), with their age. Pure: the log and today in, text out.

use crate::config::Rotation;
use crate::escape::terminal;
use crate::log::{Log, Topic};
use crate::schedule::Format;
use chrono::NaiveDate;
use serde::Serialize;

/// An item with its age.
#[derive(Debug, Serialize)]
pub struct Aged<'a> {
    #[serde(flatten)]
    pub topic: &'a Topic,
    /// Calendar days since the day it was written.
    pub age_days: i64,
}

fn aged(items: Vec<&Topic>, today: NaiveDate) -> Vec<Aged<'_>> {
    items
        .into_iter()
        .map(|topic| Aged {
            topic,
            age_days: (today - topic.date).num_days().max(0),
        })
        .collect()
}

fn by(rot: &Rotation, t: &Topic, md: bool) -> String {
    match (&t.by, md) {
        (Some(g), true) => crate::render::person(rot, g),
        (Some(g), false) => terminal(&rot.label(g)),
        (None, _) => "nobody (uncovered)".to_owned(),
    }
}

fn list(rot: &Rotation, title: &str, items: &[Aged], format: Format, out: &mut String) {
    match format {
        Format::Markdown => {
            out.push_str(&format!("**{title} ({})**\n\n", items.len()));
            if items.is_empty() {
                out.push_str("None.\n\n");
                return;
            }
            out.push_str("| day | age | logged by | item | line |\n|---|---:|---|---|---:|\n");
            for a in items {
                out.push_str(&format!(
                    "| {} | {} d | {} | {} | {} |\n",
                    a.topic.date,
                    a.age_days,
                    by(rot, a.topic, true),
                    // As written, links intact (`carry`); `|` would end the cell.
                    crate::carry::markdown(a.topic.shown()).replace('|', "\\|"),
                    match &a.topic.file {
                        Some(f) => format!("{}:{}", crate::escape::markdown(f), a.topic.line),
                        None => a.topic.line.to_string(),
                    }
                ));
            }
            out.push('\n');
        }
        _ => {
            out.push_str(&format!("{title} ({}), oldest first:\n", items.len()));
            for a in items {
                out.push_str(&format!(
                    "  {}  {:>4} d  {}  {}  ({})\n",
                    a.topic.date,
                    a.age_days,
                    by(rot, a.topic, false),
                    terminal(a.topic.shown()),
                    match &a.topic.file {
                        Some(f) => format!("{} line {}", terminal(f), a.topic.line),
                        None => format!("log line {}", a.topic.line),
                    }
                ));
            }
        }
    }
}

/// `oncall open`: the open threads, oldest first.
pub fn open(rot: &Rotation, log: &Log, today: NaiveDate, format: Format) -> String {
    let tomorrow = today.succ_opt().unwrap_or(today);
    let items = aged(log.open_threads(tomorrow), today);
    if format == Format::Json {
        return json(&serde_json::json!({ "open_threads": items }));
    }
    let mut s = String::new();
    list(rot, "Open threads", &items, format, &mut s);
    s
}

/// `oncall runbooks`: the runbook debt, open and paid.
pub fn runbooks(rot: &Rotation, log: &Log, today: NaiveDate, format: Format) -> String {
    let tomorrow = today.succ_opt().unwrap_or(today);
    let open = aged(log.runbook_debt(tomorrow), today);
    let paid = aged(
        log.topics
            .iter()
            .filter(|t| t.runbook && t.done && t.date <= today)
            .collect(),
        today,
    );
    if format == Format::Json {
        return json(&serde_json::json!({ "open": open, "paid": paid }));
    }
    let mut s = String::new();
    list(rot, "Runbooks still to write", &open, format, &mut s);
    if format == Format::Text {
        s.push('\n');
    }
    list(rot, "Runbooks written", &paid, format, &mut s);
    s
}

fn json(v: &serde_json::Value) -> String {
    crate::escape::json_pretty(v)
}
