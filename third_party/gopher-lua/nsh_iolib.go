package lua

// Faster reads for io's read(n), read("*l") and read("*a") (nsh issue 14).
//
// gopher-lua's readBufioSize made a fresh buffer for every Read, appended
// it to a growing result and copied that once more into the Lua string:
// three copies and three allocations for each f:read(2048), ~6 KB of
// garbage per 2 KiB read, so ltn12.source.file — LuaSocket's way to send
// a file — ran at a fifth of C Lua's speed. Here one buffer is allocated
// at the size asked (bounded, grown only as data comes), filled straight
// from the bufio.Reader, and becomes the Lua string without a copy. Lines
// keep a trailing "\r" as C Lua's do (bufio's ReadLine dropped it).

import (
	"bufio"
	"io"
	"unsafe"
)

// nshFirstReadCap bounds the first allocation of read(n): read(2^31) of a
// small file must not allocate 2 GiB before it finds the end.
const nshFirstReadCap = 1 << 20

// nshBytesToLString makes a Lua string of b without copying it when b is
// mostly full; b must never be written again.
func nshBytesToLString(b []byte) LString {
	if len(b) == 0 {
		return emptyLString
	}
	if len(b) < cap(b)/2 {
		return LString(string(b))
	}
	return LString(unsafe.String(unsafe.SliceData(b), len(b)))
}

// nshReadSize reads up to size bytes as read(n) does: fewer only at the end
// of the file or on an error. iseof is true when nothing came before the end.
func nshReadSize(r *bufio.Reader, size int64) (LString, error, bool) {
	if size <= 0 {
		return emptyLString, nil, false
	}
	c := size
	if c > nshFirstReadCap {
		c = nshFirstReadCap
	}
	buf := make([]byte, 0, c)
	var err error
	for int64(len(buf)) < size {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		end := cap(buf)
		if int64(end) > size {
			end = int(size)
		}
		var n int
		n, err = r.Read(buf[len(buf):end])
		buf = buf[:len(buf)+n]
		if err != nil {
			break
		}
	}
	iseof := len(buf) == 0 && err == io.EOF
	if err == io.EOF {
		err = nil
	}
	return nshBytesToLString(buf), err, iseof
}

// nshReadLine reads a line without its "\n" (a "\r" before it stays, as in
// C Lua); the last line may lack the "\n". iseof: nothing was left.
func nshReadLine(r *bufio.Reader) (LString, error, bool) {
	line, err := r.ReadSlice('\n')
	if err == nil {
		return LString(string(line[:len(line)-1])), nil, false
	}
	var buf []byte
	for err == bufio.ErrBufferFull {
		buf = append(buf, line...)
		line, err = r.ReadSlice('\n')
	}
	buf = append(buf, line...)
	if err == nil {
		buf = buf[:len(buf)-1]
	}
	iseof := len(buf) == 0 && err == io.EOF
	if err == io.EOF {
		err = nil
	}
	return nshBytesToLString(buf), err, iseof
}

// nshReadAll reads to the end of the file, as read("*a").
func nshReadAll(r *bufio.Reader) (LString, error) {
	buf, err := io.ReadAll(r)
	return nshBytesToLString(buf), err
}
