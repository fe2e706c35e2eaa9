-- lessons.lib.wire: byte-level helpers for the lessons' protocols: a buffered reader over a
-- socket, exact reads, and the decoding of an ASCII decimal length that has no terminator
-- (seed 000's "<len><output>" and "post|name|<size><data>"), which TCP may glue to the bytes
-- that follow it.
local M = {}

-- M.IDLE is how long (seconds) the stream must stay quiet before a reader decides that the
-- sender has finished a message; it is used only when the bytes alone are ambiguous.
M.IDLE = 0.5

-- strip removes leading and trailing whitespace, like Python's str.strip().
function M.strip(s)
  return (string.gsub(s, "^%s*(.-)%s*$", "%1"))
end

local UPPER = {}
for c = string.byte("a"), string.byte("z") do
  UPPER[string.char(c)] = string.char(c - 32)
end

-- upper upper-cases ASCII letters only and leaves every other byte alone, like Python's
-- bytes.upper() (string.upper in gopher-lua is Go's Unicode-aware strings.ToUpper, which also
-- turns bytes that are not UTF-8 into U+FFFD).
function M.upper(s)
  return (string.gsub(s, "[a-z]", UPPER))
end

local Reader = {}
Reader.__index = Reader

-- M.MAX_DIGITS is how many digits an ASCII decimal length may have (lengths below 10^15, all
-- exact in a Lua number); a longer run of digits is a length followed by data that starts
-- with digits, never a longer length.
M.MAX_DIGITS = 15

-- M.MAX_LENGTH is decimal_length's default opts.max: the most bytes it holds in memory to
-- tell a length from the digits glued to it.
M.MAX_LENGTH = 64 * 1048576

-- reader wraps sock: every recv asks for up to bufsize bytes (1024 as in the documents).
-- The bytes received and not yet taken are buf from index pos on, then the chunks of parts
-- (received since buf was last joined); n counts them all. Waiting for many bytes appends
-- chunks without joining, and taking advances pos, so every byte is copied a bounded number
-- of times: reading n bytes costs O(n), never O(n^2) however they arrive.
function M.reader(sock, bufsize)
  return setmetatable({sock = sock, buf = "", pos = 1, parts = {}, n = 0, size = bufsize or 1024, closed = false}, Reader)
end

-- join makes buf[pos..] hold every unread byte.
local function join(self)
  if #self.parts == 0 then
    return
  end
  local head = self.buf
  if self.pos > 1 then
    head = string.sub(head, self.pos)
  end
  self.buf = head .. table.concat(self.parts)
  self.parts = {}
  self.pos = 1
end

-- fill appends one recv to the buffer. With idle (seconds) it gives up after that long
-- without data and returns nil, "timeout". It returns nil, "closed" at the end of the stream.
function Reader:fill(idle)
  if self.closed then
    return nil, "closed"
  end
  if idle then
    self.sock:settimeout(idle)
  end
  local data, err, story = self.sock:recv(self.size)
  if idle then
    self.sock:settimeout(nil)
  end
  if data == nil then
    return nil, err, story
  end
  if data == "" then
    self.closed = true
    return nil, "closed"
  end
  self.parts[#self.parts + 1] = data
  self.n = self.n + #data
  return true
end

-- buffered is how many bytes were received and not yet taken.
function Reader:buffered()
  return self.n
end

-- peek returns the first n unread bytes (all of them when n is nil) without taking them.
function Reader:peek(n)
  n = n or self.n
  if #self.buf - self.pos + 1 < n then
    join(self)
  end
  return string.sub(self.buf, self.pos, self.pos + n - 1)
end

-- take removes and returns up to n bytes from the buffer.
function Reader:take(n)
  local out = self:peek(n)
  self.pos = self.pos + #out
  self.n = self.n - #out
  if self.pos > 65536 and self.pos > #self.buf / 2 then
    self.buf = string.sub(self.buf, self.pos) -- drop what was taken, at most once per half
    self.pos = 1
  end
  return out
end

-- chunk returns the buffered bytes if any (at most n), else one recv of at most n bytes;
-- nil, "closed" at the end of the stream.
function Reader:chunk(n)
  if self.n == 0 then
    local ok, err, story = self:fill()
    if not ok then
      return nil, err, story
    end
  end
  return self:take(n)
end

-- exactly returns exactly n bytes, or nil, err, story (err "closed" if the stream ends first).
function Reader:exactly(n)
  while self.n < n do
    local ok, err, story = self:fill()
    if not ok then
      return nil, err, story
    end
  end
  return self:take(n)
end

-- until_byte returns the bytes before the first occurrence of the one-byte delimiter d and
-- consumes the delimiter; max caps the search (nil, "too long" past it). Each byte is
-- searched once.
function Reader:until_byte(d, max)
  local searched = 0
  while true do
    join(self)
    local i = string.find(self.buf, d, self.pos + searched, true)
    if i then
      local out = self:take(i - self.pos)
      self:take(1)
      return out
    end
    searched = self.n
    if self.n > max then
      return nil, "too long"
    end
    local ok, err, story = self:fill()
    if not ok then
      return nil, err, story
    end
  end
end

-- candidates lists the ways to split the leading digits d into "length" + "data that starts
-- with digits": k digits of length, for k = 1..#d (a length has no leading zero).
local function candidates(d)
  local out = {}
  for k = 1, #d do
    if k == 1 or string.sub(d, 1, 1) ~= "0" then
      out[#out + 1] = {k = k, len = tonumber(string.sub(d, 1, k))}
    end
  end
  return out
end

-- Reader:decimal_length reads an ASCII decimal length that is followed directly by `len`
-- bytes of data, with no separator: "5hello" is 5 + "hello", but "4123\n" may be 4 + "123\n"
-- or 41 + ... The digits are consumed; the data stays in the buffer.
--
-- opts.next:   the bytes that begin the next message, if one may follow at once ("post|");
-- opts.idle:   seconds of quiet that mean "the sender has stopped" (default M.IDLE);
-- opts.max:    the largest length worth checking (the bytes of a shorter split are held in
--              memory while it is checked; default M.MAX_LENGTH); above it, all the digits
--              are taken as the length;
-- opts.digits: the most digits a length has (default M.MAX_DIGITS).
--
-- How the ambiguity is resolved: with one digit, or a leading "0", the answer is plain.
-- When nothing follows the digits (the stream goes quiet or ends), the length came alone,
-- unless a split k accounts exactly for the bytes (k + length == bytes received: a message
-- made only of digits, glued to its length). Otherwise each split k (shortest first) predicts
-- where the message ends; the right one is where the stream goes quiet, ends, or starts the
-- next message (opts.next). A split is ruled out when more bytes follow its end. Only the
-- splits before the last one are checked, so the bytes buffered are bounded by the
-- second-largest candidate (and opts.max). The one misreading left: a length sent alone
-- whose first digit is its number of digits minus one (10-19, 200-299, 3000-3999...) and
-- then a pause longer than idle reads as 1 + one digit of data; idle is longer than any pause
-- an nsh sender makes between the two.
--
-- Bounds: only the first opts.digits + 1 bytes are looked at to find the digits, so a sender
-- of a never-ending run of digits costs one look per recv, not a rescan of all it sent.
-- More digits than opts.digits in a row are a length and then data that starts with digits:
-- every split is checked (none is taken unchecked), one longer than opts.max is not held to
-- check it, and when no split fits the answer is nil, "bad length" — so at most opts.max
-- bytes (plus one recv) are ever held.
function Reader:decimal_length(opts)
  opts = opts or {}
  local max = opts.max or M.MAX_LENGTH
  local digits = opts.digits or M.MAX_DIGITS
  local idle = opts.idle or M.IDLE
  local nextlen = opts.next and #opts.next or 0
  if self.n == 0 then
    local ok, err, story = self:fill()
    if not ok then
      return nil, err, story
    end
  end
  local function bad()
    return nil, "bad length", "expected an ASCII decimal length, got " .. string.format("%q", self:peek(20))
  end
  -- the digit run must be complete (a non-digit after it, or the stream quiet/ended) or
  -- longer than any length
  local stopped = false
  while true do
    local head = self:peek(digits + 1)
    if not string.find(head, "^%d") then
      return bad()
    end
    if string.find(head, "^%d*[^%d]") or #head > digits or string.sub(head, 1, 1) == "0" then
      break -- "0": an empty message; a length has no leading zero
    end
    local ok, err, story = self:fill(idle)
    if not ok then
      if err ~= "timeout" and err ~= "closed" then
        return nil, err, story
      end
      stopped = true
      break
    end
  end
  local d = string.match(self:peek(digits + 1), "^%d+")
  local long = #d > digits -- digits go on past any length: data that starts with digits
  if long then
    d = string.sub(d, 1, digits)
  end
  local cands = candidates(d)
  if stopped then
    -- nothing after the digits: a split that accounts for every byte received, else all
    for _, c in ipairs(cands) do
      if c.k < #d and c.k + c.len == self.n then
        self:take(c.k)
        return c.len
      end
    end
    self:take(#d)
    return tonumber(d)
  end
  while #cands > (long and 0 or 1) do
    local c = cands[1]
    if c.len > max then
      if long then
        break -- too big to hold while checking, and all the digits are no length
      end
      cands = {cands[#cands]} -- too big to hold while checking: take all the digits
      break
    end
    local e = c.k + c.len -- where the message would end, counted from the first digit
    local quiet = false
    while self.n < e + math.max(nextlen, 1) do
      local ok, err, story = self:fill(idle)
      if not ok then
        if err ~= "timeout" and err ~= "closed" then
          return nil, err, story
        end
        if self.n >= e then
          quiet = true
          break
        end
        if err == "closed" then
          break -- ends before this split's end: this split is impossible
        end
        -- a pause in the middle: keep waiting for the sender
      end
    end
    local after = ""
    if nextlen > 0 and self.n >= e + nextlen then
      after = string.sub(self:peek(e + nextlen), e + 1)
    end
    if self.n == e and quiet then
      cands = {c}
      break -- the stream stops right where this split ends
    elseif nextlen > 0 and after == opts.next then
      cands = {c}
      break -- the next message starts right where this split ends
    else
      table.remove(cands, 1) -- more bytes follow its end: not this one
    end
  end
  local c = cands[1]
  if c == nil or (long and c.len > max) then
    return nil, "bad length", string.format("no length of at most %d digits (and %d bytes) fits the %s... that came", digits, max, string.sub(d, 1, 20))
  end
  self:take(c.k)
  return c.len
end

return M
