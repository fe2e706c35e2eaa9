package time

import (
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	stdtime "time"
	"unicode/utf8"
)

// directivePatterns are the regular expressions of Python's _strptime
// (TimeRE), so that numbers without padding split as Python splits them
// ("%m%d" reads "131" as January 31st). %e is nsh's own.
var directivePatterns = map[byte]string{
	'd': `3[01]|[12]\d|0[1-9]|[1-9]| [1-9]`,
	'e': `3[01]|[12]\d|0[1-9]|[1-9]| [1-9]`,
	'f': `[0-9]{1,6}`,
	'H': `2[0-3]|[0-1]\d|\d`,
	'I': `1[0-2]|0[1-9]|[1-9]`,
	'G': `\d\d\d\d`,
	'j': `36[0-6]|3[0-5]\d|[12]\d\d|0[1-9]\d|00[1-9]|[1-9]\d|0[1-9]|[1-9]`,
	'm': `1[0-2]|0[1-9]|[1-9]`,
	'M': `[0-5]\d|\d`,
	'S': `6[0-1]|[0-5]\d|\d`,
	'U': `5[0-3]|[0-4]\d|\d`,
	'W': `5[0-3]|[0-4]\d|\d`,
	'w': `[0-6]`,
	'u': `[1-7]`,
	'V': `5[0-3]|0[1-9]|[1-4]\d|\d`,
	'y': `\d\d`,
	'Y': `\d\d\d\d`,
	'z': `[+-]\d\d:?[0-5]\d(?::?[0-5]\d(?:\.\d{1,6})?)?|(?-i:Z)`,
}

// parseDirectives are the % letters Strptime understands.
const parseDirectives = "aAbBdefGHIjmMpSuUVwWyYzZ%"

var (
	days, months, shortDays, shortMonths []string
	ampm                                 = []string{"AM", "PM"}
)

func init() {
	for d := stdtime.Sunday; d <= stdtime.Saturday; d++ {
		days = append(days, d.String())
		shortDays = append(shortDays, d.String()[:3])
	}
	for m := stdtime.January; m <= stdtime.December; m++ {
		months = append(months, m.String())
		shortMonths = append(shortMonths, m.String()[:3])
	}
}

// alternatives is names as a regular expression, longest first, as
// Python's __seqToRE orders them.
func alternatives(names []string) string {
	sorted := append([]string(nil), names...)
	sort.SliceStable(sorted, func(i, j int) bool { return len(sorted[i]) > len(sorted[j]) })
	for i, n := range sorted {
		sorted[i] = regexp.QuoteMeta(n)
	}
	return strings.Join(sorted, "|")
}

func zoneNames() []string {
	names := []string{"UTC", "GMT"}
	y := stdtime.Now().Year()
	for _, m := range []stdtime.Month{stdtime.January, stdtime.July} {
		name, _ := stdtime.Date(y, m, 1, 0, 0, 0, 0, stdtime.Local).Zone()
		if name != "" && name[0] != '+' && name[0] != '-' {
			names = append(names, name)
		}
	}
	return names
}

// compiled is a format turned into a regular expression: group k+1 holds
// directive dirs[k].
type compiled struct {
	re   *regexp.Regexp
	dirs []byte
}

var (
	cacheMu sync.Mutex
	cache   = map[string]*compiled{}
)

// maxCached bounds the cache of compiled formats (scripts use a few).
const maxCached = 64

// maxFormat bounds a strptime format: it becomes a regular expression, and
// compiling one from megabytes of format takes seconds (and the cache would
// hold it); real formats are a few dozen bytes.
const maxFormat = 4096

// compile builds the regular expression of format as Python does: literal
// text matches itself (ignoring case), a run of whitespace matches one or
// more whitespace characters, each directive its pattern.
func compile(format string) (*compiled, error) {
	cacheMu.Lock()
	c, ok := cache[format]
	cacheMu.Unlock()
	if ok {
		return c, nil
	}
	if len(format) > maxFormat {
		return nil, &FormatError{fmt.Sprintf("format of %d bytes is longer than the %d a format may have", len(format), maxFormat)}
	}
	if !utf8.ValidString(format) {
		return nil, &FormatError{"format is not valid UTF-8"}
	}
	var b strings.Builder
	b.WriteString(`(?i)^`)
	c = &compiled{}
	for i := 0; i < len(format); i++ {
		ch := format[i]
		switch {
		case isSpace(ch):
			for i+1 < len(format) && isSpace(format[i+1]) {
				i++
			}
			b.WriteString(`[\t\n\v\f\r ]+`) // Python's \s; Go's leaves out \v
		case ch != '%':
			_, n := utf8.DecodeRuneInString(format[i:])
			b.WriteString(regexp.QuoteMeta(format[i : i+n]))
			i += n - 1
		case i+1 >= len(format):
			return nil, &FormatError{"format ends with a lone %"}
		default:
			i++
			d := format[i]
			var pat string
			switch d {
			case '%':
				b.WriteString("%")
				continue
			case 'a':
				pat = alternatives(shortDays)
			case 'A':
				pat = alternatives(days)
			case 'b':
				pat = alternatives(shortMonths)
			case 'B':
				pat = alternatives(months)
			case 'p':
				pat = alternatives(ampm)
			case 'Z':
				pat = alternatives(zoneNames())
			default:
				p, ok := directivePatterns[d]
				if !ok {
					return nil, &FormatError{fmt.Sprintf("bad directive %%%s (known: %%%s)", printable(format[i:]), strings.Join(strings.Split(parseDirectives, ""), " %"))}
				}
				pat = p
			}
			b.WriteString("(" + pat + ")")
			c.dirs = append(c.dirs, d)
		}
	}
	re, err := regexp.Compile(b.String())
	if err != nil {
		return nil, &FormatError{fmt.Sprintf("format %q: %v", format, err)}
	}
	c.re = re
	cacheMu.Lock()
	if len(cache) >= maxCached {
		cache = map[string]*compiled{}
	}
	cache[format] = c
	cacheMu.Unlock()
	return c, nil
}

