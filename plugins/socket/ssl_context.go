package socket

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	lua "github.com/yuin/gopher-lua"
)

// tlsContext is a TLS configuration: LuaSec's context (ssl.newcontext) and
// Python's SSLContext are the same thing here. Certificates and roots are
// loaded once, when the context is made or a load_* method is called, so a
// server wrapping a thousand connections reads its files once.
type tlsContext struct {
	server      bool
	certs       []tls.Certificate
	roots       *x509.CertPool // nil: the system's roots
	verify      bool           // a client checks the server; a server asks for client certificates
	requirePeer bool           // a server fails without a client certificate
	checkHost   bool           // a client checks the name (Python's check_hostname)
	serverName  string
	alpn        []string
	minVersion  uint16
	maxVersion  uint16
	keylog      string // a file the session keys are appended to
}

// config builds crypto/tls's configuration for one session.
func (c *tlsContext) config() *tls.Config {
	cfg := &tls.Config{
		Certificates: c.certs,
		NextProtos:   c.alpn,
		MinVersion:   c.minVersion,
		MaxVersion:   c.maxVersion,
		ServerName:   c.serverName,
	}
	if c.server {
		cfg.ClientCAs = c.roots
		switch {
		case c.verify && c.requirePeer:
			cfg.ClientAuth = tls.RequireAndVerifyClientCert
		case c.verify:
			cfg.ClientAuth = tls.VerifyClientCertIfGiven
		}
	} else {
		cfg.RootCAs = c.roots
	}
	if path := c.keylogPath(); path != "" {
		cfg.KeyLogWriter = keylogFile(path)
	}
	return cfg
}

// keylogPath is the context's keylog file, else $SSLKEYLOGFILE.
func (c *tlsContext) keylogPath() string {
	if c.keylog != "" {
		return c.keylog
	}
	return os.Getenv("SSLKEYLOGFILE")
}

// keylogFile appends each key line to the file at path, opening it for the
// write only, so no descriptor stays open. The lines are the NSS key log
// format Wireshark reads (tls.keylog_file).
type keylogFile string

func (k keylogFile) Write(p []byte) (int, error) {
	f, err := os.OpenFile(string(k), os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return 0, err
	}
	n, err := f.Write(p)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return n, err
}

// readPEM returns v's PEM: v itself when it holds a PEM block, else the
// file it names.
func readPEM(v string) ([]byte, error) {
	if strings.Contains(v, "-----BEGIN ") {
		return []byte(v), nil
	}
	b, err := os.ReadFile(v)
	if err != nil {
		var pe *os.PathError
		if errors.As(err, &pe) {
			return nil, fmt.Errorf("%s: %v", v, pe.Err)
		}
		return nil, err
	}
	return b, nil
}

// loadPair loads a certificate chain and its key (files or PEM text) and
// checks that they belong together.
func loadPair(cert, key string) (tls.Certificate, error) {
	if key == "" {
		key = cert // Python's load_cert_chain(certfile): the key in the same file
	}
	cp, err := readPEM(cert)
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("certificate %v", err)
	}
	kp, err := readPEM(key)
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("key %v", err)
	}
	pair, err := tls.X509KeyPair(cp, kp)
	if err != nil {
		msg := strings.TrimPrefix(err.Error(), "tls: ")
		if strings.Contains(msg, "does not match") {
			msg = "the private key does not match the certificate's public key"
		}
		return tls.Certificate{}, fmt.Errorf("certificate %s, key %s: %s", shortName(cert), shortName(key), msg)
	}
	return pair, nil
}

// shortName names a file argument, or "(PEM text)" for inline PEM.
func shortName(v string) string {
	if strings.Contains(v, "-----BEGIN ") {
		return "(PEM text)"
	}
	return v
}

// addRoots adds the certificates of cafile (a file or PEM text) and of
// every file in capath to the context's roots.
func (c *tlsContext) addRoots(cafile, capath string) error {
	if c.roots == nil {
		c.roots = x509.NewCertPool()
	}
	if cafile != "" {
		b, err := readPEM(cafile)
		if err != nil {
			return fmt.Errorf("cafile %v", err)
		}
		if !c.roots.AppendCertsFromPEM(b) {
			return fmt.Errorf("cafile %s: no PEM certificate in it", shortName(cafile))
		}
	}
	if capath != "" {
		ents, err := os.ReadDir(capath)
		if err != nil {
			return fmt.Errorf("capath %v", err)
		}
		for _, e := range ents {
			if b, err := os.ReadFile(filepath.Join(capath, e.Name())); err == nil {
				c.roots.AppendCertsFromPEM(b)
			}
		}
	}
	return nil
}

