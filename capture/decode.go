package capture

import (
	"net/netip"

	"github.com/google/gopacket"
	"github.com/google/gopacket/layers"
	"golang.org/x/sys/unix"
)

// Packet is one decoded IP packet: its addresses, transport and, for an
// ICMP error, the packet it quotes (whose ports say whose it is).
type Packet struct {
	Src, Dst netip.Addr
	TCP      *layers.TCP
	UDP      *layers.UDP
	ICMPv4   *layers.ICMPv4
	ICMPv6   *layers.ICMPv6
	Payload  []byte  // the transport's payload (ICMP: after the echo header)
	Quoted   *Packet // the IP packet an ICMP error carries
	// Echo is set for an ICMP echo request or reply, with its identifier
	// (a ping socket's "port") and sequence number.
	Echo            bool
	EchoID, EchoSeq uint16
}

// Ports returns the transport ports (0, 0 for ICMP, whose echo identifier
// is given instead as both).
func (p *Packet) Ports() (src, dst uint16) {
	switch {
	case p.TCP != nil:
		return uint16(p.TCP.SrcPort), uint16(p.TCP.DstPort)
	case p.UDP != nil:
		return uint16(p.UDP.SrcPort), uint16(p.UDP.DstPort)
	}
	return 0, 0
}

// firstLayer is how a frame of the interface's hardware type starts: lo and
// Ethernet have an Ethernet header, a tun device none.
func firstLayer(hatype uint16, data []byte) (gopacket.LayerType, bool) {
	switch hatype {
	case unix.ARPHRD_ETHER, unix.ARPHRD_LOOPBACK:
		return layers.LayerTypeEthernet, true
	case unix.ARPHRD_NONE:
		if len(data) > 0 && data[0]>>4 == 6 {
			return layers.LayerTypeIPv6, true
		}
		return layers.LayerTypeIPv4, true
	}
	return 0, false
}

// Decode decodes a frame that starts with layer first; ok is false for
// anything but IPv4/IPv6 carrying TCP, UDP or ICMP.
func Decode(data []byte, first gopacket.LayerType) (*Packet, bool) {
	pk := gopacket.NewPacket(data, first, gopacket.DecodeOptions{Lazy: true, NoCopy: true})
	p := &Packet{}
	switch ip := pk.NetworkLayer().(type) {
	case *layers.IPv4:
		p.Src, _ = netip.AddrFromSlice(ip.SrcIP.To4())
		p.Dst, _ = netip.AddrFromSlice(ip.DstIP.To4())
	case *layers.IPv6:
		p.Src, _ = netip.AddrFromSlice(ip.SrcIP)
		p.Dst, _ = netip.AddrFromSlice(ip.DstIP)
	default:
		return nil, false
	}
	switch t := pk.TransportLayer().(type) {
	// gopacket keeps a layer it failed to decode (a header cut short) as
	// an empty one: only whole headers count.
	case *layers.TCP:
		p.TCP, p.Payload = t, t.Payload
		return p, len(t.Contents) >= 20
	case *layers.UDP:
		p.UDP, p.Payload = t, t.Payload
		return p, len(t.Contents) == 8
	}
	if l, ok := pk.Layer(layers.LayerTypeICMPv4).(*layers.ICMPv4); ok && len(l.Contents) >= 8 {
		p.ICMPv4, p.Payload = l, l.Payload
		if t := l.TypeCode.Type(); t == layers.ICMPv4TypeEchoRequest || t == layers.ICMPv4TypeEchoReply {
			p.Echo, p.EchoID, p.EchoSeq = true, l.Id, l.Seq
		}
		if isICMPError(l.TypeCode.Type(), false) {
			p.Quoted, _ = Decode(l.Payload, layers.LayerTypeIPv4)
			p.Payload = nil
		}
		return p, true
	}
	if l, ok := pk.Layer(layers.LayerTypeICMPv6).(*layers.ICMPv6); ok && len(l.Contents) >= 4 {
		p.ICMPv6, p.Payload = l, l.Payload
		if isICMPError(l.TypeCode.Type(), true) && len(l.Payload) > 4 {
			// gopacket leaves the 4 unused/MTU bytes of an ICMPv6 error in the payload
			p.Quoted, _ = Decode(l.Payload[4:], layers.LayerTypeIPv6)
			p.Payload = nil
		}
		if echo, ok := pk.Layer(layers.LayerTypeICMPv6Echo).(*layers.ICMPv6Echo); ok {
			p.Payload = echo.Payload
			p.Echo, p.EchoID, p.EchoSeq = true, echo.Identifier, echo.SeqNumber
		}
		return p, true
	}
	return nil, false
}

func isICMPError(typ uint8, v6 bool) bool {
	if v6 {
		return typ < 128
	}
	switch typ {
	case layers.ICMPv4TypeDestinationUnreachable, layers.ICMPv4TypeSourceQuench, layers.ICMPv4TypeRedirect,
		layers.ICMPv4TypeTimeExceeded, layers.ICMPv4TypeParameterProblem:
		return true
	}
	return false
}
