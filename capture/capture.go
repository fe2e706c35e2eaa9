package capture

import (
	"errors"
	"fmt"
	"io"
	"net/netip"
	"os"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Options say what to capture and where it goes.
type Options struct {
	// Ports, when given, are the only TCP/UDP ports shown (either end), with
	// the ICMP errors quoting them and ICMP echoes of those identifiers.
	Ports []int
	// Source, used when Ports is empty, returns the session's sockets'
	// endpoints now (netcore.Table.Endpoints): a packet that matches none is
	// held until Source is asked again after it arrived, so the first SYN of
	// a socket created meanwhile is kept and foreign packets are dropped
	// (another process's connection that shares a local port included).
	Source func() []Endpoint
	// File, when set, is the pcapng file the packets are written to.
	File string
	// Lines, when set, receives one decoded line per packet.
	Lines io.Writer
	// Style colours the lines (see Formatter.Style).
	Style func(kind, s string) string
	// Errors, when set, receives the one line telling that the file could
	// not be written (the capture goes on without it).
	Errors io.Writer
	// Label, when set, names what is captured in String ("socket 4").
	Label string
	// Owner, when set, groups captures for StopOwned (a session passes its
	// socket table, so that closing the session completes their files).
	Owner any
}

// Capture is a running capture; Stop ends it.
type Capture struct {
	opts     Options
	sock     *packetSocket
	file     *ngFile
	fmt      Formatter
	known    []int // sorted: Options.Ports
	eps      epIndex
	pending  []held
	heldPort map[uint16]bool // the ports of the held packets
	peek     *peeker
	last     time.Time // when Source was last asked
	done     chan struct{}
	stop     sync.Once
	ending   atomic.Int64 // Stop's time plus drainFor, in Unix nanoseconds; 0 while running

	mu      sync.Mutex
	count   int
	err     error
	stopErr error
}

// held is a packet waiting for the next look at the session's sockets.
type held struct {
	fr frame
	p  *Packet
}

// refreshEvery bounds how often Source is asked while foreign packets
// arrive; a held packet waits at most this long.
const refreshEvery = 2 * time.Millisecond

// maxHeld bounds the packets held between two looks at the ports.
const maxHeld = 1024

// drainFor is how long Stop keeps reading the packets already queued (the
// FIN of a socket closed just before, the last ACK).
const drainFor = 20 * time.Millisecond

// Start opens the packet socket (and the file) and starts the capture.
// Without the privilege the error wraps ErrNoPrivilege.
func Start(o Options) (*Capture, error) {
	if len(o.Ports) == 0 && o.Source == nil {
		return nil, errors.New("capture: no ports and no source of ports")
	}
	for _, p := range o.Ports {
		if p <= 0 || p > 65535 {
			return nil, fmt.Errorf("capture: port %d is not from 1 to 65535", p)
		}
	}
	sock, err := openPacketSocket(ownNamespace())
	if err != nil {
		return nil, fmt.Errorf("capture: %w", err)
	}
	c := &Capture{opts: o, sock: sock, done: make(chan struct{}), heldPort: map[uint16]bool{}, peek: newPeeker()}
	c.fmt.Style = o.Style
	if o.File != "" {
		if c.file, err = createNgFile(o.File, sock.lo); err != nil {
			sock.close()
			return nil, err
		}
	}
	c.known = slices.Clone(o.Ports)
	slices.Sort(c.known)
	if len(o.Ports) == 0 {
		c.refresh()
	}
	own(o.Owner, c, true)
	go c.loop()
	return c, nil
}

var owned = struct {
	sync.Mutex
	m map[any]map[*Capture]bool
}{m: map[any]map[*Capture]bool{}}

func own(owner any, c *Capture, on bool) {
	if owner == nil {
		return
	}
	owned.Lock()
	defer owned.Unlock()
	if on {
		if owned.m[owner] == nil {
			owned.m[owner] = map[*Capture]bool{}
		}
		owned.m[owner][c] = true
		return
	}
	delete(owned.m[owner], c)
	if len(owned.m[owner]) == 0 {
		delete(owned.m, owner)
	}
}

// StopAll stops every running capture (the process is exiting at once) and
// returns how many.
func StopAll() int {
	owned.Lock()
	var owners []any
	for o := range owned.m {
		owners = append(owners, o)
	}
	owned.Unlock()
	n := 0
	for _, o := range owners {
		n += StopOwned(o)
	}
	return n
}

// StopOwned stops every running capture of owner and returns how many.
func StopOwned(owner any) int {
	owned.Lock()
	var cs []*Capture
	for c := range owned.m[owner] {
		cs = append(cs, c)
	}
	owned.Unlock()
	for _, c := range cs {
		c.Stop()
	}
	return len(cs)
}

// Stop ends the capture, completes the file and returns the first error of
// the capture or the file. Calling it again returns the same.
func (c *Capture) Stop() error {
	c.stop.Do(func() {
		// Read what is queued for drainFor more, then close (which also
		// wakes a read whose deadline the loop set meanwhile).
		end := time.Now().Add(drainFor)
		c.ending.Store(end.UnixNano())
		c.sock.f.SetReadDeadline(end)
		select {
		case <-c.done:
		case <-time.After(5 * drainFor):
		}
		c.sock.close()
		<-c.done
		own(c.opts.Owner, c, false)
		var err error
		if c.file != nil {
			err = c.file.close()
		}
		c.mu.Lock()
		if c.err == nil {
			c.err = err
		}
		c.stopErr = c.err
		c.mu.Unlock()
	})
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.stopErr
}

// String is "capture (ports 8080, 12 packets, file x.pcapng)", with
// ", stopped" once stopped.
func (c *Capture) String() string {
	var parts []string
	if c.opts.Label != "" {
		parts = append(parts, c.opts.Label)
	} else if ps := c.Ports(); len(ps) > 0 {
		s := make([]string, len(ps))
		for i, p := range ps {
			s[i] = fmt.Sprint(p)
		}
		parts = append(parts, "ports "+strings.Join(s, ","))
	} else {
		parts = append(parts, "the session's sockets")
	}
	parts = append(parts, fmt.Sprintf("%d packets", c.Count()))
	if f := c.File(); f != "" {
		parts = append(parts, "file "+f)
	}
	if c.Stopped() {
		parts = append(parts, "stopped")
	}
	return "capture (" + strings.Join(parts, ", ") + ")"
}

// Wait waits until the capture has ended (stopped, or failed reading).
func (c *Capture) Wait() { <-c.done }

// Stopped reports whether Stop was called.
func (c *Capture) Stopped() bool { return c.ending.Load() != 0 }

// Count returns how many packets were shown (and written) so far.
func (c *Capture) Count() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.count
}

