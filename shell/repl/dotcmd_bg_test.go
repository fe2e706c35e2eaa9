package repl

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestRunInBackground: ".run FILE ARGS &" and ".bg FILE" give the prompt
// back at once (a line typed next runs while the script still waits), say
// the script's task id, report its end above the prompt, and .kill ID stops
// the whole script and closes what it left open.
func TestRunInBackground(t *testing.T) {
	dir := t.TempDir()
	gate := filepath.Join(dir, "gate.lua")
	os.WriteFile(gate, []byte(`print("bg start", arg[1])
while not release do sleep(0.005) end
print("bg done")
`), 0o644)
	server := filepath.Join(dir, "server.lua")
	os.WriteFile(server, []byte(`srv = assert(socket.socket()); assert(srv:bind("127.0.0.1", 0)); assert(srv:listen(5))
spawn(function() sleep(60) end)
srv:accept()
`), 0o644)
	r, ed := newTestREPL(t)
	out := ""
	r.runLine(".run " + gate + " A &")
	out = waitPrinted(t, ed, out, "running in the background as task", 1)
	r.runLine(`print("prompt is free")`) // runs while the script waits
	out = waitPrinted(t, ed, out, "prompt is free", 1)
	if strings.Contains(out, "bg done") {
		t.Fatalf("the script ended before release:\n%s", out)
	}
	r.runLine("release = true")
	out = waitPrinted(t, ed, out, ".run "+gate+": done", 1)
	if !strings.Contains(out, "bg start\tA") || !strings.Contains(out, "bg done") {
		t.Fatalf("the background script's output:\n%s", out)
	}

	out = ""
	r.runLine(".bg " + server)
	out = waitPrinted(t, ed, out, "(.kill ", 1)
	m := regexp.MustCompile(`as task (\d+) \(\.kill`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("no task id in %q", out)
	}
	r.runLine(".kill " + m[1])
	out = waitPrinted(t, ed, out, ".run "+server+": exit status", 1)
	if !strings.Contains(out, "closed the 1 socket it left open") {
		t.Fatalf(".kill did not close the script's listener:\n%s", out)
	}
	for _, tk := range r.s.Tasks() {
		if !tk.Foreground() {
			t.Fatalf("task %d (%s) still runs after .kill of the script", tk.ID, tk.Name)
		}
	}

	out = ""
	r.runLine(".bg")
	r.runLine(".run " + filepath.Join(dir, "missing.lua") + " &")
	out += ed.printed()
	if !strings.Contains(out, "usage: .bg FILE") || !strings.Contains(out, "no such file") {
		t.Fatalf("misuse messages: %q", out)
	}
}
