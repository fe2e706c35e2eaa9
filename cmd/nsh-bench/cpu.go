package main

import (
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"time"
)

// The "cpu" section (issue 16's TCP rows): the server CPU each echo request
// costs, Go's reference against nsh's echo servers in both vocabularies, read
// from /proc/PID/stat (utime+stime) before and after each run. On a shared
// host this is steadier than req/s: another process taking the core slows
// both down but costs neither server CPU. When the machine has two CPUs or
// more and taskset is installed, the servers run on CPU 0 and the load
// generator on CPU 1, so the client's CPU is never the server's.

// cpuRun is one measurement: server CPU µs per request (user part
// beside) and the run's p50 latency.
type cpuRun struct {
	us, userUS, p50 float64
}

// cpuResult holds a section's runs: test key → server key → runs.
type cpuResult struct {
	pinned  bool
	servers []serverKind
	runs    map[string]map[string][]cpuRun
}

// procCPU returns a process's user and system CPU time from /proc/PID/stat.
func procCPU(pid int) (user, sys time.Duration, err error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, 0, err
	}
	return parseStatTimes(string(b))
}

// parseStatTimes reads utime and stime from a /proc/PID/stat line. The
// command name (field 2) is in parentheses and may hold spaces and ')'.
func parseStatTimes(s string) (user, sys time.Duration, err error) {
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return 0, 0, fmt.Errorf("/proc stat: no command name in %q", s)
	}
	f := strings.Fields(s[i+1:])
	if len(f) < 13 {
		return 0, 0, fmt.Errorf("/proc stat: %d fields after the name", len(f))
	}
	// After the name: state is field 3, utime 14 and stime 15.
	u, err1 := strconv.ParseInt(f[11], 10, 64)
	st, err2 := strconv.ParseInt(f[12], 10, 64)
	if err1 != nil || err2 != nil {
		return 0, 0, fmt.Errorf("/proc stat: bad times %q %q", f[11], f[12])
	}
	tick := time.Second / clockTicks // udp.go
	return time.Duration(u) * tick, time.Duration(st) * tick, nil
}

// pinning returns the taskset prefixes for the servers and the load
// generator, or nils when the machine cannot keep them apart.
func pinning() (server, client []string) {
	ts, err := exec.LookPath("taskset")
	if err != nil || runtime.NumCPU() < 2 {
		return nil, nil
	}
	return []string{ts, "-c", "0"}, []string{ts, "-c", "1"}
}

// runCPU measures every echo test on Go and on nsh's two echo servers,
// the servers taking turns within each round.
func (s *suite) runCPU() {
	srvPin, cliPin := pinning()
	res := &cpuResult{pinned: srvPin != nil, runs: map[string]map[string][]cpuRun{}}
	res.servers = []serverKind{
		{key: "go", name: "Go, goroutine per connection (reference)", argv: []string{s.self, "goserver", "--port", "0"}},
		{key: "nsh", name: "nsh, scripts/examples/echo_server.lua (recv/sendall, a task per connection)",
			argv: []string{s.nsh, s.script("scripts/examples/echo_server.lua"), "0"}},
		{key: "nshls", name: "nsh, scripts/bench/luasocket_echo.lua (LuaSocket receive/send, socket.select loop)",
			argv: []string{s.nsh, s.script("scripts/bench/luasocket_echo.lua"), "0"}},
	}
	running, stop := s.startServers("cpu: ", res.servers, srvPin)
	defer stop()
	d := strconv.FormatFloat(s.duration.Seconds(), 'f', -1, 64) + "s"
	for _, t := range echoTests {
		res.runs[t.key] = map[string][]cpuRun{}
		for range s.runs {
			for _, k := range res.servers {
				srv := running[k.key]
				if srv == nil || !srv.alive() {
					continue
				}
				r, err := cpuOne(s.nsh, cliPin, srv, t, d)
				if err != nil {
					s.note("cpu %s on %s: %v", t.key, k.key, err)
					continue
				}
				fmt.Fprintf(os.Stderr, "cpu %-9s %-6s us_per_req=%.2f user=%.2f p50_us=%.1f\n", t.key, k.key, r.us, r.userUS, r.p50)
				res.runs[t.key][k.key] = append(res.runs[t.key][k.key], r)
			}
		}
	}
	s.cpu = res
}

