package packet

import (
	"fmt"
	"net"
	"strings"

	"github.com/google/gopacket"
	"github.com/google/gopacket/layers"
	lua "github.com/yuin/gopher-lua"
)

// firstLayers are the names packet.decode takes for where the bytes start.
var firstLayers = map[string]gopacket.LayerType{
	"ethernet": layers.LayerTypeEthernet, "ipv4": layers.LayerTypeIPv4, "ipv6": layers.LayerTypeIPv6,
	"tcp": layers.LayerTypeTCP, "udp": layers.LayerTypeUDP, "icmp": layers.LayerTypeICMPv4,
	"icmp6": layers.LayerTypeICMPv6, "dns": layers.LayerTypeDNS,
}

// layerNames are the names of the decoded layers in the result's list.
var layerNames = map[gopacket.LayerType]string{
	layers.LayerTypeEthernet: "ethernet", layers.LayerTypeIPv4: "ipv4", layers.LayerTypeIPv6: "ipv6",
	layers.LayerTypeTCP: "tcp", layers.LayerTypeUDP: "udp", layers.LayerTypeICMPv4: "icmp",
	layers.LayerTypeICMPv6: "icmp6", layers.LayerTypeICMPv6Echo: "icmp6echo", layers.LayerTypeDNS: "dns",
	layers.LayerTypeARP: "arp", layers.LayerTypeDot1Q: "vlan",
}

// decodeError is a failed header: which one, and gopacket's reason.
type decodeError struct {
	layer, reason string
	cut           bool // the header is whole, the packet it announces is not
}

func (e *decodeError) Error() string {
	if e.cut {
		return fmt.Sprintf("truncated %s packet (%s)", e.layer, e.reason)
	}
	return fmt.Sprintf("malformed or truncated %s header (%s)", e.layer, e.reason)
}

