package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// server is a running server under test.
type server struct {
	name string
	cmd  *exec.Cmd
	port int
	done chan struct{}
	errb *strings.Builder
	// onResult, when set before the server prints one, gets its RESULT line.
	onResult func(result)
	resultMu sync.Mutex
}

var listeningRE = regexp.MustCompile(`listening on .*:(\d+)\s*$`)

// startServer runs argv and waits (at most 10 s) for its "listening on
// HOST:PORT" line.
func startServer(name string, argv []string, env ...string) (*server, error) {
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Env = append(os.Environ(), append([]string{"NO_COLOR=1"}, env...)...)
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	errb := &strings.Builder{}
	cmd.Stderr = &limitedWriter{b: errb, n: 4096}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s: %v", name, err)
	}
	s := &server{name: name, cmd: cmd, done: make(chan struct{}), errb: errb}
	ports := make(chan int, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if r := parseResult(sc.Text()); r != nil {
				s.resultMu.Lock()
				if s.onResult != nil {
					s.onResult(r)
				}
				s.resultMu.Unlock()
			}
			if m := listeningRE.FindStringSubmatch(sc.Text()); m != nil {
				p, _ := strconv.Atoi(m[1])
				select {
				case ports <- p:
				default:
				}
			}
		}
		io.Copy(io.Discard, out)
	}()
	go func() { cmd.Wait(); close(s.done) }()
	select {
	case s.port = <-ports:
		return s, nil
	case <-s.done:
		return nil, fmt.Errorf("%s exited before listening: %s", name, errb.String())
	case <-time.After(10 * time.Second):
		s.stop()
		return nil, fmt.Errorf("%s: no \"listening on\" line within 10 s", name)
	}
}

// startServers starts every kind behind prefix (taskset's, or nil) and
// returns the ones that came up, by key, and a func that stops them all; a
// kind that did not come up is noted (after notePrefix) and left out, so
// its rows are skipped.
func (s *suite) startServers(notePrefix string, kinds []serverKind, prefix []string) (map[string]*server, func()) {
	running := map[string]*server{}
	for _, k := range kinds {
		srv, err := startServer(k.name, append(slices.Clone(prefix), k.argv...))
		if err != nil {
			s.note("%s%v", notePrefix, err)
			continue
		}
		running[k.key] = srv
	}
	return running, func() {
		for _, srv := range running {
			srv.stop()
		}
	}
}

func (s *server) pid() int { return s.cmd.Process.Pid }

// stop ends the server by its PID: SIGTERM, then SIGKILL after 3 s.
func (s *server) stop() {
	select {
	case <-s.done:
		return
	default:
	}
	s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.done:
	case <-time.After(3 * time.Second):
		s.cmd.Process.Kill()
		<-s.done
	}
}

// alive reports whether the server is still running.
func (s *server) alive() bool {
	select {
	case <-s.done:
		return false
	default:
		return true
	}
}

type limitedWriter struct {
	b *strings.Builder
	n int
}

func (w *limitedWriter) Write(p []byte) (int, error) {
	if room := w.n - w.b.Len(); room > 0 {
		w.b.Write(p[:min(len(p), room)])
	}
	return len(p), nil
}

// result is a parsed RESULT line.
type result map[string]string

func (r result) f(key string) float64 {
	v, _ := strconv.ParseFloat(r[key], 64)
	return v
}

// runBench runs "nsh bench MODE ARGS... --quiet" (at most 90 s) and parses
// its RESULT line.
func runBench(nsh string, mode string, args ...string) (result, string, error) {
	return runBenchPinned(nil, nsh, mode, args...)
}

// runBenchPinned is runBench under a taskset prefix (pin, may be nil).
func runBenchPinned(pin []string, nsh string, mode string, args ...string) (result, string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	argv := append([]string{"bench", mode}, args...)
	argv = append(argv, "--quiet")
	full := append(append(append([]string{}, pin...), nsh), argv...)
	cmd := exec.CommandContext(ctx, full[0], full[1:]...)
	out, err := cmd.CombinedOutput()
	line := "nsh " + strings.Join(argv, " ")
	if err != nil {
		return nil, line, fmt.Errorf("%s: %v: %s", line, err, strings.TrimSpace(string(out)))
	}
	if r := parseResult(string(out)); r != nil {
		return r, line, nil
	}
	return nil, line, fmt.Errorf("%s: no RESULT line in %q", line, out)
}

// parseResult returns the key=value pairs of the first RESULT line in out.
func parseResult(out string) result {
	for l := range strings.SplitSeq(out, "\n") {
		if rest, ok := strings.CutPrefix(l, "RESULT "); ok {
			r := result{}
			for _, kv := range strings.Fields(rest) {
				k, v, _ := strings.Cut(kv, "=")
				r[k] = v
			}
			return r
		}
	}
	return nil
}
