package bench

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"os"
	"strings"
	"testing"
	"time"

	"nsh/netcore"
)

func TestRRCountsRequests(t *testing.T) {
	port := echoServer(t, nil)
	for _, tc := range []struct {
		conns, size int
		requests    int64
	}{{1, 64, 500}, {4, 64, 1000}, {3, 16 << 10, 300}, {8, 1, 777}} {
		r, err := RR(context.Background(), RROptions{Port: port, Conns: tc.conns, Size: tc.size, Requests: tc.requests})
		if err != nil {
			t.Fatal(err)
		}
		if got := num(t, r, "requests"); got != tc.requests {
			t.Errorf("%+v: requests %d, want %d", tc, got, tc.requests)
		}
		if e := num(t, r, "errors"); e != 0 {
			t.Errorf("%+v: %d errors: %s", tc, e, r.Line())
		}
		if num(t, r, "conns") != int64(tc.conns) || r.Float("p50_us") <= 0 || r.Float("p99_us") < r.Float("p50_us") {
			t.Errorf("%+v: %s", tc, r.Line())
		}
	}
}

func TestRRStopsByDuration(t *testing.T) {
	port := echoServer(t, nil)
	r, err := RR(context.Background(), RROptions{Port: port, Conns: 2, Duration: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	// The duration is a cap, not a speed: the run must end near it.
	if num(t, r, "requests") == 0 || r.Float("seconds") > 0.1+Grace.Seconds() {
		t.Errorf("%s", r.Line())
	}
}

func TestRRCountsBadReplies(t *testing.T) {
	port := echoServer(t, func(b []byte) []byte { return bytes.Repeat([]byte("x"), len(b)) })
	r, err := RR(context.Background(), RROptions{Port: port, Conns: 2, Requests: 10})
	if err != nil {
		t.Fatal(err)
	}
	if num(t, r, "errors") != 2 || !strings.Contains(r.Get("first_error").(string), "not an echo server") {
		t.Errorf("%s", r.Line())
	}
}

func TestRRServerCloses(t *testing.T) {
	port := tcpServer(t, func(c net.Conn) {}) // closes at once
	r, err := RR(context.Background(), RROptions{Port: port, Conns: 3, Requests: 100})
	if err != nil {
		t.Fatal(err)
	}
	if num(t, r, "errors") != 3 || num(t, r, "requests") != 0 {
		t.Errorf("%s", r.Line())
	}
}

func TestRefusedConnection(t *testing.T) {
	port := freePort(t)
	_, err := RR(context.Background(), RROptions{Port: port, Requests: 1})
	if netcore.Short(err) != "connection refused" {
		t.Errorf("err %v, short %q", err, netcore.Short(err))
	}
}

func TestRefusesNonLoopback(t *testing.T) {
	for _, host := range []string{"10.0.0.1", "192.168.1.1", "172.16.0.1", "8.8.8.8", "::ffff:10.0.0.1", "2001:db8::1", "0.0.0.0"} {
		for _, run := range []func() error{
			func() error {
				_, err := RR(context.Background(), RROptions{Host: host, Port: 80, Requests: 1})
				return err
			},
			func() error {
				_, err := Conns(context.Background(), ConnsOptions{Host: host, Port: 80, Conns: 1})
				return err
			},
			func() error {
				_, err := Bulk(context.Background(), BulkOptions{Host: host, Port: 80, Bytes: 1})
				return err
			},
			func() error {
				_, err := UDP(context.Background(), UDPOptions{Host: host, Port: 80, Requests: 1})
				return err
			},
		} {
			err := run()
			if !errors.Is(err, ErrNotLoopback) || !errors.As(err, new(*UsageError)) || !strings.Contains(err.Error(), host) {
				t.Errorf("%s: err %v, want a refusal naming it", host, err)
			}
		}
	}
	for _, host := range []string{"127.0.0.1", "127.1.2.3", "::1", "localhost"} {
		if _, err := ResolveTarget(context.Background(), host, 1); err != nil {
			t.Errorf("%s: %v", host, err)
		}
	}
}

func TestBadOptions(t *testing.T) {
	ctx := context.Background()
	for name, run := range map[string]func() error{
		"port 0":      func() error { _, err := RR(ctx, RROptions{Port: 0}); return err },
		"port 70000":  func() error { _, err := RR(ctx, RROptions{Port: 70000}); return err },
		"conns":       func() error { _, err := RR(ctx, RROptions{Port: 1, Conns: MaxConns + 1}); return err },
		"size":        func() error { _, err := RR(ctx, RROptions{Port: 1, Size: MaxSize + 1}); return err },
		"requests":    func() error { _, err := RR(ctx, RROptions{Port: 1, Requests: -1}); return err },
		"hold":        func() error { _, err := Conns(ctx, ConnsOptions{Port: 1, Hold: time.Hour}); return err },
		"dir":         func() error { _, err := Bulk(ctx, BulkOptions{Port: 1, Dir: "up"}); return err },
		"bytes":       func() error { _, err := Bulk(ctx, BulkOptions{Port: 1, Bytes: MaxBytes + 1}); return err },
		"udp size":    func() error { _, err := UDP(ctx, UDPOptions{Port: 1, Size: 70000}); return err },
		"no such pid": func() error { _, err := Conns(ctx, ConnsOptions{Port: freePort(t), PID: 1 << 30}); return err },
	} {
		if err := run(); !errors.As(err, new(*UsageError)) {
			t.Errorf("%s: err %v, want a usage error", name, err)
		}
	}
}

func TestConnsAllAnswer(t *testing.T) {
	port := echoServer(t, nil)
	r, err := Conns(context.Background(), ConnsOptions{Port: port, Conns: 300, PID: os.Getpid()})
	if err != nil {
		t.Fatal(err)
	}
	if num(t, r, "opened") != 300 || num(t, r, "answered") != 300 || num(t, r, "failed") != 0 || r.Get("kib_per_conn") == nil {
		t.Errorf("%s", r.Line())
	}
}

func TestConnsCountsSilentOnes(t *testing.T) {
	// Every other connection is closed by the server after its first
	// (accepted) moment, so half do not answer the check.
	n := 0
	var mu = make(chan struct{}, 1)
	mu <- struct{}{}
	port := tcpServer(t, func(c net.Conn) {
		<-mu
		n++
		odd := n%2 == 1
		mu <- struct{}{}
		if odd {
			return
		}
		io.Copy(c, c)
	})
	r, err := Conns(context.Background(), ConnsOptions{Port: port, Conns: 40})
	if err != nil {
		t.Fatal(err)
	}
	if num(t, r, "opened") != 40 || num(t, r, "answered") != 20 || r.Get("first_error") == nil {
		t.Errorf("%s", r.Line())
	}
}

func TestBulkRecv(t *testing.T) {
	const size = 10 << 20
	port := tcpServer(t, func(c net.Conn) {
		line := make([]byte, 4)
		if _, err := io.ReadFull(c, line); err != nil || string(line) != "get\n" {
			return
		}
		c.Write(make([]byte, size))
	})
	for _, tc := range []struct {
		want     int64
		wantRead int64
		eof      int64
	}{{0, size, 1}, {1 << 20, 1 << 20, 0}} {
		r, err := Bulk(context.Background(), BulkOptions{Port: port, Request: "get\n", Bytes: tc.want})
		if err != nil {
			t.Fatal(err)
		}
		if num(t, r, "bytes") != tc.wantRead || num(t, r, "eof") != tc.eof || r.Get("first_error") != nil {
			t.Errorf("bytes=%d: %s", tc.want, r.Line())
		}
	}
}

func TestBulkSend(t *testing.T) {
	counts := make(chan int64, 1)
	port := sinkServer(t, counts)
	const size = 5<<20 + 123
	r, err := Bulk(context.Background(), BulkOptions{Port: port, Dir: "send", Bytes: size})
	if err != nil {
		t.Fatal(err)
	}
	if got := <-counts; got != size || num(t, r, "bytes") != size || num(t, r, "eof") != 1 {
		t.Errorf("server got %d: %s", got, r.Line())
	}
}

func TestUDP(t *testing.T) {
	port := udpServer(t, nil)
	r, err := UDP(context.Background(), UDPOptions{Port: port, Conns: 2, Requests: 400, Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if num(t, r, "sent") != 400 || num(t, r, "requests")+num(t, r, "lost") != 400 || num(t, r, "errors") != 0 {
		t.Errorf("%s", r.Line())
	}
}

func TestUDPLoss(t *testing.T) {
	port := udpServer(t, func(i int) bool { return i%2 == 1 })
	r, err := UDP(context.Background(), UDPOptions{Port: port, Requests: 10, Timeout: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if num(t, r, "sent") != 10 || num(t, r, "requests") != 5 || num(t, r, "lost") != 5 || r.Float("loss_pct") != 50 {
		t.Errorf("%s", r.Line())
	}
}

func TestCancelStopsRun(t *testing.T) {
	port := echoServer(t, nil)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := RR(ctx, RROptions{Port: port, Conns: 2, Duration: MaxDuration})
		done <- err
	}()
	cancel()
	select {
	case err := <-done:
		if netcore.Short(err) != "interrupted" {
			t.Errorf("err %v, want interrupted", err)
		}
	case <-time.After(Grace):
		t.Fatal("rr did not stop when cancelled")
	}
}

func TestResultLine(t *testing.T) {
	r := &Result{}
	r.add("mode", "", "rr")
	r.add("n", "count", int64(1234567))
	r.add("rps", "req/s", 2.5)
	r.add("first_error", "error", "rr 127.0.0.1:1: connection refused")
	if got, want := r.Line(), "RESULT mode=rr n=1234567 rps=2.50 first_error=rr_127.0.0.1:1:_connection_refused"; got != want {
		t.Errorf("Line() = %q, want %q", got, want)
	}
	var b strings.Builder
	r.WriteTable(&b)
	if !strings.Contains(b.String(), "1,234,567") || strings.Contains(b.String(), "mode") {
		t.Errorf("table:\n%s", b.String())
	}
}

func TestParseBytes(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want int64
		ok   bool
	}{{"1024", 1024, true}, {"64K", 64 << 10, true}, {"16KiB", 16 << 10, true}, {"1g", 1 << 30, true},
		{"2M", 2 << 20, true}, {"x", 0, false}, {"-1", 0, false}, {"100G", 0, false}} {
		got, err := ParseBytes(tc.in)
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("ParseBytes(%q) = %d, %v", tc.in, got, err)
		}
	}
}
