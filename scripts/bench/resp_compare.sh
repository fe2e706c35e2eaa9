#!/bin/sh
# Pipelining: redis-benchmark against scripts/examples/resp_server.lua (nsh,
# with and without its write buffer) and against redis-server, in the same
# run, the servers taking turns; prints a Markdown table of medians and the
# ratios (for docs/performance.md). Loopback only; every run is bounded by -n.
# usage: scripts/bench/resp_compare.sh [ROUNDS (3)] [REQUESTS (200000)] [CLIENTS (50)]
# Needs redis-benchmark and redis-server (apt-get install redis-tools redis-server).
set -eu
rounds=${1:-3}
requests=${2:-200000}
clients=${3:-50}
root=$(cd "$(dirname "$0")/../.." && pwd)
for tool in redis-benchmark redis-cli redis-server python3; do
  command -v "$tool" >/dev/null || { echo "resp_compare: $tool is missing (apt-get install redis-tools redis-server)" >&2; exit 2; }
done
work=$(mktemp -d)
pids=""
cleanup() {
  for p in $pids; do kill "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
CGO_ENABLED=0 go build -C "$root" -o "$work/nsh" ./cmd/nsh

freeport() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# start NAME CMD...: runs a server, waits for its port, records its PID.
start() {
  name=$1; port=$2; shift 2
  "$@" >"$work/$name.log" 2>&1 &
  pids="$pids $!"
  i=0
  until [ "$(redis-cli -p "$port" ping 2>/dev/null)" = PONG ]; do
    i=$((i + 1)); [ $i -lt 100 ] || { echo "resp_compare: $name did not start:" >&2; cat "$work/$name.log" >&2; exit 1; }
    sleep 0.1
  done
}

p_nsh=$(freeport); start nsh "$p_nsh" "$work/nsh" "$root/scripts/examples/resp_server.lua" "$p_nsh" 16384
p_nobuf=$(freeport); start nobuf "$p_nobuf" "$work/nsh" "$root/scripts/examples/resp_server.lua" "$p_nobuf" 0
p_redis=$(freeport); start redis "$p_redis" redis-server --port "$p_redis" --bind 127.0.0.1 --save "" --appendonly no

# One line per measurement: server pipeline test rps
for r in $(seq "$rounds"); do
  for P in 1 16; do
    for srv in nsh nobuf redis; do
      eval port=\$p_$srv
      redis-benchmark -p "$port" -c "$clients" -n "$requests" -P "$P" -t set,get -r 100000 --csv 2>/dev/null |
        awk -F, -v s="$srv" -v p="$P" 'NR > 1 { gsub(/"/, ""); print s, p, $1, $2 }' >>"$work/results"
    done
  done
done

python3 - "$work/results" "$rounds" "$requests" "$clients" <<'EOF'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1])]
med = {}
for s, p, t, rps in rows:
    med.setdefault((s, p, t), []).append(float(rps))
m = {k: statistics.median(v) for k, v in med.items()}
names = {"nsh": "nsh resp_server.lua, setbuffer(16384)", "nobuf": "nsh resp_server.lua, no buffer (0)", "redis": "redis-server (reference)"}
print(f"redis-benchmark -c {sys.argv[4]} -n {sys.argv[3]} -r 100000 -t set,get, median of {sys.argv[2]} rounds (the servers in turn)\n")
print("| server | SET -P 1 | SET -P 16 | -P 16 / -P 1 | GET -P 1 | GET -P 16 | -P 16 / -P 1 | SET -P 16 vs redis |")
print("|---|---|---|---|---|---|---|---|")
for s in ("nsh", "nobuf", "redis"):
    cells = [names[s]]
    for t in ("SET", "GET"):
        a, b = m.get((s, "1", t)), m.get((s, "16", t))
        cells += [f"{a:,.0f}", f"{b:,.0f}", f"{b / a:.2f}"]
    cells.append(f"{m[(s, '16', 'SET')] / m[('redis', '16', 'SET')]:.3f}")
    print("| " + " | ".join(cells) + " |")
EOF
