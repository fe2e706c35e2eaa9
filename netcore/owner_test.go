package netcore

import (
	"testing"

	"golang.org/x/sys/unix"
)

// TestOwners: each owner's open sockets are listed, handed over, closed;
// a closed socket leaves its owner's set and cannot be handed to another.
func TestOwners(t *testing.T) {
	tb := newTable(t)
	a, b := NewOwner("task 1"), NewOwner("task 2")
	s1 := open(t, tb, unix.AF_INET, unix.SOCK_STREAM, 0)
	s2 := open(t, tb, unix.AF_INET, unix.SOCK_DGRAM, 0)
	s3 := open(t, tb, unix.AF_INET, unix.SOCK_STREAM, 0)
	if s1.Owner() != nil || s1.Owner().String() != "session" {
		t.Fatalf("a new socket's owner: %v", s1.Owner())
	}
	s1.SetOwner(a)
	s2.SetOwner(a)
	s3.SetOwner(b)
	if got := tb.Owned(a); len(got) != 2 || got[0] != s1 || got[1] != s2 {
		t.Fatalf("Owned(a) = %v", got)
	}
	if in := s3.Info(); in.Owner != "task 2" {
		t.Fatalf("Info.Owner = %q", in.Owner)
	}
	s2.Close()
	if got := tb.Owned(a); len(got) != 1 || got[0] != s1 {
		t.Fatalf("after a close, Owned(a) = %v", got)
	}
	s2.SetOwner(b)
	if s2.Owner() != nil || len(tb.Owned(b)) != 1 {
		t.Fatal("a closed socket took an owner")
	}
	if n := tb.HandOver(a, b); n != 1 || s1.Owner() != b || len(tb.Owned(a)) != 0 {
		t.Fatalf("HandOver moved %d; s1's owner %v", n, s1.Owner())
	}
	s3.SetOwner(nil)
	if n := tb.CloseOwned(b); n != 1 || !s1.Closed() || s3.Closed() {
		t.Fatalf("CloseOwned closed %d", n)
	}
	if len(tb.byOwner) != 0 {
		t.Fatalf("owner sets left: %v", tb.byOwner)
	}
}
