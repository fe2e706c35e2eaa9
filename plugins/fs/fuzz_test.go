package fs_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	nfs "nsh/plugins/fs"
)

// FuzzJailResolve: whatever the path, Resolve either refuses it or returns
// a path inside the jail, and never panics.
func FuzzJailResolve(f *testing.F) {
	base := f.TempDir()
	base, _ = filepath.EvalSymlinks(base)
	root := filepath.Join(base, "root")
	os.MkdirAll(filepath.Join(root, "a", "b"), 0o755)
	os.Symlink("/etc", filepath.Join(root, "out"))
	os.Symlink("../..", filepath.Join(root, "a", "up"))
	os.Symlink("b", filepath.Join(root, "a", "in"))
	os.Symlink("/no/such/dir", filepath.Join(root, "dangling"))
	os.Symlink("../b/new", filepath.Join(root, "a", "dangling-in"))
	os.Symlink("loop", filepath.Join(root, "loop"))
	j, err := nfs.NewJail(root)
	if err != nil {
		f.Fatal(err)
	}
	for _, seed := range []string{"a/b", "../x", "/etc", "out/passwd", "a/up/x", "a/in/c", "a//b/./c", "...", "a/..b", "\x00", "", "dangling/x", "a/dangling-in", "loop/x"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, p string) {
		got, err := j.Resolve(p)
		if err != nil {
			return
		}
		if got != root && !strings.HasPrefix(got, root+"/") {
			t.Fatalf("Resolve(%q) = %q, outside %s", p, got, root)
		}
	})
}
