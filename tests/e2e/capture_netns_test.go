package e2e

import (
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"nsh/internal/nshtest"
)

// TestCaptureInNamespace runs nsh in a network namespace of the test's own,
// wired by a veth pair to a second one: there socket.capture listens on
// every interface, so the datagram leaving on the veth and the ICMP port
// unreachable coming back are shown (on the host, only lo would be).
func TestCaptureInNamespace(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("network namespaces and packet capture need root")
	}
	ipCmd, err := exec.LookPath("ip")
	if err != nil {
		t.Skip("ip (iproute2) not found: no namespaces to capture in")
	}
	id := os.Getpid() % 100000
	a, b := fmt.Sprintf("nshcapA%d", id), fmt.Sprintf("nshcapB%d", id)
	va, vb := fmt.Sprintf("ncA%d", id), fmt.Sprintf("ncB%d", id)
	ip := func(args ...string) {
		t.Helper()
		if out, err := exec.Command(ipCmd, args...).CombinedOutput(); err != nil {
			t.Skipf("ip %s: %v: %s", strings.Join(args, " "), err, out)
		}
	}
	ip("netns", "add", a)
	t.Cleanup(func() { exec.Command(ipCmd, "netns", "del", a).Run() })
	ip("netns", "add", b)
	t.Cleanup(func() { exec.Command(ipCmd, "netns", "del", b).Run() })
	ip("-n", a, "link", "add", va, "type", "veth", "peer", "name", vb, "netns", b)
	ip("-n", a, "addr", "add", "10.201.0.1/24", "dev", va)
	ip("-n", b, "addr", "add", "10.201.0.2/24", "dev", vb)
	for _, ns := range [][2]string{{a, va}, {b, vb}, {a, "lo"}, {b, "lo"}} {
		ip("-n", ns[0], "link", "set", ns[1], "up")
	}
	code := `
local cap = assert(socket.capture{})
local u = assert(socket.udp())
for _ = 1, 3 do u:sendto("hello", "10.201.0.2", 9); sleep(0.1) end
cap:stop()
`
	ctx := exec.Command(ipCmd, "netns", "exec", a, nshtest.Binary(t), "-e", code)
	ctx.Env = append(os.Environ(), "NO_COLOR=1")
	done := make(chan struct{})
	var out []byte
	go func() { out, err = ctx.CombinedOutput(); close(done) }()
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		ctx.Process.Kill() // our own child, by PID
		<-done
		t.Fatalf("nsh in the namespace did not end:\n%s", out)
	}
	if err != nil {
		t.Fatalf("nsh in namespace %s: %v\n%s", a, err, out)
	}
	s := string(out)
	if !strings.Contains(s, `udp 10.201.0.1:`) || !strings.Contains(s, `-> 10.201.0.2:9 5 bytes "hello"`) {
		t.Fatalf("the datagram on %s is not shown:\n%s", va, s)
	}
	if !strings.Contains(s, "icmp 10.201.0.2 -> 10.201.0.1 destination unreachable (port)") {
		t.Fatalf("the port unreachable from %s is not shown:\n%s", b, s)
	}
}

// TestCaptureRetransmission: in a namespace of the test's own, nftables
// drops every other data segment to port 9000 after the capture has seen
// it arrive, so TCP sends it again and the capture marks the copy.
func TestCaptureRetransmission(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("network namespaces and packet capture need root")
	}
	ipCmd, err1 := exec.LookPath("ip")
	nft, err2 := exec.LookPath("nft")
	if err1 != nil || err2 != nil {
		t.Skip("ip (iproute2) or nft (nftables) not found: no lossy namespace")
	}
	ns := fmt.Sprintf("nshrtx%d", os.Getpid()%100000)
	if out, err := exec.Command(ipCmd, "netns", "add", ns).CombinedOutput(); err != nil {
		t.Skipf("ip netns add: %v: %s", err, out)
	}
	t.Cleanup(func() { exec.Command(ipCmd, "netns", "del", ns).Run() })
	if out, err := exec.Command(ipCmd, "-n", ns, "link", "set", "lo", "up").CombinedOutput(); err != nil {
		t.Fatalf("lo up: %v: %s", err, out)
	}
	rules := exec.Command(ipCmd, "netns", "exec", ns, nft, "-f", "-")
	rules.Stdin = strings.NewReader(`table inet nshrtx {
  chain input {
    type filter hook input priority 0; policy accept;
    tcp dport 9000 tcp flags & psh == psh numgen inc mod 2 == 0 drop
  }
}
`)
	if out, err := rules.CombinedOutput(); err != nil {
		t.Skipf("nft: %v: %s", err, out)
	}
	code := `
local cap = assert(socket.capture{})
local srv = assert(socket.socket()); assert(srv:bind("127.0.0.1", 9000)); srv:listen(5)
spawn(function() local c = srv:accept(); c:sendall(c:recv(1024):upper()); c:close() end)
local c = socket.tcp(); assert(c:connect("127.0.0.1", 9000))
c:send("hello"); print(c:recv(1024)); c:close()
sleep(0.1); cap:stop()
`
	cmd := exec.Command(ipCmd, "netns", "exec", ns, nshtest.Binary(t), "-e", code)
	cmd.Env = append(os.Environ(), "NO_COLOR=1")
	timer := time.AfterFunc(20*time.Second, func() { cmd.Process.Kill() }) // our own child, by PID
	out, err := cmd.CombinedOutput()
	timer.Stop()
	if err != nil {
		t.Fatalf("nsh in namespace %s: %v\n%s", ns, err, out)
	}
	// the data segment, dropped after the capture saw it arrive, then its copy
	var seen []string
	for _, l := range strings.Split(string(out), "\n") {
		if strings.Contains(l, `PSH 5 bytes "hello" seq=1 ack=1 `) {
			seen = append(seen, l)
		}
	}
	if len(seen) < 2 || strings.Contains(seen[0], "(retransmission)") || !strings.HasSuffix(seen[1], " (retransmission)") ||
		!strings.Contains(string(out), "HELLO") {
		t.Fatalf("no first segment then its retransmission:\n%s", out)
	}
}
