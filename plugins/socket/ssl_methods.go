package socket

import (
	"crypto/tls"
	"strings"

	lua "github.com/yuin/gopher-lua"
)

// sslMethodFuncs lists the methods a TLS socket has beyond a plain one's.
func (m *module) sslMethodFuncs() map[string]lua.LGFunction {
	return map[string]lua.LGFunction{
		// LuaSec.
		"dohandshake": m.dohandshake, "sni": m.sni,
		"getpeercertificate": m.getpeercertificate, "getpeerchain": m.getpeerchain,
		"getpeerverification": m.getpeerverification, "info": m.sslInfo,
		"getalpn": m.getalpn, "getsniname": m.getsniname, "want": m.want,
		// Python.
		"do_handshake": m.dohandshake, "version": m.sslVersion, "cipher": m.sslCipher,
		"getpeercert": m.getpeercert, "selected_alpn_protocol": m.getalpn,
	}
}

// session returns the TLS session of a method's socket, raising when there
// is none (a listening socket).
func session(L *lua.LState, fn string) *sock {
	s := open(L, fn)
	if s.tls == nil {
		L.RaiseError("%s: not a TLS connection (a listening socket wraps what it accepts)", fn)
	}
	return s
}

// conn:dohandshake() -> true | nil, "wantread" (the socket's timeout came
// first; the handshake goes on) | nil, err, story.
func (m *module) dohandshake(L *lua.LState) int {
	s := session(L, "dohandshake")
	maxArgs(L, "dohandshake", 1)
	return pushHandshake(L, m.handshake(L, s))
}

// conn:sni(name): the name a client sends and checks the certificate
// against; before the handshake.
func (m *module) sni(L *lua.LState) int {
	s := session(L, "sni")
	maxArgs(L, "sni", 2)
	name := checkStr(L, "sni", 2, 1, "name")
	if err := s.tls.SetServerName(name); err != nil {
		L.RaiseError("%s", err.Error())
	}
	return ok(L)
}

// established returns the session state, or false when the handshake has
// not finished.
func established(s *sock) (tls.ConnectionState, bool) {
	st := s.tls.State()
	return st, st.HandshakeComplete
}

// conn:getpeercertificate([n]) -> cert | nil: the peer's certificate (n =
// 1, the default) or the n-th of its chain, as a LuaSec certificate object.
func (m *module) getpeercertificate(L *lua.LState) int {
	s := session(L, "getpeercertificate")
	maxArgs(L, "getpeercertificate", 2)
	n := optInt(L, "getpeercertificate", 2, 1, "n", 1)
	st, done := established(s)
	if !done || n < 1 || n > len(st.PeerCertificates) {
		L.Push(lua.LNil)
		return 1
	}
	m.pushCert(L, st.PeerCertificates[n-1])
	return 1
}

// conn:getpeerchain() -> {cert, ...}
func (m *module) getpeerchain(L *lua.LState) int {
	s := session(L, "getpeerchain")
	maxArgs(L, "getpeerchain", 1)
	st, _ := established(s)
	t := L.NewTable()
	for _, c := range st.PeerCertificates {
		m.pushCert(L, c)
		t.Append(L.Get(-1))
		L.Pop(1)
	}
	L.Push(t)
	return 1
}

// conn:getpeerverification() -> true | false, {reason, ...}: whether the
// peer's certificate passed (checked even when verify="none").
func (m *module) getpeerverification(L *lua.LState) int {
	s := session(L, "getpeerverification")
	maxArgs(L, "getpeerverification", 1)
	checked, err := s.tls.Verification()
	switch {
	case checked && err == nil:
		L.Push(lua.LTrue)
		return 1
	case !checked:
		L.Push(lua.LFalse)
		t := L.NewTable()
		t.Append(lua.LString("no peer certificate was checked"))
		L.Push(t)
		return 2
	}
	L.Push(lua.LFalse)
	t := L.NewTable()
	t.Append(lua.LString(err.Error()))
	L.Push(t)
	return 2
}

// versionName is OpenSSL's name of a TLS version ("TLSv1.3").
func versionName(v uint16) string {
	switch v {
	case tls.VersionTLS10:
		return "TLSv1"
	case tls.VersionTLS11:
		return "TLSv1.1"
	case tls.VersionTLS12:
		return "TLSv1.2"
	case tls.VersionTLS13:
		return "TLSv1.3"
	}
	return ""
}

