package socket

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	lua "github.com/yuin/gopher-lua"

	"nsh/netcore"
	"nsh/plugins"
)

// The call trace: socket.trace for the session, sock:trace for one socket,
// .trace at the prompt (and --trace, which the shell turns into
// socket.trace). netcore reports every call to the Tracer in force; a
// traceSink formats it (calltrace) and maybe writes packets (pcapsynth).

// traceName is the table tracer socket.trace sets (netcore.Table keeps
// one per feature: a synthesised capture runs beside it under its own
// name). The shell closes it by this name at exit.
const traceName = "trace"

// checkTraceArg reads argument idx of fn: true, false, or an options table
// {hex=, max=, file=, pcap=}. It returns on=false for false.
func checkTraceArg(L *lua.LState, fn string, idx int) (spec traceSpec, on bool) {
	spec = defaultSpec()
	switch v := L.Get(idx).(type) {
	case lua.LBool:
		return spec, bool(v)
	case *lua.LTable:
		v.ForEach(func(k, val lua.LValue) {
			name, _ := k.(lua.LString)
			bad := func(want string) {
				L.RaiseError("%s: bad argument #%d (option %s must be %s, got %s)", fn, idx, name, want, val.Type().String())
			}
			switch name {
			case "hex":
				b, ok := val.(lua.LBool)
				if !ok {
					bad("a boolean")
				}
				spec.hex = bool(b)
			case "max":
				n, ok := val.(lua.LNumber)
				if !ok || n < 0 || float64(n) != math.Trunc(float64(n)) {
					bad("a whole number of bytes, 0 or more")
				}
				spec.max = int(min(float64(n), math.MaxInt32))
			case "file", "pcap":
				s, ok := val.(lua.LString)
				if !ok || s == "" {
					bad("a file name")
				}
				if name == "file" {
					spec.file = string(s)
				} else {
					spec.pcap = string(s)
				}
			default:
				L.RaiseError("%s: bad argument #%d (unknown option '%s'; options are hex, max, file, pcap)", fn, idx, k.String())
			}
		})
		return spec, true
	}
	argError(L, fn, idx, "true, false or an options table", idx)
	return spec, false
}

// setSessionTrace installs the session's trace (nil spec: off), closing the
// one it replaces.
func setSessionTrace(h plugins.Host, spec *traceSpec) error {
	tb := h.Sockets()
	var sink netcore.Tracer
	if spec != nil {
		k, err := newTraceSink(h, *spec, true)
		if err != nil {
			return err
		}
		sink = k
	}
	old := tb.NamedTracer(traceName)
	tb.SetNamedTracer(traceName, sink)
	if k, ok := old.(*traceSink); ok {
		k.close()
	}
	return nil
}

// setSocketTrace gives ns its own trace (nil spec: off, even when the
// session traces), closing its previous own trace when it was the last user.
func setSocketTrace(h plugins.Host, ns *netcore.Socket, spec *traceSpec) error {
	var sink netcore.Tracer
	if spec != nil {
		k, err := newTraceSink(h, *spec, false)
		if err != nil {
			return err
		}
		k.attach(ns.ID())
		sink = k
	}
	old := ns.Tracer()
	ns.SetTracer(sink)
	if k, ok := old.(*traceSink); ok && !k.session {
		k.detach(ns.ID())
	}
	return nil
}

// socket.trace([true|false|{hex=, max=, file=, pcap=}]) -> true | nil, err, story.
// With no argument it tells whether the session is traced.
func (m *module) traceFn(L *lua.LState) int {
	maxArgs(L, "socket.trace", 1)
	if L.GetTop() == 0 || L.Get(1) == lua.LNil {
		L.Push(lua.LBool(m.h.Sockets().NamedTracer(traceName) != nil))
		return 1
	}
	spec, on := checkTraceArg(L, "socket.trace", 1)
	var sp *traceSpec
	if on {
		sp = &spec
	}
	if err := setSessionTrace(m.h, sp); err != nil {
		return fail(L, err)
	}
	L.Push(lua.LTrue)
	return 1
}

