// Package capture reads the real packets of a session's sockets from an
// AF_PACKET socket (on lo, or on every interface of a network namespace nsh
// runs in), prints one decoded line per packet and writes them as pcapng.
//
// It is shared by the socket plugin (socket.capture{}), the packet plugin
// and the shell (.capture, lesson --capture), so it lives outside plugins/
// and netcore: netcore must not import gopacket, and a plugin may not import
// another plugin. Decoding and files use gopacket's pure-Go packages (layers,
// pcapgo); the socket is golang.org/x/sys/unix, so the binary stays cgo-free.
package capture
