package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
)

// serverKind is one server the suite measures.
type serverKind struct {
	key, name string
	argv      []string // with "0" as the port
	idleConns int      // how many idle connections it is asked to hold
	note      string
}

// echoTest is one request/response measurement.
type echoTest struct {
	key, title  string
	conns, size int
}

var echoTests = []echoTest{
	{"rr50x64", "50 connections, 64-byte echo", 50, 64},
	{"rr50x16k", "50 connections, 16 KiB echo", 50, 16 << 10},
	{"rr1x64", "1 connection, 64-byte echo (latency)", 1, 64},
}

// suite holds the configuration and everything measured.
type suite struct {
	nsh, self, root string
	duration        time.Duration
	runs            int
	idle            int
	bulkBytes       int64
	servers         []serverKind
	echo            map[string]map[string]result // test key → server key → result
	idleRes         map[string]result
	udp             map[string]result
	loadStart       string  // /proc/loadavg's 1-minute figure when the run began
	udpPinned       bool    // the UDP rows ran under taskset
	udpPaired       float64 // median of the rounds' nsh/Go UDP rates
	startup         []timing
	bulk            []bulkRow
	loops           []loopRow
	profiles        []profile
	cpu             *cpuResult // the cpu section (cpu.go)
	commands        []string
	problems        []string
}

func (s *suite) note(format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	s.problems = append(s.problems, msg)
	fmt.Fprintln(os.Stderr, "nsh-bench: "+msg)
}

func (s *suite) script(rel string) string { return filepath.Join(s.root, rel) }

// findServers lists the servers to measure: Go and nsh always, Python and
// C Lua + LuaSocket when installed.
func (s *suite) findServers() {
	s.servers = []serverKind{
		{key: "go", name: "Go, goroutine per connection (reference)", argv: []string{s.self, "goserver", "--port", "0"}, idleConns: s.idle},
		{key: "nsh", name: "nsh Lua, scripts/examples/echo_server.lua", argv: []string{s.nsh, s.script("scripts/examples/echo_server.lua"), "0"}, idleConns: s.idle},
	}
	if lua, err := exec.LookPath("lua5.4"); err == nil && exec.Command(lua, "-e", `require("socket")`).Run() == nil {
		s.servers = append(s.servers, serverKind{key: "luasocket", name: "C Lua 5.4 + LuaSocket, socket.select loop",
			argv: []string{lua, s.script("scripts/bench/luasocket_echo.lua"), "0"}, idleConns: min(s.idle, 1000),
			note: "select() holds at most FD_SETSIZE (1,024) descriptors"})
	} else {
		s.note("lua5.4 with LuaSocket not installed (apt-get install lua5.4 lua-socket): its row is skipped")
	}
	if py, err := exec.LookPath("python3"); err == nil {
		s.servers = append(s.servers, serverKind{key: "python", name: "Python asyncio (Protocol)",
			argv: []string{py, s.script("scripts/bench/asyncio_echo.py"), "0"}, idleConns: s.idle})
	} else {
		s.note("python3 not found: its row is skipped")
	}
}

// runEcho measures every echo test on every server, interleaved so that a
// slow moment of the machine does not land on one server only.
func (s *suite) runEcho() {
	s.echo = map[string]map[string]result{}
	running, stop := s.startServers("", s.servers, nil)
	defer stop()
	d := strconv.FormatFloat(s.duration.Seconds(), 'f', -1, 64) + "s"
	for _, t := range echoTests {
		s.echo[t.key] = map[string]result{}
		// Rounds go through every server in turn (Go, nsh, LuaSocket,
		// Python, then again), so a machine that slows down or speeds up
		// during the run (a shared host does) weighs on all of them alike.
		runs := map[string][]result{}
		for range s.runs {
			for _, k := range s.servers {
				srv := running[k.key]
				if srv == nil || !srv.alive() {
					continue
				}
				r, cmd, err := runBench(s.nsh, "rr", "--port", strconv.Itoa(srv.port), "--conns", strconv.Itoa(t.conns),
					"--size", strconv.Itoa(t.size), "--duration", d)
				s.command(cmd)
				if err != nil {
					s.note("%s on %s: %v", t.key, k.key, err)
					continue
				}
				fmt.Fprintf(os.Stderr, "%-9s %-10s rps=%s p50_us=%s errors=%s\n", t.key, k.key, r["rps"], r["p50_us"], r["errors"])
				runs[k.key] = append(runs[k.key], r)
			}
		}
		for key, rs := range runs {
			sort.Slice(rs, func(i, j int) bool { return rs[i].f("rps") < rs[j].f("rps") })
			s.echo[t.key][key] = rs[len(rs)/2]
		}
	}
}

// runIdle starts each server afresh and asks it to hold many idle
// connections, reading its memory before and after.
func (s *suite) runIdle() {
	s.idleRes = map[string]result{}
	for _, k := range s.servers {
		srv, err := startServer(k.name, k.argv)
		if err != nil {
			s.note("%v", err)
			continue
		}
		r, cmd, err := runBench(s.nsh, "conns", "--port", strconv.Itoa(srv.port), "--conns", strconv.Itoa(k.idleConns),
			"--hold", "1s", "--pid", strconv.Itoa(srv.pid()))
		s.command(cmd)
		srv.stop()
		if err != nil {
			s.note("idle connections on %s: %v", k.key, err)
			continue
		}
		fmt.Fprintf(os.Stderr, "idle      %-10s opened=%s answered=%s kib_per_conn=%s\n", k.key, r["opened"], r["answered"], r["kib_per_conn"])
		s.idleRes[k.key] = r
	}
}

var portArgRE = regexp.MustCompile(`--(port|pid) \d+`)

// command records a command line for the report, with PORT and PID for the
// numbers that change from run to run.
func (s *suite) command(c string) {
	c = portArgRE.ReplaceAllStringFunc(c, func(m string) string {
		if strings.HasPrefix(m, "--port") {
			return "--port PORT"
		}
		return "--pid PID"
	})
	for _, have := range s.commands {
		if have == c {
			return
		}
	}
	s.commands = append(s.commands, c)
}
