// Package progress is the nsh plugin that shows the progress of a byte
// count: a bar redrawn in place (done/total, percent, rate, ETA) when
// stderr is a terminal, plain periodic lines when it is not.
package progress

import "nsh/plugins"

func init() {
	plugins.Register(plugins.Plugin{
		Name:    "progress",
		Version: "1.0.0",
		Summary: "progress bars for byte counts: done/total, percent, rate and ETA; plain lines when not on a terminal",
		Open:    Open,
		Global:  true,
		Help: []plugins.Help{
			{Name: "progress.new", Signature: "progress.new(total | nil, label[, {out=\"stderr\"|\"stdout\"}]) -> bar", Summary: "a bar counting towards total bytes (nil: unknown total)", Example: "local bar = progress.new(#data, \"upload\")\nbar:add(n)\nbar:done()"},
			{Name: "bar:add", Signature: "bar:add(n) -> bar", Summary: "count n more bytes (redraws at most 10 times a second on a terminal, once a second otherwise)", Example: `bar:add(#chunk)`},
			{Name: "bar:set", Signature: "bar:set(n) -> bar", Summary: "set the count to n bytes", Example: `bar:set(offset)`},
			{Name: "bar:done", Signature: "bar:done() -> count", Summary: "print the final line (total, average rate, time taken); returns the count", Example: `bar:done()`},
		},
	})
}
