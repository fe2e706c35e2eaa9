package memguard

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// units are the suffixes Parse takes: decimal (k, M, G, T, P, with or
// without B, as Format prints) and binary (KiB, MiB, GiB, TiB, PiB).
var units = []struct {
	suffix string
	mult   float64
}{
	{"kib", 1 << 10}, {"mib", 1 << 20}, {"gib", 1 << 30}, {"tib", 1 << 40}, {"pib", 1 << 50},
	{"kb", 1e3}, {"mb", 1e6}, {"gb", 1e9}, {"tb", 1e12}, {"pb", 1e15},
	{"k", 1e3}, {"m", 1e6}, {"g", 1e9}, {"t", 1e12}, {"p", 1e15},
	{"b", 1},
}

// Parse reads a size such as "512M", "12GB", "1.5GiB" or "1048576"
// (bytes). It refuses zero, negative and unparsable sizes.
func Parse(s string) (int64, error) {
	t := strings.ToLower(strings.TrimSpace(s))
	mult := 1.0
	for _, u := range units {
		if strings.HasSuffix(t, u.suffix) {
			t, mult = strings.TrimSpace(strings.TrimSuffix(t, u.suffix)), u.mult
			break
		}
	}
	f, err := strconv.ParseFloat(t, 64)
	if err != nil || t == "" || strings.ContainsAny(t, "xpn") { // no hex, inf, nan
		return 0, fmt.Errorf("bad size %q (want a number of bytes, or with k, M, G, T, KiB, MiB, GiB...)", s)
	}
	n := f * mult
	if !(n >= 1) || n >= math.MaxInt64 {
		return 0, fmt.Errorf("bad size %q: must be at least 1 byte and below 8 EiB", s)
	}
	return int64(n), nil
}

// Format prints n bytes in decimal units with two significant-ish digits:
// "512 B", "4.2 kB", "1.1 TB", "12 GB".
func Format(n int64) string {
	const u = "kMGTPE"
	if n < 1000 {
		return strconv.FormatInt(n, 10) + " B"
	}
	f := float64(n)
	i := -1
	for f >= 1000 && i < len(u)-1 {
		f /= 1000
		i++
	}
	if f < 10 {
		s := strconv.FormatFloat(f, 'f', 1, 64)
		return strings.TrimSuffix(s, ".0") + " " + u[i:i+1] + "B"
	}
	return strconv.FormatFloat(math.Round(f), 'f', 0, 64) + " " + u[i:i+1] + "B"
}
