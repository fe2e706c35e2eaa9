package time_test

import (
	"encoding/json"
	"os"
	"os/exec"
	"strings"
	"testing"
	stdtime "time"

	lua "github.com/yuin/gopher-lua"

	"nsh/plugins/plugintest"
	ntime "nsh/plugins/time"
)

func newState(t *testing.T) (*lua.LState, *plugintest.Host) {
	h := plugintest.NewHost(t)
	return plugintest.NewState(t, h, "time"), h
}

func TestLua(t *testing.T) {
	L, _ := newState(t)
	plugintest.RunLuaTests(t, L, "test/time_test.lua")
}

func TestREADMEExample(t *testing.T) {
	L, h := newState(t)
	plugintest.RunREADMEExample(t, L, h, "README.md")
}

var formats = []string{
	"%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S.%f%z", "%a %A %b %B", "%d/%m/%y %I:%M:%S %p",
	"%j", "%Z", "%%Y is %Y", "%c", "%x %X", "%D %T %F %R", "%w %u", "[%e]", "no directives",
	"%U %W %V %G %g", "%C %h [%k] [%l] %P", "%r%n%t.",
}

var instants = []float64{
	0, 86399, 951782400.5, 1230681600, 1262304000, 1293753600, 1136073600, 1795341600.25, 1795384799.75, 1798761599, 1704067200.000001, 1719835200.123456,
}

// TestStrftimeMatchesPython compares every format at every instant, in UTC
// and local time, with Python's datetime.strftime.
func TestStrftimeMatchesPython(t *testing.T) {
	py, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("python3 not found: cannot compare strftime with Python")
	}
	type c struct {
		Fmt string  `json:"fmt"`
		T   float64 `json:"t"`
		UTC bool    `json:"utc"`
	}
	var cases []c
	for _, f := range formats {
		for _, in := range instants {
			cases = append(cases, c{f, in, true}, c{f, in, false})
		}
	}
	in, _ := json.Marshal(cases)
	script := `
import json, sys, datetime
out = []
for c in json.load(sys.stdin):
    if c["utc"]:
        d = datetime.datetime.fromtimestamp(c["t"], tz=datetime.timezone.utc)
    else:
        d = datetime.datetime.fromtimestamp(c["t"]).astimezone()
    out.append(d.strftime(c["fmt"]))
json.dump(out, sys.stdout)
`
	cmd := exec.Command(py, "-c", script)
	cmd.Stdin = strings.NewReader(string(in))
	b, err := cmd.Output()
	if err != nil {
		t.Fatalf("python3: %v", err)
	}
	var want []string
	if err := json.Unmarshal(b, &want); err != nil {
		t.Fatal(err)
	}
	for i, cs := range cases {
		tm := ntime.FromSeconds(cs.T).Local()
		if cs.UTC {
			tm = tm.UTC()
		}
		got, err := ntime.Strftime(cs.Fmt, tm)
		if err != nil || got != want[i] {
			t.Errorf("strftime(%q, %v, utc=%v) = %q, %v; Python says %q", cs.Fmt, cs.T, cs.UTC, got, err, want[i])
		}
	}
}

// TestStrptimeMatchesPython parses strings with Python and with Strptime.
func TestStrptimeMatchesPython(t *testing.T) {
	py, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("python3 not found: cannot compare strptime with Python")
	}
	cases := [][2]string{
		{"2026-11-22 10:00:00", "%Y-%m-%d %H:%M:%S"},
		{"22/Nov/2026:10:00:00 +0100", "%d/%b/%Y:%H:%M:%S %z"},
		{"2026-11-22T10:00:00.5-05:30", "%Y-%m-%dT%H:%M:%S.%f%z"},
		{"2026-11-22T10:00:00Z", "%Y-%m-%dT%H:%M:%S%z"},
		{"Sunday, November 22 26 09:05:07 pm", "%A, %B %d %y %I:%M:%S %p"},
		{"12:30 AM", "%I:%M %p"},
		{"2024 366", "%Y %j"},
		{"1/2/2026", "%m/%d/%Y"},
		{"2026   11 22", "%Y %m %d"},
		{"UTC 2026", "%Z %Y"},
		{"10%", "%H%%"},
		{"2024 03 100", "%Y %m %j"},
		{"2026 00 0", "%Y %U %w"},
		{"2026 00 Sun", "%Y %W %a"},
		{"2026 52 6", "%Y %U %w"},
		{"2026 53 Saturday", "%Y %W %A"},
		{"2027 01 1", "%Y %W %u"},
		{"2026-W47-7", "%G-W%V-%u"},
		{"2020 53 Fri", "%G %V %a"},
		{"2025 01 1", "%G %V %u"},
		{"2027 01 Mon", "%G %V %a"},
		{"Fri 2026-11-20", "%a %Y-%m-%d"},
		// Python's patterns split unpadded numbers its own way.
		{"131", "%m%d"},
		{"1112026", "%m%d%Y"},
		{" 5", "%d"},
		{"9:5", "%H:%M"},
		{"a.b (x) [y]", "a.b (x) [y]"},
		{"+01:00:30", "%z"},
		{"2026\v11", "%Y %m"},
	}
	var in [][2]string
	in = append(in, cases...)
	b, _ := json.Marshal(in)
	script := `
import json, sys, datetime, calendar
out = []
for s, f in json.load(sys.stdin):
    d = datetime.datetime.strptime(s, f)
    if d.tzinfo is None:
        d = d.replace(tzinfo=datetime.timezone.utc)
    out.append(d.timestamp())
json.dump(out, sys.stdout)
`
	cmd := exec.Command(py, "-c", script)
	cmd.Stdin = strings.NewReader(string(b))
	outb, err := cmd.Output()
	if err != nil {
		t.Fatalf("python3: %v", err)
	}
	var want []float64
	if err := json.Unmarshal(outb, &want); err != nil {
		t.Fatal(err)
	}
	for i, cs := range cases {
		tm, err := ntime.Strptime(cs[0], cs[1], stdtime.UTC)
		got := float64(tm.Unix()) + float64(tm.Nanosecond())/1e9
		if err != nil || got != want[i] {
			t.Errorf("strptime(%q, %q) = %v, %v; Python says %v", cs[0], cs[1], got, err, want[i])
		}
	}
}

