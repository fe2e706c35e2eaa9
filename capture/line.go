package capture

import (
	"fmt"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/google/gopacket/layers"
)

// Formatter turns decoded packets into one line each. It follows every TCP
// connection it is shown, as tshark does, to print sequence and
// acknowledgement numbers relative to each side's first (SYN) number, the
// window scaled by the factor the SYNs agreed, and retransmissions. Packets
// must be given in the order they were captured; it is not safe for
// concurrent use.
type Formatter struct {
	// Style colours a part of the line ("dim", "key", "string", "warn",
	// "error", "addr"); nil leaves it plain.
	Style  func(kind, s string) string
	halves map[halfKey]*half
}

// halfKey names one direction of a TCP connection.
type halfKey struct{ src, dst netip.AddrPort }

// half is what is known of one direction of a connection.
type half struct {
	base   uint32 // its first sequence number (the SYN's)
	next   uint32 // the highest sequence number sent so far, plus one
	wscale int    // the window scale it announced in its SYN, -1 for none
}

// maxPayloadShown is how many bytes of a payload a line quotes.
const maxPayloadShown = 40

// maxHalves bounds the connections followed; past it the state starts over.
const maxHalves = 4096

func (f *Formatter) style(kind, s string) string {
	if f.Style == nil {
		return s
	}
	return f.Style(kind, s)
}

// Line formats p, captured at ts, without a newline.
func (f *Formatter) Line(p *Packet, ts time.Time) string {
	var b strings.Builder
	b.WriteString(f.style("dim", ts.Format("15:04:05.000000")))
	b.WriteByte(' ')
	switch {
	case p.TCP != nil:
		f.tcpLine(&b, p)
	case p.UDP != nil:
		b.WriteString("udp ")
		b.WriteString(f.style("addr", endpoints(p)))
		b.WriteByte(' ')
		b.WriteString(f.payload(p.Payload))
	default:
		f.icmpLine(&b, p)
	}
	return b.String()
}

// endpoints is "src -> dst" with ports for TCP and UDP.
func endpoints(p *Packet) string {
	sp, dp := p.Ports()
	if p.TCP == nil && p.UDP == nil {
		return p.Src.String() + " -> " + p.Dst.String()
	}
	return netip.AddrPortFrom(p.Src, sp).String() + " -> " + netip.AddrPortFrom(p.Dst, dp).String()
}

// payload is `5 bytes "hello"`, the quote cut at maxPayloadShown bytes.
func (f *Formatter) payload(data []byte) string {
	n := len(data)
	unit := " bytes"
	if n == 1 {
		unit = " byte"
	}
	if n == 0 {
		return "0 bytes"
	}
	shown, more := data, ""
	if len(shown) > maxPayloadShown {
		shown, more = shown[:maxPayloadShown], "..."
	}
	return strconv.Itoa(n) + unit + " " + f.style("string", strconv.Quote(string(shown))+more)
}

// tcpFlags is the word for a segment: SYN, SYN-ACK, ACK, FIN, RST, RST-ACK,
// then PSH (or DATA without the push flag) with the payload.
func tcpFlags(t *layers.TCP, n int) []string {
	var w []string
	switch {
	case t.SYN && t.ACK:
		w = append(w, "SYN-ACK")
	case t.SYN:
		w = append(w, "SYN")
	case t.RST && t.ACK:
		w = append(w, "RST-ACK")
	case t.RST:
		w = append(w, "RST")
	case t.FIN:
		w = append(w, "FIN")
	case n == 0:
		w = append(w, "ACK")
	}
	if n > 0 {
		if t.PSH {
			w = append(w, "PSH")
		} else {
			w = append(w, "DATA")
		}
	}
	return w
}

