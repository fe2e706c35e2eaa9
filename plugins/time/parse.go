package time

import (
	"fmt"
	"strings"
	stdtime "time"
	"unicode"
)

// ParseError is data that does not match its format (a run-time failure,
// unlike an unknown directive, which is a FormatError).
type ParseError struct{ msg string }

func (e *ParseError) Error() string { return e.msg }

// FormatError is a format with a directive Strptime does not know.
type FormatError struct{ msg string }

func (e *FormatError) Error() string { return e.msg }

// fields collects what a format matched; -1 means "not given".
type fields struct {
	year, month, day, yday, hour, hour12, min, sec, nsec int
	pm                                                   int // -1, 0 (AM), 1 (PM)
	loc                                                  *stdtime.Location
	// weekday is 0 = Monday (Python's convention); week is %U or %W,
	// weekFromMon tells which; isoYear and isoWeek are %G and %V.
	weekday, week, isoYear, isoWeek int
	weekFromMon                     bool
}

// Strptime parses s with Python's % directives. Fields the format leaves
// out default as in Python (1900-01-01 00:00:00). The zone is the one %z or
// %Z names, else loc.
func Strptime(s, format string, loc *stdtime.Location) (stdtime.Time, error) {
	f := fields{year: 1900, month: -1, day: -1, yday: -1, hour: 0, hour12: -1, pm: -1, weekday: -1, week: -1, isoYear: -1, isoWeek: -1}
	mismatch := &ParseError{fmt.Sprintf("time data %q does not match format %q", s, format)}
	i := 0 // position in s
	for j := 0; j < len(format); j++ {
		c := format[j]
		switch {
		case c == ' ' || c == '\t' || c == '\n':
			for j+1 < len(format) && isSpace(format[j+1]) {
				j++
			}
			if i >= len(s) || !isSpace(s[i]) {
				return stdtime.Time{}, mismatch
			}
			for i < len(s) && isSpace(s[i]) {
				i++
			}
		case c != '%':
			if i >= len(s) || unicode.ToLower(rune(s[i])) != unicode.ToLower(rune(c)) {
				return stdtime.Time{}, mismatch
			}
			i++
		default:
			if j+1 >= len(format) {
				return stdtime.Time{}, &FormatError{"format ends with a lone %"}
			}
			j++
			n, err := f.match(format[j], s[i:])
			if err != nil {
				if _, bad := err.(*FormatError); bad {
					return stdtime.Time{}, err
				}
				return stdtime.Time{}, mismatch
			}
			i += n
		}
	}
	if i < len(s) {
		return stdtime.Time{}, &ParseError{fmt.Sprintf("unconverted data remains: %s", s[i:])}
	}
	return f.build(s, loc)
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'
}

// digits reads between min and max decimal digits at the start of s.
func digits(s string, min, max int) (int, int, bool) {
	v, n := 0, 0
	for n < len(s) && n < max && s[n] >= '0' && s[n] <= '9' {
		v = v*10 + int(s[n]-'0')
		n++
	}
	return v, n, n >= min
}

// name matches one of names (case-insensitively) at the start of s and
// returns its index.
func name(s string, names []string) (int, int, bool) {
	for i, nm := range names {
		if len(s) >= len(nm) && strings.EqualFold(s[:len(nm)], nm) {
			return i, len(nm), true
		}
	}
	return 0, 0, false
}

// parseDirectives are the % letters Strptime understands.
const parseDirectives = "YmdejHIMSyfpaAbBzZwuUWGV%"

