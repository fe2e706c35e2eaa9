package netcore

import (
	"crypto/rand"
	"crypto/sha256"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"

	"golang.org/x/sys/unix"
)

func TestSendFileRecvFile(t *testing.T) {
	const size = 8<<20 + 12345
	dir := t.TempDir()
	src := filepath.Join(dir, "src.bin")
	data := make([]byte, size)
	rand.Read(data)
	if err := os.WriteFile(src, data, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name          string
		offset, count int64
		recvCount     int64
		wantEOF       bool
	}{
		{"whole file", 0, -1, -1, false},
		{"exact count", 0, size, size, false},
		{"offset and count", 1000, 3 << 20, 3 << 20, false},
		{"peer stops early", 0, 1 << 20, 2 << 20, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := testCtx(t)
			tb := newTable(t)
			c, s := pair(t, tb, unix.AF_INET)
			c.SetOption(unix.SOL_SOCKET, unix.SO_SNDBUF, 65536) // force many waits
			want := data[tc.offset:]
			if tc.count >= 0 {
				want = want[:tc.count]
			}
			in, err := os.Open(src)
			if err != nil {
				t.Fatal(err)
			}
			defer in.Close()
			sent := make(chan error, 1)
			go func() {
				n, err := c.SendFile(ctx, in, tc.offset, tc.count)
				if err == nil && n != int64(len(want)) {
					err = errors.New("short sendfile")
				}
				c.Shutdown(unix.SHUT_WR)
				sent <- err
			}()
			// A little of the stream goes through the line buffer first.
			head, err := s.RecvExactly(ctx, 10)
			if err != nil {
				t.Fatal(err)
			}
			out, err := os.Create(filepath.Join(dir, "dst-"+tc.name))
			if err != nil {
				t.Fatal(err)
			}
			defer out.Close()
			out.Write(head)
			rc := tc.recvCount
			if rc >= 0 {
				rc -= 10
			}
			n, err := s.RecvFile(ctx, out, rc)
			if tc.wantEOF {
				if !errors.Is(err, io.EOF) || Short(err) != "closed" {
					t.Fatalf("RecvFile = %d, %v; want closed", n, err)
				}
			} else if err != nil {
				t.Fatal(err)
			}
			if err := <-sent; err != nil {
				t.Fatal(err)
			}
			if off, _ := in.Seek(0, io.SeekCurrent); off != 0 {
				t.Fatalf("SendFile moved the file offset to %d", off)
			}
			got, _ := os.ReadFile(out.Name())
			if sha256.Sum256(got) != sha256.Sum256(want) {
				t.Fatalf("sha256 differs: got %d bytes, want %d", len(got), len(want))
			}
			if c.BytesOut() != uint64(len(want)) {
				t.Fatalf("BytesOut = %d", c.BytesOut())
			}
		})
	}
}
