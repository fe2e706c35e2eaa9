-- Shared helpers for the socket plugin's Lua tests.

function eq(got, want, what)
  if got ~= want then
    error((what or "value") .. ": got " .. tostring(got) .. ", want " .. tostring(want), 2)
  end
end

-- raises(substr, fn, ...) checks that fn(...) raises an error containing substr.
function raises(substr, fn, ...)
  local ok, err = pcall(fn, ...)
  if ok then error("expected an error containing " .. substr .. ", got none", 2) end
  if not tostring(err):find(substr, 1, true) then
    error("error " .. tostring(err) .. " does not contain " .. substr, 2)
  end
end

-- fails(short, storypart, v, short, story) checks a nil, short, story return.
function fails(wantShort, storyPart, v, short, story)
  if v ~= nil then error("expected failure " .. wantShort .. ", got " .. tostring(v), 2) end
  if short ~= wantShort then error("short: got " .. tostring(short) .. ", want " .. wantShort .. " (" .. tostring(story) .. ")", 2) end
  if storyPart and not tostring(story):find(storyPart, 1, true) then
    error("story " .. tostring(story) .. " does not contain " .. storyPart, 2)
  end
end

-- listener returns a listening Python-style TCP socket on 127.0.0.1 and its port.
function listener()
  local srv = assert(socket.socket(socket.AF_INET, socket.SOCK_STREAM))
  assert(srv:bind("127.0.0.1", 0))
  assert(srv:listen(16))
  return srv, srv:getsockname().port
end

-- pair returns a connected client, the server's end and the listener.
function pair()
  local srv, port = listener()
  local c = assert(socket.socket())
  assert(c:connect("127.0.0.1", port))
  local a = assert(srv:accept())
  return c, a, srv
end

-- closedPort returns a port nobody listens on (bound then closed).
function closedPort()
  local s = socket.socket()
  assert(s:bind("127.0.0.1", 0))
  local port = s:getsockname().port
  s:close()
  return port
end
