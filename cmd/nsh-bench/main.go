// Command nsh-bench is nsh's benchmark suite. In one run it starts a Go
// goroutine-per-connection echo server (the reference), nsh running
// scripts/examples/echo_server.lua, a Python asyncio server and, when
// installed, a C Lua 5.4 + LuaSocket select server; it measures each with
// "nsh bench", times bulk transfers against nc and nsh's start-up, profiles
// nsh where a target is missed, and writes the tables into
// docs/performance.md. scripts/bench/compare.sh builds and runs it.
//
// It also holds the helpers the suite starts: "nsh-bench goserver" (the Go
// reference echo server, TCP and UDP), "nsh-bench fileserver FILE" (io.Copy,
// i.e. sendfile) and "nsh-bench nsh --cpuprofile F ARGS..." (nsh itself,
// with a CPU or heap profile written on SIGTERM or SIGUSR1).
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"nsh/plugins/bench"
)

func main() {
	if len(os.Args) > 1 {
		switch os.Args[1] {
		case "goserver":
			os.Exit(goServerMain(os.Args[2:]))
		case "fileserver":
			os.Exit(fileServerMain(os.Args[2:]))
		case "nsh":
			os.Exit(profiledNSH(os.Args[2:]))
		case "md5":
			os.Exit(md5Main(os.Args[2:]))
		}
	}
	os.Exit(suiteMain(os.Args[1:]))
}

func suiteMain(args []string) int {
	fs := flag.NewFlagSet("nsh-bench", flag.ContinueOnError)
	nsh := fs.String("nsh", "", "the nsh binary to measure (required)")
	root := fs.String("root", ".", "the nsh source tree (for scripts/)")
	out := fs.String("out", "docs/performance.md", "report to write ('-' for stdout)")
	duration := fs.Duration("duration", 3*time.Second, "length of each request/response run")
	runs := fs.Int("runs", 3, "runs of each echo measurement (the median is kept)")
	idle := fs.Int("idle", 10000, "idle connections to hold")
	bulkSize := fs.String("bulk", "1G", "bulk transfer size")
	only := fs.String("only", "echo,cpu,idle,udp,bulk,startup", "sections to run")
	prof := fs.String("profile", "missed", "profile nsh: missed (where a target is missed), always, never")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *nsh == "" {
		fmt.Fprintln(os.Stderr, "nsh-bench: --nsh PATH is required (scripts/bench/compare.sh builds it)")
		return 2
	}
	self, err := os.Executable()
	if err != nil {
		fmt.Fprintln(os.Stderr, "nsh-bench:", err)
		return 1
	}
	bulkBytes, err := bench.ParseBytes(*bulkSize)
	if err != nil {
		fmt.Fprintln(os.Stderr, "nsh-bench: --bulk:", err)
		return 2
	}
	absNSH, _ := filepath.Abs(*nsh)
	absRoot, _ := filepath.Abs(*root)
	s := &suite{nsh: absNSH, self: self, root: absRoot, duration: *duration, runs: max(*runs, 1),
		idle: *idle, bulkBytes: bulkBytes}
	started := time.Now()
	s.loadStart = loadAvg()
	s.findServers()
	want := map[string]bool{}
	for _, w := range strings.Split(*only, ",") {
		want[strings.TrimSpace(w)] = true
	}
	if want["echo"] {
		s.runEcho()
	}
	if want["cpu"] {
		s.runCPU() // cpu.go
	}
	if want["idle"] {
		s.runIdle()
	}
	if want["udp"] {
		s.runUDP()
	}
	if want["bulk"] {
		dir, err := os.MkdirTemp("", "nsh-bench-")
		if err == nil {
			s.runBulk(dir)
			os.RemoveAll(dir)
		}
	}
	if want["startup"] {
		s.runStartup()
	}
	if *prof != "never" {
		s.runProfiles(*prof == "always")
	}
	report := s.report(started)
	if *out == "-" {
		fmt.Print(report)
		return 0
	}
	if err := writeReport(*out, report); err != nil {
		fmt.Fprintln(os.Stderr, "nsh-bench:", err)
		return 1
	}
	fmt.Fprintf(os.Stderr, "nsh-bench: wrote %s\n", *out)
	return 0
}
