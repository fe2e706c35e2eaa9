-- Lua-level tests of the struct plugin; every global Test* function runs as
-- a Go subtest.

local function hex(s)
  return (s:gsub(".", function(c) return string.format("%02x", c:byte()) end))
end

local function raises(pattern, f, ...)
  local ok, err = pcall(f, ...)
  assert(not ok, "expected an error matching " .. pattern)
  assert(string.find(err, pattern, 1, true), "error was: " .. tostring(err))
end

function TestPackUnpackRoundTrip()
  local s = struct.pack("<bBhHiIqQ", -1, 255, -300, 65535, -70000, 4000000000, -2^53, 2^53)
  assert(#s == 1 + 1 + 2 + 2 + 4 + 4 + 8 + 8)
  local a, b, c, d, e, f, g, h = struct.unpack("<bBhHiIqQ", s)
  assert(a == -1 and b == 255 and c == -300 and d == 65535)
  assert(e == -70000 and f == 4000000000 and g == -2^53 and h == 2^53)
end

function TestByteOrders()
  assert(hex(struct.pack("<I", 1)) == "01000000")
  assert(hex(struct.pack(">I", 1)) == "00000001")
  assert(hex(struct.pack("!I", 1)) == "00000001")
  assert(hex(struct.pack("=I", 1)) == "01000000")
  assert(hex(struct.pack("@I", 1)) == "01000000")
  assert(hex(struct.pack("I", 1)) == "01000000")
end

function TestNativeAlignment()
  assert(struct.calcsize("@bi") == 8)
  assert(struct.calcsize("=bi") == 5)
  assert(struct.calcsize("@ci0l") == 8)
  assert(struct.calcsize("@l") == 8 and struct.calcsize("<l") == 4)
  assert(struct.calcsize("@n") == 8 and struct.calcsize("@N") == 8)
  assert(hex(struct.pack("@bh", 1, 2)) == "01000200")
end

function TestCountsAndWhitespace()
  assert(struct.calcsize("4h") == 8)
  assert(struct.calcsize("< 2h 3x i") == 11)
  local a, b, c, d = struct.unpack("<4h", struct.pack("<4h", 1, 2, 3, 4))
  assert(a == 1 and b == 2 and c == 3 and d == 4)
end

function TestStrings()
  assert(struct.pack("5s", "ab") == "ab\0\0\0")
  assert(struct.pack("2s", "abcdef") == "ab")
  assert(struct.unpack("3s", "xyz") == "xyz")
  assert(struct.pack("5p", "abcdefg") == "\4abcd")
  assert(struct.unpack("5p", "\2abcd") == "ab")
  assert(struct.pack("0s", "zzz") == "")
  assert(select("#", struct.unpack("0s", "")) == 1)
  assert(struct.unpack("c", "A") == "A")
  local x, y = struct.unpack("2c", "AB")
  assert(x == "A" and y == "B")
end

function TestBoolAndPadding()
  assert(struct.pack("?", false) == "\0")
  assert(struct.pack("?", 0) == "\0")
  assert(struct.pack("?", nil) == "\0")
  assert(struct.pack("?", "yes") == "\1")
  assert(struct.unpack("?", "\0") == false)
  assert(struct.unpack("?", "\7") == true)
  assert(struct.pack("2x") == "\0\0")
  assert(select("#", struct.unpack("3x", "abc")) == 0)
end

function TestFloats()
  assert(struct.unpack("<d", struct.pack("<d", 0.1)) == 0.1)
  assert(struct.unpack("<f", struct.pack("<f", 1.5)) == 1.5)
  assert(struct.unpack("<e", struct.pack("<e", -2.5)) == -2.5)
  assert(struct.unpack(">f", struct.pack(">f", 1/0)) == 1/0)
  local nan = struct.unpack("<d", struct.pack("<d", 0/0))
  assert(nan ~= nan)
  assert(hex(struct.pack(">e", 1)) == "3c00")
end

function TestBigIntegers()
  assert(struct.unpack("<Q", "\255\255\255\255\255\255\255\255") == "18446744073709551615")
  assert(struct.unpack("<q", "\255\255\255\255\255\255\255\255") == -1)
  assert(struct.unpack("<q", "\0\0\0\0\0\0\0\128") == "-9223372036854775808")
  assert(struct.unpack(">Q", "\0\32\0\0\0\0\0\0") == 2^53)
  assert(struct.unpack(">Q", "\0\32\0\0\0\0\0\1") == "9007199254740993")
  -- strings round-trip exactly
  local s = struct.pack("<Q", "9007199254740993")
  assert(struct.unpack("<Q", s) == "9007199254740993")
  raises("beyond 2^53", struct.pack, "<q", 2^54)
end

function TestUnpackFrom()
  local data = "\0\1\0\2\0\3"
  assert(struct.unpack_from(">H", data) == 1)
  assert(struct.unpack_from(">H", data, 2) == 2)
  assert(struct.unpack_from(">H", data, -2) == 3)
  local a, b = struct.unpack_from(">HH", data, 2)
  assert(a == 2 and b == 3)
  raises("unpack_from requires a buffer of at least 8 bytes", struct.unpack_from, ">H", data, 6)
  raises("offset -7 out of range for 6-byte buffer", struct.unpack_from, ">H", data, -7)
end

function TestIterUnpack()
  local sum, n = 0, 0
  for rec in struct.iter_unpack("<hB", struct.pack("<hBhB", 1, 2, 3, 4)) do
    n = n + 1
    sum = sum + rec[1] * rec[2]
  end
  assert(n == 2 and sum == 1 * 2 + 3 * 4)
  local it = struct.iter_unpack("<h", "")
  assert(it() == nil)
  raises("multiple of 3 bytes", struct.iter_unpack, "<hB", "abcd")
  raises("struct of length 0", struct.iter_unpack, "", "")
end

function TestCalcsize()
  assert(struct.calcsize("") == 0)
  assert(struct.calcsize("<qQdf") == 28)
  assert(struct.calcsize("@?e") == 4)
end

function TestPackErrors()
  raises("struct.pack: bad argument #2 ('i' format requires -2147483648 <= number <= 2147483647)", struct.pack, "i", 2^31)
  raises("'b' format requires -128 <= number <= 127", struct.pack, "b", 128)
  raises("'B' format requires 0 <= number <= 255", struct.pack, "B", 256)
  raises("'H' format requires 0 <= number <= 65535", struct.pack, "H", -1)
  raises("'I' format requires 0 <= number <= 4294967295", struct.pack, "I", -1)
  raises("required argument is not an integer", struct.pack, "h", 0.5)
  raises("required argument is not an integer", struct.pack, "h", {})
  raises("required argument is not a float", struct.pack, "d", "1.0")
  raises("char format requires a string of length 1", struct.pack, "c", "")
  raises("argument for 'p' must be a string", struct.pack, "p", 5)
  raises("struct.pack: expected 2 items for packing (got 1)", struct.pack, "hh", 1)
  raises("struct.pack: expected 0 items for packing (got 1)", struct.pack, "", 1)
  raises("struct.pack: bad argument #3", struct.pack, "hh", 1, 1e9)
end

function TestFormatErrors()
  raises("struct.calcsize: bad argument #1 (bad char in struct format)", struct.calcsize, "y")
  raises("bad char in struct format", struct.calcsize, "<P")
  raises("bad char in struct format", struct.calcsize, "2 h")
  raises("repeat count given without format specifier", struct.calcsize, "12")
  raises("total struct size too long", struct.calcsize, "99999999999999999999h")
  raises("string expected, got nil", struct.calcsize, nil)
end

function TestUnpackErrors()
  raises("struct.unpack: bad argument #2 (unpack requires a buffer of 4 bytes, got 5)", struct.unpack, "<i", "abcde")
  raises("string expected, got table", struct.unpack, "<i", {})
  raises("bad char in struct format", struct.unpack, "<k", "")
end
