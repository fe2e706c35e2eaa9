package socket_test

import (
	"bufio"
	"crypto/md5"
	"encoding/hex"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	lua "github.com/yuin/gopher-lua"
)

// pySender starts python3 sending size pseudo-random bytes to the first
// client; it returns the port and a function that waits for python and
// returns hashlib's md5 of what it sent.
func pySender(t *testing.T, size int) (int, func() string) {
	t.Helper()
	py, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("python3 not installed")
	}
	script := `import socket, hashlib, random, sys
size = int(sys.argv[1])
rnd = random.Random(16)
srv = socket.socket(); srv.bind(("127.0.0.1", 0)); srv.listen(1)
print(srv.getsockname()[1], flush=True)
srv.settimeout(30)
c, _ = srv.accept()
h = hashlib.md5()
left = size
while left > 0:
    # odd sizes, so reads do not line up with 64 KiB
    chunk = rnd.randbytes(min(left, rnd.randint(1, 200000)))
    h.update(chunk); c.sendall(chunk); left -= len(chunk)
c.close()
print(h.hexdigest(), flush=True)
`
	cmd := exec.Command(py, "-c", script, strconv.Itoa(size))
	out, _ := cmd.StdoutPipe()
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	sc := bufio.NewScanner(out)
	if !sc.Scan() {
		t.Fatal("python printed no port")
	}
	port, _ := strconv.Atoi(strings.TrimSpace(sc.Text()))
	return port, func() string {
		if !sc.Scan() {
			t.Fatal("python printed no digest")
		}
		cmd.Wait()
		return strings.TrimSpace(sc.Text())
	}
}

// A recv(65536) loop keeps every chunk it was given intact while it reads
// on (a big read's string owns its buffer; the next read must not reuse it):
// the concatenation has Python's hashlib digest of what it sent.
func TestBulkRecvLoopAgainstPython(t *testing.T) {
	port, digest := pySender(t, 24<<20)
	L, _ := newState(t)
	L.SetGlobal("PORT", lua.LNumber(port))
	err := L.DoString(`
local c = assert(socket.connect("127.0.0.1", PORT))
local parts, big = {}, 0
while true do
  local d = assert(c:recv(65536))
  if d == "" then break end
  if #d >= 49152 then big = big + 1 end
  parts[#parts + 1] = d
end
c:close()
BIG = big
ALL = table.concat(parts)`)
	if err != nil {
		t.Fatal(err)
	}
	want := digest()
	sum := md5.Sum([]byte(L.GetGlobal("ALL").String()))
	if got := hex.EncodeToString(sum[:]); got != want {
		t.Fatalf("md5 of what recv returned %s, python sent %s", got, want)
	}
	if L.GetGlobal("BIG").(lua.LNumber) == 0 {
		t.Log("no read filled 48 KiB: the buffer-giving path was not taken this run")
	}
}

// recvfile with md5 on a real 64 MiB transfer: the digest it computes on
// its second goroutine is hashlib's, and md5sum of the file written agrees.
func TestRecvfileMD5AgainstPython(t *testing.T) {
	port, digest := pySender(t, 64<<20)
	L, _ := newState(t)
	dst := filepath.Join(t.TempDir(), "get.bin")
	L.SetGlobal("PORT", lua.LNumber(port))
	L.SetGlobal("DST", lua.LString(dst))
	err := L.DoString(`
local c = assert(socket.connect("127.0.0.1", PORT))
local moved = 0
local n, sum = c:recvfile(DST, 64 * 1048576, {md5 = true, step = function(k) moved = moved + k end})
assert(n == 64 * 1048576 and moved == n, tostring(n) .. " " .. tostring(moved))
c:close()
SUM = sum`)
	if err != nil {
		t.Fatal(err)
	}
	want := digest()
	if got := L.GetGlobal("SUM").String(); got != want {
		t.Fatalf("recvfile md5 %s, python's hashlib %s", got, want)
	}
	if md5sum, err := exec.LookPath("md5sum"); err == nil {
		out, err := exec.Command(md5sum, dst).Output()
		if err != nil || !strings.HasPrefix(string(out), want+" ") {
			t.Fatalf("md5sum %s: %s %v, want %s", dst, out, err, want)
		}
	}
}
