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

-- reader wraps sock: every recv asks for up to bufsize bytes (1024 as in the documents).
function M.reader(sock, bufsize)
  return setmetatable({sock = sock, buf = "", size = bufsize or 1024, closed = false}, Reader)
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
  self.buf = self.buf .. data
  return true
end

-- take removes and returns up to n bytes from the buffer.
function Reader:take(n)
  local out = string.sub(self.buf, 1, n)
  self.buf = string.sub(self.buf, n + 1)
  return out
end

-- chunk returns the buffered bytes if any (at most n), else one recv of at most n bytes;
-- nil, "closed" at the end of the stream.
function Reader:chunk(n)
  if #self.buf == 0 then
    local ok, err, story = self:fill()
    if not ok then
      return nil, err, story
    end
  end
  return self:take(n)
end

-- exactly returns exactly n bytes, or nil, err, story (err "closed" if the stream ends first).
function Reader:exactly(n)
  while #self.buf < n do
    local ok, err, story = self:fill()
    if not ok then
      return nil, err, story
    end
  end
  return self:take(n)
end

-- until_byte returns the bytes before the first occurrence of the one-byte delimiter d and
-- consumes the delimiter; max caps the search.
function Reader:until_byte(d, max)
  while true do
    local i = string.find(self.buf, d, 1, true)
    if i then
      local out = self:take(i - 1)
      self:take(1)
      return out
    end
    if #self.buf > max then
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
-- opts.next: the bytes that begin the next message, if one may follow at once ("post|");
-- opts.idle: seconds of quiet that mean "the sender has stopped" (default M.IDLE);
-- opts.max:  the largest length worth checking (the bytes of a shorter split are held in
--            memory while it is checked); above it, all the digits are taken as the length.
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
function Reader:decimal_length(opts)
  opts = opts or {}
  local max = opts.max or math.huge
  local idle = opts.idle or M.IDLE
  local nextlen = opts.next and #opts.next or 0
  if #self.buf == 0 then
    local ok, err, story = self:fill()
    if not ok then
      return nil, err, story
    end
  end
  -- the digit run must be complete: a non-digit after it, or the stream quiet/ended
  local stopped = false
  while not string.find(self.buf, "^%d*[^%d]") do
    if not string.find(self.buf, "^%d") then
      return nil, "bad length", "expected an ASCII decimal length, got " .. string.format("%q", string.sub(self.buf, 1, 20))
    end
    if string.sub(self.buf, 1, 1) == "0" then
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
  local d = string.match(self.buf, "^%d+")
  if not d then
    return nil, "bad length", "expected an ASCII decimal length, got " .. string.format("%q", string.sub(self.buf, 1, 20))
  end
  local cands = candidates(d)
  if stopped then
    -- nothing after the digits: a split that accounts for every byte received, else all
    for _, c in ipairs(cands) do
      if c.k < #d and c.k + c.len == #self.buf then
        self:take(c.k)
        return c.len
      end
    end
    self:take(#d)
    return tonumber(d)
  end
  while #cands > 1 do
    local c = cands[1]
    if c.len > max then
      cands = {cands[#cands]} -- too big to hold while checking: take all the digits
      break
    end
    local e = c.k + c.len -- where the message would end, counted from the first digit
    local quiet = false
    while #self.buf < e + math.max(nextlen, 1) do
      local ok, err, story = self:fill(idle)
      if not ok then
        if err ~= "timeout" and err ~= "closed" then
          return nil, err, story
        end
        if #self.buf >= e then
          quiet = true
          break
        end
        if err == "closed" then
          break -- ends before this split's end: this split is impossible
        end
        -- a pause in the middle: keep waiting for the sender
      end
    end
    local after = string.sub(self.buf, e + 1, e + nextlen)
    if #self.buf == e and quiet then
      break -- the stream stops right where this split ends
    elseif nextlen > 0 and #self.buf >= e + nextlen and after == opts.next then
      break -- the next message starts right where this split ends
    else
      table.remove(cands, 1) -- more bytes follow its end: not this one
    end
  end
  local c = cands[1]
  self:take(c.k)
  return c.len
end

return M
