// Package packet is the packet plugin: decode captured or raw-socket bytes
// into tables of layers, and build TCP, UDP, ICMP and IPv4 packets with
// correct checksums for SOCK_RAW, both with gopacket's layers.
package packet

import (
	lua "github.com/yuin/gopher-lua"

	"nsh/plugins"
)

func init() {
	plugins.Register(plugins.Plugin{
		Name:    "packet",
		Version: "1.0.0",
		Summary: "decode packets into tables of layers, build TCP/UDP/ICMP/IPv4 packets for raw sockets (gopacket)",
		Open:    Open,
		Global:  true,
		Help:    help,
	})
}

// Open builds the packet module table.
func Open(L *lua.LState, _ plugins.Host) *lua.LTable {
	return L.SetFuncs(L.NewTable(), map[string]lua.LGFunction{
		"decode": decodeFn,
		"tcp":    buildTCP,
		"udp":    buildUDP,
		"icmp":   buildICMP,
		"ipv4":   buildIPv4,
	})
}

var help = []plugins.Help{
	{Name: "packet.decode", Signature: `packet.decode(bytes[, first]) -> {layers=, eth=, ip=, tcp=|udp=|icmp=, dns=, payload=}`,
		Summary: `decode bytes starting at first ("ethernet" default, "ip", "ipv4", "ipv6", "tcp", "udp", "icmp", "icmp6", "dns"); a bad header raises`,
		Example: "local p = packet.decode(data, \"ip\")  -- what a raw socket's recvfrom returns\nprint(p.ip.src, p.icmp and p.icmp.type)"},
	{Name: "packet.tcp", Signature: "packet.tcp{src=, dst=, sport=, dport=[, seq=, ack=, flags=, window=, mss=, wscale=, payload=, ip=]} -> bytes",
		Summary: "a TCP segment with its checksum (src/dst are for the pseudo-header); ip=true puts the IP header in front",
		Example: `local syn = packet.tcp{src="127.0.0.1", dst="127.0.0.1", sport=40000, dport=8080, seq=1, flags="SYN", mss=1460}`},
	{Name: "packet.udp", Signature: "packet.udp{src=, dst=, sport=, dport=[, payload=, ip=]} -> bytes",
		Summary: "a UDP datagram with its checksum; ip=true puts the IP header in front (for IPPROTO_RAW)",
		Example: `local d = packet.udp{src="127.0.0.1", dst="127.0.0.1", sport=5000, dport=9999, payload="hello"}`},
	{Name: "packet.icmp", Signature: "packet.icmp{[type=8, code=0, id=, seq=, payload=, ip=, src=, dst=]} -> bytes",
		Summary: "an ICMPv4 message (an echo request by default) with its checksum; ip=true (with src, dst) adds the IPv4 header",
		Example: `local ping = packet.icmp{id=7, seq=1, payload="nsh"}`},
	{Name: "packet.ipv4", Signature: "packet.ipv4{src=, dst=, proto=[, payload=, ttl=64, id=, tos=, df=]} -> bytes",
		Summary: `an IPv4 header with its checksum in front of payload; proto "tcp", "udp", "icmp" or a number`,
		Example: `local pkt = packet.ipv4{src="127.0.0.1", dst="127.0.0.1", proto="icmp", payload=packet.icmp{id=1}}`},
}
