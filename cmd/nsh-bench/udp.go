package main

import (
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"
)

// The UDP echo: 4 sockets of "nsh bench udp" sending 64-byte datagrams to
// the Go reference (nsh-bench goserver) and to scripts/bench/udp_echo.lua,
// the two servers taking turns, medians of at least 3 runs. Beside the rate
// (which the load generator, on the same two cores, also sets) each run
// reads the server's CPU time from /proc/PID/stat: CPU per answered
// datagram is the steadier figure on a shared machine.

// udpRuns is at least 5, whatever --runs says (one UDP run is 3 s): a
// pinned server is starved now and then on a loaded machine, and the
// median of five rounds outlasts one or two such rounds.
func (s *suite) udpRuns() int { return max(s.runs, 5) }

// runUDP measures both servers in turns.
func (s *suite) runUDP() {
	s.udp = map[string]result{}
	d := strconv.FormatFloat(s.duration.Seconds(), 'f', -1, 64) + "s"
	kinds := []serverKind{
		{key: "go", name: "udp go", argv: []string{s.self, "goserver", "--port", "0"}},
		{key: "nsh", name: "udp nsh", argv: []string{s.nsh, s.script("scripts/bench/udp_echo.lua"), "0"}},
	}
	// As in the cpu section: servers on CPU 0, the load generator on CPU 1
	// when taskset is there, so the two do not fight for one core.
	srvPin, cliPin := pinning()
	s.udpPinned = srvPin != nil
	running, stop := s.startServers("", kinds, srvPin)
	defer stop()
	runs := map[string][]result{}
	var paired []float64 // nsh's rate over Go's, round by round
	for range s.udpRuns() {
		round := map[string]result{}
		for _, k := range kinds {
			srv := running[k.key]
			if srv == nil || !srv.alive() {
				continue
			}
			t0 := cpuTicks(srv.pid())
			r, cmd, err := runBenchPinned(cliPin, s.nsh, "udp", "--port", strconv.Itoa(srv.port), "--conns", "4", "--size", "64", "--duration", d)
			t1 := cpuTicks(srv.pid())
			s.command(cmd)
			if err != nil {
				s.note("udp on %s: %v", k.key, err)
				continue
			}
			if n := r.f("requests"); n > 0 && t0 >= 0 && t1 >= t0 {
				r["cpu_us"] = strconv.FormatFloat(float64(t1-t0)*1e6/clockTicks/n, 'f', 2, 64)
			}
			fmt.Fprintf(os.Stderr, "udp       %-10s rps=%s cpu_us=%s lost=%s\n", k.key, r["rps"], r["cpu_us"], r["lost"])
			runs[k.key] = append(runs[k.key], r)
			round[k.key] = r
		}
		if g, n := round["go"], round["nsh"]; g != nil && n != nil && g.f("rps") > 0 {
			paired = append(paired, n.f("rps")/g.f("rps"))
		}
	}
	if len(paired) > 0 {
		s.udpPaired = median(paired)
	}
	for key, rs := range runs {
		rates := append([]result(nil), rs...)
		sort.Slice(rates, func(i, j int) bool { return rates[i].f("rps") < rates[j].f("rps") })
		med := rates[len(rates)/2]
		cpus := make([]float64, 0, len(rs))
		for _, r := range rs {
			if r["cpu_us"] != "" {
				cpus = append(cpus, r.f("cpu_us"))
			}
		}
		if len(cpus) > 0 {
			med["cpu_us_median"] = strconv.FormatFloat(median(cpus), 'f', 2, 64)
		}
		med["runs"] = strconv.Itoa(len(rs))
		s.udp[key] = med
	}
}

// clockTicks is the kernel's USER_HZ, the unit of /proc/PID/stat's times
// (100 on every Linux nsh runs on).
const clockTicks = 100

// cpuTicks is utime + stime of pid in clock ticks (-1 if unreadable); it
// reads them as the cpu section does (procCPU, cpu.go).
func cpuTicks(pid int) int64 {
	u, st, err := procCPU(pid)
	if err != nil {
		return -1
	}
	return int64((u + st) / (time.Second / clockTicks))
}

