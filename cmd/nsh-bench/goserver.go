package main

import (
	"flag"
	"fmt"
	"io"
	"net"
	"os"
)

// goServerMain: nsh-bench goserver [--port N] — the Go reference: a TCP
// upper-case echo server with a goroutine per connection (16 KiB buffer
// each), plus a UDP upper-case echo on the same port number.
func goServerMain(args []string) int {
	fs := flag.NewFlagSet("nsh-bench goserver", flag.ContinueOnError)
	port := fs.Int("port", 0, "port (0: a free one)")
	if fs.Parse(args) != nil {
		return 2
	}
	ln, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", *port))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	pc, err := net.ListenPacket("udp", ln.Addr().String())
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	go serveUDP(pc)
	fmt.Printf("listening on %s\n", ln.Addr())
	for {
		c, err := ln.Accept()
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		go serveEcho(c)
	}
}

func serveEcho(c net.Conn) {
	defer c.Close()
	buf := make([]byte, 16<<10)
	for {
		n, err := c.Read(buf)
		if err != nil {
			return
		}
		upper(buf[:n])
		if _, err := c.Write(buf[:n]); err != nil {
			return
		}
	}
}

func serveUDP(pc net.PacketConn) {
	buf := make([]byte, 65536)
	for {
		n, addr, err := pc.ReadFrom(buf)
		if err != nil {
			return
		}
		upper(buf[:n])
		pc.WriteTo(buf[:n], addr)
	}
}

// upper upper-cases ASCII letters in place.
func upper(b []byte) {
	for i, c := range b {
		if 'a' <= c && c <= 'z' {
			b[i] = c - 32
		}
	}
}

// fileServerMain: nsh-bench fileserver FILE [--port N] — every connection
// gets the whole file through io.Copy (sendfile), then is closed.
func fileServerMain(args []string) int {
	fs := flag.NewFlagSet("nsh-bench fileserver", flag.ContinueOnError)
	port := fs.Int("port", 0, "port (0: a free one)")
	if fs.Parse(args) != nil || fs.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: nsh-bench fileserver [--port N] FILE")
		return 2
	}
	path := fs.Arg(0)
	ln, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", *port))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	fmt.Printf("listening on %s\n", ln.Addr())
	for {
		c, err := ln.Accept()
		if err != nil {
			return 1
		}
		go func() {
			defer c.Close()
			f, err := os.Open(path)
			if err != nil {
				return
			}
			defer f.Close()
			io.Copy(c, f)
		}()
	}
}
