//go:build !linux

package memguard

// Default is 1 GiB where nsh cannot read the machine's memory size.
func Default() int64 { return 1 << 30 }
