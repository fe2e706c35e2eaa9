package netcore

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// testCert makes a self-signed certificate for the loopback names.
func testCert(t *testing.T, r CertRequest) (tls.Certificate, *x509.CertPool) {
	t.Helper()
	if r.Hosts == nil {
		r.Hosts = []string{"localhost", "127.0.0.1"}
	}
	cp, kp, err := SelfSigned(r)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := tls.X509KeyPair(cp, kp)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(cp)
	return cert, pool
}

// tlsPair returns a TLS client and server over a loopback pair.
func tlsPair(t *testing.T, name string, cert tls.Certificate, roots *x509.CertPool) (*TLSConn, *TLSConn) {
	t.Helper()
	c, s := pair(t, newTable(t), unix.AF_INET)
	srv := NewTLS(s, TLSConfig{Server: true, Config: &tls.Config{Certificates: []tls.Certificate{cert}}})
	cli := NewTLS(c, TLSConfig{Verify: true, Config: &tls.Config{ServerName: name, RootCAs: roots}})
	srv.Start()
	return cli, srv
}

func TestTLSRoundTrip(t *testing.T) {
	cert, roots := testCert(t, CertRequest{})
	cli, srv := tlsPair(t, "localhost", cert, roots)
	ctx := testCtx(t)
	if err := cli.Handshake(ctx); err != nil {
		t.Fatalf("handshake: %v", err)
	}
	if _, err := cli.SendAll(ctx, []byte("hello\r\nsecond line\nrest")); err != nil {
		t.Fatal(err)
	}
	line, err := srv.RecvUntil(ctx, []byte("\n"), 0)
	if err != nil || string(line) != "hello\r\n" {
		t.Fatalf("RecvUntil = %q, %v", line, err)
	}
	line, err = srv.RecvUntil(ctx, []byte("\n"), 0)
	if err != nil || string(line) != "second line\n" {
		t.Fatalf("RecvUntil = %q, %v", line, err)
	}
	if n := srv.Buffered(); n != 4 {
		t.Fatalf("Buffered = %d, want 4", n)
	}
	// A megabyte both ways: several records, exact reads across them.
	big := bytes.Repeat([]byte("0123456789abcdef"), 1<<16)
	go cli.SendAll(ctx, big)
	got, err := srv.RecvExactly(ctx, 4+len(big))
	if err != nil || string(got[:4]) != "rest" || !bytes.Equal(got[4:], big) {
		t.Fatalf("RecvExactly: %d bytes, %v", len(got), err)
	}
	if st := cli.State(); st.Version != tls.VersionTLS13 || !st.HandshakeComplete {
		t.Fatalf("state %+v", st)
	}
	// close_notify: a clean end of stream.
	if err := cli.Close(); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 100)
	n, err := srv.Recv(ctx, buf)
	if n != 0 || err != nil {
		t.Fatalf("Recv after close_notify = %d, %v; want 0, nil", n, err)
	}
}

func TestTLSVerifyFailures(t *testing.T) {
	cert, roots := testCert(t, CertRequest{})
	expired, eroots := testCert(t, CertRequest{NotBefore: time.Now().Add(-48 * time.Hour), NotAfter: time.Now().Add(-24 * time.Hour)})
	cases := []struct {
		name  string
		cert  tls.Certificate
		roots *x509.CertPool
		host  string
		want  string
	}{
		{"unknown authority", cert, nil, "localhost", "self-signed certificate not in the trusted roots"},
		{"wrong name", cert, roots, "example.com", "wrong host name: the certificate is valid for localhost, 127.0.0.1, not example.com"},
		{"expired", expired, eroots, "localhost", "certificate has expired"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cli, _ := tlsPair(t, c.host, c.cert, c.roots)
			err := cli.Handshake(testCtx(t))
			var ve *VerifyError
			if !errors.As(err, &ve) || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "for "+c.host) {
				t.Fatalf("handshake error %v, want a VerifyError containing %q", err, c.want)
			}
			wantShort(t, "verify", err, "certificate verify failed")
			if !strings.HasPrefix(err.Error(), "handshake 127.0.0.1:") {
				t.Fatalf("error %q does not name the operation and peer", err)
			}
		})
	}
}

