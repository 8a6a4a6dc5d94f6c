#!/usr/bin/env bash
# Several rotations in one repository, at scale (BENCHMARKS.md, "Several
# rotations"): 50 rotations of 30 members, each with five years of log,
# sharing one holiday calendar, people on more than one rotation. Times
# `oncall check` (all rotations, the cross-rotation warnings included) and
# `oncall list` (what the daily workflow's first job runs), and one
# rotation's `advance --dry-run` (what each matrix job runs), with
# hyperfine; peak memory with /usr/bin/time.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v hyperfine >/dev/null 2>&1 || [ ! -x /usr/bin/time ]; then
  apt-get update -qq && apt-get install -y -qq hyperfine time >/dev/null
fi

cargo build --release --locked --bin oncall
BIN="$PWD/target/release/oncall"
ROTATIONS=${ROTATIONS:-50}
MEMBERS=${MEMBERS:-30}
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
ORG="$W/org"
mkdir -p "$ORG/calendars"

# The shared calendar: ten holidays a year, 2021 to 2027.
{
  echo "holidays:"
  for y in 2021 2022 2023 2024 2025 2026 2027; do
    for md in 01-01 04-07 05-01 05-29 10-03 11-11 12-24 12-25 12-26 12-31; do
      echo "  - { date: $y-$md, name: Holiday $md }"
    done
  done
} > "$ORG/calendars/shared.yaml"

# Rotation i has members p((i*7+k) mod 400): people overlap across rotations.
for i in $(seq 1 "$ROTATIONS"); do
  d="$ORG/rotations/team-$i"
  mkdir -p "$d"
  {
    echo "team: Team $i"
    echo "timezone: Europe/Berlin"
    echo "start: 2021-11-22"
    echo "holidays:"
    echo "  - include: ../../calendars/shared.yaml"
    echo "members:"
    for k in $(seq 0 $((MEMBERS - 1))); do
      p=$(( (i * 7 + k) % 400 ))
      echo "  - { github: p$p, name: Person $p }"
    done
  } > "$d/rotation.yaml"
  # Five years of handovers, in catch-up runs of a year each (oncall
  # catches up at most a year at once, R9).
  for y in 2022-11-18 2023-11-17 2024-11-15 2025-11-14 2026-11-13 2026-11-20; do
    (cd "$ORG" && ONCALL_NOW="${y}T09:00:00Z" "$BIN" --rotation "team-$i" advance --date "$y" >/dev/null)
  done
done
sections=$(grep -c '^## ' "$ORG/rotations/team-1/oncall-log.md")
size=$(du -sh "$ORG" | cut -f1)
echo "fixture: $ROTATIONS rotations x $MEMBERS members, $sections day sections each, $size in all"

median() { (cd "$ORG" && ONCALL_NOW=2026-11-23T08:00:00Z hyperfine -N --warmup 2 --runs "$1" --export-json "$W/h.json" "$2" >/dev/null 2>&1)
           python3 -c "import json;print(f\"{json.load(open('$W/h.json'))['results'][0]['median']*1000:.1f}\")"; }
# (check exits 0 with warnings; any exit status is fine for the memory)
peak() { (cd "$ORG"; ONCALL_NOW=2026-11-23T08:00:00Z /usr/bin/time -f "%M" -o "$W/t" sh -c "$1 >/dev/null 2>&1") || true
         awk '{printf "%.1f", $1/1024}' "$W/t"; }

echo
echo "| command | median | peak memory |"
echo "|---|---:|---:|"
for c in "check" "list --format json" "--rotation team-1 advance --dry-run --date 2026-11-23" "--rotation team-1 check"; do
  cmd="$BIN $c"
  echo "| \`oncall $c\` | $(median 10 "$cmd") ms | $(peak "$cmd") MB |"
done
