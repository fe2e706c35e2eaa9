package pcapsynth

import (
	"net"
	"net/netip"

	"github.com/google/gopacket"
	"github.com/google/gopacket/layers"
)

// endpoint is one side of a conversation: an IP address and a port.
type endpoint struct {
	ip   netip.Addr
	port uint16
}

func (e endpoint) less(o endpoint) bool {
	if c := e.ip.Compare(o.ip); c != 0 {
		return c < 0
	}
	return e.port < o.port
}

// tcpFlags are the flags a synthesised segment carries.
type tcpFlags struct{ syn, ack, psh, fin, rst bool }

// zeroMAC is what Linux puts in both Ethernet addresses on lo.
var zeroMAC = net.HardwareAddr{0, 0, 0, 0, 0, 0}

// frame serialises Ethernet, IPv4 or IPv6 and the transport layer with
// lengths and checksums computed, as a capture on lo would record them.
func (w *SynthWriter) frame(src, dst endpoint, transport gopacket.SerializableLayer, payload []byte) ([]byte, error) {
	eth := &layers.Ethernet{SrcMAC: zeroMAC, DstMAC: zeroMAC, EthernetType: layers.EthernetTypeIPv4}
	var ip gopacket.NetworkLayer
	var ipLayer gopacket.SerializableLayer
	proto := layers.IPProtocolTCP
	if _, ok := transport.(*layers.UDP); ok {
		proto = layers.IPProtocolUDP
	}
	if src.ip.Is4() && dst.ip.Is4() {
		w.ipID++
		v4 := &layers.IPv4{Version: 4, TTL: 64, Id: w.ipID, Protocol: proto,
			SrcIP: src.ip.AsSlice(), DstIP: dst.ip.AsSlice()}
		if proto == layers.IPProtocolTCP {
			v4.Flags = layers.IPv4DontFragment
		}
		ip, ipLayer = v4, v4
	} else {
		eth.EthernetType = layers.EthernetTypeIPv6
		s16, d16 := src.ip.As16(), dst.ip.As16()
		v6 := &layers.IPv6{Version: 6, HopLimit: 64, NextHeader: proto, SrcIP: s16[:], DstIP: d16[:]}
		ip, ipLayer = v6, v6
	}
	switch t := transport.(type) {
	case *layers.TCP:
		t.SetNetworkLayerForChecksum(ip)
	case *layers.UDP:
		t.SetNetworkLayerForChecksum(ip)
	}
	w.sbuf.Clear()
	opts := gopacket.SerializeOptions{FixLengths: true, ComputeChecksums: true}
	if err := gopacket.SerializeLayers(w.sbuf, opts, eth, ipLayer, transport, gopacket.Payload(payload)); err != nil {
		return nil, err
	}
	return w.sbuf.Bytes(), nil
}

// tcpSegment builds a TCP segment from src to dst.
func tcpSegment(src, dst endpoint, seq, ack uint32, f tcpFlags) *layers.TCP {
	return &layers.TCP{SrcPort: layers.TCPPort(src.port), DstPort: layers.TCPPort(dst.port),
		Seq: seq, Ack: ack, SYN: f.syn, ACK: f.ack, PSH: f.psh, FIN: f.fin, RST: f.rst, Window: 65535}
}

// udpDatagram builds a UDP header from src to dst.
func udpDatagram(src, dst endpoint) *layers.UDP {
	return &layers.UDP{SrcPort: layers.UDPPort(src.port), DstPort: layers.UDPPort(dst.port)}
}
