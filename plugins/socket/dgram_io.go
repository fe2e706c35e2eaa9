package socket

import (
	"context"
	"net/netip"

	lua "github.com/yuin/gopher-lua"

	"nsh/netcore"
)

// The datagram calls (recvfrom, sendto, and LuaSocket's receivefrom and
// sendto, which share them) keep their per-call state in a dgramIO bound
// once per socket, as recv and send do in sock: a UDP server's loop then
// allocates no closure per datagram, only the Lua string it receives. The
// destination of sendto is resolved once per host string: a script that
// answers addr[1] (the same string every time, from the address cache in
// address.go) skips parsing the literal for each datagram.

// dgramIO is a socket's reusable datagram state; rbusy and wbusy guard it
// when two tasks use the socket at once (the second one takes the slow
// path with its own closure).
type dgramIO struct {
	rbusy bool
	rbuf  []byte
	rn    int
	rfrom netcore.Addr
	rfn   func(context.Context) error

	wbusy bool
	wdata []byte
	wto   netcore.Addr
	wn    int
	wfn   func(context.Context) error

	// The last literal host resolved, for which family, and its IP.
	lhost string
	lfam  int
	lip   netip.Addr
}

// dgram returns s's datagram state, made on first use.
func (s *sock) dgram() *dgramIO {
	if s.dg != nil {
		return s.dg
	}
	d := &dgramIO{}
	d.rfn = func(ctx context.Context) error {
		var err error
		d.rn, d.rfrom, _, err = s.ns.RecvFrom(ctx, d.rbuf)
		return err
	}
	d.wfn = func(ctx context.Context) error {
		var err error
		d.wn, err = s.ns.SendTo(ctx, d.wdata, d.wto)
		return err
	}
	s.dg = d
	return d
}

// recvFrom receives one datagram of at most n bytes (longer ones are
// truncated, as the kernel does).
func (m *module) recvFrom(L *lua.LState, s *sock, n int) (lua.LString, netcore.Addr, error) {
	var buf []byte
	switch {
	case s.rbusy || n > bigBufSize:
		buf = make([]byte, min(n, maxReadAlloc))
	case n <= ownBufMax:
		buf = s.readBuf(n)
		s.rbusy = true
		defer func() { s.rbusy = false }()
	default:
		pooled := bigBufs.Get()
		buf = (*pooled)[:n]
		defer bigBufs.Put(pooled)
	}
	d := s.dgram()
	if d.rbusy {
		var got int
		var from netcore.Addr
		err := m.h.Block(L, func(ctx context.Context) error {
			var err error
			got, from, _, err = s.ns.RecvFrom(ctx, buf)
			return err
		})
		return lua.LString(buf[:got]), from, err
	}
	d.rbusy, d.rbuf = true, buf
	err := m.h.Block(L, d.rfn)
	data, from := lua.LString(buf[:d.rn]), d.rfrom
	d.rbusy, d.rbuf, d.rn, d.rfrom = false, nil, 0, netcore.Addr{}
	return data, from, err
}

// doSendto sends data to t and pushes the bytes sent (or the error).
func (m *module) doSendto(L *lua.LState, s *sock, data string, t target) int {
	d := s.dgram()
	a, err := m.resolveDgram(L, s, d, t)
	if err != nil {
		return fail(L, err)
	}
	s.materialize(L, "sendto", a.Family)
	var n int
	if d.wbusy {
		err = m.h.Block(L, func(ctx context.Context) error {
			var err error
			n, err = s.ns.SendTo(ctx, bytesOf(data), a)
			return err
		})
	} else {
		d.wbusy, d.wdata, d.wto = true, bytesOf(data), a
		err = m.h.Block(L, d.wfn)
		n = d.wn
		d.wbusy, d.wdata, d.wn = false, nil, 0
	}
	if err != nil {
		return fail(L, err)
	}
	L.Push(num(n))
	return 1
}

// resolveDgram is resolve with a one-entry memory of the last IP literal:
// a literal always means the same IP, so only the port is checked anew.
func (m *module) resolveDgram(L *lua.LState, s *sock, d *dgramIO, t target) (netcore.Addr, error) {
	if d.lip.IsValid() && t.host == d.lhost && s.family == d.lfam && t.path == "" {
		if err := netcore.CheckPort(t.port); err != nil {
			return netcore.Addr{}, err
		}
		return netcore.IPAddr(d.lip, t.port), nil
	}
	a, err := m.resolve(L, s.family, t)
	if err == nil && a.IP.IsValid() && isIPLiteral(t.host) {
		d.lhost, d.lfam, d.lip = t.host, s.family, a.IP
	}
	return a, err
}

// isIPLiteral reports whether host is an IP address written out (with or
// without brackets), not a name, "", "*" or "localhost".
func isIPLiteral(host string) bool {
	if len(host) > 2 && host[0] == '[' && host[len(host)-1] == ']' {
		host = host[1 : len(host)-1]
	}
	_, err := netip.ParseAddr(host)
	return err == nil
}
