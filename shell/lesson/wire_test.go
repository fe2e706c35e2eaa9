package lesson

import (
	"strconv"
	"strings"
	"testing"
)

// fakeSock is a Lua socket stand-in for lessons.lib.wire: recv returns the
// scripted chunks in order; "IDLE" means no data for a while (a timeout
// when one is set, skipped otherwise); after the last chunk the stream ends.
const fakeSock = `
local function fake(chunks)
  local s = {i = 0, timeout = nil, recvs = 0}
  function s:settimeout(t) self.timeout = t end
  function s:recv(n)
    while true do
      self.i = self.i + 1
      local c = chunks[self.i]
      if c == nil then return "" end
      if c ~= "IDLE" then
        assert(#c <= n, "fake chunk bigger than recv size")
        return c
      end
      if self.timeout then return nil, "timeout" end
    end
  end
  return s
end
`

func TestWireDecimalLength(t *testing.T) {
	tests := []struct {
		name   string
		chunks string // Lua list of chunks
		next   string
		length int
		rest   string // what the reader holds or reads next (up to 64 bytes)
	}{
		{"alone then data", `{"5", "hello", "IDLE"}`, "", 5, "hello"},
		{"stuck", `{"5hello", "IDLE"}`, "", 5, "hello"},
		{"stuck, two digits", `{"12hello world!", "IDLE"}`, "", 12, "hello world!"},
		{"empty output", `{"0", "IDLE"}`, "", 0, ""},
		{"digits stuck to digits", `{"4123\n", "IDLE"}`, "", 4, "123\n"},
		{"seq 1 10 stuck", `{"211\n2\n3\n4\n5\n6\n7\n8\n9\n10\n", "IDLE"}`, "", 21, "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n"},
		{"digits arrive late", `{"4", "IDLE", "123\n", "IDLE"}`, "", 4, "123\n"},
		{"one digit of data", `{"12", "IDLE"}`, "", 1, "2"},
		{"size then digit data then next header", `{"3123post|b|1x"}`, "post|", 3, "123post|b|1x"},
		{"size alone, data soon", `{"12", "34567890abcd", "IDLE"}`, "post|", 12, "34567890abcd"},
		{"size alone, then quiet", `{"5000", "IDLE"}`, "post|", 5000, ""},
		{"size alone, then quiet, then data", `{"25", "IDLE", "abcdefghijklmnopqrstuvwxy"}`, "post|", 25, "abcdefghijklmnopqrstuvwxy"},
		{"digits-only message glued, then quiet", `{"3123", "IDLE"}`, "", 3, "123"},
		{"size alone, data later, stream ends", `{"3", "IDLE", "123"}`, "post|", 3, "123"},
		{"long data starting with digits", `{"1000` + strings.Repeat("7", 500) + `", "` + strings.Repeat("8", 500) + `", "IDLE"}`, "", 1000, strings.Repeat("7", 64)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			src := fakeSock + `
local wire = require("lessons.lib.wire")
local rd = wire.reader(fake(` + tc.chunks + `), 1024)
local n, err, story = rd:decimal_length({next = ` + luaQuote(tc.next) + `})
print(n, err, story)
local rest = rd:peek()
if #rest < 64 then
  while true do
    local ok = rd:fill()
    if not ok then break end
  end
  rest = rd:peek()
end
io.write(string.sub(rest, 1, 64))
`
			if tc.next == "" {
				src = strings.Replace(src, `next = ""`, `next = nil`, 1)
			}
			code, out, errOut := runLessonSource(t, "", nil, src)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			first, rest, _ := strings.Cut(out, "\n")
			if want := strconv.Itoa(tc.length) + "\tnil\tnil"; first != want {
				t.Fatalf("decimal_length: %q, want %q", first, want)
			}
			if rest != tc.rest {
				t.Fatalf("rest: %q, want %q", rest, tc.rest)
			}
		})
	}
}

func luaQuote(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`).Replace(s) + `"`
}

// TestWireDecimalLengthBounds feeds decimal_length digit runs longer than
// any length: a length glued to digit data is still found (every split is
// checked), and a run no split explains — a never-ending field of 9s — is
// "bad length" once the splits pass opts.max, with at most max bytes held.
func TestWireDecimalLengthBounds(t *testing.T) {
	nines := `{` + strings.Repeat(`"`+strings.Repeat("9", 1000)+`", `, 300) + `"IDLE"}`
	tests := []struct {
		name, chunks, opts, want string
	}{
		{"long digit data glued", `{"20` + strings.Repeat("1234567890", 2) + `", "IDLE"}`, `{}`, "20\tnil\tnil\t20"},
		{"long digit data, next message", `{"16` + strings.Repeat("7", 16) + `post|x|1"}`, `{next = "post|"}`, "16\tnil\tnil\t24"},
		{"never-ending 9s", nines, `{max = 100000, next = "post|"}`, "nil\tbad length\tno length of at most 15 digits (and 100000 bytes) fits the 999999999999999... that came\t101000"},
		{"9s then the stream ends", `{"` + strings.Repeat("9", 40) + `"}`, `{}`, "nil\tbad length\tno length of at most 15 digits (and 67108864 bytes) fits the 999999999999999... that came\t40"},
		{"more digits than opts.digits", `{"1234567", "IDLE"}`, `{digits = 3}`, "nil\tbad length\tno length of at most 3 digits (and 67108864 bytes) fits the 123... that came\t7"},
		{"not a length", `{"x123"}`, `{}`, "nil\tbad length\texpected an ASCII decimal length, got \"x123\"\t4"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			src := fakeSock + `
local wire = require("lessons.lib.wire")
local rd = wire.reader(fake(` + tc.chunks + `), 1024)
local n, err, story = rd:decimal_length(` + tc.opts + `)
print(n, err, story, rd:buffered())
`
			code, out, errOut := runLessonSource(t, "", nil, src)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			if got := strings.TrimSuffix(out, "\n"); got != tc.want {
				t.Fatalf("got  %q\nwant %q", got, tc.want)
			}
		})
	}
}
