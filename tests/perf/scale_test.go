package perf

// Scale tests: how many tasks and connections one session holds, what a
// blocking call through the session lock costs, and what a task costs.
// They check every answer and log their figures; they assert no times.
// CI runs them small; for the figures of docs/performance.md:
//
//	NSH_SCALE=10000 go test -run TestScale -v ./tests/perf
//
// (TestScaleTasksAndConnections needs 2*NSH_SCALE descriptors in one
// process and skips when RLIMIT_NOFILE cannot be raised that far.)

import (
	"bytes"
	"os"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"

	lua "github.com/yuin/gopher-lua"

	"nsh/plugins"
	"nsh/shell"
)

// scaleprobe.mem() gives the Lua scripts the process's figures at a moment
// they choose: Go heap in use (bytes), goroutines, open descriptors and
// resident memory (bytes).
func init() {
	plugins.Register(plugins.Plugin{
		Name: "scaleprobe", Version: "0", Summary: "scale test probe", Global: true,
		Open: func(L *lua.LState, h plugins.Host) *lua.LTable {
			return L.SetFuncs(L.NewTable(), map[string]lua.LGFunction{
				"mem": func(L *lua.LState) int {
					runtime.GC()
					var ms runtime.MemStats
					runtime.ReadMemStats(&ms)
					L.Push(lua.LNumber(ms.HeapInuse))
					L.Push(lua.LNumber(runtime.NumGoroutine()))
					L.Push(lua.LNumber(openFds()))
					L.Push(lua.LNumber(rss()))
					return 4
				},
			})
		},
	})
}

// scale returns NSH_SCALE, or def when it is unset.
func scale(t *testing.T, def int) int {
	if v := os.Getenv("NSH_SCALE"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n <= 0 {
			t.Fatalf("NSH_SCALE=%q", v)
		}
		return n
	}
	if testing.Short() {
		return def / 4
	}
	return def
}

func openFds() int { return procFds(os.Getpid()) }

func rss() int { return procRSS(os.Getpid()) << 10 }

// needFds raises RLIMIT_NOFILE to at least n (the hard limit too, which
// root may do), or skips.
func needFds(t *testing.T, n uint64) {
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		t.Skipf("getrlimit: %v", err)
	}
	if lim.Cur >= n {
		return
	}
	old := lim
	lim.Cur = n
	if lim.Max < n {
		lim.Max = n
	}
	if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		t.Skipf("need %d descriptors, have %d (hard %d): %v", n, old.Cur, old.Max, err)
	}
	t.Cleanup(func() { syscall.Setrlimit(syscall.RLIMIT_NOFILE, &old) })
}

// runOut runs src in a fresh session and returns what it printed.
func runOut(t *testing.T, src string, args ...string) string {
	t.Helper()
	var out, errb bytes.Buffer
	s := shell.New(shell.Options{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb, NoLuaPlugins: true})
	t.Cleanup(func() { s.Close() })
	if st := s.RunSource("scale.lua", src, args); st != 0 {
		t.Fatalf("status %d: %s", st, errb.String())
	}
	return out.String()
}

const scaleConns = `
local n = tonumber(arg[1])
local t0 = socket.gettime()
local heap0, gor0, fds0, rss0 = scaleprobe.mem()
local srv = assert(socket.socket())
assert(srv:bind("127.0.0.1", 0))
assert(srv:listen(4096))
local port = srv:getsockname().port
local served = 0
-- One task per connection, each blocked in recv until its client speaks.
local acceptor = spawn(function()
  for i = 1, n do
    local conn = assert(srv:accept())
    spawn(function()
      local data = assert(conn:recv(16))
      assert(conn:sendall(data:upper()))
      conn:close()
      served = served + 1
    end)
  end
end)
local clients = {}
for i = 1, n do
  clients[i] = assert(socket.socket())
  assert(clients[i]:connect("127.0.0.1", port))
end
assert(acceptor:join())
local function waiting()
  local w = 0
  for _, t in ipairs(tasks()) do if t.state == "waiting" then w = w + 1 end end
  return w
end
while waiting() < n do sleep(0.01) end
local t1 = socket.gettime()
local heap1, gor1, fds1, rss1 = scaleprobe.mem()
for i = 1, n do assert(clients[i]:send("ping" .. i % 10)) end
for i = 1, n do
  assert(clients[i]:recvexactly(5) == "PING" .. i % 10)
  clients[i]:close()
end
local t2 = socket.gettime()
assert(served == n, "served " .. served)
srv:close()
print(string.format("%d connections, %d tasks blocked in recv: set up in %.2f s; all woken and answered in %.3f s", n, n, t1 - t0, t2 - t1))
print(string.format("at the peak: %d descriptors, %d goroutines, Go heap +%.1f MiB (%.1f KiB per task+connection pair), RSS %.0f MiB",
  fds1 - fds0, gor1 - gor0, (heap1 - heap0) / 2^20, (heap1 - heap0) / n / 1024, rss1 / 2^20))
`

