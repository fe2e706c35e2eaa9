package bench

import (
	"context"
	"errors"
	"sort"
	"strings"
	"time"

	lua "github.com/yuin/gopher-lua"

	"nsh/netcore"
	"nsh/plugins"
)

// Open builds the bench module: rr, conns, bulk and udp, each taking an
// options table and returning a result table (or nil, err, story).
func Open(L *lua.LState, h plugins.Host) *lua.LTable {
	mod := L.NewTable()
	L.SetFuncs(mod, map[string]lua.LGFunction{
		// bench.rr{host=, port=, conns=, size=, duration=, requests=} -> result | nil, err, story
		"rr": func(L *lua.LState) int {
			o := readOpts(L, "bench.rr", "host", "port", "conns", "size", "duration", "requests")
			return run(L, h, func(ctx context.Context) (*Result, error) {
				return RR(ctx, RROptions{Host: o.str("host"), Port: o.int("port"), Conns: o.int("conns"),
					Size: o.int("size"), Duration: o.dur("duration"), Requests: int64(o.int("requests"))})
			})
		},
		// bench.conns{host=, port=, conns=, size=, hold=, pid=} -> result | nil, err, story
		"conns": func(L *lua.LState) int {
			o := readOpts(L, "bench.conns", "host", "port", "conns", "size", "hold", "pid")
			return run(L, h, func(ctx context.Context) (*Result, error) {
				return Conns(ctx, ConnsOptions{Host: o.str("host"), Port: o.int("port"), Conns: o.int("conns"),
					Size: o.int("size"), Hold: o.dur("hold"), PID: o.int("pid")})
			})
		},
		// bench.bulk{host=, port=, dir=, bytes=, request=, duration=} -> result | nil, err, story
		"bulk": func(L *lua.LState) int {
			o := readOpts(L, "bench.bulk", "host", "port", "dir", "bytes", "request", "duration")
			return run(L, h, func(ctx context.Context) (*Result, error) {
				return Bulk(ctx, BulkOptions{Host: o.str("host"), Port: o.int("port"), Dir: o.str("dir"),
					Bytes: int64(o.int("bytes")), Request: o.str("request"), Duration: o.dur("duration")})
			})
		},
		// bench.udp{host=, port=, conns=, size=, duration=, requests=, timeout=} -> result | nil, err, story
		"udp": func(L *lua.LState) int {
			o := readOpts(L, "bench.udp", "host", "port", "conns", "size", "duration", "requests", "timeout")
			return run(L, h, func(ctx context.Context) (*Result, error) {
				return UDP(ctx, UDPOptions{Host: o.str("host"), Port: o.int("port"), Conns: o.int("conns"),
					Size: o.int("size"), Duration: o.dur("duration"), Requests: int64(o.int("requests")),
					Timeout: o.dur("timeout")})
			})
		},
		// bench.line(result) -> "RESULT key=value ..."
		"line": func(L *lua.LState) int {
			L.Push(lua.LString(fromTable(L, 1).Line()))
			return 1
		},
	})
	return mod
}

// opts holds the options a Lua caller gave, already type-checked.
type opts map[string]lua.LValue

func (o opts) str(k string) string {
	if v, ok := o[k].(lua.LString); ok {
		return string(v)
	}
	return ""
}

func (o opts) int(k string) int {
	if v, ok := o[k].(lua.LNumber); ok {
		return int(v)
	}
	return 0
}

func (o opts) dur(k string) time.Duration {
	if v, ok := o[k].(lua.LNumber); ok {
		return time.Duration(float64(v) * float64(time.Second))
	}
	return 0
}

// readOpts reads argument 1, a table of options, raising on an unknown key
// or a value of the wrong type (host, dir and request are strings, the rest
// numbers; durations are in seconds).
func readOpts(L *lua.LState, fn string, keys ...string) opts {
	tb := L.CheckTable(1)
	o := opts{}
	tb.ForEach(func(k, v lua.LValue) {
		name, ok := k.(lua.LString)
		if !ok || !contains(keys, string(name)) {
			L.ArgError(1, fn+": unknown option "+k.String()+" (options: "+strings.Join(keys, ", ")+")")
		}
		wantString := name == "host" || name == "dir" || name == "request"
		switch {
		case wantString && v.Type() != lua.LTString:
			L.ArgError(1, fn+": option "+string(name)+" must be a string, got "+v.Type().String())
		case !wantString && v.Type() != lua.LTNumber:
			L.ArgError(1, fn+": option "+string(name)+" must be a number, got "+v.Type().String())
		case !wantString && float64(v.(lua.LNumber)) < 0:
			L.ArgError(1, fn+": option "+string(name)+" must not be negative")
		}
		o[string(name)] = v
	})
	if o.int("port") == 0 {
		L.ArgError(1, fn+": option port is required")
	}
	return o
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// run measures inside Block, so other tasks (the server under test, say)
// keep running; it pushes the result table or nil, short, story. A bad
// option or a non-loopback target raises instead.
func run(L *lua.LState, h plugins.Host, fn func(ctx context.Context) (*Result, error)) int {
	var res *Result
	err := h.Block(L, func(ctx context.Context) error {
		var err error
		res, err = fn(ctx)
		return err
	})
	if err != nil {
		var ue *UsageError
		if errors.As(err, &ue) {
			L.RaiseError("%s", err.Error())
		}
		L.Push(lua.LNil)
		L.Push(lua.LString(netcore.Short(err)))
		L.Push(lua.LString(err.Error()))
		return 3
	}
	L.Push(toTable(L, res))
	return 1
}

func toTable(L *lua.LState, r *Result) *lua.LTable {
	tb := L.CreateTable(0, len(r.Fields))
	for _, f := range r.Fields {
		switch v := f.Value.(type) {
		case int64:
			tb.RawSetString(f.Key, lua.LNumber(v))
		case float64:
			tb.RawSetString(f.Key, lua.LNumber(v))
		case string:
			tb.RawSetString(f.Key, lua.LString(v))
		}
	}
	return tb
}

// fromTable turns a result table back into a Result (keys sorted, with
// mode first) for bench.line.
func fromTable(L *lua.LState, n int) *Result {
	tb := L.CheckTable(n)
	r := &Result{}
	var keys []string
	tb.ForEach(func(k, v lua.LValue) {
		if s, ok := k.(lua.LString); ok && s != "mode" {
			keys = append(keys, string(s))
		}
	})
	sort.Strings(keys)
	if m := tb.RawGetString("mode"); m != lua.LNil {
		keys = append([]string{"mode"}, keys...)
	}
	for _, k := range keys {
		switch v := tb.RawGetString(k).(type) {
		case lua.LNumber:
			if float64(v) == float64(int64(v)) {
				r.add(k, k, int64(v))
			} else {
				r.add(k, k, float64(v))
			}
		case lua.LString:
			r.add(k, k, string(v))
		}
	}
	return r
}
