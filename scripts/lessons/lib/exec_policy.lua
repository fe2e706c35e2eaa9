-- lessons.lib.exec_policy: whether and how a lesson server runs a command that came over the
-- network. Never by default; with --allow-exec every command runs through /bin/sh -c (as the
-- originals' subprocess.Popen(shell=True) did); with --allow PROG,PROG only those programs run,
-- from the command's words, without a shell (so "date; rm -rf ~" is just date with odd
-- arguments). Every run has a timeout and an output cap.
local exec = require("exec")

local M = {}

-- M.REFUSAL is what a server sends back, in its own framing, instead of running a command.
M.REFUSAL = "nsh: refused: this server does not run commands. Start it with --allow-exec to run "
  .. "every command (as the original did), or with --allow PROG,PROG to allow some programs.\n"

-- M.switch reads an on/off flag: absent is off, a bare --flag is on, and so are true, yes
-- and 1; false, no and 0 are off. Anything else is an error: a value the lesson runner took
-- for the flag's (--allow-exec 0.0.0.0) must not turn command execution on or off by accident.
function M.switch(flags, key)
  local v = flags[key]
  if v == nil or v == false or v == "false" or v == "no" or v == "0" then
    return false
  end
  if v == true or v == "true" or v == "yes" or v == "1" then
    return true
  end
  error(string.format("--%s is a switch: give it alone (or true/false), got %q", string.gsub(key, "_", "-"), tostring(v)), 0)
end

-- number_flag checks a flag at start, so that a bad value stops the server with a clear
-- message instead of failing every command later (exec wants a timeout > 0 and a whole
-- number of bytes).
local function number_flag(flags, key, default, whole)
  local v = flags[key]
  if v == nil then
    return default
  end
  local n = tonumber(v)
  if n == nil or n < 0 or (whole and n % 1 ~= 0) or (not whole and n <= 0) then
    local want = whole and "a whole number of bytes >= 0" or "a number of seconds > 0"
    error(string.format("--%s needs %s, got %q", string.gsub(key, "_", "-"), want, tostring(v)), 0)
  end
  return n
end

-- M.policy reads --allow-exec, --allow, --timeout and --max-output from flags (lesson.flags).
-- defaults may set timeout and max_output.
function M.policy(flags, defaults)
  defaults = defaults or {}
  local p = {
    shell = M.switch(flags, "allow_exec"),
    allow = {},
    timeout = number_flag(flags, "timeout", defaults.timeout or 10, false),
    max_output = number_flag(flags, "max_output", defaults.max_output or 1048576, true),
  }
  if type(flags.allow) == "string" then
    for name in string.gmatch(flags.allow, "[^,%s]+") do
      p.allow[name] = true
    end
  elseif flags.allow ~= nil then
    error("--allow needs a comma-separated list of programs, e.g. --allow date,ls", 0)
  end
  return p
end

-- M.run runs text under policy p and returns stdout, stderr and a one-line note for the
-- server's log. A refusal, a failure to start, a timeout and a cut output are reported on
-- stderr, so the client sees them in the original's framing.
function M.run(p, text)
  local words = {}
  for w in string.gmatch(text, "%S+") do
    words[#words + 1] = w
  end
  if #words == 0 then
    return "", "", "empty command"
  end
  local opts = {timeout = p.timeout, max_output = p.max_output}
  local ran, r, err, story
  if p.shell then
    ran, r, err, story = pcall(exec.shell, text, opts)
  elseif p.allow[words[1]] then
    ran, r, err, story = pcall(exec.run, words, opts)
  else
    return "", M.REFUSAL, "refused: " .. text
  end
  if not ran then
    -- exec raises on misuse (e.g. a NUL byte in the command): that command fails, the
    -- server goes on (a raise here would end the UDP time server's only loop)
    r, err = nil, tostring(r)
  end
  if r == nil then
    return "", "nsh: " .. (story or err) .. "\n", "failed: " .. (story or err)
  end
  local stderr = r.stderr
  if r.timed_out then
    stderr = stderr .. string.format("nsh: the command ran out of time (%g s) and was killed\n", p.timeout)
  end
  if r.truncated then
    stderr = stderr .. string.format("nsh: output cut at %d bytes\n", p.max_output)
  end
  return r.stdout, stderr, string.format("ran: %s (exit %d)", text, r.code)
end

return M
