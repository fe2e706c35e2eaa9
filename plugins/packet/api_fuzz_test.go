package packet

import (
	"testing"

	"nsh/plugins/plugintest"
)

// FuzzPacketAPI calls every packet function with random arguments — tables
// whose fields are the ones the builders read, with values of every type
// (see plugintest.FuzzAPI): no panic, no Go text, bounded work.
func FuzzPacketAPI(f *testing.F) {
	plugintest.SeedAPI(f, 200)
	f.Fuzz(func(t *testing.T, data []byte) {
		plugintest.FuzzAPI(t, plugintest.API{
			Plugins: []string{"packet"},
			Words: []string{"src", "dst", "sport", "dport", "seq", "ack", "flags", "window", "mss", "wscale", "payload", "ip",
				"type", "code", "id", "127.0.0.1", "::1", "10.0.0.1", "fe80::1", "SA", "S", "FPU", "4", "6"},
		}, data)
	})
}
