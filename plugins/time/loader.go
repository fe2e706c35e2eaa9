// Package time is the nsh plugin for clocks and dates: wall-clock and
// monotonic seconds, and strftime/strptime with Python's % directives, in
// UTC or local time. It sets the global time (Lua's os.time and os.date
// are left as they are); sleeping is the shell's sleep(s).
package time

import "nsh/plugins"

func init() {
	plugins.Register(plugins.Plugin{
		Name:    "time",
		Version: "1.0.0",
		Summary: "wall and monotonic clocks, strftime/strptime with Python's % formats, UTC and local",
		Open:    Open,
		Global:  true,
		Help: []plugins.Help{
			{Name: "time.now", Signature: "time.now() -> seconds", Summary: "seconds since 1970-01-01 UTC as a float (Python's time.time())", Example: `print(time.now())`},
			{Name: "time.monotonic", Signature: "time.monotonic() -> seconds", Summary: "a clock that never goes back, for measuring intervals (Python's time.monotonic())", Example: "local t0 = time.monotonic()\nsleep(0.1)\nprint(time.monotonic() - t0)"},
			{Name: "time.strftime", Signature: "time.strftime(fmt[, t[, utc]]) -> string", Summary: "format time t (default now) with Python's % directives, local time unless utc is true", Example: `print(time.strftime("%Y-%m-%d %H:%M:%S"))`},
			{Name: "time.strptime", Signature: "time.strptime(s, fmt[, utc]) -> seconds | nil, err, story", Summary: "parse s with Python's % directives into seconds since the epoch; local time unless utc is true or s has %z/%Z", Example: `print(time.strptime("2026-11-22 10:00:00", "%Y-%m-%d %H:%M:%S", true))`},
			{Name: "time.date", Signature: "time.date([t[, utc]]) -> {year, month, day, hour, min, sec, usec, wday, yday, isdst, zone, utcoffset}", Summary: "the parts of time t (default now); wday 1 = Sunday as in os.date", Example: `print(time.date(0, true).year)`},
		},
	})
}
