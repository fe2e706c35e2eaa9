package pcapsynth

import (
	"bytes"
	"context"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/gopacket"
	"github.com/google/gopacket/layers"
	"github.com/google/gopacket/pcapgo"
	"golang.org/x/sys/unix"

	"nsh/netcore"
)

// TestSynthRefusedAndReset: a refused connect is SYN then RST-ACK; a close
// with unread data is an RST.
func TestSynthRefusedAndReset(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	path := filepath.Join(t.TempDir(), "r.pcapng")
	f, _ := os.Create(path)
	w, _ := NewSynthWriter(f)
	tb := netcore.NewTable()
	defer tb.CloseAll()
	tb.SetTracer(w)
	ln, _ := tb.Open(unix.AF_INET, unix.SOCK_STREAM, 0)
	ln.Bind(ctx, netcore.IPAddr(lo4, 0))
	la, _ := ln.LocalAddr()
	c, _ := tb.Open(unix.AF_INET, unix.SOCK_STREAM, 0)
	if err := c.Connect(ctx, la); err == nil {
		t.Fatal("connect to a socket that does not listen worked")
	}
	ln.Listen(1)
	c2, _ := tb.Open(unix.AF_INET, unix.SOCK_STREAM, 0)
	c2.Connect(ctx, la)
	s, _, _ := ln.Accept(ctx)
	c2.SendAll(ctx, []byte("unread"))
	s.WaitReadable(ctx)
	s.Close()
	c2.Recv(ctx, make([]byte, 10))
	w.Close()
	f.Close()
	var flags []string
	for _, p := range readBack(t, path) {
		flags = append(flags, p.flags)
	}
	if got := strings.Join(flags, " "); got != "S R. S S. . P. . R." {
		t.Errorf("flags %s", got)
	}
}

// TestSynthWriteErrors: a full disk stops the writer once and reports it;
// a truncated file (the session killed) still reads up to its last packet.
func TestSynthWriteErrors(t *testing.T) {
	full, err := os.OpenFile("/dev/full", os.O_WRONLY, 0)
	if err != nil {
		t.Skipf("no /dev/full: %v", err)
	}
	defer full.Close()
	if _, err := NewSynthWriter(full); err == nil {
		t.Error("NewSynthWriter on /dev/full: no error")
	}
	var buf limited
	buf.max = 2000
	w, err := NewSynthWriter(&buf)
	if err != nil {
		t.Fatal(err)
	}
	reports := 0
	w.OnError(func(error) { reports++ })
	conversation(t, w, false)
	if w.Err() == nil || reports != 1 {
		t.Errorf("after the disk filled: err %v, %d reports", w.Err(), reports)
	}
	path := filepath.Join(t.TempDir(), "cut.pcapng")
	os.WriteFile(path, buf.b.Bytes(), 0o644)
	if pks := readBack(t, path); len(pks) == 0 || len(pks) != w.Packets() {
		t.Errorf("the cut file has %d packets, the writer wrote %d", len(pks), w.Packets())
	}
}

// TestSynthIPv6AndSendfile: an IPv6 conversation whose client sends a file
// with sendfile(2) decodes as IPv6/TCP with the file's bytes, read back in
// pieces from the file.
func TestSynthIPv6AndSendfile(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	dir := t.TempDir()
	src := filepath.Join(dir, "src.bin")
	content := bytes.Repeat([]byte("sendfile!"), 300000) // 2.7 MB: three 1 MiB reads
	os.WriteFile(src, content, 0o644)
	path := filepath.Join(dir, "v6.pcapng")
	f, _ := os.Create(path)
	w, _ := NewSynthWriter(f)
	tb := netcore.NewTable()
	defer tb.CloseAll()
	ln, _ := tb.Open(unix.AF_INET6, unix.SOCK_STREAM, 0)
	if err := ln.Bind(ctx, netcore.IPAddr(netip.IPv6Loopback(), 0)); err != nil {
		t.Skipf("no IPv6 loopback: %v", err)
	}
	ln.Listen(1)
	la, _ := ln.LocalAddr()
	c, _ := tb.Open(unix.AF_INET6, unix.SOCK_STREAM, 0)
	c.SetTracer(w)
	if err := c.Connect(ctx, la); err != nil {
		t.Fatal(err)
	}
	s, _, _ := ln.Accept(ctx)
	got := make(chan []byte, 1)
	go func() { b, _ := s.RecvExactly(ctx, len(content)); got <- b }()
	in, _ := os.Open(src)
	defer in.Close()
	if n, err := c.SendFile(ctx, in, 0, -1); err != nil || n != int64(len(content)) {
		t.Fatalf("sendfile %d %v", n, err)
	}
	<-got
	c.Close()
	w.Close()
	f.Close()
	rf, _ := os.Open(path)
	defer rf.Close()
	r, err := pcapgo.NewNgReader(rf, pcapgo.DefaultNgReaderOptions)
	if err != nil {
		t.Fatal(err)
	}
	var payload []byte
	frames := 0
	for {
		data, _, err := r.ReadPacketData()
		if err != nil {
			break
		}
		frames++
		p := gopacket.NewPacket(data, layers.LayerTypeEthernet, gopacket.Default)
		ip6, _ := p.Layer(layers.LayerTypeIPv6).(*layers.IPv6)
		tcp, _ := p.Layer(layers.LayerTypeTCP).(*layers.TCP)
		if ip6 == nil || tcp == nil || !ip6.SrcIP.IsLoopback() || p.ErrorLayer() != nil {
			t.Fatalf("frame %d is not IPv6/TCP on ::1: %v", frames, p)
		}
		payload = append(payload, tcp.Payload...)
	}
	if !bytes.Equal(payload, content) {
		t.Errorf("the frames carry %d bytes, the file has %d", len(payload), len(content))
	}
}

// limited takes whole writes up to max bytes, then fails with ENOSPC.
type limited struct {
	b   bytes.Buffer
	max int
}

func (l *limited) Write(p []byte) (int, error) {
	if l.b.Len()+len(p) > l.max {
		return 0, unix.ENOSPC
	}
	return l.b.Write(p)
}
