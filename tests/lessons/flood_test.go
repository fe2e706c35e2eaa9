package lessons_test

import (
	"bytes"
	"io"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// Bounds of the field flood: floodClients connections per server, each
// sending at most floodBytes of one never-ending field, for at most
// floodTime; the server's peak RSS must stay under floodRSS.
const (
	floodClients = 24
	floodBytes   = 2 << 20
	floodTime    = 20 * time.Second
	floodRSS     = 160 << 20
)

// TestServersUnderFieldFlood sends each TCP lesson server megabytes of a
// field that never ends — upload-post's size digits, a file name without
// its "|", a command line without an end, an ftp command glued to nothing —
// from floodClients connections at once, then runs a normal nsh client
// while they are still sending: it must be served (its answer arrives), and
// the server's peak resident memory (VmHWM in /proc/PID/status) stays under
// floodRSS. Before the bounds in lessons.lib.wire, one 2 MB run of 9s took
// upload-post to ~466 MB and 40 of them stopped normal uploads for ~37 s.
func TestServersUnderFieldFlood(t *testing.T) {
	if _, err := os.Stat("/proc/self/status"); err != nil {
		t.Skip("no /proc: cannot read the server's memory")
	}
	tests := []struct {
		lesson     string
		serverArgs []string
		setup      func(t *testing.T, srvDir, cliDir string)
		input      string
		want       []string
		fields     []string // each flood connection sends one of these prefixes, then filler forever
		filler     byte
	}{
		{"upload-post", nil, func(t *testing.T, _, cliDir string) {
			writeFile(t, filepath.Join(cliDir, "a.txt"), "upload me\n")
		}, "post|a.txt\n", []string{"上传成功\n"}, []string{"post|x|", "post|x|8", "post|"}, '9'},
		{"upload-post", nil, func(t *testing.T, _, cliDir string) {
			writeFile(t, filepath.Join(cliDir, "a.txt"), "upload me\n")
		}, "post|a.txt\n", []string{"上传成功\n"}, []string{"", "post|name"}, 'a'},
		{"ftp", nil, func(t *testing.T, srvDir, _ string) {
			writeFile(t, filepath.Join(srvDir, "share", "a.txt"), "get me\n")
		}, "get a.txt\n", []string{"md5 ok", "下载成功!"}, []string{"get ", "put ", ""}, 'x'},
		{"tcp-upper", nil, nil, "hello\n", []string{"HELLO\n"}, []string{""}, 'q'},
		{"reuseaddr", nil, nil, "hello\n", []string{"HELLO\n"}, []string{""}, 'q'},
		{"remote-cmd", []string{"--allow", "echo"}, nil, "echo hi\n", []string{"返回的消息:hi\n"}, []string{"echo "}, 'z'},
		{"remote-cmd-text", []string{"--allow-exec"}, nil, "echo hi\n", []string{"3\nhi\n"}, []string{"echo "}, 'z'},
		{"sticky-packets", nil, nil, "", []string{"got: hellojames\n", "   message: james\n"}, []string{"e", "f\xff\xff\xff\x7f", "s"}, 'y'},
	}
	for _, tc := range tests {
		t.Run(tc.lesson+"/"+string(tc.filler), func(t *testing.T) {
			srvDir, cliDir := t.TempDir(), t.TempDir()
			if tc.setup != nil {
				tc.setup(t, srvDir, cliDir)
			}
			srv := startServerIn(t, srvDir, tc.lesson, tc.serverArgs...)
			stop := make(chan struct{})
			var wg sync.WaitGroup
			started := make(chan struct{}, floodClients)
			sent := make([]int, floodClients)
			for i := 0; i < floodClients; i++ {
				wg.Add(1)
				go func(i int) {
					defer wg.Done()
					sent[i] = flood(srv.Addr, tc.fields[i%len(tc.fields)], tc.filler, started, stop)
				}(i)
			}
			for i := 0; i < floodClients; i++ {
				select {
				case <-started: // each flood has its first 256 KiB out (or was cut off)
				case <-time.After(floodTime):
					t.Fatalf("%d of %d floods never got going", floodClients-i, floodClients)
				}
			}
			args := []string{}
			if tc.lesson == "sticky-packets" {
				args = []string{"--rounds", "2"}
			}
			res := runClientIn(t, cliDir, tc.lesson, srv.Port, tc.input, args...)
			close(stop)
			wg.Wait()
			if res.Code != 0 {
				t.Fatalf("the normal client was not served during the flood: exit %d\nstdout:\n%s\nstderr:\n%s", res.Code, res.Stdout, res.Stderr)
			}
			wantLines(t, "client stdout", res.Stdout, tc.want...)
			hwm := peakRSS(t, srv.cmd.Process.Pid)
			total := 0
			for _, n := range sent {
				total += n
			}
			t.Logf("%s: %d floods sent %d bytes in all; server peak RSS %d MiB (bound %d MiB)", tc.lesson, floodClients, total, hwm>>20, floodRSS>>20)
			if hwm > floodRSS {
				t.Fatalf("server peak RSS %d MiB is over the %d MiB bound after %d floods of a never-ending field", hwm>>20, floodRSS>>20, floodClients)
			}
		})
	}
}

// flood connects to addr and sends prefix, then filler bytes, until
// floodBytes are out, the server stops reading or closes, floodTime passes
// or stop closes. It signals started after 256 KiB (or when it ends first)
// and returns how many bytes it sent.
func flood(addr, prefix string, filler byte, started chan<- struct{}, stop <-chan struct{}) int {
	once := sync.Once{}
	defer once.Do(func() { started <- struct{}{} })
	c, err := net.DialTimeout("tcp", addr, readyTimeout)
	if err != nil {
		return 0
	}
	defer c.Close()
	go func() { // drain what the server answers, so only the field fills its buffers
		buf := make([]byte, 65536)
		for {
			if _, err := c.Read(buf); err != nil {
				return
			}
		}
	}()
	end := time.Now().Add(floodTime)
	chunk := append([]byte(prefix), bytes.Repeat([]byte{filler}, 65536-len(prefix))...)
	sent := 0
	for sent < floodBytes && time.Now().Before(end) {
		select {
		case <-stop:
			return sent
		default:
		}
		c.SetWriteDeadline(time.Now().Add(time.Second))
		n, err := c.Write(chunk)
		sent += n
		if err != nil {
			if ne, ok := err.(net.Error); ok && ne.Timeout() {
				continue // the server is not reading this one now: try again until floodTime
			}
			return sent
		}
		chunk = chunk[:0]
		chunk = append(chunk, bytes.Repeat([]byte{filler}, 65536)...)
		if sent >= 256<<10 {
			once.Do(func() { started <- struct{}{} })
		}
	}
	return sent
}

// peakRSS reads a process's peak resident set size (VmHWM) in bytes.
func peakRSS(t *testing.T, pid int) int {
	t.Helper()
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, err := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")))
			if err != nil {
				t.Fatalf("VmHWM %q: %v", rest, err)
			}
			return kb << 10
		}
	}
	t.Fatal("no VmHWM in /proc/PID/status")
	return 0
}

