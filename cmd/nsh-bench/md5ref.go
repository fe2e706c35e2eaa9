package main

import (
	"crypto/md5"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"os/exec"
	"time"
)

// md5Main: nsh-bench md5 FILE — the digest alone with Go's crypto/md5 (the
// code recvfile's md5 option runs), the bound of a verified get: a get
// that checks every byte cannot finish before its digest does.
func md5Main(args []string) int {
	if len(args) != 1 {
		fmt.Fprintln(os.Stderr, "usage: nsh-bench md5 FILE")
		return 2
	}
	f, err := os.Open(args[0])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer f.Close()
	h := md5.New()
	if _, err := io.CopyBuffer(h, f, make([]byte, 256<<10)); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	fmt.Printf("%s  %s\n", hex.EncodeToString(h.Sum(nil)), args[0])
	return 0
}

// timeMD5 runs "nsh-bench md5 path" and returns its wall time and digest.
func (s *suite) timeMD5(path string) (time.Duration, string, error) {
	t0 := time.Now()
	out, err := exec.Command(s.self, "md5", path).Output()
	d := time.Since(t0)
	if err != nil || len(out) < 32 {
		return 0, "", fmt.Errorf("nsh-bench md5: %v", err)
	}
	return d, string(out[:32]), nil
}
