package fs_test

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	lua "github.com/yuin/gopher-lua"

	nfs "nsh/plugins/fs"
	"nsh/plugins/plugintest"
)

func newState(t *testing.T) (*lua.LState, *plugintest.Host) {
	h := plugintest.NewHost(t)
	return plugintest.NewState(t, h, "fs"), h
}

func TestLua(t *testing.T) {
	L, _ := newState(t)
	dir := t.TempDir()
	// A jail with one symlink pointing in and some pointing out.
	must(t, os.MkdirAll(filepath.Join(dir, "jail", "sub"), 0o755))
	must(t, os.WriteFile(filepath.Join(dir, "secret"), []byte("s"), 0o644))
	must(t, os.Symlink(filepath.Join(dir, "jail", "sub"), filepath.Join(dir, "jail", "in")))
	must(t, os.Symlink(dir, filepath.Join(dir, "jail", "out")))
	must(t, os.Symlink("../secret", filepath.Join(dir, "jail", "secretlink")))
	L.SetGlobal("TESTDIR", lua.LString(dir))
	plugintest.RunLuaTests(t, L, "test/fs_test.lua")
}

func TestREADMEExample(t *testing.T) {
	L, h := newState(t)
	plugintest.RunREADMEExample(t, L, h, "README.md")
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func TestJailResolve(t *testing.T) {
	base := t.TempDir()
	base, _ = filepath.EvalSymlinks(base)
	root := filepath.Join(base, "root")
	must(t, os.MkdirAll(filepath.Join(root, "a", "b"), 0o755))
	must(t, os.MkdirAll(filepath.Join(base, "rootother"), 0o755))
	must(t, os.Symlink(filepath.Join(root, "a"), filepath.Join(root, "abs-in")))
	must(t, os.Symlink("a/b", filepath.Join(root, "rel-in")))
	must(t, os.Symlink("/etc", filepath.Join(root, "abs-out")))
	must(t, os.Symlink("..", filepath.Join(root, "a", "up")))
	must(t, os.Symlink("../..", filepath.Join(root, "a", "upup")))
	must(t, os.Symlink("../rootother", filepath.Join(root, "sibling")))
	must(t, os.Symlink("/no/such/target", filepath.Join(root, "dangling")))
	must(t, os.Symlink("a/not-yet", filepath.Join(root, "dangling-in")))
	must(t, os.Symlink("../rootother/not-yet", filepath.Join(root, "dangling-out")))
	must(t, os.Symlink("loop2", filepath.Join(root, "loop1")))
	must(t, os.Symlink("loop1", filepath.Join(root, "loop2")))
	j, err := nfs.NewJail(root)
	must(t, err)
	tests := []struct {
		path, want string // want "" means refused
		escapes    bool
	}{
		{".", root, false},
		{"", root, false},
		{"a/b", filepath.Join(root, "a/b"), false},
		{"a/./b/", filepath.Join(root, "a/b"), false},
		{"new/deeper/file", filepath.Join(root, "new/deeper/file"), false},
		{"abs-in/b", filepath.Join(root, "a/b"), false},
		{"rel-in/x", filepath.Join(root, "a/b/x"), false},
		{"a/up/a", filepath.Join(root, "a"), false},
		{"..", "", true},
		{"../root/a", "", true},
		{"a/../../x", "", true},
		{"a/../b", "", true},
		{"/etc/passwd", "", true},
		{"abs-out/passwd", "", true},
		{"abs-out", "", true},
		{"a/upup/x", "", true},
		{"sibling/f", "", true},
		// Dangling symlinks are followed by hand: out is an escape, in
		// names the file that writing through the link creates.
		{"dangling", "", true},
		{"dangling-out", "", true},
		{"dangling-in", filepath.Join(root, "a/not-yet"), false},
		{"loop1/x", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			got, err := j.Resolve(tt.path)
			if tt.want != "" {
				if err != nil || got != tt.want {
					t.Fatalf("Resolve(%q) = %q, %v; want %q", tt.path, got, err, tt.want)
				}
				return
			}
			if err == nil {
				t.Fatalf("Resolve(%q) = %q, want refused", tt.path, got)
			}
			if escapes := strings.Contains(err.Error(), "path escapes "+root); escapes != tt.escapes {
				t.Fatalf("Resolve(%q) error %q: escape = %v, want %v", tt.path, err, escapes, tt.escapes)
			}
		})
	}
}

func TestNewJailNeedsAFolder(t *testing.T) {
	dir := t.TempDir()
	f := filepath.Join(dir, "f")
	must(t, os.WriteFile(f, nil, 0o644))
	if _, err := nfs.NewJail(f); err == nil {
		t.Error("jail of a file accepted")
	}
	if _, err := nfs.NewJail(filepath.Join(dir, "missing")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("jail of a missing folder: %v", err)
	}
}

