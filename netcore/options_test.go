package netcore

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// timeWaitOn reports whether /proc/net/tcp lists a TIME_WAIT socket with
// local port port.
func timeWaitOn(t *testing.T, port int) bool {
	t.Helper()
	f, err := os.Open("/proc/net/tcp")
	if err != nil {
		t.Skipf("no /proc/net/tcp: %v", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	suffix := fmt.Sprintf(":%04X", port)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) > 3 && strings.HasSuffix(fields[1], suffix) && fields[3] == "06" {
			return true
		}
	}
	return false
}

// makeTimeWait runs a server on a fresh port whose accepted connection
// closes first (the active close), so that connection ends in TIME_WAIT on
// the server's port. reuse sets SO_REUSEADDR on the server before bind.
func makeTimeWait(t *testing.T, reuse bool) Addr {
	t.Helper()
	ctx := testCtx(t)
	tb := newTable(t)
	ln := open(t, tb, unix.AF_INET, unix.SOCK_STREAM, 0)
	if reuse {
		if err := ln.SetOption(unix.SOL_SOCKET, unix.SO_REUSEADDR, 1); err != nil {
			t.Fatal(err)
		}
	}
	if err := ln.Bind(ctx, IPAddr(lo4, 0)); err != nil {
		t.Fatal(err)
	}
	ln.Listen(1)
	la, _ := ln.LocalAddr()
	c := open(t, tb, unix.AF_INET, unix.SOCK_STREAM, 0)
	if err := c.Connect(ctx, la); err != nil {
		t.Fatal(err)
	}
	srv, _, err := ln.Accept(ctx)
	if err != nil {
		t.Fatal(err)
	}
	srv.Close() // the server closes first
	if n, err := c.Recv(ctx, make([]byte, 1)); n != 0 || err != nil {
		t.Fatalf("client sees %d, %v; want end of stream", n, err)
	}
	c.Close()
	ln.Close()
	for deadline := time.Now().Add(5 * time.Second); !timeWaitOn(t, la.Port); {
		if time.Now().After(deadline) {
			t.Fatalf("no TIME_WAIT on port %d", la.Port)
		}
		time.Sleep(time.Millisecond)
	}
	return la
}

// TestReuseAddrTimeWait shows the kernel's real rule: a server that sets
// SO_REUSEADDR before bind can restart while its old connection is in
// TIME_WAIT; without it bind fails with "address already in use".
func TestReuseAddrTimeWait(t *testing.T) {
	for _, tc := range []struct {
		name            string
		oldReuse, reuse bool
		want            string // Short of the bind error, "" = success
	}{
		{"without SO_REUSEADDR", false, false, "address already in use"},
		{"with SO_REUSEADDR", true, true, ""},
		{"only the new server sets it", false, true, "address already in use"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			la := makeTimeWait(t, tc.oldReuse)
			tb := newTable(t)
			s := open(t, tb, unix.AF_INET, unix.SOCK_STREAM, 0)
			if tc.reuse {
				s.SetOption(unix.SOL_SOCKET, unix.SO_REUSEADDR, 1)
			}
			if v, _ := s.GetOption(unix.SOL_SOCKET, unix.SO_REUSEADDR); (v != 0) != tc.reuse {
				t.Fatalf("SO_REUSEADDR reads %d", v)
			}
			err := s.Bind(testCtx(t), la)
			wantShort(t, "bind", err, tc.want)
			if err == nil {
				if err := s.Listen(1); err != nil {
					t.Fatal(err)
				}
			}
		})
	}
}

