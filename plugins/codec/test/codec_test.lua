-- Lua-level tests of the codec plugin; every global Test* function runs as a
-- Go subtest.

local function raises(pattern, f, ...)
  local ok, err = pcall(f, ...)
  assert(not ok, "expected an error matching " .. pattern)
  assert(string.find(err, pattern, 1, true), "error was: " .. tostring(err))
end

local function eq(got, want)
  assert(got == want, "got " .. string.format("%q", tostring(got)) .. ", want " .. string.format("%q", tostring(want)))
end

local zh = "中文" -- UTF-8 source text

function TestGBK()
  eq(codec.encode(zh, "gbk"), "\214\208\206\196")
  eq(codec.decode("\214\208\206\196", "gbk"), zh)
  eq(codec.decode("dir \196\191\194\188", "cp936"), "dir 目录")
  eq(codec.decode(codec.encode("hello, 世界", "GBK"), "gbk"), "hello, 世界")
end

function TestGB18030AndBig5()
  eq(codec.decode(codec.encode("😀€中", "gb18030"), "gb18030"), "😀€中")
  eq(codec.encode("😀", "gb18030"), "\148\57\252\54")
  eq(codec.encode("中文", "big5"), "\164\164\164\229")
  eq(codec.decode("\164\164\164\229", "big5"), "中文")
end

function TestLatin1AndASCII()
  eq(codec.encode("café", "latin-1"), "caf\233")
  eq(codec.decode("caf\233", "iso-8859-1"), "café")
  eq(codec.decode("\255", "latin1"), "ÿ")
  eq(codec.encode("abc", "ascii"), "abc")
  eq(codec.decode("abc", "ascii"), "abc")
end

function TestUTF16()
  eq(codec.encode("hi", "utf-16-le"), "h\0i\0")
  eq(codec.encode("hi", "utf-16be"), "\0h\0i")
  eq(codec.encode("hi", "utf-16"), "\255\254h\0i\0")
  eq(codec.encode("😀", "utf-16-le"), "\61\216\0\222")
  eq(codec.decode("\61\216\0\222", "utf-16le"), "😀")
  eq(codec.decode("\255\254h\0", "utf-16"), "h")
  eq(codec.decode("\254\255\0h", "utf-16"), "h")
  eq(codec.decode("h\0", "utf-16"), "h")
end

function TestUTF8()
  eq(codec.decode("añ", "utf-8"), "añ")
  eq(codec.decode("añ"), "añ") -- utf-8 is the default
  eq(codec.encode("añ", "UTF8"), "añ")
  eq(codec.decode("a\255b", "utf-8", "replace"), "a\239\191\189b")
  eq(codec.decode("a\255b", "utf-8", "ignore"), "ab")
end

function TestErrorsModes()
  raises("codec.decode: 'gbk' codec can't decode byte 0xff at byte 3: illegal multibyte sequence", codec.decode, "ab\255", "gbk")
  eq(codec.decode("ab\255cd", "gbk", "replace"), "ab\239\191\189cd")
  eq(codec.decode("ab\255cd", "gbk", "ignore"), "abcd")
  raises("codec.encode: 'latin-1' codec can't encode character U+4E2D at byte 2: not representable", codec.encode, "a中", "latin-1")
  eq(codec.encode("a中b", "latin-1", "replace"), "a?b")
  eq(codec.encode("a中b", "ascii", "ignore"), "ab")
  raises("'ascii' codec can't decode byte 0xe9 at byte 4: ordinal not in range(128)", codec.decode, "caf\233", "ascii")
  raises("'utf-8' codec can't decode byte 0xff at byte 2: invalid start byte", codec.decode, "a\255", "utf-8")
  raises("'utf-8' codec can't decode bytes 0xe4 0xb8 at byte 2: unexpected end of data", codec.decode, "a\228\184", "utf-8")
  raises("'utf-8' codec can't decode byte 0xe4 at byte 1: invalid continuation byte", codec.decode, "\228A", "utf-8")
  raises("'utf-8' codec can't decode byte 0xed at byte 1: invalid continuation byte", codec.decode, "\237\160\128", "utf-8")
  eq(codec.decode("a\228\184b", "utf-8", "replace"), "a\239\191\189b") -- one U+FFFD per bad sequence
  eq(codec.decode("\228Ab", "utf-8", "replace"), "\239\191\189Ab")
  -- an ASCII byte after a bad GBK lead byte survives
  eq(codec.decode("\164\64x", "gbk", "replace"), "\239\191\189@x")
  raises("'utf-16-le' codec can't decode byte 0x68 at byte 3: truncated data", codec.decode, "h\0h", "utf-16-le")
  raises("'utf-16-le' codec can't decode bytes 0x3d 0xd8 at byte 1: illegal UTF-16 surrogate", codec.decode, "\61\216h\0", "utf-16-le")
  eq(codec.decode("\61\216h\0", "utf-16-le", "replace"), "\239\191\189h")
  raises("the text is not valid UTF-8 (byte 0xff at byte 2)", codec.encode, "a\255", "gbk")
  eq(codec.encode("a\255", "gbk", "replace"), "a?")
  -- a real U+FFFD in GB18030 input is not an error
  eq(codec.decode(codec.encode("\239\191\189", "gb18030"), "gb18030"), "\239\191\189")
