package pcapsynth

import (
	"bytes"
	"context"
	"encoding/hex"
	"fmt"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/gopacket"
	"github.com/google/gopacket/layers"
	"github.com/google/gopacket/pcapgo"
	"golang.org/x/sys/unix"

	"nsh/netcore"
)

var lo4 = netip.MustParseAddr("127.0.0.1")

// conversation runs, on real loopback sockets traced by tr, a TCP exchange
// (connect, "hello\n" and its echo, a payload bigger than one segment, the
// client's shutdown, the server's close) and a UDP datagram and its reply.
// It returns the big payload.
func conversation(t *testing.T, tr netcore.Tracer, traceServer bool) []byte {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	tb := netcore.NewTable()
	defer tb.CloseAll()
	ln, _ := tb.Open(unix.AF_INET, unix.SOCK_STREAM, 0)
	if traceServer {
		ln.SetTracer(tr)
	}
	if err := ln.Bind(ctx, netcore.IPAddr(lo4, 0)); err != nil {
		t.Fatal(err)
	}
	ln.Listen(1)
	la, _ := ln.LocalAddr()
	big := bytes.Repeat([]byte("0123456789abcdef"), 10000) // 160,000 bytes: three segments
	srvDone := make(chan error, 1)
	go func() {
		s, _, err := ln.Accept(ctx)
		if err != nil {
			srvDone <- err
			return
		}
		line, err := s.RecvLine(ctx, 0)
		if err == nil {
			_, err = s.SendAll(ctx, append(bytes.ToUpper(line), '\n'))
		}
		if err == nil {
			_, err = s.RecvExactly(ctx, len(big))
		}
		if err == nil {
			var n int
			n, err = s.Recv(ctx, make([]byte, 10))
			if n != 0 {
				err = fmt.Errorf("recv after the client's shutdown: %d bytes", n)
			}
		}
		s.Close()
		srvDone <- err
	}()
	c, _ := tb.Open(unix.AF_INET, unix.SOCK_STREAM, 0)
	c.SetTracer(tr)
	if err := c.Connect(ctx, la); err != nil {
		t.Fatal(err)
	}
	c.SendAll(ctx, []byte("hello\n"))
	// A layer above netcore (TLS) reports its plaintext under its own Op:
	// it is no TCP payload.
	c.Trace(&netcore.TraceEvent{Op: "tls-send", Data: []byte("plain"), N: 5})
	c.Trace(&netcore.TraceEvent{Op: "tls-recv", Data: []byte("plain"), N: 5})
	if got, err := c.RecvLine(ctx, 0); err != nil || string(got) != "HELLO" {
		t.Fatalf("echo %q %v", got, err)
	}
	c.SendAll(ctx, big)
	c.Shutdown(unix.SHUT_WR)
	if err := <-srvDone; err != nil {
		t.Fatal(err)
	}
	if n, err := c.Recv(ctx, make([]byte, 10)); n != 0 || err != nil {
		t.Fatalf("recv at the end: %d %v", n, err)
	}
	c.Close()

	u1, _ := tb.Open(unix.AF_INET, unix.SOCK_DGRAM, 0)
	u2, _ := tb.Open(unix.AF_INET, unix.SOCK_DGRAM, 0)
	u1.SetTracer(tr)
	if traceServer {
		u2.SetTracer(tr)
	}
	u2.Bind(ctx, netcore.IPAddr(lo4, 0))
	ua, _ := u2.LocalAddr()
	u1.SendTo(ctx, []byte("ping"), ua)
	buf := make([]byte, 64)
	n, from, _, err := u2.RecvFrom(ctx, buf)
	if err != nil || string(buf[:n]) != "ping" {
		t.Fatalf("udp %q %v", buf[:n], err)
	}
	u2.SendTo(ctx, []byte("pong"), from)
	u1.RecvFrom(ctx, buf)
	return big
}

// packet is what the tests check of one synthesised frame.
type packet struct {
	flags    string
	src, dst string
	seq, ack uint32
	payload  []byte
	udp      bool
}

func readBack(t *testing.T, path string) []packet {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r, err := pcapgo.NewNgReader(f, pcapgo.DefaultNgReaderOptions)
	if err != nil {
		t.Fatal(err)
	}
	var out []packet
	for {
		data, _, err := r.ReadPacketData()
		if err != nil {
			break
		}
		p := gopacket.NewPacket(data, layers.LayerTypeEthernet, gopacket.Default)
		if el := p.ErrorLayer(); el != nil {
			t.Fatalf("packet %d does not decode: %v", len(out)+1, el.Error())
		}
		ip := p.Layer(layers.LayerTypeIPv4).(*layers.IPv4)
		var pk packet
		switch l := p.TransportLayer().(type) {
		case *layers.TCP:
			for _, f := range []struct {
				on   bool
				name string
			}{{l.SYN, "S"}, {l.FIN, "F"}, {l.RST, "R"}, {l.PSH, "P"}, {l.ACK, "."}} {
				if f.on {
					pk.flags += f.name
				}
			}
			pk.src, pk.dst = fmt.Sprintf("%v:%d", ip.SrcIP, l.SrcPort), fmt.Sprintf("%v:%d", ip.DstIP, l.DstPort)
			pk.seq, pk.ack, pk.payload = l.Seq, l.Ack, l.Payload
		case *layers.UDP:
			pk.udp = true
			pk.src, pk.dst = fmt.Sprintf("%v:%d", ip.SrcIP, l.SrcPort), fmt.Sprintf("%v:%d", ip.DstIP, l.DstPort)
			pk.payload = l.Payload
		}
		out = append(out, pk)
	}
	return out
}

