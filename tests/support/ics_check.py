"""Parses an iCalendar feed with the `icalendar` package (an independent
parser) and prints its events as JSON: uid, start, end, stamp, summary,
description. Exits 1 with the parser's message on an invalid feed."""
import json
import sys

from icalendar import Calendar

raw = open(sys.argv[1], "rb").read()
try:
    cal = Calendar.from_ical(raw)
except Exception as e:  # the parser's own message
    print(f"invalid feed: {e}")
    sys.exit(1)
if cal.errors:
    print(f"invalid feed: {cal.errors}")
    sys.exit(1)
events = []
for ev in cal.walk("VEVENT"):
    if ev.errors:
        print(f"invalid event: {ev.errors}")
        sys.exit(1)
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
print(json.dumps({"name": str(cal.get("X-WR-CALNAME", "")), "events": events}))
