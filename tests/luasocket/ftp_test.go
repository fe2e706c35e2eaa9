package luasocket

import (
	"regexp"
	"strings"
	"testing"
)

// portArg matches the address and port of an active-mode PORT command, the
// one thing the FTP peer sees that differs between runs.
var portArg = regexp.MustCompile(`127,0,0,1,\d+,\d+`)

// TestFTPSameAsC: LuaSocket's socket.ftp (testdata/ftp_client.lua: get and
// put in URL and generic forms, ASCII and binary, 1 MiB, anonymous,
// ftp.command, the low-level interface in PASV and PORT modes, errors)
// against pyftpdlib, under C LuaSocket and nsh: the same results printed,
// and the same commands and files received by the peer.
func TestFTPSameAsC(t *testing.T) {
	py := pythonWith(t, "pyftpdlib", "python3-pyftpdlib")
	outs, peers := runBoth(t, "ftp_client.lua", "FTP_PORT", func() *pyPeer {
		return startPyPeer(t, py, "ftp_peer.py", t.TempDir())
	})
	sameLines(t, "ftp_client.lua output", strings.Split(outs[0], "\n"), strings.Split(outs[1], "\n"), nil)
	sameLines(t, "what the FTP peer received", peers[0], peers[1], portArg)
	for _, want := range []string{"get url\t35\thello from pyftpdlib", "get url binary\t1048576\ttrue\tnil",
		"get generic body\t1048576\ttrue", "get anonymous\thello from pyftpdlib", "put url\t22", "put generic\t320000",
		"put generic back\t320000\ttrue", "command mkd\t1", "command dele\t1", "pasv\t127.0.0.1\tnumber",
		"port body\t1048576\ttrue", "send pasv\t15", "nlst\tbig.bin hello.txt newdir up2.bin up3.txt",
		"no such file\tnil\t550", "bad password\tnil\t530", "read-only put\tnil\t550", "bad type\tnil\tinvalid type 'x'",
		"bad scheme\tnil\twrong scheme 'http'", "no host\tnil\tmissing hostname", "no server\tnil\tconnection refused"} {
		if !strings.Contains(outs[1], want) {
			t.Errorf("nsh printed no %q:\n%s", want, outs[1])
		}
	}
	got := strings.Join(peers[1], "\n")
	for _, want := range []string{`"cmd": "PASV"`, `"cmd": "PORT"`, `"cmd": "EPSV"`, `"data": "put by URL\nline two\n"`,
		`"name": "up2.bin", "sha256"`, `"size": 320000`, `"login failed"`} {
		if !strings.Contains(got, want) {
			t.Errorf("the peer saw no %s from nsh:\n%s", want, got)
		}
	}
}
