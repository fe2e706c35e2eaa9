package lessons_test

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"
)

// TestFTPMixedClients: six nsh clients at once on one server, three getting
// and three putting different files, plus an empty file each way; every file
// arrives whole under its own name, nothing is left under a temporary name.
func TestFTPMixedClients(t *testing.T) {
	sdir := ftpServerDir(t)
	gets := map[string]digest{}
	for i := range 3 {
		name := fmt.Sprintf("get%d.bin", i)
		gets[name] = writeRandom(t, filepath.Join(sdir, "share", name), int64(1<<20+i*7919), uint64(10+i))
	}
	if err := os.WriteFile(filepath.Join(sdir, "share", "empty.bin"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	srv := startServerIn(t, sdir, "ftp")
	srv.WaitFor(t, "starting...")

	puts := map[string]digest{}
	for i := range 3 {
		puts[fmt.Sprintf("put%d.bin", i)] = digest{}
	}
	t.Run("at once", func(t *testing.T) {
		for name, want := range gets {
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				cdir := t.TempDir()
				okClient(t, runClientIn(t, cdir, "ftp", srv.Port, "get "+name+"\n"), "md5 ok", "下载成功!")
				wantFile(t, filepath.Join(cdir, "download", name), want)
				wantNames(t, filepath.Join(cdir, "download"), name)
			})
		}
		i := 0
		for name := range puts {
			cdir := t.TempDir()
			puts[name] = writeRandom(t, filepath.Join(cdir, "share", name), int64(1<<20+i*104729), uint64(20+i))
			i++
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				okClient(t, runClientIn(t, cdir, "ftp", srv.Port, "put "+name+"\n"), "上传成功!")
			})
		}
	})
	srv.WaitCount(t, ": stored ", 3)
	for name, d := range puts {
		wantFile(t, filepath.Join(sdir, "upload", name), d)
	}
	wantNames(t, filepath.Join(sdir, "upload"), "put0.bin", "put1.bin", "put2.bin")

	// an empty file, each way: a zero file_size is a file, not "no such file"
	cdir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(cdir, "share"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(cdir, "share", "empty-up.bin"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	res := runClientIn(t, cdir, "ftp", srv.Port, "get empty.bin\nput empty-up.bin\n")
	okClient(t, res, `{"filename": "empty.bin", "md5": "d41d8cd98f00b204e9800998ecf8427e", "file_size": 0}`, "下载成功!", "上传成功!")
	empty := digest{0, "d41d8cd98f00b204e9800998ecf8427e", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"}
	wantFile(t, filepath.Join(cdir, "download", "empty.bin"), empty)
	srv.WaitFor(t, "put empty-up.bin: stored 0 bytes")
	wantFile(t, filepath.Join(sdir, "upload", "empty-up.bin"), empty)
}

// TestFTPClientKilledMidPut: the nsh client is killed while it uploads; the
// server stores nothing under the file's name and goes on serving.
func TestFTPClientKilledMidPut(t *testing.T) {
	sdir := ftpServerDir(t)
	srv := startServerIn(t, sdir, "ftp")
	srv.WaitFor(t, "starting...")
	cdir := t.TempDir()
	up := writeRandom(t, filepath.Join(cdir, "share", "up.bin"), 20<<20, 30)
	// the proxy passes the command, the header and 8 MB of the file, then holds the rest
	// back: once it has, the client is mid-file (flow control stops it a few buffers on)
	px := startHoldProxy(t, srv.Addr, 8<<20)
	p := startProc(t, cdir, "put up.bin\n", nshBin, "lesson", "run", "ftp", "client", "--port", fmt.Sprint(px.port))
	<-px.forwarded
	p.cmd.Process.Kill() // our own child, by PID
	<-p.done
	px.close()
	out := srv.WaitFor(t, "put up.bin: stopped after")
	m := regexp.MustCompile(`put up.bin: stopped after (\d+) of 20971520 bytes`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("no stop reported:\n%s", out)
	}
	if got, _ := strconv.Atoi(m[1]); got < 1<<20 || got >= 20<<20 {
		t.Fatalf("the server stopped after %d bytes: want the kill to land mid-file", got)
	}
	wantNames(t, filepath.Join(sdir, "upload"))
	// the server still serves: the same put, straight, goes through
	okClient(t, runClientIn(t, cdir, "ftp", srv.Port, "put up.bin\n"), "上传成功!")
	srv.WaitFor(t, "put up.bin: stored 20971520 bytes")
	wantFile(t, filepath.Join(sdir, "upload", "up.bin"), up)
	wantNames(t, filepath.Join(sdir, "upload"), "up.bin")
}

// startHoldProxy serves one connection to target: it passes everything from
// the server, and the first n bytes from the client, then closes forwarded and
// holds the rest back. px.close (and t.Cleanup) closes everything.
func startHoldProxy(t *testing.T, target string, n int64) *cutProxy {
	return startLimitProxy(t, target, n, true, false)
}
