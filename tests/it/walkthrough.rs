//! Issue 22's walk-through as a fixture (tests/fixtures/walkthrough): a
//! new team of seven in Berlin plays two weeks of daily use, one
//! `oncall advance` every morning from Monday 2027-05-03 to Sunday
//! 2027-05-16, then its schedule JSON, its feed, its page and its stats
//! are checked against the hand count below.
//!
//! The hand count was made from the rules (shared/design/rotation-rules.md)
//! and the fixture alone, not from the tool's output. The team: anna, ben,
//! clara, dave, eva, felix, greta (in this order); holidays on Thursday
//! 05-06 (Ascension Day) and Monday 05-17 (Whit Monday); a swap, Eva on
//! 05-04 and Ben on 05-10; Clara away from Tuesday 05-11 to Tuesday 05-18.
//! n = 7, so R4's w = floor(7/3) = 2. "Substitute" only where the person
//! serving differs from who would have served had Clara not been away
//! (issue 22, bug 4), and then for Clara.
//!
//! | day | on call | why | cycle |
//! |---|---|---|---|
//! | 05-03 Mon | anna | rotation (R3: the file's order) | 1 |
//! | 05-04 Tue | eva | override in place of ben (R6: ben has had his turn, eva keeps hers) | 1 |
//! | 05-05 Wed | clara | rotation | 1 |
//! | 05-06 Thu | - | holiday (R1) | |
//! | 05-07 Fri | dave | rotation | 1 |
//! | 05-10 Mon | ben | override in place of eva (her own turn; R6) | 1 |
//! | 05-11 Tue | felix | rotation: Clara is away but has served, nothing moves | 1 |
//! | 05-12 Wed | greta | rotation, the same; every member has had a turn | 1 |
//! | 05-13 Thu | dave | cycle 2 begins (R3); CYCLE_2[0] = clara is away: substitute for clara (R5) | 2 |
//! | 05-14 Fri | anna | substitute for clara: CYCLE_2[2] = felix is held back (R4: he served one of cycle 1's last two turns), so CYCLE_2[3]; the last handover | 2 |
//! | 05-17 Mon | - | holiday | |
//! | 05-18 Tue | felix | ahead, rotation: clara still away, felix is next (CYCLE_2[2]), and the third turn would have been his had she not been away | 2 |
//! | 05-19 Wed | clara | ahead, rotation: back, she serves her turn (R5) | 2 |
//! | 05-20 Thu | ben | ahead, CYCLE_2[4] | 2 |
//! | 05-21 Fri | greta | ahead, CYCLE_2[5] | 2 |
//!
//! Without the vacation cycle 2 would run clara, dave, felix, anna, ben,
//! greta from 05-13: 05-13 and 05-14 differ (substitutes for Clara),
//! 05-19 differs but is Clara's own turn, 05-18, 05-20 and 05-21 are
//! unchanged. Nobody loses a turn.

use crate::support;

use serde_json::{Value, json};
use support::repo::Repo;
use support::validators;

/// Cycle 2's order: the seeded draw (R4, ChaCha8 from the team's name and
/// the cycle's number), which no hand can compute: taken as given, and
/// asserted once (the state block after 05-13, and the page's checklist).
/// By hand: its first w = 2 places are not felix or greta, who served
/// cycle 1's last two turns. (The team's name was chosen for a draw that
/// puts Clara first and a held-back member third.)
const CYCLE_2: [&str; 7] = [
    "demo-clara",
    "demo-dave",
    "demo-felix",
    "demo-anna",
    "demo-ben",
    "demo-greta",
    "demo-eva",
];

const TEAM: &str = "Cloud Berlin";

