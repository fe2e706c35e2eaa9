package main

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"
)

// bulkRow is one bulk transfer: who sent, who received, MB/s (median).
type bulkRow struct {
	sender, receiver string
	mbps             float64
	bytes            int64
	reference        bool   // the nc → nc row the others are compared with
	key              string // for targets: "ftp-fast", "ftp-lesson", "sendfile"
}

// makeFile writes size bytes of letters into a new file under dir.
func makeFile(dir string, size int64) (string, error) {
	path := filepath.Join(dir, "bulk.bin")
	f, err := os.Create(path)
	if err != nil {
		return "", err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	chunk := []byte(strings.Repeat("abcdefghijklmnopqrstuvwxyz0123456789\n", 1<<15))
	for left := size; left > 0; {
		n := min(int64(len(chunk)), left)
		w.Write(chunk[:n])
		left -= n
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return "", err
	}
	return path, f.Close()
}

// freePort returns a loopback port nothing listens on (for nc -l).
func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

// waitListen waits (at most 5 s) until /proc/net/tcp shows port listening:
// connecting to nc -l to find out would use up its one connection.
func waitListen(port int) error {
	if waitProcNet("/proc/net/tcp", port, "0A") != nil {
		return fmt.Errorf("nothing listening on port %d after 5 s", port)
	}
	return nil
}

// timeNCReceive runs "nc -d 127.0.0.1 PORT > /dev/null" (at most 60 s) and
// returns its wall time.
func timeNCReceive(port int) (time.Duration, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "nc", "-d", "127.0.0.1", strconv.Itoa(port))
	t0 := time.Now()
	err := cmd.Run() // stdout is nil: /dev/null
	return time.Since(t0), err
}

// ncFileServer starts "nc -l -N 127.0.0.1 PORT < path" on a free port and
// waits until it listens; stop ends it (by its PID).
func ncFileServer(path string) (port int, stop func(), err error) {
	port, err = freePort()
	if err != nil {
		return 0, nil, err
	}
	f, err := os.Open(path)
	if err != nil {
		return 0, nil, err
	}
	srv := exec.Command("nc", "-l", "-N", "127.0.0.1", strconv.Itoa(port))
	srv.Stdin = f
	if err := srv.Start(); err != nil {
		f.Close()
		return 0, nil, err
	}
	stop = func() { srv.Process.Kill(); srv.Wait(); f.Close() }
	if err := waitListen(port); err != nil {
		stop()
		return 0, nil, err
	}
	return port, stop, nil
}

// ncToNC times one transfer of path from "nc -l -N" to "nc -d".
func ncToNC(path string) (time.Duration, error) {
	port, stop, err := ncFileServer(path)
	if err != nil {
		return 0, err
	}
	defer stop()
	return timeNCReceive(port)
}

func median(ds []float64) float64 {
	sort.Float64s(ds)
	return ds[len(ds)/2]
}

