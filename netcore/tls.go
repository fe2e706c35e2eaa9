package netcore

import (
	"context"
	"crypto/tls"
	"errors"
	"io"
	"sync"
	"sync/atomic"
	"time"
)

// ErrTruncated means the TCP stream ended without the peer's TLS
// close_notify: the data may have been cut by an attacker or a crash.
var ErrTruncated = errors.New("truncated (the peer closed the connection without TLS close_notify)")

// TLSConfig is one side of a TLS session.
type TLSConfig struct {
	// Config is crypto/tls's configuration: certificates, ALPN, versions,
	// KeyLogWriter. NewTLS clones it and does the verification itself (see
	// Verify), so InsecureSkipVerify and VerifyConnection are its own.
	Config *tls.Config
	// Server makes the session the server side.
	Server bool
	// Verify makes a failed verification of the peer's certificate fail the
	// handshake. Without it the result is only recorded (Verification).
	Verify bool
	// SkipHostname checks the chain but not the server's name (Python's
	// check_hostname = False).
	SkipHostname bool
}

// TLSConn is a TLS session over a Socket, built on crypto/tls. Its receive
// helpers mirror the Socket's (Recv, RecvUntil, RecvExactly...) over the
// decrypted stream, with the same timeout (the Socket's, for the whole call)
// and the same cancellation through ctx.
//
// The handshake runs on its own goroutine, started by the first call that
// needs it: a Handshake that times out returns ErrTimeout while the
// handshake goes on (as LuaSec's "wantread"), and a cancelled ctx stops it.
type TLSConn struct {
	s    *Socket
	w    *wire
	tc   *tls.Conn
	cfg  TLSConfig
	conf *tls.Config // crypto/tls's, owned by the session
	name string      // the name the client verifies (ServerName), for errors

	hsMu      sync.Mutex
	hsStarted bool
	hsDone    chan struct{}
	hsErr     error
	hsSeen    atomic.Bool // a Handshake call returned the handshake's end
	hsCancel  context.CancelFunc

	vmu    sync.Mutex
	vdone  bool
	verr   error // the verification's failure, nil when it passed
	closed atomic.Bool

	rmu        sync.Mutex // reads: rbuf
	rbuf       []byte
	rpos, rend int
	wmu        sync.Mutex // writes
}

// NewTLS starts a TLS session over s, an established stream socket. Bytes s
// has already buffered are the first the session reads, so an upgrade in
// place (STARTTLS) loses nothing.
func NewTLS(s *Socket, cfg TLSConfig) *TLSConn {
	t := &TLSConn{s: s, w: &wire{s: s}, cfg: cfg, hsDone: make(chan struct{})}
	if cfg.Config == nil {
		cfg.Config = &tls.Config{}
	}
	c := cfg.Config.Clone()
	t.name = c.ServerName
	if cfg.Server {
		if c.ClientAuth == tls.VerifyClientCertIfGiven {
			c.ClientAuth = tls.RequestClientCert
		} else if c.ClientAuth >= tls.RequireAnyClientCert {
			c.ClientAuth = tls.RequireAnyClientCert
		}
	} else {
		c.InsecureSkipVerify = true
	}
	c.VerifyConnection = t.verifyConnection
	t.conf = c
	if cfg.Server {
		t.tc = tls.Server(t.w, c)
	} else {
		t.tc = tls.Client(t.w, c)
	}
	t.s.tlsConn.Store(t)
	return t
}

// SetServerName sets the name a client sends (SNI) and checks, before the
// handshake starts (LuaSec's conn:sni).
func (t *TLSConn) SetServerName(name string) error {
	t.hsMu.Lock()
	defer t.hsMu.Unlock()
	if t.hsStarted {
		return t.s.fail("sni", Addr{}, errors.New("the handshake has already started"))
	}
	t.name = name
	t.conf.ServerName = name
	return nil
}

// Socket returns the socket under the session.
func (t *TLSConn) Socket() *Socket { return t.s }

// ServerName returns the name a client checks the certificate against.
func (t *TLSConn) ServerName() string { return t.name }

// start runs the handshake once, on its own goroutine.
func (t *TLSConn) start() {
	t.hsMu.Lock()
	defer t.hsMu.Unlock()
	if t.hsStarted {
		return
	}
	t.hsStarted = true
	ctx, cancel := context.WithCancel(context.Background())
	t.hsCancel = cancel
	t.w.setRead(ctx)
	t.w.setWrite(ctx)
	go func() {
		err := t.tc.Handshake()
		t.w.setRead(nil)
		t.w.setWrite(nil)
		cancel()
		if err != nil {
			t.hsErr = t.handshakeErr(err)
		}
		if h := t.s.trace.Load(); h != nil {
			op := "tls-handshake"
			if err == nil {
				st := t.tc.ConnectionState()
				op += " " + tls.VersionName(st.Version) + " " + tls.CipherSuiteName(st.CipherSuite)
			}
			t.s.emit(h, &TraceEvent{Op: op, Err: t.hsErr})
		}
		close(t.hsDone)
	}()
}

// Start begins the handshake without waiting for it.
func (t *TLSConn) Start() { t.start() }