#[derive(Clone, Copy)]
enum Why {
    Rotation,
    /// In place of (the member the rotation had), the override's reason.
    Override(&'static str, &'static str),
    /// Stands in for (the away member who was due).
    Substitute(&'static str),
}

struct Day {
    date: &'static str,
    who: &'static str,
    why: Why,
    cycle: u32,
}

const fn day(date: &'static str, who: &'static str, why: Why, cycle: u32) -> Day {
    Day {
        date,
        who,
        why,
        cycle,
    }
}

const SWAP_FOR_BEN: Why = Why::Override("demo-ben", "swap with Ben");
const SWAP_FOR_EVA: Why = Why::Override("demo-eva", "swap with Eva");

/// The hand count: every working day from 05-03 to 05-21. The first nine
/// are handed over by the walk (past), the last four are ahead.
const HAND_COUNT: [Day; 13] = [
    day("2027-05-03", "demo-anna", Why::Rotation, 1),
    day("2027-05-04", "demo-eva", SWAP_FOR_BEN, 1),
    day("2027-05-05", "demo-clara", Why::Rotation, 1),
    day("2027-05-07", "demo-dave", Why::Rotation, 1),
    day("2027-05-10", "demo-ben", SWAP_FOR_EVA, 1),
    day("2027-05-11", "demo-felix", Why::Rotation, 1),
    day("2027-05-12", "demo-greta", Why::Rotation, 1),
    day("2027-05-13", CYCLE_2[1], Why::Substitute("demo-clara"), 2),
    day("2027-05-14", CYCLE_2[3], Why::Substitute("demo-clara"), 2),
    day("2027-05-18", CYCLE_2[2], Why::Rotation, 2),
    day("2027-05-19", CYCLE_2[0], Why::Rotation, 2),
    day("2027-05-20", CYCLE_2[4], Why::Rotation, 2),
    day("2027-05-21", CYCLE_2[5], Why::Rotation, 2),
];

/// How many of [`HAND_COUNT`]'s days the walk hands over.
const PAST: usize = 9;

const HOLIDAYS: [(&str, &str); 2] = [
    ("2027-05-06", "Ascension Day"),
    ("2027-05-17", "Whit Monday"),
];

fn name(login: &str) -> &'static str {
    match login {
        "demo-anna" => "Anna Adler",
        "demo-ben" => "Ben Brandt",
        "demo-clara" => "Clara Weber",
        "demo-dave" => "Dave Dietrich",
        "demo-eva" => "Eva Engel",
        "demo-felix" => "Felix Fischer",
        "demo-greta" => "Greta Graf",
        _ => panic!("{login} is not in the fixture"),
    }
}

/// 07:00 in Berlin (CEST) on 2027-05-`dd`.
fn morning(dd: u32) -> String {
    format!("2027-05-{dd:02}T05:00:00Z")
}

/// Friday 05-14 at noon in Berlin, after the last handover: the weekend's
/// runs that follow change no file, so this is where the team stands.
const FRIDAY: &str = "2027-05-14T10:00:00Z";

fn run(repo: &Repo, now: &str, args: &[&str]) -> String {
    let out = repo
        .oncall()
        .env("ONCALL_NOW", now)
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "oncall {args:?} at {now}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// A temp copy of the fixture, advanced every morning from 05-03 to
/// 05-`last` (calendar days, weekends and holidays included).
fn walk(last: u32) -> Repo {
    let text = std::fs::read_to_string("tests/fixtures/walkthrough/rotation.yaml").unwrap();
    let repo = Repo::with(&text, None);
    for dd in 3..=last {
        let before = repo.files();
        run(&repo, &morning(dd), &["advance"]);
        let date = format!("2027-05-{dd:02}");
        let working = HAND_COUNT.iter().any(|d| d.date == date);
        let after = repo.files();
        if working {
            let heading = format!("## {date} ");
            assert_eq!(
                after.1.matches(&heading).count(),
                1,
                "{date}: one log section\n{}",
                after.1
            );
        } else {
            assert_eq!(
                before, after,
                "{date} is not a working day: nothing changes"
            );
        }
    }
    repo
}

fn state(repo: &Repo) -> oncall_core::config::State {
    let (rot, _) = oncall_core::config::load("rotation.yaml", &repo.read("rotation.yaml"))
        .expect("a valid rotation.yaml after the walk");
    rot.state.expect("a state block")
}

/// The log's section of `date`, from its heading to the next one.
fn section<'a>(log: &'a str, date: &str) -> &'a str {
    let start = log
        .find(&format!("\n## {date} "))
        .unwrap_or_else(|| panic!("no section for {date}"));
    let rest = &log[start + 1..];
    let end = rest[3..].find("\n## ").map_or(rest.len(), |e| e + 4);
    &rest[..end]
}