// decode decodes data starting at first into a Lua table. A header of a
// link, network or transport layer that does not decode is an error; an
// application payload that is not what its port suggests (port 53 but not
// DNS) stays payload.
func decode(L *lua.LState, data []byte, first gopacket.LayerType) (*lua.LTable, error) {
	pk := gopacket.NewPacket(data, first, gopacket.DecodeOptions{NoCopy: true})
	t := L.NewTable()
	names := L.NewTable()
	t.RawSetString("layers", names)
	var last gopacket.Layer
	for _, l := range pk.Layers() {
		if l.LayerType() == gopacket.LayerTypeDecodeFailure {
			break
		}
		last = l
		if n, ok := layerNames[l.LayerType()]; ok {
			names.Append(lua.LString(n))
		}
		switch v := l.(type) {
		case *layers.Ethernet:
			t.RawSetString("eth", fields(L, "src", v.SrcMAC.String(), "dst", v.DstMAC.String(), "type", int(v.EthernetType)))
		case *layers.IPv4:
			if len(v.Contents) < 20 {
				return nil, &decodeError{layer: "ipv4", reason: "header cut short"}
			}
			if have := len(v.Contents) + len(v.Payload); int(v.Length) > have {
				return nil, &decodeError{"ipv4", fmt.Sprintf("its header says %d bytes, %d given", v.Length, have), true}
			}
			t.RawSetString("ip", fields(L, "version", 4, "src", v.SrcIP.String(), "dst", v.DstIP.String(), "ttl", int(v.TTL),
				"proto", int(v.Protocol), "id", int(v.Id), "len", int(v.Length), "ihl", int(v.IHL), "tos", int(v.TOS),
				"flags", v.Flags.String(), "frag", int(v.FragOffset), "checksum", int(v.Checksum)))
		case *layers.IPv6:
			if len(v.Contents) < 40 {
				return nil, &decodeError{layer: "ipv6", reason: "header cut short"}
			}
			if have := len(v.Payload); int(v.Length) > have {
				return nil, &decodeError{"ipv6", fmt.Sprintf("its header says %d payload bytes, %d given", v.Length, have), true}
			}
			t.RawSetString("ip", fields(L, "version", 6, "src", v.SrcIP.String(), "dst", v.DstIP.String(), "ttl", int(v.HopLimit),
				"proto", int(v.NextHeader), "len", int(v.Length), "flow", int(v.FlowLabel), "tos", int(v.TrafficClass)))
		case *layers.TCP:
			if len(v.Contents) < 20 {
				return nil, &decodeError{layer: "tcp", reason: "header cut short"}
			}
			t.RawSetString("tcp", tcpTable(L, v))
		case *layers.UDP:
			if len(v.Contents) < 8 {
				return nil, &decodeError{layer: "udp", reason: "header cut short"}
			}
			t.RawSetString("udp", fields(L, "sport", int(v.SrcPort), "dport", int(v.DstPort), "len", int(v.Length), "checksum", int(v.Checksum)))
		case *layers.ICMPv4:
			if len(v.Contents) < 8 {
				return nil, &decodeError{layer: "icmp", reason: "header cut short"}
			}
			t.RawSetString("icmp", fields(L, "type", int(v.TypeCode.Type()), "code", int(v.TypeCode.Code()), "name", v.TypeCode.String(),
				"id", int(v.Id), "seq", int(v.Seq), "checksum", int(v.Checksum)))
		case *layers.ICMPv6:
			if len(v.Contents) < 4 {
				return nil, &decodeError{layer: "icmp6", reason: "header cut short"}
			}
			t.RawSetString("icmp", fields(L, "type", int(v.TypeCode.Type()), "code", int(v.TypeCode.Code()), "name", v.TypeCode.String(),
				"checksum", int(v.Checksum)))
		case *layers.ICMPv6Echo:
			if icmp, ok := t.RawGetString("icmp").(*lua.LTable); ok {
				icmp.RawSetString("id", lua.LNumber(v.Identifier))
				icmp.RawSetString("seq", lua.LNumber(v.SeqNumber))
			}
		case *layers.DNS:
			t.RawSetString("dns", dnsTable(L, v))
		}
	}
	if el := pk.ErrorLayer(); el != nil && !isTransport(last) {
		name := "first"
		if last != nil {
			if n, ok := layerNames[last.LayerType()]; ok {
				name = "the header after " + n
			}
		} else if n, ok := layerNames[first]; ok {
			name = n
		}
		return nil, &decodeError{layer: name, reason: el.Error().Error()}
	}
	if last == nil {
		return nil, &decodeError{layer: layerNames[first], reason: "nothing decoded"}
	}
	payload := transportPayload(pk, last)
	t.RawSetString("payload", lua.LString(payload))
	return t, nil
}

// isTransport reports a TCP, UDP or ICMP layer: after it comes the
// application's data, whatever gopacket made of it.
func isTransport(l gopacket.Layer) bool {
	if l == nil {
		return false
	}
	switch l.LayerType() {
	case layers.LayerTypeTCP, layers.LayerTypeUDP, layers.LayerTypeICMPv4, layers.LayerTypeICMPv6, layers.LayerTypeICMPv6Echo, layers.LayerTypeDNS:
		return true
	}
	return false
}

// transportPayload is the bytes after the transport header (a DNS message
// decoded from them is still the payload).
func transportPayload(pk gopacket.Packet, last gopacket.Layer) []byte {
	if tl := pk.TransportLayer(); tl != nil {
		return tl.LayerPayload()
	}
	if l := pk.Layer(layers.LayerTypeICMPv6Echo); l != nil {
		return l.LayerPayload()
	}
	if l := pk.Layer(layers.LayerTypeICMPv4); l != nil {
		return l.LayerPayload()
	}
	if last.LayerType() == layers.LayerTypeDNS {
		return last.LayerContents() // decoded alone ("dns")
	}
	return last.LayerPayload()
}

// fields builds a table from name, value pairs (string, int or bool values).
func fields(L *lua.LState, kv ...any) *lua.LTable {
	t := L.CreateTable(0, len(kv)/2)
	for i := 0; i+1 < len(kv); i += 2 {
		var v lua.LValue
		switch x := kv[i+1].(type) {
		case string:
			v = lua.LString(x)
		case int:
			v = lua.LNumber(x)
		case bool:
			v = lua.LBool(x)
		case lua.LValue:
			v = x
		}
		t.RawSetString(kv[i].(string), v)
	}
	return t
}

