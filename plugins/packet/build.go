package packet

import (
	"fmt"
	"net"
	"net/netip"
	"sort"
	"strings"

	"github.com/google/gopacket"
	"github.com/google/gopacket/layers"
	lua "github.com/yuin/gopher-lua"
)

// spec reads the fields of a builder's table, raising on a wrong type, a
// value out of range or a field the builder does not take.
type spec struct {
	L  *lua.LState
	fn string
	t  *lua.LTable
}

func newSpec(L *lua.LState, fn string, allowed ...string) *spec {
	t, ok := L.Get(1).(*lua.LTable)
	if !ok || L.GetTop() > 1 {
		if !ok {
			L.RaiseError("%s: bad argument #1 (table of fields expected, got %s)", fn, typeName(L, 1))
		}
		L.RaiseError("%s: too many arguments (one table of fields)", fn)
	}
	sp := &spec{L: L, fn: fn, t: t}
	allow := map[string]bool{}
	for _, a := range allowed {
		allow[a] = true
	}
	t.ForEach(func(k, _ lua.LValue) {
		ks, ok := k.(lua.LString)
		if !ok || !allow[string(ks)] {
			sort.Strings(allowed)
			L.RaiseError("%s: unknown field %s (fields: %s)", fn, L.ToStringMeta(k).String(), strings.Join(allowed, ", "))
		}
	})
	return sp
}

func (sp *spec) raise(field, format string, args ...any) {
	sp.L.RaiseError("%s: field %s %s", sp.fn, field, fmt.Sprintf(format, args...))
}

func (sp *spec) int(field string, lo, hi, def int64) int64 {
	switch v := sp.t.RawGetString(field).(type) {
	case *lua.LNilType:
		return def
	case lua.LNumber:
		if float64(v) != float64(int64(v)) || int64(v) < lo || int64(v) > hi {
			sp.raise(field, "must be a whole number from %d to %d, got %s", lo, hi, v.String())
		}
		return int64(v)
	default:
		sp.raise(field, "must be a number, got %s", v.Type().String())
	}
	return 0
}

func (sp *spec) str(field string) (string, bool) {
	switch v := sp.t.RawGetString(field).(type) {
	case *lua.LNilType:
		return "", false
	case lua.LString:
		return string(v), true
	default:
		sp.raise(field, "must be a string, got %s", v.Type().String())
	}
	return "", false
}

func (sp *spec) addr(field string, required bool) netip.Addr {
	s, ok := sp.str(field)
	if !ok {
		if required {
			sp.raise(field, "is needed (an IPv4 or IPv6 address: the checksum covers it)")
		}
		return netip.Addr{}
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		sp.raise(field, "must be an IP address, got %q", s)
	}
	return a.Unmap()
}

func (sp *spec) bool(field string) bool {
	switch v := sp.t.RawGetString(field).(type) {
	case *lua.LNilType:
		return false
	case lua.LBool:
		return bool(v)
	default:
		sp.raise(field, "must be a boolean, got %s", v.Type().String())
	}
	return false
}

// network is the IPv4 or IPv6 header of src and dst (one family) carrying proto.
func (sp *spec) network(src, dst netip.Addr, proto layers.IPProtocol, ttl int64) gopacket.NetworkLayer {
	if src.Is4() != dst.Is4() {
		sp.L.RaiseError("%s: src %s and dst %s are not of one family", sp.fn, src, dst)
	}
	if src.Is4() {
		return &layers.IPv4{Version: 4, IHL: 5, TTL: uint8(ttl), Protocol: proto, SrcIP: net.IP(src.AsSlice()), DstIP: net.IP(dst.AsSlice())}
	}
	return &layers.IPv6{Version: 6, HopLimit: uint8(ttl), NextHeader: proto, SrcIP: net.IP(src.AsSlice()), DstIP: net.IP(dst.AsSlice())}
}

// serialize returns the bytes of ls with lengths and checksums computed.
func serialize(L *lua.LState, fn string, ls ...gopacket.SerializableLayer) lua.LString {
	buf := gopacket.NewSerializeBuffer()
	if err := gopacket.SerializeLayers(buf, gopacket.SerializeOptions{FixLengths: true, ComputeChecksums: true}, ls...); err != nil {
		L.RaiseError("%s: %v", fn, err)
	}
	return lua.LString(buf.Bytes())
}

