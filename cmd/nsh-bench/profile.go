package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"runtime"
	"runtime/pprof"
	"strconv"
	"strings"
	"syscall"
	"time"

	_ "nsh/plugins/all"
	"nsh/shell/cli"
)

// profiledNSH: nsh-bench nsh [--cpuprofile F] [--memprofile F] ARGS... runs
// nsh exactly as cmd/nsh does, with a CPU profile from start to SIGTERM, a
// heap profile written on SIGUSR1 (while a load is held) or at SIGTERM, and
// the Go memory statistics printed on stderr at each SIGUSR2.
func profiledNSH(args []string) int {
	var cpu, mem string
	for len(args) >= 2 && (args[0] == "--cpuprofile" || args[0] == "--memprofile") {
		if args[0] == "--cpuprofile" {
			cpu = args[1]
		} else {
			mem = args[1]
		}
		args = args[2:]
	}
	if cpu != "" {
		f, err := os.Create(cpu)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		pprof.StartCPUProfile(f)
	}
	writeHeap := func() {
		if mem == "" {
			return
		}
		runtime.GC()
		if f, err := os.Create(mem); err == nil {
			pprof.WriteHeapProfile(f)
			f.Close()
		}
	}
	sig := make(chan os.Signal, 2)
	signal.Notify(sig, syscall.SIGTERM, syscall.SIGUSR1, syscall.SIGUSR2)
	go func() {
		for s := range sig {
			if s == syscall.SIGUSR2 {
				printMemStats()
				continue
			}
			if s == syscall.SIGUSR1 {
				writeHeap()
				mem = "" // keep the profile taken under load
				continue
			}
			pprof.StopCPUProfile()
			writeHeap()
			os.Exit(0)
		}
	}()
	code := cli.Main(args)
	pprof.StopCPUProfile()
	writeHeap()
	return code
}

// profile is the top of a pprof report for one workload.
type profile struct {
	title, command, top string
}

// pprofTop runs go tool pprof -top on a profile of this binary.
func pprofTop(self, file string, extra ...string) (string, error) {
	gobin, err := exec.LookPath("go")
	if err != nil {
		return "", fmt.Errorf("go not in $PATH: no pprof")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	argv := append([]string{"tool", "pprof", "-top", "-nodecount=22"}, extra...)
	argv = append(argv, self, file)
	out, err := exec.CommandContext(ctx, gobin, argv...).CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("pprof: %v: %s", err, out)
	}
	return string(out), nil
}

// runProfiles profiles the nsh echo server under each echo workload whose
// target was missed (or all with always), and its heap while it holds the
// idle connections when that target was missed.
func (s *suite) runProfiles(always bool) {
	dir, err := os.MkdirTemp("", "nsh-prof-")
	if err != nil {
		s.note("profiles: %v", err)
		return
	}
	defer os.RemoveAll(dir)
	d := strconv.FormatFloat(s.duration.Seconds(), 'f', -1, 64) + "s"
	for _, t := range echoTests {
		tg := s.echoTarget(t.key)
		if tg == nil || (!always && tg.met) {
			continue
		}
		file := dir + "/" + t.key + ".cpu"
		srv, err := startServer("profiled nsh", []string{s.self, "nsh", "--cpuprofile", file, s.script("scripts/examples/echo_server.lua"), "0"})
		if err != nil {
			s.note("profile %s: %v", t.key, err)
			continue
		}
		_, _, err = runBench(s.nsh, "rr", "--port", strconv.Itoa(srv.port), "--conns", strconv.Itoa(t.conns), "--size", strconv.Itoa(t.size), "--duration", d)
		srv.stop()
		if err != nil {
			s.note("profile %s: %v", t.key, err)
			continue
		}
		top, err := pprofTop(s.self, file)
		if err != nil {
			s.note("profile %s: %v", t.key, err)
			continue
		}
		s.profiles = append(s.profiles, profile{title: "CPU, nsh echo server, " + t.title,
			command: fmt.Sprintf("nsh bench rr --conns %d --size %d --duration %s; go tool pprof -top", t.conns, t.size, d), top: trimTop(top)})
	}
	if tg := s.idleTarget(); tg != nil && (always || !tg.met) {
		s.profileIdle(dir)
	}
	s.profileUDP(dir, always)
}

// profileIdle takes a heap profile of the nsh echo server while it holds
// the idle connections.
func (s *suite) profileIdle(dir string) {
	file := dir + "/idle.heap"
	srv, err := startServer("profiled nsh", []string{s.self, "nsh", "--memprofile", file, s.script("scripts/examples/echo_server.lua"), "0"})
	if err != nil {
		s.note("heap profile: %v", err)
		return
	}
	defer srv.stop()
	done := make(chan error, 1)
	go func() {
		_, _, err := runBench(s.nsh, "conns", "--port", strconv.Itoa(srv.port), "--conns", strconv.Itoa(s.idle), "--hold", "4s")
		done <- err
	}()
	// Wait until the server holds the connections, then ask for the profile.
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) && countFDs(srv.pid()) < s.idle {
		time.Sleep(50 * time.Millisecond)
	}
	srv.cmd.Process.Signal(syscall.SIGUSR1)
	if err := <-done; err != nil {
		s.note("heap profile: %v", err)
		return
	}
	top, err := pprofTop(s.self, file, "-sample_index=inuse_space")
	if err != nil {
		s.note("heap profile: %v", err)
		return
	}
	s.profiles = append(s.profiles, profile{title: fmt.Sprintf("Heap in use, nsh echo server holding %d idle connections", s.idle),
		command: "nsh bench conns --hold 4s; heap profile while held; go tool pprof -top -sample_index=inuse_space", top: trimTop(top)})
}

func countFDs(pid int) int {
	ents, _ := os.ReadDir("/proc/" + strconv.Itoa(pid) + "/fd")
	return len(ents)
}

// trimTop drops pprof's header lines before "Showing nodes".
func trimTop(s string) string {
	if i := strings.Index(s, "Showing nodes"); i >= 0 {
		return s[i:]
	}
	return s
}

// printMemStats prints, in KiB, the heap and stack memory in use, the
// goroutines and the garbage collections so far.
func printMemStats() {
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	fmt.Fprintf(os.Stderr, "memstats: heap_inuse_kib=%d heap_alloc_kib=%d stack_inuse_kib=%d heap_sys_kib=%d goroutines=%d gc=%d\n",
		m.HeapInuse>>10, m.HeapAlloc>>10, m.StackInuse>>10, m.HeapSys>>10, runtime.NumGoroutine(), m.NumGC)
}