// runBulk measures one-connection transfers of a file: nc to nc (the
// reference), and nsh's sendfile server and Go's io.Copy server, each read
// by nc and by nsh bench bulk.
func (s *suite) runBulk(dir string) {
	if _, err := exec.LookPath("nc"); err != nil {
		s.note("nc not installed (apt-get install netcat-openbsd): bulk rows skipped")
		return
	}
	path, err := makeFile(dir, s.bulkBytes)
	if err != nil {
		s.note("bulk file: %v", err)
		return
	}
	defer os.Remove(path)
	const runs = 3
	mb := float64(s.bulkBytes) / 1e6
	var ref []float64
	for range runs {
		d, err := ncToNC(path)
		if err != nil {
			s.note("nc to nc: %v", err)
			return
		}
		ref = append(ref, mb/d.Seconds())
	}
	s.bulk = append(s.bulk, bulkRow{sender: "nc -l -N < file", receiver: "nc -d > /dev/null", mbps: median(ref), bytes: s.bulkBytes, reference: true})
	defer s.runFTP(dir, path)
	defer s.runLoops(path, s.bulkBytes)
	s.command("nc -l -N 127.0.0.1 PORT < FILE  and  nc -d 127.0.0.1 PORT > /dev/null")
	for _, k := range []struct {
		name, key string
		argv      []string
	}{
		{"nsh s:sendfile (scripts/bench/sendfile_server.lua)", "nsh", []string{s.nsh, s.script("scripts/bench/sendfile_server.lua"), path, "0"}},
		{"Go io.Copy (sendfile)", "go", []string{s.self, "fileserver", "--port", "0", path}},
	} {
		srv, err := startServer(k.name, k.argv)
		if err != nil {
			s.note("%v", err)
			continue
		}
		var viaNC, viaBench []float64
		for range runs {
			d, err := timeNCReceive(srv.port)
			if err != nil {
				s.note("nc from %s: %v", k.key, err)
				break
			}
			viaNC = append(viaNC, mb/d.Seconds())
			r, cmd, err := runBench(s.nsh, "bulk", "--port", strconv.Itoa(srv.port))
			s.command(cmd)
			if err != nil {
				s.note("bench bulk from %s: %v", k.key, err)
				break
			}
			if int64(r.f("bytes")) != s.bulkBytes {
				s.note("bench bulk from %s: %s bytes, want %d", k.key, r["bytes"], s.bulkBytes)
			}
			viaBench = append(viaBench, r.f("mbps"))
		}
		srv.stop()
		if len(viaNC) == runs {
			s.bulk = append(s.bulk, bulkRow{sender: k.name, receiver: "nc -d > /dev/null", mbps: median(viaNC), bytes: s.bulkBytes, key: map[string]string{"nsh": "sendfile"}[k.key]})
		}
		if len(viaBench) == runs {
			s.bulk = append(s.bulk, bulkRow{sender: k.name, receiver: "nsh bench bulk", mbps: median(viaBench), bytes: s.bulkBytes})
		}
		fmt.Fprintf(os.Stderr, "bulk      %-10s nc=%v bench=%v MB/s\n", k.key, viaNC, viaBench)
	}
}

