package codec

import (
	"bytes"
	"fmt"
	"unicode/utf16"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/transform"
)

// mode is the errors= argument: what to do with what cannot be converted.
type mode int

const (
	strict  mode = iota // raise
	replace             // U+FFFD on decode, '?' on encode
	ignore              // drop it
)

// codecError is a conversion failure at a 1-based byte position.
type codecError struct {
	msg string
}

func (e *codecError) Error() string { return e.msg }

const replacementChar = "\uFFFD"

func decodeError(cs *charset, src []byte, pos, n int, reason string) error {
	what := fmt.Sprintf("byte 0x%02x", src[pos])
	if n > 1 {
		what = "bytes"
		for _, c := range src[pos : pos+n] {
			what += fmt.Sprintf(" 0x%02x", c)
		}
	}
	return &codecError{fmt.Sprintf("'%s' codec can't decode %s at byte %d: %s", cs.name, what, pos+1, reason)}
}

// decode converts src from cs to UTF-8.
func decode(src []byte, cs *charset, m mode) ([]byte, error) {
	switch cs.kind {
	case kUTF8, kASCII:
		return decodeSimple(src, cs, m)
	case kLatin1:
		out := make([]byte, 0, len(src)+len(src)/2)
		for _, c := range src {
			out = utf8.AppendRune(out, rune(c))
		}
		return out, nil
	case kUTF16, kUTF16LE, kUTF16BE:
		return decodeUTF16(src, cs, m)
	}
	return decodeX(src, cs, m)
}

// decodeSimple handles UTF-8 (validation) and ASCII. A bad UTF-8 sequence
// is replaced as a whole "maximal subpart", as Python and Unicode do.
func decodeSimple(src []byte, cs *charset, m mode) ([]byte, error) {
	out := make([]byte, 0, len(src))
	for pos := 0; pos < len(src); {
		c := src[pos]
		if c < utf8.RuneSelf {
			out = append(out, c)
			pos++
			continue
		}
		n, reason := 1, cs.reason
		if cs.kind == kUTF8 {
			if r, size := utf8.DecodeRune(src[pos:]); r != utf8.RuneError || size > 1 {
				out = append(out, src[pos:pos+size]...)
				pos += size
				continue
			}
			n, reason = badUTF8(src[pos:])
		}
		switch m {
		case strict:
			return nil, decodeError(cs, src, pos, n, reason)
		case replace:
			out = append(out, replacementChar...)
		}
		pos += n
	}
	return out, nil
}

// badUTF8 measures the invalid sequence at the start of b: the longest
// prefix that could begin a valid character (at least one byte), and
// Python's reason for refusing it.
func badUTF8(b []byte) (int, string) {
	c := b[0]
	n, lo, hi := 0, byte(0x80), byte(0xbf)
	switch {
	case c >= 0xc2 && c <= 0xdf:
		n = 2
	case c == 0xe0:
		n, lo = 3, 0xa0
	case c == 0xed:
		n, hi = 3, 0x9f
	case c >= 0xe1 && c <= 0xef:
		n = 3
	case c == 0xf0:
		n, lo = 4, 0x90
	case c == 0xf4:
		n, hi = 4, 0x8f
	case c >= 0xf1 && c <= 0xf3:
		n = 4
	default:
		return 1, "invalid start byte"
	}
	i := 1
	for ; i < n && i < len(b); i++ {
		if b[i] < lo || b[i] > hi {
			return i, "invalid continuation byte"
		}
		lo, hi = 0x80, 0xbf
	}
	return i, "unexpected end of data"
}

