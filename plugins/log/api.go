package log

import (
	"io"
	"regexp"
	"strings"
	"time"

	lua "github.com/yuin/gopher-lua"

	"nsh/plugins"
)

// levels in increasing order; "off" hides everything.
var levels = []string{"debug", "info", "warn", "error", "off"}

// styles are the host.Style kinds of each level's name.
var styles = map[string]string{"debug": "dim", "info": "ok", "warn": "warn", "error": "error"}

// clock is the time source, replaced by tests.
var clock = time.Now

// logger is the state of one session's log module.
type logger struct {
	h      plugins.Host
	level  int
	stdout bool
	format lua.LValue // string.format as it was when the module opened
}

// Open builds the log module table.
func Open(L *lua.LState, h plugins.Host) *lua.LTable {
	lg := &logger{h: h, level: 1, format: L.GetField(L.GetGlobal("string"), "format")}
	mod := L.NewTable()
	for i, name := range levels[:4] {
		i, name := i, name
		L.SetField(mod, name, L.NewFunction(func(L *lua.LState) int { return lg.log(L, i, name) }))
	}
	L.SetField(mod, "level", L.NewFunction(lg.setLevel))
	L.SetField(mod, "set_output", L.NewFunction(lg.setOutput))
	return mod
}

// log is log.<level>(msg | fmt, ...): one line, "2026-11-22 10:00:00.123 INFO msg".
func (lg *logger) log(L *lua.LState, level int, name string) int {
	op := "log." + name
	if L.GetTop() == 0 {
		L.RaiseError("%s: needs a message", op)
	}
	msg := L.ToStringMeta(L.Get(1)).String()
	if L.GetTop() > 1 {
		if _, isStr := L.Get(1).(lua.LString); !isStr {
			L.RaiseError("%s: argument #1 (fmt) must be a string when more arguments follow, got %s", op, L.Get(1).Type())
		}
		msg = lg.sprintf(L, op)
	}
	if level < lg.level {
		return 0
	}
	line := clock().Format("2006-01-02 15:04:05.000") + " " + lg.h.Style(styles[name], strings.ToUpper(name)) + " " + msg + "\n"
	io.WriteString(lg.writer(), line)
	return 0
}

// wherePrefix is the "chunk:line: " string.format's error starts with; log
// raises with its own.
var wherePrefix = regexp.MustCompile(`^[^\n]*?:\d+: `)

// sprintf runs string.format over the arguments, naming op in its errors.
func (lg *logger) sprintf(L *lua.LState, op string) string {
	args := make([]lua.LValue, L.GetTop())
	for i := range args {
		args[i] = L.Get(i + 1)
	}
	if err := L.CallByParam(lua.P{Fn: lg.format, NRet: 1, Protect: true}, args...); err != nil {
		msg := err.Error()
		if ae, ok := err.(*lua.ApiError); ok {
			msg = ae.Object.String()
		}
		// string.format's "stdin:3: bad argument #3 to 'format' (no value)"
		// becomes "stdin:3: log.info: bad argument #3 (no value)": the
		// arguments are log.info's own, in the same places.
		msg = wherePrefix.ReplaceAllString(msg, "")
		msg = strings.Replace(msg, " to 'format'", "", 1)
		L.RaiseError("%s: %s", op, msg)
	}
	s := L.Get(-1).String()
	L.Pop(1)
	return s
}

func (lg *logger) writer() io.Writer {
	if lg.stdout {
		return lg.h.Stdout()
	}
	return lg.h.Stderr()
}

// setLevel is log.level([name]) -> previous.
func (lg *logger) setLevel(L *lua.LState) int {
	prev := levels[lg.level]
	if L.GetTop() > 0 {
		name, isStr := L.Get(1).(lua.LString)
		found := false
		for i, l := range levels {
			if isStr && strings.EqualFold(string(name), l) {
				lg.level, found = i, true
			}
		}
		if !found {
			L.RaiseError("log.level: argument #1 (name) must be one of debug, info, warn, error, off, got %s", L.ToStringMeta(L.Get(1)))
		}
	}
	L.Push(lua.LString(prev))
	return 1
}

// setOutput is log.set_output("stdout"|"stderr") -> previous.
func (lg *logger) setOutput(L *lua.LState) int {
	prev := "stderr"
	if lg.stdout {
		prev = "stdout"
	}
	switch v := L.Get(1); v {
	case lua.LString("stdout"):
		lg.stdout = true
	case lua.LString("stderr"):
		lg.stdout = false
	default:
		L.RaiseError("log.set_output: argument #1 must be \"stdout\" or \"stderr\", got %s", L.ToStringMeta(v))
	}
	L.Push(lua.LString(prev))
	return 1
}
