package luasocket

import (
	"bufio"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
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
// machine at the same time. Figures: docs/luasocket.md.

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

// benchRounds runs script under nsh and C in turn, rounds times each
// (BENCH_ROUNDS, default 5), so both see the same load, and reports the
// median seconds of each and their ratio nsh / C.
func benchRounds(b *testing.B, script string, scale float64, unit string, env ...string) {
	impls := benchImpls(b)
	rounds := 5
	if r, err := strconv.Atoi(os.Getenv("BENCH_ROUNDS")); err == nil && r >= 3 {
		rounds = r
	}
	for i := 0; i < b.N; i++ {
		times := map[string][]float64{}
		for r := 0; r < rounds; r++ {
			for _, im := range impls {
				times[im.name] = append(times[im.name], benchScript(b, im, script, env...))
			}
		}
		n, c := median(times["nsh"]), median(times["C"])
		b.ReportMetric(n*scale, "nsh-"+unit)
		b.ReportMetric(c*scale, "C-"+unit)
		b.ReportMetric(n/c, "nsh/C")
		b.Logf("%s, %d rounds: nsh %v s, C %v s", script, rounds, times["nsh"], times["C"])
	}
	b.ReportMetric(0, "ns/op")
}

func median(xs []float64) float64 {
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// BenchmarkHTTPGet1MiB: socket.http GETs of a 1 MiB body from Python's
// http.server on loopback, 20 per round; ms per GET.
func BenchmarkHTTPGet1MiB(b *testing.B) {
	port := startHTTPPeer(b)
	benchRounds(b, "bench_http.lua", 1e3/20, "ms/get", "HTTP_PORT="+port, "BENCH_N=20")
}

// BenchmarkHTTPGet1MiBGoServer: the same GETs from Go's net/http on
// loopback, a server fast enough that the client's work decides the time.
func BenchmarkHTTPGet1MiBGoServer(b *testing.B) {
	body := []byte(strings.Repeat("0123456789abcdef", 1<<16))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/octet-stream")
		w.Write(body)
	}))
	defer srv.Close()
	port := srv.URL[strings.LastIndex(srv.URL, ":")+1:]
	benchRounds(b, "bench_http.lua", 1e3/20, "ms/get", "HTTP_PORT="+port, "BENCH_N=20")
}

// BenchmarkLtn12Pump100MB: ltn12.pump.all of a 100 MB file into a socket
// (socket.sink) to a discarding Python peer on loopback; ms per 100 MB.
func BenchmarkLtn12Pump100MB(b *testing.B) {
	file := filepath.Join(b.TempDir(), "100mb")
	if err := os.WriteFile(file, make([]byte, 100<<20), 0o644); err != nil {
		b.Fatal(err)
	}
	port := startDiscardPeer(b)
	benchRounds(b, "bench_pump.lua", 1e3, "ms/100MB", "DISCARD_PORT="+port, "BENCH_FILE="+file)
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
