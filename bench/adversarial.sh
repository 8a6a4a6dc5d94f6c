#!/usr/bin/env bash
# The hostile-file benchmark of BENCHMARKS.md ("Hostile files"): every
# rotation.yaml of bench/adversarial.py (each at most 1 MB) is checked,
# scheduled a year ahead and dry-run by the release binary; each command's
# wall time and peak memory (/usr/bin/time -f "%e %M") is printed as a
# Markdown table, with its exit code (0 done, 1 checked with problems or
# failed, 2 refused with a position). The goal: every command within 1 s and
# 256 MB. A command is stopped at 60 s and 8 GB (shown as "> 60 s" or
# "killed"): the files were written to exhaust the runner.
#
#   bash bench/adversarial.sh [BINARY]   # default: target/release/oncall, built first
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -x /usr/bin/time ]; then
  apt-get update -qq && apt-get install -y -qq time >/dev/null
fi
BIN=${1:-}
if [ -z "$BIN" ]; then
  cargo build --release --locked --bin oncall
  BIN=target/release/oncall
fi
BIN=$(realpath "$BIN")
F=target/bench-adversarial
python3 bench/adversarial.py "$F" >/dev/null
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
export ONCALL_NOW=2027-03-01T09:00:00Z

# Runs one command in a fresh copy of the file: "seconds|MB|exit code".
measure() {
  local file=$1; shift
  rm -rf "$W/repo" && mkdir "$W/repo" && cp "$file" "$W/repo/rotation.yaml" && : >"$W/repo/oncall-log.md"
  local code=0
  (cd "$W/repo" && ulimit -v 8388608 && /usr/bin/time -f "%e %M" -o "$W/t" timeout 60 "$BIN" "$@" >"$W/out" 2>"$W/err") || code=$?
  local secs kb
  read -r secs kb < <(tail -n 1 "$W/t" | awk 'NF == 2 { print $1, $2 }') || true
  case $code in
    124) echo "> 60 s|${kb:+$((kb / 1024))}|timeout" ;;
    137 | 134 | 139) echo "${secs:-?} s|killed|$code" ;;
    *) awk -v s="$secs" -v k="$kb" -v c="$code" 'BEGIN { printf "%.2f s|%.0f MB|%s\n", s, k / 1024, c }' ;;
  esac
}

echo "| file | size | check | schedule a year ahead | advance --dry-run |"
echo "|---|---:|---|---|---|"
for file in "$F"/*.yaml; do
  name=$(basename "$file" .yaml)
  size=$(wc -c <"$file")
  row="| $name | $((size / 1024)) KB"
  for cmd in "check" "schedule --days 365 --format json" "advance --dry-run"; do
    # shellcheck disable=SC2086
    IFS='|' read -r secs mb code < <(measure "$file" $cmd)
    row="$row | $secs, $mb ($code)"
  done
  echo "$row |"
done