// withIP puts the network header in front when ip=true.
func withIP(ip bool, nl gopacket.NetworkLayer, rest ...gopacket.SerializableLayer) []gopacket.SerializableLayer {
	if !ip {
		return rest
	}
	return append([]gopacket.SerializableLayer{nl.(gopacket.SerializableLayer)}, rest...)
}

// tcpFlags reads flags as "SYN,ACK", "SYN-ACK", "syn ack" or {SYN=true, ACK=true}.
func (sp *spec) tcpFlags(t *layers.TCP) {
	var names []string
	switch v := sp.t.RawGetString("flags").(type) {
	case *lua.LNilType:
		return
	case lua.LString:
		names = strings.FieldsFunc(string(v), func(r rune) bool { return r == ',' || r == '-' || r == ' ' || r == '|' })
	case *lua.LTable:
		v.ForEach(func(k, on lua.LValue) {
			if lua.LVAsBool(on) {
				names = append(names, k.String())
			}
		})
	default:
		sp.raise("flags", "must be a string like \"SYN,ACK\" or a table {SYN=true}, got %s", v.Type().String())
	}
	for _, n := range names {
		switch strings.ToUpper(n) {
		case "SYN":
			t.SYN = true
		case "ACK":
			t.ACK = true
		case "FIN":
			t.FIN = true
		case "RST":
			t.RST = true
		case "PSH":
			t.PSH = true
		case "URG":
			t.URG = true
		case "ECE":
			t.ECE = true
		case "CWR":
			t.CWR = true
		default:
			sp.raise("flags", "has an unknown flag %q (SYN, ACK, FIN, RST, PSH, URG, ECE, CWR)", n)
		}
	}
}

// packet.tcp{src, dst, sport, dport, seq, ack, flags, window, urgent, mss, wscale, payload, ttl, ip}
func buildTCP(L *lua.LState) int {
	sp := newSpec(L, "packet.tcp", "src", "dst", "sport", "dport", "seq", "ack", "flags", "window", "urgent", "mss", "wscale", "payload", "ttl", "ip")
	src, dst := sp.addr("src", true), sp.addr("dst", true)
	t := &layers.TCP{
		SrcPort: layers.TCPPort(sp.int("sport", 0, 65535, 0)), DstPort: layers.TCPPort(sp.int("dport", 0, 65535, 0)),
		Seq: uint32(sp.int("seq", 0, 1<<32-1, 0)), Ack: uint32(sp.int("ack", 0, 1<<32-1, 0)),
		Window: uint16(sp.int("window", 0, 65535, 65535)), Urgent: uint16(sp.int("urgent", 0, 65535, 0)),
	}
	sp.tcpFlags(t)
	if mss := sp.int("mss", 0, 65535, -1); mss >= 0 {
		t.Options = append(t.Options, layers.TCPOption{OptionType: layers.TCPOptionKindMSS, OptionLength: 4, OptionData: []byte{byte(mss >> 8), byte(mss)}})
	}
	if ws := sp.int("wscale", 0, 14, -1); ws >= 0 {
		t.Options = append(t.Options, layers.TCPOption{OptionType: layers.TCPOptionKindWindowScale, OptionLength: 3, OptionData: []byte{byte(ws)}})
	}
	payload, _ := sp.str("payload")
	nl := sp.network(src, dst, layers.IPProtocolTCP, sp.int("ttl", 0, 255, 64))
	t.SetNetworkLayerForChecksum(nl)
	L.Push(serialize(L, sp.fn, withIP(sp.bool("ip"), nl, t, gopacket.Payload(payload))...))
	return 1
}

