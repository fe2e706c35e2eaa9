// Package wire is a session's packet capture: the real packets of its
// sockets on lo (.capture, a lesson's --capture), decoded one line each or
// written to a pcapng file, or the call trace synthesised as packets when
// there is no privilege for real ones.
package wire
