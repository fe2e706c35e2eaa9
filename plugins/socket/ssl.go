package socket

import (
	lua "github.com/yuin/gopher-lua"

	"nsh/plugins"
)

// The ssl module lives beside socket, in this package, because a TLS
// socket is a socket object: the same Go side (sock), the same methods
// (recv, sendall, receive, recvline, settimeout, close...) over another
// byte stream (sock.st, a netcore.TLSConn), and socket.select must see it.
// A separate plugin could not reach sock, and plugins never import each
// other.
func init() {
	plugins.Register(plugins.Plugin{
		Name:    "ssl",
		Version: "1.0",
		Summary: "TLS on nsh sockets (Go crypto/tls): LuaSec's vocabulary and Python's ssl",
		Open:    OpenSSL,
		Help:    sslHelp,
	})
}

// moduleKey is the Lua registry field holding the session's socket module,
// which ssl shares.
const moduleKey = "nsh.socket.module"

// sessionModule returns the socket module of L's session, opening it if
// needed.
func sessionModule(L *lua.LState, h plugins.Host) *module {
	if ud, ok := L.G.Registry.RawGetString(moduleKey).(*lua.LUserData); ok {
		if m, ok := ud.Value.(*module); ok {
			return m
		}
	}
	Open(L, h)
	ud := L.G.Registry.RawGetString(moduleKey).(*lua.LUserData)
	return ud.Value.(*module)
}

// OpenSSL builds the ssl module table for one session.
func OpenSSL(L *lua.LState, h plugins.Host) *lua.LTable {
	m := sessionModule(L, h)
	mod := L.NewTable()
	for name, fn := range map[string]lua.LGFunction{
		"wrap": m.sslWrap, "newcontext": m.sslNewContext, "selfsigned": m.sslSelfSigned,
		"loadcertificate":        m.sslLoadCertificate,
		"create_default_context": m.sslDefaultContext, "SSLContext": m.sslPyContext,
	} {
		mod.RawSetString(name, L.NewFunction(fn))
	}
	for name, v := range map[string]lua.LValue{
		"CERT_NONE": lua.LNumber(certNone), "CERT_OPTIONAL": lua.LNumber(certOptional),
		"CERT_REQUIRED":       lua.LNumber(certRequired),
		"PROTOCOL_TLS":        lua.LNumber(protoTLS),
		"PROTOCOL_TLS_CLIENT": lua.LNumber(protoClient), "PROTOCOL_TLS_SERVER": lua.LNumber(protoServer),
		"HAS_ALPN": lua.LTrue, "HAS_SNI": lua.LTrue,
		"OPENSSL_VERSION": lua.LString("Go crypto/tls (nsh)"),
		"_VERSION":        lua.LString("1.2.0"),
	} {
		mod.RawSetString(name, v)
	}
	purpose := L.NewTable()
	purpose.RawSetString("SERVER_AUTH", lua.LString("SERVER_AUTH"))
	purpose.RawSetString("CLIENT_AUTH", lua.LString("CLIENT_AUTH"))
	mod.RawSetString("Purpose", purpose)
	return mod
}

// Python's constants.
const (
	certNone     = 0
	certOptional = 1
	certRequired = 2
	protoTLS     = 2
	protoClient  = 16
	protoServer  = 17
)

// initSSL makes the metatables of TLS sockets, contexts and certificates;
// Open calls it.
func (m *module) initSSL(L *lua.LState) {
	m.sslMethods = L.NewTable()
	m.methods.ForEach(func(k, v lua.LValue) { m.sslMethods.RawSet(k, v) })
	for name, fn := range m.sslMethodFuncs() {
		m.sslMethods.RawSetString(name, L.NewFunction(fn))
	}
	m.sslMT = L.NewTypeMetatable("ssl.socket")
	m.sslMT.RawSetString("__index", m.sslMethods)
	m.sslMT.RawSetString("__tostring", L.NewFunction(m.tostring))
	m.sslMT.RawSetString("__name", lua.LString("ssl"))

	m.ctxMT = L.NewTypeMetatable("ssl.context")
	ctxMethods := L.NewTable()
	for name, fn := range m.ctxMethodFuncs() {
		ctxMethods.RawSetString(name, L.NewFunction(fn))
	}
	m.ctxMT.RawSetString("__index", ctxMethods)
	m.ctxMT.RawSetString("__name", lua.LString("ssl.context"))

	m.certMT = L.NewTypeMetatable("ssl.certificate")
	certMethods := L.NewTable()
	for name, fn := range certMethodFuncs() {
		certMethods.RawSetString(name, L.NewFunction(fn))
	}
	m.certMT.RawSetString("__index", certMethods)
	m.certMT.RawSetString("__tostring", L.NewFunction(certToString))
	m.certMT.RawSetString("__name", lua.LString("ssl.certificate"))

	ud := L.NewUserData()
	ud.Value = m
	L.G.Registry.RawSetString(moduleKey, ud)
}
