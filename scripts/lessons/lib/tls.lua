-- lessons.lib.tls: the --tls flags every TCP lesson that declares them shares.
--   server: --tls [--cert FILE --key FILE]  (without them: a fresh self-signed certificate for
--           the lesson's host, written to a file the clients pass as --cafile)
--   client: --tls [--cafile FILE]           (without --cafile: the system's roots)
-- The client verifies the server's certificate and name, as every TLS client should.
local ssl = require("ssl")
local M = {}

-- enabled reports whether the lesson runs over TLS.
function M.enabled()
  return lesson.flags.tls ~= nil and lesson.flags.tls ~= "false"
end

-- server makes the listening socket s wrap every connection it accepts in TLS.
function M.server(s)
  if not M.enabled() then
    return s
  end
  local cert, key = lesson.flags.cert, lesson.flags.key
  if cert == nil then
    local hosts = {lesson.host}
    if lesson.host ~= "localhost" then
      hosts[#hosts + 1] = "localhost"
    end
    local dir = os.getenv("TMPDIR") or "/tmp"
    -- named by the port really bound (unique while the server runs, also with --port 0)
    local stem = string.format("%s/nsh-lesson-%s-%d", dir, lesson.name, s:getsockname().port)
    cert, key = ssl.selfsigned{hosts = hosts, certfile = stem .. "-cert.pem", keyfile = stem .. "-key.pem"}
    print("tls: self-signed certificate for " .. table.concat(hosts, ", ") .. " in " .. cert
      .. " (clients: --tls --cafile " .. cert .. ")")
  end
  local ctx, err = ssl.newcontext({mode = "server", certificate = cert, key = key})
  if not ctx then
    error("--tls: " .. err, 0)
  end
  return ssl.wrap(s, ctx)
end

-- client upgrades the connected socket s to TLS and shakes hands; a failure (an unknown
-- certificate, a wrong name) stops the client with the reason.
function M.client(s)
  if not M.enabled() then
    return s
  end
  local c = ssl.wrap(s, {mode = "client", cafile = lesson.flags.cafile, server_name = lesson.host})
  local ok, err, story = c:dohandshake()
  if not ok then
    error("--tls: " .. (story or err), 0)
  end
  return c
end

return M
