package structlib

import "errors"

// maxSize caps the size of one struct (Python allows up to PY_SSIZE_T_MAX;
// nsh refuses formats that would need more than 256 MiB).
const maxSize = 1 << 28

// code describes one format character in one size mode.
type code struct {
	size   int
	align  int
	signed bool
}

// standardCodes are the sizes of "=", "<", ">" and "!" (no alignment).
var standardCodes = map[byte]code{
	'x': {1, 0, false}, 'c': {1, 0, false}, 'b': {1, 0, true}, 'B': {1, 0, false},
	'?': {1, 0, false}, 'h': {2, 0, true}, 'H': {2, 0, false}, 'i': {4, 0, true},
	'I': {4, 0, false}, 'l': {4, 0, true}, 'L': {4, 0, false}, 'q': {8, 0, true},
	'Q': {8, 0, false}, 'e': {2, 0, false}, 'f': {4, 0, false}, 'd': {8, 0, false},
	's': {1, 0, false}, 'p': {1, 0, false},
}

// nativeCodes are the sizes and alignments of "@" on linux/amd64, as CPython
// reports them there; n, N and P exist only in native mode.
var nativeCodes = map[byte]code{
	'x': {1, 0, false}, 'c': {1, 0, false}, 'b': {1, 0, true}, 'B': {1, 0, false},
	'?': {1, 1, false}, 'h': {2, 2, true}, 'H': {2, 2, false}, 'i': {4, 4, true},
	'I': {4, 4, false}, 'l': {8, 8, true}, 'L': {8, 8, false}, 'q': {8, 8, true},
	'Q': {8, 8, false}, 'n': {8, 8, true}, 'N': {8, 8, false}, 'P': {8, 8, false},
	'e': {2, 2, false}, 'f': {4, 4, false}, 'd': {8, 8, false},
	's': {1, 0, false}, 'p': {1, 0, false},
}

// item is one format code with its repeat count and byte offset.
type item struct {
	c      byte
	count  int
	offset int
	code
}

// format is a parsed struct format string.
type format struct {
	bigEndian bool
	native    bool
	items     []item
	size      int // total bytes
	nvalues   int // values packed or unpacked
}

// Errors of malformed formats, worded as Python's.
var (
	errBadChar = errors.New("bad char in struct format")
	errNoCode  = errors.New("repeat count given without format specifier")
	errTooLong = errors.New("total struct size too long")
)

// parseFormat parses fmt the way CPython's struct module does: an optional
// byte-order character first, then codes with optional decimal counts;
// whitespace is allowed between codes but not between a count and its code.
func parseFormat(s string) (*format, error) {
	f := &format{native: true}
	table := nativeCodes
	i := 0
	if len(s) > 0 {
		switch s[0] {
		case '@':
			i = 1
		case '=', '<':
			f.native, table, i = false, standardCodes, 1
		case '>', '!':
			f.native, f.bigEndian, table, i = false, true, standardCodes, 1
		}
	}
	size := 0
	for i < len(s) {
		c := s[i]
		i++
		if isSpace(c) {
			continue
		}
		count := 1
		if c >= '0' && c <= '9' {
			count = int(c - '0')
			for i < len(s) && s[i] >= '0' && s[i] <= '9' {
				count = count*10 + int(s[i]-'0')
				if count > maxSize {
					return nil, errTooLong
				}
				i++
			}
			if i >= len(s) {
				return nil, errNoCode
			}
			c = s[i]
			i++
		}
		cd, ok := table[c]
		if !ok {
			return nil, errBadChar
		}
		if cd.align > 1 && size%cd.align != 0 {
			size += cd.align - size%cd.align
		}
		it := item{c: c, count: count, offset: size, code: cd}
		size += count * cd.size
		if size > maxSize {
			return nil, errTooLong
		}
		switch c {
		case 'x':
		case 's', 'p':
			f.nvalues++
		default:
			f.nvalues += count
		}
		if c == 'x' || count > 0 || c == 's' || c == 'p' {
			f.items = append(f.items, it)
		}
	}
	f.size = size
	return f, nil
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'
}
