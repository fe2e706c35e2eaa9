-- Lua-level tests of the time plugin; each Test* function is a Go subtest.

local function eq(got, want, what)
  if got ~= want then
    error(string.format("%s: got %q, want %q", what, tostring(got), tostring(want)), 2)
  end
end

function TestNowAgreesWithOsTime()
  assert(math.abs(time.now() - os.time()) < 2, "time.now far from os.time")
end

function TestMonotonicNeverGoesBack()
  local last = time.monotonic()
  for _ = 1, 1000 do
    local t = time.monotonic()
    assert(t >= last, "monotonic went back")
    last = t
  end
end

function TestRoundTripUTC()
  local fmt = "%Y-%m-%d %H:%M:%S.%f"
  for _, t in ipairs({0, 1.5, 1795341600.25, 951782400}) do
    local s = time.strftime(fmt, t, true)
    eq(time.strptime(s, fmt, true), t, "round trip of " .. s)
  end
end

function TestRoundTripLocal()
  local fmt = "%Y-%m-%d %H:%M:%S"
  local t = 1795341600
  eq(time.strptime(time.strftime(fmt, t), fmt), t, "local round trip")
  eq(time.strftime("%Y-%m-%d %H:%M:%S", t), os.date("%Y-%m-%d %H:%M:%S", t), "agrees with os.date")
end

function TestDateMatchesOsDate()
  local t = 1795341600
  local a, b = time.date(t), os.date("*t", t)
  -- gopher-lua's os.date("*t") leaves yday at 0, so yday is checked on its own.
  for _, k in ipairs({"year", "month", "day", "hour", "min", "sec", "wday"}) do
    eq(a[k], b[k], "field " .. k)
  end
  eq(time.date(1795341600, true).yday, 326, "yday")
  local u = time.date(0, true)
  eq(u.year, 1970, "epoch year")
  eq(u.zone, "UTC", "zone")
  eq(u.utcoffset, 0, "offset")
  eq(u.wday, 5, "1970-01-01 was a Thursday")
end

function TestStrptimeFailureValues()
  local v, err, story = time.strptime("10:00", "%H:%M:%S")
  eq(v, nil, "value")
  eq(err, "invalid time", "err")
  eq(story, 'time.strptime: time data "10:00" does not match format "%H:%M:%S"', "story")
end

function TestZoneDirectives()
  eq(time.strptime("1970-01-01 01:00 +0100", "%Y-%m-%d %H:%M %z"), 0, "%z")
  eq(time.strptime("1970-01-01 00:00 UTC", "%Y-%m-%d %H:%M %Z"), 0, "%Z UTC")
  eq(time.strftime("%z %Z", 0, true), "+0000 UTC", "utc zone")
end
