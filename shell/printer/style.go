package printer

import "github.com/fatih/color"

// Styler colours output by kind. It is the only place that imports color.
type Styler struct {
	On     bool
	colors map[string]*color.Color
}

func NewStyler(on bool) Styler {
	st := Styler{On: on, colors: map[string]*color.Color{
		"error":  color.New(color.FgRed),
		"warn":   color.New(color.FgYellow),
		"ok":     color.New(color.FgGreen),
		"sent":   color.New(color.FgCyan),
		"recv":   color.New(color.FgMagenta),
		"addr":   color.New(color.FgBlue),
		"dim":    color.New(color.Faint),
		"key":    color.New(color.FgCyan),
		"number": color.New(color.FgYellow),
		"string": color.New(color.FgGreen),
		"prompt": color.New(color.FgGreen, color.Bold),
		"bold":   color.New(color.Bold),
	}}
	for _, c := range st.colors {
		if on {
			c.EnableColor()
		} else {
			c.DisableColor()
		}
	}
	return st
}

// Style returns text coloured for kind, or unchanged when colour is off or
// the kind is unknown.
func (st Styler) Style(kind, text string) string {
	if !st.On {
		return text
	}
	c, ok := st.colors[kind]
	if !ok {
		return text
	}
	return c.Sprint(text)
}