func TestWriteFileKeepsModeAndLeavesNoTemp(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "f")
	must(t, os.WriteFile(p, []byte("old"), 0o600))
	must(t, nfs.WriteFile(context.Background(), p, []byte("new")))
	fi, err := os.Stat(p)
	must(t, err)
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want 0600 kept", fi.Mode())
	}
	b, _ := os.ReadFile(p)
	if string(b) != "new" {
		t.Errorf("content %q", b)
	}
	must(t, nfs.WriteFile(context.Background(), filepath.Join(dir, "g"), []byte("x")))
	fi, err = os.Stat(filepath.Join(dir, "g"))
	must(t, err)
	if fi.Mode().Perm() != 0o644 {
		t.Errorf("new file mode %v, want 0644", fi.Mode())
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 2 {
		t.Errorf("folder holds %d entries, want 2 (a temp file left behind?)", len(entries))
	}
}

func TestWriteFileCancelledLeavesTarget(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "f")
	must(t, os.WriteFile(p, []byte("old"), 0o644))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := nfs.WriteFile(ctx, p, make([]byte, 3<<20)); err == nil || err.Error() != "interrupted" {
		t.Fatalf("err = %v, want interrupted", err)
	}
	b, _ := os.ReadFile(p)
	entries, _ := os.ReadDir(dir)
	if string(b) != "old" || len(entries) != 1 {
		t.Errorf("target %q, %d entries", b, len(entries))
	}
}

func TestAtomicAbortAndFailedCommit(t *testing.T) {
	dir := t.TempDir()
	a, err := nfs.NewAtomic(filepath.Join(dir, "f"))
	must(t, err)
	a.Write([]byte("partial"))
	must(t, a.Abort())
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("abort left %d entries", len(entries))
	}
	// Committing over a folder fails and removes the temp file.
	must(t, os.Mkdir(filepath.Join(dir, "d"), 0o755))
	must(t, os.WriteFile(filepath.Join(dir, "d", "x"), nil, 0o644))
	a, err = nfs.NewAtomic(filepath.Join(dir, "d"))
	must(t, err)
	if err := a.Commit(); err == nil {
		t.Error("commit over a non-empty folder succeeded")
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("failed commit left %d entries, want 1", len(entries))
	}
}

func TestHashFileStreams(t *testing.T) {
	dir := t.TempDir()
	data := make([]byte, 3<<20+17)
	rand.Read(data)
	p := filepath.Join(dir, "big")
	must(t, os.WriteFile(p, data, 0o644))
	sum := sha256.Sum256(data)
	got, err := nfs.HashFile(context.Background(), "sha256", p)
	if err != nil || got != hex.EncodeToString(sum[:]) {
		t.Fatalf("HashFile = %q, %v", got, err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := nfs.HashFile(ctx, "sha256", p); err == nil || err.Error() != "interrupted" {
		t.Errorf("cancelled hash: %v", err)
	}
}

func TestHashVectors(t *testing.T) {
	tests := []struct{ alg, in, want string }{
		{"md5", "", "d41d8cd98f00b204e9800998ecf8427e"},
		{"md5", "abc", "900150983cd24fb0d6963f7d28e17f72"},
		{"sha1", "abc", "a9993e364706816aba3e25717850c26c9cd0d89d"},
		{"sha256", "abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
		{"sha512", "", "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e"},
	}
	for _, tt := range tests {
		if got := nfs.HashString(tt.alg, tt.in); got != tt.want {
			t.Errorf("%s(%q) = %s, want %s", tt.alg, tt.in, got, tt.want)
		}
	}
}

func TestMisuseRaises(t *testing.T) {
	L, _ := newState(t)
	tests := []struct{ code, want string }{
		{`fs.read()`, "fs.read: argument #1 (path) must be a string, got nil"},
		{`fs.write("x", 5)`, "fs.write: argument #2 (data) must be a string, got number"},
		{`fs.mkdir("x", {parent = true})`, "fs.mkdir: unknown option parent (want parents)"},
		{`fs.remove("x", true)`, "fs.remove: argument #2 (opts) must be a table"},
		{`fs.hasher("crc")`, `fs.hasher: argument #1 (algorithm): unknown hash "crc"`},
		{`fs.join()`, "fs.join: needs at least one path part"},
		{`local h = fs.hasher("md5"); h.update("x")`, "h:update: method called without a hasher"},
		{`local h = fs.hasher("md5"); h.hexdigest()`, "h:hexdigest: method called without a hasher"},
		{`local j = fs.jail("."); j.read("x")`, "jail:read: method called without a jail"},
		{`local j = fs.jail("."); j:read(1)`, "jail:read: argument #2 (path) must be a string"},
	}
	for _, tt := range tests {
		err := L.DoString(tt.code)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: err = %v, want %q", tt.code, err, tt.want)
		}
	}
}

func TestAtomicSharedByTasks(t *testing.T) {
	p := filepath.Join(t.TempDir(), "f")
	a, err := nfs.NewAtomic(p)
	must(t, err)
	done := make(chan struct{})
	for i := 0; i < 4; i++ {
		go func() {
			defer func() { done <- struct{}{} }()
			for k := 0; k < 100; k++ {
				a.Write([]byte("0123456789"))
				a.Size()
			}
		}()
	}
	for i := 0; i < 4; i++ {
		<-done
	}
	must(t, a.Commit())
	if fi, err := os.Stat(p); err != nil || fi.Size() != 4000 || a.Size() != 4000 {
		t.Errorf("size %v, %v; counted %d", fi, err, a.Size())
	}
}
