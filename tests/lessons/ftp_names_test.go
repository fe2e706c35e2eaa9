package lessons_test

import (
	"crypto/md5"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestFTPFileNames: the ftp server's three name bugs. A 255-byte name (the
// longest Linux takes) uploads and downloads, with the seed's Python client
// and with nsh's (their temporary names fit NAME_MAX); a name that is not
// UTF-8 gets the protocol's refusal and a clear log line instead of an
// internal json.encode error; a newline in a name cannot forge a log line.
func TestFTPFileNames(t *testing.T) {
	sdir := ftpServerDir(t)
	long := strings.Repeat("n", 251) + ".bin" // 255 bytes
	srv := startServerIn(t, sdir, "ftp")

	t.Run("255-byte name, python client", func(t *testing.T) {
		needPython(t)
		cdir := t.TempDir()
		up := writeRandom(t, filepath.Join(cdir, "share", long), 70<<10, 21)
		os.MkdirAll(filepath.Join(cdir, "download"), 0o755)
		t.Setenv("FTP_ROOT", cdir)
		res := runPyClientIn(t, cdir, "ftp", srv.Port, "put "+long+"\n")
		okClient(t, res, "上传成功!")
		srv.WaitFor(t, "put "+long+": stored 71680 bytes")
		wantFile(t, filepath.Join(sdir, "upload", long), up)
		wantNames(t, filepath.Join(sdir, "upload"), long)
	})

	t.Run("255-byte name, nsh client get and put", func(t *testing.T) {
		cdir := t.TempDir()
		shared := writeRandom(t, filepath.Join(sdir, "share", long), 90<<10, 22)
		other := "m" + long[1:]
		up := writeRandom(t, filepath.Join(cdir, "share", other), 10<<10, 23)
		res := runClientIn(t, cdir, "ftp", srv.Port, "get "+long+"\nput "+other+"\n")
		okClient(t, res, "md5 ok: "+shared.md5, "下载成功!", "上传成功!")
		wantFile(t, filepath.Join(cdir, "download", long), shared)
		wantNames(t, filepath.Join(cdir, "download"), long)
		srv.WaitFor(t, "put "+other+": stored 10240 bytes")
		wantFile(t, filepath.Join(sdir, "upload", other), up)
	})

	t.Run("a get of a name that is not UTF-8", func(t *testing.T) {
		name := "caf\xe9.bin"
		if err := os.WriteFile(filepath.Join(sdir, "share", name), []byte("latin-1 named"), 0o644); err != nil {
			t.Fatal(err)
		}
		c := dialTCP(t, srv.Addr)
		defer c.Close()
		readGet(t, c, "get "+name, "") // the protocol's refusal, and the connection goes on
		readGet(t, c, "get nope.bin", "")
		srv.WaitFor(t, `get caf\xe9.bin: refused: the name is not UTF-8, which the JSON header cannot carry`)
		if strings.Contains(srv.Stderr(), "json") || strings.Contains(srv.Stderr(), "failed") {
			t.Fatalf("server stderr shows an internal error:\n%s", srv.Stderr())
		}
		// nsh's client says so without asking the server
		res := runClientIn(t, t.TempDir(), "ftp", srv.Port, "get "+name+"\nput "+name+"\n")
		okClient(t, res, `get caf\xe9.bin: refused: the file name is not UTF-8`, `put caf\xe9.bin: refused: the file name is not UTF-8`)
	})

	t.Run("a put whose header name is not UTF-8", func(t *testing.T) {
		c := dialTCP(t, srv.Addr)
		defer c.Close()
		data := []byte("abcd")
		writeFrame(t, c, "put x", fmt.Sprintf("{\"filename\": \"bad\xff.txt\", \"md5\": \"%x\", \"file_size\": 4}", md5.Sum(data)), data)
		srv.WaitFor(t, `put bad\xff.txt: refused: the name is not UTF-8`)
		if strings.Contains(srv.Stderr(), "json") || strings.Contains(srv.Stderr(), "failed") {
			t.Fatalf("server stderr shows an internal error:\n%s", srv.Stderr())
		}
		for _, e := range listNames(t, filepath.Join(sdir, "upload")) {
			if strings.HasPrefix(e, "bad") || strings.HasPrefix(e, ".") {
				t.Errorf("upload/ holds %q after a refused put", e)
			}
		}
	})

	t.Run("a newline in a name cannot forge a log line", func(t *testing.T) {
		c := dialTCP(t, srv.Addr)
		defer c.Close()
		name := "evil\nput admin.txt: stored 1 bytes"
		data := []byte("xyz")
		writeFrame(t, c, "put x", fmt.Sprintf(`{"filename": %q, "md5": "%x", "file_size": 3}`, name, md5.Sum(data)), data)
		srv.WaitFor(t, `put evil\nput admin.txt: stored 1 bytes: stored 3 bytes`)
		readGet(t, c, "get \x1b[31mred", "")
		srv.WaitFor(t, `get \x1b[31mred: no such file`)
		for _, line := range strings.Split(srv.Stdout(), "\n") {
			if strings.HasPrefix(line, "put admin.txt") || strings.Contains(line, "\x1b") {
				t.Fatalf("a name forged or coloured a log line: %q\nstdout:\n%s", line, srv.Stdout())
			}
		}
		got, err := os.ReadFile(filepath.Join(sdir, "upload", name))
		if err != nil || string(got) != "xyz" {
			t.Fatalf("the file with a newline in its name (legal) was not stored: %q %v", got, err)
		}
	})
}

func listNames(t *testing.T, dir string) []string {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range ents {
		out = append(out, e.Name())
	}
	return out
}
