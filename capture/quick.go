package capture

import (
	"net/netip"

	"github.com/google/gopacket"
	"github.com/google/gopacket/layers"
)

// peeker reads a frame's transport ports and TCP flags with gopacket's
// DecodingLayerParser, which allocates nothing: lo on a busy machine
// carries tens of thousands of other processes' packets a second, and the
// capture must drop those fast or the kernel drops ours for want of room.
// Only the packets kept are decoded in full (Decode).
type peeker struct {
	eth     layers.Ethernet
	ip4     layers.IPv4
	ip6     layers.IPv6
	tcp     layers.TCP
	udp     layers.UDP
	icmp4   layers.ICMPv4
	icmp6   layers.ICMPv6
	payload gopacket.Payload
	parsers map[gopacket.LayerType]*gopacket.DecodingLayerParser
	decoded []gopacket.LayerType
}

// peek is what the filter needs of a frame.
type peek struct {
	tcp, udp     bool
	syn          bool
	sport, dport uint16
	src, dst     netip.Addr // the IP addresses (compared with the endpoints)
}

func newPeeker() *peeker {
	k := &peeker{parsers: map[gopacket.LayerType]*gopacket.DecodingLayerParser{}}
	for _, first := range []gopacket.LayerType{layers.LayerTypeEthernet, layers.LayerTypeIPv4, layers.LayerTypeIPv6} {
		p := gopacket.NewDecodingLayerParser(first, &k.eth, &k.ip4, &k.ip6, &k.tcp, &k.udp, &k.icmp4, &k.icmp6, &k.payload)
		p.IgnoreUnsupported = true
		k.parsers[first] = p
	}
	return k
}

// peek reports the frame's TCP or UDP ports; ok is false for anything else
// (ICMP, which is rare and decoded in full, or not IP at all).
func (k *peeker) peek(data []byte, first gopacket.LayerType) (pk peek, ok bool) {
	p := k.parsers[first]
	if p == nil {
		return pk, false
	}
	p.DecodeLayers(data, &k.decoded) // an error past the transport header does not matter here
	for _, lt := range k.decoded {
		switch lt {
		case layers.LayerTypeIPv4:
			pk.src, _ = netip.AddrFromSlice(k.ip4.SrcIP.To4())
			pk.dst, _ = netip.AddrFromSlice(k.ip4.DstIP.To4())
		case layers.LayerTypeIPv6:
			pk.src, _ = netip.AddrFromSlice(k.ip6.SrcIP)
			pk.dst, _ = netip.AddrFromSlice(k.ip6.DstIP)
			pk.src, pk.dst = pk.src.Unmap(), pk.dst.Unmap()
		case layers.LayerTypeTCP:
			pk.tcp, pk.syn, pk.sport, pk.dport = true, k.tcp.SYN, uint16(k.tcp.SrcPort), uint16(k.tcp.DstPort)
			return pk, true
		case layers.LayerTypeUDP:
			pk.udp, pk.sport, pk.dport = true, uint16(k.udp.SrcPort), uint16(k.udp.DstPort)
			return pk, true
		}
	}
	return pk, false
}
