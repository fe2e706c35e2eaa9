package netcore

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"math/big"
	"net"
	"time"
)

// CertRequest describes a self-signed certificate for quick servers and
// tests.
type CertRequest struct {
	Hosts     []string  // DNS names and IP addresses the certificate is valid for
	NotBefore time.Time // zero: an hour ago
	NotAfter  time.Time // zero: NotBefore plus a year
	// Issuer, when set, signs the certificate instead of itself (a CA made
	// with CA set), as PEM.
	IssuerCert, IssuerKey []byte
	CA                    bool // the certificate may sign others
}

// SelfSigned makes an ECDSA P-256 key and a certificate for r.Hosts, and
// returns both as PEM.
func SelfSigned(r CertRequest) (certPEM, keyPEM []byte, err error) {
	if len(r.Hosts) == 0 && !r.CA {
		return nil, nil, errors.New("selfsigned: no hosts")
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, nil, err
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 127))
	if err != nil {
		return nil, nil, err
	}
	nb := r.NotBefore
	if nb.IsZero() {
		nb = time.Now().Add(-time.Hour)
	}
	na := r.NotAfter
	if na.IsZero() {
		na = nb.Add(365 * 24 * time.Hour)
	}
	cn := "nsh self-signed"
	if len(r.Hosts) > 0 {
		cn = r.Hosts[0]
	}
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{CommonName: cn, Organization: []string{"nsh"}},
		NotBefore:             nb,
		NotAfter:              na,
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth, x509.ExtKeyUsageClientAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	for _, h := range r.Hosts {
		if ip := net.ParseIP(h); ip != nil {
			tmpl.IPAddresses = append(tmpl.IPAddresses, ip)
		} else {
			tmpl.DNSNames = append(tmpl.DNSNames, h)
		}
	}
	parent, signer := tmpl, any(key)
	if r.IssuerCert != nil {
		tmpl.IsCA = r.CA
		ic, ik, err := parsePair(r.IssuerCert, r.IssuerKey)
		if err != nil {
			return nil, nil, err
		}
		parent, signer = ic, ik
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, &key.PublicKey, signer)
	if err != nil {
		return nil, nil, err
	}
	kder, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return nil, nil, err
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}),
		pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: kder}), nil
}

// parsePair reads a PEM certificate and its PKCS#8 key.
func parsePair(certPEM, keyPEM []byte) (*x509.Certificate, any, error) {
	cb, _ := pem.Decode(certPEM)
	kb, _ := pem.Decode(keyPEM)
	if cb == nil || kb == nil {
		return nil, nil, errors.New("selfsigned: issuer certificate or key is not PEM")
	}
	c, err := x509.ParseCertificate(cb.Bytes)
	if err != nil {
		return nil, nil, err
	}
	k, err := x509.ParsePKCS8PrivateKey(kb.Bytes)
	if err != nil {
		return nil, nil, err
	}
	return c, k, nil
}
