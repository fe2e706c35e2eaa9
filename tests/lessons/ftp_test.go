package lessons_test

import (
	"bytes"
	"crypto/md5"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

const bigSize = 100 << 20 // the 100 MB file of the ftp tests

// TestFTP runs seed 002's Q10 FTP (class version) nsh to nsh against one server:
// 100 MB get and put, missing files, traversal attempts, the exact bytes, a
// client that vanishes or is killed mid-transfer, resumed downloads and two
// clients at once. The subtests run in order on the same server, so each one
// also shows that the server still serves after the one before.
func TestFTP(t *testing.T) {
	sdir := ftpServerDir(t)
	big := writeRandom(t, filepath.Join(sdir, "share", "big.bin"), bigSize, 1)
	small := writeRandom(t, filepath.Join(sdir, "share", "small.bin"), 300<<10, 2)
	if err := os.WriteFile(filepath.Join(sdir, "secret"), []byte("secret\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(sdir, "secret"), filepath.Join(sdir, "share", "link")); err != nil {
		t.Fatal(err)
	}
	srv := startServerIn(t, sdir, "ftp")
	srv.WaitFor(t, "starting...")

	t.Run("get 100 MB", func(t *testing.T) {
		cdir := t.TempDir()
		res := runClientIn(t, cdir, "ftp", srv.Port, "get big.bin\n")
		okClient(t, res, `{"filename": "big.bin", "md5": "`+big.md5+`", "file_size": 104857600}`, "md5 ok: "+big.md5, "下载成功!")
		wantFile(t, filepath.Join(cdir, "download", "big.bin"), big)
		wantNames(t, filepath.Join(cdir, "download"), "big.bin")
	})

	t.Run("put 100 MB", func(t *testing.T) {
		cdir := t.TempDir()
		linkInto(t, filepath.Join(sdir, "share", "big.bin"), filepath.Join(cdir, "share", "up.bin"))
		res := runClientIn(t, cdir, "ftp", srv.Port, "put up.bin\n")
		okClient(t, res, "上传成功!")
		srv.WaitFor(t, "put up.bin: stored 104857600 bytes")
		wantFile(t, filepath.Join(sdir, "upload", "up.bin"), big)
		wantNames(t, filepath.Join(sdir, "upload"), "up.bin")
	})

	t.Run("missing file and traversal", func(t *testing.T) {
		cdir := t.TempDir()
		res := runClientIn(t, cdir, "ftp", srv.Port, "get nope.bin\nget ../secret\nget /etc/hostname\nget link\nput ../secret\nget small.bin\n")
		okClient(t, res, "文件不存在\n", "文件不存在\n", "文件不存在\n", "文件不存在\n", "文件不存在\n", "下载成功!")
		wantFile(t, filepath.Join(cdir, "download", "small.bin"), small)
		wantNames(t, filepath.Join(cdir, "download"), "small.bin")
		wantLines(t, "server stdout", srv.WaitFor(t, "get small.bin: sent"), "get nope.bin: no such file", "get ../secret: path escapes jail", "get /etc/hostname: path escapes jail", "get link: path escapes jail")
	})

	t.Run("put without a name or of a hidden name", func(t *testing.T) {
		cdir := t.TempDir()
		if err := os.MkdirAll(filepath.Join(cdir, "share"), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(cdir, "share", ".hidden"), []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
		res := runClientIn(t, cdir, "ftp", srv.Port, "put\nput .hidden\nget small.bin\n")
		okClient(t, res, "usage: put NAME\n", "put .hidden: refused: hidden names are not uploaded\n", "下载成功!")
		if strings.Contains(res.Stdout, "上传成功") {
			t.Errorf("a refused put reported success:\n%s", res.Stdout)
		}
	})

	t.Run("put with a path in the header", func(t *testing.T) {
		c := dialTCP(t, srv.Addr)
		defer c.Close()
		data := []byte("evil bytes\n")
		sum := md5.Sum(data)
		writeFrame(t, c, "put x", fmt.Sprintf(`{"filename": "../../evil.txt", "md5": "%x", "file_size": %d}`, sum, len(data)), data)
		srv.WaitFor(t, "put evil.txt: stored 11 bytes")
		if _, err := os.Stat(filepath.Join(sdir, "evil.txt")); err == nil {
			t.Errorf("the upload escaped into %s", sdir)
		}
		got, err := os.ReadFile(filepath.Join(sdir, "upload", "evil.txt"))
		if err != nil || !bytes.Equal(got, data) {
			t.Errorf("upload/evil.txt = %q, %v", got, err)
		}
	})

	t.Run("put with a wrong md5 is not stored", func(t *testing.T) {
		c := dialTCP(t, srv.Addr)
		defer c.Close()
		writeFrame(t, c, "put x", `{"filename": "bad.txt", "md5": "00000000000000000000000000000000", "file_size": 4}`, []byte("abcd"))
		srv.WaitFor(t, "put bad.txt: md5 mismatch")
		wantNames(t, filepath.Join(sdir, "upload"), "evil.txt", "up.bin")
	})

	t.Run("client vanishes mid-put", func(t *testing.T) {
		c := dialTCP(t, srv.Addr)
		writeFrame(t, c, "put x", `{"filename": "cut.bin", "md5": "00000000000000000000000000000000", "file_size": 10485760}`, make([]byte, 1<<20))
		c.Close()
		srv.WaitFor(t, "put cut.bin: stopped after 1048576 of 10485760 bytes")
		wantNames(t, filepath.Join(sdir, "upload"), "evil.txt", "up.bin")
	})

	t.Run("bytes on the wire", func(t *testing.T) {
		c := dialTCP(t, srv.Addr)
		defer c.Close()
		want := fmt.Sprintf(`{"filename": "small.bin", "md5": "%s", "file_size": %d}`, small.md5, small.size)
		fullBody := readGet(t, c, "get small.bin", want)
		if got := sha(fullBody); got != small.sha256 {
			t.Errorf("get small.bin: sha256 %s, want %s", got, small.sha256)
		}
		// nsh's resume extra: the same header plus "offset", then the bytes from there on
		want = fmt.Sprintf(`{"filename": "small.bin", "md5": "%s", "file_size": %d, "offset": 1000}`, small.md5, small.size)
		tail := readGet(t, c, "get small.bin 1000", want)
		if !bytes.Equal(tail, fullBody[1000:]) {
			t.Errorf("get small.bin 1000: %d bytes, not the file's tail", len(tail))
		}
		readGet(t, c, "get nope.bin", "") // a zero length: no such file
	})

	t.Run("client vanishes mid-transfer", func(t *testing.T) {
		c := dialTCP(t, srv.Addr)
		header := fmt.Sprintf(`{"filename": "big.bin", "md5": "%s", "file_size": %d}`, big.md5, big.size)
		if _, err := c.Write([]byte("get big.bin")); err != nil {
			t.Fatal(err)
		}
		buf := make([]byte, 4+len(header)+1<<20)
		if _, err := io.ReadFull(c, buf); err != nil {
			t.Fatal(err)
		}
		c.Close() // gone, 1 MB into 100
		srv.WaitFor(t, "get big.bin: stopped after")
		res := runClient(t, "ftp", srv.Port, "get small.bin\n")
		okClient(t, res, "下载成功!")
	})

	t.Run("client killed mid-transfer, then resumed", func(t *testing.T) {
		cdir := t.TempDir()
		// the proxy passes the header and 30 MB, then holds the rest back: when it has
		// written them, flow control means the client has taken all but a few socket
		// buffers' worth, so the kill lands mid-file
		px := startCutProxy(t, srv.Addr, 30<<20, false)
		p := startProc(t, cdir, "get big.bin\n", nshBin, "lesson", "run", "ftp", "client", "--port", fmt.Sprint(px.port))
		<-px.forwarded
		p.cmd.Process.Kill() // our own child, by PID
		<-p.done
		px.close() // the server's side of the dead transfer goes too
		srv.WaitFor(t, "get big.bin: stopped after")
		if _, err := os.Stat(filepath.Join(cdir, "download", "big.bin")); err == nil {
			t.Fatal("big.bin exists under its final name after the client was killed mid-transfer")
		}
		st, err := os.Stat(filepath.Join(cdir, "download", ".big.bin.part"))
		if err != nil || st.Size() < 10<<20 || st.Size() > 30<<20 {
			t.Fatalf("part file after the kill: %v, %v (want 10-30 MB)", st, err)
		}
		res := runClientIn(t, cdir, "ftp", srv.Port, "get big.bin\n")
		okClient(t, res, fmt.Sprintf(`"offset": %d}`, st.Size()), fmt.Sprintf("resuming at byte %d of %d", st.Size(), bigSize), "md5 ok", "下载成功!")
		wantFile(t, filepath.Join(cdir, "download", "big.bin"), big)
		wantNames(t, filepath.Join(cdir, "download"), "big.bin")
		srv.WaitFor(t, fmt.Sprintf("get big.bin: sent %d bytes from offset %d", bigSize-st.Size(), st.Size()))
	})

	t.Run("connection lost mid-transfer, then resumed", func(t *testing.T) {
		cdir := t.TempDir()
		header := fmt.Sprintf(`{"filename": "big.bin", "md5": "%s", "file_size": %d}`, big.md5, big.size)
		px := startCutProxy(t, srv.Addr, int64(4+len(header))+20<<20, true) // then it closes both sides
		res := runClientIn(t, cdir, "ftp", px.port, "get big.bin\n")
		if res.Code != 1 || !strings.Contains(res.Stderr, "the transfer stopped after 20971520 of 104857600 bytes") {
			t.Fatalf("exit %d, want 1 and the stop reported\nstdout:\n%s\nstderr:\n%s", res.Code, res.Stdout, res.Stderr)
		}
		wantNames(t, filepath.Join(cdir, "download"), ".big.bin.part")
		res = runClientIn(t, cdir, "ftp", srv.Port, "get big.bin\n")
		okClient(t, res, "resuming at byte 20971520 of 104857600", "md5 ok", "下载成功!")
		wantFile(t, filepath.Join(cdir, "download", "big.bin"), big)
		wantNames(t, filepath.Join(cdir, "download"), "big.bin")
	})

	t.Run("resume from a wrong part starts again", func(t *testing.T) {
		cdir := t.TempDir()
		if err := os.MkdirAll(filepath.Join(cdir, "download"), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(cdir, "download", ".small.bin.part"), make([]byte, 1000), 0o644); err != nil {
			t.Fatal(err)
		}
		res := runClientIn(t, cdir, "ftp", srv.Port, "get small.bin\n")
		okClient(t, res, "resuming at byte 1000", "md5 mismatch after resuming", "md5 ok", "下载成功!")
		wantFile(t, filepath.Join(cdir, "download", "small.bin"), small)
		wantNames(t, filepath.Join(cdir, "download"), "small.bin")
	})

	t.Run("clients at once", func(t *testing.T) {
		idle := dialTCP(t, srv.Addr) // a first client that says nothing must not hold up the others
		defer idle.Close()
		for i := range 2 {
			t.Run(fmt.Sprint("client", i), func(t *testing.T) {
				t.Parallel()
				cdir := t.TempDir()
				res := runClientIn(t, cdir, "ftp", srv.Port, "get big.bin\n")
				okClient(t, res, "md5 ok", "下载成功!")
				wantFile(t, filepath.Join(cdir, "download", "big.bin"), big)
			})
		}
	})
}

// TestFTPPython checks the nsh ftp lesson against the document's class version
// in both directions: get, put, a missing file, and a resume request that the
// original server does not know (it sends the whole file, which nsh accepts).
func TestFTPPython(t *testing.T) {
	needPython(t)
	t.Run("python client to nsh server", func(t *testing.T) {
		sdir := ftpServerDir(t)
		small := writeRandom(t, filepath.Join(sdir, "share", "small.bin"), 300<<10, 3)
		srv := startServerIn(t, sdir, "ftp")
		cdir := t.TempDir()
		up := writeRandom(t, filepath.Join(cdir, "share", "py.bin"), 200<<10, 4)
		if err := os.MkdirAll(filepath.Join(cdir, "download"), 0o755); err != nil {
			t.Fatal(err)
		}
		t.Setenv("FTP_ROOT", cdir)
		res := runPyClientIn(t, cdir, "ftp", srv.Port, "get small.bin\nput py.bin\nget nope.bin\n")
		okClient(t, res, "'md5': '"+small.md5+"'", "下载成功!", "上传成功!", "文件不存在")
		wantFile(t, filepath.Join(cdir, "download", "small.bin"), small)
		srv.WaitFor(t, "put py.bin: stored 204800 bytes")
		wantLines(t, "server stdout", srv.Stdout(), `put py.bin: md5 not checked: the client sent "xxxxxx"`)
		wantFile(t, filepath.Join(sdir, "upload", "py.bin"), up)
	})
	t.Run("nsh client to python server", func(t *testing.T) {
		sdir := ftpServerDir(t)
		small := writeRandom(t, filepath.Join(sdir, "share", "small.bin"), 300<<10, 5)
		t.Setenv("FTP_ROOT", sdir)
		srv := startPyServerIn(t, sdir, "ftp")
		cdir := t.TempDir()
		up := writeRandom(t, filepath.Join(cdir, "share", "nsh.bin"), 200<<10, 6)
		// a part left from before: nsh asks to resume, the original sends everything
		writePrefix(t, filepath.Join(sdir, "share", "small.bin"), filepath.Join(cdir, "download", ".small.bin.part"), 5000)
		res := runClientIn(t, cdir, "ftp", srv.Port, "get small.bin\nget nope.bin\nput nsh.bin\n")
		okClient(t, res, `md5 not checked: the server sent "xxxxxx"`, "下载成功!", "文件不存在", "上传成功!")
		if strings.Contains(res.Stdout, "resuming") {
			t.Errorf("resumed against a server that does not know offsets:\n%s", res.Stdout)
		}
		wantFile(t, filepath.Join(cdir, "download", "small.bin"), small)
		wantNames(t, filepath.Join(cdir, "download"), "small.bin")
		srv.WaitFor(t, "stored nsh.bin")
		wantFile(t, filepath.Join(sdir, "upload", "nsh.bin"), up)
	})
}

// digest is what a test knows of a file it wrote.
type digest struct {
	size   int64
	md5    string
	sha256 string
}

// ftpServerDir returns a temporary folder with share/ and upload/.
func ftpServerDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for _, sub := range []string{"share", "upload"} {
		if err := os.Mkdir(filepath.Join(dir, sub), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// writeRandom writes size pseudo-random bytes (seeded, so reproducible) to
// path, creating its folder, and returns their digests.
func writeRandom(t *testing.T, path string, size int64, seed uint64) digest {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	m, s := md5.New(), sha256.New()
	w := io.MultiWriter(f, m, s)
	r := rand.NewChaCha8([32]byte{byte(seed)})
	if _, err := io.CopyN(w, r, size); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return digest{size, hex.EncodeToString(m.Sum(nil)), hex.EncodeToString(s.Sum(nil))}
}

// writePrefix copies the first n bytes of src to dst, creating dst's folder.
func writePrefix(t *testing.T, src, dst string, n int64) {
	t.Helper()
	in, err := os.Open(src)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		t.Fatal(err)
	}
	out, err := os.Create(dst)
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close()
	if _, err := io.CopyN(out, in, n); err != nil {
		t.Fatal(err)
	}
}

// linkInto hard-links src as dst (a 100 MB copy for free), creating dst's folder.
func linkInto(t *testing.T, src, dst string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Link(src, dst); err != nil {
		t.Fatal(err)
	}
}

// wantFile fails unless path has the digests of want.
func wantFile(t *testing.T, path string, want digest) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	s := sha256.New()
	n, err := io.Copy(s, f)
	if err != nil {
		t.Fatal(err)
	}
	if got := hex.EncodeToString(s.Sum(nil)); n != want.size || got != want.sha256 {
		t.Fatalf("%s: %d bytes, sha256 %s; want %d bytes, sha256 %s", path, n, got, want.size, want.sha256)
	}
}

// wantNames fails unless dir holds exactly names (no temporary or part files).
func wantNames(t *testing.T, dir string, names ...string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range entries {
		got = append(got, e.Name())
	}
	if strings.Join(got, " ") != strings.Join(names, " ") {
		t.Fatalf("%s holds %q, want %q", dir, got, names)
	}
}

func sha(b []byte) string { s := sha256.Sum256(b); return hex.EncodeToString(s[:]) }

// okClient fails unless the client exited 0 with want in order on stdout.
func okClient(t *testing.T, res Result, want ...string) {
	t.Helper()
	if res.Code != 0 {
		t.Fatalf("client exit %d\nstdout:\n%s\nstderr:\n%s", res.Code, res.Stdout, res.Stderr)
	}
	wantLines(t, "client stdout", res.Stdout, want...)
}

// writeFrame sends a command, then a native 'i' header length, the header and data.
func writeFrame(t *testing.T, w io.Writer, cmd, header string, data []byte) {
	t.Helper()
	var b bytes.Buffer
	b.WriteString(cmd)
	binary.Write(&b, binary.LittleEndian, int32(len(header)))
	b.WriteString(header)
	b.Write(data)
	if _, err := w.Write(b.Bytes()); err != nil {
		t.Fatal(err)
	}
}

// readGet sends cmd and reads the answer: the header must be wantHeader
// exactly ("" for a zero length); it returns the file's bytes.
func readGet(t *testing.T, c io.ReadWriter, cmd, wantHeader string) []byte {
	t.Helper()
	if _, err := c.Write([]byte(cmd)); err != nil {
		t.Fatal(err)
	}
	var n int32
	if err := binary.Read(c, binary.LittleEndian, &n); err != nil {
		t.Fatalf("%s: header length: %v", cmd, err)
	}
	if int(n) != len(wantHeader) {
		t.Fatalf("%s: header length %d, want %d (%s)", cmd, n, len(wantHeader), wantHeader)
	}
	if n == 0 {
		return nil
	}
	header := make([]byte, n)
	if _, err := io.ReadFull(c, header); err != nil {
		t.Fatal(err)
	}
	if string(header) != wantHeader {
		t.Fatalf("%s: header %s, want %s", cmd, header, wantHeader)
	}
	var h struct {
		FileSize int64 `json:"file_size"`
		Offset   int64 `json:"offset"`
	}
	if err := json.Unmarshal(header, &h); err != nil {
		t.Fatal(err)
	}
	body := make([]byte, h.FileSize-h.Offset)
	if _, err := io.ReadFull(c, body); err != nil {
		t.Fatalf("%s: body: %v", cmd, err)
	}
	return body
}

// startProc starts argv in dir with stdin and returns at once (no ready line);
// it is killed by PID in t.Cleanup if still running.
func startProc(t *testing.T, dir, stdin string, argv ...string) *Server {
	t.Helper()
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Dir = dir
	cmd.Env = testEnv()
	cmd.Stdin = strings.NewReader(stdin)
	p := &Server{name: argv[0], cmd: cmd, stdout: newOutput(), stderr: newOutput(), done: make(chan struct{})}
	cmd.Stdout, cmd.Stderr = p.stdout, p.stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		p.code = exitCode(cmd.Wait())
		close(p.done)
	}()
	t.Cleanup(func() {
		select {
		case <-p.done:
		default:
			cmd.Process.Kill()
			<-p.done
		}
	})
	return p
}

// cutProxy stands between an ftp client and the server: it passes everything
// from the client, and the first n bytes from the server; then it closes
// forwarded and either holds the rest back (hang) or closes both sides.
type cutProxy struct {
	port      int
	forwarded chan struct{}
	mu        sync.Mutex
	conns     []io.Closer
}

func (p *cutProxy) add(c io.Closer) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.conns = append(p.conns, c)
}

func (p *cutProxy) close() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, c := range p.conns {
		c.Close()
	}
}

// startCutProxy serves one client connection; t.Cleanup closes everything.
func startCutProxy(t *testing.T, target string, n int64, hangUp bool) *cutProxy {
	return startLimitProxy(t, target, n, false, hangUp)
}

// startLimitProxy serves one connection to target, passing everything one
// way and only the first n bytes the other (from the client when
// fromClient, else from the server); then forwarded is closed, and with
// hangUp every connection too. t.Cleanup closes everything.
func startLimitProxy(t *testing.T, target string, n int64, fromClient, hangUp bool) *cutProxy {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &cutProxy{port: l.Addr().(*net.TCPAddr).Port, forwarded: make(chan struct{})}
	p.add(l)
	t.Cleanup(p.close)
	go func() {
		defer close(p.forwarded)
		client, err := l.Accept()
		if err != nil {
			return
		}
		p.add(client)
		server, err := net.Dial("tcp", target)
		if err != nil {
			client.Close()
			return
		}
		p.add(server)
		if fromClient {
			go io.Copy(client, server)
			io.CopyN(server, client, n)
		} else {
			go io.Copy(server, client)
			io.CopyN(client, server, n)
		}
		if hangUp {
			p.close()
		}
	}()
	return p
}