// runFTP measures the ftp lesson's get of the bulk file: the lesson client
// as a person runs it (progress bar, md5 check, rename), and the lesson's
// protocol code on its s:recvfile fast path into /dev/null and into a file;
// nc into a file in the same folder is the reference for the latter.
func (s *suite) runFTP(dir, path string) {
	const runs = 3
	mb := float64(s.bulkBytes) / 1e6
	down := filepath.Join(dir, "download")
	os.MkdirAll(down, 0o755)
	var toFile []float64
	for range runs {
		port, stop, err := ncFileServer(path)
		if err == nil {
			out, _ := os.Create(filepath.Join(down, "nc.bin"))
			cmd := exec.Command("nc", "-d", "127.0.0.1", strconv.Itoa(port))
			cmd.Stdout = out
			t0 := time.Now()
			if err = cmd.Run(); err == nil {
				toFile = append(toFile, mb/time.Since(t0).Seconds())
			}
			stop()
			out.Close()
			os.Remove(filepath.Join(down, "nc.bin"))
		}
		if err != nil {
			s.note("nc into a file: %v", err)
			return
		}
	}
	s.bulk = append(s.bulk, bulkRow{sender: "nc -l -N < file", receiver: "nc -d > file", mbps: median(toFile), bytes: s.bulkBytes, key: "nc-file"})

	srv, err := startServer("ftp lesson server", []string{s.nsh, "lesson", "run", "ftp", "server", "--port", "0",
		"--share", filepath.Dir(path), "--upload", filepath.Join(dir, "upload")})
	if err != nil {
		s.note("%v", err)
		return
	}
	defer srv.stop()
	name := filepath.Base(path)
	port := strconv.Itoa(srv.port)
	s.command("nsh lesson run ftp server --port PORT --share DIR; nsh lesson run ftp client --port PORT --download DIR <<< 'get " + name + "'")
	s.command("nsh scripts/bench/ftp_get.lua ROOT PORT " + name + " /dev/null|FILE")
	for _, t := range []struct {
		receiver, key, out string
	}{
		{"ftp lesson protocol, s:recvfile > /dev/null (scripts/bench/ftp_get.lua)", "ftp-fast", os.DevNull},
		{"ftp lesson protocol, s:recvfile > file (scripts/bench/ftp_get.lua)", "ftp-file", filepath.Join(down, "fast.bin")},
	} {
		var rates []float64
		for range runs {
			ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
			out, err := exec.CommandContext(ctx, s.nsh, s.script("scripts/bench/ftp_get.lua"), s.root, port, name, t.out).CombinedOutput()
			cancel()
			os.Remove(filepath.Join(down, "fast.bin"))
			r := parseResult(string(out))
			if err != nil || r == nil {
				s.note("ftp_get.lua: %v: %s", err, out)
				break
			}
			rates = append(rates, r.f("mbps"))
		}
		if len(rates) == runs {
			s.bulk = append(s.bulk, bulkRow{sender: "ftp lesson server (s:sendfile)", receiver: t.receiver, mbps: median(rates), bytes: s.bulkBytes, key: t.key})
		}
	}
	// The lesson's get, Go's crypto/md5 of the file alone and md5sum take
	// turns: a verified get cannot beat computing its digest, and the
	// digest alone, in the same minute, is the bound it is measured by.
	var lesson, gosum, sums []float64
	_, haveMD5sum := exec.LookPath("md5sum")
	for range runs {
		ctx, cancel := context.WithTimeout(context.Background(), 120*time.Second)
		cmd := exec.CommandContext(ctx, s.nsh, "lesson", "run", "ftp", "client", "--port", port, "--download", down)
		cmd.Stdin = strings.NewReader("get " + name + "\n")
		cmd.Env = append(os.Environ(), "NO_COLOR=1")
		t0 := time.Now()
		out, err := cmd.CombinedOutput()
		d := time.Since(t0)
		cancel()
		os.Remove(filepath.Join(down, name))
		if err != nil || !strings.Contains(string(out), "md5 ok") {
			s.note("ftp lesson client: %v: %s", err, lastLines(string(out), 3))
			return
		}
		lesson = append(lesson, mb/d.Seconds())
		gd, sum, err := s.timeMD5(path)
		if err != nil {
			s.note("%v", err)
			return
		}
		if !strings.Contains(string(out), "md5 ok: "+sum) {
			s.note("ftp lesson client: its digest is not crypto/md5's %s: %s", sum, lastLines(string(out), 2))
			return
		}
		gosum = append(gosum, mb/gd.Seconds())
		if haveMD5sum == nil {
			t0 := time.Now()
			if err := exec.Command("md5sum", path).Run(); err == nil {
				sums = append(sums, mb/time.Since(t0).Seconds())
			}
		}
	}
	s.command("nsh-bench md5 FILE  (Go's crypto/md5 alone)")
	s.bulk = append(s.bulk, bulkRow{sender: "ftp lesson server (s:sendfile)", receiver: "ftp lesson client get (progress bar, md5 check; wall time)", mbps: median(lesson), bytes: s.bulkBytes, key: "ftp-lesson"})
	s.bulk = append(s.bulk, bulkRow{sender: "Go crypto/md5 of FILE (the digest alone, from the page cache; nsh-bench md5)", receiver: "-", mbps: median(gosum), bytes: s.bulkBytes, key: "go-md5"})
	if len(sums) == runs {
		s.bulk = append(s.bulk, bulkRow{sender: "md5sum FILE (the digest alone, from the page cache)", receiver: "-", mbps: median(sums), bytes: s.bulkBytes, key: "md5sum"})
	}
	fmt.Fprintf(os.Stderr, "ftp       md5: go=%v md5sum=%v\n", gosum, sums)
	fmt.Fprintf(os.Stderr, "ftp       nc>file=%v lesson=%v\n", toFile, lesson)
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], " / ")
}
