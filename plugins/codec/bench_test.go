package codec

import (
	"bytes"
	"testing"
)

func BenchmarkDecodeGBK(b *testing.B) {
	cs, _ := lookup("gbk")
	text := bytes.Repeat([]byte("驱动器 C 中的卷没有标签。 dir listing line\r\n"), 1000)
	data, err := encode(text, cs, strict)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := decode(data, cs, strict); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDecodeGBKInvalid measures the slow path: one bad byte per line.
func BenchmarkDecodeGBKInvalid(b *testing.B) {
	cs, _ := lookup("gbk")
	data := bytes.Repeat([]byte("\xd6\xd0\xce\xc4 \xff line\r\n"), 1000)
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := decode(data, cs, replace); err != nil {
			b.Fatal(err)
		}
	}
}
