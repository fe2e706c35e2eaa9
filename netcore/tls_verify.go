package netcore

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"strings"
	"time"
)

// VerifyError is a peer certificate that did not pass verification. Its
// text names the host and the reason in words: "certificate has expired",
// "signed by an unknown authority", "is valid for ..., not NAME".
type VerifyError struct {
	Host   string // the name checked (a client's ServerName), may be empty
	Reason string
	Err    error // crypto/x509's error
}

func (e *VerifyError) Error() string {
	host := ""
	if e.Host != "" {
		host = " for " + e.Host
	}
	return "certificate verify failed" + host + ": " + e.Reason
}

func (e *VerifyError) Unwrap() error { return e.Err }

// Short is the error's short form, OpenSSL's words.
func (e *VerifyError) Short() string { return "certificate verify failed" }

// verifyConnection checks the peer's chain against the configured roots
// (the system's when none) and, on a client, the server's name. The result
// is recorded for Verification; it fails the handshake only when cfg.Verify
// is set. A server that asked for no client certificate checks nothing.
func (t *TLSConn) verifyConnection(cs tls.ConnectionState) error {
	var err error
	switch {
	case len(cs.PeerCertificates) == 0:
		if !t.cfg.Server {
			err = &VerifyError{Host: t.name, Reason: "the server sent no certificate"}
		} else if ca := t.cfg.Config.ClientAuth; ca == tls.RequireAnyClientCert || ca == tls.RequireAndVerifyClientCert {
			err = &VerifyError{Reason: "the client sent no certificate"}
		} else {
			return nil
		}
	default:
		err = t.verifyChain(cs)
	}
	t.vmu.Lock()
	t.vdone, t.verr = true, err
	t.vmu.Unlock()
	if t.cfg.Verify {
		return err
	}
	return nil
}

// verifyChain runs crypto/x509's verification and words its failure.
func (t *TLSConn) verifyChain(cs tls.ConnectionState) error {
	leaf := cs.PeerCertificates[0]
	opts := x509.VerifyOptions{Intermediates: x509.NewCertPool(), CurrentTime: time.Now()}
	for _, c := range cs.PeerCertificates[1:] {
		opts.Intermediates.AddCert(c)
	}
	if cfg := t.cfg.Config; cfg != nil {
		if t.cfg.Server {
			opts.Roots = cfg.ClientCAs
		} else {
			opts.Roots = cfg.RootCAs
		}
		if cfg.Time != nil {
			opts.CurrentTime = cfg.Time()
		}
	}
	host := ""
	if t.cfg.Server {
		opts.KeyUsages = []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}
	} else {
		host = t.name
		if host == "" {
			if ra, err := t.s.RemoteAddr(); err == nil {
				host = ra.IP.String()
			}
		}
		if !t.cfg.SkipHostname {
			opts.DNSName = host
		}
	}
	if _, err := leaf.Verify(opts); err != nil {
		return &VerifyError{Host: host, Reason: verifyReason(err, leaf, opts.CurrentTime), Err: err}
	}
	return nil
}

// verifyReason words crypto/x509's verification error.
func verifyReason(err error, leaf *x509.Certificate, now time.Time) string {
	var inv x509.CertificateInvalidError
	var ua x509.UnknownAuthorityError
	var he x509.HostnameError
	switch {
	case errors.As(err, &inv) && inv.Reason == x509.Expired:
		c := inv.Cert
		if c == nil {
			c = leaf
		}
		if now.Before(c.NotBefore) {
			return "certificate is not valid yet (not before " + c.NotBefore.UTC().Format(time.RFC3339) + ", now " + now.UTC().Format(time.RFC3339) + ")"
		}
		return "certificate has expired (not after " + c.NotAfter.UTC().Format(time.RFC3339) + ", now " + now.UTC().Format(time.RFC3339) + ")"
	case errors.As(err, &ua):
		issuer := leaf.Issuer.String()
		if ua.Cert != nil {
			issuer = ua.Cert.Issuer.String()
		}
		why := "certificate signed by an unknown authority (issuer " + issuer + ")"
		if leaf.Issuer.String() == leaf.Subject.String() {
			why = "self-signed certificate not in the trusted roots (subject " + leaf.Subject.String() + "; cafile= trusts it)"
		}
		return why
	case errors.As(err, &he):
		return "wrong host name: the certificate is valid for " + certNames(he.Certificate) + ", not " + he.Host
	case errors.As(err, &inv):
		return strings.TrimPrefix(inv.Error(), "x509: ")
	}
	return strings.TrimPrefix(err.Error(), "x509: ")
}

// certNames lists the names a certificate is valid for.
func certNames(c *x509.Certificate) string {
	var names []string
	names = append(names, c.DNSNames...)
	for _, ip := range c.IPAddresses {
		names = append(names, ip.String())
	}
	if len(names) == 0 {
		if c.Subject.CommonName != "" {
			return "no names (only the common name " + c.Subject.CommonName + ", which is not checked)"
		}
		return "no names"
	}
	return strings.Join(names, ", ")
}
