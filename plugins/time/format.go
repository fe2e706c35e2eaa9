package time

import (
	"fmt"
	"strconv"
	"strings"
	stdtime "time"
)

// directives are the % letters Strftime and Strptime understand.
const directives = "YmdHMSfzZaAbBjpyI%cxXDTFRewuUWVGgCklhPrnt"

// Strftime formats t as Python's strftime does in the C locale. It returns
// an error naming the first directive it does not know.
func Strftime(format string, t stdtime.Time) (string, error) {
	var b strings.Builder
	for i := 0; i < len(format); i++ {
		c := format[i]
		if c != '%' {
			b.WriteByte(c)
			continue
		}
		if i+1 >= len(format) {
			return "", fmt.Errorf("format ends with a lone %%")
		}
		i++
		if err := directive(&b, format[i], t); err != nil {
			return "", err
		}
	}
	return b.String(), nil
}

func directive(b *strings.Builder, d byte, t stdtime.Time) error {
	switch d {
	case 'Y':
		fmt.Fprintf(b, "%d", t.Year())
	case 'm':
		fmt.Fprintf(b, "%02d", int(t.Month()))
	case 'd':
		fmt.Fprintf(b, "%02d", t.Day())
	case 'e':
		fmt.Fprintf(b, "%2d", t.Day())
	case 'H':
		fmt.Fprintf(b, "%02d", t.Hour())
	case 'I':
		fmt.Fprintf(b, "%02d", hour12(t.Hour()))
	case 'M':
		fmt.Fprintf(b, "%02d", t.Minute())
	case 'S':
		fmt.Fprintf(b, "%02d", t.Second())
	case 'f':
		fmt.Fprintf(b, "%06d", t.Nanosecond()/1000)
	case 'y':
		fmt.Fprintf(b, "%02d", t.Year()%100)
	case 'j':
		fmt.Fprintf(b, "%03d", t.YearDay())
	case 'p':
		if t.Hour() < 12 {
			b.WriteString("AM")
		} else {
			b.WriteString("PM")
		}
	case 'a':
		b.WriteString(t.Weekday().String()[:3])
	case 'A':
		b.WriteString(t.Weekday().String())
	case 'b':
		b.WriteString(t.Month().String()[:3])
	case 'B':
		b.WriteString(t.Month().String())
	case 'U': // weeks starting on Sunday; days before the first are week 0
		fmt.Fprintf(b, "%02d", (t.YearDay()+6-int(t.Weekday()))/7)
	case 'W': // weeks starting on Monday
		fmt.Fprintf(b, "%02d", (t.YearDay()+6-(int(t.Weekday())+6)%7)/7)
	case 'V':
		_, w := t.ISOWeek()
		fmt.Fprintf(b, "%02d", w)
	case 'G':
		y, _ := t.ISOWeek()
		fmt.Fprintf(b, "%d", y)
	case 'g':
		y, _ := t.ISOWeek()
		fmt.Fprintf(b, "%02d", y%100)
	case 'C':
		fmt.Fprintf(b, "%02d", t.Year()/100)
	case 'k':
		fmt.Fprintf(b, "%2d", t.Hour())
	case 'l':
		fmt.Fprintf(b, "%2d", hour12(t.Hour()))
	case 'h':
		b.WriteString(t.Month().String()[:3])
	case 'P':
		if t.Hour() < 12 {
			b.WriteString("am")
		} else {
			b.WriteString("pm")
		}
	case 'r':
		fmt.Fprintf(b, "%02d:%02d:%02d ", hour12(t.Hour()), t.Minute(), t.Second())
		directive(b, 'p', t)
	case 'n':
		b.WriteByte('\n')
	case 't':
		b.WriteByte('\t')
	case 'w':
		b.WriteString(strconv.Itoa(int(t.Weekday())))
	case 'u':
		b.WriteString(strconv.Itoa((int(t.Weekday())+6)%7 + 1))
	case 'z':
		_, off := t.Zone()
		sign := '+'
		if off < 0 {
			sign, off = '-', -off
		}
		fmt.Fprintf(b, "%c%02d%02d", sign, off/3600, off/60%60)
		if off%60 != 0 {
			fmt.Fprintf(b, "%02d", off%60) // as Python 3.7+
		}
	case 'Z':
		name, _ := t.Zone()
		b.WriteString(name)
	case 'c':
		fmt.Fprintf(b, "%s %s %2d %02d:%02d:%02d %d", t.Weekday().String()[:3], t.Month().String()[:3], t.Day(), t.Hour(), t.Minute(), t.Second(), t.Year())
	case 'x', 'D':
		fmt.Fprintf(b, "%02d/%02d/%02d", int(t.Month()), t.Day(), t.Year()%100)
	case 'X', 'T':
		fmt.Fprintf(b, "%02d:%02d:%02d", t.Hour(), t.Minute(), t.Second())
	case 'F':
		fmt.Fprintf(b, "%d-%02d-%02d", t.Year(), int(t.Month()), t.Day())
	case 'R':
		fmt.Fprintf(b, "%02d:%02d", t.Hour(), t.Minute())
	case '%':
		b.WriteByte('%')
	default:
		return fmt.Errorf("unknown directive %%%c (known: %%%s)", d, strings.Join(strings.Split(directives, ""), " %"))
	}
	return nil
}

func hour12(h int) int {
	if h%12 == 0 {
		return 12
	}
	return h % 12
}
