package socket

import (
	"testing"

	"nsh/plugins"
)

// TestHelpCoversEveryFunction checks that every module function and every
// socket method has a complete Help entry, and that no entry is stale.
func TestHelpCoversEveryFunction(t *testing.T) {
	doc := map[string]plugins.Help{}
	for _, h := range help {
		if h.Signature == "" || h.Summary == "" || h.Example == "" {
			t.Errorf("help for %s is incomplete", h.Name)
		}
		if _, dup := doc[h.Name]; dup {
			t.Errorf("help for %s appears twice", h.Name)
		}
		doc[h.Name] = h
	}
	m := &module{}
	want := map[string]bool{"socket.newtry": true, "socket.protect": true, "socket.try": true,
		"socket._VERSION": true, "sock.family": true, "socket.dns.toip": true,
		"socket.dns.tohostname": true, "socket.unix": true, "socket.dns.gethostname": true, "socket.dns.getaddrinfo": true, "socket.dns.getnameinfo": true}
	for name := range m.moduleFuncs() {
		want["socket."+name] = true
	}
	for name := range m.methodFuncs() {
		want["sock:"+name] = true
	}
	for name := range captureMethods {
		want["cap:"+name] = true
	}
	for name := range want {
		if _, ok := doc[name]; !ok {
			t.Errorf("%s has no help entry", name)
		}
	}
	for name := range doc {
		if !want[name] {
			t.Errorf("help entry %s documents nothing the module offers", name)
		}
	}
}
