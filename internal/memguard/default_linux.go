package memguard

import (
	"bufio"
	"os"
	"strconv"
	"strings"
	"syscall"
)

// Default is a quarter of the memory this process can have: the RAM
// (/proc/meminfo MemTotal), a cgroup's limit (v2 memory.max, v1
// memory.limit_in_bytes) or RLIMIT_AS, whichever is lowest. A quarter,
// because building a value takes more than its size: a buffer growing
// holds its old and new arrays at once, and the Go bytes made a Lua string
// are a second copy; fs.read("/dev/zero") peaks at ~2.25 times the limit.
// With half the RAM it took a 24 GB machine's OOM killer to stop it.
func Default() int64 {
	avail := int64(-1)
	lower := func(n int64) {
		if n > 0 && (avail < 0 || n < avail) {
			avail = n
		}
	}
	lower(memTotal())
	for _, p := range []string{"/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"} {
		lower(readInt(p))
	}
	var rl syscall.Rlimit
	if syscall.Getrlimit(syscall.RLIMIT_AS, &rl) == nil && rl.Cur != ^uint64(0) && rl.Cur < 1<<62 {
		lower(int64(rl.Cur))
	}
	if avail <= 0 {
		return 1 << 30 // nothing readable: 1 GiB
	}
	return avail / 4
}

// memTotal is MemTotal of /proc/meminfo in bytes, or -1.
func memTotal() int64 {
	f, err := os.Open("/proc/meminfo")
	if err != nil {
		return -1
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "MemTotal:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			if err == nil {
				return kb << 10
			}
		}
	}
	return -1
}

// readInt reads a file holding one number (a cgroup limit); -1 for "max",
// a missing file or anything else.
func readInt(path string) int64 {
	b, err := os.ReadFile(path)
	if err != nil {
		return -1
	}
	n, err := strconv.ParseInt(strings.TrimSpace(string(b)), 10, 64)
	if err != nil {
		return -1
	}
	return n
}
