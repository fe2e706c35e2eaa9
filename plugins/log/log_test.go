package log_test

import (
	"strings"
	"testing"
	"time"

	lua "github.com/yuin/gopher-lua"

	"nsh/plugins"
	nlog "nsh/plugins/log"
	"nsh/plugins/plugintest"
)

// fixedClock pins the log clock to 2026-11-22 10:00:00.123 local time.
func fixedClock(t *testing.T) {
	at := time.Date(2026, 11, 22, 10, 0, 0, 123456789, time.Local)
	t.Cleanup(nlog.SetClock(func() time.Time { return at }))
}

func mustGet(t *testing.T) *plugins.Plugin {
	p, ok := plugins.Get("log")
	if !ok {
		t.Fatal("log is not registered")
	}
	return p
}

func newState(t *testing.T) (*lua.LState, *plugintest.Host) {
	h := plugintest.NewHost(t)
	return plugintest.NewState(t, h, "log"), h
}

func TestLua(t *testing.T) {
	fixedClock(t)
	L, h := newState(t)
	L.SetGlobal("stderr", L.NewFunction(func(L *lua.LState) int {
		L.Push(lua.LString(h.Err.String()))
		h.Err.Reset()
		return 1
	}))
	plugintest.RunLuaTests(t, L, "test/log_test.lua")
}

func TestREADMEExample(t *testing.T) {
	fixedClock(t)
	L, h := newState(t)
	plugintest.RunREADMEExample(t, L, h, "README.md")
}

// styledHost colours with visible markers.
type styledHost struct{ *plugintest.Host }

func (styledHost) Style(kind, s string) string { return "<" + kind + ">" + s + "</>" }

func TestLevelsAreStyled(t *testing.T) {
	fixedClock(t)
	h := plugintest.NewHost(t)
	sh := styledHost{h}
	L := plugintest.NewState(t, h)
	p := mustGet(t)
	plugintest.Load(L, sh, p)
	if err := L.DoString(`log.level("debug") log.debug("d") log.info("i") log.warn("w") log.error("e")`); err != nil {
		t.Fatal(err)
	}
	want := "2026-11-22 10:00:00.123 <dim>DEBUG</> d\n" +
		"2026-11-22 10:00:00.123 <ok>INFO</> i\n" +
		"2026-11-22 10:00:00.123 <warn>WARN</> w\n" +
		"2026-11-22 10:00:00.123 <error>ERROR</> e\n"
	if h.Err.String() != want {
		t.Errorf("stderr:\n%s\nwant:\n%s", h.Err.String(), want)
	}
}

func TestMisuseRaises(t *testing.T) {
	L, _ := newState(t)
	tests := []struct{ code, want string }{
		{`log.info()`, "log.info: needs a message"},
		{`log.warn({}, 1)`, "log.warn: argument #1 (fmt) must be a string when more arguments follow, got table"},
		{`log.level("verbose")`, "log.level: argument #1 (name) must be one of debug, info, warn, error, off, got verbose"},
		{`log.set_output("file")`, `log.set_output: argument #1 must be "stdout" or "stderr", got file`},
		// the format's arguments are checked as string.format checks them:
		// a Lua error naming log's function, never Go's "%!s(MISSING)" or a 0
		{`log.info("%s %s", 1)`, "<string>:1: log.info: bad argument #3 (no value)"},
		{`log.info("%d", "x")`, "<string>:1: log.info: bad argument #2 (number expected, got string)"},
		{`log.error("%d %d", 1, {})`, "log.error: bad argument #3 (number expected, got table)"},
		{`log.warn("%y", 1)`, "log.warn: invalid option '%y'"},
		{`log.debug("%999d", 1)`, "log.debug: invalid format (width or precision too long)"},
	}
	for _, tt := range tests {
		err := L.DoString(tt.code)
		if err == nil || !strings.Contains(err.Error(), tt.want) || strings.Contains(err.Error(), "%!") {
			t.Errorf("%s: err = %v, want %q", tt.code, err, tt.want)
		}
	}
}
