package e2e

import (
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"
	"time"

	"nsh/internal/nshtest"
)

// fdLimitLua counts the process's descriptors, then opens far more sockets
// than the limit lets it hold at once and drops each one: failed connects,
// sockets made and forgotten, connections made and accepted and forgotten.
// Nothing closes them but their collection.
const fdLimitLua = `
local function fds() return #fs.list("/proc/self/fd") end
local limit = fs.read("/proc/self/limits"):match("Max open files%s+(%d+)%s+(%d+)")
local start = fds()
for i = 1, 10000 do
  local c = socket.tcp()
  local ok, err = c:connect("127.0.0.1", 1)
  assert(c and err == "connection refused", tostring(err))
end
for i = 1, 10000 do -- socket.socket opens its descriptor at once (LuaSocket's tcp() waits for bind/connect)
  local s = assert(socket.socket(socket.AF_INET, i % 2 == 0 and socket.SOCK_STREAM or socket.SOCK_DGRAM))
end
local srv = assert(socket.bind("127.0.0.1", 0))
local _, port = srv:getsockname()
for i = 1, 2000 do
  local c = assert(socket.connect("127.0.0.1", port))
  local a = assert(srv:accept())
end
srv:close()
collectgarbage()
print("limit=" .. limit .. " start=" .. start .. " end=" .. fds())
`

// TestDroppedSocketsCloseUnderFdLimit (issue 12): under a limit of 256
// descriptors, 10,000 failed connects, 10,000 sockets opened and dropped and
// 2,000 dropped connections never meet EMFILE (a forgotten socket closes
// when collected, and running out collects garbage), and the process ends
// with as many descriptors as it started with.
func TestDroppedSocketsCloseUnderFdLimit(t *testing.T) {
	prlimit, err := exec.LookPath("prlimit")
	if err != nil {
		t.Skip("prlimit (util-linux) is not installed")
	}
	bin := nshtest.Binary(t)
	script := filepath.Join(t.TempDir(), "fds.lua")
	writeFile(t, script, fdLimitLua)
	cmd := exec.Command(prlimit, "--nofile=256:256", bin, script)
	done := make(chan struct{})
	var out []byte
	go func() { out, err = cmd.CombinedOutput(); close(done) }()
	select {
	case <-done:
	case <-time.After(120 * time.Second):
		cmd.Process.Kill()
		<-done
		t.Fatalf("still running after 120 s: %s", out)
	}
	if err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	m := regexp.MustCompile(`limit=(\d+) start=(\d+) end=(\d+)`).FindStringSubmatch(string(out))
	if m == nil {
		t.Fatalf("no counts printed: %s", out)
	}
	if m[1] != "256" {
		t.Fatalf("the limit in force was %s, not 256: the test proves nothing", m[1])
	}
	start, _ := strconv.Atoi(m[2])
	end, _ := strconv.Atoi(m[3])
	t.Logf("descriptors under a limit of 256: %d at the start, %d at the end", start, end)
	if end != start {
		t.Fatalf("descriptors: %d at the start, %d at the end", start, end)
	}
}
