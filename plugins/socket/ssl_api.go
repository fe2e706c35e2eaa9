package socket

import (
	"context"
	"errors"

	lua "github.com/yuin/gopher-lua"

	"nsh/netcore"
)

// ctxKey is the field of a context table holding its Go side.
const ctxKey = "__ctx"

// pushContext makes the Lua object of c: a table whose Python fields
// (check_hostname, verify_mode, keylog_filename) a script may assign; they
// are read when a socket is wrapped.
func (m *module) pushContext(L *lua.LState, c *tlsContext) *lua.LTable {
	ud := L.NewUserData()
	ud.Value = c
	t := L.CreateTable(0, 4)
	t.RawSetString(ctxKey, ud)
	t.RawSetString("check_hostname", lua.LBool(!c.server && c.checkHost))
	mode := certNone
	if c.verify {
		mode = certRequired
		if c.server && !c.requirePeer {
			mode = certOptional
		}
	}
	t.RawSetString("verify_mode", lua.LNumber(mode))
	t.RawSetString("mode", lua.LString(map[bool]string{true: "server", false: "client"}[c.server]))
	t.Metatable = m.ctxMT
	L.Push(t)
	return t
}

// contextOf returns the Go side of a context table, or nil.
func contextOf(v lua.LValue) *tlsContext {
	if t, ok := v.(*lua.LTable); ok {
		if ud, ok := t.RawGetString(ctxKey).(*lua.LUserData); ok {
			if c, ok := ud.Value.(*tlsContext); ok {
				return c
			}
		}
	}
	return nil
}

// settle returns a copy of the context at idx with the Python fields the
// script assigned applied, or one made from a LuaSec parameters table.
func settle(L *lua.LState, fn string, idx int) (*tlsContext, error) {
	v := L.Get(idx)
	c := contextOf(v)
	if c == nil {
		t, ok := v.(*lua.LTable)
		if !ok {
			argError(L, fn, idx-1, "parameters table or ssl context", idx)
		}
		return newContextFrom(L, t)
	}
	cp := *c
	t := v.(*lua.LTable)
	if mode, ok := t.RawGetString("verify_mode").(lua.LNumber); ok {
		switch int(mode) {
		case certNone:
			cp.verify = false
		case certOptional:
			cp.verify, cp.requirePeer = true, false
		case certRequired:
			cp.verify, cp.requirePeer = true, true
		default:
			L.RaiseError("%s: verify_mode must be ssl.CERT_NONE, CERT_OPTIONAL or CERT_REQUIRED, got %v", fn, mode)
		}
	}
	if ch, ok := t.RawGetString("check_hostname").(lua.LBool); ok {
		cp.checkHost = bool(ch)
	}
	if kl, ok := t.RawGetString("keylog_filename").(lua.LString); ok {
		cp.keylog = string(kl)
	}
	return &cp, nil
}

// wrapTLS upgrades the socket object tbl in place: from now on its data
// methods go through a TLS session (or, on a listening socket, every
// accepted connection does). Bytes the socket already buffered are the
// first the session reads, which STARTTLS needs.
func (m *module) wrapTLS(L *lua.LState, fn string, tbl *lua.LTable, s *sock, c *tlsContext) {
	if s.tls != nil || s.tlsl != nil {
		L.RaiseError("%s: the socket already speaks TLS", fn)
	}
	if s.ns == nil {
		L.RaiseError("%s: the socket is not connected (connect, or listen, first)", fn)
	}
	if !s.isStream() {
		L.RaiseError("%s: TLS needs a stream socket, not %s", fn, s.kind())
	}
	tbl.Metatable = m.sslMT
	if isListening(s.ns) {
		if !c.server {
			L.RaiseError("%s: a listening socket needs a server context (mode=\"server\" or server_side=true)", fn)
		}
		s.tlsl = c
		return
	}
	cfg := c.config()
	if !c.server && cfg.ServerName == "" {
		cfg.ServerName = s.host
	}
	s.tls = netcore.NewTLS(s.ns, netcore.TLSConfig{Config: cfg, Server: c.server, Verify: c.verify, SkipHostname: !c.checkHost})
}

// ssl.wrap(sock, params | ctx) -> sock | nil, err. LuaSec's wrap: the same
// socket object, upgraded in place (LuaSec hands back a new object and
// retires the old one; here both names are the one socket).
func (m *module) sslWrap(L *lua.LState) int {
	maxArgs(L, "ssl.wrap", 2)
	s := toSock(L, 1)
	if s == nil {
		argError(L, "ssl.wrap", 1, "socket", 1)
	}
	if s.closed {
		L.RaiseError("ssl.wrap: socket is closed")
	}
	c, err := settle(L, "ssl.wrap", 2)
	if err != nil {
		return failText(L, "ssl.wrap", err)
	}
	tbl := L.Get(1).(*lua.LTable)
	m.wrapTLS(L, "ssl.wrap", tbl, s, c)
	L.Push(tbl)
	return 1
}

