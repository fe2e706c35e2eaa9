package pcapsynth

import (
	"errors"
	"hash/fnv"
	"net/netip"
	"time"

	"golang.org/x/sys/unix"

	"nsh/netcore"
)

// mss is the most payload one synthesised segment carries: lo's MSS.
const mss = 65483

// half is one direction of a TCP connection.
type half struct {
	isn      uint32
	sent     uint64 // bytes the sender's calls reported
	received uint64 // bytes the receiver's calls reported
	written  uint64 // bytes written as segments (the larger of the two)
	fin      bool
}

// conn is one TCP connection, keyed by its endpoints in order (a < b);
// h[0] is the direction a -> b.
type conn struct {
	a, b endpoint
	h    [2]half
}

func (c *conn) dir(src endpoint) int {
	if src == c.a {
		return 0
	}
	return 1
}

// next is the sequence number the sender of direction d sends next.
func (c *conn) next(d int) uint32 {
	h := &c.h[d]
	n := h.isn + 1 + uint32(h.written)
	if h.fin {
		n++
	}
	return n
}

func key(x, y endpoint) [2]endpoint {
	if y.less(x) {
		x, y = y, x
	}
	return [2]endpoint{x, y}
}

// isn is an initial sequence number that differs per endpoint but is the
// same on every run, so two traces of one test compare.
func isn(e endpoint) uint32 {
	h := fnv.New32a()
	b := e.ip.As16()
	h.Write(b[:])
	h.Write([]byte{byte(e.port >> 8), byte(e.port)})
	return h.Sum32()
}

// lookup returns the connection between x and y, making it (without a
// handshake: it began before the trace) when create is set.
func (w *SynthWriter) lookup(x, y endpoint, create bool) *conn {
	k := key(x, y)
	c := w.conns[k]
	if c == nil && create {
		c = &conn{a: k[0], b: k[1]}
		c.h[0].isn, c.h[1].isn = isn(c.a), isn(c.b)
		w.conns[k] = c
	}
	return c
}

func (w *SynthWriter) segment(t time.Time, c *conn, from int, f tcpFlags, payload []byte, seq uint32) {
	src, dst := c.a, c.b
	if from == 1 {
		src, dst = dst, src
	}
	ack := uint32(0)
	if f.ack {
		ack = c.next(1 - from)
	}
	w.write(t, src, dst, tcpSegment(src, dst, seq, ack, f), payload)
}

// handshake writes SYN, SYN-ACK, ACK from client to server, once.
func (w *SynthWriter) handshake(t time.Time, client, server endpoint) {
	if w.conns[key(client, server)] != nil {
		return // the other end's trace already wrote it
	}
	c := w.lookup(client, server, true)
	d := c.dir(client)
	w.segment(t, c, d, tcpFlags{syn: true}, nil, c.h[d].isn)
	w.segment(t, c, 1-d, tcpFlags{syn: true, ack: true}, nil, c.h[1-d].isn)
	w.segment(t, c, d, tcpFlags{ack: true}, nil, c.next(d))
}

// data writes the bytes of direction from that no earlier event wrote:
// total is where the reporting side's count stands after these bytes.
func (w *SynthWriter) data(t time.Time, c *conn, from int, p []byte, total uint64) {
	h := &c.h[from]
	if total <= h.written || h.fin {
		return
	}
	fresh := total - h.written
	if uint64(len(p)) > fresh {
		p = p[uint64(len(p))-fresh:]
	}
	for len(p) > 0 {
		n := min(len(p), mss)
		w.segment(t, c, from, tcpFlags{psh: true, ack: true}, p[:n], c.next(from))
		h.written += uint64(n)
		w.segment(t, c, 1-from, tcpFlags{ack: true}, nil, c.next(1-from))
		p = p[n:]
	}
}

