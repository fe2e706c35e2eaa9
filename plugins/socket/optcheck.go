package socket

import (
	"encoding/binary"
	"math"
	"strconv"

	lua "github.com/yuin/gopher-lua"
	"golang.org/x/sys/unix"

	"nsh/netcore"
)

// valueRule is what setsockopt accepts for one option: integers lo..hi
// (inclusive), and why a value is refused outright.
type valueRule struct {
	lo, hi int
	// holes are values inside lo..hi the kernel refuses (IP_TTL 0).
	holes []int
	// refuse, when set, is why the option cannot be set with an integer at
	// all (read-only options, options that take a struct).
	refuse string
	// name is the option's C name when netcore.Options has none.
	name string
}

// valueRules are the ranges of the options whose values have one. A value
// outside is misuse and raises, instead of the kernel truncating it
// (IP_TOS 300 sets 44), clamping it (SO_RCVBUF -1 sets the maximum) or
// failing with a bare "invalid argument". Options not listed take any C int.
var valueRules = map[netcore.Option]valueRule{
	{Level: unix.SOL_SOCKET, Name: unix.SO_RCVBUF}:             {lo: 0, hi: math.MaxInt32},
	{Level: unix.SOL_SOCKET, Name: unix.SO_SNDBUF}:             {lo: 0, hi: math.MaxInt32},
	{Level: unix.SOL_SOCKET, Name: unix.SO_RCVLOWAT}:           {lo: 0, hi: math.MaxInt32},
	{Level: unix.SOL_SOCKET, Name: unix.SO_PRIORITY}:           {lo: 0, hi: math.MaxInt32},
	{Level: unix.IPPROTO_TCP, Name: unix.TCP_MAXSEG}:           {lo: 0, hi: 32767},
	{Level: unix.IPPROTO_TCP, Name: unix.TCP_KEEPIDLE}:         {lo: 1, hi: 32767},
	{Level: unix.IPPROTO_TCP, Name: unix.TCP_KEEPINTVL}:        {lo: 1, hi: 32767},
	{Level: unix.IPPROTO_TCP, Name: unix.TCP_KEEPCNT}:          {lo: 1, hi: 127},
	{Level: unix.IPPROTO_IP, Name: unix.IP_TTL}:                {lo: -1, hi: 255, holes: []int{0}},
	{Level: unix.IPPROTO_IP, Name: unix.IP_TOS}:                {lo: 0, hi: 255},
	{Level: unix.IPPROTO_IP, Name: unix.IP_MULTICAST_TTL}:      {lo: -1, hi: 255},
	{Level: unix.IPPROTO_IPV6, Name: unix.IPV6_UNICAST_HOPS}:   {lo: -1, hi: 255},
	{Level: unix.IPPROTO_IPV6, Name: unix.IPV6_MULTICAST_HOPS}: {lo: -1, hi: 255},

	{Level: unix.SOL_SOCKET, Name: unix.SO_ERROR}:      {refuse: "is read-only (getsockopt only)"},
	{Level: unix.SOL_SOCKET, Name: unix.SO_TYPE}:       {refuse: "is read-only (getsockopt only)"},
	{Level: unix.SOL_SOCKET, Name: unix.SO_ACCEPTCONN}: {refuse: "is read-only (getsockopt only)"},
	{Level: unix.SOL_SOCKET, Name: unix.SO_DOMAIN}:     {refuse: "is read-only (getsockopt only)"},
	{Level: unix.SOL_SOCKET, Name: unix.SO_PROTOCOL}:   {refuse: "is read-only (getsockopt only)"},
	{Level: unix.SOL_SOCKET, Name: unix.SO_RCVTIMEO}:   {refuse: "takes a struct timeval, not a number (use settimeout)", name: "SO_RCVTIMEO"},
	{Level: unix.SOL_SOCKET, Name: unix.SO_SNDTIMEO}:   {refuse: "takes a struct timeval, not a number (use settimeout)", name: "SO_SNDTIMEO"},
}

// checkOptionValue raises when v is not a value option (level, opt) takes;
// n is the argument number to name.
func checkOptionValue(L *lua.LState, fn string, n, level, opt, v int) {
	r, found := valueRules[netcore.Option{Level: level, Name: opt}]
	if !found {
		return
	}
	name := r.name
	if name == "" {
		name = netcore.OptionName(level, opt)
	}
	if r.refuse != "" {
		L.RaiseError("%s: bad argument #%d (%s %s)", fn, n, name, r.refuse)
	}
	bad := v < r.lo || v > r.hi
	for _, h := range r.holes {
		bad = bad || v == h
	}
	if bad {
		L.RaiseError("%s: bad argument #%d (%s must be %s, got %d)", fn, n, name, r.describe(), v)
	}
}

