package bench

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// Result is what one run measured: an ordered list of fields, printed as a
// table for people (WriteTable) and as one "RESULT key=value ..." line for
// scripts (Line). Lua gets the same keys in a table.
type Result struct {
	Fields []Field
}

// Field is one measured value. Value is an int64, a float64 or a string.
type Field struct {
	Key   string // RESULT key and Lua table key: "rps", "p50_us"
	Label string // for the table: "requests/s"; empty hides it there
	Value any
}

func (r *Result) add(key, label string, v any) { r.Fields = append(r.Fields, Field{key, label, v}) }

// Get returns the value of key, or nil.
func (r *Result) Get(key string) any {
	for _, f := range r.Fields {
		if f.Key == key {
			return f.Value
		}
	}
	return nil
}

// Float returns the value of key as a number (0 when absent or a string).
func (r *Result) Float(key string) float64 {
	switch v := r.Get(key).(type) {
	case int64:
		return float64(v)
	case float64:
		return v
	}
	return 0
}

// Line returns "RESULT key=value ..." with every field; values never
// contain spaces.
func (r *Result) Line() string {
	var b strings.Builder
	b.WriteString("RESULT")
	for _, f := range r.Fields {
		b.WriteByte(' ')
		b.WriteString(f.Key)
		b.WriteByte('=')
		b.WriteString(machineValue(f.Value))
	}
	return b.String()
}

func machineValue(v any) string {
	switch v := v.(type) {
	case int64:
		return strconv.FormatInt(v, 10)
	case float64:
		return strconv.FormatFloat(v, 'f', 2, 64)
	case string:
		return strings.ReplaceAll(v, " ", "_")
	}
	return fmt.Sprint(v)
}

// WriteTable prints the labelled fields, one per line.
func (r *Result) WriteTable(w io.Writer) {
	width := 0
	for _, f := range r.Fields {
		width = max(width, len(f.Label))
	}
	for _, f := range r.Fields {
		if f.Label == "" {
			continue
		}
		fmt.Fprintf(w, "  %-*s  %s\n", width, f.Label, humanValue(f.Value))
	}
}

func humanValue(v any) string {
	switch v := v.(type) {
	case int64:
		return group(strconv.FormatInt(v, 10))
	case float64:
		if v >= 1000 {
			return group(strconv.FormatFloat(v, 'f', 0, 64))
		}
		return strconv.FormatFloat(v, 'f', 2, 64)
	}
	return fmt.Sprint(v)
}

// group puts commas between thousands: 1234567 → 1,234,567.
func group(s string) string {
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

func micros(d time.Duration) float64 { return float64(d) / float64(time.Microsecond) }
func millis(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
