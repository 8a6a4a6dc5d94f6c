#!/usr/bin/env python3
"""Writes hostile rotation.yaml files of at most 1 MB into a directory
(default target/bench-adversarial/), for bench/adversarial.sh: each one
aims at a cost that could grow beyond the number of days plus the number of
members (BENCHMARKS.md, "Hostile files"). "Today" for all of them is
2027-03-01 (ONCALL_NOW in bench/adversarial.sh)."""

import os
import sys

LIMIT = 1024 * 1024
HEAD = "team: Hostile\ntimezone: UTC\n"


def logins(n):
    return [f"m{i:05d}" for i in range(n)]


def members(names, extra=lambda i, g: ""):
    return "members:\n" + "".join(f"  - {{ github: {g}{extra(i, g)} }}\n" for i, g in enumerate(names))


def fill(make, lo=1, hi=200_000):
    """The largest n for which make(n) stays within 1 MB."""
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if len(make(mid).encode()) <= LIMIT:
            lo = mid
        else:
            hi = mid - 1
    return make(lo)


def cases():
    # The first file: 2,000 members since 1900, never handed over.
    yield "start-1900", HEAD + "start: 1900-01-01\n" + members(logins(2000))
    # The second (20,000 members, 1.3 MB): as many members as fit
    # in 1 MB, each away until 2026 (a late start, so that the catch-up is
    # within a year).
    yield "away-until-2026", fill(lambda n: HEAD + "start: 2026-06-01\n" + members(
        logins(n), lambda i, g: ", away: [{ from: 2026-06-01, to: 2026-12-31 }]"
    ))
    # The same since 1900, as many members as fit.
    yield "away-since-1900", fill(lambda n: HEAD + "start: 1900-01-01\n" + members(
        logins(n), lambda i, g: ", away: [{ from: 1900-01-01, to: 2026-12-31 }]"
    ))
    # Everyone but one away all year: every day starts a new cycle, and
    # every day lists everyone else as having lost their turn.
    yield "one-available", fill(lambda n: HEAD + "start: 2026-06-01\n" + members(
        logins(n), lambda i, g: "" if i == 0 else ", away: [{ from: 2026-06-01, to: 2027-12-31 }]"
    ))
    # The same at the most members a rotation may have (5,000): within the
    # limits, the costliest pattern there is.
    yield "one-available-5000", HEAD + "start: 2026-03-02\n" + members(
        logins(5000), lambda i, g: "" if i == 0 else ", away: [{ from: 2026-03-02, to: 2027-12-31 }]"
    )
    # And since 1900: a cycle every day for 127 years.
    yield "one-available-1900", HEAD + "start: 1900-01-01\n" + members(
        logins(5000), lambda i, g: "" if i == 0 else ", away: [{ from: 1900-01-01, to: 2027-12-31 }]"
    )
    # Ten members with names as long as may be (100,000 characters), nine of
    # them away all year: every day names them all.
    yield "names-away", HEAD + "start: 2026-03-02\n" + "members:\n" + "".join(
        f"  - {{ github: m{i}, name: {chr(65 + i) * 100_000}"
        + ("" if i == 0 else ", away: [{ from: 2026-03-02, to: 2027-12-31 }]") + " }\n"
        for i in range(10)
    )
    # As many members as fit, no time off, a year of catch-up.
    yield "members-max", fill(lambda n: HEAD + "start: 2026-03-02\n" + members(logins(n)))
    # One member with as many away ranges as fit; everyone else available.
    yield "away-ranges", fill(lambda n: HEAD + "start: 2026-06-01\n" + members(logins(200)) + "  - github: many\n    away:\n" + "".join(
        f"      - {{ from: {2026 + k // 365:04d}-{(k // 28) % 12 + 1:02d}-{k % 28 + 1:02d}, to: {2026 + k // 365:04d}-{(k // 28) % 12 + 1:02d}-{k % 28 + 1:02d} }}\n"
        for k in range(n)
    ), hi=40000)
    # An override in the year 9999: the lint walks the rotation to it.
    yield "override-9999", HEAD + "start: 2026-06-01\n" + members(logins(2000)) + (
        "overrides:\n  - { date: 9999-12-31, github: m00001 }\n"
    )
    # As many holidays as fit.
    yield "holidays", fill(lambda n: HEAD + "start: 2026-06-01\n" + members(logins(10)) + "holidays:\n" + "".join(
        f"  - {{ date: {2027 + k // 360:04d}-{(k // 30) % 12 + 1:02d}-{k % 28 + 1:02d}, name: h{k} }}\n"
        for k in range(n) if k % 30 < 28
    ), hi=60000)
    # As many duties as fit: each day's log section copies them all.
    yield "duties", fill(lambda n: HEAD + "start: 2026-06-01\n" + members(logins(10)) + "duties:\n" + "".join(
        f"  - duty number {k} of the day, to be done with care\n" for k in range(n)
    ))
    # One duty of almost 1 MB.
    yield "duty-long", HEAD + "start: 2026-06-01\n" + members(logins(10)) + "duties:\n  - " + "x" * (LIMIT - 400) + "\n"
    # A member's name of almost 1 MB: every section names them several times.
    yield "name-long", HEAD + "start: 2026-06-01\n" + "members:\n  - { github: a, name: " + "N" * (LIMIT - 400) + " }\n  - { github: b }\n"
    # A state block whose order and served lists hold as many members as fit.
    def state(n):
        names = logins(n)
        return (HEAD + "start: 2026-06-01\n" + members(names) + "state:\n  since: 2027-02-26\n  on_call: m00000\n  cycle: 2\n"
                + "  order: [" + ", ".join(names) + "]\n  served: [" + ", ".join(names[: n // 2]) + "]\n")
    yield "state-max", fill(state)
    # Many overrides, each a member's day.
    yield "overrides", fill(lambda n: HEAD + "start: 2026-06-01\n" + members(logins(100)) + "overrides:\n" + "".join(
        f"  - {{ date: {d}, github: m{k % 100:05d} }}\n" for k, d in enumerate(weekdays("2027-03-01", n))
    ), hi=30000)


def weekdays(start, n):
    import datetime
    d = datetime.date.fromisoformat(start)
    out = []
    while len(out) < n:
        if d.weekday() < 5:
            out.append(d.isoformat())
        d += datetime.timedelta(days=1)
    return out


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "target/bench-adversarial"
    os.makedirs(out, exist_ok=True)
    for name, text in cases():
        data = text.encode()
        assert len(data) <= LIMIT, (name, len(data))
        with open(os.path.join(out, f"{name}.yaml"), "wb") as f:
            f.write(data)
        print(f"{name}.yaml {len(data)} bytes")


if __name__ == "__main__":
    main()