// HandshakeDone is closed when the handshake has finished, well or not.
func (t *TLSConn) HandshakeDone() <-chan struct{} { return t.hsDone }

// Handshaking reports whether the handshake was started and is not over.
func (t *TLSConn) Handshaking() bool {
	t.hsMu.Lock()
	started := t.hsStarted
	t.hsMu.Unlock()
	if !started {
		return false
	}
	select {
	case <-t.hsDone:
		return false
	default:
		return true
	}
}

// Handshake waits for the handshake, starting it if needed. The Socket's
// timeout bounds the wait: ErrTimeout leaves the handshake going on, so a
// later Handshake can wait again. A cancelled ctx stops the handshake for
// good (ErrInterrupted).
func (t *TLSConn) Handshake(ctx context.Context) error {
	t.start()
	select {
	case <-t.hsDone:
		t.hsSeen.Store(true)
		return t.hsErr
	default:
	}
	var expire <-chan time.Time
	if d := t.s.Timeout(); d >= 0 {
		if d == 0 {
			return t.s.fail("handshake", Addr{}, ErrTimeout)
		}
		tm := time.NewTimer(d)
		defer tm.Stop()
		expire = tm.C
	}
	select {
	case <-t.hsDone:
		t.hsSeen.Store(true)
		return t.hsErr
	case <-expire:
		return t.s.fail("handshake", Addr{}, ErrTimeout)
	case <-ctx.Done():
		t.hsMu.Lock()
		t.hsCancel()
		t.hsMu.Unlock()
		<-t.hsDone
		return t.s.fail("handshake", Addr{}, ErrInterrupted)
	}
}

// handshakeErr names the handshake's failure: the peer, and the reason in
// words (a verification failure, a peer that does not speak TLS, a closed
// connection).
func (t *TLSConn) handshakeErr(err error) error {
	var we *wireError
	var rh tls.RecordHeaderError
	switch {
	case errors.As(err, &we):
		err = we.err
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		err = io.EOF
	case errors.As(err, &rh):
		err = &NotTLSError{First: rh.RecordHeader}
	}
	t.vmu.Lock()
	if t.verr != nil && t.cfg.Verify {
		err = t.verr
	}
	t.vmu.Unlock()
	return t.s.fail("handshake", Addr{}, err)
}

// NotTLSError is a handshake with a peer that answered something that is
// not TLS (a plain-text server, an HTTP request).
type NotTLSError struct{ First [5]byte }

func (e *NotTLSError) Error() string {
	return "the peer does not speak TLS (its first bytes: " + quoteBytes(e.First[:]) + ")"
}

// quoteBytes shows bytes as a Go-quoted string.
func quoteBytes(b []byte) string {
	const hex = "0123456789abcdef"
	out := []byte{'"'}
	for _, c := range b {
		switch {
		case c == '"' || c == '\\':
			out = append(out, '\\', c)
		case c >= 0x20 && c < 0x7f:
			out = append(out, c)
		case c == '\r':
			out = append(out, '\\', 'r')
		case c == '\n':
			out = append(out, '\\', 'n')
		default:
			out = append(out, '\\', 'x', hex[c>>4], hex[c&15])
		}
	}
	return string(append(out, '"'))
}

// State returns crypto/tls's description of the session (zero before the
// handshake is done).
func (t *TLSConn) State() tls.ConnectionState {
	select {
	case <-t.hsDone:
		return t.tc.ConnectionState()
	default:
		return tls.ConnectionState{}
	}
}

// Verification returns whether the peer's certificate was checked and the
// failure when it did not pass.
func (t *TLSConn) Verification() (checked bool, err error) {
	t.vmu.Lock()
	defer t.vmu.Unlock()
	return t.vdone, t.verr
}

// Close sends close_notify when the session is established and no write is
// in progress, then closes the socket. A handshake going on is stopped.
func (t *TLSConn) Close() error {
	if t.closed.Swap(true) {
		return t.s.Close()
	}
	select {
	case <-t.hsDone:
		if t.hsErr == nil && t.wmu.TryLock() {
			t.w.setWrite(nil)
			t.w.SetWriteDeadline(time.Now().Add(time.Second))
			_ = t.tc.CloseWrite()
			t.wmu.Unlock()
		}
	default:
		t.hsMu.Lock()
		if t.hsCancel != nil {
			t.hsCancel()
		}
		t.hsMu.Unlock()
	}
	return t.s.Close()
}

// selectState says how socket.select sees a TLS socket for reading.
type selectState int

const (
	selectFd      selectState = iota // as its descriptor
	selectReady                      // readable now: plaintext buffered, or a handshake ended unobserved
	selectWaiting                    // the handshake goroutine owns the descriptor: wait for its end
)

func (t *TLSConn) selectState() selectState {
	if t.Buffered() > 0 {
		return selectReady
	}
	t.hsMu.Lock()
	started := t.hsStarted
	t.hsMu.Unlock()
	if !started {
		return selectFd
	}
	select {
	case <-t.hsDone:
		if !t.hsSeen.Load() {
			return selectReady
		}
		return selectFd
	default:
		return selectWaiting
	}
}
