package e2e

import (
	"bufio"
	"fmt"
	"net"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"nsh/internal/nshtest"
)

// respCall sends one RESP command on c and returns the reply's first line
// and, for a bulk string, its data.
func respCall(t *testing.T, c net.Conn, r *bufio.Reader, args ...string) string {
	t.Helper()
	var b strings.Builder
	fmt.Fprintf(&b, "*%d\r\n", len(args))
	for _, a := range args {
		fmt.Fprintf(&b, "$%d\r\n%s\r\n", len(a), a)
	}
	c.SetDeadline(time.Now().Add(20 * time.Second))
	if _, err := c.Write([]byte(b.String())); err != nil {
		t.Fatal(err)
	}
	line, err := r.ReadString('\n')
	if err != nil {
		t.Fatalf("%v: %v", args, err)
	}
	line = strings.TrimRight(line, "\r\n")
	if strings.HasPrefix(line, "$") && line != "$-1" {
		n, _ := strconv.Atoi(line[1:])
		data := make([]byte, n+2)
		if _, err := io_ReadFull(r, data); err != nil {
			t.Fatal(err)
		}
		return string(data[:n])
	}
	return line
}

func io_ReadFull(r *bufio.Reader, p []byte) (int, error) {
	n := 0
	for n < len(p) {
		m, err := r.Read(p[n:])
		n += m
		if err != nil {
			return n, err
		}
	}
	return n, nil
}

// TestRESPServerRedisBenchmark runs scripts/examples/resp_server.lua under
// redis-benchmark, unpipelined and with -P 16, 50 and 1,000 clients: every
// run completes without errors, and the keys it wrote hold its value.
// Throughput is measured by scripts/bench/resp_compare.sh, not asserted.
func TestRESPServerRedisBenchmark(t *testing.T) {
	bench, err := exec.LookPath("redis-benchmark")
	if err != nil {
		t.Skip("redis-benchmark not found (apt-get install redis-tools): skipping the RESP server test")
	}
	server := filepath.Join(nshtest.Root(), "scripts", "examples", "resp_server.lua")
	p := nshtest.Start(t, server, "0")
	port := p.WaitLine(t, `^listening on 127\.0\.0\.1:(\d+)$`, 20*time.Second)[1]
	all := "set,get,ping,incr,lpush,lpop,mset"
	for _, run := range []struct{ clients, pipeline, n, tests string }{
		{"50", "1", "2000", all}, {"50", "16", "10000", all}, {"1000", "16", "10000", "set,get"},
	} {
		cmd := exec.Command(bench, "-p", port, "-c", run.clients, "-P", run.pipeline, "-n", run.n,
			"-t", run.tests, "-r", "100", "-d", "7", "--csv")
		out, err := runBounded(cmd, 120*time.Second)
		if err != nil {
			t.Fatalf("redis-benchmark -c %s -P %s: %v\n%s", run.clients, run.pipeline, err, out)
		}
		for _, test := range []string{`"SET"`, `"GET"`, `"PING_INLINE"`, `"PING_MBULK"`, `"INCR"`, `"LPUSH"`, `"LPOP"`, `"MSET (10 keys)"`} {
			if run.tests != all && test != `"SET"` && test != `"GET"` {
				continue
			}
			if !strings.Contains(out, test+",") {
				t.Fatalf("redis-benchmark -c %s -P %s: no %s result:\n%s", run.clients, run.pipeline, test, out)
			}
		}
		if strings.Contains(out, "ERR") || strings.Contains(out, "Error") {
			t.Fatalf("redis-benchmark reported errors:\n%s", out)
		}
	}
	c, err := net.Dial("tcp", "127.0.0.1:"+port)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	r := bufio.NewReader(c)
	if got := respCall(t, c, r, "PING"); got != "+PONG" {
		t.Fatalf("PING: %q", got)
	}
	found := 0
	for i := 0; i < 100; i++ {
		key := fmt.Sprintf("key:%012d", i)
		switch got := respCall(t, c, r, "GET", key); {
		case got == "$-1":
		case len(got) == 7 && !strings.ContainsAny(got, "\r\n"):
			found++
		default:
			t.Fatalf("GET %s: %q, want the benchmark's 7-byte value (-d 7)", key, got)
		}
	}
	if found == 0 {
		t.Fatal("redis-benchmark's SET left no key:NNN key")
	}
	if got := respCall(t, c, r, "INCR", "counter:__rand_int__"); !strings.HasPrefix(got, ":") {
		t.Fatalf("INCR: %q", got)
	}
	if got := respCall(t, c, r, "SET", "k", "v"); got != "+OK" {
		t.Fatalf("SET: %q", got)
	}
	if got := respCall(t, c, r, "DEL", "k", "nokey"); got != ":1" {
		t.Fatalf("DEL: %q", got)
	}
	if got := respCall(t, c, r, "GET", "k"); got != "$-1" {
		t.Fatalf("GET after DEL: %q", got)
	}
	if got := respCall(t, c, r, "NOSUCH"); !strings.HasPrefix(got, "-ERR unknown command") {
		t.Fatalf("unknown command: %q", got)
	}
}

// runBounded runs cmd, killing it after d.
func runBounded(cmd *exec.Cmd, d time.Duration) (string, error) {
	var out strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		return "", err
	}
	err := waitExit(cmd, d)
	return out.String(), err
}