func (f *Formatter) tcpLine(b *strings.Builder, p *Packet) {
	t := p.TCP
	n := len(p.Payload)
	key := halfKey{netip.AddrPortFrom(p.Src, uint16(t.SrcPort)), netip.AddrPortFrom(p.Dst, uint16(t.DstPort))}
	me, peer := f.follow(key, t, n)
	words := tcpFlags(t, n)
	kind := "key"
	if t.RST {
		kind = "error"
	}
	b.WriteString("tcp ")
	b.WriteString(f.style("addr", endpoints(p)))
	b.WriteByte(' ')
	b.WriteString(f.style(kind, strings.Join(words, " ")))
	if n > 0 {
		b.WriteByte(' ')
		b.WriteString(f.payload(p.Payload))
	}
	fmt.Fprintf(b, " seq=%d", t.Seq-me.base)
	if t.ACK {
		if peer != nil {
			fmt.Fprintf(b, " ack=%d", t.Ack-peer.base)
		} else {
			fmt.Fprintf(b, " ack=%d", t.Ack)
		}
	}
	win := int(t.Window)
	if !t.SYN && peer != nil && me.wscale >= 0 && peer.wscale >= 0 {
		win <<= me.wscale
	}
	fmt.Fprintf(b, " win=%d", win)
	if mss := optionMSS(t); mss > 0 {
		fmt.Fprintf(b, " mss=%d", mss)
	}
	if note := f.retransmission(me, t, n); note != "" {
		b.WriteString(" " + f.style("warn", note))
	}
}

// follow returns this direction's state (created, or started over by a new
// SYN) and the other direction's, nil when not seen yet.
func (f *Formatter) follow(key halfKey, t *layers.TCP, n int) (me, peer *half) {
	if f.halves == nil || len(f.halves) >= maxHalves {
		f.halves = map[halfKey]*half{}
	}
	me = f.halves[key]
	if me == nil || t.SYN && t.Seq != me.base {
		me = &half{base: t.Seq, next: t.Seq, wscale: -1}
		if t.SYN {
			me.wscale = optionWScale(t)
		}
		f.halves[key] = me
	}
	return me, f.halves[halfKey{key.dst, key.src}]
}

// retransmission names a segment that sends again what this direction has
// sent already, and advances what it has sent. A pure ACK never is one.
func (f *Formatter) retransmission(me *half, t *layers.TCP, n int) string {
	length := uint32(n)
	if t.SYN {
		length++
	}
	if t.FIN {
		length++
	}
	end := t.Seq + length
	note := ""
	switch {
	case n <= 1 && !t.SYN && !t.FIN && !t.RST && t.Seq+1 == me.next && me.next != me.base:
		note = "(keep-alive)"
	case length == 0:
	case int32(end-me.next) <= 0 && me.next != me.base:
		note = "(retransmission)"
	}
	if int32(end-me.next) > 0 {
		me.next = end
	}
	return note
}

func optionMSS(t *layers.TCP) int {
	for _, o := range t.Options {
		if o.OptionType == layers.TCPOptionKindMSS && len(o.OptionData) == 2 {
			return int(o.OptionData[0])<<8 | int(o.OptionData[1])
		}
	}
	return 0
}

func optionWScale(t *layers.TCP) int {
	for _, o := range t.Options {
		if o.OptionType == layers.TCPOptionKindWindowScale && len(o.OptionData) == 1 {
			return int(o.OptionData[0])
		}
	}
	return -1
}

func (f *Formatter) icmpLine(b *strings.Builder, p *Packet) {
	name := "icmp "
	what := ""
	if p.ICMPv4 != nil {
		what = icmpName(p.ICMPv4.TypeCode.String())
	} else {
		name = "icmp6 "
		what = icmpName(p.ICMPv6.TypeCode.String())
	}
	b.WriteString(name)
	b.WriteString(f.style("addr", endpoints(p)))
	b.WriteByte(' ')
	b.WriteString(f.style("key", what))
	if p.Echo {
		fmt.Fprintf(b, " id=%d seq=%d %s", p.EchoID, p.EchoSeq, f.payload(p.Payload))
	}
	if q := p.Quoted; q != nil && (q.TCP != nil || q.UDP != nil) {
		proto := "udp"
		if q.TCP != nil {
			proto = "tcp"
		}
		b.WriteString(" (" + proto + " " + endpoints(q) + ")")
	}
}

// icmpName turns gopacket's "DestinationUnreachable(Port)" into
// "destination unreachable (port)" and "EchoRequest" into "echo request".
func icmpName(s string) string {
	var b strings.Builder
	for i, r := range s {
		switch {
		case r == '(':
			b.WriteString(" (")
		case r >= 'A' && r <= 'Z':
			if i > 0 && s[i-1] != '(' {
				b.WriteByte(' ')
			}
			b.WriteRune(r + 'a' - 'A')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
