package bench

import (
	"bytes"
	"io"
	"net"
	"sync"
	"testing"
)

// echoServer starts an upper-casing TCP echo server on 127.0.0.1:0; reply,
// if set, replaces the upper-casing. It returns the port.
func echoServer(t *testing.T, reply func([]byte) []byte) int {
	t.Helper()
	if reply == nil {
		reply = bytes.ToUpper
	}
	return tcpServer(t, func(c net.Conn) {
		buf := make([]byte, 64<<10)
		for {
			n, err := c.Read(buf)
			if err != nil {
				return
			}
			if _, err := c.Write(reply(buf[:n])); err != nil {
				return
			}
		}
	})
}

// tcpServer runs serve on a goroutine for each accepted connection and
// closes everything at cleanup.
func tcpServer(t *testing.T, serve func(net.Conn)) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var conns []net.Conn
	var wg sync.WaitGroup
	t.Cleanup(func() {
		ln.Close()
		mu.Lock()
		for _, c := range conns {
			c.Close()
		}
		mu.Unlock()
		wg.Wait()
	})
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer c.Close()
				serve(c)
			}()
		}
	}()
	return ln.Addr().(*net.TCPAddr).Port
}

// udpServer answers datagrams with drop(i) false (i counts from 0) with the
// datagram upper-cased; it returns the port.
func udpServer(t *testing.T, drop func(i int) bool) int {
	t.Helper()
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	t.Cleanup(func() { pc.Close(); <-done })
	go func() {
		defer close(done)
		buf := make([]byte, 65536)
		for i := 0; ; i++ {
			n, addr, err := pc.ReadFrom(buf)
			if err != nil {
				return
			}
			if drop != nil && drop(i) {
				continue
			}
			pc.WriteTo(bytes.ToUpper(buf[:n]), addr)
		}
	}()
	return pc.LocalAddr().(*net.UDPAddr).Port
}

// freePort returns a loopback port with nothing listening on it.
func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	return port
}

// sinkServer counts the bytes each connection sends until it shuts down
// its side, then closes; counts receives each total.
func sinkServer(t *testing.T, counts chan<- int64) int {
	t.Helper()
	return tcpServer(t, func(c net.Conn) {
		n, _ := io.Copy(io.Discard, c)
		counts <- n
	})
}

func num(t *testing.T, r *Result, key string) int64 {
	t.Helper()
	v, ok := r.Get(key).(int64)
	if !ok {
		t.Fatalf("result has no integer %q: %s", key, r.Line())
	}
	return v
}
