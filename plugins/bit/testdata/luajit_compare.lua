-- Prints bit results for odd inputs, one call a line; the Go test runs it
-- under LuaJIT and under nsh and compares the lines. Only results are
-- printed (they are 32-bit integers or strings, formatted alike by both).
local bit = bit or require("bit")
local vals = {0, 1, -1, 2^31, -2^31, 2^32, 2^32+5, 0.5, 1.5, 2.5, -0.5, -1.5, 3.7, -3.7, 2^52, 2^53,
  2^53+2, 2^60, -2^60, 1e20, 0x7fffffff, 0x80000000, 0xffffffff, 123456789, -987654321, 1/0, -1/0, "0x10", " 17 "}
local function p(...)
  local t = {...}
  for i = 1, select("#", ...) do t[i] = tostring(t[i]) end
  print(table.concat(t, " "))
end
for i, a in ipairs(vals) do
  p(i, bit.tobit(a), bit.bnot(a), bit.bswap(a), bit.tohex(a), bit.tohex(a, -4), bit.tohex(a, 3))
  for _, b in ipairs({0, 1, 5, 31, 32, 33, -1, 7.5}) do
    p(i, b, bit.lshift(a, b), bit.rshift(a, b), bit.arshift(a, b), bit.rol(a, b), bit.ror(a, b))
  end
  for j, b in ipairs(vals) do p(i, j, bit.band(a, b), bit.bor(a, b), bit.bxor(a, b)) end
end
p(bit.band(0xff, 0x0f, 0x3), bit.bor(1, 2, 4, 8), bit.bxor(1, 3, 7))
for _, n in ipairs({0, 1, 3, 8, 9, 16, 20, 100, 254, -1, -9, -20, -254}) do
  p(n, bit.tohex(-5, n), bit.tohex(0x12345678, n))
end
