package luasocket

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// testCA writes a CA (ca.pem) and a certificate it signed for localhost and
// 127.0.0.1 (leaf.pem, leaf.key) into dir with openssl, and a second CA
// that signed nothing here (other.pem).
func testCA(t *testing.T, dir string) {
	if _, err := exec.LookPath("openssl"); err != nil {
		t.Skip("openssl is missing (Debian: openssl): no CA for the HTTPS peer")
	}
	ext := filepath.Join(dir, "ext")
	steps := [][]string{
		{"req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "2",
			"-subj", "/CN=nsh test CA", "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign"},
		{"req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "other.key", "-out", "other.pem", "-days", "2",
			"-subj", "/CN=another CA", "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign"},
		{"req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "leaf.key", "-out", "leaf.csr", "-subj", "/CN=localhost"},
		{"x509", "-req", "-in", "leaf.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-out", "leaf.pem",
			"-days", "2", "-extfile", ext},
	}
	if err := os.WriteFile(ext, []byte("subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, s := range steps {
		cmd := exec.Command("openssl", s...)
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("openssl %s: %v\n%s", strings.Join(s, " "), err, out)
		}
	}
}

// TestHTTPSSameAsC: https:// through LuaSec's ssl.https and LuaSocket's
// socket.http (testdata/https_client.lua) against Python's ssl serving a
// certificate of the test's own CA, verification on: under C LuaSocket +
// LuaSec 1.2 and nsh the same results — the right CA, a wrong one, verify
// "none", POST, chunked, 1 MiB, http -> https redirects followed, https ->
// http refused. Then, nsh alone with no SSL_CERT_FILE: a redirect's https
// request (socket.http gives it no cafile) is verified against the system
// roots and fails, where C LuaSec's default (verify "none") takes it.
func TestHTTPSSameAsC(t *testing.T) {
	if exec.Command("lua5.1", "-e", `require"ssl.https"`).Run() != nil {
		t.Skip("lua5.1 with LuaSec is missing (Debian: lua5.1 lua-sec): nothing to compare with")
	}
	dir := t.TempDir()
	testCA(t, dir)
	py := pythonWith(t, "ssl", "python3")
	start := func() *pyPeer {
		return startPyPeer(t, py, "https_peer.py", filepath.Join(dir, "leaf.pem"), filepath.Join(dir, "leaf.key"))
	}
	t.Setenv("CA_FILE", filepath.Join(dir, "ca.pem"))
	t.Setenv("OTHER_CA", filepath.Join(dir, "other.pem"))
	t.Setenv("SSL_CERT_FILE", filepath.Join(dir, "ca.pem"))
	outs, _ := runBoth(t, "https_client.lua", "HTTPS_PORTS", start)
	sameLines(t, "https_client.lua output", strings.Split(outs[0], "\n"), strings.Split(outs[1], "\n"), nil)
	for _, want := range []string{"https right ca\t0123456789abcdef", "https wrong ca\tnil\tcertificate verify failed",
		"https verify none\t01234\t200", "https post\tposted posted", "https chunked\thello chunked world\t200",
		"https 404\tnot found\t404", "https 1 MiB\t1048576\t200", "http https url\t0123456789ab\t200",
		"http https wrong ca\tnil\tcertificate verify failed", "http -> https\t0123456789\t200",
		"http -> https not followed\t\t302", "https -> http\t\t302"} {
		if !strings.Contains(outs[1], want) {
			t.Errorf("nsh printed no %q:\n%s", want, outs[1])
		}
	}

	t.Setenv("SSL_CERT_FILE", "")
	peer := start()
	t.Setenv("HTTPS_PORTS", peer.First)
	tdir, _ := filepath.Abs("testdata")
	out, err := runIn(t, tdir, 60*time.Second, implNsh.argv(t, "https_client.lua")...)
	peer.Stop()
	if err != nil {
		t.Fatalf("nsh https_client.lua: %v\n%s", err, out)
	}
	for _, want := range []string{"https simple form\tnil\tcertificate verify failed", "http -> https\tnil\tcertificate verify failed",
		"https right ca\t0123456789abcdef"} {
		if !strings.Contains(out, want) {
			t.Errorf("without SSL_CERT_FILE nsh printed no %q:\n%s", want, out)
		}
	}
}
