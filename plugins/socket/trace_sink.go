package socket

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"

	"nsh/calltrace"
	"nsh/netcore"
	"nsh/pcapsynth"
	"nsh/plugins"
)

// traceSpec is what socket.trace, sock:trace, .trace and --trace ask for.
type traceSpec struct {
	hex  bool
	max  int
	file string // text trace (or pcapng when it ends in .pcapng/.pcap) instead of the terminal
	pcap string // a pcapng of synthesised packets as well as the text trace
}

func defaultSpec() traceSpec { return traceSpec{hex: true, max: calltrace.DefaultMax} }

func isPcapName(path string) bool {
	p := strings.ToLower(path)
	return strings.HasSuffix(p, ".pcapng") || strings.HasSuffix(p, ".pcap")
}

// traceSink is the Tracer a trace setting installs: the text trace (on the
// terminal or in a file) and maybe a pcapng. It owns the files it opened
// and closes them when the setting is replaced or its last socket closes.
//
// Files are written in place and flushed at every event, not written to a
// temporary name and renamed: a trace is read while it grows (tail -f,
// tshark on a running lesson) and must stay readable up to its last event
// when the session is killed.
type traceSink struct {
	spec    traceSpec
	session bool // the table's tracer (socket.trace), not one socket's

	mu      sync.RWMutex // Trace holds it shared, close exclusively
	closed  bool
	text    *calltrace.Writer
	synth   *pcapsynth.SynthWriter
	files   []*os.File
	sockets map[int]bool // a socket's own sink: the sockets it traces
}

// newTraceSink opens what spec names. A file that cannot be created is an
// error naming it ("trace /no/dir/x.txt: open ...: no such file or directory").
func newTraceSink(h plugins.Host, spec traceSpec, session bool) (*traceSink, error) {
	k := &traceSink{spec: spec, session: session, sockets: map[int]bool{}}
	report := func(what string) func(error) {
		return func(err error) {
			fmt.Fprintf(h.Stderr(), "%s\n", h.Style("error",
				fmt.Sprintf("trace: %s: %v (tracing to it stopped; the sockets go on)", what, err)))
		}
	}
	pcap, text := spec.pcap, spec.file
	if isPcapName(text) && pcap == "" {
		pcap, text = text, ""
	}
	if pcap != "" {
		f, err := createTraceFile(pcap)
		if err != nil {
			return nil, err
		}
		k.files = append(k.files, f)
		w, err := pcapsynth.NewSynthWriter(f)
		if err != nil {
			k.close()
			return nil, &netcore.OpError{Op: "trace", Addr: pcap, Err: err}
		}
		w.OnError(report(pcap))
		k.synth = w
	}
	if text != "" || spec.file == "" {
		o := calltrace.Options{Hex: spec.hex, Max: spec.max}
		var out io.Writer = h.Stderr()
		what := "the terminal"
		if text != "" {
			f, err := createTraceFile(text)
			if err != nil {
				k.close()
				return nil, err
			}
			k.files = append(k.files, f)
			out, what = f, text
		} else {
			o.Style = h.Style // colour on a terminal; h.Style is plain with NO_COLOR/--no-color
		}
		k.text = calltrace.NewWriter(out, o, report(what))
	}
	return k, nil
}

func createTraceFile(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		var pe *os.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return nil, &netcore.OpError{Op: "trace", Addr: path, Err: err}
	}
	return f, nil
}

// Trace implements netcore.Tracer.
func (k *traceSink) Trace(ev *netcore.TraceEvent) {
	k.mu.RLock()
	if !k.closed {
		if k.text != nil {
			k.text.Trace(ev)
		}
		if k.synth != nil {
			k.synth.Trace(ev)
		}
	}
	k.mu.RUnlock()
	if k.session {
		return
	}
	// A socket's own sink follows the sockets it traces: the ones it
	// accepts join, and it closes with the last of them.
	switch ev.Op {
	case "accept":
		if ev.Err == nil {
			k.mu.Lock()
			k.sockets[ev.NewID] = true
			k.mu.Unlock()
		}
	case "close":
		k.detach(ev.ID)
	}
}

// attach notes that socket id uses this (own) sink.
func (k *traceSink) attach(id int) {
	k.mu.Lock()
	k.sockets[id] = true
	k.mu.Unlock()
}

// detach notes that socket id no longer uses it, closing it after the last.
func (k *traceSink) detach(id int) {
	k.mu.Lock()
	delete(k.sockets, id)
	last := len(k.sockets) == 0
	k.mu.Unlock()
	if last {
		k.close()
	}
}

// close flushes and closes the files; events after it are dropped.
func (k *traceSink) close() error {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.closed {
		return nil
	}
	k.closed = true
	var errs []error
	if k.synth != nil {
		errs = append(errs, k.synth.Close())
	}
	for _, f := range k.files {
		errs = append(errs, f.Close())
	}
	return errors.Join(errs...)
}

// Close implements io.Closer: the session closes its trace at exit.
func (k *traceSink) Close() error { return k.close() }

// describe says where the trace goes, for .trace.
func (k *traceSink) describe() string {
	var parts []string
	switch {
	case k.text == nil:
	case k.spec.file != "" && !isPcapName(k.spec.file):
		parts = append(parts, "text to "+k.spec.file)
	default:
		parts = append(parts, "on the terminal")
	}
	if k.text != nil {
		if !k.spec.hex {
			parts = append(parts, "no hex")
		} else {
			parts = append(parts, fmt.Sprintf("hex up to %d bytes a call", k.spec.max))
		}
	}
	if k.synth != nil {
		p := k.spec.pcap
		if p == "" {
			p = k.spec.file
		}
		parts = append(parts, "pcapng to "+p)
	}
	return strings.Join(parts, ", ")
}
