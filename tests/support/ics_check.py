"""Parses iCalendar feeds with three independent parsers, the PyPI
packages `icalendar`, `ics` and `vobject`, and prints, for each feed, what
each read, as JSON: the calendar's name (NAME, and X-WR-CALNAME as
`calname`) and its events (uid, start, end, stamp, summary, description).
Exits 1 with the parser's message when one refuses a feed
(tests/support/validators.rs compares the readings).

Usage: ics_check.py FEED...
Prints [{"icalendar": READING, "ics": READING, "vobject": READING}, ...]."""
import json
import sys

try:
    # `ics` parses with TatSu, which calls colorama.init() for every line
    # it parses when colorama is installed: each call wraps sys.stdout and
    # sys.stderr once more, until a long feed reaches Python's recursion
    # limit. Nothing here is coloured.
    import colorama

    colorama.init = lambda *args, **kwargs: None
except ImportError:
    pass

import ics
import ics.utils
import icalendar
import vobject


def with_icalendar(raw):
    cal = icalendar.Calendar.from_ical(raw)
    if cal.errors:
        raise ValueError(cal.errors)
    events = []
    for ev in cal.walk("VEVENT"):
        if ev.errors:
            raise ValueError(f"invalid event: {ev.errors}")
        events.append(
            {
                "uid": str(ev["UID"]),
                "start": ev.decoded("DTSTART").isoformat(),
                "end": ev.decoded("DTEND").isoformat(),
                "stamp": ev.decoded("DTSTAMP").isoformat(),
                "summary": str(ev["SUMMARY"]),
                "description": str(ev["DESCRIPTION"]),
            }
        )
    return {"name": str(cal.get("NAME", "")), "calname": str(cal.get("X-WR-CALNAME", "")), "events": events}


def with_ics(raw):
    cal = ics.Calendar(raw)
    # ics keeps the properties it does not model (NAME, X-WR-CALNAME)
    # as written: unescaped here with its own TEXT unescaper.
    extra = {line.name: ics.utils.unescape_string(line.value) for line in cal.extra}
    events = []
    # `cal.events` is a set: in the feed's order, by start and uid.
    for ev in sorted(cal.events, key=lambda e: (e.begin, e.uid)):
        if not ev.all_day:
            raise ValueError(f"{ev.uid}: not an all-day event")
        stamp = [line.value for line in ev.extra if line.name == "DTSTAMP"]
        events.append(
            {
                "uid": ev.uid,
                "start": ev.begin.date().isoformat(),
                "end": ev.end.date().isoformat(),
                "stamp": stamp[0] if stamp else (ev.created.isoformat() if ev.created else ""),
                "summary": ev.name,
                "description": ev.description,
            }
        )
    return {"name": extra.get("NAME", ""), "calname": extra.get("X-WR-CALNAME", ""), "events": events}


def with_vobject(raw):
    cal = vobject.readOne(raw, validate=True)
    contents = cal.contents
    events = []
    for ev in cal.contents.get("vevent", []):
        events.append(
            {
                "uid": ev.uid.value,
                "start": ev.dtstart.value.isoformat(),
                "end": ev.dtend.value.isoformat(),
                "stamp": ev.dtstamp.value.isoformat(),
                "summary": ev.summary.value,
                "description": ev.description.value,
            }
        )
    name = lambda key: contents[key][0].value if key in contents else ""
    return {"name": name("name"), "calname": name("x-wr-calname"), "events": events}


out = []
for path in sys.argv[1:]:
    raw = open(path, "rb").read().decode("utf-8")
    readings = {}
    for parser, read in [("icalendar", with_icalendar), ("ics", with_ics), ("vobject", with_vobject)]:
        try:
            readings[parser] = read(raw)
        except Exception as e:  # the parser's own message
            print(f"{path}: invalid feed for {parser}: {type(e).__name__}: {e}")
            sys.exit(1)
    out.append(readings)
print(json.dumps(out))