#[test]
fn the_walk_hands_over_each_working_day_as_counted() {
    // R4 by hand on the given draw: felix and greta served cycle 1's last
    // two turns, so they are not in cycle 2's first two places.
    assert!(!CYCLE_2[..2].contains(&"demo-felix") && !CYCLE_2[..2].contains(&"demo-greta"));
    let repo = walk(13);
    let st = state(&repo);
    assert_eq!(st.cycle, 2);
    assert_eq!(st.order, CYCLE_2, "cycle 2's order (the seeded draw)");
    assert_eq!(st.served, ["demo-dave"], "clara is away: dave serves");
    assert_eq!(st.held_back, ["demo-felix", "demo-greta"], "R4: w = 2");
    let repo = walk(16);
    let st = state(&repo);
    assert_eq!(st.since.to_string(), "2027-05-14");
    assert_eq!(st.on_call.as_deref(), Some("demo-anna"));
    assert_eq!(st.served, ["demo-dave", "demo-anna"]);
    assert!(st.held_back.is_empty(), "{:?}", st.held_back);
    let log = repo.read("oncall-log.md");
    let headings: Vec<&str> = log.lines().filter(|l| l.starts_with("## ")).collect();
    assert_eq!(headings.len(), PAST, "{headings:#?}");
    assert!(section(&log, "2027-05-13").contains("**Cycle 2 begins**"));
    for d in &HAND_COUNT[..PAST] {
        let s = section(&log, d.date);
        let first = s.lines().next().unwrap();
        assert!(first.contains(&format!("`@{}`", d.who)), "{first}");
        match d.why {
            Why::Substitute(away) => assert!(
                s.contains("stands in for") && s.contains(&format!("@{away}")),
                "{s}"
            ),
            Why::Override(replaced, reason) => assert!(
                s.contains(&format!("@{replaced}")) && s.contains(reason),
                "{s}"
            ),
            Why::Rotation => assert!(!s.contains("stands in for"), "{s}"),
        }
    }
}

/// What `schedule --format json` must say of a day: the documented keys,
/// the optional ones only where they apply.
fn expected_row(d: &Day, past: bool) -> Value {
    let mut v = json!({
        "date": d.date,
        "github": d.who,
        "name": name(d.who),
        "why": "rotation",
        "cycle": d.cycle,
        "past": past,
    });
    match d.why {
        Why::Rotation => {}
        Why::Override(replaced, reason) => {
            v["why"] = json!("override");
            v["replaces"] = json!(replaced);
            v["reason"] = json!(reason);
        }
        Why::Substitute(away) => {
            v["why"] = json!("substitute");
            v["substitute_for"] = json!([away]);
        }
    }
    v
}

/// `schedule --format json` from 05-03 to 05-21 at `now`, against the
/// hand count, the first `past` days handed over: what differs.
fn schedule_json(repo: &Repo, now: &str, past: usize) -> Vec<String> {
    let rows: Vec<Value> = serde_json::from_str(&run(
        repo,
        now,
        &"schedule --from 2027-05-03 --days 19 --format json"
            .split(' ')
            .collect::<Vec<_>>(),
    ))
    .unwrap();
    let dates: Vec<&str> = rows.iter().map(|r| r["date"].as_str().unwrap()).collect();
    let counted: Vec<&str> = HAND_COUNT.iter().map(|d| d.date).collect();
    assert_eq!(dates, counted, "one row per working day, none on a holiday");
    let mut wrong = Vec::new();
    for (i, (d, row)) in HAND_COUNT.iter().zip(&rows).enumerate() {
        let want = expected_row(d, i < past);
        if *row != want {
            wrong.push(format!("{}:\n  got  {row}\n  want {want}", d.date));
        }
    }
    wrong
}

