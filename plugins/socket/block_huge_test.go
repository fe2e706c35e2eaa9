package socket_test

import "testing"

// TestHugeTimeoutsWait: a wait of 1e300 seconds (which as a time.Duration
// would wrap around and end at once) waits until interrupted.
func TestHugeTimeoutsWait(t *testing.T) {
	for name, code := range map[string]string{
		"socket.sleep": `local ok, short = socket.sleep(1e300)
			assert(ok == nil and short == "interrupted", tostring(short))`,
		"settimeout then recvfrom": `u:settimeout(1e300)
			local data, short = u:recvfrom(10)
			assert(data == nil and short == "interrupted", tostring(short))`,
		"socket.select": `local r, w, err = socket.select({u}, nil, 1e300)
			assert(err == "interrupted", tostring(err))`,
	} {
		t.Run(name, func(t *testing.T) {
			L, h := newSignalState(t)
			run(t, L, h, `u = assert(socket.udp()); assert(u:bind("127.0.0.1", 0))`, code, func() { h.cancel() })
		})
	}
}