func TestStrptimeFailures(t *testing.T) {
	tests := []struct{ s, format, want string }{
		{"10:00", "%H:%M:%S", `time data "10:00" does not match format "%H:%M:%S"`},
		{"2026-13-01", "%Y-%m-%d", `does not match format`},
		{"2026-11-22Z", "%Y-%m-%d", "unconverted data remains: Z"},
		{"2026-02-29", "%Y-%m-%d", "day is out of range for month"},
		{"2023 366", "%Y %j", "day of year 366 is out of range for 2023"},
		{"24:00", "%H:%M", "does not match"},
		{"+2500", "%z", "offset +2500 must be strictly between -24 and 24 hours"},
		{"+01:0000", "%z", "Inconsistent use of : in +01:0000"},
		{"z", "%z", "does not match"},
		{"MONDAY", "%a", "unconverted data remains: DAY"},
		{"x", "%\xff", "format is not valid UTF-8"},
		{"XYZT", "%Z", "does not match"},
		{"x", "%Q", "bad directive %Q"},
		{"2026", "%Y%", "format ends with a lone %"},
		{"2026 47", "%G %V", "ISO year directive '%G' must be used with the ISO week directive '%V' and a weekday"},
		{"2026 47 1", "%Y %V %u", "ISO week directive '%V' is incompatible with the year directive '%Y'"},
		{"47", "%V", "ISO week directive '%V' must be used with the ISO year directive '%G'"},
		{"2026 1 1 100", "%G %V %u %j", "Day of the year directive '%j' is not compatible with ISO year directive '%G'"},
		{"2026 54 1", "%Y %W %u", "does not match"},
		{"2026 1 7", "%Y %W %w", "does not match"},
	}
	for _, tt := range tests {
		_, err := ntime.Strptime(tt.s, tt.format, stdtime.UTC)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Strptime(%q, %q) err = %v, want %q", tt.s, tt.format, err, tt.want)
		}
	}
}

func TestMisuseRaises(t *testing.T) {
	L, _ := newState(t)
	tests := []struct{ code, want string }{
		{`time.strftime("%Q")`, "time.strftime: argument #1 (fmt): unknown directive %Q"},
		{`time.strftime("%")`, "format ends with a lone %"},
		{`time.strftime(5)`, "time.strftime: argument #1 (fmt) must be a string, got number"},
		{`time.strftime("%Y", "now")`, "time.strftime: argument #2 (t) must be a number of seconds"},
		{`time.strftime("%Y", 0, 1)`, "utc must be a boolean"},
		{`time.strftime("%Y", 0/0)`, "out of range"},
		{`time.strptime("1", "%Q")`, "time.strptime: argument #2 (fmt): bad directive %Q"},
		{`time.strptime("1")`, "time.strptime: argument #2 (fmt) must be a string"},
		{`time.strptime("x", string.rep("<", 5000))`, "time.strptime: argument #2 (fmt): format of 5000 bytes is longer than the 4096 a format may have"},
		{`time.date("x")`, "time.date: argument #1 (t) must be a number"},
	}
	for _, tt := range tests {
		err := L.DoString(tt.code)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: err = %v, want %q", tt.code, err, tt.want)
		}
	}
}

// TestInAnotherZone reruns the Python comparison and the Lua tests in a
// zone with summer time, so local time is not just UTC.
func TestInAnotherZone(t *testing.T) {
	if os.Getenv("NSH_TIME_TEST_CHILD") != "" {
		t.Skip("already running in the other zone")
	}
	if _, err := stdtime.LoadLocation("America/New_York"); err != nil {
		t.Skipf("no zone database: %v", err)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^(TestStrftimeMatchesPython|TestLua|TestREADMEExample)$", "-test.count=1", "-test.v")
	cmd.Env = append(os.Environ(), "TZ=America/New_York", "NSH_TIME_TEST_CHILD=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("tests in TZ=America/New_York: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "--- PASS: TestStrftimeMatchesPython") && !strings.Contains(string(out), "--- SKIP: TestStrftimeMatchesPython") {
		t.Fatalf("child did not run the comparison:\n%s", out)
	}
}
