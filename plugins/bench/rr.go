package bench

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"sync"
	"sync/atomic"
	"time"
)

// RROptions configure a request/response run: Conns connections each send a
// Size-byte message and read Size bytes back, again and again, for Duration
// or until Requests round trips in all (whichever ends first).
type RROptions struct {
	Host     string
	Port     int
	Conns    int           // default 1
	Size     int           // default 64
	Duration time.Duration // default 5 s when Requests is 0, else MaxDuration
	Requests int64         // 0: no limit but Duration
}

// Payload returns the message rr, conns and udp send: lower-case letters
// ending in a newline, so that both byte and line echo servers answer it, and
// an upper-casing echo can be recognised.
func Payload(size int) []byte {
	p := make([]byte, size)
	for i := range p {
		p[i] = 'a' + byte(i%26)
	}
	if size > 0 {
		p[size-1] = '\n'
	}
	return p
}

// checkEvery: the first reply on each connection and one in checkEvery after
// are compared with the message (ignoring case); every reply's length is.
const checkEvery = 1024

// errBadReply counts replies that are not the message echoed.
var errBadReply = errors.New("reply differs from the message (not an echo server?)")

// RR runs a request/response benchmark against a TCP echo server.
func RR(ctx context.Context, o RROptions) (*Result, error) {
	if o.Conns == 0 {
		o.Conns = 1
	}
	if o.Size == 0 {
		o.Size = 64
	}
	if err := checkCounts(o.Conns, o.Size, o.Requests); err != nil {
		return nil, err
	}
	def := 5 * time.Second
	if o.Requests > 0 {
		def = MaxDuration
	}
	o.Duration = clampDuration(o.Duration, def)
	target, err := ResolveTarget(ctx, o.Host, o.Port)
	if err != nil {
		return nil, err
	}
	parent := ctx
	ctx, cancel := context.WithTimeout(ctx, o.Duration+2*Grace)
	defer cancel()

	conns, failed, firstErr := dialAll(ctx, "tcp", target.String(), o.Conns)
	defer closeAll(conns)
	if len(conns) == 0 {
		return nil, firstErr
	}
	stop := context.AfterFunc(ctx, func() { closeAll(conns) })
	defer stop()

	payload := Payload(o.Size)
	var (
		claimed atomic.Int64
		errs    atomic.Int64
		errOnce sync.Once
		wg      sync.WaitGroup
		total   hist
		mu      sync.Mutex
	)
	errs.Store(int64(failed))
	start := time.Now()
	end := start.Add(o.Duration)
	for _, c := range conns {
		wg.Add(1)
		go func(c net.Conn) {
			defer wg.Done()
			h := new(hist)
			c.SetDeadline(end.Add(Grace))
			buf := make([]byte, o.Size)
			for n := 0; ; n++ {
				if o.Requests > 0 && claimed.Add(1) > o.Requests {
					break
				}
				t0 := time.Now()
				if !t0.Before(end) {
					break
				}
				_, err := c.Write(payload)
				if err == nil {
					_, err = io.ReadFull(c, buf)
				}
				if err == nil && n%checkEvery == 0 && !bytes.EqualFold(buf, payload) {
					err = errBadReply
				}
				if err != nil {
					errs.Add(1)
					errOnce.Do(func() { firstErr = fmt.Errorf("rr %s: %w", target, err) })
					break
				}
				h.record(time.Since(t0))
			}
			mu.Lock()
			total.merge(h)
			mu.Unlock()
		}(c)
	}
	wg.Wait()
	elapsed := time.Since(start)
	if parent.Err() != nil {
		return nil, interrupted("rr", target)
	}
	r := &Result{}
	r.add("mode", "", "rr")
	r.add("target", "target", target.String())
	r.add("conns", "connections", int64(len(conns)))
	r.add("size", "message bytes", int64(o.Size))
	r.add("seconds", "seconds", elapsed.Seconds())
	r.add("requests", "round trips", total.n)
	r.add("errors", "errors", errs.Load())
	r.add("rps", "round trips/s", float64(total.n)/elapsed.Seconds())
	r.add("p50_us", "latency p50 µs", micros(total.quantile(0.50)))
	r.add("p90_us", "latency p90 µs", micros(total.quantile(0.90)))
	r.add("p99_us", "latency p99 µs", micros(total.quantile(0.99)))
	r.add("max_us", "latency max µs", micros(total.max))
	if firstErr != nil {
		r.add("first_error", "first error", firstErr.Error())
	}
	return r, nil
}

// interrupted is the error of a run whose context was cancelled.
func interrupted(mode string, t Target) error {
	return fmt.Errorf("%s %s: %w", mode, t, context.Canceled)
}

func checkCounts(conns, size int, requests int64) error {
	switch {
	case conns < 0 || conns > MaxConns:
		return usagef("bench: conns %d out of range 1-%d", conns, MaxConns)
	case size < 1 || size > MaxSize:
		return usagef("bench: size %d out of range 1-%d", size, MaxSize)
	case requests < 0 || requests > MaxRequests:
		return usagef("bench: requests %d out of range 0-%d", requests, MaxRequests)
	}
	return nil
}

// dialParallel is how many connects are in flight at once.
const dialParallel = 64

// dialAll opens n connections to addr, dialParallel at a time. It returns
// those that opened, how many failed and the first failure.
func dialAll(ctx context.Context, network, addr string, n int) ([]net.Conn, int, error) {
	d := net.Dialer{Timeout: Grace}
	out := make([]net.Conn, n)
	errs := make([]error, n)
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(n, dialParallel) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= n {
					return
				}
				out[i], errs[i] = d.DialContext(ctx, network, addr)
			}
		}()
	}
	wg.Wait()
	var ok []net.Conn
	var first error
	failed := 0
	for i, c := range out {
		if errs[i] != nil {
			failed++
			if first == nil {
				first = errs[i]
			}
			continue
		}
		ok = append(ok, c)
	}
	return ok, failed, first
}

func closeAll(conns []net.Conn) {
	for _, c := range conns {
		c.Close()
	}
}
