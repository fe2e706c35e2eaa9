package netcore

import (
	"errors"
	"net"
)

// getaddrinfo's EAI_* codes as glibc numbers them (Python's socket module
// exports the same values): what a failed name resolution reports in place
// of an errno, as Python's socket.gaierror carries it.
const (
	EAI_BADFLAGS   = -1
	EAI_NONAME     = -2
	EAI_AGAIN      = -3
	EAI_FAIL       = -4
	EAI_NODATA     = -5
	EAI_FAMILY     = -6
	EAI_SOCKTYPE   = -7
	EAI_SERVICE    = -8
	EAI_ADDRFAMILY = -9
	EAI_MEMORY     = -10
	EAI_SYSTEM     = -11
	EAI_OVERFLOW   = -12
)

// gaiConstants are the EAI_* names the Lua layer exports.
var gaiConstants = map[string]int{
	"EAI_BADFLAGS": EAI_BADFLAGS, "EAI_NONAME": EAI_NONAME, "EAI_AGAIN": EAI_AGAIN,
	"EAI_FAIL": EAI_FAIL, "EAI_NODATA": EAI_NODATA, "EAI_FAMILY": EAI_FAMILY,
	"EAI_SOCKTYPE": EAI_SOCKTYPE, "EAI_SERVICE": EAI_SERVICE, "EAI_ADDRFAMILY": EAI_ADDRFAMILY,
	"EAI_MEMORY": EAI_MEMORY, "EAI_SYSTEM": EAI_SYSTEM, "EAI_OVERFLOW": EAI_OVERFLOW,
}

func init() {
	for k, v := range gaiConstants {
		Constants[k] = v
	}
}

// ResolveError is why a host name did not resolve. It is ErrHostNotFound
// for errors.Is (LuaSocket's word stays "host not found"); Code is the
// EAI_* value getaddrinfo would give (EAI_NONAME for a name that does not
// exist or does not parse, EAI_AGAIN for a server that did not answer).
type ResolveError struct {
	Code int
}

// Error returns "host not found", with the reason when it is not simply
// that the name does not exist.
func (e *ResolveError) Error() string {
	if e.Code == EAI_AGAIN {
		return "host not found (temporary failure in name resolution)"
	}
	if e.Code == EAI_FAIL {
		return "host not found (non-recoverable failure in name resolution)"
	}
	return "host not found"
}

// Is makes errors.Is(err, ErrHostNotFound) hold.
func (e *ResolveError) Is(target error) bool { return target == ErrHostNotFound }

// resolveError turns the resolver's error into a *ResolveError.
func resolveError(err error) *ResolveError {
	var de *net.DNSError
	switch {
	case errors.As(err, &de) && (de.IsTimeout || de.IsTemporary):
		return &ResolveError{Code: EAI_AGAIN}
	case errors.As(err, &de) && !de.IsNotFound:
		return &ResolveError{Code: EAI_FAIL}
	}
	return &ResolveError{Code: EAI_NONAME}
}

// GaiCode returns the EAI_* code of a resolution failure in err, or 0 when
// err is not one.
func GaiCode(err error) int {
	var re *ResolveError
	if errors.As(err, &re) {
		return re.Code
	}
	if errors.Is(err, ErrHostNotFound) {
		return EAI_NONAME
	}
	return 0
}
