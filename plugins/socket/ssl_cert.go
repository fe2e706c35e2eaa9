package socket

import (
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/hex"
	"encoding/pem"
	"fmt"
	"strings"
	"time"

	lua "github.com/yuin/gopher-lua"
)

// pushCert pushes a LuaSec certificate object for c.
func (m *module) pushCert(L *lua.LState, c *x509.Certificate) {
	ud := L.NewUserData()
	ud.Value = c
	ud.Metatable = m.certMT
	L.Push(ud)
}

func checkCert(L *lua.LState, fn string) *x509.Certificate {
	if ud, ok := L.Get(1).(*lua.LUserData); ok {
		if c, ok := ud.Value.(*x509.Certificate); ok {
			return c
		}
	}
	L.RaiseError("%s: bad self (certificate expected; call it as cert:%s())", fn, fn)
	return nil
}

// certMethodFuncs are LuaSec's x509 methods.
func certMethodFuncs() map[string]lua.LGFunction {
	return map[string]lua.LGFunction{
		"subject": func(L *lua.LState) int {
			L.Push(nameTable(L, checkCert(L, "subject").Subject))
			return 1
		},
		"issuer": func(L *lua.LState) int {
			L.Push(nameTable(L, checkCert(L, "issuer").Issuer))
			return 1
		},
		"notbefore": func(L *lua.LState) int {
			L.Push(lua.LString(opensslTime(checkCert(L, "notbefore").NotBefore)))
			return 1
		},
		"notafter": func(L *lua.LState) int {
			L.Push(lua.LString(opensslTime(checkCert(L, "notafter").NotAfter)))
			return 1
		},
		"validat": func(L *lua.LState) int {
			c := checkCert(L, "validat")
			at := time.Unix(int64(L.CheckNumber(2)), 0)
			L.Push(lua.LBool(!at.Before(c.NotBefore) && !at.After(c.NotAfter)))
			return 1
		},
		"serial": func(L *lua.LState) int {
			L.Push(lua.LString(strings.ToUpper(checkCert(L, "serial").SerialNumber.Text(16))))
			return 1
		},
		"pem": func(L *lua.LState) int {
			c := checkCert(L, "pem")
			L.Push(lua.LString(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Raw})))
			return 1
		},
		"digest": certDigest,
		"extensions": func(L *lua.LState) int {
			L.Push(extensionsTable(L, checkCert(L, "extensions")))
			return 1
		},
		"getsignaturename": func(L *lua.LState) int {
			L.Push(lua.LString(checkCert(L, "getsignaturename").SignatureAlgorithm.String()))
			return 1
		},
	}
}

func certToString(L *lua.LState) int {
	c := checkCert(L, "__tostring")
	L.Push(lua.LString("X509 certificate: " + c.Subject.String() + " (issuer " + c.Issuer.String() + ")"))
	return 1
}

// cert:digest([alg]) -> hex digest of the DER certificate; alg "sha1"
// (LuaSec's default), "sha256", "sha512" or "md5".
func certDigest(L *lua.LState) int {
	c := checkCert(L, "digest")
	alg := "sha1"
	if v, ok := L.Get(2).(lua.LString); ok {
		alg = strings.ToLower(string(v))
	}
	var sum []byte
	switch alg {
	case "sha1":
		s := sha1.Sum(c.Raw)
		sum = s[:]
	case "sha256":
		s := sha256.Sum256(c.Raw)
		sum = s[:]
	case "sha512":
		s := sha512.Sum512(c.Raw)
		sum = s[:]
	case "md5":
		s := md5.Sum(c.Raw)
		sum = s[:]
	default:
		L.RaiseError("digest: unknown algorithm %q (sha1, sha256, sha512, md5)", alg)
	}
	L.Push(lua.LString(hex.EncodeToString(sum)))
	return 1
}

// opensslTime is OpenSSL's printed time, as LuaSec's notbefore/notafter
// and Python's notBefore/notAfter: "Dec  3 12:00:00 2026 GMT".
func opensslTime(t time.Time) string { return t.UTC().Format("Jan _2 15:04:05 2006 GMT") }

