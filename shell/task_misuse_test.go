package shell

import (
	"regexp"
	"strings"
	"testing"
)

// TestTaskMisuseNamesTheFunction: wrong arguments to the task API raise an
// error that names the call, not gopher-lua's "(anonymous)".
func TestTaskMisuseNamesTheFunction(t *testing.T) {
	s, out, errb := newTestSession(t, "")
	src := `
local function msg(...) local ok, err = pcall(...); assert(not ok); return err end
print(msg(spawn))
print(msg(spawn, 5))
local t = spawn(function() return 1 end)
print(msg(t.join))
print(msg(t.join, t, "soon"))
print(msg(t.cancel, 3))
print(msg(sleep, -1))
print(t[1], t.nosuch, t.id == t.id)
`
	if st := s.RunSource("m.lua", src, nil); st != 0 {
		t.Fatalf("status %d: %s", st, errb)
	}
	for _, want := range []string{
		"spawn: bad argument #1 (function expected, got nil)",
		"spawn: bad argument #1 (function expected, got number)",
		"join: bad self (task expected, got nil; call it as task:join(...))",
		"join: bad argument #2 (number of seconds expected, got string)",
		"cancel: bad self (task expected, got number",
		"sleep: bad argument #1 (seconds must be >= 0, got -1)",
		"nil\tnil\ttrue",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out.String(), "anonymous") {
		t.Errorf("a message says (anonymous):\n%s", out)
	}
}

// TestTaskErrorReport: a task that raises is reported with its id, the
// message and a traceback naming the line; the script and the other tasks
// go on.
func TestTaskErrorReport(t *testing.T) {
	s, out, errb := newTestSession(t, "")
	src := `local other = spawn(function() sleep(0.05) return "other ok" end)
local bad = spawn(function()
  local function inner() error("deep fail") end
  inner()
end)
print(bad:join())
print(other:join())
print("script goes on")
`
	if st := s.RunSource("r.lua", src, nil); st != 0 {
		t.Fatalf("status %d: %s", st, errb)
	}
	if want := "false\tr.lua:3: deep fail\ntrue\tother ok\nscript goes on\n"; out.String() != want {
		t.Fatalf("stdout %q, want %q", out, want)
	}
	report := errb.String()
	if !regexp.MustCompile(`task \d+ \(r\.lua:2\) failed: r\.lua:3: deep fail`).MatchString(report) {
		t.Fatalf("report lacks the task id and message:\n%s", report)
	}
	if !strings.Contains(report, "stack traceback:") || !strings.Contains(report, "r.lua:4:") {
		t.Fatalf("report lacks a traceback through the caller's line:\n%s", report)
	}
}

// TestTaskErrorObjects: a task that raises a table is reported with the
// table's __tostring, or the table as the printer shows it, not its address.
func TestTaskErrorObjects(t *testing.T) {
	s, _, errb := newTestSession(t, "")
	src := `spawn(function() error({code = 1}) end):join()
spawn(function() error(setmetatable({}, {__tostring = function() return "custom err" end})) end):join()`
	if st := s.RunSource("o.lua", src, nil); st != 0 {
		t.Fatalf("status %d: %s", st, errb)
	}
	report := errb.String()
	for _, want := range []string{"failed: error object: {code = 1}\n", "failed: custom err\n", "o.lua:1: in the task's function"} {
		if !strings.Contains(report, want) {
			t.Errorf("report lacks %q:\n%s", want, report)
		}
	}
	if strings.Contains(report, "table: 0x") || strings.Contains(report, "[G]: ?") {
		t.Errorf("report shows an address or an empty frame:\n%s", report)
	}
}

// TestMainErrorStopsTasksQuietly: when the main chunk raises, the tasks it
// started are stopped without each being reported as failed with
// "interrupted" (which, with thousands of tasks, buried the real error);
// a task that really failed before is still reported.
func TestMainErrorStopsTasksQuietly(t *testing.T) {
	s, _, errb := newTestSession(t, "")
	src := `local real = spawn(function() error("real task error") end)
real:join()
for i = 1, 50 do spawn(function() local ok, e = pcall(sleep, 30); assert(ok, e) end) end
sleep(0.01)
error("main fails")
`
	if st := s.RunSource("m.lua", src, nil); st != 1 {
		t.Fatalf("status %d, want 1: %s", st, errb)
	}
	report := errb.String()
	if strings.Contains(report, "interrupted") {
		t.Fatalf("stopped tasks were reported as failed:\n%s", report)
	}
	if !strings.Contains(report, "real task error") || !strings.Contains(report, "m.lua:5: main fails") {
		t.Fatalf("report lacks the real errors:\n%s", report)
	}
}