// TestClientsRefuseHugeLengths: the clients whose answers carry a length
// refuse one over their bound (--max-size, or the framing's own limit) at
// once with a message, instead of reading that much into memory; a server
// that sends a never-ending run of digits gets "bad length".
func TestClientsRefuseHugeLengths(t *testing.T) {
	tests := []struct {
		lesson, input, reply string
		args                 []string
		want                 string
	}{
		{"remote-cmd", "ls\n", "\xff\xff\xff\x7f", nil, "bad header: 2147483647 bytes is over --max-size 67108864"},
		{"remote-cmd", "ls\n", "\x00\x00\x10\x00", []string{"--max-size", "1000"}, "bad header: 1048576 bytes is over --max-size 1000"},
		{"remote-cmd-text", "ls\n", "999999999999x", nil, "the server announced 999999999999 bytes, over --max-size 67108864"},
		{"remote-cmd-text", "ls\n", strings.Repeat("9", 2<<20), []string{"--max-size", "100000"}, "no length of at most 15 digits (and 100000 bytes) fits"},
		{"sticky-packets", "", "", nil, "bad header: length -1 (at most 1048576)"},
	}
	for _, tc := range tests {
		t.Run(tc.lesson+" "+tc.want[:20], func(t *testing.T) {
			port := fakeServer(t, func(c net.Conn) {
				if tc.lesson == "sticky-packets" {
					b := make([]byte, 1024)
					c.Read(b)                             // the mode and the two words
					c.Write([]byte("\xff\xff\xff\xffxx")) // a length of -1
					c.Read(b)
					return
				}
				b := make([]byte, 64)
				c.Read(b)                 // the command
				c.Write([]byte(tc.reply)) // then close: the announced bytes never come
				c.(*net.TCPConn).CloseWrite()
				io.Copy(io.Discard, c)
			})
			res := runClient(t, tc.lesson, port, tc.input, tc.args...)
			if res.Code == 0 || !strings.Contains(res.Stderr+res.Stdout, tc.want) {
				t.Fatalf("exit %d, want a failure saying %q\nstdout:\n%s\nstderr:\n%s", res.Code, tc.want, res.Stdout, res.Stderr)
			}
		})
	}
}
