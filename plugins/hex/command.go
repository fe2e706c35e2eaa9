package hex

import (
	"errors"
	"fmt"
	"io"
	"os"

	lua "github.com/yuin/gopher-lua"

	"nsh/plugins"
)

// maxFileDump caps how much of a file .hexdump shows.
const maxFileDump = 64 << 10

// hexdumpCommand is ".hexdump FILE": the file's dump, at most 64 KiB.
func hexdumpCommand(L *lua.LState, h plugins.Host, args []string) error {
	if len(args) != 1 {
		return errors.New("usage: .hexdump FILE")
	}
	text, err := dumpFile(args[0], h)
	if err != nil {
		return err
	}
	_, err = io.WriteString(h.Stdout(), text)
	return err
}

// dumpFile returns the dump of the first 64 KiB of a regular file, with a
// note when the file is longer.
func dumpFile(path string, h plugins.Host) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", fmt.Errorf("hexdump: %w", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return "", fmt.Errorf("hexdump: %w", err)
	}
	if !st.Mode().IsRegular() {
		return "", fmt.Errorf("hexdump %s: not a regular file", path)
	}
	data, err := io.ReadAll(io.LimitReader(f, maxFileDump))
	if err != nil {
		return "", fmt.Errorf("hexdump: %w", err)
	}
	o := defaultDump()
	if h.Interactive() {
		o.Style = h.Style
	}
	out := dump(data, o)
	if out != "" {
		out += "\n"
	}
	if st.Size() > int64(len(data)) {
		out += h.Style("dim", fmt.Sprintf("(showing the first %d of %d bytes)", len(data), st.Size())) + "\n"
	}
	if len(data) == 0 {
		out += h.Style("dim", fmt.Sprintf("(%s is empty)", path)) + "\n"
	}
	return out, nil
}