// cipherBits is the key size of a cipher suite, from its name.
func cipherBits(name string) int {
	switch {
	case strings.Contains(name, "AES_128"):
		return 128
	case strings.Contains(name, "AES_256"), strings.Contains(name, "CHACHA20"):
		return 256
	}
	return 0
}

// conn:info([field]) -> {protocol, cipher, bits, algbits, encryption,
// authentication, key, mac, compression, alpn, server_name, resumed} or one
// field, as LuaSec's (nil before the handshake).
func (m *module) sslInfo(L *lua.LState) int {
	s := session(L, "info")
	maxArgs(L, "info", 2)
	st, done := established(s)
	if !done {
		L.Push(lua.LNil)
		return 1
	}
	suite := tls.CipherSuiteName(st.CipherSuite)
	bits := cipherBits(suite)
	enc := strings.TrimPrefix(suite, "TLS_")
	if i := strings.Index(enc, "_WITH_"); i >= 0 {
		enc = enc[i+6:]
	}
	t := L.NewTable()
	t.RawSetString("protocol", lua.LString(versionName(st.Version)))
	t.RawSetString("cipher", lua.LString(suite))
	t.RawSetString("bits", lua.LNumber(bits))
	t.RawSetString("algbits", lua.LNumber(bits))
	t.RawSetString("encryption", lua.LString(enc))
	t.RawSetString("compression", lua.LString("none"))
	t.RawSetString("alpn", lua.LString(st.NegotiatedProtocol))
	t.RawSetString("server_name", lua.LString(st.ServerName))
	t.RawSetString("resumed", lua.LBool(st.DidResume))
	t.RawSetString("curve", lua.LString(st.CurveID.String()))
	if f, ok := L.Get(2).(lua.LString); ok {
		L.Push(t.RawGetString(string(f)))
		return 1
	}
	L.Push(t)
	return 1
}

// conn:getalpn() -> the protocol ALPN chose | nil
func (m *module) getalpn(L *lua.LState) int {
	s := session(L, "getalpn")
	maxArgs(L, "getalpn", 1)
	st, _ := established(s)
	if st.NegotiatedProtocol == "" {
		L.Push(lua.LNil)
		return 1
	}
	L.Push(lua.LString(st.NegotiatedProtocol))
	return 1
}

// conn:getsniname() -> the name the client asked for (on a server) | nil
func (m *module) getsniname(L *lua.LState) int {
	s := session(L, "getsniname")
	maxArgs(L, "getsniname", 1)
	st, _ := established(s)
	if st.ServerName == "" {
		L.Push(lua.LNil)
		return 1
	}
	L.Push(lua.LString(st.ServerName))
	return 1
}

// conn:want() -> "nothing" | "reading": LuaSec's; "reading" while the
// handshake is going on.
func (m *module) want(L *lua.LState) int {
	s := session(L, "want")
	if s.tls.Handshaking() {
		L.Push(lua.LString("reading"))
	} else {
		L.Push(lua.LString("nothing"))
	}
	return 1
}

// ssock:version() -> "TLSv1.3" | nil (Python's)
func (m *module) sslVersion(L *lua.LState) int {
	s := session(L, "version")
	st, done := established(s)
	if !done {
		L.Push(lua.LNil)
		return 1
	}
	L.Push(lua.LString(versionName(st.Version)))
	return 1
}

// ssock:cipher() -> {name, version, bits} | nil (Python's tuple)
func (m *module) sslCipher(L *lua.LState) int {
	s := session(L, "cipher")
	st, done := established(s)
	if !done {
		L.Push(lua.LNil)
		return 1
	}
	suite := tls.CipherSuiteName(st.CipherSuite)
	t := L.NewTable()
	t.Append(lua.LString(suite))
	t.Append(lua.LString(versionName(st.Version)))
	t.Append(lua.LNumber(cipherBits(suite)))
	L.Push(t)
	return 1
}

// ssock:getpeercert([binary]) -> Python's dict (subject, issuer, notBefore,
// notAfter, subjectAltName, serialNumber, version) | DER string | nil
func (m *module) getpeercert(L *lua.LState) int {
	s := session(L, "getpeercert")
	maxArgs(L, "getpeercert", 2)
	st, done := established(s)
	if !done || len(st.PeerCertificates) == 0 {
		L.Push(lua.LNil)
		return 1
	}
	c := st.PeerCertificates[0]
	if lua.LVAsBool(L.Get(2)) {
		L.Push(lua.LString(c.Raw))
		return 1
	}
	L.Push(pythonCert(L, c))
	return 1
}
