package lessons_test

import (
	"fmt"
	"os"
	"path/filepath"
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
