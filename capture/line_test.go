package capture

import (
	"net"
	"strings"
	"testing"
	"time"

	"github.com/google/gopacket"
	"github.com/google/gopacket/layers"
)

// frameOf serialises an Ethernet/IPv4 frame carrying l4 (and payload) with
// gopacket, as lo would hand it over.
func frameOf(t testing.TB, l4 gopacket.SerializableLayer, payload []byte) []byte {
	t.Helper()
	eth := &layers.Ethernet{EthernetType: layers.EthernetTypeIPv4, SrcMAC: make(net.HardwareAddr, 6), DstMAC: make(net.HardwareAddr, 6)}
	ip := &layers.IPv4{Version: 4, TTL: 64, SrcIP: net.IP{127, 0, 0, 1}, DstIP: net.IP{127, 0, 0, 1}}
	switch l := l4.(type) {
	case *layers.TCP:
		ip.Protocol = layers.IPProtocolTCP
		l.SetNetworkLayerForChecksum(ip)
	case *layers.UDP:
		ip.Protocol = layers.IPProtocolUDP
		l.SetNetworkLayerForChecksum(ip)
	case *layers.ICMPv4:
		ip.Protocol = layers.IPProtocolICMPv4
	}
	buf := gopacket.NewSerializeBuffer()
	ls := []gopacket.SerializableLayer{eth, ip, l4}
	if payload != nil {
		ls = append(ls, gopacket.Payload(payload))
	}
	if err := gopacket.SerializeLayers(buf, gopacket.SerializeOptions{FixLengths: true, ComputeChecksums: true}, ls...); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func lineOf(t *testing.T, f *Formatter, data []byte) string {
	t.Helper()
	p, ok := Decode(data, layers.LayerTypeEthernet)
	if !ok {
		t.Fatalf("Decode refused % x", data)
	}
	l := f.Line(p, time.Date(2026, 1, 2, 13, 4, 5, 123456000, time.Local))
	prefix := "13:04:05.123456 "
	if !strings.HasPrefix(l, prefix) {
		t.Fatalf("line %q does not start with the time %q", l, prefix)
	}
	return strings.TrimPrefix(l, prefix)
}

// TestTCPConversation formats a handshake, data, a retransmission, a
// keep-alive, the close and a reset as tshark would number them.
func TestTCPConversation(t *testing.T) {
	const c, s = 41000, 8080
	const ci, si = 1000000, 5000000
	wsOpt := func(mss uint16, ws byte) []layers.TCPOption {
		return []layers.TCPOption{
			{OptionType: layers.TCPOptionKindMSS, OptionLength: 4, OptionData: []byte{byte(mss >> 8), byte(mss)}},
			{OptionType: layers.TCPOptionKindWindowScale, OptionLength: 3, OptionData: []byte{ws}},
		}
	}
	seg := func(src, dst layers.TCPPort, seq, ack uint32, win uint16) *layers.TCP {
		return &layers.TCP{SrcPort: src, DstPort: dst, Seq: seq, Ack: ack, Window: win}
	}
	syn := seg(c, s, ci, 0, 65495)
	syn.SYN, syn.Options = true, wsOpt(65495, 7)
	synack := seg(s, c, si, ci+1, 65483)
	synack.SYN, synack.ACK, synack.Options = true, true, wsOpt(65495, 7)
	ack := seg(c, s, ci+1, si+1, 512)
	ack.ACK = true
	data := seg(c, s, ci+1, si+1, 512)
	data.ACK, data.PSH = true, true
	again := seg(c, s, ci+1, si+1, 512)
	again.ACK, again.PSH = true, true
	keep := seg(c, s, ci+5, si+1, 512)
	keep.ACK = true
	fin := seg(c, s, ci+6, si+1, 512)
	fin.FIN, fin.ACK = true, true
	rst := seg(s, c, si+1, 0, 0)
	rst.RST = true
	f := &Formatter{}
	for _, tc := range []struct {
		tcp     *layers.TCP
		payload []byte
		want    string
	}{
		{syn, nil, "tcp 127.0.0.1:41000 -> 127.0.0.1:8080 SYN seq=0 win=65495 mss=65495"},
		{synack, nil, "tcp 127.0.0.1:8080 -> 127.0.0.1:41000 SYN-ACK seq=0 ack=1 win=65483 mss=65495"},
		{ack, nil, "tcp 127.0.0.1:41000 -> 127.0.0.1:8080 ACK seq=1 ack=1 win=65536"},
		{data, []byte("hello"), `tcp 127.0.0.1:41000 -> 127.0.0.1:8080 PSH 5 bytes "hello" seq=1 ack=1 win=65536`},
		{again, []byte("hello"), `tcp 127.0.0.1:41000 -> 127.0.0.1:8080 PSH 5 bytes "hello" seq=1 ack=1 win=65536 (retransmission)`},
		{keep, nil, "tcp 127.0.0.1:41000 -> 127.0.0.1:8080 ACK seq=5 ack=1 win=65536 (keep-alive)"},
		{fin, nil, "tcp 127.0.0.1:41000 -> 127.0.0.1:8080 FIN seq=6 ack=1 win=65536"},
		{rst, nil, "tcp 127.0.0.1:8080 -> 127.0.0.1:41000 RST seq=1 win=0"},
	} {
		if got := lineOf(t, f, frameOf(t, tc.tcp, tc.payload)); got != tc.want {
			t.Errorf("got  %s\nwant %s", got, tc.want)
		}
	}
}

// TestMidConnection: a capture started after the handshake numbers from
// the first segment seen and shows the peer's ack raw until it is seen.
func TestMidConnection(t *testing.T) {
	f := &Formatter{}
	d := &layers.TCP{SrcPort: 5000, DstPort: 6000, Seq: 777, Ack: 999, ACK: true, Window: 100}
	if got, want := lineOf(t, f, frameOf(t, d, []byte("ab"))), `tcp 127.0.0.1:5000 -> 127.0.0.1:6000 DATA 2 bytes "ab" seq=0 ack=999 win=100`; got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

func TestUDPAndICMPLines(t *testing.T) {
	f := &Formatter{}
	long := strings.Repeat("x", 50) + "\n"
	for _, tc := range []struct {
		l4      gopacket.SerializableLayer
		payload []byte
		want    string
	}{
		{&layers.UDP{SrcPort: 5353, DstPort: 9999}, []byte("hello"), `udp 127.0.0.1:5353 -> 127.0.0.1:9999 5 bytes "hello"`},
		{&layers.UDP{SrcPort: 5353, DstPort: 9999}, []byte{0}, `udp 127.0.0.1:5353 -> 127.0.0.1:9999 1 byte "\x00"`},
		{&layers.UDP{SrcPort: 5353, DstPort: 9999}, []byte(long), `udp 127.0.0.1:5353 -> 127.0.0.1:9999 51 bytes "` + strings.Repeat("x", 40) + `"...`},
		{&layers.UDP{SrcPort: 5353, DstPort: 9999}, []byte{}, `udp 127.0.0.1:5353 -> 127.0.0.1:9999 0 bytes`},
		{&layers.ICMPv4{TypeCode: layers.CreateICMPv4TypeCode(8, 0), Id: 7, Seq: 1}, []byte("ping"), `icmp 127.0.0.1 -> 127.0.0.1 echo request id=7 seq=1 4 bytes "ping"`},
	} {
		if got := lineOf(t, f, frameOf(t, tc.l4, tc.payload)); got != tc.want {
			t.Errorf("got  %s\nwant %s", got, tc.want)
		}
	}
	// A port unreachable quoting the UDP datagram that caused it.
	quoted := frameOf(t, &layers.UDP{SrcPort: 40000, DstPort: 9}, []byte("x"))[14:]
	unreach := frameOf(t, &layers.ICMPv4{TypeCode: layers.CreateICMPv4TypeCode(3, 3)}, quoted)
	want := "icmp 127.0.0.1 -> 127.0.0.1 destination unreachable (port) (udp 127.0.0.1:40000 -> 127.0.0.1:9)"
	if got := lineOf(t, f, unreach); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	p, _ := Decode(unreach, layers.LayerTypeEthernet)
	c := &Capture{known: []int{40000}}
	if !c.matches(p) {
		t.Errorf("an ICMP error quoting port 40000 does not match the port")
	}
}

// TestDecodeRefuses: what is not IP carrying TCP, UDP or ICMP, or is cut
// short, is refused without a panic.
func TestDecodeRefuses(t *testing.T) {
	whole := frameOf(t, &layers.TCP{SrcPort: 1, DstPort: 2, ACK: true}, []byte("hi"))
	for n := 0; n < 14+20+20; n++ {
		if p, ok := Decode(whole[:n], layers.LayerTypeEthernet); ok && p.TCP != nil {
			t.Errorf("%d bytes decoded as TCP", n)
		}
	}
	arp := append(make([]byte, 12), 0x08, 0x06)
	if _, ok := Decode(append(arp, make([]byte, 28)...), layers.LayerTypeEthernet); ok {
		t.Errorf("ARP decoded")
	}
}
