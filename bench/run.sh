#!/usr/bin/env bash
# Reproduces the figures in BENCHMARKS.md on this machine: the in-process
# medians of `cargo bench`, then whole-process medians (hyperfine) and peak
# memory (/usr/bin/time) of the release binary on the generated fixtures.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v hyperfine >/dev/null 2>&1 || [ ! -x /usr/bin/time ]; then
  apt-get update -qq && apt-get install -y -qq hyperfine time >/dev/null
fi

cargo build --release --locked --bin oncall
cargo bench --bench oncall
F=target/bench-fixtures
BIN=target/release/oncall
W=$(mktemp -d)
# An empty log (oncall reads only regular files: not /dev/null).
: >"$W/empty.md"

# median of hyperfine's runs, in ms
median() { rm -f "$W/h.json"; hyperfine -N --warmup 3 --runs "$1" --export-json "$W/h.json" "$2" >/dev/null 2>&1
           python3 -c "import json;print(f\"{json.load(open('$W/h.json'))['results'][0]['median']*1000:.1f}\")"; }
# peak resident memory, in MB
peak() { /usr/bin/time -f "%M" -o "$W/t" sh -c "$1 >/dev/null" && awk '{printf "%.1f", $1/1024}' "$W/t"; }

# "Today" for every command: the fixtures' first day, or the day each
# advance hands over (a command that fails is not a measurement: a state
# in the future, or more than a year behind, is refused).
export ONCALL_NOW=2026-01-05T09:00:00Z

echo
echo "| command (whole process) | median | peak memory |"
echo "|---|---:|---:|"
for n in 10 100 1000 5000; do
  cmd="$BIN --config $F/rotation-$n.yaml --log $W/empty.md schedule --from 2026-01-05 --days 3652 --format json"
  echo "| \`schedule\` 10 years, $n members | $(median 10 "$cmd") ms | $(peak "$cmd") MB |"
done
for log in 1day 10years; do
  cp "$F/rotation-1000-$log.yaml" "$W/rotation.yaml"
  cp "$F/log-$log.md" "$W/oncall-log.md"
  d=$(cat "$F/next-$log.txt")
  export ONCALL_NOW="${d}T09:00:00Z"
  cmd="$BIN --config $W/rotation.yaml --log $W/oncall-log.md advance --dry-run --date $d"
  echo "| \`advance --dry-run\`, 1,000 members, log of $log | $(median 30 "$cmd") ms | $(peak "$cmd") MB |"
  cp "$F/rotation-1000-$log.yaml" "$W/rotation.yaml"
  cp "$F/log-$log.md" "$W/oncall-log.md"
  cmd="$BIN --config $W/rotation.yaml --log $W/oncall-log.md advance --date $d"
  # a real advance writes: restore the files before each run
  hyperfine -N --warmup 2 --runs 20 --prepare "sh -c 'cp $F/rotation-1000-$log.yaml $W/rotation.yaml && cp $F/log-$log.md $W/oncall-log.md'" \
    --export-json "$W/h.json" "$cmd" >/dev/null 2>&1
  echo "| \`advance\` (writes), 1,000 members, log of $log | $(python3 -c "import json;print(f\"{json.load(open('$W/h.json'))['results'][0]['median']*1000:.1f}\")") ms | $(cp "$F/rotation-1000-$log.yaml" "$W/rotation.yaml"; cp "$F/log-$log.md" "$W/oncall-log.md"; peak "$cmd") MB |"
done
# The cost beyond reading: advance --dry-run and schedule against check, side
# by side on the same files (BENCHMARKS.md, "Cost beyond reading").
cp "$F/rotation-1000-10years.yaml" "$W/rotation.yaml"
cp "$F/log-10years.md" "$W/oncall-log.md"
d=$(cat "$F/next-10years.txt")
(cd "$W" && ONCALL_NOW="${d}T09:00:00Z" hyperfine -N --warmup 5 --runs 60 --export-json "$W/r.json" \
  "$BIN check" "$BIN advance --dry-run --date $d" "$BIN schedule --from 2026-01-05 --days 3652 --format json" >/dev/null 2>&1)
python3 -c "
import json; r=json.load(open('$W/r.json'))['results']; m=[x['median']*1000 for x in r]
print(f'\n| check | advance --dry-run | schedule 10 years | ratios |\n|---:|---:|---:|---|\n| {m[0]:.1f} ms | {m[1]:.1f} ms | {m[2]:.1f} ms | {m[1]/m[0]:.2f} x, {m[2]/m[0]:.2f} x |')"
export ONCALL_NOW=2026-01-05T09:00:00Z
cmd="$BIN --config $F/rotation-5000.yaml --log $W/empty.md check"
echo "| \`check\`, 5,000 members | $(median 10 "$cmd") ms | $(peak "$cmd") MB |"
rm -rf "$W"