// printable is the directive letter (a whole UTF-8 character) at s.
func printable(s string) string {
	_, n := utf8.DecodeRuneInString(s)
	return s[:n]
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'
}

// Strptime parses s with Python's % directives, matching as Python's
// _strptime does. Fields the format leaves out default as in Python
// (1900-01-01 00:00:00). The zone is the one %z or %Z names, else loc.
func Strptime(s, format string, loc *stdtime.Location) (stdtime.Time, error) {
	c, err := compile(format)
	if err != nil {
		return stdtime.Time{}, err
	}
	m := c.re.FindStringSubmatchIndex(s)
	if m == nil {
		return stdtime.Time{}, &ParseError{fmt.Sprintf("time data %q does not match format %q", s, format)}
	}
	if m[1] < len(s) {
		return stdtime.Time{}, &ParseError{fmt.Sprintf("unconverted data remains: %s", s[m[1]:])}
	}
	f := fields{year: 1900, month: -1, day: -1, yday: -1, hour12: -1, pm: -1, weekday: -1, week: -1, isoYear: -1, isoWeek: -1}
	for k, d := range c.dirs {
		if err := f.set(d, s[m[2*k+2]:m[2*k+3]]); err != nil {
			return stdtime.Time{}, err
		}
	}
	return f.build(s, loc)
}

// index finds v among names, ignoring case.
func index(v string, names []string) int {
	for i, n := range names {
		if strings.EqualFold(v, n) {
			return i
		}
	}
	return -1
}

// set records what directive d matched (v fits d's pattern).
func (f *fields) set(d byte, v string) error {
	n, _ := strconv.Atoi(strings.TrimSpace(v))
	switch d {
	case 'Y':
		f.year = n
	case 'y':
		f.year = n + 1900
		if n <= 68 {
			f.year = n + 2000
		}
	case 'G':
		f.isoYear = n
	case 'm':
		f.month = n
	case 'b', 'B':
		f.month = max(index(v, shortMonths), index(v, months)) + 1
	case 'd', 'e':
		f.day = n
	case 'j':
		f.yday = n
	case 'H':
		f.hour = n
	case 'I':
		f.hour12 = n
	case 'p':
		f.pm = index(v, ampm)
	case 'M':
		f.min = n
	case 'S':
		f.sec = n
	case 'f':
		f.nsec = n
		for k := len(v); k < 9; k++ {
			f.nsec *= 10
		}
	case 'a', 'A':
		f.weekday = (max(index(v, shortDays), index(v, days)) + 6) % 7
	case 'w':
		f.weekday = (n + 6) % 7
	case 'u':
		f.weekday = n - 1
	case 'U', 'W':
		f.week, f.weekFromMon = n, d == 'W'
	case 'V':
		f.isoWeek = n
	case 'z':
		return f.offset(v)
	case 'Z':
		f.loc = stdtime.Local
		if u := strings.ToUpper(v); u == "UTC" || u == "GMT" {
			f.loc = stdtime.UTC
		}
	}
	return nil
}

// offset reads a %z match: Z, or ±HH[:]MM[[:]SS[.ffffff]] with the colons
// used consistently, as Python 3.7+.
func (f *fields) offset(z string) error {
	if z == "Z" {
		f.loc = stdtime.UTC
		return nil
	}
	digits := z[1:]
	if z[3] == ':' {
		digits = z[1:3] + z[4:]
		if len(digits) > 4 {
			if digits[4] != ':' {
				return &ParseError{fmt.Sprintf("Inconsistent use of : in %s", z)}
			}
			digits = digits[:4] + digits[5:]
		}
	} else if strings.Contains(z, ":") {
		return &ParseError{fmt.Sprintf("Inconsistent use of : in %s", z)}
	}
	h, _ := strconv.Atoi(digits[0:2])
	m, _ := strconv.Atoi(digits[2:4])
	sec, frac := 0, 0
	if len(digits) >= 6 {
		sec, _ = strconv.Atoi(digits[4:6])
	}
	if len(digits) > 7 { // ".ffffff"
		frac, _ = strconv.Atoi((digits[7:] + "000000")[:6])
	}
	if h >= 24 {
		return &ParseError{fmt.Sprintf("offset %s must be strictly between -24 and 24 hours", z)}
	}
	off := h*3600 + m*60 + sec
	if frac != 0 {
		return &ParseError{fmt.Sprintf("offset %s: fractions of a second are not supported", z)}
	}
	if z[0] == '-' {
		off = -off
	}
	f.loc = stdtime.FixedZone(z, off)
	return nil
}
