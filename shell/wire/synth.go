package wire

import (
	"errors"
	"fmt"
	"os"

	"nsh/capture"
	"nsh/pcapsynth"
	"nsh/plugins"
)

// sessionCapture is what .capture holds: a real capture, or without the
// privilege for one the call trace synthesised as packets.
type sessionCapture interface {
	Stop() error
	String() string
	Count() int
}

// synthCapture writes the session's call trace as synthesised packets
// (pcapsynth) to a pcapng file: .capture FILE and --capture FILE when the
// process may not open a packet socket. It is the session table's tracer
// named "capture", beside socket.trace's, and takes itself out at Stop.
type synthCapture struct {
	s     plugins.Host
	file  string
	w     *pcapsynth.SynthWriter
	close func() error
	err   error
	done  bool
}

// SynthTracerName is the synthesised capture's name among the table's tracers.
const SynthTracerName = "capture"

// startCaptureOrSynth starts the real capture of the session's sockets
// into file, or, without the privilege, the synthesised one, telling so
// in one line on stderr.
func startCaptureOrSynth(s plugins.Host, file string, live bool) (sessionCapture, error) {
	c, err := startCapture(s, nil, 0, file, live)
	if err == nil {
		return c, nil
	}
	if !errors.Is(err, capture.ErrNoPrivilege) {
		return nil, err
	}
	sc, serr := StartSynth(s, file)
	if serr != nil {
		return nil, serr
	}
	fmt.Fprintln(s.Stderr(), s.Style("warn", "capture: no root or CAP_NET_RAW for the real packets: writing the call trace as synthesised packets to "+file+" instead"))
	return sc, nil
}

func StartSynth(s plugins.Host, file string) (*synthCapture, error) {
	f, finish, err := capture.CreateTarget(file)
	if err != nil {
		return nil, fmt.Errorf("capture file %s: %v", file, unwrapPathErr(err))
	}
	w, err := pcapsynth.NewSynthWriter(f)
	if err != nil {
		f.Close()
		finish(false)
		return nil, fmt.Errorf("capture file %s: %v", file, unwrapPathErr(err))
	}
	sc := &synthCapture{s: s, file: file, w: w}
	w.OnError(func(err error) {
		fmt.Fprintln(s.Stderr(), s.Style("error", fmt.Sprintf("capture file %s: %v (the sockets go on)", file, err)))
	})
	sc.close = func() error {
		err := w.Close()
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if ferr := finish(err == nil); err == nil {
			err = ferr
		}
		if err != nil {
			return fmt.Errorf("capture file %s: %v", file, unwrapPathErr(err))
		}
		return nil
	}
	s.Sockets().SetNamedTracer(SynthTracerName, w)
	return sc, nil
}

// Stop takes the synthesiser out of the session's tracers (unless another
// took its place) and completes the file.
func (sc *synthCapture) Stop() error {
	if sc.done {
		return sc.err
	}
	sc.done = true
	if w, ok := sc.s.Sockets().NamedTracer(SynthTracerName).(*pcapsynth.SynthWriter); ok && w == sc.w {
		sc.s.Sockets().SetNamedTracer(SynthTracerName, nil)
	}
	sc.err = sc.close()
	return sc.err
}

func (sc *synthCapture) String() string {
	state := ""
	if sc.done {
		state = ", stopped"
	}
	return fmt.Sprintf("capture (synthesised from the call trace, %d packets, file %s%s)", sc.w.Packets(), sc.file, state)
}

// Count is how many packets were synthesised so far.
func (sc *synthCapture) Count() int { return sc.w.Packets() }

// unwrapPathErr drops a *PathError's repetition of the (temporary) name.
func unwrapPathErr(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
