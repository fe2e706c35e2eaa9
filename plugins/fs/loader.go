// Package fs is the nsh plugin for files and folders: read, atomic write,
// append, stat, list, mkdir, remove, path helpers, md5/sha256 of strings,
// files and streams, atomic streaming writers, and fs.jail, a view of one
// folder whose paths cannot leave it.
package fs

import "nsh/plugins"

func init() {
	plugins.Register(plugins.Plugin{
		Name:    "fs",
		Version: "1.0.0",
		Summary: "files and folders: atomic writes, stat, list, hashes, streaming writers, jailed folders",
		Open:    Open,
		Global:  true,
		Help:    help,
		Exit:    AbortPending,
	})
}

var help = []plugins.Help{
	{Name: "fs.read", Signature: "fs.read(path[, {max=bytes}]) -> string | nil, err, story", Summary: "the whole file as a string; past max bytes (default: the memory limit, --max-mem) nil, \"file too large\"; Ctrl-C or task:cancel stops it (nil, \"interrupted\")", Example: `local s = fs.read("/etc/hostname", {max = 4096})`},
	{Name: "fs.write", Signature: "fs.write(path, data) -> true | nil, err, story", Summary: "replace a file atomically: temp file in the same folder, fsync, rename, fsync the folder", Example: `assert(fs.write("out.txt", "hello\n"))`},
	{Name: "fs.append", Signature: "fs.append(path, data) -> true | nil, err, story", Summary: "append to a file, creating it", Example: `fs.append("log.txt", "one more line\n")`},
	{Name: "fs.stat", Signature: "fs.stat(path) -> {size, mode, perm, mtime, isdir, isfile, islink} | nil, err, story", Summary: "size, permission bits, modification time (float seconds) and kind of a path", Example: `print(fs.stat("/etc/passwd").size)`},
	{Name: "fs.list", Signature: "fs.list(dir) -> {names...} | nil, err, story", Summary: "the names in a folder, sorted", Example: `for _, n in ipairs(fs.list(".")) do print(n) end`},
	{Name: "fs.mkdir", Signature: "fs.mkdir(path[, {parents=true}]) -> true | nil, err, story", Summary: "make a folder; parents=true makes missing parents and accepts an existing folder (mkdir -p)", Example: `fs.mkdir("a/b/c", {parents = true})`},
	{Name: "fs.remove", Signature: "fs.remove(path[, {recursive=true}]) -> true | nil, err, story", Summary: "remove a file or empty folder; recursive=true removes a tree", Example: `fs.remove("tmp", {recursive = true})`},
	{Name: "fs.exists", Signature: "fs.exists(path) -> boolean", Summary: "whether the path exists (following symlinks)", Example: `if not fs.exists("out") then fs.mkdir("out") end`},
	{Name: "fs.join", Signature: "fs.join(part, ...) -> path", Summary: "join path parts with / and clean the result", Example: `print(fs.join("a", "b", "../c"))  --> a/c`},
	{Name: "fs.basename", Signature: "fs.basename(path) -> string", Summary: "the last element of a path (\"c\" for \"a/b/c/\")", Example: `print(fs.basename("/srv/up/file.bin"))`},
	{Name: "fs.dirname", Signature: "fs.dirname(path) -> string", Summary: "all but the last element of a path", Example: `print(fs.dirname("/srv/up/file.bin"))`},
	{Name: "fs.md5", Signature: "fs.md5(path) -> hex | nil, err, story", Summary: "MD5 of a file, read in chunks", Example: `print(fs.md5("big.iso"))`},
	{Name: "fs.sha256", Signature: "fs.sha256(path) -> hex | nil, err, story", Summary: "SHA-256 of a file, read in chunks", Example: `print(fs.sha256("big.iso"))`},
	{Name: "fs.md5sum", Signature: "fs.md5sum(s) -> hex", Summary: "MD5 of a string", Example: `print(fs.md5sum("abc"))`},
	{Name: "fs.sha256sum", Signature: "fs.sha256sum(s) -> hex", Summary: "SHA-256 of a string", Example: `print(fs.sha256sum("abc"))`},
	{Name: "fs.hasher", Signature: "fs.hasher(\"md5\"|\"sha1\"|\"sha256\"|\"sha512\") -> hasher", Summary: "a streaming hash: h:update(s) -> h, h:hexdigest(), h:digest()", Example: "local h = fs.hasher(\"sha256\")\nh:update(\"ab\"):update(\"c\")\nprint(h:hexdigest())"},
	{Name: "hasher:update", Signature: "h:update(s) -> h", Summary: "feed more bytes", Example: `h:update(chunk)`},
	{Name: "hasher:hexdigest", Signature: "h:hexdigest() -> hex", Summary: "the digest so far, in hex (the hasher stays usable)", Example: `print(h:hexdigest())`},
	{Name: "hasher:digest", Signature: "h:digest() -> bytes", Summary: "the digest so far, raw bytes", Example: `local raw = h:digest()`},
	{Name: "fs.atomic", Signature: "fs.atomic(path) -> writer | nil, err, story", Summary: "a streaming writer to a temp file beside path; nothing appears at path until :commit()", Example: "local w = assert(fs.atomic(\"upload.bin\"))\nw:write(chunk)\nassert(w:commit())"},
	{Name: "writer:write", Signature: "w:write(s) -> true | nil, err, story", Summary: "append bytes to the temp file", Example: `w:write(data)`},
	{Name: "writer:commit", Signature: "w:commit() -> true | nil, err, story", Summary: "fsync the temp file, rename it to the target, fsync the folder", Example: `assert(w:commit())`},
	{Name: "writer:abort", Signature: "w:abort() -> true", Summary: "remove the temp file; the target is untouched", Example: `if bad then w:abort() end`},
	{Name: "writer:size", Signature: "w:size() -> bytes", Summary: "bytes written so far", Example: `print(w:size())`},
	{Name: "fs.jail", Signature: "fs.jail(dir) -> jail | nil, err, story", Summary: "a view of dir whose relative paths cannot leave it: refuses .., absolute paths and symlinks that point out", Example: "local up = assert(fs.jail(\"/srv/up\"))\nprint(up:read(\"a.txt\"))"},
	{Name: "jail:resolve", Signature: "j:resolve(path) -> absolute | nil, err, story", Summary: "the real path inside the jail, or nil, \"path escapes jail\"", Example: `print(up:resolve("sub/file"))`},
	{Name: "jail:read", Signature: "j:read(path) -> string | nil, err, story", Summary: "fs.read inside the jail (also write, append, atomic, stat, list, exists, remove, mkdir)", Example: `up:write("name.txt", data)`},
	{Name: "jail:root", Signature: "j:root() -> absolute", Summary: "the jail's folder, symlinks resolved", Example: `print(up:root())`},
}
