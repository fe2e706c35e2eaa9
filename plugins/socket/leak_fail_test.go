package socket_test

import "testing"

// TestNoDescriptorLeakOnFailures: the shortcuts that open a socket and then
// fail (refused, busy port, wrong family) close it again, and failed
// binds/connects on a script's own socket leave just that socket.
func TestNoDescriptorLeakOnFailures(t *testing.T) {
	checkNoLeak(t, `
		local busy = assert(socket.bind("127.0.0.1", 0))
		local _, port = busy:getsockname()
		local gone = socket.tcp(); assert(gone:bind("127.0.0.1", 0))
		local _, closed = gone:getsockname()
		gone:close()
		for i = 1, 1000 do
			assert(not socket.connect("127.0.0.1", closed), "refused")
			assert(not socket.bind("127.0.0.1", port), "busy")
			assert(not socket.connect4("::1", port), "family")
			local s = socket.tcp()
			assert(not s:connect("127.0.0.1", closed))
			assert(not s:bind("127.0.0.1", port))
			s:close()
		end
		busy:close()`)
}
