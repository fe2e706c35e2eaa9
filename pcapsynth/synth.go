// Package pcapsynth writes nsh's call trace as a pcapng file of synthesised
// packets, for a user without the privilege a real capture needs. Fed
// netcore trace events (a SynthWriter is a netcore.Tracer), it writes the
// Ethernet/IPv4/IPv6/TCP/UDP frames that the calls put on the wire, with
// lengths, checksums and per-connection sequence numbers a real capture on
// lo would have: SYN, SYN-ACK, ACK at connect or accept, each send as
// PSH-ACK segments answered by an ACK, FIN at shutdown, close or the peer's
// end of stream, RST where the kernel resets. tshark and Wireshark read the
// file and show the same conversation with the same bytes.
//
// What it cannot know it does not invent: segment boundaries are the calls'
// (a real capture may split or merge them), the kernel's delayed ACKs,
// window updates, retransmissions and TCP options are absent, and AF_UNIX
// and raw sockets are left out (they have no packets). When both ends of a
// connection are traced in one session, the bytes are written once (the
// first of the send and the receive that reports them).
package pcapsynth

import (
	"errors"
	"io"
	"sync"
	"time"

	"github.com/google/gopacket"
	"github.com/google/gopacket/layers"
	"github.com/google/gopacket/pcapgo"
	"golang.org/x/sys/unix"

	"nsh/netcore"
)

// SynthWriter turns trace events into packets in a pcapng stream. It is
// safe for concurrent use. Each event's packets are flushed to the
// underlying writer before Trace returns, so a session killed mid-trace
// leaves a file valid up to its last packet.
type SynthWriter struct {
	mu      sync.Mutex
	ng      *pcapgo.NgWriter
	sbuf    gopacket.SerializeBuffer
	ipID    uint16
	conns   map[[2]endpoint]*conn
	udp     map[[2]endpoint]*flow
	err     error
	onError func(error)
	packets int
}

// NewSynthWriter writes the pcapng section header and one Ethernet interface
// to w and returns the writer that adds the packets. The caller closes w
// after Close.
func NewSynthWriter(w io.Writer) (*SynthWriter, error) {
	intf := pcapgo.DefaultNgInterface
	intf.LinkType = layers.LinkTypeEthernet
	intf.Name = "nsh"
	intf.Description = "packets synthesised from nsh's socket call trace"
	ng, err := pcapgo.NewNgWriterInterface(w, intf, pcapgo.DefaultNgWriterOptions)
	if err == nil {
		err = ng.Flush()
	}
	if err != nil {
		return nil, err
	}
	return &SynthWriter{ng: ng, sbuf: gopacket.NewSerializeBuffer(),
		conns: map[[2]endpoint]*conn{}, udp: map[[2]endpoint]*flow{}}, nil
}

// OnError sets a function told once of the write error that stops the
// writer (a full disk, say); the traced calls go on regardless.
func (w *SynthWriter) OnError(fn func(error)) {
	w.mu.Lock()
	w.onError = fn
	w.mu.Unlock()
}

// Err returns the error that stopped the writer, if any.
func (w *SynthWriter) Err() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.err
}

// Packets returns how many packets were written.
func (w *SynthWriter) Packets() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.packets
}

// Close flushes what is buffered (Trace already flushes each event).
func (w *SynthWriter) Close() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.err != nil {
		return w.err
	}
	return w.ng.Flush()
}

// Trace implements netcore.Tracer.
func (w *SynthWriter) Trace(ev *netcore.TraceEvent) {
	if ev.Family != unix.AF_INET && ev.Family != unix.AF_INET6 {
		return
	}
	w.mu.Lock()
	if w.err != nil {
		w.mu.Unlock()
		return
	}
	switch ev.Type {
	case unix.SOCK_STREAM:
		w.traceTCP(ev)
	case unix.SOCK_DGRAM:
		w.traceUDP(ev)
	}
	if w.err == nil {
		w.err = w.ng.Flush()
	}
	err, report := w.err, w.onError
	if err != nil {
		w.onError = nil
	}
	w.mu.Unlock()
	if err != nil && report != nil {
		report(err)
	}
}

// write adds one packet (until the first error).
func (w *SynthWriter) write(t time.Time, src, dst endpoint, transport gopacket.SerializableLayer, payload []byte) {
	if w.err != nil {
		return
	}
	data, err := w.frame(src, dst, transport, payload)
	if err == nil {
		ci := gopacket.CaptureInfo{Timestamp: t, CaptureLength: len(data), Length: len(data)}
		err = w.ng.WritePacket(ci, data)
	}
	if err != nil {
		w.err = err
		return
	}
	w.packets++
}

// ends returns the event's local and peer endpoints. An unspecified local
// address (a socket bound to 0.0.0.0) is the peer's when the peer is on
// loopback, as the kernel's routing would choose.
func ends(ev *netcore.TraceEvent) (local, peer endpoint, ok bool) {
	if !ev.Peer.IP.IsValid() || !ev.Local.IP.IsValid() {
		return local, peer, false
	}
	local = endpoint{ev.Local.IP, uint16(ev.Local.Port)}
	peer = endpoint{ev.Peer.IP, uint16(ev.Peer.Port)}
	if local.ip.IsUnspecified() && peer.ip.IsLoopback() {
		local.ip = peer.ip
	}
	if local.ip.Is4() != peer.ip.Is4() {
		local.ip, peer.ip = netipAs16(local.ip), netipAs16(peer.ip)
	}
	return local, peer, true
}

// flow counts the datagrams of one direction of a UDP conversation, so one
// sent and received in the same session is written once.
type flow struct{ sent, received, written int }

func (w *SynthWriter) traceUDP(ev *netcore.TraceEvent) {
	if ev.Err != nil || ev.Peek {
		return
	}
	local, peer, ok := ends(ev)
	if !ok {
		return
	}
	src, dst, sending := local, peer, true
	switch ev.Op {
	case "send", "sendto":
	case "recv", "recvfrom":
		src, dst, sending = peer, local, false
	default:
		return
	}
	key := [2]endpoint{src, dst}
	f := w.udp[key]
	if f == nil {
		f = &flow{}
		w.udp[key] = f
	}
	n := &f.received
	if sending {
		n = &f.sent
	}
	*n++
	if *n > f.written {
		f.written = *n
		w.write(ev.Time, src, dst, udpDatagram(src, dst), ev.Data)
	}
}

// isReset reports whether err is the peer's reset.
func isReset(err error) bool { return errors.Is(err, unix.ECONNRESET) }
