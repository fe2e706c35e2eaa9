// Package codec is the codec plugin: text encodings (UTF-8, GBK, GB18030,
// Big5, Latin-1, UTF-16 and more, through golang.org/x/text) with Python's
// errors modes, base64, and URL percent-encoding.
package codec

import (
	lua "github.com/yuin/gopher-lua"

	"nsh/plugins"
)

func init() {
	plugins.Register(plugins.Plugin{
		Name:    "codec",
		Version: "1.0.0",
		Summary: "text encodings (utf-8, gbk, gb18030, big5, latin-1, utf-16), base64, URL quoting",
		Open:    Open,
		Global:  true,
		Help:    help,
	})
}

// Open builds the codec module table.
func Open(L *lua.LState, _ plugins.Host) *lua.LTable {
	return L.SetFuncs(L.NewTable(), map[string]lua.LGFunction{
		"encode": Encode, "decode": Decode, "encodings": Encodings,
		"b64encode": B64encode, "b64decode": B64decode,
		"urlsafe_b64encode": URLSafeB64encode, "urlsafe_b64decode": URLSafeB64decode,
		"quote": Quote, "quote_plus": QuotePlus, "unquote": Unquote, "unquote_plus": UnquotePlus,
		"urlencode": URLEncode,
	})
}

var help = []plugins.Help{
	{Name: "codec.decode", Signature: "codec.decode(bytes, encoding[, errors]) -> text",
		Summary: "convert bytes in an encoding (gbk, big5, latin-1, utf-16, ...) to UTF-8; errors: strict, replace, ignore",
		Example: `print(codec.decode(out, "gbk"))  -- Windows command output`},
	{Name: "codec.encode", Signature: "codec.encode(text, encoding[, errors]) -> bytes",
		Summary: "convert UTF-8 text to an encoding; errors: strict (raise), replace ('?'), ignore",
		Example: `local gbk = codec.encode("中文", "gbk")  print(#gbk)  --> 4`},
	{Name: "codec.encodings", Signature: "codec.encodings() -> {name, ...}",
		Summary: "the names of the supported encodings",
		Example: `print(table.concat(codec.encodings(), " "))`},
	{Name: "codec.b64encode", Signature: "codec.b64encode(data) -> text",
		Summary: "standard base64 with '=' padding",
		Example: `print(codec.b64encode("hello"))  --> aGVsbG8=`},
	{Name: "codec.b64decode", Signature: "codec.b64decode(text) -> data",
		Summary: "decode base64 (either alphabet; whitespace ignored; padding optional)",
		Example: `print(codec.b64decode("aGVsbG8="))  --> hello`},
	{Name: "codec.urlsafe_b64encode", Signature: "codec.urlsafe_b64encode(data) -> text",
		Summary: "base64 with '-' and '_' instead of '+' and '/'",
		Example: `print(codec.urlsafe_b64encode("\251\255"))  --> -_8=`},
	{Name: "codec.urlsafe_b64decode", Signature: "codec.urlsafe_b64decode(text) -> data",
		Summary: "decode URL-safe (or standard) base64",
		Example: `local raw = codec.urlsafe_b64decode("-_8")`},
	{Name: "codec.quote", Signature: "codec.quote(s[, safe]) -> string",
		Summary: "percent-encode for a URL path (safe defaults to \"/\"), as Python's urllib.parse.quote",
		Example: `print(codec.quote("/a b/ü"))  --> /a%20b/%C3%BC`},
	{Name: "codec.quote_plus", Signature: "codec.quote_plus(s[, safe]) -> string",
		Summary: "percent-encode for a query string, space as '+'",
		Example: `print(codec.quote_plus("a b&c"))  --> a+b%26c`},
	{Name: "codec.unquote", Signature: "codec.unquote(s) -> string",
		Summary: "decode %XX escapes",
		Example: `print(codec.unquote("a%20b"))  --> a b`},
	{Name: "codec.unquote_plus", Signature: "codec.unquote_plus(s) -> string",
		Summary: "decode %XX escapes and '+' as a space",
		Example: `print(codec.unquote_plus("a+b%26c"))  --> a b&c`},
	{Name: "codec.urlencode", Signature: "codec.urlencode(t) -> string",
		Summary: "a query string k=v&... from a table, keys sorted",
		Example: `print(codec.urlencode({q = "nsh lua", page = 2}))  --> page=2&q=nsh+lua`},
}
