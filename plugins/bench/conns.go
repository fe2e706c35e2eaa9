package bench

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// ConnsOptions configure an idle-connection run: open Conns connections,
// keep them all open for Hold, then check that every one still answers a
// Size-byte message. When PID is set, the resident memory of that process
// (the server) is read before and after, giving its memory per connection.
type ConnsOptions struct {
	Host  string
	Port  int
	Conns int           // default 1000
	Size  int           // default 16
	Hold  time.Duration // default 0; at most MaxDuration
	PID   int           // server process to measure, 0 for none
}

// Conns runs an idle-connection benchmark against a TCP echo server.
func Conns(ctx context.Context, o ConnsOptions) (*Result, error) {
	if o.Conns == 0 {
		o.Conns = 1000
	}
	if o.Size == 0 {
		o.Size = 16
	}
	if err := checkCounts(o.Conns, o.Size, 0); err != nil {
		return nil, err
	}
	if o.Hold < 0 || o.Hold > MaxDuration {
		return nil, usagef("bench: hold %v out of range 0-%v", o.Hold, MaxDuration)
	}
	target, err := ResolveTarget(ctx, o.Host, o.Port)
	if err != nil {
		return nil, err
	}
	if err := RaiseFileLimit(o.Conns + 64); err != nil {
		return nil, err
	}
	var rssBefore int64
	if o.PID > 0 {
		if rssBefore, err = RSS(o.PID); err != nil {
			return nil, err
		}
	}
	parent := ctx
	ctx, cancel := context.WithTimeout(ctx, o.Hold+3*Grace)
	defer cancel()

	t0 := time.Now()
	conns, failed, firstErr := dialAll(ctx, "tcp", target.String(), o.Conns)
	openTime := time.Since(t0)
	defer closeAll(conns)
	stop := context.AfterFunc(ctx, func() { closeAll(conns) })
	defer stop()
	if len(conns) == 0 {
		return nil, firstErr
	}
	if o.Hold > 0 {
		select {
		case <-time.After(o.Hold):
		case <-ctx.Done():
		}
	}
	t1 := time.Now()
	answered, checkErr := checkAll(conns, Payload(o.Size), t1.Add(Grace))
	checkTime := time.Since(t1)
	if parent.Err() != nil {
		return nil, interrupted("conns", target)
	}
	if firstErr == nil {
		firstErr = checkErr
	}
	r := &Result{}
	r.add("mode", "", "conns")
	r.add("target", "target", target.String())
	r.add("conns", "connections asked", int64(o.Conns))
	r.add("opened", "connections opened", int64(len(conns)))
	r.add("failed", "failed to open", int64(failed))
	r.add("answered", "answered at the end", int64(answered))
	r.add("open_ms", "time to open, ms", millis(openTime))
	r.add("check_ms", "time to check, ms", millis(checkTime))
	if o.PID > 0 {
		rssAfter, err := RSS(o.PID)
		if err != nil {
			return nil, err
		}
		r.add("rss_before_kib", "server RSS before, KiB", rssBefore)
		r.add("rss_after_kib", "server RSS holding, KiB", rssAfter)
		r.add("kib_per_conn", "server KiB per connection", float64(rssAfter-rssBefore)/float64(len(conns)))
	}
	if firstErr != nil {
		r.add("first_error", "first error", firstErr.Error())
	}
	return r, nil
}

// checkAll sends msg on every connection and reads the echo back, with
// dialParallel connections in flight at a time; it returns how many answered.
func checkAll(conns []net.Conn, msg []byte, deadline time.Time) (int, error) {
	var next, ok atomic.Int64
	var first error
	var once sync.Once
	var wg sync.WaitGroup
	for range min(len(conns), dialParallel) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			buf := make([]byte, len(msg))
			for {
				i := int(next.Add(1)) - 1
				if i >= len(conns) {
					return
				}
				c := conns[i]
				c.SetDeadline(deadline)
				_, err := c.Write(msg)
				if err == nil {
					_, err = io.ReadFull(c, buf)
				}
				if err == nil && !bytes.EqualFold(buf, msg) {
					err = errBadReply
				}
				if err != nil {
					once.Do(func() { first = fmt.Errorf("check %s: %w", c.RemoteAddr(), err) })
					continue
				}
				ok.Add(1)
			}
		}()
	}
	wg.Wait()
	return int(ok.Load()), first
}

// RSS returns the resident memory of process pid in KiB, from
// /proc/PID/status (VmRSS).
func RSS(pid int) (int64, error) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return 0, usagef("bench: memory of process %d: %v", pid, err)
	}
	for line := range strings.SplitSeq(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			f := strings.Fields(rest)
			if len(f) > 0 {
				return strconv.ParseInt(f[0], 10, 64)
			}
		}
	}
	return 0, fmt.Errorf("bench: memory of process %d: no VmRSS in /proc/%d/status", pid, pid)
}
