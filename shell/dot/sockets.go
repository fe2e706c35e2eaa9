package dot

import (
	"bufio"
	"cmp"
	"encoding/hex"
	"fmt"
	"net/netip"
	"os"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"nsh/netcore"
)

func init() {
	Register(Command{Name: "sockets", Summary: "every open socket: id, kind, local and remote address, kernel state, bytes in and out, owner (the task, prompt line or script it closes with)", Run: dotSockets})
}

func dotSockets(e *Env, args []string) error {
	list := e.S.Sockets().List()
	if len(list) == 0 {
		fmt.Fprintln(e.Out, e.Style("dim", "no open sockets"))
		return nil
	}
	tws := kernelTimeWaits()
	if e.P != nil {
		// what waited there before this session began is another program's
		// (an ephemeral port comes back as a new listener's)
		tws = slices.DeleteFunc(tws, func(c kernelConn) bool { return c.age > time.Since(e.P.Started())+time.Second })
	}
	rows, closed := withTimeWaits(list, tws)
	tw := tabwriter.NewWriter(e.Out, 0, 0, 2, ' ', 0)
	// IN and OUT are told apart by colour; every cell of a column gets the
	// same escape codes, so tabwriter still aligns them.
	fmt.Fprintf(tw, "ID\tKIND\tLOCAL\tREMOTE\tSTATE\t%s\t%s\tOWNER\n", e.Style("recv", "IN"), e.Style("sent", "OUT"))
	for _, in := range rows {
		id, bytesIn, bytesOut := "-", "-", "-"
		if in.ID > 0 {
			id = strconv.Itoa(in.ID)
			bytesIn, bytesOut = strconv.FormatUint(in.BytesIn, 10), strconv.FormatUint(in.BytesOut, 10)
		}
		kind := in.Type
		if in.TLS {
			kind += "+tls" // the bytes counted are the wire's, TLS records included
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", id, kind, orDash(in.Local), orDash(in.Remote), orDash(in.State),
			e.Style("recv", bytesIn), e.Style("sent", bytesOut), orDash(in.Owner))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if closed {
		fmt.Fprintln(e.Out, e.Style("dim", "(a row without an id is a connection already closed that the kernel holds in TIME_WAIT for 60 s)"))
	}
	return nil
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// kernelConn is a TCP connection from the kernel's table.
type kernelConn struct {
	local, remote netip.AddrPort
	v6            bool
	age           time.Duration // how long it has been in TIME_WAIT
}

// timeWaitLen is how long Linux keeps a connection in TIME_WAIT
// (TCP_TIMEWAIT_LEN, not tunable).
const timeWaitLen = 60 * time.Second

// withTimeWaits adds to the open sockets the kernel's TIME_WAIT connections
// of the session's servers (the listening sockets). The kernel's table has
// other processes' connections too, and an ephemeral port comes back for
// a new peer while an old connection on it waits, so only a connection to
// or from a listener's address is the session's:
//   - a client still open whose connection to one of them ended is CLOSE
//     to TCP_INFO (the kernel moved the connection to a TIME_WAIT entry of
//     its own): it shows as TIME_WAIT, with that entry's peer;
//   - the other entries (a server's connections it closed first, a client
//     on this machine that closed first) are rows without an id; closed
//     reports such rows.
func withTimeWaits(list []netcore.Info, tws []kernelConn) (rows []netcore.Info, closed bool) {
	slices.SortStableFunc(tws, func(a, b kernelConn) int {
		return cmp.Or(a.local.Compare(b.local), a.remote.Compare(b.remote))
	})
	var servers []netip.AddrPort
	for _, in := range list {
		if a, err := netip.ParseAddrPort(in.Local); err == nil && strings.HasPrefix(in.Type, "tcp") && in.State == "LISTEN" {
			servers = append(servers, a)
		}
	}
	used := make([]bool, len(tws))
	rows = append(rows, list...)
	for i := range rows {
		in := &rows[i]
		if in.State != "CLOSE" || in.Remote != "" || !strings.HasPrefix(in.Type, "tcp") {
			continue
		}
		local, err := netip.ParseAddrPort(in.Local)
		if err != nil || onAny(local, servers) {
			continue // a server's connection: its port is the listener's, which entry is its own is not known
		}
		for j, tw := range tws {
			if !used[j] && sameAddrPort(tw.local, local) && onAny(tw.remote, servers) {
				used[j] = true
				in.State, in.Remote = "TIME_WAIT", tw.remote.String()
				break
			}
		}
	}
	for j, tw := range tws {
		local := tw.remote.Addr().IsLoopback() || tw.remote.Addr() == tw.local.Addr() // a client on this machine
		if used[j] || !(onAny(tw.local, servers) || local && onAny(tw.remote, servers)) {
			continue
		}
		kind := "tcp"
		if tw.v6 && !tw.local.Addr().Is4In6() {
			kind = "tcp6"
		}
		rows = append(rows, netcore.Info{Type: kind, Local: tw.local.String(), Remote: tw.remote.String(), State: "TIME_WAIT"})
		closed = true
	}
	return rows, closed
}

func sameAddrPort(a, b netip.AddrPort) bool {
	return a.Port() == b.Port() && a.Addr().Unmap() == b.Addr().Unmap()
}

// onAny reports whether a is one of the addresses, or on the port of one
// bound to the wildcard address.
func onAny(a netip.AddrPort, addrs []netip.AddrPort) bool {
	for _, m := range addrs {
		if m.Port() == a.Port() && (m.Addr().IsUnspecified() || m.Addr().Unmap() == a.Addr().Unmap()) {
			return true
		}
	}
	return false
}

// kernelTimeWaits reads the TIME_WAIT connections from /proc/net/tcp and
// tcp6 (none where there is no /proc).
func kernelTimeWaits() []kernelConn {
	var out []kernelConn
	for _, f := range []struct {
		path string
		v6   bool
	}{{"/proc/net/tcp", false}, {"/proc/net/tcp6", true}} {
		out = append(out, readProcTCP(f.path, f.v6, "06")...) // 06 = TCP_TIME_WAIT
	}
	return out
}

func readProcTCP(path string, v6 bool, state string) []kernelConn {
	f, err := os.Open(path)
	if err != nil {
		return nil
	}
	defer f.Close()
	var out []kernelConn
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) < 6 || fields[3] != state {
			continue
		}
		local, ok1 := procAddr(fields[1])
		remote, ok2 := procAddr(fields[2])
		if ok1 && ok2 {
			out = append(out, kernelConn{local: local, remote: remote, v6: v6, age: timeWaitAge(fields[5])})
		}
	}
	return out
}

