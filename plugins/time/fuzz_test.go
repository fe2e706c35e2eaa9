package time_test

import (
	"testing"
	stdtime "time"

	ntime "nsh/plugins/time"
)

// FuzzStrptime: no string and format make Strptime panic or hang, and a
// parsed time formats back to a string that parses to the same time.
func FuzzStrptime(f *testing.F) {
	f.Add("2026-11-22 10:00:00", "%Y-%m-%d %H:%M:%S")
	f.Add("22/Nov/2026:10:00:00 +0100", "%d/%b/%Y:%H:%M:%S %z")
	f.Add("Sunday 12 AM", "%A %I %p")
	f.Add("2024 366 .5", "%Y %j .%f")
	f.Add("+23:59:59", "%z")
	f.Add("%", "%%")
	f.Add("", "%")
	f.Fuzz(func(t *testing.T, s, format string) {
		tm, err := ntime.Strptime(s, format, stdtime.UTC)
		if err != nil {
			return
		}
		const iso = "%Y-%m-%d %H:%M:%S.%f %z"
		out, err := ntime.Strftime(iso, tm)
		if err != nil {
			t.Fatal(err)
		}
		if tm.Year() < 1000 {
			return // %Y of years below 1000 is not four digits
		}
		back, err := ntime.Strptime(out, iso, stdtime.UTC)
		if err != nil || !back.Equal(tm.Truncate(stdtime.Microsecond)) {
			t.Fatalf("Strptime(%q, %q) = %v; formatted %q; parsed back %v, %v", s, format, tm, out, back, err)
		}
	})
}
