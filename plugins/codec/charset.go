package codec

import (
	"sort"
	"strings"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/korean"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"
)

// kind selects the implementation of a charset: the simple ones are done
// here, the multi-byte CJK ones by golang.org/x/text.
type kind int

const (
	kUTF8 kind = iota
	kASCII
	kLatin1
	kUTF16     // BOM on encode, detected on decode (little-endian without one)
	kUTF16LE   //
	kUTF16BE   //
	kXText     // x.enc
	kXTextByte // single-byte x/text charmap: every byte decodes
)

// charset is one text encoding.
type charset struct {
	name string // canonical (Python's) name, used in messages
	kind kind
	enc  encoding.Encoding
	// reason is Python's wording for an undecodable sequence.
	reason string
}

var charsets = map[string]*charset{}

// aliases maps normalized names to canonical ones.
var aliases = map[string]string{}

func add(cs *charset, names ...string) {
	charsets[cs.name] = cs
	aliases[normalize(cs.name)] = cs.name
	for _, n := range names {
		aliases[normalize(n)] = cs.name
	}
}

func init() {
	add(&charset{name: "utf-8", kind: kUTF8}, "utf8", "u8", "cp65001")
	add(&charset{name: "ascii", kind: kASCII, reason: "ordinal not in range(128)"}, "us-ascii", "646")
	add(&charset{name: "latin-1", kind: kLatin1}, "latin1", "iso-8859-1", "iso8859-1", "8859", "cp819", "l1")
	add(&charset{name: "utf-16", kind: kUTF16}, "utf16")
	add(&charset{name: "utf-16-le", kind: kUTF16LE}, "utf-16le", "utf16le")
	add(&charset{name: "utf-16-be", kind: kUTF16BE}, "utf-16be", "utf16be")
	mb := "illegal multibyte sequence"
	add(&charset{name: "gbk", kind: kXText, enc: simplifiedchinese.GBK, reason: mb}, "cp936", "936", "ms936", "gb2312", "euc-cn")
	add(&charset{name: "gb18030", kind: kXText, enc: simplifiedchinese.GB18030, reason: mb}, "gb18030-2000")
	add(&charset{name: "big5", kind: kXText, enc: traditionalchinese.Big5, reason: mb}, "big5-tw", "cp950", "csbig5")
	add(&charset{name: "shift_jis", kind: kXText, enc: japanese.ShiftJIS, reason: mb}, "shift-jis", "sjis", "cp932", "ms932")
	add(&charset{name: "euc_jp", kind: kXText, enc: japanese.EUCJP, reason: mb}, "euc-jp", "eucjp")
	add(&charset{name: "euc_kr", kind: kXText, enc: korean.EUCKR, reason: mb}, "euc-kr", "euckr", "cp949")
	add(&charset{name: "cp1252", kind: kXTextByte, enc: charmap.Windows1252, reason: "character maps to <undefined>"}, "windows-1252")
	add(&charset{name: "cp437", kind: kXTextByte, enc: charmap.CodePage437}, "ibm437", "437")
	add(&charset{name: "koi8_r", kind: kXTextByte, enc: charmap.KOI8R}, "koi8-r")
}

// lookup finds a charset by any of its names, ignoring case and treating
// '_' and '-' alike, as Python does.
func lookup(name string) (*charset, bool) {
	canon, ok := aliases[normalize(name)]
	if !ok {
		return nil, false
	}
	return charsets[canon], true
}

func normalize(name string) string {
	return strings.ReplaceAll(strings.ToLower(strings.TrimSpace(name)), "_", "-")
}

// names lists the canonical charset names, sorted.
func names() []string {
	out := make([]string, 0, len(charsets))
	for n := range charsets {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}
