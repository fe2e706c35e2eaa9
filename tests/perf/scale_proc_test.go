package perf

import (
	"io"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"nsh/internal/nshtest"
)

// scaleServer holds one task per connection, each blocked in recv, and
// says "ready" once all n are waiting; each answers one message upper-cased.
const scaleServer = `
local n = tonumber(arg[1])
local srv = assert(socket.socket())
assert(srv:bind("127.0.0.1", 0))
assert(srv:listen(4096))
print("listening on " .. srv:getsockname().port)
io.stdout:flush()
local served = 0
for i = 1, n do
  local conn = assert(srv:accept())
  spawn(function()
    local data = assert(conn:recv(16))
    assert(conn:sendall(data:upper()))
    conn:close()
    served = served + 1
  end)
end
srv:close()
local function waiting()
  local w = 0
  for _, t in ipairs(tasks()) do if t.state == "waiting" then w = w + 1 end end
  return w
end
while waiting() < n do sleep(0.01) end
print("ready " .. n)
io.stdout:flush()
while served < n do sleep(0.01) end
print("served " .. served)
`

// TestScaleServerProcess: one nsh process with n tasks blocked in recv on
// n connections whose other ends are in this test process; every task is
// then woken and its answer checked. The figures (descriptors and resident
// memory of the nsh process at the peak) are read from /proc.
func TestScaleServerProcess(t *testing.T) {
	if !haveSocket(t) {
		t.Skip("the socket plugin is not built in")
	}
	n := scale(t, 1000)
	needFds(t, uint64(n+200))
	script := filepath.Join(t.TempDir(), "scale_server.lua")
	if err := os.WriteFile(script, []byte(scaleServer), 0o644); err != nil {
		t.Fatal(err)
	}
	p := nshtest.Start(t, script, strconv.Itoa(n))
	port := p.WaitLine(t, `^listening on (\d+)$`, 30*time.Second)[1]
	t0 := time.Now()
	conns := make([]net.Conn, n)
	for i := range conns {
		c, err := net.Dial("tcp", "127.0.0.1:"+port)
		if err != nil {
			t.Fatalf("dial %d: %v", i, err)
		}
		conns[i] = c
		defer c.Close()
	}
	p.WaitLine(t, `^ready \d+$`, 60*time.Second)
	setup := time.Since(t0)
	pid := p.Cmd.Process.Pid
	fds, rssKB := procFds(pid), procRSS(pid)
	t1 := time.Now()
	for i, c := range conns {
		if _, err := c.Write([]byte("ping" + strconv.Itoa(i%10))); err != nil {
			t.Fatalf("write %d: %v", i, err)
		}
	}
	buf := make([]byte, 5)
	for i, c := range conns {
		c.SetReadDeadline(time.Now().Add(30 * time.Second))
		if _, err := io.ReadFull(c, buf); err != nil || string(buf) != "PING"+strconv.Itoa(i%10) {
			t.Fatalf("answer %d: %q, %v", i, buf, err)
		}
	}
	wake := time.Since(t1)
	p.WaitLine(t, `^served \d+$`, 30*time.Second)
	t.Logf("one nsh process: %d connections with a task each blocked in recv, set up in %.2f s; "+
		"all woken and answered in %.3f s; at the peak %d descriptors, RSS %.0f MiB (%.1f KiB per connection+task)",
		n, setup.Seconds(), wake.Seconds(), fds, float64(rssKB)/1024, float64(rssKB)/float64(n))
}

func procFds(pid int) int {
	ents, err := os.ReadDir("/proc/" + strconv.Itoa(pid) + "/fd")
	if err != nil {
		return -1
	}
	return len(ents)
}

// procRSS returns the process's resident memory in KiB.
func procRSS(pid int) int {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return -1
	}
	for _, line := range strings.Split(string(b), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmRSS:" {
			kb, _ := strconv.Atoi(f[1])
			return kb
		}
	}
	return -1
}