// sock:trace([true|false|{...}]) -> true | nil, err, story: this socket's
// own trace, whatever the session's. With no argument: is it traced?
func (m *module) traceMethod(L *lua.LState) int {
	s := self(L, "trace")
	maxArgs(L, "trace", 2)
	if L.GetTop() < 2 || L.Get(2) == lua.LNil {
		L.Push(lua.LBool(s.ns.Tracer() != nil))
		return 1
	}
	spec, on := checkTraceArg(L, "trace", 2)
	if !s.stillOpen() {
		return fail(L, &netcore.OpError{Op: "trace", Err: netcore.ErrClosed})
	}
	var sp *traceSpec
	if on {
		sp = &spec
	}
	if err := setSocketTrace(m.h, s.ns, sp); err != nil {
		return fail(L, err)
	}
	L.Push(lua.LTrue)
	return 1
}

const traceUsage = ".trace [on [FILE] | off | ID [off]]"

// traceCommand is ".trace [on [FILE] | off | ID [off]]".
var traceCommand = plugins.Command{
	Name:    "trace",
	Usage:   traceUsage,
	Summary: "trace socket calls above the prompt (FILE.pcapng: synthesised packets); ID: one socket",
	Run:     runTraceCommand,
}

func runTraceCommand(L *lua.LState, h plugins.Host, args []string) error {
	out := h.Stdout()
	usage := fmt.Errorf("usage: %s", traceUsage)
	if len(args) == 0 {
		fmt.Fprintln(out, traceStatus(h))
		return nil
	}
	switch args[0] {
	case "on":
		if len(args) > 2 {
			return usage
		}
		spec := defaultSpec()
		if len(args) == 2 {
			spec.file = args[1]
		}
		if err := setSessionTrace(h, &spec); err != nil {
			return err
		}
	case "off":
		if len(args) > 1 {
			return usage
		}
		setSessionTrace(h, nil)
	default:
		id, err := strconv.Atoi(strings.TrimPrefix(args[0], "#"))
		if err != nil || len(args) > 2 || (len(args) == 2 && args[1] != "off" && args[1] != "on") {
			return usage
		}
		ns := h.Sockets().Get(id)
		if ns == nil {
			return fmt.Errorf("trace: no open socket %d (.sockets lists them)", id)
		}
		var spec *traceSpec
		if len(args) == 1 || args[1] == "on" {
			sp := defaultSpec()
			spec = &sp
		}
		if err := setSocketTrace(h, ns, spec); err != nil {
			return err
		}
	}
	fmt.Fprintln(out, traceStatus(h))
	return nil
}

// traceStatus describes the session's trace and the sockets with their own.
func traceStatus(h plugins.Host) string {
	var b strings.Builder
	b.WriteString("trace: ")
	if k, ok := h.Sockets().NamedTracer(traceName).(*traceSink); ok {
		b.WriteString("on, " + k.describe())
	} else {
		b.WriteString("off")
	}
	for _, in := range h.Sockets().List() {
		ns := h.Sockets().Get(in.ID)
		if ns == nil {
			continue
		}
		switch k := ns.Tracer().(type) {
		case *traceSink:
			if !k.session {
				fmt.Fprintf(&b, "\n  #%d %s: own trace, %s", in.ID, in.Type, k.describe())
			}
		case nil:
			if h.Sockets().Traced() {
				fmt.Fprintf(&b, "\n  #%d %s: not traced", in.ID, in.Type)
			}
		}
	}
	return b.String()
}

var traceHelp = []plugins.Help{
	{Name: "socket.trace", Signature: "socket.trace([true|false|{hex=true, max=1024, file=PATH, pcap=PATH}]) -> true | nil, err, story",
		Summary: "trace every socket call of the session above the prompt: a header line (time, #id, kind, local -> peer, call, bytes) and an xxd dump; file= writes it to PATH (PATH.pcapng: synthesised packets for Wireshark), pcap= adds a pcapng; no argument: is tracing on?",
		Example: "socket.trace(true)\nlocal c = socket.connect(\"127.0.0.1\", 8080)\nsocket.trace{hex = false, file = \"/tmp/calls.txt\"}\nsocket.trace(false)"},
	{Name: "sock:trace", Signature: "sock:trace([true|false|{hex=, max=, file=, pcap=}]) -> true | nil, err, story",
		Summary: "trace this socket (and the ones it accepts) whatever the session does; false silences it; no argument: is it traced?",
		Example: "local c = socket.connect(\"127.0.0.1\", 8080)\nc:trace{max = 64}\nc:send(\"hello\\n\")"},
}
