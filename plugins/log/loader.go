// Package log is the nsh plugin for levelled, timestamped, coloured
// logging. Lines go to the session's stderr (or stdout), which the shell
// prints above a REPL prompt without breaking the line being typed.
package log

import "nsh/plugins"

func init() {
	plugins.Register(plugins.Plugin{
		Name:    "log",
		Version: "1.0.0",
		Summary: "levelled, timestamped, coloured logging to stderr that prints safely above the REPL prompt",
		Open:    Open,
		Global:  true,
		Help: []plugins.Help{
			{Name: "log.debug", Signature: "log.debug(msg | fmt, ...)", Summary: "log at level debug (hidden unless log.level(\"debug\")); extra arguments go through string.format", Example: `log.debug("got %d bytes from %s", n, tostring(addr))`},
			{Name: "log.info", Signature: "log.info(msg | fmt, ...)", Summary: "log at level info", Example: `log.info("listening on %s:%d", host, port)`},
			{Name: "log.warn", Signature: "log.warn(msg | fmt, ...)", Summary: "log at level warn", Example: `log.warn("retrying in %.1fs", delay)`},
			{Name: "log.error", Signature: "log.error(msg | fmt, ...)", Summary: "log at level error (does not raise)", Example: `log.error("recv failed: %s", err)`},
			{Name: "log.level", Signature: "log.level([name]) -> previous", Summary: "get or set the lowest level shown: debug, info (default), warn, error, off", Example: `log.level("debug")`},
			{Name: "log.set_output", Signature: "log.set_output(\"stdout\"|\"stderr\") -> previous", Summary: "choose where log lines go (default stderr)", Example: `log.set_output("stdout")`},
		},
	})
}