end

function TestMisuse()
  raises("codec.decode: bad argument #2 (unknown encoding 'klingon' (see codec.encodings()))", codec.decode, "x", "klingon")
  raises("codec.encode: bad argument #3 (unknown errors mode 'loud' (use strict, replace or ignore))", codec.encode, "x", "gbk", "loud")
  raises("codec.decode: bad argument #1 (string expected, got nil)", codec.decode, nil, "gbk")
  raises("codec.encode: bad argument #2 (string expected, got number)", codec.encode, "x", 936)
  local names = table.concat(codec.encodings(), " ")
  assert(names:find("gbk", 1, true) and names:find("utf-16-le", 1, true), names)
end

function TestBase64()
  eq(codec.b64encode(""), "")
  eq(codec.b64encode("hello"), "aGVsbG8=")
  eq(codec.b64encode("\251\255"), "+/8=")
  eq(codec.urlsafe_b64encode("\251\255"), "-_8=")
  eq(codec.b64decode("aGVsbG8="), "hello")
  eq(codec.b64decode("aGVsbG8"), "hello")
  eq(codec.b64decode(" aGVs\nbG8= "), "hello")
  eq(codec.b64decode("-_8="), "\251\255")
  eq(codec.urlsafe_b64decode("-_8"), "\251\255")
  local all = {}
  for i = 0, 255 do all[#all + 1] = string.char(i) end
  all = table.concat(all)
  eq(codec.b64decode(codec.b64encode(all)), all)
  eq(codec.urlsafe_b64decode(codec.urlsafe_b64encode(all)), all)
  raises("codec.b64decode: bad argument #1 (invalid base64 character '!' at byte 3)", codec.b64decode, "aG!s")
  raises("base64 data after '=' padding at byte 4", codec.b64decode, "aG=s")
  raises("invalid base64 length: 5 digits leave a single digit over", codec.b64decode, "aGVsb")
  raises("too much '=' padding at byte 5", codec.b64decode, "aG===")
  raises("incorrect '=' padding for 3 digits", codec.b64decode, "aGV==")
end

function TestURL()
  eq(codec.quote("/path with space/ü?x=1"), "/path%20with%20space/%C3%BC%3Fx%3D1")
  eq(codec.quote("a/b", ""), "a%2Fb")
  eq(codec.quote("a:b", ":/"), "a:b")
  eq(codec.quote("AZaz09_.-~"), "AZaz09_.-~")
  eq(codec.quote_plus("a b&c=d/e"), "a+b%26c%3Dd%2Fe")
  eq(codec.quote_plus("a+b"), "a%2Bb")
  eq(codec.unquote("%2Fpath%20x%zz%4"), "/path x%zz%4")
  eq(codec.unquote("a+b"), "a+b")
  eq(codec.unquote_plus("a+b%2Bc"), "a b+c")
  eq(codec.unquote("%e4%b8%ad"), "中")
  eq(codec.urlencode({q = "nsh lua", page = 2, ok = true}), "ok=true&page=2&q=nsh+lua")
  eq(codec.urlencode({}), "")
  raises("codec.urlencode: bad argument #1 (value of 'x' must be a string, number or boolean, got table)", codec.urlencode, {x = {}})
  raises("codec.urlencode: bad argument #1 (table expected, got string)", codec.urlencode, "a=b")
  raises("codec.quote: bad argument #1 (string expected, got no value)", codec.quote)
end