#[test]
fn schedule_json_matches_the_hand_count() {
    let repo = walk(16);
    let wrong = schedule_json(&repo, FRIDAY, PAST);
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// R8: what the schedule shows ahead, before the first handover, is what
/// the two weeks of `advance` then do (and the hand count).
#[test]
fn the_schedule_ahead_of_the_walk_is_the_hand_count() {
    let repo = walk(2);
    let wrong = schedule_json(&repo, "2027-05-02T10:00:00Z", 0);
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// Checks a feed's events in 05-03..05-21 against the hand count.
fn check_feed(feed: &str, wrong: &mut Vec<String>, what: &str) {
    let parsed = validators::ics(feed).unwrap();
    let events: Vec<&Value> = parsed["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["start"].as_str().unwrap() <= "2027-05-21")
        .collect();
    let starts: Vec<&str> = events
        .iter()
        .map(|e| e["start"].as_str().unwrap())
        .collect();
    let counted: Vec<&str> = HAND_COUNT.iter().map(|d| d.date).collect();
    assert_eq!(starts, counted, "{what}: one event per working day");
    for (d, ev) in HAND_COUNT.iter().zip(events) {
        let (summary, desc) = (
            ev["summary"].as_str().unwrap(),
            ev["description"].as_str().unwrap(),
        );
        let who = name(d.who);
        let mut want = vec![format!("On call for {TEAM}: {who} (@{}).\n", d.who)];
        let mut not = Vec::new();
        match d.why {
            Why::Rotation => not.extend(["Substitute".to_owned(), "Override".to_owned()]),
            Why::Override(replaced, reason) => {
                want.push(format!(
                    "Override, in place of {} (@{replaced}): {reason}.\n",
                    name(replaced)
                ));
                not.push("Substitute".to_owned());
            }
            Why::Substitute(away) => {
                want.push(format!(
                    "Substitute for {} (@{away}), who is away.\n",
                    name(away)
                ));
                not.push("Override".to_owned());
            }
        }
        if summary != format!("On call: {who} ({TEAM})") {
            wrong.push(format!("{what} {}: SUMMARY {summary:?}", d.date));
        }
        for w in want.iter().filter(|w| !desc.contains(w.as_str())) {
            wrong.push(format!(
                "{what} {}: DESCRIPTION lacks {w:?}: {desc:?}",
                d.date
            ));
        }
        for n in not.iter().filter(|n| desc.contains(n.as_str())) {
            wrong.push(format!(
                "{what} {}: DESCRIPTION has {n:?}: {desc:?}",
                d.date
            ));
        }
    }
}

#[test]
fn the_feed_matches_the_hand_count() {
    let repo = walk(16);
    let feed = run(
        &repo,
        FRIDAY,
        &"schedule --from 2027-05-03 --days 19 --format ics"
            .split(' ')
            .collect::<Vec<_>>(),
    );
    let mut wrong = Vec::new();
    check_feed(&feed, &mut wrong, "schedule --format ics");
    // The site's feed (from 30 days back, the rotation's start here) says
    // the same of these days.
    let out = tempfile::tempdir().unwrap();
    run(
        &repo,
        FRIDAY,
        &["site", "--out", out.path().to_str().unwrap()],
    );
    let site_feed = std::fs::read_to_string(out.path().join("oncall.ics")).unwrap();
    check_feed(&site_feed, &mut wrong, "site oncall.ics");
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// A day's cell of the page: (classes, who, note).
fn cell(page: &str, date: &str) -> (String, String, String) {
    let day: u32 = date[8..].parse().unwrap();
    let marker = format!("</span>{day} May</span>");
    let at = page
        .find(&marker)
        .unwrap_or_else(|| panic!("no cell for {date}"));
    let open = page[..at].rfind("<li class=\"").unwrap() + "<li class=\"".len();
    let classes = &page[open..open + page[open..].find('"').unwrap()];
    let close = at + page[at..].find("</li>").unwrap();
    let inner = &page[at + marker.len()..close];
    let part = |tag: &str| {
        let start = format!("<span class=\"{tag}\">");
        inner.find(&start).map_or(String::new(), |s| {
            let s = s + start.len();
            let end = if tag == "who" {
                inner[s..].find("</span><span class=\"note\">").unwrap()
            } else {
                inner[s..].rfind("</span>").unwrap()
            };
            inner[s..s + end].to_owned()
        })
    };
    (classes.to_owned(), part("who"), part("note"))
}

fn person(login: &str) -> String {
    format!("{} <span class=\"login\">@{login}</span>", name(login))
}

/// The cell the hand count gives a working day, as of `today`.
fn expected_cell(d: &Day, today: &str) -> (String, String, String) {
    let mut classes = vec!["day"];
    if d.date <= today {
        classes.push("past");
    }
    let mut notes: Vec<String> = Vec::new();
    match d.why {
        Why::Rotation => classes.push("rotation"),
        Why::Override(replaced, reason) => {
            classes.push("override");
            notes.push(format!(
                "Override, in place of {}: {reason}",
                name(replaced)
            ));
        }
        Why::Substitute(away) => {
            classes.push("substitute");
            notes.push(format!("Substitute for {} (away).", name(away)));
        }
    }
    // Clara's vacation, said on the days nobody stands in for her.
    if ("2027-05-11"..="2027-05-18").contains(&d.date) && !matches!(d.why, Why::Substitute(_)) {
        notes.push("Away: Clara Weber.".to_owned());
    }
    if d.date == today {
        classes.push("today");
        notes.insert(0, "Today.".to_owned());
    }
    (classes.join(" "), person(d.who), notes.join(" "))
}

fn site(repo: &Repo, now: &str) -> String {
    let out = tempfile::tempdir().unwrap();
    run(repo, now, &["site", "--out", out.path().to_str().unwrap()]);
    std::fs::read_to_string(out.path().join("index.html")).unwrap()
}

fn check_cells(page: &str, today: &str, wrong: &mut Vec<String>) {
    for d in &HAND_COUNT {
        let (got, want) = (cell(page, d.date), expected_cell(d, today));
        if got != want {
            wrong.push(format!("{}:\n  got  {got:?}\n  want {want:?}", d.date));
        }
    }
    for (date, holiday) in HOLIDAYS {
        let (classes, who, note) = cell(page, date);
        // Whether a holiday's cell also says who is away is not counted
        // here (a weekend's does not).
        if classes != "day holiday"
            || who != "Holiday"
            || !note.starts_with(&format!("Holiday: {holiday}. Nobody is on call."))
        {
            wrong.push(format!("{date}: {classes:?} {who:?} {note:?}"));
        }
    }
    for weekend in ["2027-05-08", "2027-05-09", "2027-05-15", "2027-05-16"] {
        assert_eq!(cell(page, weekend).0, "day off", "{weekend}");
    }
}

#[test]
fn the_page_matches_the_hand_count() {
    let repo = walk(16);
    let page = site(&repo, FRIDAY);
    assert!(
        page.contains(&format!(
            "Today, Friday 2027-05-14: <strong>{}</strong> is on call.",
            person("demo-anna")
        )),
        "{page}"
    );
    assert!(
        page.contains(&format!(
            "Next: {} on Tuesday 2027-05-18.",
            person("demo-felix")
        )),
        "{page}"
    );
    // The cycle's checklist, in the drawn order.
    let cycle = &page[page.find("<h2>Cycle 2</h2>").expect("cycle 2")..];
    let listed: Vec<&str> = cycle
        .split("<li>")
        .skip(1)
        .take(7)
        .map(|li| {
            let at = li.find("class=\"login\">@").unwrap() + "class=\"login\">@".len();
            &li[at..at + li[at..].find('<').unwrap()]
        })
        .collect();
    assert_eq!(listed, CYCLE_2);
    let mut wrong = Vec::new();
    check_cells(&page, "2027-05-14", &mut wrong);
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn stats_match_the_hand_count() {
    let repo = walk(16);
    let v: Value = serde_json::from_str(&run(
        &repo,
        FRIDAY,
        &["stats", "--until", "2027-05-21", "--format", "json"],
    ))
    .unwrap();
    assert_eq!(v["since"], "2027-05-03");
    assert_eq!(v["until"], "2027-05-21");
    assert_eq!(v["last_handover"], "2027-05-14");
    assert_eq!(v["working_days"], 13);
    assert_eq!(v["uncovered"], 0);
    let row = |login: &str| {
        let m = v["members"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["github"] == login)
            .unwrap_or_else(|| panic!("{login}: {v}"))
            .clone();
        json!([
            m["served"],
            m["scheduled"],
            m["total"],
            m["overrides"],
            m["substitute"],
            m["turns_lost"],
            m["away_days"],
            m["roster_days"],
            m["share"],
            m["on_roster_since"]
        ])
    };
    // Counted from the table above: served = days to 05-14, scheduled =
    // 05-18..05-21; Clara is away on 5 working days in the window (05-11,
    // 12, 13, 14, 18; 05-17 is a holiday); Eva's cycle-2 turn is 05-24,
    // after the window; share = total / 13, rounded to 3 places.
    let want = [
        //                 served sched total ovr sub lost away roster share
        (
            "demo-anna",
            json!([2, 0, 2, 0, 1, 0, 0, 13, 0.154, "2027-05-03"]),
        ),
        (
            "demo-ben",
            json!([1, 1, 2, 1, 0, 0, 0, 13, 0.154, "2027-05-03"]),
        ),
        (
            "demo-clara",
            json!([1, 1, 2, 0, 0, 0, 5, 13, 0.154, "2027-05-03"]),
        ),
        (
            "demo-dave",
            json!([2, 0, 2, 0, 1, 0, 0, 13, 0.154, "2027-05-03"]),
        ),
        (
            "demo-eva",
            json!([1, 0, 1, 1, 0, 0, 0, 13, 0.077, "2027-05-03"]),
        ),
        (
            "demo-felix",
            json!([1, 1, 2, 0, 0, 0, 0, 13, 0.154, "2027-05-03"]),
        ),
        (
            "demo-greta",
            json!([1, 1, 2, 0, 0, 0, 0, 13, 0.154, "2027-05-03"]),
        ),
    ];
    let wrong: Vec<String> = want
        .iter()
        .filter(|(login, w)| row(login) != *w)
        .map(|(login, w)| format!("{login}: got {} want {w}", row(login)))
        .collect();
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    assert_eq!(v["max_share"], 0.154);
    assert_eq!(v["min_share"], 0.077);
    assert_eq!(v["spread"], 0.077);
}
