// Package calltrace turns netcore's trace events into the lines nsh prints
// for socket.trace, s:trace, .trace and --trace: one header line per call
// (time with microseconds, socket id, kind, local -> peer, call, byte count)
// and, for data, an xxd dump of the bytes. It knows no Lua and no terminal:
// colour comes in as a Style function, output goes to an io.Writer.
package calltrace

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"

	"golang.org/x/sys/unix"

	"nsh/netcore"
	"nsh/xxd"
)

// DefaultMax is how many bytes of each call the dump shows unless told.
const DefaultMax = 1024

// Options shape the trace.
type Options struct {
	Hex bool // dump the bytes of data calls (the header says how many anyway)
	Max int  // at most this many bytes dumped per call (0: none)
	// Style colours a part of the output by kind ("dim", "sent", "recv",
	// "error", "warn", "addr"); nil colours nothing.
	Style func(kind, s string) string
}

// DefaultOptions dumps the bytes, at most DefaultMax a call, without colour.
func DefaultOptions() Options { return Options{Hex: true, Max: DefaultMax} }

// Format renders ev as its header line and, for data, the dump; the result
// ends with a newline.
func Format(ev *netcore.TraceEvent, o Options) string {
	style := o.Style
	if style == nil {
		style = xxd.Plain
	}
	dir := direction(ev.Op)
	var b strings.Builder
	b.WriteString(style("dim", ev.Time.Format("15:04:05.000000")))
	fmt.Fprintf(&b, " #%d %s ", ev.ID, netcore.TypeName(ev.Family, ev.Type, ev.Proto))
	b.WriteString(style("addr", addrText(ev.Local, ev.Family)))
	b.WriteString(" -> ")
	b.WriteString(style("addr", addrText(ev.Peer, ev.Family)))
	b.WriteByte(' ')
	b.WriteString(callText(ev, dir, style))
	b.WriteByte('\n')
	if ev.Err != nil || !o.Hex || o.Max <= 0 || dir == "" {
		return b.String()
	}
	data := ev.Data
	if data == nil && ev.File != nil && ev.N > 0 {
		data = make([]byte, min(ev.N, int64(o.Max)))
		n, _ := ev.File.ReadAt(data, ev.FileOffset)
		data = data[:n]
	}
	shown := data[:min(len(data), o.Max)]
	if len(shown) > 0 {
		dump := xxd.Default()
		dump.Style = func(kind, s string) string {
			if kind == "dim" {
				return style("dim", s)
			}
			return style(dir, s)
		}
		b.WriteString(xxd.Dump(shown, dump))
		b.WriteByte('\n')
	}
	if more := ev.N - int64(len(shown)); more > 0 {
		b.WriteString(style("dim", fmt.Sprintf("... %d more bytes", more)))
		b.WriteByte('\n')
	}
	return b.String()
}

// direction is "sent" or "recv" for calls that move data (the Style kinds
// of the two directions), "" for the others.
func direction(op string) string {
	switch {
	case strings.Contains(op, "send"):
		return "sent"
	case strings.Contains(op, "recv"):
		return "recv"
	}
	return ""
}

// addrText is the address as the trace shows it: "-" when not known,
// "(unnamed)" for an unnamed AF_UNIX socket.
func addrText(a netcore.Addr, family int) string {
	switch {
	case a.IsZero():
		return "-"
	case a.Family == unix.AF_UNIX && a.Path == "":
		return "(unnamed)"
	}
	return a.String()
}

var shutHow = map[int]string{unix.SHUT_RD: "SHUT_RD", unix.SHUT_WR: "SHUT_WR", unix.SHUT_RDWR: "SHUT_RDWR"}

// callText is the call and what came of it: "send 5 bytes",
// "recv EOF (the peer closed its side)", "connect error: connection refused".
func callText(ev *netcore.TraceEvent, dir string, style func(kind, s string) string) string {
	if ev.Err != nil {
		kind := "error"
		if errors.Is(ev.Err, netcore.ErrTimeout) || errors.Is(ev.Err, netcore.ErrInterrupted) {
			kind = "warn"
		}
		text := ev.Op + " error: " + netcore.Short(ev.Err)
		if ev.N > 0 {
			text += fmt.Sprintf(" after %d bytes", ev.N)
		}
		return style(kind, text)
	}
	switch {
	case ev.EOF:
		return style(dir, ev.Op+" EOF") + " (the peer closed its side)"
	case dir != "":
		text := fmt.Sprintf("%s %d %s", ev.Op, ev.N, plural(ev.N, "byte"))
		if ev.Peek {
			text += " (peek)"
		}
		return style(dir, text)
	}
	switch ev.Op {
	case "listen":
		return fmt.Sprintf("listen backlog %d", ev.Arg)
	case "accept":
		return fmt.Sprintf("accept -> #%d", ev.NewID)
	case "shutdown":
		if how, ok := shutHow[ev.Arg]; ok {
			return "shutdown " + how
		}
		return fmt.Sprintf("shutdown %d", ev.Arg)
	case "close":
		if ev.Reset {
			return "close " + style("warn", "(RST: unread data or SO_LINGER 0)")
		}
	}
	return ev.Op
}

func plural(n int64, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}

// Writer is a netcore.Tracer that writes each event's Format to an
// io.Writer in one Write, so lines of concurrent calls never interleave.
// The first write error stops it: the socket calls go on untraced and
// onError (if set) hears of the error once.
type Writer struct {
	o       Options
	onError func(error)
	mu      sync.Mutex
	w       io.Writer
	err     error
}

// NewWriter traces to w with o; onError may be nil.
func NewWriter(w io.Writer, o Options, onError func(error)) *Writer {
	return &Writer{o: o, w: w, onError: onError}
}

// Options returns the options the writer was made with.
func (w *Writer) Options() Options { return w.o }

// Trace implements netcore.Tracer.
func (w *Writer) Trace(ev *netcore.TraceEvent) {
	text := Format(ev, w.o)
	w.mu.Lock()
	if w.err != nil {
		w.mu.Unlock()
		return
	}
	_, err := io.WriteString(w.w, text)
	w.err = err
	w.mu.Unlock()
	if err != nil && w.onError != nil {
		w.onError(err)
	}
}

// Err returns the write error that stopped the writer, if any.
func (w *Writer) Err() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.err
}
