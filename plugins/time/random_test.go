package time_test

import (
	"encoding/json"
	"os/exec"
	"strconv"
	"testing"
	stdtime "time"

	ntime "nsh/plugins/time"
)

// TestRandomStrptimeAgainstPython has Python format random instants with
// common formats, spoil some of the strings (a zero dropped, upper case, a
// doubled space, a byte cut or added) and parse them; Strptime must accept
// and refuse the same strings and give the same instants.
func TestRandomStrptimeAgainstPython(t *testing.T) {
	py, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("python3 not found: cannot compare strptime with Python")
	}
	script := `
import datetime, json, random
rnd = random.Random(3)
fmts = ["%Y-%m-%d %H:%M:%S", "%d/%b/%Y:%H:%M:%S %z", "%a, %d %b %Y %H:%M:%S %Z", "%Y%m%d", "%m%d%y",
        "%I:%M %p", "%j %Y", "%B %d, %Y", "%H%M%S", "%Y-%m-%dT%H:%M:%S.%f%z", "%y%m%d%H%M", "%A %U %Y",
        "%G-W%V-%u", "%d%m%Y", "%W %w %Y"]
out = []
for i in range(600):
    f = rnd.choice(fmts)
    zone = datetime.timezone(datetime.timedelta(minutes=rnd.randint(-720, 720)))
    d = datetime.datetime(rnd.randint(1970, 2037), rnd.randint(1, 12), rnd.randint(1, 28), rnd.randint(0, 23),
                          rnd.randint(0, 59), rnd.randint(0, 59), rnd.randint(0, 999999), tzinfo=zone)
    s = (d.astimezone(datetime.timezone.utc) if "%Z" in f else d).strftime(f)
    r = rnd.random()
    if r < 0.3: s = s.replace("0", "", 1)
    elif r < 0.4: s = s.upper()
    elif r < 0.5: s = s.replace(" ", "  ", 1)
    elif r < 0.6: s = s[:-1]
    elif r < 0.65: s = s + "x"
    try:
        p = datetime.datetime.strptime(s, f)
        if p.tzinfo is None:
            p = p.replace(tzinfo=datetime.timezone.utc)
        out.append([s, f, "%.6f" % p.timestamp()])
    except ValueError:
        out.append([s, f, "error"])
print(json.dumps(out))
`
	b, err := exec.Command(py, "-c", script).Output()
	if err != nil {
		t.Fatalf("python3: %v", err)
	}
	var cases [][3]string
	if err := json.Unmarshal(b, &cases); err != nil {
		t.Fatal(err)
	}
	parsed := 0
	for _, c := range cases {
		got := "error"
		if tm, err := ntime.Strptime(c[0], c[1], stdtime.UTC); err == nil {
			got = strconv.FormatFloat(float64(tm.UnixMicro())/1e6, 'f', 6, 64)
			parsed++
		}
		if got != c[2] {
			t.Errorf("Strptime(%q, %q) = %s; Python gives %s", c[0], c[1], got, c[2])
		}
	}
	if parsed < 300 {
		t.Errorf("only %d of %d strings parsed: the cases test little", parsed, len(cases))
	}
}