// oidNames are the attribute names LuaSec and Python print.
var oidNames = map[string]string{
	"2.5.4.3": "commonName", "2.5.4.6": "countryName", "2.5.4.7": "localityName",
	"2.5.4.8": "stateOrProvinceName", "2.5.4.10": "organizationName",
	"2.5.4.11": "organizationalUnitName", "2.5.4.5": "serialNumber",
	"1.2.840.113549.1.9.1": "emailAddress",
}

func oidName(oid asn1.ObjectIdentifier) string {
	if n, ok := oidNames[oid.String()]; ok {
		return n
	}
	return oid.String()
}

// nameTable is LuaSec's subject/issuer: an array of {oid, name, value}.
func nameTable(L *lua.LState, n pkix.Name) *lua.LTable {
	t := L.NewTable()
	for _, a := range n.Names {
		e := L.NewTable()
		e.RawSetString("oid", lua.LString(a.Type.String()))
		e.RawSetString("name", lua.LString(oidName(a.Type)))
		e.RawSetString("value", lua.LString(fmt.Sprint(a.Value)))
		t.Append(e)
	}
	return t
}

// extensionsTable is LuaSec's extensions(): the subject alternative names
// under "2.5.29.17" as {dNSName = {...}, iPAddress = {...}}.
func extensionsTable(L *lua.LState, c *x509.Certificate) *lua.LTable {
	t := L.NewTable()
	san := L.NewTable()
	san.RawSetString("name", lua.LString("X509v3 Subject Alternative Name"))
	if len(c.DNSNames) > 0 {
		d := L.NewTable()
		for _, n := range c.DNSNames {
			d.Append(lua.LString(n))
		}
		san.RawSetString("dNSName", d)
	}
	if len(c.IPAddresses) > 0 {
		d := L.NewTable()
		for _, ip := range c.IPAddresses {
			d.Append(lua.LString(ip.String()))
		}
		san.RawSetString("iPAddress", d)
	}
	t.RawSetString("2.5.29.17", san)
	return t
}

// pythonCert is Python's getpeercert() dict.
func pythonCert(L *lua.LState, c *x509.Certificate) *lua.LTable {
	rdns := func(n pkix.Name) *lua.LTable {
		t := L.NewTable()
		for _, a := range n.Names {
			pair := L.NewTable()
			pair.Append(lua.LString(oidName(a.Type)))
			pair.Append(lua.LString(fmt.Sprint(a.Value)))
			rdn := L.NewTable()
			rdn.Append(pair)
			t.Append(rdn)
		}
		return t
	}
	t := L.NewTable()
	t.RawSetString("subject", rdns(c.Subject))
	t.RawSetString("issuer", rdns(c.Issuer))
	t.RawSetString("notBefore", lua.LString(opensslTime(c.NotBefore)))
	t.RawSetString("notAfter", lua.LString(opensslTime(c.NotAfter)))
	t.RawSetString("serialNumber", lua.LString(strings.ToUpper(c.SerialNumber.Text(16))))
	t.RawSetString("version", lua.LNumber(c.Version))
	san := L.NewTable()
	for _, n := range c.DNSNames {
		p := L.NewTable()
		p.Append(lua.LString("DNS"))
		p.Append(lua.LString(n))
		san.Append(p)
	}
	for _, ip := range c.IPAddresses {
		p := L.NewTable()
		p.Append(lua.LString("IP Address"))
		p.Append(lua.LString(ip.String()))
		san.Append(p)
	}
	t.RawSetString("subjectAltName", san)
	return t
}

// ssl.loadcertificate(pem) -> cert | nil, err (LuaSec's x509.load)
func (m *module) sslLoadCertificate(L *lua.LState) int {
	data := checkStr(L, "ssl.loadcertificate", 1, 1, "PEM text")
	b, _ := pem.Decode([]byte(data))
	if b == nil || b.Type != "CERTIFICATE" {
		L.Push(lua.LNil)
		L.Push(lua.LString("ssl.loadcertificate: no PEM certificate in the text"))
		return 2
	}
	c, err := x509.ParseCertificate(b.Bytes)
	if err != nil {
		L.Push(lua.LNil)
		L.Push(lua.LString("ssl.loadcertificate: " + err.Error()))
		return 2
	}
	m.pushCert(L, c)
	return 1
}
