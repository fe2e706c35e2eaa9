package netcore

import (
	"context"
	"errors"
	"net"
	"testing"

	"golang.org/x/sys/unix"
)

// TestResolveErrorCodes checks the EAI_* code each resolver failure maps to,
// and that every one is still ErrHostNotFound.
func TestResolveErrorCodes(t *testing.T) {
	_, err := Resolve(context.Background(), unix.AF_INET, "bad host!", 80)
	if GaiCode(err) != EAI_NONAME || !errors.Is(err, ErrHostNotFound) || Short(err) != "host not found" {
		t.Fatalf("bad host!: %v (code %d, short %q)", err, GaiCode(err), Short(err))
	}
	cases := []struct {
		err  error
		code int
	}{
		{&net.DNSError{Err: "no such host", IsNotFound: true}, EAI_NONAME},
		{&net.DNSError{Err: "i/o timeout", IsTimeout: true}, EAI_AGAIN},
		{&net.DNSError{Err: "server misbehaving", IsTemporary: true}, EAI_AGAIN},
		{&net.DNSError{Err: "cannot unmarshal DNS message"}, EAI_FAIL},
	}
	for _, c := range cases {
		re := resolveError(c.err)
		if re.Code != c.code || !errors.Is(opErr("resolve", "h", re), ErrHostNotFound) {
			t.Errorf("%v: code %d, want %d", c.err, re.Code, c.code)
		}
	}
	if GaiCode(opErr("connect", "h", unix.ECONNREFUSED)) != 0 {
		t.Error("a refused connect has an EAI code")
	}
}
