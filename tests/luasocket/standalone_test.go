package luasocket

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// standalone is one of LuaSocket's own test files that needs no internet
// and no peer but itself: it runs to the end and prints want.
type standalone struct {
	file, want string
}

// standalones are run under nsh and, as the reference, lua5.1 with C
// LuaSocket. The others of test/ are left, each for a reason
// docs/luasocket.md gives (urltest fails with upstream's own url.lua at the
// vendored commit; httptest, smtptest, ftptest, tftptest and dicttest need
// servers on fixed hosts and ports; the unix* pairs read the terminal;
// utestclnt is testclnt over AF_UNIX; udpconnectsrvr waits, with C too, for
// a datagram sent to the port it had before setpeername("*")).
var standalones = []standalone{
	{"mimetest.lua", "done in"},
	{"ltn12test.lua", "testing filter.chain (and source.chain, a bunch): ok"},
	{"stufftest.lua", "ok"},
	{"excepttest.lua", "OK"},
	{"test_getaddrinfo.lua", "done!"},
	{"test_bind.lua", "done!"},
	{"test_socket_error.lua", "Passed! Error is 'connection refused'."},
}

// copyUpstream copies testdata/upstream to a temporary folder, where the
// tests may write their files (mimetest writes its .bin files in the
// current folder).
func copyUpstream(t *testing.T) string {
	dir := t.TempDir()
	src, _ := filepath.Abs(filepath.Join("testdata", "upstream"))
	entries, err := os.ReadDir(src)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(src, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, e.Name()), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func runIn(t *testing.T, dir string, timeout time.Duration, argv ...string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "NO_COLOR=1")
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// TestStandaloneUpstreamTests runs each of standalones under both.
func TestStandaloneUpstreamTests(t *testing.T) {
	impls := []impl{implNsh}
	if haveCLuaSocket() {
		impls = append(impls, implC)
	}
	for _, st := range standalones {
		t.Run(st.file, func(t *testing.T) {
			for _, im := range impls {
				dir := copyUpstream(t)
				out, err := runIn(t, dir, 60*time.Second, im.argv(t, st.file)...)
				if err != nil || !strings.Contains(out, st.want) {
					t.Errorf("%s %s: %v, no %q in:\n%s", im.name, st.file, err, st.want, out)
				}
			}
		})
	}
}
