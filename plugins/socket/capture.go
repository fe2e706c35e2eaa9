package socket

import (
	lua "github.com/yuin/gopher-lua"

	"nsh/capture"
	"nsh/plugins"
)

const captureType = "socket.capture"

var captureHelp = []plugins.Help{
	{Name: "socket.capture", Signature: "socket.capture{[ports={...}][, file=PATH][, quiet=true]} -> cap | nil, err, story",
		Summary: "capture the real packets of the session's sockets (or of ports) on lo: one decoded line each, and a pcapng file; needs root or CAP_NET_RAW",
		Example: "local cap = assert(socket.capture{ports={8080}, file=\"/tmp/x.pcapng\"})\n-- ... talk on port 8080 ...\ncap:stop()"},
	{Name: "cap:stop", Signature: "cap:stop() -> count | nil, err, story",
		Summary: "end the capture, complete the file; returns how many packets it saw (or the file's error)",
		Example: "local n = assert(cap:stop())\nprint(n .. \" packets\")"},
	{Name: "cap:count", Signature: "cap:count() -> count",
		Summary: "how many packets the capture has shown so far",
		Example: "print(cap:count())"},
}

// captureMethods are the methods of the object socket.capture returns.
var captureMethods = map[string]lua.LGFunction{"stop": captureStop, "count": captureCount}

// captureOf checks that argument 1 is a capture.
func captureOf(L *lua.LState, fn string) *capture.Capture {
	if ud, ok := L.Get(1).(*lua.LUserData); ok {
		if c, ok := ud.Value.(*capture.Capture); ok {
			return c
		}
	}
	argError(L, fn, 0, "capture", 1)
	return nil
}

// socket.capture{ports=..., file=..., quiet=...}
func (m *module) captureFn(L *lua.LState) int {
	const fn = "socket.capture"
	maxArgs(L, fn, 1)
	o := capture.Options{Owner: m.h.Sockets(), Lines: m.h.Stdout(), Errors: m.h.Stderr(), Style: m.h.Style}
	switch opts := L.Get(1).(type) {
	case *lua.LNilType:
	case *lua.LTable:
		var bad string
		opts.ForEach(func(k, v lua.LValue) {
			switch k.String() {
			case "ports":
				t, ok := v.(*lua.LTable)
				if !ok {
					bad = "ports must be a table of port numbers, got " + v.Type().String()
					return
				}
				t.ForEach(func(_, p lua.LValue) {
					n, ok := p.(lua.LNumber)
					if !ok || n != lua.LNumber(int(n)) || n < 1 || n > 65535 {
						bad = "ports must be numbers from 1 to 65535, got " + L.ToStringMeta(p).String()
						return
					}
					o.Ports = append(o.Ports, int(n))
				})
			case "file":
				s, ok := v.(lua.LString)
				if !ok || s == "" {
					bad = "file must be a path, got " + v.Type().String()
					return
				}
				o.File = string(s)
			case "quiet":
				if lua.LVAsBool(v) {
					o.Lines = nil
				}
			default:
				bad = "unknown option " + k.String() + " (ports, file, quiet)"
			}
		})
		if bad != "" {
			L.RaiseError("%s: %s", fn, bad)
		}
	default:
		argError(L, fn, 1, "table of options", 1)
	}
	if len(o.Ports) == 0 {
		tb := m.h.Sockets()
		o.Source = func() []capture.Endpoint { return capture.EndpointsOf(tb.Endpoints()) }
	}
	var stopWatch func()
	if o.Source != nil {
		stopWatch = m.h.Sockets().WatchPorts()
	}
	c, err := capture.Start(o)
	if err != nil {
		if stopWatch != nil {
			stopWatch()
		}
		return fail(L, err)
	}
	ud := L.NewUserData()
	ud.Value = c
	L.SetMetatable(ud, m.captureMT(L))
	if stopWatch != nil {
		go func() { c.Wait(); stopWatch() }()
	}
	L.Push(ud)
	return 1
}

func (m *module) captureMT(L *lua.LState) *lua.LTable {
	if mt, ok := L.GetTypeMetatable(captureType).(*lua.LTable); ok {
		return mt
	}
	mt := L.NewTypeMetatable(captureType)
	methods := L.NewTable()
	for name, fn := range captureMethods {
		methods.RawSetString(name, L.NewFunction(fn))
	}
	mt.RawSetString("__index", methods)
	mt.RawSetString("__name", lua.LString("capture"))
	mt.RawSetString("__tostring", L.NewFunction(func(L *lua.LState) int {
		L.Push(lua.LString(captureOf(L, "tostring").String()))
		return 1
	}))
	return mt
}

func captureStop(L *lua.LState) int {
	maxArgs(L, "cap:stop", 1)
	c := captureOf(L, "cap:stop")
	if err := c.Stop(); err != nil {
		return fail(L, err)
	}
	L.Push(lua.LNumber(c.Count()))
	return 1
}

func captureCount(L *lua.LState) int {
	maxArgs(L, "cap:count", 1)
	L.Push(lua.LNumber(captureOf(L, "cap:count").Count()))
	return 1
}
