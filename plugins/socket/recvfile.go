package socket

import (
	"context"
	"crypto/md5"
	"encoding/hex"
	"errors"
	"hash"
	"io"
	"os"
	"sync"

	lua "github.com/yuin/gopher-lua"

	"nsh/netcore"
)

// recvfileStep is how many bytes recvfile moves between two calls of its
// step function: progress often enough for a bar, rarely enough to cost nothing.
const recvfileStep = 4 << 20

// recvfileOpts are the options of sock:recvfile.
type recvfileOpts struct {
	append bool
	md5    bool
	step   *lua.LFunction
}

func checkRecvfileOpts(L *lua.LState, idx int) recvfileOpts {
	var o recvfileOpts
	v := L.Get(idx)
	if v == lua.LNil {
		return o
	}
	t, ok := v.(*lua.LTable)
	if !ok {
		argError(L, "recvfile", 3, "options table", idx)
	}
	t.ForEach(func(k, v lua.LValue) {
		switch k.String() {
		case "append":
			o.append = lua.LVAsBool(v)
		case "md5":
			o.md5 = lua.LVAsBool(v)
		case "step":
			f, ok := v.(*lua.LFunction)
			if !ok {
				L.RaiseError("recvfile: option step must be a function, not a %s", v.Type())
			}
			o.step = f
		default:
			L.RaiseError("recvfile: unknown option %q (append, md5, step)", k.String())
		}
	})
	return o
}

// sock:recvfile(path, count[, {append=, md5=, step=}]) -> bytes[, md5]
// writes count bytes from the socket to path, fewer when the peer closes
// first (that too is complete). Without append the bytes go to a hidden
// temporary file beside path, synced and renamed over it once complete, so
// a failed or cancelled transfer leaves path as it was (the bytes moved,
// still returned, are discarded); with append they are added to path
// itself, and a failure keeps what arrived (moved says how much). The
// bytes never pass through Lua. With md5 it also returns the hex digest of
// the whole file (what it held before included), computed on another core
// while the bytes arrive; step(n) is called after every 4 MiB and at the end.
func (m *module) recvfile(L *lua.LState) int {
	s := open(L, "recvfile")
	maxArgs(L, "recvfile", 4)
	path := checkStr(L, "recvfile", 2, 1, "path")
	count := int64(checkCount(L, "recvfile", 3, 2, "count"))
	opts := checkRecvfileOpts(L, 4)
	target, err := openRecvTarget(path, opts.append)
	if err != nil {
		return fail(L, &netcore.OpError{Op: "recvfile", Addr: path, Err: unwrapPath(err)})
	}
	defer target.discard() // a failure, a cancel or a raising step: the temporary file goes
	f := target.f
	var digest *asyncDigest
	if opts.md5 {
		digest = newAsyncDigest(md5.New())
		defer digest.stop()
		if opts.append {
			if err := digest.addFile(path); err != nil {
				return fail(L, &netcore.OpError{Op: "recvfile", Addr: path, Err: errors.Unwrap(err)})
			}
		}
	}
	var tee io.Writer
	if digest != nil {
		tee = digest
	}
	var total int64
	for err == nil && total < count {
		chunk := count - total
		if opts.step != nil {
			chunk = min(chunk, recvfileStep)
		}
		var n int64
		err = m.h.Block(L, func(ctx context.Context) error {
			var err error
			n, err = s.stream().RecvFileTee(ctx, f, chunk, tee)
			return err
		})
		total += n
		if opts.step != nil && n > 0 {
			if cerr := L.CallByParam(lua.P{Fn: opts.step, NRet: 0, Protect: true}, lua.LNumber(n)); cerr != nil {
				L.RaiseError("recvfile: step: %s", cerr.Error())
			}
		}
	}
	if errors.Is(err, io.EOF) {
		err = nil // the peer closed first: complete, report what arrived
	}
	var sum string
	if err == nil && digest != nil {
		sum = digest.sum()
	}
	if err == nil {
		if err = target.commit(); err != nil {
			err = &netcore.OpError{Op: "recvfile", Addr: path, Err: unwrapPath(err)}
		}
	}
	if err != nil {
		fail(L, err)
		L.Push(lua.LNumber(total))
		return 4
	}
	L.Push(lua.LNumber(total))
	if digest == nil {
		return 1
	}
	L.Push(lua.LString(sum))
	return 2
}

// unwrapPath returns the reason inside a *PathError or *LinkError (the
// OpError names the path already), or err itself.
func unwrapPath(err error) error {
	if e := errors.Unwrap(err); e != nil {
		return e
	}
	return err
}

// asyncDigest hashes, on a goroutine of its own, copies of what Write is
// given: md5 runs at about 500 MB/s on one core here, so hashing in line
// would halve recvfile's speed; this way the transfer and the digest each
// have a core.
type asyncDigest struct {
	h    hash.Hash
	ch   chan *[]byte
	done chan struct{}
	once sync.Once
}

var digestBufs = sync.Pool{New: func() any { b := make([]byte, 0, 256<<10); return &b }}

func newAsyncDigest(h hash.Hash) *asyncDigest {
	d := &asyncDigest{h: h, ch: make(chan *[]byte, 16), done: make(chan struct{})}
	go func() {
		defer close(d.done)
		for b := range d.ch {
			d.h.Write(*b)
			digestBufs.Put(b)
		}
	}()
	return d
}

func (d *asyncDigest) Write(p []byte) (int, error) {
	b := digestBufs.Get().(*[]byte)
	*b = append((*b)[:0], p...)
	d.ch <- b
	return len(p), nil
}

// addFile hashes what path holds now (before an append).
func (d *asyncDigest) addFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = io.Copy(d, f)
	return err
}

// stop ends the hashing goroutine (idempotent).
func (d *asyncDigest) stop() {
	d.once.Do(func() { close(d.ch) })
	<-d.done
}

// sum waits for the goroutine and returns the hex digest.
func (d *asyncDigest) sum() string {
	d.stop()
	return hex.EncodeToString(d.h.Sum(nil))
}