// TestSynthConversation: the frames decode; the TCP conversation is the
// handshake, the data with its ACKs, the FINs, with sequence and ACK
// numbers that follow one another; each byte is written once even when both
// ends are traced; the UDP datagrams are there.
func TestSynthConversation(t *testing.T) {
	for _, both := range []bool{false, true} {
		t.Run(fmt.Sprintf("server traced %v", both), func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "trace.pcapng")
			f, err := os.Create(path)
			if err != nil {
				t.Fatal(err)
			}
			w, err := NewSynthWriter(f)
			if err != nil {
				t.Fatal(err)
			}
			big := conversation(t, w, both)
			if err := w.Close(); err != nil {
				t.Fatal(err)
			}
			f.Close()
			pks := readBack(t, path)
			var flags []string
			var stream [2][]byte
			var client string
			next := map[string]uint32{}
			for i, p := range pks {
				if p.udp {
					continue
				}
				flags = append(flags, p.flags)
				if client == "" {
					client = p.src
				}
				d := 0
				if p.src != client {
					d = 1
				}
				stream[d] = append(stream[d], p.payload...)
				if want, ok := next[p.src]; ok && p.seq != want && !strings.Contains(p.flags, "R") {
					t.Errorf("packet %d %s %s: seq %d, want %d", i+1, p.src, p.flags, p.seq, want)
				}
				adv := uint32(len(p.payload))
				if strings.ContainsAny(p.flags, "SF") {
					adv++
				}
				next[p.src] = p.seq + adv
				if strings.Contains(p.flags, ".") && p.seq != 0 {
					if want, ok := next[p.dst]; ok && p.ack != want {
						t.Errorf("packet %d %s: ack %d, want %d", i+1, p.flags, p.ack, want)
					}
				}
			}
			// The segments are the calls' pieces: when both ends are traced,
			// the receiver's reads may cut the stream where the sends did not.
			got := strings.Join(flags, " ")
			if !regexp.MustCompile(`^S S\. \.( P\. \.){5,} F\. \. F\. \.$`).MatchString(got) {
				t.Errorf("TCP flags: %s", got)
			}
			if string(stream[0]) != "hello\n"+string(big) || string(stream[1]) != "HELLO\n" {
				t.Errorf("stream bytes: client sent %d, server sent %q", len(stream[0]), stream[1])
			}
			var udp []string
			for _, p := range pks {
				if p.udp {
					udp = append(udp, string(p.payload))
				}
			}
			if strings.Join(udp, " ") != "ping pong" {
				t.Errorf("UDP payloads %q", udp)
			}
		})
	}
}

// TestSynthTshark: tshark reads the file, finds no malformed packet or bad
// checksum, and shows the same payload bytes in order.
func TestSynthTshark(t *testing.T) {
	tshark, err := exec.LookPath("tshark")
	if err != nil {
		t.Skip("tshark is not installed (Debian package tshark): the file is not checked with it")
	}
	path := filepath.Join(t.TempDir(), "trace.pcapng")
	f, _ := os.Create(path)
	w, err := NewSynthWriter(f)
	if err != nil {
		t.Fatal(err)
	}
	big := conversation(t, w, true)
	w.Close()
	f.Close()
	cmd := exec.Command(tshark, "-r", path, "-o", "tcp.check_checksum:TRUE", "-o", "ip.check_checksum:TRUE",
		"-o", "udp.check_checksum:TRUE", "-o", "tcp.analyze_sequence_numbers:TRUE",
		"-T", "fields", "-e", "frame.protocols", "-e", "tcp.flags.str", "-e", "tcp.payload", "-e", "udp.payload",
		"-e", "_ws.expert.message")
	cmd.Env = append(os.Environ(), "HOME="+t.TempDir())
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("tshark: %v\n%s", err, stderr.Bytes())
	}
	var tcpBytes, udpBytes []byte
	for i, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		cols := strings.Split(line, "\t")
		if len(cols) < 4 {
			t.Fatalf("tshark line %d: %q", i+1, line)
		}
		cols = append(cols, "") // tshark leaves out an empty last field
		if cols[4] != "" && !strings.Contains(cols[4], "Connection establish") &&
			!strings.Contains(cols[4], "Connection finish") {
			t.Errorf("tshark finds in frame %d: %s", i+1, cols[4])
		}
		for j, dst := range []*[]byte{&tcpBytes, &udpBytes} {
			b, err := hex.DecodeString(strings.ReplaceAll(cols[2+j], ":", ""))
			if err != nil {
				t.Fatalf("tshark payload %q: %v", cols[2+j], err)
			}
			*dst = append(*dst, b...)
		}
	}
	if want := "hello\nHELLO\n" + string(big); string(tcpBytes) != want {
		t.Errorf("tshark's TCP payload: %d bytes, want %d", len(tcpBytes), len(want))
	}
	if string(udpBytes) != "pingpong" {
		t.Errorf("tshark's UDP payload %q", udpBytes)
	}
}
