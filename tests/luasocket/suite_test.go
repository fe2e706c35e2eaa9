package luasocket

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"nsh/internal/nshtest"
)

// impl is one implementation of LuaSocket: a way to run a Lua file.
type impl struct {
	name string
	argv func(t *testing.T, script string) []string
}

var (
	implNsh = impl{"nsh", func(t *testing.T, s string) []string { return []string{nshtest.Binary(t), s} }}
	implC   = impl{"C", func(t *testing.T, s string) []string { return []string{"lua5.1", s} }}
)

// caseResult is one case of testclnt.lua in one client/server combination.
type caseResult struct {
	name   string
	status string // PASS, FAIL or SKIP
	msg    string
}

// skipped names the cases no combination runs, and why.
var skipped = map[string]string{
	"connect_timeout": "it sends a SYN to 10.0.0.1:81, off loopback, which this project's network rule forbids",
}

// caseWait bounds one case; a case that produces no result within it is
// recorded as hung, both peers are killed and the run resumes after it.
const caseWait = 90 * time.Second

// ranges split the 86 cases so the sleeps of the timeout cases (71-86)
// overlap with the transfer cases instead of adding to them.
var ranges = [][2]int{{1, 70}, {71, 78}, {79, 1 << 30}}

// runRange runs the cases from..to of testclnt.lua with client against
// server, restarting both after a failure so every case starts clean.
func runRange(t *testing.T, client, server impl, from, to int) map[int]caseResult {
	dir, _ := filepath.Abs("testdata")
	res := map[int]caseResult{}
	for next := from; next <= to; {
		last, done, err := runOnce(t, dir, client, server, next, to, res)
		if err != nil {
			res[next] = caseResult{name: fmt.Sprintf("case %d", next), status: "FAIL", msg: err.Error()}
			last = next
		}
		if done {
			break
		}
		next = last + 1
	}
	return res
}

// runOnce starts a server and a client running cases from..to and returns
// the last case that started, and whether the client reached the end.
func runOnce(t *testing.T, dir string, client, server impl, from, to int, res map[int]caseResult) (last int, done bool, err error) {
	env := append(os.Environ(), "NO_COLOR=1", "LS_DIR="+filepath.Join(dir, "upstream"))
	srv := exec.Command(server.argv(t, filepath.Join(dir, "runsrvr.lua"))[0], server.argv(t, filepath.Join(dir, "runsrvr.lua"))[1:]...)
	srv.Env, srv.Dir = env, filepath.Join(dir, "upstream")
	var srvErr tail
	srv.Stderr = &srvErr
	sout, _ := srv.StdoutPipe()
	if err := srv.Start(); err != nil {
		return from, true, err
	}
	defer func() { srv.Process.Kill(); srv.Wait() }()
	port := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(sout)
		for sc.Scan() {
			if p, ok := strings.CutPrefix(sc.Text(), "PORT "); ok {
				port <- p
			}
		}
	}()
	var p string
	select {
	case p = <-port:
	case <-time.After(20 * time.Second):
		return from, true, fmt.Errorf("%s server printed no port within 20s: %s", server.name, srvErr.String())
	}

	argv := client.argv(t, filepath.Join(dir, "runclnt.lua"))
	cl := exec.Command(argv[0], argv[1:]...)
	var skips []string
	for k := range skipped {
		skips = append(skips, k)
	}
	cl.Env = append(env, "LS_PORT="+p, "LS_FROM="+strconv.Itoa(from), "LS_TO="+strconv.Itoa(to), "LS_SKIP="+strings.Join(skips, ","))
	cl.Dir = filepath.Join(dir, "upstream")
	var clErr tail
	cl.Stderr = &clErr
	cout, _ := cl.StdoutPipe()
	if err := cl.Start(); err != nil {
		return from, true, err
	}
	defer func() { cl.Process.Kill(); cl.Wait() }()
	lines := make(chan string)
	go func() {
		defer close(lines)
		sc := bufio.NewScanner(cout)
		for sc.Scan() {
			lines <- sc.Text()
		}
	}()
	last, cur := from-1, ""
	for {
		select {
		case line, ok := <-lines:
			if !ok {
				if cur != "" {
					res[last] = caseResult{cur, "FAIL", "the client ended mid-case: " + clErr.String() + " / server: " + srvErr.String()}
					return last, false, nil
				}
				if last < from {
					return from, true, fmt.Errorf("%s client ended before its first case: %s", client.name, clErr.String())
				}
				return last, true, nil
			}
			f := strings.SplitN(line, " ", 3)
			if len(f) < 2 {
				continue
			}
			n, _ := strconv.Atoi(f[1])
			switch f[0] {
			case "CASE":
				last, cur = n, f[2]
			case "SKIP":
				last = n
				res[n] = caseResult{f[2], "SKIP", skipped[strings.SplitN(f[2], "(", 2)[0]]}
			case "PASS":
				res[n], cur = caseResult{cur, "PASS", ""}, ""
			case "FAIL":
				msg := ""
				if len(f) == 3 {
					msg = f[2]
				}
				res[n], cur = caseResult{cur, "FAIL", msg}, ""
				return n, false, nil
			case "END":
				return last, true, nil
			}
		case <-time.After(caseWait):
			res[last] = caseResult{cur, "FAIL", fmt.Sprintf("no result within %v (hung); client: %s; server: %s", caseWait, clErr.String(), srvErr.String())}
			return last, false, nil
		}
	}
}

// runSuite runs every case of testclnt.lua with client against server.
func runSuite(t *testing.T, client, server impl) map[int]caseResult {
	var mu sync.Mutex
	var wg sync.WaitGroup
	all := map[int]caseResult{}
	for _, r := range ranges {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got := runRange(t, client, server, r[0], r[1])
			mu.Lock()
			for k, v := range got {
				all[k] = v
			}
			mu.Unlock()
		}()
	}
	wg.Wait()
	return all
}

// tail keeps the last 2 KiB written to it, for failure messages.
type tail struct {
	mu sync.Mutex
	b  []byte
}

func (w *tail) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.b = append(w.b, p...)
	if len(w.b) > 2048 {
		w.b = w.b[len(w.b)-2048:]
	}
	return len(p), nil
}

func (w *tail) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return strings.TrimSpace(string(w.b))
}

var _ io.Writer = (*tail)(nil)
