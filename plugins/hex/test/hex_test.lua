-- Lua-level tests of the hex plugin; every global Test* function runs as a
-- Go subtest.

local function raises(pattern, f, ...)
  local ok, err = pcall(f, ...)
  assert(not ok, "expected an error matching " .. pattern)
  assert(string.find(err, pattern, 1, true), "error was: " .. tostring(err))
end

local function eq(got, want)
  assert(got == want, "got " .. string.format("%q", tostring(got)) .. ", want " .. string.format("%q", tostring(want)))
end

function TestTohex()
  eq(hex.tohex(""), "")
  eq(hex.tohex("\0\1\127\128\255"), "00017f80ff")
  eq(hex.tohex("abc", " "), "61 62 63")
  eq(hex.tohex("abc", ":"), "61:62:63")
  eq(hex.tohex("a", "-"), "61")
end

function TestFromhex()
  eq(hex.fromhex(""), "")
  eq(hex.fromhex("48656c6c6f"), "Hello")
  eq(hex.fromhex("48 65\t6C\n6c 6F"), "Hello")
  eq(hex.fromhex("  ff  "), "\255")
  local all = {}
  for i = 0, 255 do all[#all + 1] = string.char(i) end
  all = table.concat(all)
  eq(hex.fromhex(hex.tohex(all)), all)
  eq(hex.fromhex(hex.tohex(all, " ")), all)
end

function TestFromhexErrors()
  raises("hex.fromhex: bad argument #1 (invalid hex digit 'g' at byte 3)", hex.fromhex, "00g0")
  raises("odd number of hex digits (the digit at byte 3 has no pair)", hex.fromhex, "abc")
  raises("the hex digit at byte 1 has no pair (whitespace may only separate bytes)", hex.fromhex, "a bc")
  raises("invalid hex digit 'x' at byte 2", hex.fromhex, "0x41")
  raises("invalid hex digit ':' at byte 3", hex.fromhex, "aa:bb")
  raises("hex.fromhex: bad argument #1 (string expected, got number)", hex.fromhex, 12)
end

function TestDump()
  eq(hex.dump(""), "")
  eq(hex.dump("Hello, world!\n"), "00000000: 4865 6c6c 6f2c 2077 6f72 6c64 210a       Hello, world!.")
  local lines = {}
  -- (gopher-lua 1.1.2 crashes on `for x in (f() .. s):gmatch(p)`, so bind the string first)
  local text = hex.dump(string.rep("A", 40)) .. "\n"
  for line in text:gmatch("(.-)\n") do lines[#lines + 1] = line end
  eq(#lines, 3)
  eq(lines[3], "00000020: 4141 4141 4141 4141                      AAAAAAAA")
  eq(hex.dump("\0\31\127\128", {width = 4, group = 1}), "00000000: 00 1f 7f 80  ....")
  eq(hex.dump("abcdef", {width = 4, offset = 0x100}), "00000100: 6162 6364  abcd\n00000104: 6566       ef")
  eq(hex.dump("abcd", {group = 0, width = 4}), "00000000: 61626364  abcd")
end

function TestDumpErrors()
  raises("hex.dump: bad argument #1 (string expected, got nil)", hex.dump, nil)
  raises("hex.dump: bad argument #2 (options table expected, got number)", hex.dump, "x", 3)
  raises("option width must be a whole number from 1 to 256", hex.dump, "x", {width = 0})
  raises("option offset must be a whole number", hex.dump, "x", {offset = -1})
  raises("option color must be a boolean", hex.dump, "x", {color = 1})
  raises("unknown option 'colour'", hex.dump, "x", {colour = true})
end
