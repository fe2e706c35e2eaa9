package netcore

// A non-blocking LuaSocket loop (settimeout(0), receive, select) gets a
// timeout from most of its calls, and each one is returned to Lua as the
// short word and the story ("timeout", "receive 127.0.0.1:8080:
// timeout"). Making them walked the error chain with errors.As and
// errors.Is several times and formatted the peer's address each time; the
// two helpers here answer the common case directly.

// PlainTimeout reports whether err is a call's timeout and nothing else:
// an *OpError whose reason is ErrTimeout itself.
func PlainTimeout(err error) bool {
	oe, ok := err.(*OpError)
	return ok && oe.Err == ErrTimeout
}

// addrText is a peer address with its text, made once per peer.
type addrText struct {
	p    *Addr
	text string
}

// peerText returns p.String(), p being s.peer's current value. Every
// change of the peer stores a new pointer, so the pointer keys the cache.
func (s *Socket) peerText(p *Addr) string {
	if c := s.peerStr.Load(); c != nil && c.p == p {
		return c.text
	}
	t := p.String()
	s.peerStr.Store(&addrText{p: p, text: t})
	return t
}
