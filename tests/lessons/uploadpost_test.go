package lessons_test

import (
	"bytes"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// uploadFiles writes the test files into dir and returns their contents by name.
func uploadFiles(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	rng := rand.New(rand.NewSource(3))
	big := make([]byte, 300_000)
	rng.Read(big)
	digits := append([]byte("12345 starts with digits\n"), big[:5000]...)
	files := map[string][]byte{
		"a.bin":      big,
		"digits.bin": digits, // glued to its size, "post|digits.bin|5025" + "12345..." is ambiguous
		"empty.txt":  {},
		"11.png":     []byte("\x89PNG\r\n\x1a\n not really a picture"),
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return files
}

// sameFiles checks that dir holds exactly the wanted files, byte for byte.
func sameFiles(t *testing.T, dir string, want map[string][]byte) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if len(names) != len(want) {
		t.Errorf("%s holds %v, want %d files", dir, names, len(want))
	}
	for name, data := range want {
		got, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Errorf("%v", err)
			continue
		}
		if !bytes.Equal(got, data) {
			t.Errorf("%s: %d bytes differ from the %d sent", name, len(got), len(data))
		}
	}
}

// upload-post (seed 000 #3): "post|<name>|<size>" then the bytes, no terminator.
func TestUploadPost(t *testing.T) {
	srvDir, cliDir := t.TempDir(), t.TempDir()
	files := uploadFiles(t, cliDir)
	srv := startServerIn(t, srvDir, "upload-post")
	stdin := "post|a.bin\npost|digits.bin\npost|empty.txt\npost|missing.png\nbogus\npost|11.png\npost|a.bin\n"
	res := runClientIn(t, cliDir, "upload-post", srv.Port, stdin)
	if res.Code != 0 {
		t.Fatalf("client: exit %d\n%s", res.Code, res.Stderr)
	}
	wantLines(t, "client", res.Stdout, "上传成功\n上传成功\n上传成功\n", "cannot upload missing.png", "usage: post|FILE", "上传成功\n上传成功\n")
	srv.WaitCount(t, "saved ", 5)
	wantLines(t, "server", srv.Stdout(), "listening on", "waiting......", "saved tupian/a.bin (300000 bytes, md5 ")
	// a.bin went twice: replaced, not appended to as the original's open(path, 'ab') would
	sameFiles(t, filepath.Join(srvDir, "tupian"), files)
}

// TestUploadPostStuck sends headers glued to their data and to each other in
// one write, which the original server cannot split.
func TestUploadPostStuck(t *testing.T) {
	dir := t.TempDir()
	srv := startServerIn(t, dir, "upload-post", "--dir", "up")
	c := dial(t, "tcp", srv.Port)
	c.Write([]byte("post|x.txt|512345post|y.txt|3abcpost|z.txt|0post|w.txt|1112345678901"))
	c.Close()
	srv.WaitCount(t, "saved ", 4)
	sameFiles(t, filepath.Join(dir, "up"), map[string][]byte{
		"x.txt": []byte("12345"), "y.txt": []byte("abc"), "z.txt": {}, "w.txt": []byte("12345678901"),
	})
}

