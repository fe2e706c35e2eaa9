package netcore

import (
	"fmt"
	"net/netip"
	"testing"

	"golang.org/x/sys/unix"
)

func TestPlainTimeout(t *testing.T) {
	plain := &OpError{Op: "receive", Addr: "127.0.0.1:9", Err: ErrTimeout}
	if !PlainTimeout(plain) || Short(plain) != "timeout" {
		t.Errorf("a receive timeout: PlainTimeout %v, Short %q", PlainTimeout(plain), Short(plain))
	}
	// not plain, and Short still answers through the chain as before
	for err, want := range map[error]string{
		fmt.Errorf("wrapped: %w", plain):                           "timeout",
		&OpError{Op: "send", Err: fmt.Errorf("x: %w", ErrTimeout)}: "timeout",
		&OpError{Op: "recv", Err: unix.ECONNRESET}:                 Short(unix.ECONNRESET),
		ErrTimeout: "timeout",
	} {
		if PlainTimeout(err) {
			t.Errorf("PlainTimeout(%v) = true", err)
		}
		if got := Short(err); got != want {
			t.Errorf("Short(%v) = %q, want %q", err, got, want)
		}
	}
}

// TestPeerText: the cached text follows the peer.
func TestPeerText(t *testing.T) {
	s := &Socket{}
	a := IPAddr(netip.MustParseAddr("127.0.0.1"), 80)
	b := IPAddr(netip.MustParseAddr("::1"), 443)
	s.peer.Store(&a)
	if got := s.peerText(s.peer.Load()); got != a.String() {
		t.Fatalf("peerText = %q, want %q", got, a.String())
	}
	if got := s.peerText(s.peer.Load()); got != a.String() {
		t.Fatalf("peerText again = %q, want %q", got, a.String())
	}
	s.peer.Store(&b)
	if got := s.peerText(s.peer.Load()); got != b.String() {
		t.Fatalf("peerText after a new peer = %q, want %q", got, b.String())
	}
}