// cpuOne runs one rr measurement against srv and reads its CPU around it.
func cpuOne(nsh string, pin []string, srv *server, t echoTest, d string) (cpuRun, error) {
	u0, s0, err := procCPU(srv.pid())
	if err != nil {
		return cpuRun{}, err
	}
	argv := append(append([]string{}, pin...), nsh, "bench", "rr", "--port", strconv.Itoa(srv.port),
		"--conns", strconv.Itoa(t.conns), "--size", strconv.Itoa(t.size), "--duration", d, "--quiet")
	out, err := exec.Command(argv[0], argv[1:]...).CombinedOutput()
	if err != nil {
		return cpuRun{}, fmt.Errorf("%s: %v: %s", strings.Join(argv, " "), err, strings.TrimSpace(string(out)))
	}
	u1, s1, err := procCPU(srv.pid())
	if err != nil {
		return cpuRun{}, err
	}
	r := parseResult(string(out))
	if r == nil || r.f("requests") <= 0 {
		return cpuRun{}, fmt.Errorf("no requests answered: %q", out)
	}
	n := r.f("requests")
	us := func(d time.Duration) float64 { return float64(d.Microseconds()) / n }
	return cpuRun{us: us(u1 - u0 + s1 - s0), userUS: us(u1 - u0), p50: r.f("p50_us")}, nil
}

// cpuMedian returns the median of f over runs (0 for none).
func cpuMedian(runs []cpuRun, f func(cpuRun) float64) float64 {
	if len(runs) == 0 {
		return 0
	}
	v := make([]float64, len(runs))
	for i, r := range runs {
		v[i] = f(r)
	}
	return median(v)
}

// cpuReport is the section's table: per test, each server's median CPU per
// request and Go's over it (the ratio: ≥ 1 means as cheap as Go).
func (s *suite) cpuReport() string {
	if s.cpu == nil {
		return ""
	}
	var b strings.Builder
	where := "servers and load generator share the cores"
	if s.cpu.pinned {
		where = "servers on CPU 0, load generator on CPU 1 (taskset)"
	}
	fmt.Fprintf(&b, "\n### Server CPU per request (utime+stime from /proc/PID/stat; %s; %v per run, median of %d, the servers taking turns)\n\n", where, s.duration, s.runs)
	b.WriteString("| test | server | CPU µs per request | of which user | Go's CPU / this | p50 µs | p50 vs Go |\n|---|---|---|---|---|---|---|\n")
	cpuOf := func(r cpuRun) float64 { return r.us }
	for _, t := range echoTests {
		g := s.cpu.runs[t.key]["go"]
		for _, k := range s.cpu.servers {
			runs := s.cpu.runs[t.key][k.key]
			if len(runs) == 0 {
				continue
			}
			c, p := cpuMedian(runs, cpuOf), cpuMedian(runs, func(r cpuRun) float64 { return r.p50 })
			ratio, pratio := "-", "-"
			if gc := cpuMedian(g, cpuOf); gc > 0 && c > 0 {
				ratio = fmt.Sprintf("%.2f", gc/c)
			}
			if gp := cpuMedian(g, func(r cpuRun) float64 { return r.p50 }); gp > 0 && p > 0 {
				pratio = fmt.Sprintf("%.2f", p/gp)
			}
			fmt.Fprintf(&b, "| %s | %s | %.2f | %.2f | %s | %.1f | %s |\n", t.title, k.name, c,
				cpuMedian(runs, func(r cpuRun) float64 { return r.userUS }), ratio, p, pratio)
		}
	}
	return b.String()
}
