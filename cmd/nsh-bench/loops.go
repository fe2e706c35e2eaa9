package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"time"
)

// Bulk transfers through the plain socket API (scripts/bench/bulk_loop.lua:
// a recv(65536) or recvfrom(65536) loop, a send loop of 64 KiB or of 16 KiB
// datagrams) against nc doing the same job, one process at each end.

// loopRow is one such transfer (median of the runs).
type loopRow struct {
	proto, sender, receiver string
	mbps, ref               float64 // the row's rate and its nc reference's
	loss                    float64 // UDP: % of the bytes sent that did not arrive
	key                     string  // for targets
}

// udpDatagram is the datagram size of the UDP rows: what nc sends (it
// reads and writes 16 KiB at a time), so an nc receiver gets every one
// whole.
const udpDatagram = 16 << 10

// runLoops measures the TCP and UDP rows with the file at path.
func (s *suite) runLoops(path string, size int64) {
	script := s.script("scripts/bench/bulk_loop.lua")
	const runs = 3
	mb := float64(size) / 1e6
	var ref, recv, send []float64
	for range runs {
		// The three take turns, so a slow moment weighs on all of them.
		if d, err := ncToNC(path); err == nil {
			ref = append(ref, mb/d.Seconds())
		} else {
			s.note("nc to nc: %v", err)
		}
		if d, err := ncToNSH(s.nsh, script, path, size); err == nil {
			recv = append(recv, mb/d.Seconds())
		} else {
			s.note("nc to bulk_loop.lua tcp-recv: %v", err)
		}
		if d, err := nshToNC(s.nsh, script, size); err == nil {
			send = append(send, mb/d.Seconds())
		} else {
			s.note("bulk_loop.lua tcp-send to nc: %v", err)
		}
	}
	s.command("nc -l -N 127.0.0.1 PORT < FILE; nsh scripts/bench/bulk_loop.lua tcp-recv PORT")
	s.command("nsh scripts/bench/bulk_loop.lua tcp-send BYTES 0; nc -d 127.0.0.1 PORT > /dev/null")
	if len(ref) == runs {
		r := median(ref)
		if len(recv) == runs {
			s.loops = append(s.loops, loopRow{proto: "TCP", sender: "nc -l -N < file", receiver: "nsh recv(65536) loop", mbps: median(recv), ref: r, key: "tcp-recv"})
		}
		if len(send) == runs {
			s.loops = append(s.loops, loopRow{proto: "TCP", sender: "nsh sendall(64 KiB string) loop", receiver: "nc -d > /dev/null", mbps: median(send), ref: r, key: "tcp-send"})
		}
		s.loops = append(s.loops, loopRow{proto: "TCP", sender: "nc -l -N < file", receiver: "nc -d > /dev/null (reference)", mbps: r, ref: r})
	}
	fmt.Fprintf(os.Stderr, "loops tcp nc=%v nsh-recv=%v nsh-send=%v MB/s\n", ref, recv, send)

	// UDP: a quarter of the file, in 16 KiB datagrams, as fast as the
	// sender goes; what the receiver keeps up with arrives.
	usize := size / 4
	var ncSend, ncRecv, nshSend, nshRecv []udpRun
	for range runs {
		if r, err := udpRound(ncUDPSender(path, usize), ncUDPReceiver); err == nil {
			ncSend, ncRecv = append(ncSend, r), append(ncRecv, r)
		} else {
			s.note("udp nc to nc: %v", err)
		}
		if r, err := udpRound(nshUDPSender(s.nsh, script, usize), ncUDPReceiver); err == nil {
			nshSend = append(nshSend, r)
		} else {
			s.note("udp bulk_loop.lua udp-send to nc: %v", err)
		}
		if r, err := udpRound(ncUDPSender(path, usize), func() (int, func() (int64, time.Duration, error), error) { return nshUDPReceiver(s.nsh, script) }); err == nil {
			nshRecv = append(nshRecv, r)
		} else {
			s.note("udp nc to bulk_loop.lua udp-recv: %v", err)
		}
	}
	s.command("nc -u -l -d 127.0.0.1 PORT > /dev/null  and  nc -u -q 0 127.0.0.1 PORT < FILE")
	s.command("nsh scripts/bench/bulk_loop.lua udp-send PORT BYTES 16384;  nsh scripts/bench/bulk_loop.lua udp-recv 0")
	if len(ncSend) == runs {
		sendRef, recvRef := medianOf(ncSend, udpRun.sendRate), medianOf(ncRecv, udpRun.recvRate)
		if len(nshSend) == runs {
			s.loops = append(s.loops, loopRow{proto: "UDP", sender: "nsh sendto(16 KiB) loop: rate sent", receiver: "nc -u -l -d > /dev/null",
				mbps: medianOf(nshSend, udpRun.sendRate), ref: sendRef, loss: medianOf(nshSend, udpRun.lossPct), key: "udp-send"})
		}
		s.loops = append(s.loops, loopRow{proto: "UDP", sender: "nc -u < file: rate sent (reference)", receiver: "nc -u -l -d > /dev/null",
			mbps: sendRef, ref: sendRef, loss: medianOf(ncSend, udpRun.lossPct)})
		if len(nshRecv) == runs {
			s.loops = append(s.loops, loopRow{proto: "UDP", sender: "nc -u < file", receiver: "nsh recvfrom(65536) loop: rate received",
				mbps: medianOf(nshRecv, udpRun.recvRate), ref: recvRef, loss: medianOf(nshRecv, udpRun.lossPct), key: "udp-recv"})
		}
		s.loops = append(s.loops, loopRow{proto: "UDP", sender: "nc -u < file", receiver: "nc -u -l -d > /dev/null: rate received (reference)",
			mbps: recvRef, ref: recvRef, loss: medianOf(ncRecv, udpRun.lossPct)})
	}
	fmt.Fprintf(os.Stderr, "loops udp nc=%v nsh-send=%v nsh-recv=%v\n", ncSend, nshSend, nshRecv)
}

