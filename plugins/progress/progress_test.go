package progress_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	lua "github.com/yuin/gopher-lua"

	"nsh/plugins"
	"nsh/plugins/plugintest"
	"nsh/plugins/progress"
)

// stepClock returns a clock that moves on by step each time it is read.
func stepClock(step time.Duration) func() time.Time {
	t := time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
	return func() time.Time {
		now := t
		t = t.Add(step)
		return now
	}
}

func TestPlainLinesAtMostOncePerSecond(t *testing.T) {
	var out bytes.Buffer
	b := progress.New(1000, "x", &out, false, stepClock(10*time.Millisecond))
	for i := 0; i < 1000; i++ { // 10 s of fake time
		b.Add(1)
	}
	b.Done()
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	if len(lines) < 9 || len(lines) > 11 {
		t.Fatalf("%d lines for 10 s (want about one a second plus the last):\n%s", len(lines), out.String())
	}
	if !strings.HasPrefix(lines[0], "x  100 B / 1.0 kB   10%  100 B/s  ETA 0:09") {
		t.Errorf("first line %q", lines[0])
	}
	if last := lines[len(lines)-1]; last != "x  1.0 kB / 1.0 kB  100%  99 B/s  in 0:10" {
		t.Errorf("last line %q", last)
	}
	if strings.Contains(out.String(), "\r") || strings.Contains(out.String(), "\x1b") {
		t.Error("plain output holds terminal controls")
	}
}

func TestTerminalRedrawsAtMostTenTimesPerSecond(t *testing.T) {
	var out bytes.Buffer
	b := progress.New(2_000_000, "up", &out, true, stepClock(time.Millisecond))
	for i := 0; i < 2000; i++ { // 2 s of fake time
		b.Add(1000)
	}
	b.Done()
	s := out.String()
	draws := strings.Count(s, "\r")
	if draws < 15 || draws > 22 {
		t.Errorf("%d redraws in 2 s, want about 20", draws)
	}
	if strings.Count(s, "\n") != 1 || !strings.HasSuffix(s, "\x1b[K\n") {
		t.Errorf("terminal output should end with one newline: %q", s[max(0, len(s)-80):])
	}
	if !strings.Contains(s, "\rup  [########################]  2.0 MB / 2.0 MB  100%  999.5 kB/s  in 0:02\x1b[K\n") {
		t.Errorf("final line missing from %q", s[max(0, len(s)-120):])
	}
	if first := s[:strings.Index(s[1:], "\r")+1]; strings.Contains(first, "/s") || strings.Contains(first, "ETA") {
		t.Errorf("the first draw, after 1 ms, shows a rate: %q", first)
	}
	if !strings.Contains(s, "\rup  [............") {
		t.Errorf("no empty bar at the start: %q", s[:min(len(s), 120)])
	}
}

func TestUnknownTotalAndAfterDone(t *testing.T) {
	var out bytes.Buffer
	b := progress.New(-1, "", &out, false, stepClock(2*time.Second))
	b.Add(5000)
	b.Done()
	b.Add(1)
	b.Done()
	if got := out.String(); got != "5.0 kB  2.5 kB/s\n5.0 kB  1.2 kB/s  in 0:04\n" {
		t.Errorf("output %q", got)
	}
}

func TestBytesAndClock(t *testing.T) {
	for n, want := range map[int64]string{0: "0 B", 999: "999 B", 1000: "1.0 kB", 1_234_567: "1.2 MB", 999_960: "1.0 MB", 5e12: "5.0 TB", 7e15: "7000.0 TB"} {
		if got := progress.Bytes(n); got != want {
			t.Errorf("Bytes(%d) = %q, want %q", n, got, want)
		}
	}
	for d, want := range map[time.Duration]string{0: "0:00", 61 * time.Second: "1:01", 3725 * time.Second: "1:02:05"} {
		if got := progress.Clock(d); got != want {
			t.Errorf("Clock(%v) = %q, want %q", d, got, want)
		}
	}
}

func newState(t *testing.T, tty bool) (*lua.LState, *plugintest.Host) {
	t.Cleanup(progress.Fake(stepClock(500*time.Millisecond), tty))
	h := plugintest.NewHost(t)
	return plugintest.NewState(t, h, "progress"), h
}

func TestREADMEExample(t *testing.T) {
	L, h := newState(t, false)
	plugintest.RunREADMEExample(t, L, h, "README.md")
}

func TestLua(t *testing.T) {
	L, _ := newState(t, false)
	plugintest.RunLuaTests(t, L, "test/progress_test.lua")
}

// interactiveHost is a test host with a person at the terminal.
type interactiveHost struct{ *plugintest.Host }

func (interactiveHost) Interactive() bool { return true }

func TestTerminalNeedsAPersonAndATTY(t *testing.T) {
	p, _ := plugins.Get("progress")
	for _, tc := range []struct {
		interactive, tty, bar bool
	}{{false, false, false}, {false, true, false}, {true, false, false}, {true, true, true}} {
		t.Cleanup(progress.Fake(stepClock(time.Second), tc.tty))
		h := plugintest.NewHost(t)
		L := plugintest.NewState(t, h)
		var host plugins.Host = h
		if tc.interactive {
			host = interactiveHost{h}
		}
		plugintest.Load(L, host, p)
		if err := L.DoString(`local b = progress.new(10, "t") b:add(5) b:done()`); err != nil {
			t.Fatal(err)
		}
		if got := strings.Contains(h.Err.String(), "\r"); got != tc.bar {
			t.Errorf("interactive=%v tty=%v: bar drawn = %v, want %v (%q)", tc.interactive, tc.tty, got, tc.bar, h.Err.String())
		}
	}
}

func TestMisuseRaises(t *testing.T) {
	L, _ := newState(t, false)
	tests := []struct{ code, want string }{
		{`progress.new(-1)`, "progress.new: argument #1 (total) must be a byte count >= 0 or nil"},
		{`progress.new("10")`, "progress.new: argument #1 (total) must be a number or nil, got string"},
		{`progress.new(10, 5)`, "progress.new: argument #2 (label) must be a string, got number"},
		{`progress.new(10, "x", {out = "file"})`, `progress.new: option out must be "stderr" or "stdout", got file`},
		{`progress.new(10, "x", "stdout")`, "progress.new: argument #3 (opts) must be a table"},
		{`progress.new(10):add(-5)`, "bar:add: argument #1 (n) must be a byte count >= 0, got -5"},
		{`progress.new(10):set("a")`, "bar:set: argument #1 (n) must be a byte count >= 0, got a"},
		{`local b = progress.new(10) b.add(5)`, "bar:add: method called without a progress bar"},
	}
	for _, tt := range tests {
		err := L.DoString(tt.code)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: err = %v, want %q", tt.code, err, tt.want)
		}
	}
}