// failText pushes nil, msg, "fn: msg" for a configuration failure.
func failText(L *lua.LState, fn string, err error) int {
	L.Push(lua.LNil)
	L.Push(lua.LString(err.Error()))
	L.Push(lua.LString(fn + ": " + err.Error()))
	return 3
}

// ssl.newcontext(params) -> ctx | nil, err
func (m *module) sslNewContext(L *lua.LState) int {
	maxArgs(L, "ssl.newcontext", 1)
	t, ok := L.Get(1).(*lua.LTable)
	if !ok {
		argError(L, "ssl.newcontext", 1, "parameters table", 1)
	}
	c, err := newContextFrom(L, t)
	if err != nil {
		return failText(L, "ssl.newcontext", err)
	}
	m.pushContext(L, c)
	return 1
}

// ssl.create_default_context([purpose]) -> ctx: a client context that
// verifies the server against the system's roots and its name; with
// ssl.Purpose.CLIENT_AUTH a server context (load_cert_chain next).
func (m *module) sslDefaultContext(L *lua.LState) int {
	maxArgs(L, "ssl.create_default_context", 1)
	c := &tlsContext{verify: true, checkHost: true}
	switch p := L.Get(1).(type) {
	case *lua.LNilType:
	case lua.LString:
		switch p {
		case "SERVER_AUTH":
		case "CLIENT_AUTH":
			c = &tlsContext{server: true}
		default:
			L.RaiseError("ssl.create_default_context: purpose must be ssl.Purpose.SERVER_AUTH or CLIENT_AUTH, got %q", string(p))
		}
	default:
		argError(L, "ssl.create_default_context", 1, "ssl.Purpose value", 1)
	}
	m.pushContext(L, c)
	return 1
}

// ssl.SSLContext([protocol]) -> ctx (PROTOCOL_TLS_CLIENT verifies,
// PROTOCOL_TLS_SERVER serves, PROTOCOL_TLS is a client that does not
// verify, as Python's).
func (m *module) sslPyContext(L *lua.LState) int {
	maxArgs(L, "ssl.SSLContext", 1)
	proto := optInt(L, "ssl.SSLContext", 1, 1, "protocol", protoTLS)
	var c *tlsContext
	switch proto {
	case protoClient:
		c = &tlsContext{verify: true, checkHost: true}
	case protoServer:
		c = &tlsContext{server: true}
	case protoTLS:
		c = &tlsContext{}
	default:
		L.RaiseError("ssl.SSLContext: protocol must be ssl.PROTOCOL_TLS_CLIENT, PROTOCOL_TLS_SERVER or PROTOCOL_TLS, got %d", proto)
	}
	m.pushContext(L, c)
	return 1
}

// handshake runs (or waits for) s's handshake inside Block.
func (m *module) handshake(L *lua.LState, s *sock) error {
	return m.h.Block(L, func(ctx context.Context) error { return s.tls.Handshake(ctx) })
}

// pushHandshake pushes dohandshake's results: true, or LuaSec's nil,
// "wantread" when the socket's timeout expired first (the handshake goes
// on; call again), or nil, err, story.
func pushHandshake(L *lua.LState, err error) int {
	switch {
	case err == nil:
		L.Push(lua.LTrue)
		return 1
	case errors.Is(err, netcore.ErrTimeout):
		L.Push(lua.LNil)
		L.Push(lua.LString("wantread"))
		L.Push(lua.LString(err.Error()))
		return 3
	}
	return fail(L, err)
}

// sock:starttls(params | ctx) -> sock | nil, err, story: upgrade an
// established plain connection to TLS in place (SMTP's STARTTLS, IMAP's,
// Redis's) and do the handshake.
func (m *module) starttls(L *lua.LState) int {
	s := open(L, "starttls")
	maxArgs(L, "starttls", 2)
	c, err := settle(L, "starttls", 2)
	if err != nil {
		return failText(L, "starttls", err)
	}
	tbl := L.Get(1).(*lua.LTable)
	m.wrapTLS(L, "starttls", tbl, s, c)
	if s.tls == nil {
		L.Push(tbl)
		return 1
	}
	if err := m.handshake(L, s); err != nil {
		return fail(L, err)
	}
	L.Push(tbl)
	return 1
}

// acceptTLS wraps a connection accepted on a TLS listening socket and
// starts its handshake, which finishes on its own goroutine (a client that
// never speaks TLS delays nobody; its first recv reports it).
func (m *module) acceptTLS(L *lua.LState, tbl *lua.LTable, c *sock, ctx *tlsContext) {
	m.wrapTLS(L, "accept", tbl, c, ctx)
	c.tls.Start()
}
