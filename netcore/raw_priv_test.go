package netcore

import (
	"os"
	"os/exec"
	"syscall"
	"testing"

	"golang.org/x/sys/unix"
)

// TestRawWithoutPrivilege checks the error a raw socket gives without
// CAP_NET_RAW. Run as root (where TestRawICMP succeeds), it re-runs itself
// in a new user namespace, which holds no capability over the host's
// network, so both paths are tested on every machine that allows one.
func TestRawWithoutPrivilege(t *testing.T) {
	if os.Getenv("NSH_RAW_CHILD") == "" && os.Geteuid() == 0 {
		cmd := exec.Command(os.Args[0], "-test.run=^TestRawWithoutPrivilege$", "-test.count=1")
		cmd.Env = append(os.Environ(), "NSH_RAW_CHILD=1")
		cmd.SysProcAttr = &syscall.SysProcAttr{Cloneflags: syscall.CLONE_NEWUSER}
		out, err := cmd.CombinedOutput()
		if err != nil && cmd.ProcessState == nil {
			t.Skipf("cannot start a process in a new user namespace: %v", err)
		}
		if err != nil {
			t.Fatalf("in a user namespace: %v\n%s", err, out)
		}
		return
	}
	tb := newTable(t)
	for _, tc := range []struct {
		family, proto int
	}{
		{unix.AF_INET, unix.IPPROTO_ICMP},
		{unix.AF_INET6, unix.IPPROTO_ICMPV6},
		{unix.AF_INET, unix.IPPROTO_RAW},
	} {
		s, err := tb.Open(tc.family, unix.SOCK_RAW, tc.proto)
		if err == nil {
			s.Close()
			t.Skip("this process has CAP_NET_RAW")
		}
		if err.Error() != "socket: operation not permitted" || Short(err) != "operation not permitted" {
			t.Fatalf("raw %s/%d: error %q, short %q", FamilyName(tc.family), tc.proto, err, Short(err))
		}
	}
	if tb.Len() != 0 {
		t.Fatalf("a failed Open left %d sockets in the table", tb.Len())
	}
}
