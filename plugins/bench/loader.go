// Package bench is nsh's load generator: request/response (rr), idle
// connections (conns), bulk transfer (bulk) and UDP request/response (udp)
// runs against a server on this machine. It is a Lua module (bench.rr{...}
// returns a result table) and the engine of "nsh bench". The client side is
// Go's net package; targets are loopback only, and every run is bounded in
// time and count.
package bench

import "nsh/plugins"

func init() {
	plugins.Register(plugins.Plugin{
		Name:    "bench",
		Version: "1.0.0",
		Summary: "load generator for servers on this machine: rr, conns, bulk, udp (loopback only, bounded)",
		Open:    Open,
		Global:  true,
		Help: []plugins.Help{
			{Name: "bench.rr", Signature: "bench.rr{port=, host=, conns=1, size=64, duration=5, requests=} -> result | nil, err, story",
				Summary: "C connections send S-byte messages and read the echo back; result has requests, errors, rps, p50_us, p99_us",
				Example: "local r = bench.rr{port = 7070, conns = 50, size = 64, duration = 2}\nprint(r.rps, r.p50_us)"},
			{Name: "bench.conns", Signature: "bench.conns{port=, host=, conns=1000, size=16, hold=0, pid=} -> result | nil, err, story",
				Summary: "open and hold C connections, then check each answers; opened, failed, answered, open_ms (kib_per_conn with pid)",
				Example: "local r = bench.conns{port = 7070, conns = 2000}\nprint(r.opened, r.answered)"},
			{Name: "bench.bulk", Signature: "bench.bulk{port=, host=, dir=\"recv\", bytes=, request=, duration=60} -> result | nil, err, story",
				Summary: "move bytes over one connection (recv: read to end of stream or bytes; send: write bytes); bytes, seconds, mbps",
				Example: "local r = bench.bulk{port = 2121, dir = \"recv\", request = \"get big.bin\\n\"}\nprint(r.mbps)"},
			{Name: "bench.udp", Signature: "bench.udp{port=, host=, conns=1, size=64, duration=5, requests=, timeout=0.2} -> result | nil, err, story",
				Summary: "UDP request/response; sent, requests (answered), lost, loss_pct, rps, p50_us",
				Example: "local r = bench.udp{port = 9999, requests = 1000}\nprint(r.requests, r.lost)"},
			{Name: "bench.line", Signature: "bench.line(result) -> \"RESULT key=value ...\"",
				Summary: "the one-line, machine-readable form of a result",
				Example: "print(bench.line(bench.rr{port = 7070, requests = 100}))"},
		},
	})
}
