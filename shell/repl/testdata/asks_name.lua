-- A script for the REPL transcripts: it reads lines typed at the terminal.
local name = input("name? ")
print("hello, " .. tostring(name), arg[1])
local line = io.read()
print("then:", line)
os.exit(7)