func TestOptions(t *testing.T) {
	tb := newTable(t)
	c, _ := pair(t, tb, unix.AF_INET)
	for _, tc := range []struct {
		name       string
		set, want  int
		compareMin bool
	}{
		{"SO_RCVBUF", 65536, 2 * 65536, false}, // the kernel doubles it
		{"SO_SNDBUF", 65536, 2 * 65536, false},
		{"tcp-nodelay", 1, 1, false},
		{"keepalive", 1, 1, false},
		{"SO_KEEPALIVE", 0, 0, false},
		{"broadcast", 1, 1, false},
		{"reuseport", 1, 1, false},
		{"linger", 3, 3, false},
		{"linger", -1, -1, false},
		{"IP_TTL", 9, 9, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o, ok := Options[tc.name]
			if !ok {
				t.Fatalf("no option %q", tc.name)
			}
			if err := c.SetOption(o.Level, o.Name, tc.set); err != nil {
				t.Fatal(err)
			}
			got, err := c.GetOption(o.Level, o.Name)
			if err != nil || got != tc.want {
				t.Fatalf("GetOption = %d, %v; want %d", got, err, tc.want)
			}
		})
	}
	if v, _ := c.GetOption(unix.SOL_SOCKET, unix.SO_TYPE); v != unix.SOCK_STREAM {
		t.Fatalf("SO_TYPE = %d", v)
	}
	if v, _ := c.GetOption(unix.SOL_SOCKET, unix.SO_ERROR); v != 0 {
		t.Fatalf("SO_ERROR = %d", v)
	}
	if err := c.SetLinger(true, 0); err != nil {
		t.Fatal(err)
	}
	if on, sec, err := c.GetLinger(); !on || sec != 0 || err != nil {
		t.Fatalf("GetLinger = %v %d %v", on, sec, err)
	}
	u6 := open(t, tb, unix.AF_INET6, unix.SOCK_DGRAM, 0)
	if err := u6.SetOption(Options["ipv6-v6only"].Level, Options["ipv6-v6only"].Name, 1); err != nil {
		t.Fatal(err)
	}
	if v, _ := u6.GetOption(unix.IPPROTO_IPV6, unix.IPV6_V6ONLY); v != 1 {
		t.Fatalf("IPV6_V6ONLY = %d", v)
	}
	// An option that does not exist at that level: the kernel's error.
	err := c.SetOption(unix.SOL_SOCKET, 9999, 1)
	if !errors.Is(err, unix.ENOPROTOOPT) || !strings.HasPrefix(err.Error(), "setsockopt") {
		t.Fatalf("bad option: %v", err)
	}
}

func TestOptionTables(t *testing.T) {
	for _, name := range []string{"SO_REUSEADDR", "SO_REUSEPORT", "SO_BROADCAST", "SO_KEEPALIVE",
		"SO_RCVBUF", "SO_SNDBUF", "SO_LINGER", "SO_ERROR", "SO_TYPE", "TCP_NODELAY", "IPV6_V6ONLY",
		"reuseaddr", "reuseport", "tcp-nodelay", "keepalive", "broadcast", "linger", "ipv6-v6only",
		"rcvbuf", "sndbuf"} {
		o, ok := Options[name]
		if !ok {
			t.Errorf("Options lacks %s", name)
			continue
		}
		if strings.HasPrefix(name, "SO_") && (o.Level != unix.SOL_SOCKET || o.Name != Constants[name]) {
			t.Errorf("Options[%s] = %+v", name, o)
		}
	}
	if Options["reuseaddr"] != Options["SO_REUSEADDR"] || Options["tcp-nodelay"] != (Option{unix.IPPROTO_TCP, unix.TCP_NODELAY}) {
		t.Error("LuaSocket names differ from C names")
	}
	for name, want := range map[string]int{
		"AF_INET": 2, "AF_INET6": 10, "AF_UNIX": 1, "SOCK_STREAM": 1, "SOCK_DGRAM": 2, "SOCK_RAW": 3,
		"SOL_SOCKET": 1, "SO_REUSEADDR": 2, "IPPROTO_TCP": 6, "IPPROTO_UDP": 17, "IPPROTO_ICMP": 1,
		"TCP_NODELAY": 1, "SHUT_RD": 0, "SHUT_WR": 1, "SHUT_RDWR": 2, "MSG_PEEK": 2,
	} {
		if got, ok := Constants[name]; !ok || got != want {
			t.Errorf("Constants[%s] = %d, %v; want %d", name, got, ok, want)
		}
	}
}

// TestOptionErrorsNameTheOption: a refused option's story says which one.
func TestOptionErrorsNameTheOption(t *testing.T) {
	tb := newTable(t)
	s := open(t, tb, unix.AF_INET, unix.SOCK_STREAM, 0)
	err := s.SetOption(unix.SOL_SOCKET, 9999, 1)
	if err == nil || err.Error() != "setsockopt level 1 option 9999: protocol not available" {
		t.Fatalf("SetOption(SOL_SOCKET, 9999) = %v", err)
	}
	if _, err := s.GetOption(unix.IPPROTO_TCP, 9999); err == nil || !strings.HasPrefix(err.Error(), "getsockopt level 6 option 9999: ") {
		t.Fatalf("GetOption(IPPROTO_TCP, 9999) = %v", err)
	}
	if got := OptionName(unix.SOL_SOCKET, unix.SO_REUSEADDR); got != "SO_REUSEADDR" {
		t.Fatalf("OptionName(SOL_SOCKET, SO_REUSEADDR) = %q", got)
	}
}
