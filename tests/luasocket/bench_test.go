package luasocket

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"nsh/internal/nshtest"
)

// The benchmarks run a Lua script under nsh and under lua5.1 with C
// LuaSocket in the same run (go test -bench . ./tests/luasocket/) and report
// seconds per operation as measured inside the script, so process start-up
// is not counted. Compare the nsh and C lines: they ran on the same
// machine at the same time. Figures: docs/performance.md.

func benchScript(b *testing.B, im impl, script string, env ...string) float64 {
	dir, _ := filepath.Abs("testdata")
	argv := []string{"lua5.1", script}
	if im.name == "nsh" {
		argv = []string{nshtest.Binary(b), script}
	}
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		b.Fatalf("%s %s: %v\n%s", im.name, script, err, out)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	sec, err := strconv.ParseFloat(lines[len(lines)-1], 64)
	if err != nil {
		b.Fatalf("%s %s printed %q", im.name, script, out)
	}
	return sec
}

func benchImpls(b *testing.B) []impl {
	if !haveCLuaSocket() {
		b.Skip("lua5.1 with C LuaSocket is missing: no reference to compare with")
	}
	return []impl{implNsh, implC}
}

// BenchmarkHTTPGet1MiB: socket.http GETs of a 1 MiB body from Python's
// http.server on loopback, 20 per op.
func BenchmarkHTTPGet1MiB(b *testing.B) {
	port := startHTTPPeer(b)
	for _, im := range benchImpls(b) {
		b.Run(im.name, func(b *testing.B) {
			var total float64
			for i := 0; i < b.N; i++ {
				total += benchScript(b, im, "bench_http.lua", "HTTP_PORT="+port, "BENCH_N=20")
			}
			b.ReportMetric(total/float64(b.N)/20*1e3, "ms/get")
			b.ReportMetric(0, "ns/op")
		})
	}
}

// BenchmarkLtn12Pump100MB: ltn12.pump.all of a 100 MB file into a socket
// (socket.sink) to a discarding Python peer on loopback.
func BenchmarkLtn12Pump100MB(b *testing.B) {
	file := filepath.Join(b.TempDir(), "100mb")
	if err := os.WriteFile(file, make([]byte, 100<<20), 0o644); err != nil {
		b.Fatal(err)
	}
	port := startDiscardPeer(b)
	for _, im := range benchImpls(b) {
		b.Run(im.name, func(b *testing.B) {
			var total float64
			for i := 0; i < b.N; i++ {
				total += benchScript(b, im, "bench_pump.lua", "DISCARD_PORT="+port, "BENCH_FILE="+file)
			}
			sec := total / float64(b.N)
			b.ReportMetric(sec*1e3, "ms/100MB")
			b.ReportMetric(100/sec, "MB/s")
			b.ReportMetric(0, "ns/op")
		})
	}
}

func startDiscardPeer(b *testing.B) string {
	dir, _ := filepath.Abs("testdata")
	cmd := exec.Command("python3", filepath.Join(dir, "discard_peer.py"))
	out, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		b.Skip("python3 is missing: no discard peer")
	}
	b.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	port := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		if sc.Scan() {
			port <- strings.TrimSpace(sc.Text())
		}
	}()
	select {
	case p := <-port:
		return p
	case <-time.After(20 * time.Second):
		b.Fatal("the discard peer did not start")
	}
	return ""
}