// ncToNSH times "nsh bulk_loop.lua tcp-recv PORT" reading the file from
// nc -l -N (wall time, start-up included, as nc's is).
func ncToNSH(nsh, script, path string, size int64) (time.Duration, error) {
	port, stop, err := ncFileServer(path)
	if err != nil {
		return 0, err
	}
	defer stop()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	t0 := time.Now()
	out, err := exec.CommandContext(ctx, nsh, script, "tcp-recv", strconv.Itoa(port)).CombinedOutput()
	d := time.Since(t0)
	if r := parseResult(string(out)); err != nil || r == nil || int64(r.f("bytes")) != size {
		return 0, fmt.Errorf("%v: %s", err, lastLines(string(out), 3))
	}
	return d, nil
}

// nshToNC times nc -d reading size bytes from "nsh bulk_loop.lua tcp-send".
func nshToNC(nsh, script string, size int64) (time.Duration, error) {
	srv, err := startServer("bulk_loop.lua tcp-send", []string{nsh, script, "tcp-send", strconv.FormatInt(size, 10), "0"})
	if err != nil {
		return 0, err
	}
	defer srv.stop()
	return timeNCReceive(srv.port)
}

// udpRun is one UDP transfer: bytes sent in how long, bytes received
// between the first and the last arrival.
type udpRun struct {
	sent, recv       int64
	sendDur, recvDur time.Duration
}

func (r udpRun) sendRate() float64 { return float64(r.sent) / 1e6 / r.sendDur.Seconds() }
func (r udpRun) recvRate() float64 {
	if r.recvDur <= 0 {
		return 0
	}
	return float64(r.recv) / 1e6 / r.recvDur.Seconds()
}
func (r udpRun) lossPct() float64 { return 100 * float64(r.sent-r.recv) / float64(max(r.sent, 1)) }

