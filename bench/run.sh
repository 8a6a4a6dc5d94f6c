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

# median of hyperfine's runs, in ms
median() { hyperfine -N --warmup 3 --runs "$1" --export-json "$W/h.json" "$2" >/dev/null 2>&1
           python3 -c "import json;print(f\"{json.load(open('$W/h.json'))['results'][0]['median']*1000:.1f}\")"; }
# peak resident memory, in MB
peak() { /usr/bin/time -f "%M" -o "$W/t" sh -c "$1 >/dev/null" && awk '{printf "%.1f", $1/1024}' "$W/t"; }

echo
echo "| command (whole process) | median | peak memory |"
echo "|---|---:|---:|"
for n in 10 100 1000 10000; do
  cmd="$BIN --config $F/rotation-$n.yaml --log /dev/null schedule --from 2026-01-05 --days 3652 --format json"
  echo "| \`schedule\` 10 years, $n members | $(median 10 "$cmd") ms | $(peak "$cmd") MB |"
done
for log in 1day 10years; do
  cp "$F/rotation-1000-$log.yaml" "$W/rotation.yaml"
  cp "$F/log-$log.md" "$W/oncall-log.md"
  d=$(cat "$F/next-$log.txt")
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
cmd="$BIN --config $F/rotation-10000.yaml --log /dev/null check"
echo "| \`check\`, 10,000 members | $(median 10 "$cmd") ms | $(peak "$cmd") MB |"
rm -rf "$W"
