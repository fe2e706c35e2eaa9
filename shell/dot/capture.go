package dot

import (
	"strings"

	"nsh/shell/wire"
)

func init() {
	Register(Command{Name: "capture", Usage: ".capture [on [ID|PORT]|off|FILE]",
		Summary: "show the real packets of the session's sockets on lo, one decoded line each (or of one socket, or a port); FILE also writes pcapng; needs root or CAP_NET_RAW",
		Run:     func(e *Env, args []string) error { return wire.Command(e.S, args, e.Out) },
		Complete: func(_ *Env, args []string, prefix string) []string {
			if len(args) > 0 {
				return nil
			}
			out := completeWords([]string{"on", "off"}, prefix)
			return append(out, completePath(prefix)...)
		}})
}

func completeWords(words []string, prefix string) []string {
	var out []string
	for _, w := range words {
		if strings.HasPrefix(w, prefix) {
			out = append(out, w)
		}
	}
	return out
}
