package netcore

import (
	"context"
	"testing"

	"golang.org/x/sys/unix"
)

// TestNoFdLeak opens and closes 10,000 sockets (and a few connected pairs)
// and checks the process has as many descriptors as before.
func TestNoFdLeak(t *testing.T) {
	tb := NewTable()
	// The first socket starts the runtime poller (epoll and eventfd): open
	// one before counting.
	if s, err := tb.Open(unix.AF_INET, unix.SOCK_STREAM, 0); err == nil {
		s.Close()
	}
	before := countFds(t)
	kinds := [][3]int{
		{unix.AF_INET, unix.SOCK_STREAM, 0},
		{unix.AF_INET6, unix.SOCK_STREAM, 0},
		{unix.AF_INET, unix.SOCK_DGRAM, 0},
		{unix.AF_UNIX, unix.SOCK_STREAM, 0},
		{unix.AF_UNIX, unix.SOCK_DGRAM, 0},
	}
	for i := range 10000 {
		k := kinds[i%len(kinds)]
		s, err := tb.Open(k[0], k[1], k[2])
		if err != nil {
			t.Fatalf("open %d: %v", i, err)
		}
		if i%2 == 0 && k[0] == unix.AF_INET {
			s.Bind(context.Background(), IPAddr(lo4, 0))
		}
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
	}
	for range 50 {
		c, s := pair(t, tb, unix.AF_INET)
		c.Close()
		s.Close()
	}
	if tb.Len() != 0 {
		t.Fatalf("table still holds %d sockets", tb.Len())
	}
	if after := countFds(t); after != before {
		t.Fatalf("descriptors: %d before, %d after", before, after)
	}
}

func TestTable(t *testing.T) {
	ctx := testCtx(t)
	tb := NewTable()
	ln, la := listen(t, tb, unix.AF_INET)
	c := open(t, tb, unix.AF_INET, unix.SOCK_STREAM, 0)
	c.Connect(ctx, la)
	s, _, err := ln.Accept(ctx)
	if err != nil {
		t.Fatal(err)
	}
	u := open(t, tb, unix.AF_INET6, unix.SOCK_DGRAM, 0)
	if tb.Len() != 4 || tb.Get(s.ID()) != s {
		t.Fatalf("Len %d", tb.Len())
	}
	// The server side closes: it goes to FIN_WAIT, the client to CLOSE_WAIT.
	s.Shutdown(unix.SHUT_WR)
	if n, err := c.Recv(ctx, make([]byte, 1)); n != 0 || err != nil {
		t.Fatal(n, err)
	}
	list := tb.List()
	want := []struct {
		id         int
		typ, state string
	}{
		{ln.ID(), "tcp", "LISTEN"},
		{c.ID(), "tcp", "CLOSE_WAIT"},
		{s.ID(), "tcp", "FIN_WAIT2"},
		{u.ID(), "udp6", "UNCONN"},
	}
	for i, w := range want {
		got := list[i]
		if got.ID != w.id || got.Type != w.typ || (got.State != w.state && !(w.state == "FIN_WAIT2" && got.State == "FIN_WAIT1")) {
			t.Errorf("List[%d] = %+v, want %+v", i, got, w)
		}
	}
	if list[1].Remote != la.String() || list[2].Local != la.String() || list[1].Family != "AF_INET" {
		t.Errorf("addresses: %+v", list)
	}
	if c.State() != StateConnected || ln.State() != StateListening || u.State() != StateCreated {
		t.Error("BSD states")
	}
	if n := tb.CloseAll(); n != 4 {
		t.Fatalf("CloseAll = %d", n)
	}
	if tb.Len() != 0 || len(tb.List()) != 0 || tb.CloseAll() != 0 {
		t.Fatal("table not empty")
	}
}

func TestAcceptedSocketsRegistered(t *testing.T) {
	tb := newTable(t)
	c, s := pair(t, tb, unix.AF_INET)
	if tb.Get(s.ID()) != s || tb.Get(c.ID()) != c || s.ID() == c.ID() {
		t.Fatal("accepted socket not in the table")
	}
	if s.Family() != unix.AF_INET || s.Type() != unix.SOCK_STREAM || s.Fd() <= 2 {
		t.Fatal("accessors")
	}
}
