package lessons_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// certPath finds the certificate file a --tls server announced.
func certPath(t *testing.T, srv *Server) string {
	t.Helper()
	out := srv.WaitFor(t, "(clients: --tls --cafile ")
	m := regexp.MustCompile(`--tls --cafile (\S+)\)`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("no certificate path in:\n%s", out)
	}
	return m[1]
}

// TestTCPUpperOverTLS: the lesson with --tls, a self-signed server and a
// client trusting it with --cafile; without --cafile the client refuses.
func TestTCPUpperOverTLS(t *testing.T) {
	srv := startServer(t, "tcp-upper", "--tls")
	cafile := certPath(t, srv)
	res := runClient(t, "tcp-upper", srv.Port, "hello over tls\n", "--tls", "--cafile", cafile)
	okClient(t, res, "HELLO OVER TLS")
	srv.WaitFor(t, `"hello over tls"`)
	res = runClient(t, "tcp-upper", srv.Port, "x\n", "--tls")
	if res.Code == 0 || !strings.Contains(res.Stderr, "certificate verify failed for 127.0.0.1") {
		t.Fatalf("client without --cafile: exit %d\n%s%s", res.Code, res.Stdout, res.Stderr)
	}
}

// TestFTPOverTLS: get and put through the ftp lesson's sendfile and
// recvfile over TLS, md5-checked, with the server's own --cert and --key.
func TestFTPOverTLS(t *testing.T) {
	sdir := ftpServerDir(t)
	small := writeRandom(t, filepath.Join(sdir, "share", "small.bin"), 3<<20, 7)
	srv := startServerIn(t, sdir, "ftp", "--tls")
	cafile := certPath(t, srv)
	srv.WaitFor(t, "starting...")

	cdir := t.TempDir()
	res := runClientIn(t, cdir, "ftp", srv.Port, "get small.bin\n", "--tls", "--cafile", cafile)
	okClient(t, res, "md5 ok: "+small.md5, "下载成功!")
	wantFile(t, filepath.Join(cdir, "download", "small.bin"), small)

	if err := os.MkdirAll(filepath.Join(cdir, "share"), 0o755); err != nil {
		t.Fatal(err)
	}
	linkInto(t, filepath.Join(sdir, "share", "small.bin"), filepath.Join(cdir, "share", "up.bin"))
	res = runClientIn(t, cdir, "ftp", srv.Port, "put up.bin\n", "--tls", "--cafile", cafile)
	okClient(t, res, "上传成功!")
	srv.WaitFor(t, "put up.bin: stored 3145728 bytes")
	wantFile(t, filepath.Join(sdir, "upload", "up.bin"), small)
}