var (
	days, months, shortDays, shortMonths []string
	errNoMatch                           = &ParseError{"no match"}
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

// match consumes directive d at the start of s.
func (f *fields) match(d byte, s string) (int, error) {
	num := func(dst *int, min, max, lo, hi int) (int, error) {
		v, n, ok := digits(s, min, max)
		if !ok || v < lo || v > hi {
			return 0, errNoMatch
		}
		*dst = v
		return n, nil
	}
	switch d {
	case 'Y':
		return num(&f.year, 4, 4, 0, 9999)
	case 'G':
		return num(&f.isoYear, 4, 4, 1, 9999)
	case 'V':
		return num(&f.isoWeek, 1, 2, 1, 53)
	case 'U', 'W':
		f.weekFromMon = d == 'W'
		return num(&f.week, 1, 2, 0, 53)
	case 'w':
		var w int
		n, err := num(&w, 1, 1, 0, 6)
		f.weekday = (w + 6) % 7
		return n, err
	case 'u':
		var u int
		n, err := num(&u, 1, 1, 1, 7)
		f.weekday = u - 1
		return n, err
	case 'm':
		return num(&f.month, 1, 2, 1, 12)
	case 'd', 'e':
		if d == 'e' && len(s) > 0 && s[0] == ' ' {
			n, err := num(&f.day, 1, 1, 1, 9)
			return n + 1, err
		}
		return num(&f.day, 1, 2, 1, 31)
	case 'j':
		return num(&f.yday, 1, 3, 1, 366)
	case 'H':
		return num(&f.hour, 1, 2, 0, 23)
	case 'I':
		return num(&f.hour12, 1, 2, 1, 12)
	case 'M':
		return num(&f.min, 1, 2, 0, 59)
	case 'S':
		return num(&f.sec, 1, 2, 0, 61)
	case 'y':
		var y int
		n, err := num(&y, 2, 2, 0, 99)
		if y < 69 {
			f.year = 2000 + y
		} else {
			f.year = 1900 + y
		}
		return n, err
	case 'f':
		v, n, ok := digits(s, 1, 6)
		if !ok {
			return 0, errNoMatch
		}
		for k := n; k < 9; k++ {
			v *= 10
		}
		f.nsec = v
		return n, nil
	case 'p':
		i, n, ok := name(s, []string{"AM", "PM"})
		if !ok {
			return 0, errNoMatch
		}
		f.pm = i
		return n, nil
	case 'a', 'A':
		list := shortDays
		if d == 'A' {
			list = days
		}
		i, n, ok := name(s, list)
		if !ok {
			return 0, errNoMatch
		}
		f.weekday = (i + 6) % 7
		return n, nil
	case 'b', 'B':
		list := shortMonths
		if d == 'B' {
			list = months
		}
		i, n, ok := name(s, list)
		if !ok {
			return 0, errNoMatch
		}
		f.month = i + 1
		return n, nil
	case 'z':
		return f.offset(s)
	case 'Z':
		return f.zone(s)
	case '%':
		if len(s) == 0 || s[0] != '%' {
			return 0, errNoMatch
		}
		return 1, nil
	}
	return 0, &FormatError{fmt.Sprintf("bad directive %%%c (known: %%%s)", d, strings.Join(strings.Split(parseDirectives, ""), " %"))}
}

// offset matches Z, ±HHMM or ±HH:MM (seconds allowed, as Python 3.7+).
func (f *fields) offset(s string) (int, error) {
	if len(s) > 0 && (s[0] == 'Z' || s[0] == 'z') {
		f.loc = stdtime.UTC
		return 1, nil
	}
	if len(s) < 5 || (s[0] != '+' && s[0] != '-') {
		return 0, errNoMatch
	}
	n := 1
	part := func() (int, bool) {
		v, k, ok := digits(s[n:], 2, 2)
		n += k
		return v, ok
	}
	h, ok1 := part()
	colon := n < len(s) && s[n] == ':'
	if colon {
		n++
	}
	m, ok2 := part()
	sec := 0
	if n < len(s) && (s[n] == ':' || !colon && s[n] >= '0' && s[n] <= '9') {
		if s[n] == ':' {
			n++
		}
		var ok3 bool
		if sec, ok3 = part(); !ok3 {
			return 0, errNoMatch
		}
	}
	if !ok1 || !ok2 || h > 23 || m > 59 || sec > 59 {
		return 0, errNoMatch
	}
	off := h*3600 + m*60 + sec
	if s[0] == '-' {
		off = -off
	}
	f.loc = stdtime.FixedZone(s[:n], off)
	return n, nil
}

// zone matches UTC, GMT or the local zone's abbreviations.
func (f *fields) zone(s string) (int, error) {
	n := 0
	for n < len(s) && (s[n] >= 'A' && s[n] <= 'Z' || s[n] >= 'a' && s[n] <= 'z') {
		n++
	}
	word := strings.ToUpper(s[:n])
	switch {
	case word == "UTC" || word == "GMT":
		f.loc = stdtime.UTC
		return n, nil
	case word != "" && localZoneName(word):
		f.loc = stdtime.Local
		return n, nil
	}
	return 0, errNoMatch
}

// localZoneName reports whether w is the local zone's abbreviation in
// January or July (standard or summer time).
func localZoneName(w string) bool {
	y := stdtime.Now().Year()
	for _, m := range []stdtime.Month{stdtime.January, stdtime.July} {
		name, _ := stdtime.Date(y, m, 1, 0, 0, 0, 0, stdtime.Local).Zone()
		if strings.EqualFold(name, w) {
			return true
		}
	}
	return false
}

// build turns the matched fields into a time, checking the date exists.
func (f *fields) build(s string, loc *stdtime.Location) (stdtime.Time, error) {
	if f.loc != nil {
		loc = f.loc
	}
	hour := f.hour
	if f.hour12 >= 0 {
		hour = f.hour12 % 12
		if f.pm == 1 {
			hour += 12
		}
	}
	if err := f.weekDate(); err != nil {
		return stdtime.Time{}, err
	}
	if f.yday >= 0 { // as Python: a day of the year wins over month and day
		t := stdtime.Date(f.year, 1, 1, hour, f.min, f.sec, f.nsec, loc).AddDate(0, 0, f.yday-1)
		if t.Year() != f.year {
			return stdtime.Time{}, &ParseError{fmt.Sprintf("day of year %d is out of range for %d", f.yday, f.year)}
		}
		return t, nil
	}
	month, day := max(f.month, 1), max(f.day, 1)
	t := stdtime.Date(f.year, stdtime.Month(month), day, hour, f.min, f.sec, f.nsec, loc)
	if t.Day() != day && f.sec < 60 {
		return stdtime.Time{}, &ParseError{fmt.Sprintf("day is out of range for month in %q", s)}
	}
	return t, nil
}

// weekDate turns a week number and a weekday (%U or %W with %Y, or %G with
// %V) into a day of the year, as Python's _strptime does, and refuses the
// combinations Python refuses.
func (f *fields) weekDate() error {
	const weekdays = "a weekday directive ('%A', '%a', '%w', or '%u')"
	switch {
	case f.isoYear >= 0 && (f.isoWeek < 0 || f.weekday < 0):
		return &ParseError{"ISO year directive '%G' must be used with the ISO week directive '%V' and " + weekdays + "."}
	case f.isoYear >= 0 && f.yday >= 0:
		return &ParseError{"Day of the year directive '%j' is not compatible with ISO year directive '%G'. Use '%Y' instead."}
	case f.isoYear < 0 && f.isoWeek >= 0 && f.weekday < 0:
		return &ParseError{"ISO week directive '%V' must be used with the ISO year directive '%G' and " + weekdays + "."}
	case f.isoYear < 0 && f.isoWeek >= 0:
		return &ParseError{"ISO week directive '%V' is incompatible with the year directive '%Y'. Use the ISO year '%G' instead."}
	}
	if f.yday >= 0 || f.weekday < 0 {
		return nil
	}
	jan1 := stdtime.Date(f.year, 1, 1, 0, 0, 0, 0, stdtime.UTC)
	switch {
	case f.week >= 0:
		first := (int(jan1.Weekday()) + 6) % 7 // Monday = 0
		wd := f.weekday
		if !f.weekFromMon {
			first, wd = (first+1)%7, (wd+1)%7
		}
		if f.week == 0 {
			f.yday = 1 + wd - first
		} else {
			f.yday = 1 + (7-first)%7 + 7*(f.week-1) + wd
		}
	case f.isoYear >= 0:
		jan4 := stdtime.Date(f.isoYear, 1, 4, 0, 0, 0, 0, stdtime.UTC)
		correction := (int(jan4.Weekday())+6)%7 + 1 + 3
		f.year = f.isoYear
		f.yday = f.isoWeek*7 + f.weekday + 1 - correction
	default:
		return nil
	}
	// A day before January 1st or after December 31st moves the year, as
	// Python's date.fromordinal does.
	t := stdtime.Date(f.year, 1, 1, 0, 0, 0, 0, stdtime.UTC).AddDate(0, 0, f.yday-1)
	f.year, f.yday = t.Year(), t.YearDay()
	return nil
}