func TestUploadPostRefusals(t *testing.T) {
	dir := t.TempDir()
	outside := filepath.Join(dir, "outside.txt")
	os.WriteFile(outside, []byte("keep"), 0o644)
	os.MkdirAll(filepath.Join(dir, "tupian"), 0o755)
	os.Symlink(outside, filepath.Join(dir, "tupian", "link.txt"))
	srv := startServerIn(t, dir, "upload-post", "--max-size", "1000")
	c := dial(t, "tcp", srv.Port)
	// traversal, an absolute path, a symlink pointing out: refused, or replaced as a plain
	// file inside the folder, never written through; the stream stays in step after each.
	c.Write([]byte("post|../evil.txt|4evil"))
	c.Write([]byte("post|/tmp/evil.txt|4evil"))
	c.Write([]byte("post|link.txt|4evil"))
	c.Write([]byte("post|new\nline.txt|4evil"))
	c.Write([]byte("post|ok.txt|2hi"))
	srv.WaitFor(t, "saved tupian/ok.txt")
	out := srv.Stdout()
	wantLines(t, "server", out, `refused "../evil.txt"`, `refused "/tmp/evil.txt"`, `refused "new\nline.txt"`)
	if data, _ := os.ReadFile(outside); string(data) != "keep" {
		t.Fatalf("outside file changed: %q", data)
	}
	if _, err := os.Stat(filepath.Join(dir, "evil.txt")); err == nil {
		t.Fatal("../evil.txt was written")
	}
	// over the size cap: refused and the connection closed
	c.Write([]byte("post|big.bin|5000"))
	srv.WaitFor(t, `refused "big.bin": 5000 bytes is over the 1000-byte limit`)
	// a client that vanishes mid-file leaves nothing behind, and the server keeps serving
	c2 := dial(t, "tcp", srv.Port)
	c2.Write([]byte("post|half.bin|900" + strings.Repeat("h", 300)))
	c2.Close()
	srv.WaitFor(t, `upload of "half.bin" broken off after 300 of 900 bytes`)
	c3 := dial(t, "tcp", srv.Port)
	c3.Write([]byte("post|after.txt|5after"))
	srv.WaitFor(t, "saved tupian/after.txt")
	entries, _ := os.ReadDir(filepath.Join(dir, "tupian"))
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if strings.Join(names, ",") != "after.txt,link.txt,ok.txt" {
		t.Fatalf("tupian holds %v", names)
	}
}

func TestUploadPostPythonClient(t *testing.T) {
	needPython(t)
	srvDir, cliDir := t.TempDir(), t.TempDir()
	files := uploadFiles(t, cliDir)
	srv := startServerIn(t, srvDir, "upload-post")
	// the original client ends with EOFError at the end of input: its exit status is not checked
	res := runPyClientIn(t, cliDir, "upload-post", srv.Port, "post|a.bin\npost|digits.bin\npost|empty.txt\npost|11.png\n")
	if strings.Count(res.Stdout, "上传成功") != 4 {
		t.Fatalf("python client:\n%s\n%s", res.Stdout, res.Stderr)
	}
	srv.WaitCount(t, "saved ", 4)
	sameFiles(t, filepath.Join(srvDir, "tupian"), files)
}

func TestUploadPostPythonServer(t *testing.T) {
	needPython(t)
	srvDir, cliDir := t.TempDir(), t.TempDir()
	files := uploadFiles(t, cliDir)
	os.Mkdir(filepath.Join(srvDir, "tupian"), 0o755) // the original needs the folder
	py := startPyServerIn(t, srvDir, "upload-post")
	// --pause 0.5: the original server must read each header alone (a generous margin for
	// a loaded machine; the default is 0.2 s)
	res := runClientIn(t, cliDir, "upload-post", py.Port, "post|digits.bin\npost|a.bin\npost|empty.txt\npost|11.png\n", "--pause", "0.5")
	if res.Code != 0 || res.Stdout != strings.Repeat("上传成功\n", 4) {
		t.Fatalf("client: exit %d\n%s\n%s", res.Code, res.Stdout, res.Stderr)
	}
	// The original server raises ValueError once the client has gone (split of b''):
	// its exit means it has written and closed every file.
	py.WaitExit(t)
	sameFiles(t, filepath.Join(srvDir, "tupian"), files)
}

// TestUploadPostOriginalServerFlaw: a header glued to its data, which the nsh
// server saves (TestUploadPostStuck), crashes the original server.
func TestUploadPostOriginalServerFlaw(t *testing.T) {
	dir := t.TempDir()
	os.Mkdir(filepath.Join(dir, "tupian"), 0o755)
	py := startPyServerIn(t, dir, "upload-post")
	c := dial(t, "tcp", py.Port)
	c.Write([]byte("post|x.txt|5hello"))
	if code := py.WaitExit(t); code == 0 || !strings.Contains(py.Stderr(), "ValueError") {
		t.Fatalf("the original server survived a glued header? exit %d\n%s", code, py.Stderr())
	}
}