// describe says the accepted values: "1..127", "-1 (the default) or 1..255".
func (r valueRule) describe() string {
	lo := r.lo
	prefix := ""
	if lo == -1 {
		prefix, lo = "-1 (the system default) or ", 0
	}
	for _, h := range r.holes {
		if h == lo {
			lo++
		}
	}
	hi := strconv.Itoa(r.hi)
	if r.hi == math.MaxInt32 {
		return prefix + "an integer >= " + strconv.Itoa(lo)
	}
	return prefix + "an integer " + strconv.Itoa(lo) + ".." + hi
}

// lingerValue reads SO_LINGER's value at idx: Python's {onoff, seconds}
// (or the 8 bytes of struct.pack("ii", onoff, seconds), as Python passes
// it), or LuaSocket's {on = boolean, timeout = seconds}. Anything else
// raises: a table missing its seconds must not become "linger 0 s", which
// makes close() reset the connection and lose what was still queued.
func lingerValue(L *lua.LState, fn string, idx, n int) (bool, int) {
	want := "SO_LINGER takes {onoff, seconds} or {on = boolean, timeout = seconds}"
	switch v := L.Get(idx).(type) {
	case lua.LString:
		if len(v) != 8 {
			L.RaiseError("%s: bad argument #%d (%s; a string must be the 8 bytes of struct.pack(\"ii\", onoff, seconds), got %d bytes)", fn, n, want, len(v))
		}
		on := int32(binary.LittleEndian.Uint32([]byte(v[:4])))
		sec := int32(binary.LittleEndian.Uint32([]byte(v[4:])))
		if on < 0 || sec < 0 {
			L.RaiseError("%s: bad argument #%d (SO_LINGER onoff and seconds must be >= 0, got %d, %d)", fn, n, on, sec)
		}
		return on != 0, int(sec)
	case *lua.LTable:
		return lingerTable(L, fn, n, v, want)
	}
	argError(L, fn, n, "{onoff, seconds} for SO_LINGER", idx)
	return false, 0
}

// lingerTable reads a linger table of one of the two shapes, refusing
// extra fields, missing ones and mixed shapes.
func lingerTable(L *lua.LState, fn string, n int, t *lua.LTable, want string) (bool, int) {
	keys := 0
	t.ForEach(func(lua.LValue, lua.LValue) { keys++ })
	on, timeout := t.RawGetString("on"), t.RawGetString("timeout")
	if on != lua.LNil || timeout != lua.LNil {
		if keys != b2i(on != lua.LNil)+b2i(timeout != lua.LNil) {
			L.RaiseError("%s: bad argument #%d (%s: a LuaSocket table has exactly the fields on and timeout)", fn, n, want)
		}
		b, isBool := on.(lua.LBool)
		if !isBool {
			L.RaiseError("%s: bad argument #%d (linger field on must be a boolean, got %s)", fn, n, on.Type())
		}
		return bool(b), lingerSeconds(L, fn, n, "timeout", timeout)
	}
	if keys != 2 || t.RawGetInt(1) == lua.LNil || t.RawGetInt(2) == lua.LNil {
		L.RaiseError("%s: bad argument #%d (%s; got a table with %d fields)", fn, n, want, keys)
	}
	var onoff bool
	switch x := t.RawGetInt(1).(type) {
	case lua.LBool:
		onoff = bool(x)
	default:
		onoff = lingerSeconds(L, fn, n, "onoff", x) != 0
	}
	return onoff, lingerSeconds(L, fn, n, "seconds", t.RawGetInt(2))
}

// lingerSeconds reads one linger integer: a whole number 0..2^31-1.
func lingerSeconds(L *lua.LState, fn string, n int, field string, v lua.LValue) int {
	x, isNum := v.(lua.LNumber)
	if !isNum {
		L.RaiseError("%s: bad argument #%d (linger %s must be a number, got %s)", fn, n, field, v.Type())
	}
	f := float64(x)
	if f != math.Trunc(f) || math.IsInf(f, 0) {
		L.RaiseError("%s: bad argument #%d (linger %s must be a whole number, got %v)", fn, n, field, x)
	}
	if f < 0 || f > math.MaxInt32 {
		L.RaiseError("%s: bad argument #%d (linger %s out of range: %v, want 0..%d)", fn, n, field, x, math.MaxInt32)
	}
	return int(f)
}
