package luasocket

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"nsh/internal/nshtest"
)

// pythonWith returns a python3 that can import module: the one on PATH or
// Debian's /usr/bin/python3 (where apt installs python3-* packages when
// PATH's is another, a pyenv shim for one); the test skips when neither can.
func pythonWith(t *testing.T, module, debPackage string) string {
	for _, py := range []string{"python3", "/usr/bin/python3"} {
		if exec.Command(py, "-c", "import "+module).Run() == nil {
			return py
		}
	}
	t.Skipf("no python3 can import %s (Debian: %s): no peer", module, debPackage)
	return ""
}

// pyPeer is a Python peer of testdata: its first stdout line (ports) and
// the lines it prints afterwards (what it received).
type pyPeer struct {
	proc  *nshtest.Proc
	First string
}

// startPyPeer runs testdata/script with python and waits for its first line.
func startPyPeer(t *testing.T, python, script string, args ...string) *pyPeer {
	dir, _ := filepath.Abs("testdata")
	cmd := exec.Command(python, append([]string{filepath.Join(dir, script)}, args...)...)
	cmd.Env = os.Environ()
	p := nshtest.StartCommand(t, cmd)
	first := p.WaitLine(t, `^(.+)$`, 30*time.Second)[1]
	return &pyPeer{proc: p, First: first}
}

// Stop kills the peer and returns every line it printed after the first.
func (p *pyPeer) Stop() []string {
	p.proc.Cmd.Process.Kill()
	p.proc.Cmd.Wait()
	time.Sleep(50 * time.Millisecond)
	lines := strings.Split(strings.TrimSpace(p.proc.Output()), "\n")
	return lines[1:]
}

// runBoth runs script under C LuaSocket and under nsh, each against a fresh
// peer from start, with env naming the peer's first line; it returns both
// outputs and what each peer printed, for the caller to compare.
func runBoth(t *testing.T, script, envName string, start func() *pyPeer) (outs [2]string, peers [2][]string) {
	if !haveCLuaSocket() {
		t.Skip("lua5.1 with C LuaSocket is missing (Debian: lua5.1 lua-socket): nothing to compare with")
	}
	dir, _ := filepath.Abs("testdata")
	for i, im := range []impl{implC, implNsh} {
		peer := start()
		t.Setenv(envName, peer.First)
		out, err := runIn(t, dir, 90*time.Second, im.argv(t, script)...)
		peers[i] = peer.Stop()
		if err != nil {
			t.Fatalf("%s %s: %v\n%s\npeer: %s", im.name, script, err, out, peers[i])
		}
		outs[i] = out
	}
	return outs, peers
}

// sameLines fails at the first line where C's and nsh's differ.
func sameLines(t *testing.T, what string, c, n []string, normalize *regexp.Regexp) {
	t.Helper()
	for i := 0; i < len(c) || i < len(n); i++ {
		var w, g string
		if i < len(c) {
			w = c[i]
		}
		if i < len(n) {
			g = n[i]
		}
		if normalize != nil {
			w, g = normalize.ReplaceAllString(w, "<N>"), normalize.ReplaceAllString(g, "<N>")
		}
		if w != g {
			t.Fatalf("%s line %d differs:\n C:   %s\n nsh: %s", what, i+1, w, g)
		}
	}
}
