package repl

import (
	"bytes"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/creack/pty"

	"nsh/internal/nshtest"
)

// These tests run the built nsh binary on a pseudo-terminal, as a person
// at a terminal would, and wait on what it prints (never on the clock).

const ptyWait = 10 * time.Second

// ptySession is nsh running on a pseudo-terminal.
type ptySession struct {
	t    *testing.T
	cmd  *exec.Cmd
	tty  *os.File
	mu   sync.Mutex
	buf  bytes.Buffer // everything printed, escape sequences removed
	seen int          // expect consumed buf up to here
	more chan struct{}
	done chan struct{}
	hist string
}

var ansiRE = regexp.MustCompile(`\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][0-9A-Za-z]|\r| \x08`)

// testBinary is $NSH_TEST_BIN, a binary built elsewhere, or this
// checkout's nsh.
func testBinary(t *testing.T) string {
	if bin := os.Getenv("NSH_TEST_BIN"); bin != "" {
		return bin
	}
	return nshtest.Binary(t)
}

// startNSH starts nsh on a pty with a fresh home and history file.
func startNSH(t *testing.T, args ...string) *ptySession {
	t.Helper()
	return startNSHIn(t, t.TempDir(), args...)
}

// startNSHIn starts nsh on a pty with home as its home and working folder
// (Lua plugins in home/plugins).
func startNSHIn(t *testing.T, home string, args ...string) *ptySession {
	t.Helper()
	if testing.Short() {
		t.Skip("pty tests run the built binary; skipped with -short")
	}
	bin := testBinary(t)
	p := &ptySession{t: t, more: make(chan struct{}, 1), done: make(chan struct{}), hist: filepath.Join(home, "hist")}
	p.cmd = exec.Command(bin, args...)
	p.cmd.Dir = home
	p.cmd.Env = append(os.Environ(), "HOME="+home, "NSH_HISTORY="+p.hist, "NO_COLOR=1", "TERM=xterm",
		"NSH_PLUGIN_PATH="+filepath.Join(home, "plugins"))
	tty, err := pty.StartWithSize(p.cmd, &pty.Winsize{Rows: 50, Cols: 200})
	if err != nil {
		t.Fatalf("starting nsh on a pty: %v", err)
	}
	p.tty = tty
	go p.read()
	t.Cleanup(func() {
		if p.cmd.ProcessState == nil {
			p.cmd.Process.Kill()
			p.cmd.Wait()
		}
		tty.Close()
	})
	p.expect("nsh> ")
	return p
}

func (p *ptySession) read() {
	defer close(p.done)
	b := make([]byte, 4096)
	for {
		n, err := p.tty.Read(b)
		if n > 0 {
			p.mu.Lock()
			p.buf.Write(b[:n])
			p.mu.Unlock()
			select {
			case p.more <- struct{}{}:
			default:
			}
		}
		if err != nil {
			return
		}
	}
}

// text returns the output so far without escape sequences.
func (p *ptySession) text() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return ansiRE.ReplaceAllString(p.buf.String(), "")
}

// send types s.
func (p *ptySession) send(s string) {
	p.t.Helper()
	if _, err := io.WriteString(p.tty, s); err != nil {
		p.t.Fatalf("typing %q: %v", s, err)
	}
}

// expect waits until want appears in the output after what earlier
// expects consumed, and returns the output up to and including it.
func (p *ptySession) expect(want string) string {
	p.t.Helper()
	return p.expectRE(regexp.MustCompile(regexp.QuoteMeta(want)))
}

func (p *ptySession) expectRE(re *regexp.Regexp) string {
	p.t.Helper()
	deadline := time.NewTimer(ptyWait)
	defer deadline.Stop()
	for {
		all := p.text()
		if p.seen <= len(all) {
			if loc := re.FindStringIndex(all[p.seen:]); loc != nil {
				got := all[p.seen : p.seen+loc[1]]
				p.seen += loc[1]
				return got
			}
		}
		select {
		case <-p.more:
		case <-p.done:
			if loc := re.FindStringIndex(p.text()[min(p.seen, len(p.text())):]); loc == nil {
				p.t.Fatalf("nsh ended before printing %q; output after the last match:\n%s", re, p.text()[min(p.seen, len(p.text())):])
			}
		case <-deadline.C:
			p.t.Fatalf("no %q within %v; output after the last match:\n%s", re, ptyWait, p.text()[min(p.seen, len(p.text())):])
		}
	}
}

// run types a chunk line by line and waits for the next prompt, returning
// what it printed. readline redraws the line at each key, so a line counts
// as entered once it is followed by a newline.
func (p *ptySession) run(chunk string) string {
	p.t.Helper()
	lines := strings.Split(chunk, "\n")
	for i, line := range lines {
		p.send(line + "\r")
		p.expect(line + "\n")
		if i < len(lines)-1 {
			p.expect(contPromptText)
		}
	}
	out := p.expect("nsh> ")
	return strings.TrimSuffix(out, "nsh> ")
}

// wait waits for nsh to exit and returns its status.
func (p *ptySession) wait() int {
	p.t.Helper()
	ch := make(chan error, 1)
	go func() { ch <- p.cmd.Wait() }()
	select {
	case err := <-ch:
		if ee, ok := err.(*exec.ExitError); ok {
			return ee.ExitCode()
		}
		if err != nil {
			p.t.Fatalf("waiting for nsh: %v", err)
		}
		return 0
	case <-time.After(ptyWait):
		p.t.Fatalf("nsh did not exit within %v; output:\n%s", ptyWait, p.text())
	}
	return -1
}
