package time

import (
	"math"
	stdtime "time"

	lua "github.com/yuin/gopher-lua"

	"nsh/plugins"
)

// start anchors time.monotonic.
var start = stdtime.Now()

// Open builds the time module table.
func Open(L *lua.LState, h plugins.Host) *lua.LTable {
	return L.SetFuncs(L.NewTable(), map[string]lua.LGFunction{
		"now":       now,
		"monotonic": monotonic,
		"strftime":  strftime,
		"strptime":  strptime,
		"date":      date,
	})
}

// now is time.now() -> seconds (float, since the epoch).
func now(L *lua.LState) int {
	L.Push(lua.LNumber(float64(stdtime.Now().UnixNano()) / 1e9))
	return 1
}

// monotonic is time.monotonic() -> seconds (float, from an arbitrary start).
func monotonic(L *lua.LState) int {
	L.Push(lua.LNumber(stdtime.Since(start).Seconds()))
	return 1
}

// strftime is time.strftime(fmt[, t[, utc]]) -> string.
func strftime(L *lua.LState) int {
	format := checkString(L, 1, "time.strftime", "fmt")
	t := optTime(L, 2, "time.strftime")
	s, err := Strftime(format, inZone(t, L.Get(3), "time.strftime", L))
	if err != nil {
		L.RaiseError("time.strftime: argument #1 (fmt): %v", err)
	}
	L.Push(lua.LString(s))
	return 1
}

// strptime is time.strptime(s, fmt[, utc]) -> seconds | nil, err, story.
func strptime(L *lua.LState) int {
	s := checkString(L, 1, "time.strptime", "s")
	format := checkString(L, 2, "time.strptime", "fmt")
	loc := stdtime.Local
	if checkUTC(L, 3, "time.strptime") {
		loc = stdtime.UTC
	}
	t, err := Strptime(s, format, loc)
	if err != nil {
		if _, bad := err.(*FormatError); bad {
			L.RaiseError("time.strptime: argument #2 (fmt): %v", err)
		}
		L.Push(lua.LNil)
		L.Push(lua.LString("invalid time"))
		L.Push(lua.LString("time.strptime: " + err.Error()))
		return 3
	}
	L.Push(lua.LNumber(float64(t.Unix()) + float64(t.Nanosecond())/1e9))
	return 1
}

// date is time.date([t[, utc]]) -> {year, month, day, hour, min, sec, usec,
// wday, yday, isdst, zone, utcoffset}.
func date(L *lua.LState) int {
	t := inZone(optTime(L, 1, "time.date"), L.Get(2), "time.date", L)
	tb := L.NewTable()
	set := func(k string, v int) { tb.RawSetString(k, lua.LNumber(v)) }
	set("year", t.Year())
	set("month", int(t.Month()))
	set("day", t.Day())
	set("hour", t.Hour())
	set("min", t.Minute())
	set("sec", t.Second())
	set("usec", t.Nanosecond()/1000)
	set("wday", int(t.Weekday())+1)
	set("yday", t.YearDay())
	zone, off := t.Zone()
	set("utcoffset", off)
	tb.RawSetString("zone", lua.LString(zone))
	tb.RawSetString("isdst", lua.LBool(t.IsDST()))
	L.Push(tb)
	return 1
}

func checkString(L *lua.LState, n int, op, name string) string {
	s, ok := L.Get(n).(lua.LString)
	if !ok {
		L.RaiseError("%s: argument #%d (%s) must be a string, got %s", op, n, name, L.Get(n).Type())
	}
	return string(s)
}

// optTime reads seconds since the epoch at n (default now).
func optTime(L *lua.LState, n int, op string) stdtime.Time {
	switch v := L.Get(n).(type) {
	case *lua.LNilType:
		return stdtime.Now()
	case lua.LNumber:
		f := float64(v)
		if math.IsNaN(f) || math.IsInf(f, 0) || math.Abs(f) > 1e14 {
			L.RaiseError("%s: argument #%d (t) is out of range: %v", op, n, f)
		}
		return FromSeconds(f)
	default:
		L.RaiseError("%s: argument #%d (t) must be a number of seconds, got %s", op, n, v.Type())
	}
	return stdtime.Time{}
}

// FromSeconds converts float seconds since the epoch to a time, rounded to
// the microsecond (half to even) as Python's datetime.fromtimestamp does.
func FromSeconds(f float64) stdtime.Time {
	sec := math.Floor(f)
	usec := math.RoundToEven((f - sec) * 1e6)
	if usec >= 1e6 {
		sec, usec = sec+1, 0
	}
	return stdtime.Unix(int64(sec), int64(usec)*1000)
}

// checkUTC reads the optional utc flag at n.
func checkUTC(L *lua.LState, n int, op string) bool {
	switch v := L.Get(n).(type) {
	case *lua.LNilType:
		return false
	case lua.LBool:
		return bool(v)
	default:
		L.RaiseError("%s: argument #%d (utc) must be a boolean, got %s", op, n, v.Type())
	}
	return false
}

// inZone puts t in UTC or local time as the utc flag v says.
func inZone(t stdtime.Time, v lua.LValue, op string, L *lua.LState) stdtime.Time {
	if v != lua.LNil {
		if _, ok := v.(lua.LBool); !ok {
			L.RaiseError("%s: utc must be a boolean, got %s", op, v.Type())
		}
	}
	if v == lua.LTrue {
		return t.UTC()
	}
	return t.Local()
}