// protocols maps LuaSec's protocol names to TLS versions (min, max).
var protocols = map[string][2]uint16{
	"any":     {0, 0},
	"sslv23":  {0, 0},
	"tlsv1":   {tls.VersionTLS10, tls.VersionTLS10},
	"tlsv1_1": {tls.VersionTLS11, tls.VersionTLS11},
	"tlsv1_2": {tls.VersionTLS12, tls.VersionTLS12},
	"tlsv1_3": {tls.VersionTLS13, tls.VersionTLS13},
}

// newContextFrom reads LuaSec's parameters table into a context. A bad
// value (an unknown mode, a missing file, a key that does not match) is a
// run-time failure returned as err, as LuaSec's newcontext returns nil, msg.
func newContextFrom(L *lua.LState, t *lua.LTable) (*tlsContext, error) {
	c := &tlsContext{verify: true, checkHost: true}
	str := func(k string) (string, error) {
		switch v := t.RawGetString(k).(type) {
		case *lua.LNilType:
			return "", nil
		case lua.LString:
			return string(v), nil
		default:
			return "", fmt.Errorf("%s: string expected, got %s", k, v.Type().String())
		}
	}
	mode, err := str("mode")
	if err != nil {
		return nil, err
	}
	switch mode {
	case "", "client":
	case "server":
		c.server, c.verify = true, false
	default:
		return nil, fmt.Errorf("invalid mode %q (\"client\" or \"server\")", mode)
	}
	proto, err := str("protocol")
	if err != nil {
		return nil, err
	}
	if proto != "" {
		v, ok := protocols[proto]
		if !ok {
			return nil, fmt.Errorf("invalid protocol %q (any, tlsv1_2, tlsv1_3)", proto)
		}
		c.minVersion, c.maxVersion = v[0], v[1]
	}
	if err := c.readVerify(t.RawGetString("verify")); err != nil {
		return nil, err
	}
	cert, err := str("certificate")
	if err != nil {
		return nil, err
	}
	key, err := str("key")
	if err != nil {
		return nil, err
	}
	if cert != "" || key != "" {
		if cert == "" {
			return nil, errors.New("key given without a certificate")
		}
		pair, err := loadPair(cert, key)
		if err != nil {
			return nil, err
		}
		c.certs = []tls.Certificate{pair}
	}
	cafile, err := str("cafile")
	if err != nil {
		return nil, err
	}
	capath, err := str("capath")
	if err != nil {
		return nil, err
	}
	if cafile != "" || capath != "" {
		if err := c.addRoots(cafile, capath); err != nil {
			return nil, err
		}
	}
	if c.serverName, err = str("server_name"); err != nil {
		return nil, err
	}
	if c.keylog, err = str("keylog"); err != nil {
		return nil, err
	}
	if c.alpn, err = stringList(t.RawGetString("alpn"), "alpn"); err != nil {
		return nil, err
	}
	if _, err = stringList(t.RawGetString("options"), "options"); err != nil {
		return nil, err // OpenSSL's tweaks; crypto/tls needs none of them
	}
	if c.server && len(c.certs) == 0 {
		return nil, errors.New("a server needs a certificate and key (certificate=, key=; ssl.selfsigned makes a pair)")
	}
	return c, nil
}

// readVerify reads LuaSec's verify: "none", "peer", or a list such as
// {"peer", "fail_if_no_peer_cert"}.
func (c *tlsContext) readVerify(v lua.LValue) error {
	if v == lua.LNil {
		return nil
	}
	flags, err := stringList(v, "verify")
	if err != nil {
		return err
	}
	c.verify = false
	for _, f := range flags {
		switch f {
		case "none":
		case "peer":
			c.verify = true
		case "fail_if_no_peer_cert":
			c.verify, c.requirePeer = true, true
		case "client_once":
		default:
			return fmt.Errorf("invalid verify flag %q (\"none\", \"peer\", \"fail_if_no_peer_cert\")", f)
		}
	}
	return nil
}

// stringList reads a string or an array of strings.
func stringList(v lua.LValue, what string) ([]string, error) {
	switch v := v.(type) {
	case *lua.LNilType:
		return nil, nil
	case lua.LString:
		return []string{string(v)}, nil
	case *lua.LTable:
		var out []string
		for i := 1; i <= v.Len(); i++ {
			s, ok := v.RawGetInt(i).(lua.LString)
			if !ok {
				return nil, fmt.Errorf("%s: entry %d is not a string", what, i)
			}
			out = append(out, string(s))
		}
		return out, nil
	}
	return nil, fmt.Errorf("%s: string or list of strings expected, got %s", what, v.Type().String())
}
