package capture

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/google/gopacket"
	"github.com/google/gopacket/layers"
	"github.com/google/gopacket/pcapgo"
	"golang.org/x/sys/unix"
)

// ngFile writes captured frames as pcapng. A regular file is written under
// a temporary name in the same folder and renamed when complete; every
// packet is flushed to the kernel, so a process killed mid-capture leaves a
// valid file (under the temporary name) up to its last packet. A target that
// exists and is not a regular file (/dev/full, a FIFO) is written in place.
type ngFile struct {
	path   string
	finish func(ok bool) error
	f      *os.File
	w      *pcapgo.NgWriter
	ifaces map[int]int // ifindex -> pcapng interface id
	err    error
}

// CreateTarget opens path for a file written whole: a regular file under a
// temporary name in the same folder (readable by all, as a capture is meant
// to be read by tshark), a non-regular one (/dev/full, a FIFO) in place.
// finish(true) renames the temporary file to path; finish(false) removes it.
func CreateTarget(path string) (f *os.File, finish func(ok bool) error, err error) {
	if st, serr := os.Stat(path); serr == nil && !st.Mode().IsRegular() {
		f, err = os.OpenFile(path, os.O_WRONLY, 0)
		if err != nil {
			return nil, nil, err
		}
		return f, func(bool) error { return nil }, nil
	}
	f, err = os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err == nil {
		if err = f.Chmod(0o644); err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}
	if err != nil {
		return nil, nil, err
	}
	tmp := f.Name()
	return f, func(ok bool) error {
		if !ok {
			os.Remove(tmp)
			return nil
		}
		if err := os.Rename(tmp, path); err != nil {
			os.Remove(tmp)
			return err
		}
		return nil
	}, nil
}

// createNgFile opens path and writes the section header and lo's interface
// block, so that a missing folder or a full disk is reported at once.
func createNgFile(path string, lo int) (*ngFile, error) {
	n := &ngFile{path: path, ifaces: map[int]int{}}
	var err error
	n.f, n.finish, err = CreateTarget(path)
	if err != nil {
		return nil, fmt.Errorf("capture file %s: %w", path, unwrapPath(err))
	}
	opts := pcapgo.NgWriterOptions{SectionInfo: pcapgo.NgSectionInfo{OS: "linux", Application: "nsh"}}
	n.w, err = pcapgo.NewNgWriterInterface(n.f, ngInterface("lo", unix.ARPHRD_LOOPBACK), opts)
	if err == nil {
		err = n.w.Flush()
	}
	if err != nil {
		n.discard()
		return nil, fmt.Errorf("capture file %s: %w", path, unwrapPath(err))
	}
	n.ifaces[lo] = 0
	return n, nil
}

func ngInterface(name string, hatype uint16) pcapgo.NgInterface {
	link := layers.LinkTypeEthernet
	if hatype == unix.ARPHRD_NONE {
		link = layers.LinkTypeRaw
	}
	return pcapgo.NgInterface{Name: name, OS: "linux", LinkType: link, TimestampResolution: 9}
}

// write appends one frame (adding its interface's block the first time)
// and flushes it. After a failure it writes nothing more.
func (n *ngFile) write(fr frame, ifname func(int) string) error {
	if n.err != nil {
		return n.err
	}
	id, ok := n.ifaces[fr.ifindex]
	if !ok {
		var err error
		if id, err = n.w.AddInterface(ngInterface(ifname(fr.ifindex), fr.hatype)); err != nil {
			return n.fail(err)
		}
		n.ifaces[fr.ifindex] = id
	}
	ci := gopacket.CaptureInfo{Timestamp: fr.ts, CaptureLength: len(fr.data), Length: fr.wire, InterfaceIndex: id}
	if err := n.w.WritePacket(ci, fr.data); err != nil {
		return n.fail(err)
	}
	if err := n.w.Flush(); err != nil {
		return n.fail(err)
	}
	return nil
}

func (n *ngFile) fail(err error) error {
	n.err = fmt.Errorf("capture file %s: %w", n.path, unwrapPath(err))
	return n.err
}

// close completes the file: the temporary one is renamed to the target,
// or removed when a write failed.
func (n *ngFile) close() error {
	if n.err == nil {
		if err := n.w.Flush(); err != nil {
			n.fail(err)
		}
	}
	if err := n.f.Close(); err != nil && n.err == nil {
		n.fail(err)
	}
	if err := n.finish(n.err == nil); err != nil {
		return n.fail(err)
	}
	return n.err
}

func (n *ngFile) discard() {
	n.f.Close()
	n.finish(false)
}

// unwrapPath drops the *PathError's repetition of the temporary name.
func unwrapPath(err error) error {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err
	}
	return err
}
