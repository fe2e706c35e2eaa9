package bench

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strconv"
	"time"

	"nsh/netcore"
)

// Hard caps: whatever a caller asks for, a run stays within these.
const (
	MaxDuration = 60 * time.Second // longest measuring period of any run
	MaxRequests = 100_000_000      // most round trips in one rr or udp run
	MaxConns    = 100_000          // most connections (rr, conns) or sockets (udp)
	MaxSize     = 16 << 20         // largest message of rr and udp (udp: 65,507)
	MaxBytes    = 64 << 30         // most bytes one bulk run moves
	// Grace is how long a run may overrun its duration while connecting,
	// draining and checking; every socket call has a deadline within it.
	Grace = 10 * time.Second
)

// Target is the address a run sends to: always a loopback address.
type Target struct {
	Host string // as the caller gave it
	IP   net.IP // the loopback address it resolved to
	Port int
}

// String returns the target as "127.0.0.1:8080" or "[::1]:8080".
func (t Target) String() string { return net.JoinHostPort(t.IP.String(), strconv.Itoa(t.Port)) }

// ResolveTarget turns host and port into a Target, refusing any address
// outside the loopback range (127.0.0.0/8, ::1): nsh bench is a load
// generator, and load is only ever sent to this machine.
func ResolveTarget(ctx context.Context, host string, port int) (Target, error) {
	if host == "" {
		host = "127.0.0.1"
	}
	if port < 1 || port > 65535 {
		return Target{}, usagef("bench: port %d out of range 1-65535", port)
	}
	t := Target{Host: host, Port: port}
	if ip := net.ParseIP(host); ip != nil {
		if !ip.IsLoopback() {
			return Target{}, refuse(host)
		}
		t.IP = ip
		return t, nil
	}
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	addrs, err := net.DefaultResolver.LookupIPAddr(ctx, host)
	if err != nil {
		return Target{}, fmt.Errorf("bench: resolve %s: %w (%v)", host, netcore.ErrHostNotFound, err)
	}
	for _, a := range addrs {
		if !a.IP.IsLoopback() {
			return Target{}, refuse(host + " (" + a.IP.String() + ")")
		}
	}
	if len(addrs) == 0 {
		return Target{}, fmt.Errorf("bench: resolve %s: %w", host, netcore.ErrHostNotFound)
	}
	t.IP = addrs[0].IP
	return t, nil
}

// ErrNotLoopback is wrapped by the error ResolveTarget returns for a
// non-loopback target.
var ErrNotLoopback = errors.New("only loopback targets (127.0.0.0/8, ::1, localhost) are allowed")

func refuse(what string) error {
	return &UsageError{Msg: "bench: refusing target " + what + ": " + ErrNotLoopback.Error(), Err: ErrNotLoopback}
}

// clampDuration keeps d within (0, MaxDuration]; zero means def.
func clampDuration(d, def time.Duration) time.Duration {
	if d <= 0 {
		d = def
	}
	return min(d, MaxDuration)
}

// UsageError is a bad option or a refused target: the caller's mistake, not
// the network's. Lua raises it; the command line exits with status 2.
type UsageError struct {
	Msg string
	Err error // ErrNotLoopback for a refused target, else nil
}

func (e *UsageError) Error() string { return e.Msg }

// Unwrap lets errors.Is find ErrNotLoopback.
func (e *UsageError) Unwrap() error { return e.Err }

func usagef(format string, args ...any) error { return &UsageError{Msg: fmt.Sprintf(format, args...)} }
