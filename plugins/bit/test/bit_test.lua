-- Lua-level tests of the bit plugin, with values from LuaJIT's bit docs.

local function raises(pattern, f, ...)
  local ok, err = pcall(f, ...)
  assert(not ok, "expected an error matching " .. pattern)
  assert(string.find(err, pattern, 1, true), "error was: " .. tostring(err))
end

function TestTobit()
  assert(bit.tobit(0xffffffff) == -1)
  assert(bit.tobit(0xffffffff + 1) == 0)
  assert(bit.tobit(2^40 + 1234) == 1234)
  assert(bit.tobit(-1) == -1)
  assert(bit.tobit(1.5) == 2 and bit.tobit(2.5) == 2 and bit.tobit(-1.5) == -2)
  assert(bit.tobit("0x10") == 16 and bit.tobit(" 12 ") == 12)
end

function TestTohex()
  assert(bit.tohex(1) == "00000001")
  assert(bit.tohex(-1) == "ffffffff")
  assert(bit.tohex(0xffffffff) == "ffffffff")
  assert(bit.tohex(-1, -8) == "FFFFFFFF")
  assert(bit.tohex(0x21, 4) == "0021")
  assert(bit.tohex(0x87654321, -4) == "4321")
  -- LuaJIT 2.1: more than 8 digits pad with zeros (up to 254)
  assert(bit.tohex(0x1234, 20) == "00000000000000001234")
  assert(#bit.tohex(1, 254) == 254 and #bit.tohex(1, 1000) == 254)
  assert(bit.tohex(-1, 10) == "00ffffffff")
  assert(bit.tohex(-5, -20) == "000000000000FFFFFFFB")
  assert(bit.tohex(5, 0) == "")
end

function TestLogic()
  assert(bit.bnot(0) == -1)
  assert(bit.bnot(-1) == 0)
  assert(bit.bnot(0x12345678) == -305419897)
  assert(bit.bor(1, 2, 4, 8) == 15)
  assert(bit.band(0x12345678, 0xff) == 0x78)
  assert(bit.bxor(0xa5a5f0f0, 0xaa55ff00) == 0x0ff00ff0)
  assert(bit.band(-1) == -1)
  assert(bit.bor(0x80000000) == -2147483648)
end

function TestShifts()
  assert(bit.lshift(1, 0) == 1)
  assert(bit.lshift(1, 8) == 256)
  assert(bit.lshift(1, 40) == 256)
  assert(bit.lshift(1, 31) == -2147483648)
  assert(bit.rshift(256, 8) == 1)
  assert(bit.rshift(-256, 8) == 16777215)
  assert(bit.arshift(256, 8) == 1)
  assert(bit.arshift(-256, 8) == -1)
  assert(bit.lshift(0x87654321, 12) == 0x54321000)
  assert(bit.rshift(0x87654321, 12) == 0x00087654)
  assert(bit.arshift(0x87654321, 12) == bit.tobit(0xfff87654))
end

function TestRotates()
  assert(bit.rol(0x12345678, 12) == 0x45678123)
  assert(bit.ror(0x12345678, 12) == 0x67812345)
  assert(bit.rol(0x12345678, 0) == 0x12345678)
  assert(bit.ror(0x12345678, 32) == 0x12345678)
  assert(bit.bswap(0x12345678) == 0x78563412)
  assert(bit.bswap(0x78563412) == 0x12345678)
end

function TestErrors()
  raises("bit.band: bad argument #2 (number expected, got table)", bit.band, 1, {})
  raises("bit.bnot: bad argument #1 (number expected, got no value)", bit.bnot)
  raises("bit.lshift: bad argument #2 (number expected, got nil)", bit.lshift, 1, nil)
  raises("bit.tobit: bad argument #1 (number expected, got string)", bit.tobit, "abc")
end