func decodeUTF16(src []byte, cs *charset, m mode) ([]byte, error) {
	big := cs.kind == kUTF16BE
	if cs.kind == kUTF16 && len(src) >= 2 {
		switch {
		case src[0] == 0xff && src[1] == 0xfe:
			src = src[2:]
		case src[0] == 0xfe && src[1] == 0xff:
			src, big = src[2:], true
		}
	}
	unit := func(i int) rune {
		if big {
			return rune(src[i])<<8 | rune(src[i+1])
		}
		return rune(src[i+1])<<8 | rune(src[i])
	}
	out := make([]byte, 0, len(src))
	bad := func(pos, n int, reason string) error {
		switch m {
		case strict:
			return decodeError(cs, src, pos, n, reason)
		case replace:
			out = append(out, replacementChar...)
		}
		return nil
	}
	pos := 0
	for ; pos+1 < len(src); pos += 2 {
		r := unit(pos)
		if !utf16.IsSurrogate(r) {
			out = utf8.AppendRune(out, r)
			continue
		}
		if r < 0xdc00 && pos+3 < len(src) {
			if r2 := unit(pos + 2); r2 >= 0xdc00 && r2 <= 0xdfff {
				out = utf8.AppendRune(out, utf16.DecodeRune(r, r2))
				pos += 2
				continue
			}
		}
		if err := bad(pos, 2, "illegal UTF-16 surrogate"); err != nil {
			return nil, err
		}
	}
	if pos < len(src) {
		if err := bad(pos, 1, "truncated data"); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// decodeX decodes with an x/text decoder, which replaces bad input with
// U+FFFD. Input that decodes without any U+FFFD is done in one pass;
// otherwise it is decoded one character at a time to find where each
// U+FFFD comes from (a real U+FFFD in the input, or an error).
func decodeX(src []byte, cs *charset, m mode) ([]byte, error) {
	out, _, err := transform.Bytes(cs.enc.NewDecoder(), src)
	if err == nil && !bytes.Contains(out, []byte(replacementChar)) {
		return out, nil
	}
	realFFFD, _ := cs.enc.NewEncoder().Bytes([]byte(replacementChar))
	dec := cs.enc.NewDecoder()
	out = out[:0]
	var buf [64]byte
	gb := cs.name == "gb18030"
	for pos := 0; pos < len(src); {
		if gb && pos+1 < len(src) {
			if r, ok := puaDecode(src[pos], src[pos+1]); ok {
				out = utf8.AppendRune(out, r)
				pos += 2
				continue
			}
		}
		nDst, nSrc := 0, 0
		for k := 1; k <= len(src)-pos && k <= 8; k++ {
			dec.Reset()
			var err error
			nDst, nSrc, err = dec.Transform(buf[:], src[pos:pos+k], pos+k == len(src))
			if nSrc > 0 || err != transform.ErrShortSrc {
				break
			}
		}
		if nSrc == 0 { // nothing decodes from here: treat one byte as bad
			nDst, nSrc = copy(buf[:], replacementChar), 1
		}
		ch := buf[:nDst]
		if string(ch) != replacementChar || (realFFFD != nil && bytes.Equal(src[pos:pos+nSrc], realFFFD)) {
			out = append(out, ch...)
			pos += nSrc
			continue
		}
		if nSrc == 2 && src[pos+1] < utf8.RuneSelf {
			nSrc = 1 // an ASCII byte after a bad lead byte is itself (WHATWG, Python)
		}
		switch m {
		case strict:
			return nil, decodeError(cs, src, pos, nSrc, cs.reason)
		case replace:
			out = append(out, replacementChar...)
		}
		pos += nSrc
	}
	return out, nil
}

// encode converts UTF-8 text to cs.
func encode(text []byte, cs *charset, m mode) ([]byte, error) {
	// x/text encodes gb18030's Private Use characters wrongly: those (UTF-8
	// 0xee ...) take the slow path.
	gb := cs.name == "gb18030"
	if cs.enc != nil && utf8.Valid(text) && !(gb && bytes.IndexByte(text, 0xee) >= 0) {
		if out, _, err := transform.Bytes(cs.enc.NewEncoder(), text); err == nil {
			return out, nil
		}
	}
	out := make([]byte, 0, len(text)+2)
	if cs.kind == kUTF16 {
		out = append(out, 0xff, 0xfe)
	}
	var enc transform.Transformer
	if cs.enc != nil {
		enc = cs.enc.NewEncoder()
	}
	var buf [4096]byte
	bad := func(pos int, msg string) error {
		switch m {
		case strict:
			return &codecError{msg}
		case replace:
			out = append(out, '?')
		}
		return nil
	}
	for pos := 0; pos < len(text); {
		r, size := utf8.DecodeRune(text[pos:])
		if r == utf8.RuneError && size == 1 {
			if err := bad(pos, fmt.Sprintf("the text is not valid UTF-8 (byte 0x%02x at byte %d)", text[pos], pos+1)); err != nil {
				return nil, err
			}
			pos++
			continue
		}
		unsupported := func() error {
			return bad(pos, fmt.Sprintf("'%s' codec can't encode character U+%04X at byte %d: not representable", cs.name, r, pos+1))
		}
		switch cs.kind {
		case kUTF8:
			out = append(out, text[pos:pos+size]...)
		case kASCII, kLatin1:
			if limit := map[kind]rune{kASCII: 0x7f, kLatin1: 0xff}[cs.kind]; r > limit {
				if err := unsupported(); err != nil {
					return nil, err
				}
			} else {
				out = append(out, byte(r))
			}
		case kUTF16, kUTF16LE, kUTF16BE:
			for _, u := range utf16.AppendRune(nil, r) {
				if cs.kind == kUTF16BE {
					out = append(out, byte(u>>8), byte(u))
				} else {
					out = append(out, byte(u), byte(u>>8))
				}
			}
		default:
			if gb && r >= 0xe000 && r <= puaLast {
				if b, ok := puaEncode(r); ok {
					out = append(out, b[0], b[1])
				} else if err := unsupported(); err != nil {
					return nil, err
				}
				break
			}
			enc.Reset()
			nDst, _, err := enc.Transform(buf[:], text[pos:pos+size], true)
			if err != nil || (nDst == 1 && buf[0] == encoding.ASCIISub && r != encoding.ASCIISub) {
				if err := unsupported(); err != nil {
					return nil, err
				}
			} else {
				out = append(out, buf[:nDst]...)
			}
		}
		pos += size
	}
	return out, nil
}
