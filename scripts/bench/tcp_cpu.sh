#!/bin/bash
# Server CPU per request of the TCP echo rows (issue 16): the Go reference
# server and nsh's scripts/examples/echo_server.lua (or SCRIPT), the servers
# pinned to CPU 0 and the load generator to CPU 1, the runs interleaved,
# CPU from /proc/PID/stat utime+stime (robust to a loaded machine, unlike
# req/s). Prints each run and the median ratio Go µs / nsh µs per test.
# usage: scripts/bench/tcp_cpu.sh NSH NSH-BENCH [RUNS] [DURATION] [SCRIPT]
set -eu
nsh=$1 bench=$2 runs=${3:-3} dur=${4:-3s}
root=$(cd "$(dirname "$0")/../.." && pwd)
script=${5:-$root/scripts/examples/echo_server.lua}
tmp=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$tmp"; }
trap cleanup EXIT
start() { # name argv...
	local name=$1; shift
	taskset -c 0 "$@" >"$tmp/$name.out" 2>&1 &
	pids+=($!)
	eval "pid_$name=$!"
	for _ in $(seq 50); do grep -q listening "$tmp/$name.out" && break; sleep 0.1; done
	eval "port_$name=$(grep -o '[0-9]*$' "$tmp/$name.out" | head -1)"
}
ticks() { awk '{print $14+$15}' "/proc/$1/stat"; }
uticks() { awk '{print $14}' "/proc/$1/stat"; }
start go "$bench" goserver --port 0
start nsh "$nsh" "$script" 0
hz=$(getconf CLK_TCK)
for t in "50 64" "50 16384" "1 64"; do
	set -- $t
	for i in $(seq "$runs"); do
		for s in go nsh; do
			eval "pid=\$pid_$s port=\$port_$s"
			a=$(ticks "$pid") ua=$(uticks "$pid")
			out=$(taskset -c 1 "$nsh" bench rr --port "$port" --conns "$1" --size "$2" --duration "$dur" --quiet)
			b=$(ticks "$pid") ub=$(uticks "$pid")
			req=$(echo "$out" | grep -o 'requests=[0-9]*' | cut -d= -f2)
			p50=$(echo "$out" | grep -o 'p50_us=[0-9.]*' | cut -d= -f2)
			us=$(awk -v d=$((b - a)) -v r="$req" -v hz="$hz" 'BEGIN{printf "%.2f", d*1e6/hz/r}')
			uus=$(awk -v d=$((ub - ua)) -v r="$req" -v hz="$hz" 'BEGIN{printf "%.2f", d*1e6/hz/r}')
			echo "$1x$2 $s run=$i requests=$req cpu_us_per_req=$us p50_us=$p50 user_us_per_req=$uus"
		done
	done
done | tee "$tmp/runs"
echo "--- medians (ratio Go/nsh CPU per request; nsh/Go p50)"
for t in 50x64 50x16384 1x64; do
	g=$(awk -v t=$t '$1==t && $2=="go"{split($5,a,"=");print a[2]}' "$tmp/runs" | sort -n | awk '{v[NR]=$1}END{print v[int((NR+1)/2)]}')
	n=$(awk -v t=$t '$1==t && $2=="nsh"{split($5,a,"=");print a[2]}' "$tmp/runs" | sort -n | awk '{v[NR]=$1}END{print v[int((NR+1)/2)]}')
	gp=$(awk -v t=$t '$1==t && $2=="go"{split($6,a,"=");print a[2]}' "$tmp/runs" | sort -n | awk '{v[NR]=$1}END{print v[int((NR+1)/2)]}')
	np=$(awk -v t=$t '$1==t && $2=="nsh"{split($6,a,"=");print a[2]}' "$tmp/runs" | sort -n | awk '{v[NR]=$1}END{print v[int((NR+1)/2)]}')
	awk -v t=$t -v g="$g" -v n="$n" -v gp="$gp" -v np="$np" 'BEGIN{printf "%s go=%sus nsh=%sus cpu_ratio=%.3f p50 go=%s nsh=%s p50_ratio=%.3f\n", t, g, n, g/n, gp, np, np/gp}'
done