// File is the pcapng file's path ("" when none).
func (c *Capture) File() string { return c.opts.File }

// Ports are the fixed ports captured (nil: the session's sockets).
func (c *Capture) Ports() []int { return slices.Clone(c.opts.Ports) }

func (c *Capture) loop() {
	defer close(c.done)
	for {
		var deadline time.Time
		if len(c.pending) > 0 {
			deadline = c.last.Add(refreshEvery)
		}
		ending := c.ending.Load()
		if ending != 0 && (deadline.IsZero() || deadline.UnixNano() > ending) {
			deadline = time.Unix(0, ending)
		}
		fr, err := c.sock.read(deadline)
		switch {
		case errors.Is(err, os.ErrDeadlineExceeded):
			c.decideHeld()
			if ending != 0 && !time.Now().Before(time.Unix(0, ending)) {
				return
			}
			continue
		case err != nil:
			c.decideHeld()
			if !c.sock.shut.Load() {
				c.fail(fmt.Errorf("capture: reading packets: %v", err))
			}
			return
		}
		c.take(fr)
	}
}

// take shows a frame, holds it, or drops it. A TCP segment of unknown
// ports that is not a SYN is dropped at once: a socket's first segment is a
// SYN (seen and learned first), so only SYNs, UDP and ICMP of unknown ports
// wait for the next look at the session's ports, with what arrives after
// them on their ports (to keep the order).
func (c *Capture) take(fr frame) {
	if c.sock.duplicate(fr) {
		return
	}
	first, ok := firstLayer(fr.hatype, fr.data)
	if !ok {
		return
	}
	if pk, ok := c.peek.peek(fr.data, first); ok {
		known := c.peekMatches(pk)
		if !known && (c.opts.Source == nil || pk.tcp && !pk.syn && !c.heldPort[pk.sport] && !c.heldPort[pk.dport]) {
			return
		}
		if known && len(c.pending) == 0 {
			if p, ok := Decode(fr.data, first); ok {
				c.show(fr, p)
			}
			return
		}
	}
	p, ok := Decode(fr.data, first)
	if !ok {
		return
	}
	if len(c.pending) == 0 && c.matches(p) {
		c.show(fr, p)
		return
	}
	if c.opts.Source == nil {
		return
	}
	// The frame's buffer is reused by the next read: keep a copy, decoded again.
	fr.data = slices.Clone(fr.data)
	p, _ = Decode(fr.data, first)
	c.pending = append(c.pending, held{fr, p})
	sp, dp := p.Ports()
	c.heldPort[sp], c.heldPort[dp] = true, true
	if time.Since(c.last) >= refreshEvery || len(c.pending) >= maxHeld {
		c.decideHeld()
	}
}

