package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"nsh/internal/nshtest"
)

// TestShebangLineSkipped: a first line starting with "#" is skipped, as lua
// does, whether the script runs as nsh FILE, from stdin or by the kernel, and
// whether it names nsh or lua; line numbers stay the file's.
func TestShebangLineSkipped(t *testing.T) {
	dir := t.TempDir()
	for _, first := range []string{"#!/usr/bin/env nsh", "#!/usr/bin/lua", "# a comment line"} {
		src := first + "\nprint('ran')\nerror('line three')\n"
		path := filepath.Join(dir, "s.lua")
		writeFile(t, path, src)
		r := nshtest.Run(t, "", 20*time.Second, path)
		if !strings.Contains(r.Stdout, "ran") || !strings.Contains(r.Stderr, "s.lua:3: line three") {
			t.Errorf("%q as FILE: stdout %q stderr %q", first, r.Stdout, r.Stderr)
		}
		r = nshtest.Run(t, src, 20*time.Second)
		if !strings.Contains(r.Stdout, "ran") || !strings.Contains(r.Stderr, ":3: line three") {
			t.Errorf("%q on stdin: stdout %q stderr %q", first, r.Stdout, r.Stderr)
		}
	}
	// run directly by the kernel through #!/usr/bin/env nsh with nsh on PATH
	exe := filepath.Join(dir, "direct")
	writeFile(t, exe, "#!/usr/bin/env nsh\nprint('direct', ...)\n")
	if err := os.Chmod(exe, 0o755); err != nil {
		t.Fatal(err)
	}
	bin := nshtest.Binary(t)
	t.Setenv("PATH", filepath.Dir(bin)+string(os.PathListSeparator)+os.Getenv("PATH"))
	out, err := runDirect(exe, "x")
	if err != nil || !strings.Contains(out, "direct\tx") {
		t.Errorf("%s run directly: %v %q", exe, err, out)
	}
}

// runDirect executes path itself (the kernel reads its #! line).
func runDirect(path string, args ...string) (string, error) {
	out, err := exec.Command(path, args...).CombinedOutput()
	return string(out), err
}