// timeWaitAge reads the "tr:tm->when" field of a TIME_WAIT entry, the time
// left in clock ticks (USER_HZ, 100 a second, in hex), as its age.
func timeWaitAge(field string) time.Duration {
	_, left, ok := strings.Cut(field, ":")
	ticks, err := strconv.ParseUint(left, 16, 64)
	if !ok || err != nil {
		return 0
	}
	return max(timeWaitLen-time.Duration(ticks)*10*time.Millisecond, 0)
}

// procAddr parses /proc/net/tcp's "0100007F:1F90": the address as 32-bit
// words in host (little-endian) order, then the port in hex.
func procAddr(s string) (netip.AddrPort, bool) {
	h, p, ok := strings.Cut(s, ":")
	port, err := strconv.ParseUint(p, 16, 16)
	if !ok || err != nil {
		return netip.AddrPort{}, false
	}
	b, err := hex.DecodeString(h)
	if err != nil || (len(b) != 4 && len(b) != 16) {
		return netip.AddrPort{}, false
	}
	for i := 0; i < len(b); i += 4 {
		b[i], b[i+1], b[i+2], b[i+3] = b[i+3], b[i+2], b[i+1], b[i]
	}
	ip, _ := netip.AddrFromSlice(b)
	return netip.AddrPortFrom(ip, uint16(port)), true
}