// TestScaleTasksAndConnections: n tasks blocked in recv on n loopback
// connections of one session (both ends in this process: 2n descriptors),
// then every one woken and answered. TestScaleServerProcess puts the
// client ends in another process.
func TestScaleTasksAndConnections(t *testing.T) {
	if !haveSocket(t) {
		t.Skip("the socket plugin is not built in")
	}
	n := scale(t, 1000)
	needFds(t, uint64(2*n+200))
	out := runOut(t, scaleConns, strconv.Itoa(n))
	if !strings.Contains(out, strconv.Itoa(n)+" connections") {
		t.Fatalf("output %q", out)
	}
	t.Log("\n" + out)
}

const scaleLock = `
local tasks_, calls = tonumber(arg[1]), tonumber(arg[2])
-- 1: sleep(0) inside pcall: a Block with nothing to wait for, the lock's
-- hand-off alone.
local t0 = socket.gettime()
local ts = {}
for i = 1, tasks_ do
  ts[i] = spawn(function()
    for j = 1, calls do assert(pcall(sleep, 0)) end
  end)
end
for i = 1, tasks_ do assert(ts[i]:join()) end
local t1 = socket.gettime()
-- 2: recv inside pcall that really waits: tasks in pairs over loopback
-- connections, one sends, the other's recv wakes, answers, and so on.
local srv = assert(socket.socket())
assert(srv:bind("127.0.0.1", 0)); assert(srv:listen(4096))
local port = srv:getsockname().port
local pairs_ = math.floor(tasks_ / 2)
local ends = {}
for i = 1, pairs_ do
  local c = assert(socket.socket()); assert(c:connect("127.0.0.1", port))
  ends[i] = {c, (assert(srv:accept()))}
end
local t2 = socket.gettime()
ts = {}
for i = 1, pairs_ do
  local c, a = ends[i][1], ends[i][2]
  ts[#ts + 1] = spawn(function()
    for j = 1, calls do
      assert(c:send("x"))
      local ok, d = pcall(c.recv, c, 1)
      assert(ok and d == "y", d)
    end
  end)
  ts[#ts + 1] = spawn(function()
    for j = 1, calls do
      local ok, d = pcall(a.recv, a, 1)
      assert(ok and d == "x", d)
      assert(a:send("y"))
    end
  end)
end
for _, t in ipairs(ts) do assert(t:join()) end
local t3 = socket.gettime()
for i = 1, pairs_ do ends[i][1]:close(); ends[i][2]:close() end
srv:close()
local n1, n2 = tasks_ * calls, 2 * pairs_ * calls
print(string.format("%d sleep(0) in pcall (%d tasks x %d): %.3f s, %.2f us per call", n1, tasks_, calls, t1 - t0, (t1 - t0) / n1 * 1e6))
print(string.format("%d waiting recv in pcall (%d tasks in pairs x %d, each woken by its partner's send): %.3f s, %.2f us per recv+send",
  n2, 2 * pairs_, calls, t3 - t2, (t3 - t2) / n2 * 1e6))
`

// TestScaleLockThroughput: many blocking calls inside pcall, through the
// session lock, from many tasks at once.
func TestScaleLockThroughput(t *testing.T) {
	if !haveSocket(t) {
		t.Skip("the socket plugin is not built in")
	}
	tasks := 1000 // 100,000 calls, the figure DESIGN.md quotes
	if testing.Short() {
		tasks = 250
	}
	needFds(t, uint64(tasks+200))
	out := runOut(t, scaleLock, strconv.Itoa(tasks), "100")
	if !strings.Contains(out, "waiting recv in pcall") {
		t.Fatalf("output %q", out)
	}
	t.Log("\n" + out)
}

const scaleSpawn = `
local n = tonumber(arg[1])
local f = function(i) return i end
local t0 = socket.gettime()
local ts = {}
for i = 1, n do ts[i] = spawn(f, i) end
for i = 1, n do local ok, v = ts[i]:join(); assert(ok and v == i) end
local t1 = socket.gettime()
ts = nil
local heap0, gor0 = scaleprobe.mem()
local sleepers = {}
for i = 1, n do sleepers[i] = spawn(function() return sleep(3600) end) end
sleep(0)
local waiting = 0
while waiting < n do
  waiting = 0
  for _, t in ipairs(sleepers) do if t.state == "waiting" then waiting = waiting + 1 end end
  if waiting < n then sleep(0.01) end
end
local heap1, gor1 = scaleprobe.mem()
for _, t in ipairs(sleepers) do t:cancel() end
for _, t in ipairs(sleepers) do local ok, err = t:join(); assert(err == "interrupted" or ok, err) end
print(string.format("spawn+run+join of %d tasks: %.3f s, %.1f us per task", n, t1 - t0, (t1 - t0) / n * 1e6))
print(string.format("%d tasks asleep at once: %d goroutines, Go heap +%.1f KiB per task", n, gor1 - gor0, (heap1 - heap0) / n / 1024))
`

// TestScaleSpawn: the cost of a task, in time and in memory while it waits.
func TestScaleSpawn(t *testing.T) {
	n := scale(t, 1000)
	out := runOut(t, scaleSpawn, strconv.Itoa(n))
	if !strings.Contains(out, "tasks asleep at once") {
		t.Fatalf("output %q", out)
	}
	t.Log("\n" + out)
}
