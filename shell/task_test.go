package shell

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

// newTestSession returns a session writing to buffers, closed at cleanup.
func newTestSession(t *testing.T, stdin string) (*Session, *bytes.Buffer, *bytes.Buffer) {
	t.Helper()
	var out, errb bytes.Buffer
	s := New(Options{Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errb, NoLuaPlugins: true})
	t.Cleanup(func() { s.Close() })
	return s, &out, &errb
}

func TestRunSourceStatus(t *testing.T) {
	tests := []struct {
		name, src  string
		want       int
		out, inErr string
	}{
		{"ok", `print("hi", 1, nil)`, 0, "hi\t1\tnil\n", ""},
		{"error", `local x = nil; x.y = 1`, 1, "", "attempt to index"},
		{"syntax", `print(`, 1, "", "t.lua at EOF:   syntax error"},
		{"exit code", `os.exit(3)`, 3, "", ""},
		{"exit true", `os.exit(true)`, 0, "", ""},
		{"exit false", `os.exit(false)`, 1, "", ""},
		{"exit inside pcall still exits", `pcall(os.exit, 4); print("not reached")`, 4, "", ""},
		{"exit from a task ends the script", `spawn(function() os.exit(5) end); sleep(30); print("not reached")`, 5, "", ""},
		{"script waits for its tasks", `spawn(function() sleep(0.05) print("task done") end)`, 0, "task done\n", ""},
		{"task error reported, script fails", `spawn(function() error("boom") end)`, 1, "", "boom"},
		{"task error taken by join, script ok", `print(spawn(function() error("boom") end):join())`, 0, "false\tt.lua:1: boom\n", "boom"},
		{"task error of a task's task", `spawn(function() spawn(function() error("deep") end) end)`, 1, "", "deep"},
		{"arg", `print(arg[0], arg[1], ...)`, 0, "t.lua\ta\ta\tb\n", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, out, errb := newTestSession(t, "")
			got := s.RunSource("t.lua", tc.src, []string{"a", "b"})
			if got != tc.want {
				t.Fatalf("status %d, want %d; stderr: %s", got, tc.want, errb)
			}
			if tc.out != "" && out.String() != tc.out {
				t.Fatalf("stdout %q, want %q", out, tc.out)
			}
			if tc.inErr != "" && !strings.Contains(errb.String(), tc.inErr) {
				t.Fatalf("stderr %q does not mention %q", errb, tc.inErr)
			}
		})
	}
}

func TestJoinResultsAndErrors(t *testing.T) {
	s, out, errb := newTestSession(t, "")
	src := `
local t = spawn(function(a, b) sleep(0.01) return a + b, "x" end, 1, 2)
print(t:join())
local e = spawn(function() error("bad", 0) end)
print(e:join())
local slow = spawn(function() sleep(30) end)
print(slow:join(0.01))
slow:cancel()
print(slow:join())
print(t.id > 0, t.state, e.state, type(tostring(t)))
`
	if st := s.RunSource("join.lua", src, nil); st != 0 {
		t.Fatalf("status %d: %s", st, errb)
	}
	want := "true\t3\tx\nfalse\tbad\nnil\ttimeout\nfalse\tinterrupted\ntrue\tdone\tfailed\tstring\n"
	if out.String() != want {
		t.Fatalf("got %q want %q", out, want)
	}
}

func TestSleepInterruptedByCancel(t *testing.T) {
	s, out, _ := newTestSession(t, "")
	src := `
-- A cancelled task's blocking call returns and the task ends with
-- "interrupted": pcall cannot keep it alive.
local t = spawn(function() while true do pcall(sleep, 30) end end)
sleep(0.01)
print(t.state)
t:cancel()
print(t:join())
print(t.state)
`
	if st := s.RunSource("c.lua", src, nil); st != 0 {
		t.Fatal(st)
	}
	if out.String() != "waiting\nfalse\tinterrupted\ncancelled\n" {
		t.Fatalf("got %q", out)
	}
}

func TestBusyLoopCancelled(t *testing.T) {
	s, _, _ := newTestSession(t, "")
	src := `
local t = spawn(function() while true do pcall(function() end) end end)
sleep(0) -- let it start
`
	done := make(chan int)
	go func() { done <- s.RunSource("busy.lua", src+"\nsleep(0.01)", nil) }()
	deadline := time.After(10 * time.Second)
	for {
		if ts := s.Tasks(); len(ts) > 0 {
			for _, tk := range ts {
				if tk.Name != MainTaskName {
					tk.Cancel()
				}
			}
		}
		select {
		case st := <-done:
			if st != 0 {
				t.Fatalf("status %d", st)
			}
			return
		case <-deadline:
			t.Fatal("busy task was not interrupted")
		case <-time.After(5 * time.Millisecond):
		}
	}
}

func TestInputAndIoRead(t *testing.T) {
	s, out, _ := newTestSession(t, "one\ntwo\nthree\n4.5\nrest\nof it")
	src := `
print(input())
print(io.read())
print(io.read("*L"))
print(io.read("n"))
print(io.read("a"))
print(input())
`
	if st := s.RunSource("in.lua", src, nil); st != 0 {
		t.Fatal(st)
	}
	want := "one\ntwo\nthree\n\n4.5\nrest\nof it\nnil\n"
	if out.String() != want {
		t.Fatalf("got %q want %q", out, want)
	}
}

// TestManyTasksBlockingInsidePcall is the lock design's proof: thousands of
// tasks, each making blocking calls inside pcall, all complete.
func TestManyTasksBlockingInsidePcall(t *testing.T) {
	s, out, errb := newTestSession(t, "")
	n, calls := 2000, 20
	if testing.Short() {
		n = 200
	}
	src := `
local n, calls = ...
n, calls = tonumber(n), tonumber(calls)
local done = 0
local ts = {}
for i = 1, n do
  ts[i] = spawn(function()
    for j = 1, calls do
      local ok, err = pcall(sleep, 0)
      assert(ok, err)
    end
    done = done + 1
    return i
  end)
end
for i = 1, n do
  local ok, v = ts[i]:join()
  assert(ok and v == i)
end
print(done)
`
	if st := s.RunSource("many.lua", src, []string{itoa(n), itoa(calls)}); st != 0 {
		t.Fatalf("status %d: %s", st, errb)
	}
	if strings.TrimSpace(out.String()) != itoa(n) {
		t.Fatalf("got %q", out)
	}
}

func TestCloseStopsTasks(t *testing.T) {
	var out bytes.Buffer
	s := New(Options{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &out, NoLuaPlugins: true})
	s.mu.Lock()
	fn, err := s.L.LoadString(`sleep(60)`)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 3; i++ {
		s.Spawn(s.InteractiveGroup(), "sleeper", fn, nil)
	}
	s.mu.Unlock()
	_, stopped := s.Close()
	if stopped != 3 {
		t.Fatalf("stopped %d tasks, want 3", stopped)
	}
}
