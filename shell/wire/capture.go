package wire

import (
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"

	"nsh/capture"
	"nsh/netcore"
	"nsh/plugins"
)

// sessionCaptures holds the capture each session's .capture (or a lesson's
// --capture) started: one at a time per session.
var sessionCaptures = struct {
	sync.Mutex
	m map[*netcore.Table]sessionCapture
}{m: map[*netcore.Table]sessionCapture{}}

// startCapture starts the session's capture: of ports when given, of the
// socket with ID id when id > 0, else of every socket of the session. live
// prints the decoded lines above the prompt; file, when set, is the pcapng.
func startCapture(s plugins.Host, ports []int, id int, file string, live bool) (*capture.Capture, error) {
	o := capture.Options{Ports: ports, File: file, Owner: s.Sockets(), Errors: s.Stderr(), Style: s.Style}
	if live {
		o.Lines = s.Stdout()
	}
	var stopWatch func()
	switch {
	case len(ports) > 0:
	case id > 0:
		sock := s.Sockets().Get(id)
		if sock == nil {
			return nil, fmt.Errorf("capture: no open socket %d (see .sockets)", id)
		}
		stopWatch = s.Sockets().WatchPorts()
		o.Label = "socket " + strconv.Itoa(id)
		var last []capture.Endpoint
		o.Source = func() []capture.Endpoint {
			if e, ok := sock.Endpoint(); ok {
				last = []capture.Endpoint{capture.Endpoint(e)} // kept once the socket is closed: its FIN and TIME_WAIT follow
			}
			return last
		}
	default:
		stopWatch = s.Sockets().WatchPorts()
		o.Source = func() []capture.Endpoint { return capture.EndpointsOf(s.Sockets().Endpoints()) }
	}
	c, err := capture.Start(o)
	if err != nil {
		if stopWatch != nil {
			stopWatch()
		}
		return nil, err
	}
	if stopWatch != nil {
		go func() { c.Wait(); stopWatch() }()
	}
	return c, nil
}

// Command is the REPL's ".capture [on [ID|PORT]|off|FILE]": it shows,
// starts or stops the session's packet capture and says so on out.
func Command(s plugins.Host, args []string, out io.Writer) error {
	sessionCaptures.Lock()
	defer sessionCaptures.Unlock()
	cur := sessionCaptures.m[s.Sockets()]
	if len(args) == 0 {
		if cur == nil {
			fmt.Fprintln(out, "capture is off (.capture on | .capture FILE.pcapng)")
		} else {
			fmt.Fprintln(out, cur.String())
		}
		return nil
	}
	if len(args) > 2 || args[0] == "off" && len(args) > 1 {
		return fmt.Errorf("usage: .capture [on [PORT|ID|:PORT] | off | FILE.pcapng]")
	}
	if args[0] == "off" {
		if cur == nil {
			return fmt.Errorf("capture is off already")
		}
		delete(sessionCaptures.m, s.Sockets())
		err := cur.Stop()
		fmt.Fprintf(out, "capture off: %s\n", strings.TrimPrefix(cur.String(), "capture "))
		return err
	}
	var ports []int
	id := 0
	file := ""
	if args[0] == "on" {
		if len(args) == 2 {
			p, isPort := strings.CutPrefix(args[1], ":")
			n, err := strconv.Atoi(p)
			switch {
			case err != nil || n < 1 || n > 65535:
				return fmt.Errorf("capture on %s: want a socket ID, a port or :PORT", args[1])
			case !isPort && s.Sockets().Get(n) != nil:
				id = n
			default:
				ports = []int{n}
			}
		}
	} else {
		if len(args) > 1 {
			return fmt.Errorf("usage: .capture FILE.pcapng")
		}
		file = args[0]
	}
	if cur != nil {
		delete(sessionCaptures.m, s.Sockets())
		cur.Stop()
		fmt.Fprintf(out, "capture off: %s\n", strings.TrimPrefix(cur.String(), "capture "))
	}
	var c sessionCapture
	var err error
	if file != "" && id == 0 {
		c, err = startCaptureOrSynth(s, file, true)
	} else {
		c, err = startCapture(s, ports, id, file, true)
	}
	if errors.Is(err, capture.ErrNoPrivilege) {
		return fmt.Errorf("%v; .trace on shows the calls and .capture FILE.pcapng writes them as synthesised packets", err)
	}
	if err != nil {
		return err
	}
	sessionCaptures.m[s.Sockets()] = c
	what := "the session's sockets"
	switch {
	case id > 0:
		what = "socket " + strconv.Itoa(id)
	case len(ports) > 0:
		what = "port " + strconv.Itoa(ports[0])
	}
	if file != "" {
		what += ", writing " + file
	}
	fmt.Fprintf(out, "capture on: %s (.capture off to stop)\n", what)
	return nil
}

// Stop ends the session's captures (completing their files).
func Stop(s plugins.Host) {
	sessionCaptures.Lock()
	c := sessionCaptures.m[s.Sockets()]
	delete(sessionCaptures.m, s.Sockets())
	sessionCaptures.Unlock()
	if c != nil {
		c.Stop()
	}
	capture.StopOwned(s.Sockets())
}

// LessonFlag takes --capture [FILE.pcapng] (or --capture=FILE) out of
// a lesson's arguments: ok when present, file "" for live lines only.
func LessonFlag(args []string) (rest []string, file string, ok bool, err error) {
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--capture":
			ok = true
			if i+1 < len(args) && (strings.HasSuffix(args[i+1], ".pcapng") || strings.HasSuffix(args[i+1], ".pcap")) {
				file = args[i+1]
				i++
			}
		case strings.HasPrefix(a, "--capture="):
			ok, file = true, strings.TrimPrefix(a, "--capture=")
			if file == "" {
				return nil, "", false, fmt.Errorf("--capture= needs a file name")
			}
		default:
			rest = append(rest, a)
		}
	}
	return rest, file, ok, nil
}

// ForLesson starts a lesson run's capture of the session's sockets:
// the live lines without a file, the file (and a closing count) with one.
// Ctrl-C ends the run in order (runInterruptible), so stop still completes
// the file.
func ForLesson(s plugins.Host, file string) (stop func(), err error) {
	var c sessionCapture
	if file != "" {
		c, err = startCaptureOrSynth(s, file, false)
	} else {
		c, err = startCapture(s, nil, 0, "", true)
	}
	if err != nil {
		return nil, err
	}
	return func() {
		err := c.Stop()
		switch {
		case err != nil:
			fmt.Fprintln(s.Stderr(), s.Style("error", err.Error()))
		case file != "":
			fmt.Fprintf(s.Stderr(), "capture: %d packets written to %s\n", c.Count(), file)
		}
	}, nil
}
