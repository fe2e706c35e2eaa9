-- Seed 000 (000_f54574ad7420c1b1.txt), program 2: the remote command server that sends the
-- output's length as ASCII decimal text, then the output (subprocess.Popen(shell=True)).
-- nsh binds 127.0.0.1 by default (the original binds 0.0.0.0) and runs commands only when
-- started with --allow-exec; otherwise each command gets a refusal in the same framing.
local serve = require("lessons.lib.serve")
local policy_lib = require("lessons.lib.exec_policy")

-- the flags are checked as remote-cmd's are: --allow-exec alone (or true/false), a timeout > 0
local policy = policy_lib.policy(lesson.flags)
local allow = policy.shell
local TIMEOUT = policy.timeout
local MAX_OUTPUT = policy.max_output
local PAUSE = tonumber(lesson.flags.pause or 0.1)
if PAUSE == nil or PAUSE < 0 then
  error("--pause needs a number of seconds >= 0", 0)
end

local REFUSAL = "nsh: this server does not run commands; start it with --allow-exec to allow remote command execution\n"

-- run returns what the client gets for one command line.
local function run(cmdline)
  if not allow then
    return REFUSAL
  end
  -- nsh fix: the command is killed after TIMEOUT seconds and its output capped at MAX_OUTPUT
  -- (the original waits for ever and reads everything into memory).
  local r, err, story = exec.shell(cmdline, {timeout = TIMEOUT, max_output = MAX_OUTPUT})
  if r == nil then
    return "nsh: " .. (story or err) .. "\n"
  end
  if r.stderr ~= "" then
    io.write(r.stderr) -- as in the original, stderr stays on the server's side
  end
  local out = r.stdout
  if r.truncated then
    out = out .. string.format("\n[nsh: output cut at %d bytes]\n", MAX_OUTPUT)
  end
  if r.timed_out then
    out = out .. string.format("\n[nsh: command killed after %g seconds]\n", TIMEOUT)
  end
  return out
end

local sk = serve.tcp(2)
print("......")
if not allow then
  print("commands are refused (start the server with --allow-exec to run them)")
elseif lesson.host ~= "127.0.0.1" and lesson.host ~= "::1" and lesson.host ~= "localhost" then
  print(string.format("WARNING: anyone who can reach %s can run commands as this user", tostring(sk:getsockname())))
end
-- nsh: one task per connection, so clients are served at the same time
serve.each(sk, function(conn, addr)
  print(addr)
  while true do
    local date = conn:recv(1024)
    if date == nil or date == "" then
      break -- an error or the client left
    end
    print(date)
    local cmd_result = run(date)
    local result_len = tostring(#cmd_result)
    print(result_len)
    -- the same two sends as the original: the length, then the output. Nothing marks where
    -- the length ends, so the two may reach the client stuck together (see the client).
    conn:sendall(result_len)
    -- nsh: a short pause lets a client that takes its first recv(1024) as the whole length
    -- (the original client) get the length alone; TCP promises nothing, and the nsh client
    -- copes without it (--pause 0 to see the original client trip over stuck packets).
    if PAUSE > 0 and #cmd_result > 0 then
      sleep(PAUSE)
    end
    conn:sendall(cmd_result)
  end
end)
