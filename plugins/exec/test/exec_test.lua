-- Lua-level tests of the exec plugin; each Test* function is a Go subtest.

local function eq(got, want, what)
  if got ~= want then
    error(string.format("%s: got %q, want %q", what, tostring(got), tostring(want)), 2)
  end
end

function TestArgvNeedsNoQuoting()
  local r = exec.run({"printf", "%s|", "a b", "$HOME", "'q'"})
  eq(r.stdout, "a b|$HOME|'q'|", "stdout")
  eq(r.ok, true, "ok")
end

function TestShellTableForm()
  local r = exec.run({cmd = "echo one two | wc -w", shell = true})
  eq(r.stdout:match("%d+"), "2", "word count")
end

function TestEnvMergeRemoveAndClear()
  local r = exec.shell('echo "$A-${HOME:+home}"', {env = {A = 1}})
  eq(r.stdout, "1-home\n", "merged env")
  r = exec.shell('echo "[${HOME}]"', {env = {HOME = false}})
  eq(r.stdout, "[]\n", "removed var")
  r = exec.run({"/usr/bin/env"}, {clear_env = true, env = {ONLY = "me"}})
  eq(r.stdout, "ONLY=me\n", "cleared env")
end

function TestRequire()
  local m = require("exec")
  eq(m, exec, "require returns the global module")
end

function TestNonZeroIsNotAnError()
  local r, err = exec.shell("exit 1")
  eq(err, nil, "err")
  eq(r.code, 1, "code")
  eq(r.ok, false, "ok")
  eq(r.signal, nil, "signal")
end

function TestWhich()
  local p = exec.which("sh")
  assert(p and p:sub(1, 1) == "/", "which sh: " .. tostring(p))
  local none, err, story = exec.which("no-such-program-xyz")
  eq(none, nil, "missing")
  eq(err, "not found", "err")
  eq(story, "exec.which no-such-program-xyz: not found in $PATH", "story")
end

function TestCwdMissing()
  local r, err, story = exec.run({"true"}, {cwd = "/no/such/dir"})
  eq(r, nil, "result")
  eq(err, "no such file or directory", "err")
  assert(story:find("chdir /no/such/dir"), story)
end

function TestShellStoryNamesTheCommandLine()
  local r, err, story = exec.shell("exit 0", {cwd = "/no/such/dir"})
  eq(story, 'exec.shell "exit 0": chdir /no/such/dir: no such file or directory', "story")
end