func TestTLSNotTLSPeer(t *testing.T) {
	c, s := pair(t, newTable(t), unix.AF_INET)
	ctx := testCtx(t)
	go s.SendAll(ctx, []byte("SSH-2.0-OpenSSH_9.6\r\n"))
	cli := NewTLS(c, TLSConfig{Config: &tls.Config{ServerName: "localhost"}})
	err := cli.Handshake(ctx)
	var nt *NotTLSError
	if !errors.As(err, &nt) || !strings.Contains(err.Error(), `"SSH-2"`) {
		t.Fatalf("handshake with a plain-text peer: %v", err)
	}
}

func TestTLSPeerClosesMidHandshake(t *testing.T) {
	c, s := pair(t, newTable(t), unix.AF_INET)
	ctx := testCtx(t)
	go func() {
		buf := make([]byte, 10)
		s.Recv(ctx, buf) // part of the ClientHello, then hang up
		s.Close()
	}()
	cli := NewTLS(c, TLSConfig{Config: &tls.Config{ServerName: "localhost"}})
	err := cli.Handshake(ctx)
	if Short(err) != "closed" && Short(err) != "connection reset by peer" {
		t.Fatalf("handshake with a peer that hangs up: %v (%q)", err, Short(err))
	}
}

func TestTLSHandshakeTimeoutThenCancel(t *testing.T) {
	c, _ := pair(t, newTable(t), unix.AF_INET) // the peer never answers
	cli := NewTLS(c, TLSConfig{Config: &tls.Config{ServerName: "localhost"}})
	c.SetTimeout(50 * time.Millisecond)
	err := cli.Handshake(context.Background())
	wantShort(t, "handshake timeout", err, "timeout")
	if !cli.Handshaking() {
		t.Fatal("a timed-out wait stopped the handshake")
	}
	c.SetTimeout(-1)
	ctx, cancel := context.WithCancel(context.Background())
	go func() { time.Sleep(50 * time.Millisecond); cancel() }()
	err = cli.Handshake(ctx)
	wantShort(t, "handshake cancelled", err, "interrupted")
	select {
	case <-cli.HandshakeDone():
	case <-time.After(5 * time.Second):
		t.Fatal("cancel did not end the handshake goroutine")
	}
}

func TestTLSTruncation(t *testing.T) {
	cert, roots := testCert(t, CertRequest{})
	cli, srv := tlsPair(t, "localhost", cert, roots)
	ctx := testCtx(t)
	cli.Start()
	if _, err := srv.SendAll(ctx, []byte("partial")); err != nil {
		t.Fatal(err)
	}
	got, err := cli.RecvExactly(ctx, 7)
	if err != nil || string(got) != "partial" {
		t.Fatalf("RecvExactly = %q, %v", got, err)
	}
	srv.Socket().Close() // no close_notify
	n, err := cli.Recv(ctx, make([]byte, 10))
	if n != 0 || !errors.Is(err, ErrTruncated) {
		t.Fatalf("Recv after a TCP close without close_notify = %d, %v; want ErrTruncated", n, err)
	}
	wantShort(t, "truncated", err, "truncated")
}

// TestTLSConcurrent runs sessions in parallel, each reading and writing at
// once, for the race detector.
func TestTLSConcurrent(t *testing.T) {
	cert, roots := testCert(t, CertRequest{})
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		cli, srv := tlsPair(t, "127.0.0.1", cert, roots)
		wg.Add(2)
		go func() {
			defer wg.Done()
			ctx := testCtx(t)
			for j := 0; j < 50; j++ {
				line, err := srv.RecvUntil(ctx, []byte("\n"), 0)
				if err != nil {
					t.Error(err)
					return
				}
				srv.SendAll(ctx, bytes.ToUpper(line))
			}
		}()
		go func() {
			defer wg.Done()
			ctx := testCtx(t)
			go func() {
				for j := 0; j < 50; j++ {
					cli.SendAll(ctx, []byte("ping\n"))
				}
			}()
			for j := 0; j < 50; j++ {
				if got, err := cli.RecvExactly(ctx, 5); err != nil || string(got) != "PING\n" {
					t.Errorf("reply %q, %v", got, err)
					return
				}
			}
		}()
	}
	wg.Wait()
}
