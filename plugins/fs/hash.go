package fs

import (
	"context"
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/hex"
	"hash"
	"io"
	"os"
)

// newHash returns the hash named alg, or nil for an unknown name.
func newHash(alg string) hash.Hash {
	switch alg {
	case "md5":
		return md5.New()
	case "sha1":
		return sha1.New()
	case "sha256":
		return sha256.New()
	case "sha512":
		return sha512.New()
	}
	return nil
}

// HashFile returns the hex digest of the file at path, reading it in chunks;
// a cancelled ctx stops it with "interrupted".
func HashFile(ctx context.Context, alg, path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := newHash(alg)
	if _, err := io.CopyBuffer(h, ctxReader{ctx, f}, make([]byte, 256<<10)); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// HashString returns the hex digest of s.
func HashString(alg, s string) string {
	h := newHash(alg)
	io.WriteString(h, s)
	return hex.EncodeToString(h.Sum(nil))
}
