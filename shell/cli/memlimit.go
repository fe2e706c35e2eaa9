package cli

import (
	"fmt"
	"os"

	"nsh/internal/memguard"
)

// setMemLimit sets the memory guard's limit from --max-mem (flag, "" when
// not given) or else NSH_MAX_MEM; neither leaves the default (a quarter of the
// RAM or a lower cgroup limit). A bad size is a usage error.
func setMemLimit(flag string, given bool) error {
	if given {
		n, err := memguard.Parse(flag)
		if err != nil {
			return fmt.Errorf("--max-mem: %v", err)
		}
		memguard.Set(n, "--max-mem")
		return nil
	}
	if env := os.Getenv("NSH_MAX_MEM"); env != "" {
		n, err := memguard.Parse(env)
		if err != nil {
			return fmt.Errorf("NSH_MAX_MEM: %v", err)
		}
		memguard.Set(n, "NSH_MAX_MEM")
	}
	return nil
}

// memGuardDoc is docs/API.md's section on the memory guard.
const memGuardDoc = "Every value whose size a script chooses is checked against one limit before it is made, so a\n" +
	"single line cannot kill the shell with Go's \"out of memory\": `string.rep`, `table.concat`,\n" +
	"`string.gsub`, `string.format`, the hex, codec and json outputs, `fs.read`, `recv` sizes. Over it, the\n" +
	"call raises an error naming the function and both sizes, and the shell serves on:\n\n" +
	"```\nnsh> string.rep(\"x\", 2^40)\nstdin:1: string.rep: result of 1.1 TB exceeds the memory limit (6 GB; --max-mem or NSH_MAX_MEM)\n```\n\n" +
	"A size past what can be addressed at all gets Lua's own words, `resulting string too large`.\n" +
	"The limit is per value, not a budget for the session. It defaults to a quarter of the RAM (or of a lower\n" +
	"cgroup memory limit or `ulimit -v`; a quarter, since building a value can take twice its size more)\n" +
	"— `nsh --max-mem SIZE` or the environment variable `NSH_MAX_MEM=SIZE`\n" +
	"set it (the option wins). SIZE is bytes, or a number with `k`, `M`, `G`, `T` (powers of 1000, as the\n" +
	"messages print) or `KiB`, `MiB`, `GiB`, `TiB` (powers of 1024): `--max-mem 512M`, `NSH_MAX_MEM=2GiB`.\n" +
	"Go code (plugins) checks a size with `memguard.Check(\"name.func\", size)` from `nsh/internal/memguard`\n" +
	"and reads a stream with `memguard.ReadAll`.\n\n"