func medianOf(rs []udpRun, f func(udpRun) float64) float64 {
	vs := make([]float64, len(rs))
	for i, r := range rs {
		vs[i] = f(r)
	}
	return median(vs)
}

// A udpSender sends to port and reports the bytes and its time; a
// udpReceiver is started first and, after the sender is done, reports
// what arrived and over how long.
type (
	udpSender   func(port int) (int64, time.Duration, error)
	udpReceiver func() (port int, wait func() (int64, time.Duration, error), err error)
)

func udpRound(send udpSender, recv udpReceiver) (udpRun, error) {
	port, wait, err := recv()
	if err != nil {
		return udpRun{}, err
	}
	sent, sd, serr := send(port)
	got, rd, rerr := wait()
	if serr != nil {
		return udpRun{}, serr
	}
	if rerr != nil {
		return udpRun{}, rerr
	}
	return udpRun{sent: sent, sendDur: sd, recv: got, recvDur: rd}, nil
}

// freeUDPPort returns a loopback UDP port nothing is bound to.
func freeUDPPort() (int, error) {
	pc, err := net.ListenPacket("udp4", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer pc.Close()
	return pc.LocalAddr().(*net.UDPAddr).Port, nil
}

// ncUDPSender sends size bytes of path with "nc -u -q 0" (16 KiB datagrams).
func ncUDPSender(path string, size int64) udpSender {
	return func(port int) (int64, time.Duration, error) {
		f, err := os.Open(path)
		if err != nil {
			return 0, 0, err
		}
		defer f.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		defer cancel()
		cmd := exec.CommandContext(ctx, "nc", "-u", "-q", "0", "127.0.0.1", strconv.Itoa(port))
		cmd.Stdin = io.LimitReader(f, size) // through a pipe, as head -c FILE | nc would
		t0 := time.Now()
		err = cmd.Run()
		return size, time.Since(t0), err
	}
}

// nshUDPSender runs "nsh bulk_loop.lua udp-send PORT BYTES 16384" (wall time).
func nshUDPSender(nsh, script string, size int64) udpSender {
	return func(port int) (int64, time.Duration, error) {
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		defer cancel()
		t0 := time.Now()
		out, err := exec.CommandContext(ctx, nsh, script, "udp-send", strconv.Itoa(port), strconv.FormatInt(size, 10), strconv.Itoa(udpDatagram)).CombinedOutput()
		d := time.Since(t0)
		r := parseResult(string(out))
		if err != nil || r == nil {
			return 0, 0, fmt.Errorf("%v: %s", err, lastLines(string(out), 3))
		}
		return int64(r.f("bytes")), d, nil
	}
}

// ncUDPReceiver starts "nc -u -l -d > /dev/null" and counts what it reads
// from /proc/PID/io (rchar), sampled every millisecond, from the first
// change to the last.
func ncUDPReceiver() (int, func() (int64, time.Duration, error), error) {
	port, err := freeUDPPort()
	if err != nil {
		return 0, nil, err
	}
	cmd := exec.Command("nc", "-u", "-l", "-d", "127.0.0.1", strconv.Itoa(port))
	if err := cmd.Start(); err != nil {
		return 0, nil, err
	}
	stop := func() { cmd.Process.Kill(); cmd.Wait() }
	if err := waitProcNet("/proc/net/udp", port, "07"); err != nil {
		stop()
		return 0, nil, err
	}
	base := rchar(cmd.Process.Pid)
	type sample struct {
		n    int64
		when time.Time
	}
	done := make(chan struct{})
	res := make(chan [2]sample, 1)
	go func() {
		var first, last sample
		for {
			select {
			case <-done:
				res <- [2]sample{first, last}
				return
			case <-time.After(time.Millisecond):
			}
			n := rchar(cmd.Process.Pid) - base
			if n != last.n {
				now := time.Now()
				if first.when.IsZero() {
					first = sample{n, now}
				}
				last = sample{n, now}
			}
		}
	}()
	wait := func() (int64, time.Duration, error) {
		time.Sleep(300 * time.Millisecond) // what is queued is read
		close(done)
		s := <-res
		stop()
		return s[1].n, s[1].when.Sub(s[0].when), nil
	}
	return port, wait, nil
}

// rchar is the bytes a process has read (/proc/PID/io).
func rchar(pid int) int64 {
	b, _ := os.ReadFile(fmt.Sprintf("/proc/%d/io", pid))
	for line := range strings.SplitSeq(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "rchar: "); ok {
			n, _ := strconv.ParseInt(v, 10, 64)
			return n
		}
	}
	return 0
}

