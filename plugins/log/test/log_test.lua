-- Lua-level tests of the log plugin; each Test* function is a Go subtest.
-- stderr() returns what was logged to stderr since the last call; the clock
-- is fixed at 2026-11-22 10:00:00.123.

local function eq(got, want, what)
  if got ~= want then
    error(string.format("%s: got %q, want %q", what, tostring(got), tostring(want)), 2)
  end
end

local T = "2026-11-22 10:00:00.123 "

function TestDefaultLevelIsInfo()
  stderr()
  eq(log.level(), "info", "default level")
  log.debug("hidden")
  log.info("shown")
  eq(stderr(), T .. "INFO shown\n", "stderr")
end

function TestLevelReturnsPrevious()
  eq(log.level("warn"), "info", "previous")
  log.info("hidden")
  log.warn("w")
  eq(stderr(), T .. "WARN w\n", "warn only")
  eq(log.level("OFF"), "warn", "previous, case-insensitive name")
  log.error("nothing")
  eq(stderr(), "", "off hides everything")
  log.level("info")
end

function TestFormatting()
  stderr()
  log.info("%s=%d %5.2f", "n", 3, 1.5)
  log.info(42)
  log.info(nil)
  log.info("100% literal without args")
  eq(stderr(), T .. "INFO n=3  1.50\n" .. T .. "INFO 42\n" .. T .. "INFO nil\n" .. T .. "INFO 100% literal without args\n", "lines")
end

function TestSetOutput()
  stderr()
  eq(log.set_output("stdout"), "stderr", "previous")
  log.info("to stdout")
  eq(stderr(), "", "nothing on stderr")
  eq(log.set_output("stderr"), "stdout", "previous")
end

function TestRequire()
  eq(require("log"), log, "require returns the global module")
end
