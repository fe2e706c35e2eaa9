package time

import (
	"fmt"
	stdtime "time"
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
