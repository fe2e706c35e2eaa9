#!/bin/sh
# The nsh benchmark suite: builds nsh and cmd/nsh-bench, then measures the Go
# reference echo server, nsh's Lua echo server, Python asyncio and (when
# installed) C Lua 5.4 + LuaSocket, and writes the tables into
# docs/performance.md. Loopback only; every run is bounded.
# usage: scripts/bench/compare.sh [nsh-bench flags: --duration 3s --runs 3 --only echo,idle,udp,bulk,startup --out FILE]
# It takes about 5 minutes (the report says how long it took) and needs only go and nc;
# the rows of missing optional tools are skipped with a note.
# Optional tools: apt-get install lua5.4 lua-socket netcat-openbsd
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
bin=$(mktemp -d)
trap 'rm -rf "$bin"' EXIT
cd "$root"
go build -o "$bin/nsh" ./cmd/nsh
go build -o "$bin/nsh-bench" ./cmd/nsh-bench
"$bin/nsh-bench" --nsh "$bin/nsh" --root "$root" "$@"
