package bench

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"sync"
	"sync/atomic"
	"time"
)

// UDPOptions configure a UDP request/response run: Conns sockets each send
// a Size-byte datagram and wait up to Timeout for the reply; a reply that
// does not come in time counts as lost.
type UDPOptions struct {
	Host     string
	Port     int
	Conns    int           // default 1
	Size     int           // default 64, at most 65,507
	Duration time.Duration // default 5 s when Requests is 0, else MaxDuration
	Requests int64
	Timeout  time.Duration // default 200 ms
}

// maxDatagram is the largest UDP payload over IPv4.
const maxDatagram = 65507

// UDP runs a request/response benchmark against a UDP echo server.
func UDP(ctx context.Context, o UDPOptions) (*Result, error) {
	if o.Conns == 0 {
		o.Conns = 1
	}
	if o.Size == 0 {
		o.Size = 64
	}
	if err := checkCounts(o.Conns, o.Size, o.Requests); err != nil {
		return nil, err
	}
	if o.Size > maxDatagram {
		return nil, usagef("bench: udp size %d over the datagram limit %d", o.Size, maxDatagram)
	}
	if o.Timeout <= 0 {
		o.Timeout = 200 * time.Millisecond
	}
	o.Timeout = min(o.Timeout, Grace)
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
	conns, _, firstErr := dialAll(ctx, "udp", target.String(), o.Conns)
	defer closeAll(conns)
	if len(conns) == 0 {
		return nil, firstErr
	}
	stop := context.AfterFunc(ctx, func() { closeAll(conns) })
	defer stop()

	payload := Payload(o.Size)
	var (
		claimed, sent, lost, errs atomic.Int64
		errOnce                   sync.Once
		wg                        sync.WaitGroup
		mu                        sync.Mutex
		total                     hist
	)
	start := time.Now()
	end := start.Add(o.Duration)
	for _, c := range conns {
		wg.Add(1)
		go func(c net.Conn) {
			defer wg.Done()
			h := new(hist)
			buf := make([]byte, o.Size+1)
			for {
				if o.Requests > 0 && claimed.Add(1) > o.Requests {
					break
				}
				t0 := time.Now()
				if !t0.Before(end) {
					break
				}
				c.SetDeadline(t0.Add(o.Timeout))
				_, err := c.Write(payload)
				sent.Add(1)
				var k int
				if err == nil {
					k, err = c.Read(buf)
				}
				if isTimeout(err) {
					lost.Add(1)
					continue
				}
				if err == nil && !bytes.EqualFold(buf[:k], payload) {
					err = errBadReply
				}
				if err != nil {
					errs.Add(1)
					errOnce.Do(func() { firstErr = fmt.Errorf("udp %s: %w", target, err) })
					if parent.Err() != nil || ctx.Err() != nil {
						break
					}
					continue // e.g. connection refused: an ICMP for one datagram
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
		return nil, interrupted("udp", target)
	}
	r := &Result{}
	r.add("mode", "", "udp")
	r.add("target", "target", target.String())
	r.add("conns", "sockets", int64(len(conns)))
	r.add("size", "datagram bytes", int64(o.Size))
	r.add("seconds", "seconds", elapsed.Seconds())
	r.add("sent", "sent", sent.Load())
	r.add("requests", "answered", total.n)
	r.add("lost", "lost (no reply in time)", lost.Load())
	r.add("errors", "errors", errs.Load())
	lossPct := 0.0
	if s := sent.Load(); s > 0 {
		lossPct = 100 * float64(lost.Load()) / float64(s)
	}
	r.add("loss_pct", "loss %", lossPct)
	r.add("rps", "answered/s", float64(total.n)/elapsed.Seconds())
	r.add("p50_us", "latency p50 µs", micros(total.quantile(0.50)))
	r.add("p99_us", "latency p99 µs", micros(total.quantile(0.99)))
	if firstErr != nil {
		r.add("first_error", "first error", firstErr.Error())
	}
	return r, nil
}
