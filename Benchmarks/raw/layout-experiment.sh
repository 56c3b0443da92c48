#!/usr/bin/env bash
# Layout experiment for Vigil's on-disk key layout (see raw_lmdb_bench.c).
# Usage: Benchmarks/raw/layout-experiment.sh [OUT.jsonl]   (env: RUNS=3, EVENTS=1000000)
# Runs every config RUNS times on ${TMPDIR:-/tmp}; a config whose first run takes
# > 60 s is re-run once with --events 200000 instead.  Prints a median table.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bin=$here/raw-lmdb-bench
src=$here/raw_lmdb_bench.c
if [[ ! -x $bin || $src -nt $bin ]]; then
  cc -O2 -o "$bin" "$src" $(pkg-config --cflags --libs lmdb)
fi
runs=${RUNS:-3}; events=${EVENTS:-1000000}
out=${1:-$(mktemp "${TMPDIR:-/tmp}/layout.XXXXXX.jsonl")}
dir=$(mktemp -d "${TMPDIR:-/tmp}/layout-db.XXXXXX")
trap 'rm -rf "$dir"' EXIT
: > "$out"

configs=(
  "--index none --ids none --mode both"
  "--index naive --ids none"
  "--index stream-major --ids none"
  "--index version-major --ids none"
  "--index heads-only --ids none"
  "--index dupsort --ids none"
  "--index version-major --ids v7"
  "--index stream-major --ids v7"
  "--index version-major --ids v4"
  "--index stream-major --ids v4"
  "--index naive --ids none --pattern births"
  "--index stream-major --ids none --pattern births"
  "--index version-major --ids none --pattern births"
)
for cfg in "${configs[@]}"; do
  mode_arg=(--mode append); [[ $cfg == *"--mode"* ]] && mode_arg=()
  for ((r = 1; r <= runs; r++)); do
    # shellcheck disable=SC2086
    line=$("$bin" --dir "$dir" --events "$events" $cfg "${mode_arg[@]}")
    echo "$line" | tee -a "$out" >&2
    secs=$(echo "$line" | head -1 | python3 -c 'import json,sys; print(json.loads(sys.stdin.readline())["seconds"])')
    if [[ $r == 1 ]] && python3 -c "import sys; sys.exit(0 if $secs > 60 else 1)"; then
      echo "config '$cfg' took ${secs}s > 60s: one run with --events 200000 instead" >&2
      sed -i '$d' "$out"
      # shellcheck disable=SC2086
      "$bin" --dir "$dir" --events 200000 $cfg "${mode_arg[@]}" | tee -a "$out" >&2
      break
    fi
  done
done
rm -f "$dir"/data.mdb "$dir"/lock.mdb
python3 - "$out" <<'PY'
import json, sys, statistics
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
groups = {}
for r in rows:
    k = (r["phase"], r["index"], r["ids"], r["pattern"], r["events"])
    groups.setdefault(k, []).append(r)
print(f'{"phase":7} {"pattern":7} {"index":14} {"ids":5} {"events":>8} {"runs":>4} {"median ev/s":>12} {"min":>10} {"max":>10} {"data.mdb MiB":>12} {"streams":>8}')
for k, rs in groups.items():
    v = [r["events_per_s"] for r in rs]
    size = rs[-1].get("data_mdb_bytes")
    mib = f'{size/2**20:.1f}' if size is not None else "-"
    st = rs[-1].get("streams", "-") if k[0] == "append" else "-"
    print(f'{k[0]:7} {k[3]:7} {k[1]:14} {k[2]:5} {k[4]:>8} {len(v):>4} {statistics.median(v):>12,.0f} {min(v):>10,.0f} {max(v):>10,.0f} {mib:>12} {st:>8}')
print("raw results:", sys.argv[1])
PY
