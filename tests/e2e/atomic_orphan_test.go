package e2e

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"nsh/internal/nshtest"
)

// TestAtomicTempGoneWhenNshEnds runs scripts that leave an fs.atomic writer
// neither committed nor aborted — held in a global when the main chunk
// raises, or while nsh is ended by SIGTERM — and checks that nsh removes the
// temporary file before it exits and never creates the target.
func TestAtomicTempGoneWhenNshEnds(t *testing.T) {
	t.Run("error", func(t *testing.T) {
		dir := t.TempDir()
		script := filepath.Join(dir, "s.lua")
		out := filepath.Join(dir, "out")
		if err := os.Mkdir(out, 0o755); err != nil {
			t.Fatal(err)
		}
		writeFile(t, script, `w = assert(fs.atomic(fs.join(arg[1], "f.bin"))); assert(w:write("half")); error("boom")`)
		r := nshtest.Run(t, "", 30*time.Second, script, out)
		if r.Code != 1 {
			t.Fatalf("exit %d, want 1; stderr %s", r.Code, r.Stderr)
		}
		checkEmpty(t, out)
	})
	t.Run("SIGTERM", func(t *testing.T) {
		dir := t.TempDir()
		script := filepath.Join(dir, "s.lua")
		out := filepath.Join(dir, "out")
		if err := os.Mkdir(out, 0o755); err != nil {
			t.Fatal(err)
		}
		writeFile(t, script, `w = assert(fs.atomic(fs.join(arg[1], "f.bin"))); assert(w:write("half")); print("go"); io.stdout:flush(); sleep(1000)`)
		p := nshtest.Start(t, script, out)
		p.WaitLine(t, "^go$", 20*time.Second)
		if ents, _ := os.ReadDir(out); len(ents) != 1 {
			t.Fatalf("want the writer's temp file in %s, got %v", out, ents)
		}
		p.Cmd.Process.Signal(syscall.SIGTERM)
		waitExit(p.Cmd, 20*time.Second)
		checkEmpty(t, out)
	})
}

func checkEmpty(t *testing.T, dir string) {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(ents) != 0 {
		t.Fatalf("%s holds %v after nsh ended: an orphaned temp file (or a target that should not exist)", dir, ents)
	}
}
