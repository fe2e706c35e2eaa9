package hex

import "nsh/xxd"

// The dump itself lives in nsh/xxd, shared with the call trace.
func defaultDump() xxd.Options { return xxd.Default() }

func dump(data []byte, o xxd.Options) string { return xxd.Dump(data, o) }

const hexDigits = xxd.HexDigits