// reportUDP writes the UDP echo table.
func (s *suite) reportUDP(b *strings.Builder) {
	if len(s.udp) == 0 {
		return
	}
	pin := ""
	if s.udpPinned {
		pin = ", servers on CPU 0 and the load generator on CPU 1 (taskset)"
	}
	fmt.Fprintf(b, "\n### UDP echo (4 sockets, 64-byte datagrams, %v per run, median of %d, the servers taking turns%s)\n\n", s.duration, s.udpRuns(), pin)
	b.WriteString("| server | answered/s | vs Go | server CPU µs per datagram | Go's / this | p50 µs | lost |\n|---|---|---|---|---|---|---|\n")
	g := s.udp["go"]
	for _, k := range []string{"go", "nsh"} {
		r := s.udp[k]
		if r == nil {
			continue
		}
		name := map[string]string{"go": "Go (nsh-bench goserver; reference)", "nsh": "nsh Lua, scripts/bench/udp_echo.lua"}[k]
		cpu, cr := "–", "–"
		if r["cpu_us_median"] != "" {
			cpu = r["cpu_us_median"]
			if g != nil && g.f("cpu_us_median") > 0 {
				cr = fmt.Sprintf("%.2f", g.f("cpu_us_median")/r.f("cpu_us_median"))
			}
		}
		fmt.Fprintf(b, "| %s | %s | %s | %s | %s | %s | %s |\n", name, num(r, "rps"), rat(r, g, "rps"), cpu, cr, dec(r, "p50_us"), r["lost"])
	}
	if s.udpPaired > 0 {
		fmt.Fprintf(b, "\nnsh's rate over Go's in the same round, median of the rounds: %.2f.\n", s.udpPaired)
	}
}

// udpTarget is issue 16's UDP goal: ≥ 0.90 of Go's answered/s.
func (s *suite) udpTarget() *target {
	g, n := s.udp["go"], s.udp["nsh"]
	if g == nil || n == nil {
		return nil
	}
	r := s.udpPaired
	m := fmt.Sprintf("%.2f of Go (median of the rounds' ratios; medians %s vs %s answered/s)", r, num(n, "rps"), num(g, "rps"))
	if n.f("cpu_us_median") > 0 && g.f("cpu_us_median") > 0 {
		m += fmt.Sprintf("; CPU per datagram %.2f of Go's (%.1f vs %.1f µs)", g.f("cpu_us_median")/n.f("cpu_us_median"), n.f("cpu_us_median"), g.f("cpu_us_median"))
	}
	return &target{name: "UDP echo, 4 sockets × 64 B", goal: "≥ 0.90 of Go answered/s (issue 16)", measured: m, met: r >= 0.9}
}

// profileUDP profiles scripts/bench/udp_echo.lua under the UDP load when
// its target was missed (or always).
func (s *suite) profileUDP(dir string, always bool) {
	tg := s.udpTarget()
	if tg == nil || (!always && tg.met) {
		return
	}
	d := strconv.FormatFloat(s.duration.Seconds(), 'f', -1, 64) + "s"
	file := dir + "/udp.cpu"
	srv, err := startServer("profiled nsh", []string{s.self, "nsh", "--cpuprofile", file, s.script("scripts/bench/udp_echo.lua"), "0"})
	if err != nil {
		s.note("profile udp: %v", err)
		return
	}
	_, _, err = runBench(s.nsh, "udp", "--port", strconv.Itoa(srv.port), "--conns", "4", "--size", "64", "--duration", d)
	srv.stop()
	if err != nil {
		s.note("profile udp: %v", err)
		return
	}
	top, err := pprofTop(s.self, file)
	if err != nil {
		s.note("profile udp: %v", err)
		return
	}
	s.profiles = append(s.profiles, profile{title: "CPU, nsh UDP echo (scripts/bench/udp_echo.lua), 4 sockets × 64 B",
		command: fmt.Sprintf("nsh bench udp --conns 4 --size 64 --duration %s; go tool pprof -top", d), top: trimTop(top)})
}