// fin writes the FIN of direction from and the other side's ACK, once.
func (w *SynthWriter) fin(t time.Time, c *conn, from int) {
	if c.h[from].fin {
		return
	}
	w.segment(t, c, from, tcpFlags{fin: true, ack: true}, nil, c.next(from))
	c.h[from].fin = true
	w.segment(t, c, 1-from, tcpFlags{ack: true}, nil, c.next(1-from))
	if c.h[1-from].fin {
		delete(w.conns, key(c.a, c.b))
	}
}

// reset writes an RST from direction from and forgets the connection.
func (w *SynthWriter) reset(t time.Time, c *conn, from int) {
	w.segment(t, c, from, tcpFlags{rst: true, ack: true}, nil, c.next(from))
	delete(w.conns, key(c.a, c.b))
}

func (w *SynthWriter) traceTCP(ev *netcore.TraceEvent) {
	local, peer, ok := ends(ev)
	if !ok {
		return
	}
	t := ev.Time
	switch ev.Op {
	case "connect":
		switch {
		case ev.Err == nil:
			w.handshake(t, local, peer)
		case errors.Is(ev.Err, unix.ECONNREFUSED) && local.port != 0:
			w.write(t, local, peer, tcpSegment(local, peer, isn(local), 0, tcpFlags{syn: true}), nil)
			w.write(t, peer, local, tcpSegment(peer, local, 0, isn(local)+1, tcpFlags{rst: true, ack: true}), nil)
		case errors.Is(ev.Err, netcore.ErrTimeout) && local.port != 0:
			w.write(t, local, peer, tcpSegment(local, peer, isn(local), 0, tcpFlags{syn: true}), nil)
		}
		return
	case "accept":
		if ev.Err == nil {
			w.handshake(t, peer, local)
		}
		return
	}
	c := w.lookup(local, peer, false)
	switch ev.Op {
	case "send", "sendfile":
		if c == nil {
			if ev.N == 0 {
				return
			}
			c = w.lookup(local, peer, true)
		}
		d := c.dir(local)
		c.h[d].sent += uint64(ev.N)
		if ev.File != nil {
			w.fileData(t, c, d, ev)
		} else {
			w.data(t, c, d, ev.Data, c.h[d].sent)
		}
		if isReset(ev.Err) {
			w.reset(t, c, 1-d)
		}
	case "shutdown":
		if c != nil && ev.Err == nil && ev.Arg != unix.SHUT_RD {
			w.fin(t, c, c.dir(local))
		}
	case "close":
		if c == nil {
			return
		}
		if ev.Reset {
			w.reset(t, c, c.dir(local))
		} else {
			w.fin(t, c, c.dir(local))
		}
	case "recv", "recvfrom", "recvline", "recvuntil", "recvexactly", "recvfile":
		if ev.Peek || (c == nil && ev.N == 0) {
			return
		}
		if c == nil {
			c = w.lookup(local, peer, true)
		}
		d := c.dir(peer)
		switch {
		case isReset(ev.Err):
			w.reset(t, c, d)
		case ev.EOF:
			w.fin(t, c, d)
		case ev.Err == nil:
			c.h[d].received += uint64(ev.N)
			w.data(t, c, d, ev.Data, c.h[d].received)
		}
	}
}

// fileData writes the bytes of a sendfile, read back from the file in
// pieces so a large file is never held in memory.
func (w *SynthWriter) fileData(t time.Time, c *conn, d int, ev *netcore.TraceEvent) {
	buf := make([]byte, min(ev.N, 1<<20))
	start := c.h[d].sent - uint64(ev.N)
	for done := int64(0); done < ev.N; {
		n, err := ev.File.ReadAt(buf[:min(int64(len(buf)), ev.N-done)], ev.FileOffset+done)
		if n == 0 || (err != nil && n == 0) {
			return
		}
		done += int64(n)
		w.data(t, c, d, buf[:n], start+uint64(done))
	}
}

// netipAs16 is a as an IPv6 address (IPv4 ones mapped), for a conversation
// between an IPv6 socket and an IPv4 peer.
func netipAs16(a netip.Addr) netip.Addr { return netip.AddrFrom16(a.As16()) }
