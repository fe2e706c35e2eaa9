package socket

import (
	"crypto/tls"
	"os"
	"path/filepath"
	"time"

	lua "github.com/yuin/gopher-lua"

	"nsh/netcore"
)

// ctxMethodFuncs are Python's SSLContext methods. Loading fails loudly, as
// Python raises: a context without its certificate is a programming error
// found at start-up, not a run-time condition.
func (m *module) ctxMethodFuncs() map[string]lua.LGFunction {
	return map[string]lua.LGFunction{
		"load_cert_chain": m.ctxLoadCertChain, "load_verify_locations": m.ctxLoadVerify,
		"load_default_certs": ctxNoop, "set_default_verify_paths": ctxNoop,
		"set_alpn_protocols": m.ctxSetALPN, "wrap_socket": m.ctxWrapSocket,
		"set_ciphers": ctxNoop,
	}
}

// selfContext returns the context a method was called on.
func selfContext(L *lua.LState, fn string) *tlsContext {
	c := contextOf(L.Get(1))
	if c == nil {
		L.RaiseError("%s: bad self (ssl context expected; call it as ctx:%s(...))", fn, fn)
	}
	return c
}

// ctx:load_default_certs(), set_default_verify_paths(), set_ciphers(s):
// the system's roots are the default already; crypto/tls picks the ciphers.
func ctxNoop(L *lua.LState) int {
	selfContext(L, "context method")
	return 0
}

// ctx:load_cert_chain(certfile[, keyfile]): the certificate (chain) and
// key a server presents (or a client, when asked); files or PEM text.
func (m *module) ctxLoadCertChain(L *lua.LState) int {
	c := selfContext(L, "load_cert_chain")
	cert := checkStr(L, "load_cert_chain", 2, 1, "certfile")
	key := ""
	if L.Get(3) != lua.LNil {
		key = checkStr(L, "load_cert_chain", 3, 2, "keyfile")
	}
	pair, err := loadPair(cert, key)
	if err != nil {
		L.RaiseError("load_cert_chain: %s", err.Error())
	}
	c.certs = []tls.Certificate{pair}
	return 0
}

// ctx:load_verify_locations([cafile[, capath[, cadata]]]): trust these
// roots instead of the system's.
func (m *module) ctxLoadVerify(L *lua.LState) int {
	c := selfContext(L, "load_verify_locations")
	var cafile, capath string
	if L.Get(2) != lua.LNil {
		cafile = checkStr(L, "load_verify_locations", 2, 1, "cafile")
	}
	if L.Get(3) != lua.LNil {
		capath = checkStr(L, "load_verify_locations", 3, 2, "capath")
	}
	if L.Get(4) != lua.LNil {
		if cafile != "" {
			L.RaiseError("load_verify_locations: give cafile or cadata, not both")
		}
		cafile = checkStr(L, "load_verify_locations", 4, 3, "cadata")
	}
	if cafile == "" && capath == "" {
		L.RaiseError("load_verify_locations: cafile, capath or cadata required")
	}
	if err := c.addRoots(cafile, capath); err != nil {
		L.RaiseError("load_verify_locations: %s", err.Error())
	}
	return 0
}

// ctx:set_alpn_protocols({"h2", "http/1.1"})
func (m *module) ctxSetALPN(L *lua.LState) int {
	c := selfContext(L, "set_alpn_protocols")
	list, err := stringList(L.Get(2), "protocols")
	if err != nil {
		L.RaiseError("set_alpn_protocols: %s", err.Error())
	}
	c.alpn = list
	return 0
}