func tcpTable(L *lua.LState, v *layers.TCP) *lua.LTable {
	var flags []string
	for _, f := range []struct {
		on   bool
		name string
	}{{v.SYN, "SYN"}, {v.FIN, "FIN"}, {v.RST, "RST"}, {v.PSH, "PSH"}, {v.ACK, "ACK"}, {v.URG, "URG"}, {v.ECE, "ECE"}, {v.CWR, "CWR"}} {
		if f.on {
			flags = append(flags, f.name)
		}
	}
	t := fields(L, "sport", int(v.SrcPort), "dport", int(v.DstPort), "seq", int(v.Seq), "ack", int(v.Ack),
		"flags", strings.Join(flags, ","), "window", int(v.Window), "checksum", int(v.Checksum), "urgent", int(v.Urgent),
		"offset", int(v.DataOffset))
	flag := L.NewTable()
	for _, f := range flags {
		flag.RawSetString(f, lua.LTrue)
	}
	t.RawSetString("flag", flag)
	opts := L.NewTable()
	for _, o := range v.Options {
		switch {
		case o.OptionType == layers.TCPOptionKindMSS && len(o.OptionData) == 2:
			opts.RawSetString("mss", lua.LNumber(int(o.OptionData[0])<<8|int(o.OptionData[1])))
		case o.OptionType == layers.TCPOptionKindWindowScale && len(o.OptionData) == 1:
			opts.RawSetString("wscale", lua.LNumber(o.OptionData[0]))
		case o.OptionType == layers.TCPOptionKindSACKPermitted:
			opts.RawSetString("sack_permitted", lua.LTrue)
		case o.OptionType == layers.TCPOptionKindTimestamps && len(o.OptionData) == 8:
			d := o.OptionData
			opts.RawSetString("tsval", lua.LNumber(uint32(d[0])<<24|uint32(d[1])<<16|uint32(d[2])<<8|uint32(d[3])))
			opts.RawSetString("tsecr", lua.LNumber(uint32(d[4])<<24|uint32(d[5])<<16|uint32(d[6])<<8|uint32(d[7])))
		}
	}
	t.RawSetString("options", opts)
	return t
}

func dnsTable(L *lua.LState, d *layers.DNS) *lua.LTable {
	t := fields(L, "id", int(d.ID), "qr", d.QR, "opcode", d.OpCode.String(), "rcode", d.ResponseCode.String(),
		"aa", d.AA, "tc", d.TC, "rd", d.RD, "ra", d.RA)
	qs := L.NewTable()
	for _, q := range d.Questions {
		qs.Append(fields(L, "name", string(q.Name), "type", q.Type.String(), "class", q.Class.String()))
	}
	t.RawSetString("questions", qs)
	for name, rrs := range map[string][]layers.DNSResourceRecord{"answers": d.Answers, "authorities": d.Authorities, "additionals": d.Additionals} {
		list := L.NewTable()
		for _, rr := range rrs {
			list.Append(rrTable(L, rr))
		}
		t.RawSetString(name, list)
	}
	return t
}

func rrTable(L *lua.LState, rr layers.DNSResourceRecord) *lua.LTable {
	t := fields(L, "name", string(rr.Name), "type", rr.Type.String(), "class", rr.Class.String(), "ttl", int(rr.TTL))
	var data string
	switch {
	case rr.IP != nil:
		data = net.IP(rr.IP).String()
	case rr.CNAME != nil:
		data = string(rr.CNAME)
	case rr.NS != nil:
		data = string(rr.NS)
	case rr.PTR != nil:
		data = string(rr.PTR)
	case rr.Type == layers.DNSTypeMX:
		data = string(rr.MX.Name)
		t.RawSetString("preference", lua.LNumber(rr.MX.Preference))
	case len(rr.TXTs) > 0:
		parts := make([]string, len(rr.TXTs))
		for i, p := range rr.TXTs {
			parts[i] = string(p)
		}
		data = strings.Join(parts, "")
	default:
		data = string(rr.Data)
	}
	t.RawSetString("data", lua.LString(data))
	return t
}