// packet.udp{src, dst, sport, dport, payload, ttl, ip}
func buildUDP(L *lua.LState) int {
	sp := newSpec(L, "packet.udp", "src", "dst", "sport", "dport", "payload", "ttl", "ip")
	src, dst := sp.addr("src", true), sp.addr("dst", true)
	u := &layers.UDP{SrcPort: layers.UDPPort(sp.int("sport", 0, 65535, 0)), DstPort: layers.UDPPort(sp.int("dport", 0, 65535, 0))}
	payload, _ := sp.str("payload")
	if len(payload) > 65535-8 {
		sp.raise("payload", "is %d bytes: a UDP datagram holds at most 65527", len(payload))
	}
	nl := sp.network(src, dst, layers.IPProtocolUDP, sp.int("ttl", 0, 255, 64))
	u.SetNetworkLayerForChecksum(nl)
	L.Push(serialize(L, sp.fn, withIP(sp.bool("ip"), nl, u, gopacket.Payload(payload))...))
	return 1
}

// packet.icmp{type, code, id, seq, payload, src, dst, ttl, ip}: ICMPv4 (an
// echo request by default).
func buildICMP(L *lua.LState) int {
	sp := newSpec(L, "packet.icmp", "type", "code", "id", "seq", "payload", "src", "dst", "ttl", "ip")
	ip := sp.bool("ip")
	src, dst := sp.addr("src", ip), sp.addr("dst", ip)
	if src.Is6() || dst.Is6() {
		L.RaiseError("packet.icmp: builds ICMPv4 only (got an IPv6 address)")
	}
	m := &layers.ICMPv4{
		TypeCode: layers.CreateICMPv4TypeCode(uint8(sp.int("type", 0, 255, layers.ICMPv4TypeEchoRequest)), uint8(sp.int("code", 0, 255, 0))),
		Id:       uint16(sp.int("id", 0, 65535, 0)), Seq: uint16(sp.int("seq", 0, 65535, 0)),
	}
	payload, _ := sp.str("payload")
	var nl gopacket.NetworkLayer
	if ip {
		nl = sp.network(src, dst, layers.IPProtocolICMPv4, sp.int("ttl", 0, 255, 64))
	}
	L.Push(serialize(L, sp.fn, withIP(ip, nl, m, gopacket.Payload(payload))...))
	return 1
}

// ipProtocols are the names packet.ipv4's proto takes.
var ipProtocols = map[string]layers.IPProtocol{"tcp": layers.IPProtocolTCP, "udp": layers.IPProtocolUDP, "icmp": layers.IPProtocolICMPv4}

// packet.ipv4{src, dst, proto, payload, ttl, id, tos, df}: an IPv4 header
// (checksum computed) in front of payload, for IPPROTO_RAW / IP_HDRINCL.
func buildIPv4(L *lua.LState) int {
	sp := newSpec(L, "packet.ipv4", "src", "dst", "proto", "payload", "ttl", "id", "tos", "df")
	src, dst := sp.addr("src", true), sp.addr("dst", true)
	if !src.Is4() || !dst.Is4() {
		L.RaiseError("packet.ipv4: src and dst must be IPv4 addresses (got %s, %s)", src, dst)
	}
	var proto layers.IPProtocol
	switch v := sp.t.RawGetString("proto").(type) {
	case lua.LString:
		p, ok := ipProtocols[strings.ToLower(string(v))]
		if !ok {
			sp.raise("proto", "must be \"tcp\", \"udp\", \"icmp\" or a number, got %q", string(v))
		}
		proto = p
	default:
		proto = layers.IPProtocol(sp.int("proto", 0, 255, 0))
	}
	payload, _ := sp.str("payload")
	if len(payload) > 65535-20 {
		sp.raise("payload", "is %d bytes: an IPv4 packet holds at most 65515", len(payload))
	}
	ip := &layers.IPv4{Version: 4, IHL: 5, TTL: uint8(sp.int("ttl", 0, 255, 64)), Protocol: proto,
		Id: uint16(sp.int("id", 0, 65535, 0)), TOS: uint8(sp.int("tos", 0, 255, 0)),
		SrcIP: net.IP(src.AsSlice()), DstIP: net.IP(dst.AsSlice())}
	if sp.bool("df") {
		ip.Flags = layers.IPv4DontFragment
	}
	L.Push(serialize(L, sp.fn, ip, gopacket.Payload(payload)))
	return 1
}
