package bench

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"time"
)

const cliUsage = `usage: nsh bench MODE [flags]

modes:
  rr     C connections send S-byte messages and read the echo, for D or N round trips
         flags: --host --port --conns (1) --size (64) --duration (5s) --requests (0: no limit)
  conns  open and hold C connections, then check every one still answers
         flags: --host --port --conns (1000) --size (16) --hold (0s) --pid (server, for its memory)
  bulk   send or receive bytes over one connection; MB/s
         flags: --host --port --dir recv|send (recv) --bytes (recv: to end of stream; send: 1G)
                --request TEXT (sent first in recv mode; \r \n \t understood) --duration (60s)
  udp    request/response over UDP; answered/s and loss
         flags: --host --port --conns (1) --size (64) --duration (5s) --requests --timeout (200ms)
  --quiet prints only the RESULT line. Only loopback targets (127.0.0.0/8, ::1, localhost);
  every run stops by itself (at most 60s of measuring).
`

// Main runs "nsh bench MODE [flags]": the table for people and a RESULT
// line on stdout. It returns 0, 1 when the run failed (refused, reset...)
// and 2 on bad usage or a refused target.
func Main(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		io.WriteString(stdout, cliUsage)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	mode := args[0]
	fs := flag.NewFlagSet("nsh bench "+mode, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { io.WriteString(stderr, cliUsage) }
	host := fs.String("host", "127.0.0.1", "target host (loopback only)")
	port := fs.Int("port", 0, "target port")
	conns := fs.Int("conns", 0, "connections")
	size := fs.Int("size", 0, "message size in bytes")
	dur := durationFlag(fs, "duration", "how long to measure")
	requests := fs.Int64("requests", 0, "round trips in all (0: no limit)")
	hold := durationFlag(fs, "hold", "how long to hold the connections")
	pid := fs.Int("pid", 0, "server process to measure")
	dir := fs.String("dir", "recv", "bulk direction: recv or send")
	nbytes := sizeFlag(fs, "bytes", "bytes to move (K, M, G suffixes)")
	request := fs.String("request", "", "bulk recv: text to send first")
	timeout := durationFlag(fs, "timeout", "udp: how long to wait for a reply")
	quiet := fs.Bool("quiet", false, "print only the RESULT line")
	if err := fs.Parse(args[1:]); err != nil {
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "nsh bench %s: unexpected argument %q\n", mode, fs.Arg(0))
		return 2
	}
	if *port == 0 {
		fmt.Fprintf(stderr, "nsh bench %s: --port is required\n", mode)
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	var res *Result
	var err error
	var what string
	switch mode {
	case "rr":
		o := RROptions{Host: *host, Port: *port, Conns: *conns, Size: *size, Duration: *dur.d, Requests: *requests}
		what = fmt.Sprintf("%s connections, %s-byte messages", orDefault(o.Conns, 1), orDefault(o.Size, 64))
		res, err = RR(ctx, o)
	case "conns":
		o := ConnsOptions{Host: *host, Port: *port, Conns: *conns, Size: *size, Hold: *hold.d, PID: *pid}
		what = fmt.Sprintf("%s connections held %v", orDefault(o.Conns, 1000), o.Hold)
		res, err = Conns(ctx, o)
	case "bulk":
		o := BulkOptions{Host: *host, Port: *port, Dir: *dir, Bytes: *nbytes.n, Request: unescape(*request), Duration: *dur.d}
		what = "one connection, " + o.Dir
		res, err = Bulk(ctx, o)
	case "udp":
		o := UDPOptions{Host: *host, Port: *port, Conns: *conns, Size: *size, Duration: *dur.d, Requests: *requests, Timeout: *timeout.d}
		what = fmt.Sprintf("%s sockets, %s-byte datagrams", orDefault(o.Conns, 1), orDefault(o.Size, 64))
		res, err = UDP(ctx, o)
	default:
		fmt.Fprintf(stderr, "nsh bench: unknown mode %q (rr, conns, bulk or udp)\n", mode)
		return 2
	}
	if err != nil {
		fmt.Fprintf(stderr, "nsh bench %s: %v\n", mode, err)
		if errors.As(err, new(*UsageError)) {
			return 2
		}
		return 1
	}
	if !*quiet {
		fmt.Fprintf(stdout, "nsh bench %s %v: %s\n", mode, res.Get("target"), what)
		res.WriteTable(stdout)
	}
	fmt.Fprintln(stdout, res.Line())
	return 0
}

func orDefault(v, def int) string {
	if v == 0 {
		v = def
	}
	return strconv.Itoa(v)
}

// unescape turns \r, \n, \t and \\ in a command-line request into bytes.
func unescape(s string) string {
	return strings.NewReplacer(`\r`, "\r", `\n`, "\n", `\t`, "\t", `\\`, `\`).Replace(s)
}

// durFlag accepts a Go duration ("5s", "250ms") or plain seconds ("2.5").
type durFlag struct{ d *time.Duration }

func durationFlag(fs *flag.FlagSet, name, usage string) durFlag {
	f := durFlag{new(time.Duration)}
	fs.Var(f, name, usage)
	return f
}

func (f durFlag) String() string {
	if f.d == nil {
		return "0s"
	}
	return f.d.String()
}

func (f durFlag) Set(s string) error {
	if secs, err := strconv.ParseFloat(s, 64); err == nil {
		*f.d = time.Duration(secs * float64(time.Second))
		return nil
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return fmt.Errorf("want a duration such as 5s or 250ms")
	}
	*f.d = d
	return nil
}

// bytesFlag accepts a count with an optional K, M or G suffix (powers of 1024).
type bytesFlag struct{ n *int64 }

func sizeFlag(fs *flag.FlagSet, name, usage string) bytesFlag {
	f := bytesFlag{new(int64)}
	fs.Var(f, name, usage)
	return f
}

func (f bytesFlag) String() string {
	if f.n == nil {
		return "0"
	}
	return strconv.FormatInt(*f.n, 10)
}

func (f bytesFlag) Set(s string) error {
	n, err := ParseBytes(s)
	if err != nil {
		return err
	}
	*f.n = n
	return nil
}

// ParseBytes reads "1048576", "64K", "16KiB", "1G": K, M, G are powers of 1024.
func ParseBytes(s string) (int64, error) {
	t := strings.TrimSuffix(strings.TrimSuffix(strings.ToUpper(strings.TrimSpace(s)), "B"), "I")
	mult := int64(1)
	if t != "" {
		switch t[len(t)-1] {
		case 'K':
			mult = 1 << 10
		case 'M':
			mult = 1 << 20
		case 'G':
			mult = 1 << 30
		}
		if mult > 1 {
			t = t[:len(t)-1]
		}
	}
	n, err := strconv.ParseInt(t, 10, 64)
	if err != nil || n < 0 || n > MaxBytes/mult {
		return 0, fmt.Errorf("bad byte count %q (want e.g. 65536, 64K, 1G)", s)
	}
	return n * mult, nil
}
