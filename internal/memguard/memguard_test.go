package memguard

import (
	"context"
	"errors"
	"math"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	good := map[string]int64{
		"1": 1, "512M": 512e6, "12GB": 12e9, "1.5GiB": 3 << 29, "64kib": 64 << 10,
		" 2 g ": 2e9, "100b": 100, "1T": 1e12,
	}
	for in, want := range good {
		if got, err := Parse(in); err != nil || got != want {
			t.Errorf("Parse(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "0", "-1M", "x", "1X", "inf", "nan", "0x10", "1e30G", "0.5"} {
		if n, err := Parse(in); err == nil {
			t.Errorf("Parse(%q) = %d, want an error", in, n)
		}
	}
}

func TestFormat(t *testing.T) {
	for n, want := range map[int64]string{
		0: "0 B", 999: "999 B", 1000: "1 kB", 4200: "4.2 kB", 1 << 40: "1.1 TB",
		12e9: "12 GB", 999_499: "999 kB", math.MaxInt64: "9.2 EB",
	} {
		if got := Format(n); got != want {
			t.Errorf("Format(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestCheck(t *testing.T) {
	old, how := Limit(), Source()
	t.Cleanup(func() { Set(old, how) })
	Set(12e9, "--max-mem")
	if err := Check("string.rep", 12e9); err != nil {
		t.Errorf("at the limit: %v", err)
	}
	err := Check("string.rep", 1<<40)
	if want := "string.rep: result of 1.1 TB exceeds the memory limit (12 GB; --max-mem)"; err == nil || err.Error() != want {
		t.Errorf("over the limit: %v, want %q", err, want)
	}
	if err := Check("hex.tohex", Mul(1<<62, 4)); err == nil || err.Error() != "hex.tohex: resulting string too large" {
		t.Errorf("overflow: %v", err)
	}
	if err := CheckFloat("x", math.NaN()); err == nil {
		t.Error("NaN size accepted")
	}
	if Add(math.MaxInt64, 1) != -1 || Mul(-1, 2) != -1 || Mul(3, 4) != 12 || Add(2, 3) != 5 {
		t.Error("Add/Mul overflow rules")
	}
	Set(0, "")
	if Limit() != Default() || Source() != "" {
		t.Error("Set(0) did not restore the default")
	}
	if err := Check("x", math.MaxInt64-1); err == nil || !strings.Contains(err.Error(), "--max-mem or NSH_MAX_MEM") {
		t.Errorf("the default's hint: %v", err)
	}
}

func TestDefault(t *testing.T) {
	if d := Default(); d < 64<<20 {
		t.Errorf("Default() = %d: under 64 MiB, implausible for a machine running Go tests", d)
	}
}

func TestReadAll(t *testing.T) {
	old, how := Limit(), Source()
	t.Cleanup(func() { Set(old, how) })
	Set(3<<20, "--max-mem")
	ctx := context.Background()
	b, err := ReadAll(ctx, strings.NewReader(strings.Repeat("x", 3<<20)), "fs.read", 0)
	if err != nil || len(b) != 3<<20 {
		t.Fatalf("at the limit: %d bytes, %v", len(b), err)
	}
	_, err = ReadAll(ctx, zeros{}, "fs.read: /dev/zero", 0)
	if err == nil || !errors.Is(err, ErrTooLong) || err.Error() != "fs.read: /dev/zero: more than 3.1 MB, the memory limit (--max-mem)" {
		t.Fatalf("endless input: %v", err)
	}
	_, err = ReadAll(ctx, zeros{}, "x", 10)
	if err == nil || err.Error() != "x: more than max=10 bytes" || !errors.Is(err, ErrTooLong) {
		t.Fatalf("max=10: %v", err)
	}
	if b, err := ReadAll(ctx, strings.NewReader("0123456789"), "x", 10); err != nil || string(b) != "0123456789" {
		t.Fatalf("exactly max: %q %v", b, err)
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := ReadAll(cctx, zeros{}, "x", 0); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled: %v", err)
	}
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) { clear(p); return len(p), nil }
