package structlib

import (
	"encoding/hex"
	"encoding/json"
	"math/rand"
	"os/exec"
	"strings"
	"testing"

	lua "github.com/yuin/gopher-lua"
)

// randomCases makes n formats of random codes, counts and byte orders, each
// with random bytes of its size (computed by calcsize in Python).
func randomCases(n int) []string {
	r := rand.New(rand.NewSource(11))
	orders := []string{"", "@", "=", "<", ">", "!"}
	out := make([]string, n)
	for i := range out {
		order := orders[r.Intn(len(orders))]
		f := order
		for k := 0; k <= r.Intn(5); k++ {
			c := "xcbB?hHiIlLqQnNefdsp"[r.Intn(20)]
			if (c == 'n' || c == 'N') && order != "" && order != "@" {
				c = 'i'
			}
			f += []string{"", "", "2", "3", "0"}[r.Intn(5)] + string(c)
		}
		out[i] = f
	}
	return out
}

// TestRandomFormatsAgainstPython unpacks random bytes by random formats in
// CPython and here, compares the values (integers as decimals, floats with
// 17 digits, strings as hex), then packs them back on both sides and
// compares the bytes.
func TestRandomFormatsAgainstPython(t *testing.T) {
	py, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("python3 not found: skipping the comparison with CPython's struct")
	}
	formats := randomCases(300)
	in, _ := json.Marshal(formats)
	script := `
import json, random, struct, sys
rnd = random.Random(5)
out = []
for f in json.load(sys.stdin):
    data = bytes(rnd.randrange(256) for _ in range(struct.calcsize(f)))
    if "0p" in f:
        continue  # CPython fails on a 0p it unpacks ("Negative size passed to PyBytes_FromStringAndSize")
    vals = struct.unpack(f, data)
    shown = []
    for v in vals:
        if isinstance(v, bytes): shown.append("b:" + v.hex())
        elif isinstance(v, bool): shown.append(str(v).lower())
        elif isinstance(v, float): shown.append("nan" if v != v else "%.17g" % v)
        else: shown.append(str(v))
    out.append([f, data.hex(), " ".join(shown), struct.pack(f, *vals).hex()])
json.dump(out, sys.stdout)
`
	cmd := exec.Command(py, "-c", script)
	cmd.Stdin = strings.NewReader(string(in))
	b, err := cmd.Output()
	if err != nil {
		t.Fatalf("python3: %v\n%s", err, stderr(err))
	}
	var cases [][4]string
	if err := json.Unmarshal(b, &cases); err != nil {
		t.Fatal(err)
	}
	if len(cases) < 250 {
		t.Fatalf("only %d cases came back from python", len(cases))
	}
	L, _ := newState(t)
	if err := L.DoString(`
function show(f, data)
  local vals = {struct.unpack(f, data)}
  local out = {}
  for i = 1, table.maxn(vals) do
    local v = vals[i]
    if type(v) == "string" and not (#v >= 16 and v:match("^%-?%d+$")) then -- bytes, not a 64-bit integer beyond 2^53
      v = "b:" .. v:gsub(".", function(c) return string.format("%02x", c:byte()) end)
    elseif v ~= v then v = "nan"
    elseif v == 1/0 then v = "inf"
    elseif v == -1/0 then v = "-inf"
    elseif type(v) == "number" and (v ~= math.floor(v) or f:find("[efd]")) then v = string.format("%.17g", v)
    end
    out[#out + 1] = tostring(v)
  end
  return table.concat(out, " "), struct.pack(f, unpack(vals, 1, table.maxn(vals)))
end`); err != nil {
		t.Fatal(err)
	}
	for _, c := range cases {
		data, _ := hex.DecodeString(c[1])
		if err := L.CallByParam(lua.P{Fn: L.GetGlobal("show"), NRet: 2, Protect: true}, lua.LString(c[0]), lua.LString(data)); err != nil {
			t.Errorf("%s on %s: %v", c[0], c[1], err)
			continue
		}
		shown, packed := L.Get(-2).String(), hex.EncodeToString([]byte(L.Get(-1).String()))
		L.Pop(2)
		if shown != c[2] {
			t.Errorf("unpack(%q, %s) = %s; python gives %s", c[0], c[1], shown, c[2])
		}
		if packed != c[3] && !strings.ContainsAny(c[0], "efd") {
			t.Errorf("pack(%q, unpack(...)) = %s; python gives %s", c[0], packed, c[3])
		}
	}
}
