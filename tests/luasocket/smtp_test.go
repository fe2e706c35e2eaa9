package luasocket

import (
	"encoding/json"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// boundary matches the MIME boundaries smtp.message makes (the date and a
// random number): the one part of a message that differs between runs.
var boundary = regexp.MustCompile(`\d{19}==\d{5}`)

// TestSMTPSameAsC: LuaSocket's socket.smtp (testdata/smtp_send.lua: message
// sources, multipart with attachments, AUTH LOGIN and PLAIN, errors, the
// low-level interface) against Python's aiosmtpd, under C LuaSocket and
// nsh: the same results printed, and the same envelopes, AUTH exchanges and
// message bytes received by the peer (boundaries aside).
func TestSMTPSameAsC(t *testing.T) {
	py := pythonWith(t, "aiosmtpd", "python3-aiosmtpd")
	outs, peers := runBoth(t, "smtp_send.lua", "SMTP_PORTS", func() *pyPeer {
		return startPyPeer(t, py, "smtp_peer.py")
	})
	sameLines(t, "smtp_send.lua output", strings.Split(outs[0], "\n"), strings.Split(outs[1], "\n"), nil)
	sameLines(t, "what the SMTP peer received", sortedHeaders(t, peers[0]), sortedHeaders(t, peers[1]), boundary)
	got := strings.Join(peers[1], "\n")
	for _, want := range []string{`"mechanism": "LOGIN", "user": "alice"`, `"mechanism": "PLAIN", "user": "carol"`,
		`"accepted": false`, `"rcpt": ["bob@example.com", "carol@example.com"]`, `\r\n.a line starting with a dot\r\n..two dots`,
		`multipart/mixed; boundary=`, `ehlo": "client.example"`} {
		if !strings.Contains(got, want) {
			t.Errorf("the peer saw no %s from nsh:\n%s", want, got)
		}
	}
	for _, want := range []string{"message\t1\tnil", "multipart\t1\tnil", "auth login\t1\tnil", "auth plain\t1\tnil",
		"bad password\tnil\t535", "bad rcpt\tnil\t550", "no server\tnil\tconnection refused", "quit\t221\t221 Bye"} {
		if !strings.Contains(outs[1], want) {
			t.Errorf("nsh printed no %q:\n%s", want, outs[1])
		}
	}
	if len(peers[1]) < 7 {
		t.Fatalf("the peer saw %d events from nsh, want 7 or more:\n%s", len(peers[1]), got)
	}
}

// sortedHeaders sorts the header lines of each message's header blocks (the
// message's and each MIME part's): smtp.message writes a table's headers in
// pairs() order, which is no order in C Lua or nsh.
func sortedHeaders(t *testing.T, events []string) []string {
	var out []string
	for _, ev := range events {
		var m map[string]any
		if err := json.Unmarshal([]byte(ev), &m); err != nil {
			t.Fatalf("the SMTP peer printed %q: %v", ev, err)
		}
		if data, ok := m["data"].(string); ok {
			var b, block []string
			inHeaders := true
			for _, line := range strings.Split(data, "\r\n") {
				switch {
				case inHeaders && line == "":
					sort.Strings(block)
					b, block, inHeaders = append(append(b, block...), line), nil, false
				case inHeaders:
					block = append(block, line)
				default:
					b = append(b, line)
					inHeaders = boundary.MatchString(line) && strings.HasPrefix(line, "--") && !strings.HasSuffix(line, "--")
				}
			}
			m["data"] = strings.Join(append(b, block...), "\r\n")
		}
		j, _ := json.Marshal(m)
		out = append(out, string(j))
	}
	return out
}
