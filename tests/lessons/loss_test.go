package lessons_test

import (
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// The loss role of udp-boundaries (seed 002, Q4 "why is TCP more reliable
// than UDP"): the same messages over UDP and TCP. TestLossLoopback runs it on
// the plain loopback, where nothing is lost; TestLossNamespace runs it inside
// a network namespace whose loopback drops packets, where UDP loses datagrams
// and TCP still delivers every byte.

var (
	udpTally = regexp.MustCompile(`UDP: sent (\d+) datagrams of 25 bytes to \S+; (\d+) arrived, (\d+) lost`)
	tcpTally = regexp.MustCompile(`TCP: sent (\d+) messages of 25 bytes to \S+ \(\d+ sendall calls, (\d+) bytes\); (\d+) of (\d+) bytes arrived`)
)

// lossTally runs the loss role's output through the two regexps: sent, and
// arrived, for UDP (datagrams) and TCP (bytes).
func lossTally(t *testing.T, out string) (udpSent, udpGot, tcpSent, tcpGot int) {
	t.Helper()
	u, c := udpTally.FindStringSubmatch(out), tcpTally.FindStringSubmatch(out)
	if u == nil || c == nil {
		t.Fatalf("no UDP or TCP tally in:\n%s", out)
	}
	atoi := func(s string) int { n, _ := strconv.Atoi(s); return n }
	if atoi(u[2])+atoi(u[3]) != atoi(u[1]) {
		t.Errorf("UDP: arrived + lost != sent in %q", u[0])
	}
	return atoi(u[1]), atoi(u[2]), atoi(c[2]), atoi(c[3])
}

func TestLossLoopback(t *testing.T) {
	// --wait 5: the receiver stops as soon as all 50 are in; the wait only bounds a stall
	res := runNsh(t, "", "", "lesson", "run", "udp-boundaries", "loss", "--port", "0", "--count", "50", "--wait", "5")
	if res.Code != 0 {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", res.Code, res.Stdout, res.Stderr)
	}
	udpSent, udpGot, tcpSent, tcpGot := lossTally(t, res.Stdout)
	if udpSent != 50 || udpGot != 50 || tcpSent != 50*25 || tcpGot != 50*25 {
		t.Fatalf("on the plain loopback nothing should be lost:\n%s", res.Stdout)
	}
	wantLines(t, "stdout", res.Stdout, "nothing lost: this link drops nothing", "every message whole and in order",
		"same 50 messages: UDP delivered 50 (100.0%), TCP delivered 50 (100.0%)")
}

func TestLossFlags(t *testing.T) {
	for _, args := range [][]string{{"--count", "0"}, {"--count", "many"}, {"--wait", "0"}, {"--timeout", "-1"}} {
		res := runNsh(t, "", "", append([]string{"lesson", "run", "udp-boundaries", "loss", "--port", "0"}, args...)...)
		if res.Code != 1 || !strings.Contains(res.Stderr, args[0]+" needs a number from") {
			t.Errorf("%v: exit %d\nstderr:\n%s", args, res.Code, res.Stderr)
		}
	}
}

// TestLossNamespace needs root, ip(8) and a way to drop packets: tc netem
// where the kernel has sch_netem, else an nftables rule dropping a random 10%
// of the packets the namespace receives. It skips, saying why, without them.
func TestLossNamespace(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("not root: a network namespace with a lossy link needs root (ip netns add)")
	}
	ipCmd, err := exec.LookPath("ip")
	if err != nil {
		t.Skip("ip (iproute2) not found: cannot create a network namespace")
	}
	ns := fmt.Sprintf("nsh-loss-%d-%s", os.Getpid(), strings.ReplaceAll(t.Name(), "/", "-"))
	if out, err := exec.Command(ipCmd, "netns", "add", ns).CombinedOutput(); err != nil {
		t.Skipf("ip netns add %s: %v: %s (this machine does not allow network namespaces)", ns, err, strings.TrimSpace(string(out)))
	}
	t.Cleanup(func() {
		if out, err := exec.Command(ipCmd, "netns", "delete", ns).CombinedOutput(); err != nil {
			t.Errorf("ip netns delete %s: %v: %s", ns, err, out)
		}
	})
	inNS := func(argv ...string) error {
		out, err := exec.Command(ipCmd, append([]string{"netns", "exec", ns}, argv...)...).CombinedOutput()
		if err != nil {
			return fmt.Errorf("%s: %v: %s", strings.Join(argv, " "), err, strings.TrimSpace(string(out)))
		}
		return nil
	}
	if err := inNS("ip", "link", "set", "lo", "up"); err != nil {
		t.Skipf("ip netns exec does not work here (a container without mount rights?): %v", err)
	}
	how, err := lossyLoopback(inNS)
	if err != nil {
		t.Skipf("no way to make a lossy link here: %v", err)
	}
	t.Logf("namespace %s, loss on lo: %s", ns, how)

	res := run(t, t.TempDir(), "", ipCmd, "netns", "exec", ns, nshBin, "lesson", "run", "udp-boundaries", "loss",
		"--port", "0", "--count", "200", "--timeout", "20")
	t.Logf("loss: %s\n%s", how, res.Stdout)
	if res.Code != 0 {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", res.Code, res.Stdout, res.Stderr)
	}
	udpSent, udpGot, tcpSent, tcpGot := lossTally(t, res.Stdout)
	// 10% of 200 datagrams: the chance that none is dropped is 0.9^200, about 1e-9
	if udpSent != 200 || udpGot >= 200 || udpGot == 0 {
		t.Errorf("UDP through %s: %d of %d datagrams arrived, want some but not all", how, udpGot, udpSent)
	}
	if tcpSent != 200*25 || tcpGot != tcpSent {
		t.Errorf("TCP through %s: %d of %d bytes arrived, want all", how, tcpGot, tcpSent)
	}
	wantLines(t, "stdout", res.Stdout, "nobody resends them", "every message whole and in order",
		"and resent", "TCP delivered 200 (100.0%)")
}

// lossyLoopback makes the namespace's loopback drop 10% of its packets:
// with netem when the kernel has it, else with nftables. It says which.
func lossyLoopback(inNS func(argv ...string) error) (string, error) {
	var errs []string
	if _, err := exec.LookPath("tc"); err != nil {
		errs = append(errs, "tc not found")
	} else if err := inNS("tc", "qdisc", "add", "dev", "lo", "root", "netem", "loss", "10%"); err != nil {
		errs = append(errs, err.Error())
	} else {
		return "tc netem loss 10% (the kernel drops 10% of the packets lo sends)", nil
	}
	if _, err := exec.LookPath("nft"); err != nil {
		errs = append(errs, "nft not found")
		return "", fmt.Errorf("%s", strings.Join(errs, "; "))
	}
	for _, argv := range [][]string{
		{"nft", "add", "table", "inet", "nshloss"},
		{"nft", "add", "chain", "inet", "nshloss", "in", "{ type filter hook input priority 0; }"},
		{"nft", "add", "rule", "inet", "nshloss", "in", "numgen", "random", "mod", "100", "<", "10", "drop"},
	} {
		if err := inNS(argv...); err != nil {
			errs = append(errs, err.Error())
			return "", fmt.Errorf("%s", strings.Join(errs, "; "))
		}
	}
	return "nftables numgen random mod 100 < 10 drop (no netem here: 10% of the packets received are dropped)", nil
}
