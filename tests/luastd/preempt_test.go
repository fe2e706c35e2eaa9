package luastd

import (
	"bytes"
	"strings"
	"testing"

	"nsh/shell"
)

// session opens an nsh session writing to buffers.
func session(t *testing.T) (*shell.Session, *bytes.Buffer, *bytes.Buffer) {
	t.Helper()
	var out, errb bytes.Buffer
	s := shell.New(shell.Options{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb, NoLuaPlugins: true})
	t.Cleanup(func() { s.Close() })
	return s, &out, &errb
}

// A pattern that backtracks 2^30 times on a 30-byte subject.
const pathological = `string.rep("a", 30), string.rep("a?", 30) .. string.rep("a", 30)`

// TestLongBuiltinsAreInterruptible: while one task runs a built-in that
// takes seconds or hours in Go (a pathological pattern in find, match,
// gmatch, gsub; a big table.sort), another task serves a socket (it sees
// the busy task still running), and task:cancel() ends the busy one with
// "interrupted".
func TestLongBuiltinsAreInterruptible(t *testing.T) {
	busy := map[string]string{
		"find":   `running = true; string.find(` + pathological + `)`,
		"match":  `running = true; string.match(` + pathological + `)`,
		"gsub":   `running = true; string.gsub(` + pathological + `, "")`,
		"gmatch": `running = true; for m in string.gmatch(` + pathological + `) do end`,
		"sort": `local t = {} for i = 1, 2e6 do t[i] = (i * 7919) % 1000003 end
			running = true; table.sort(t)`,
	}
	for name, call := range busy {
		t.Run(name, func(t *testing.T) {
			s, out, errb := session(t)
			src := `
running = false
local busy = spawn(function() ` + call + ` end)
while not running do sleep(0.001) end
local srv = socket.bind("127.0.0.1", 0); local _, port = srv:getsockname()
local seen
spawn(function() local c = srv:accept(); seen = running; c:sendall(c:recv(100):upper()); c:close() end)
local c = socket.connect("127.0.0.1", port); c:send("hi"); print(c:receive(2)); c:close()
print("busy while served:", seen)
busy:cancel()
print(busy:join(60))
`
			if st := s.RunSource("busy.lua", src, nil); st != 0 {
				t.Fatalf("status %d: %s", st, errb)
			}
			want := "HI\nbusy while served:\ttrue\nfalse\tinterrupted\n"
			if got := out.String(); got != want {
				t.Fatalf("got %q, want %q (stderr %s)", got, want, errb)
			}
		})
	}
}

// TestOsExitBesideAPathologicalMatch: os.exit from another task ends a
// script whose main task is inside the pattern matcher.
func TestOsExitBesideAPathologicalMatch(t *testing.T) {
	s, _, errb := session(t)
	src := `spawn(function() sleep(0.01); os.exit(3) end)
string.find(` + pathological + `)
print("not reached")`
	if st := s.RunSource("exit.lua", src, nil); st != 3 {
		t.Fatalf("status %d, want 3 (os.exit beside a pathological match): %s", st, errb)
	}
}