// waitProcNet waits (at most 5 s) until a /proc/net table lists port in
// state st ("0A" listening TCP, "07" a bound UDP socket).
func waitProcNet(table string, port int, st string) error {
	want := fmt.Sprintf(":%04X ", port)
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		b, _ := os.ReadFile(table)
		for line := range strings.SplitSeq(string(b), "\n") {
			f := strings.Fields(line)
			if len(f) > 3 && strings.HasSuffix(f[1]+" ", want) && f[3] == st {
				return nil
			}
		}
		time.Sleep(5 * time.Millisecond)
	}
	return fmt.Errorf("nothing bound to port %d after 5 s", port)
}

// nshUDPReceiver runs "nsh bulk_loop.lua udp-recv 0", which times itself
// from its first datagram to its last.
func nshUDPReceiver(nsh, script string) (int, func() (int64, time.Duration, error), error) {
	srv, err := startServer("bulk_loop.lua udp-recv", []string{nsh, script, "udp-recv", "0"})
	if err != nil {
		return 0, nil, err
	}
	out := make(chan result, 1)
	srv.resultMu.Lock()
	srv.onResult = func(r result) { out <- r }
	srv.resultMu.Unlock()
	wait := func() (int64, time.Duration, error) {
		defer srv.stop()
		select {
		case r := <-out:
			return int64(r.f("bytes")), time.Duration(r.f("seconds") * float64(time.Second)), nil
		case <-time.After(40 * time.Second):
			return 0, 0, fmt.Errorf("bulk_loop.lua udp-recv: no RESULT line")
		}
	}
	return srv.port, wait, nil
}

// reportLoops writes the table of the plain-loop transfers.
func (s *suite) reportLoops(b *strings.Builder) {
	if len(s.loops) == 0 {
		return
	}
	fmt.Fprintf(b, "\n### Bulk through the socket API: plain loops against nc (median of 3, the senders taking turns)\n\n"+
		"TCP: the %d MiB file, 64 KiB recv/send calls. UDP: %d MiB in 16 KiB datagrams (nc's size) sent as fast as the sender goes; "+
		"a sender's rate is bytes sent over its wall time, a receiver's is bytes received from its first datagram to its last.\n\n"+
		"| | sender | receiver | MB/s | vs nc | lost |\n|---|---|---|---|---|---|\n", s.bulkBytes>>20, s.bulkBytes>>22)
	for _, r := range s.loops {
		loss := "–"
		if r.proto == "UDP" {
			loss = fmt.Sprintf("%.0f%%", r.loss)
		}
		fmt.Fprintf(b, "| %s | %s | %s | %.0f | %.2f | %s |\n", r.proto, r.sender, r.receiver, r.mbps, ratio(r.mbps, r.ref), loss)
	}
}

// loopTargets are issue 16's goals for the plain loops: ≥ 0.9 of nc.
func (s *suite) loopTargets() []*target {
	var out []*target
	for _, r := range s.loops {
		if r.key == "" {
			continue
		}
		q := ratio(r.mbps, r.ref)
		out = append(out, &target{name: fmt.Sprintf("%s bulk, %s → %s", r.proto, r.sender, r.receiver), goal: "≥ 0.9 of nc (issue 16)",
			measured: fmt.Sprintf("%.2f of nc (%.0f vs %.0f MB/s)", q, r.mbps, r.ref), met: q >= 0.9})
	}
	return out
}