// ctx:wrap_socket(sock[, {server_side=, server_hostname=,
// do_handshake_on_connect=true}]) -> ssock | nil, err, story. A connected
// socket shakes hands at once (Python's default); a listening one makes
// every accepted connection TLS.
func (m *module) ctxWrapSocket(L *lua.LState) int {
	selfContext(L, "wrap_socket")
	maxArgs(L, "wrap_socket", 3)
	s := toSock(L, 2)
	if s == nil {
		argError(L, "wrap_socket", 1, "socket", 2)
	}
	if s.closed {
		L.RaiseError("wrap_socket: socket is closed")
	}
	c, _ := settle(L, "wrap_socket", 1)
	handshake := true
	if opts, ok := L.Get(3).(*lua.LTable); ok {
		if v := opts.RawGetString("server_side"); v != lua.LNil {
			c.server = lua.LVAsBool(v)
		}
		if v, ok := opts.RawGetString("server_hostname").(lua.LString); ok {
			c.serverName = string(v)
		}
		if v := opts.RawGetString("do_handshake_on_connect"); v != lua.LNil {
			handshake = lua.LVAsBool(v)
		}
	} else if L.Get(3) != lua.LNil {
		argError(L, "wrap_socket", 2, "options table", 3)
	}
	if c.server && len(c.certs) == 0 {
		L.RaiseError("wrap_socket: a server context needs a certificate (ctx:load_cert_chain(certfile, keyfile))")
	}
	if c.server {
		c.verify = c.verify && c.roots != nil
	}
	tbl := L.Get(2).(*lua.LTable)
	m.wrapTLS(L, "wrap_socket", tbl, s, c)
	if s.tls != nil && handshake {
		if err := m.handshake(L, s); err != nil {
			return fail(L, err)
		}
	}
	L.Push(tbl)
	return 1
}

// ssl.selfsigned{hosts = {"localhost", "127.0.0.1"}[, days = 365][,
// notbefore = t][, notafter = t][, certfile = path, keyfile = path]} ->
// cert, key: a fresh key and a certificate for hosts, as PEM text, or
// written to certfile and keyfile (which it returns) when given.
func (m *module) sslSelfSigned(L *lua.LState) int {
	const fn = "ssl.selfsigned"
	maxArgs(L, fn, 1)
	opts, ok := L.Get(1).(*lua.LTable)
	if !ok {
		argError(L, fn, 1, "options table", 1)
	}
	hosts, err := stringList(opts.RawGetString("hosts"), "hosts")
	if err != nil || len(hosts) == 0 {
		L.RaiseError("%s: hosts must be a list of names and addresses, such as {\"localhost\", \"127.0.0.1\"}", fn)
	}
	r := netcore.CertRequest{Hosts: hosts}
	if v, ok := opts.RawGetString("notbefore").(lua.LNumber); ok {
		r.NotBefore = time.Unix(int64(v), 0)
	}
	if v, ok := opts.RawGetString("notafter").(lua.LNumber); ok {
		r.NotAfter = time.Unix(int64(v), 0)
	}
	if v, ok := opts.RawGetString("days").(lua.LNumber); ok {
		if r.NotBefore.IsZero() {
			r.NotBefore = time.Now().Add(-time.Hour)
		}
		r.NotAfter = r.NotBefore.Add(time.Duration(float64(v) * 24 * float64(time.Hour)))
	}
	if iss, ok := opts.RawGetString("issuer").(*lua.LTable); ok {
		ic, _ := iss.RawGetInt(1).(lua.LString)
		ik, _ := iss.RawGetInt(2).(lua.LString)
		r.IssuerCert, r.IssuerKey = []byte(ic), []byte(ik)
	}
	cert, key, err := netcore.SelfSigned(r)
	if err != nil {
		L.RaiseError("%s: %s", fn, err.Error())
	}
	certfile, _ := opts.RawGetString("certfile").(lua.LString)
	keyfile, _ := opts.RawGetString("keyfile").(lua.LString)
	if certfile == "" && keyfile == "" {
		L.Push(lua.LString(cert))
		L.Push(lua.LString(key))
		return 2
	}
	if certfile == "" || keyfile == "" {
		L.RaiseError("%s: give both certfile and keyfile", fn)
	}
	for _, f := range []struct {
		path string
		data []byte
		mode os.FileMode
	}{{string(certfile), cert, 0o644}, {string(keyfile), key, 0o600}} {
		if err := writeAtomic(f.path, f.data, f.mode); err != nil {
			return fail(L, &netcore.OpError{Op: "selfsigned", Addr: f.path, Err: err})
		}
	}
	L.Push(certfile)
	L.Push(keyfile)
	return 2
}

// writeAtomic writes data to a temporary file beside path and renames it.
func writeAtomic(path string, data []byte, mode os.FileMode) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(mode); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