// decideHeld asks Source again, now that every held packet has arrived,
// and shows the held packets of the session's sockets, in order.
func (c *Capture) decideHeld() {
	if len(c.pending) == 0 {
		return
	}
	c.refresh()
	for _, h := range c.pending {
		if c.matches(h.p) {
			c.show(h.fr, h.p)
		}
	}
	clear(c.pending)
	c.pending = c.pending[:0]
	clear(c.heldPort)
}

func (c *Capture) refresh() {
	c.eps = indexEndpoints(c.opts.Source())
	c.last = time.Now()
}

// peekMatches is matches for a peeked TCP or UDP frame.
func (c *Capture) peekMatches(pk peek) bool {
	if c.opts.Source == nil {
		return c.known1(pk.sport) || c.known1(pk.dport)
	}
	proto := protoUDP
	if pk.tcp {
		proto = protoTCP
	}
	return c.eps.match(proto, netip.AddrPortFrom(pk.src, pk.sport), netip.AddrPortFrom(pk.dst, pk.dport))
}

func (c *Capture) known1(port uint16) bool {
	_, ok := slices.BinarySearch(c.known, int(port))
	return ok
}

// matches reports a packet of the capture: with Options.Ports, either
// TCP/UDP port or the identifier of an ICMP echo is one of them; with
// Source, the packet is of one of the endpoints (see epIndex.match). An
// ICMP error matches when the packet it quotes does.
func (c *Capture) matches(p *Packet) bool {
	if p.Echo {
		if c.opts.Source != nil {
			return c.eps.echo(p.EchoID)
		}
		return c.known1(p.EchoID)
	}
	if p.TCP == nil && p.UDP == nil {
		return p.Quoted != nil && c.matches(p.Quoted)
	}
	sp, dp := p.Ports()
	if c.opts.Source != nil {
		proto := protoUDP
		if p.TCP != nil {
			proto = protoTCP
		}
		return c.eps.match(proto, netip.AddrPortFrom(p.Src.Unmap(), sp), netip.AddrPortFrom(p.Dst.Unmap(), dp))
	}
	return c.known1(sp) || c.known1(dp)
}

func (c *Capture) show(fr frame, p *Packet) {
	c.mu.Lock()
	c.count++
	c.mu.Unlock()
	if c.opts.Lines != nil {
		io.WriteString(c.opts.Lines, c.fmt.Line(p, fr.ts)+"\n")
	}
	if c.file != nil && c.file.err == nil {
		if err := c.file.write(fr, c.sock.ifname); err != nil {
			c.fail(err)
			if c.opts.Errors != nil {
				fmt.Fprintf(c.opts.Errors, "%v (the capture goes on without the file)\n", err)
			}
		}
	}
}

func (c *Capture) fail(err error) {
	c.mu.Lock()
	if c.err == nil {
		c.err = err
	}
	c.mu.Unlock()
}
