#!/bin/sh
# TLS figures for docs/performance.md, nsh against OpenSSL in the same run (loopback only,
# every run bounded): handshakes/s measured by `openssl s_time -new` against an nsh server and
# against `openssl s_server` (same client, so the ratio is the servers'), and bulk MB/s of a
# 256 MiB download: curl (OpenSSL) from `openssl s_server -WWW`, curl from nsh, nsh's client
# from `openssl s_server -WWW`, nsh from nsh. Medians of RUNS (default 3).
# usage: scripts/bench/tls_compare.sh [RUNS]
set -eu
runs=${1:-3}
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
pids=""
cleanup() { for p in $pids; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT
cd "$root"
go build -o "$work/nsh" ./cmd/nsh
cd "$work"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout key.pem -out cert.pem \
  -subj /CN=localhost -addext subjectAltName=DNS:localhost,IP:127.0.0.1 -days 1 2>/dev/null
head -c 268435456 /dev/zero > big.bin
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

ossl_port=$(port); nsh_port=$(port)
openssl s_server -accept "127.0.0.1:$ossl_port" -cert cert.pem -key key.pem -WWW -quiet </dev/null >/dev/null 2>&1 &
pids="$pids $!"
./nsh "$root/scripts/bench/tls_server.lua" cert.pem key.pem "$nsh_port" >/dev/null 2>&1 &
pids="$pids $!"
sleep 1

hs() { # handshakes/s of s_time -new for 3 s against port $1
  timeout 20 openssl s_time -connect "127.0.0.1:$1" -new -time 3 -CAfile cert.pem 2>/dev/null |
    awk '/connections in .* real seconds/ {print int($1 / $4)}' | head -1
}
curl_mbs() { # MB/s of curl downloading big.bin from port $1
  timeout 60 curl -s -o /dev/null --cacert cert.pem -w '%{speed_download}\n' "https://localhost:$1/big.bin" |
    awk '{printf "%.1f\n", $1 / 1e6}'
}
nsh_mbs() { timeout 60 ./nsh "$root/scripts/bench/tls_client.lua" cert.pem "$1" big.bin | awk '{print $(NF-1)}'; }

for what in "hs $ossl_port" "hs $nsh_port" "curl_mbs $ossl_port" "curl_mbs $nsh_port" "nsh_mbs $ossl_port" "nsh_mbs $nsh_port"; do
  i=0; : > vals
  while [ $i -lt "$runs" ]; do $what >> vals; i=$((i + 1)); done
  echo "$what: $(median < vals) (runs: $(tr '\n' ' ' < vals))"
done | sed -e "s/ $ossl_port:/ openssl-server:/" -e "s/ $nsh_port:/ nsh-server:/"
