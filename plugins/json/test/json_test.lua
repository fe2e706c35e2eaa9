-- Lua-level tests of the json plugin; every global Test* function runs as a
-- Go subtest.

local function raises(pattern, f, ...)
  local ok, err = pcall(f, ...)
  assert(not ok, "expected an error matching " .. pattern)
  assert(string.find(err, pattern, 1, true), "error was: " .. tostring(err))
end

local function eq(got, want)
  assert(got == want, "got " .. tostring(got) .. ", want " .. tostring(want))
end

function TestEncodeScalars()
  eq(json.encode(nil), "null")
  eq(json.encode(json.null), "null")
  eq(json.encode(true), "true")
  eq(json.encode(false), "false")
  eq(json.encode(42), "42")
  eq(json.encode(-7), "-7")
  eq(json.encode(1.5), "1.5")
  eq(json.encode(0.1), "0.1")
  eq(json.encode(1e20), "1e+20")
  eq(json.encode(1e-7), "1e-07")
  eq(json.encode(2^53), "9007199254740992")
  eq(json.encode("hi"), '"hi"')
end

function TestEncodeStrings()
  eq(json.encode('a"b\\c'), '"a\\"b\\\\c"')
  eq(json.encode("\n\r\t\b\f"), '"\\n\\r\\t\\b\\f"')
  eq(json.encode("\1\31"), '"\\u0001\\u001f"')
  eq(json.encode("é中"), '"é中"')
  eq(json.encode("é中😀", {ensure_ascii = true}), '"\\u00e9\\u4e2d\\ud83d\\ude00"')
  eq(json.encode("/"), '"/"')
end

function TestEncodeTables()
  eq(json.encode({}), "{}")
  eq(json.encode(json.array()), "[]")
  eq(json.encode(setmetatable({}, json.array_mt)), "[]")
  eq(json.encode({1, 2, 3}), "[1,2,3]")
  eq(json.encode({b = 1, a = 2, c = {x = true}}), '{"a":2,"b":1,"c":{"x":true}}')
  eq(json.encode({[1] = "a", [3] = "c"}), '{"1":"a","3":"c"}')
  eq(json.encode({1, 2, x = 3}), '{"1":1,"2":2,"x":3}')
  eq(json.encode({a = json.null}), '{"a":null}')
  eq(json.encode({1, json.null, 3}), "[1,null,3]")
  local holes = json.array({})
  holes[3] = true
  eq(json.encode(holes), "[null,null,true]")
  eq(json.encode({[1.5] = 1}), '{"1.5":1}')
end

function TestEncodeOptions()
  eq(json.encode({a = {1, 2}, b = {}}, {indent = 2}), '{\n  "a": [\n    1,\n    2\n  ],\n  "b": {}\n}')
  eq(json.encode({1}, {indent = "\t"}), "[\n\t1\n]")
  eq(json.encode({1, 2}, {indent = 0}), "[\n1,\n2\n]")
  eq(json.encode({a = 1, b = {2, 3}}, {python = true}), '{"a": 1, "b": [2, 3]}')
  eq(json.encode({a = 1, b = 2}, {separators = {";", "="}}), '{"a"=1;"b"=2}')
  eq(json.encode({name = "é"}, {python = true}), '{"name": "\\u00e9"}')
  eq(json.encode({name = "é"}, {python = true, ensure_ascii = false}), '{"name": "é"}')
  local t = {}
  t.z = 1
  t.a = 2
  eq(json.encode(t, {sort_keys = false}), '{"z":1,"a":2}')
end

function TestEncodeErrors()
  raises("json.encode: cannot encode nan (out of range float values are not JSON compliant) at $", json.encode, 0/0)
  raises("cannot encode inf", json.encode, {x = {1/0}})
  raises("at $.x[1]", json.encode, {x = {1/0}})
  raises("cannot encode -inf", json.encode, -1/0)
  local a = {}
  a.self = a
  raises("json.encode: circular reference at $.self", json.encode, a)
  raises("cannot encode a function at $.f", json.encode, {f = print})
  raises("cannot use a boolean as an object key", json.encode, {[true] = 1})
  raises("string is not valid UTF-8 (byte 0xff at byte 2", json.encode, "a\255")
  raises("marked as a JSON array has a key", json.encode, json.array({x = 1}))
  raises("array is too sparse", json.encode, (function() local t = json.array() t[100000] = 1 return t end)())
  raises("json.encode: bad argument #2 (unknown option 'indnet')", json.encode, {}, {indnet = 2})
  raises("option indent must be", json.encode, {}, {indent = true})
  raises("options table expected, got string", json.encode, {}, "x")
  raises("json.encode: bad argument #1 (value expected)", json.encode)
  -- shared (not circular) tables are fine
  local shared = {1}
  eq(json.encode({shared, shared}), "[[1],[1]]")
end

function TestDecodeValues()
  eq(json.decode("42"), 42)
  eq(json.decode("-0.5e2"), -50)
  eq(json.decode(" true "), true)
  eq(json.decode("false"), false)
  eq(json.decode("null"), json.null)
  eq(json.decode('"a\\"b\\\\c\\/\\n\\t"'), 'a"b\\c/\n\t')
  eq(json.decode('"\\u00e9\\u4e2d"'), "é中")
  eq(json.decode('"\\ud83d\\ude00"'), "😀")
  eq(json.decode('"\\ud83d x"'), "\239\191\189 x") -- lone surrogate becomes U+FFFD
  eq(json.decode("9007199254740993"), 2^53) -- beyond 2^53: nearest float
  eq(json.decode("1e400"), 1/0)
end

function TestDecodeBigIntegers()
  local big = {bigint = "string"}
  eq(json.decode("9007199254740992", big), 2^53) -- exact: still a number
  eq(json.decode("-9007199254740992", big), -2^53)
  eq(json.decode("9007199254740993", big), "9007199254740993")
  eq(json.decode("-18446744073709551616", big), "-18446744073709551616")
  eq(json.decode("[1, 12345678901234567890]", big)[2], "12345678901234567890")
  eq(json.decode("1e300", big), 1e300) -- not an integer literal: a float
  eq(json.decode("9007199254740993.0", big), 2^53)
end

function TestDecodeBigIntegerErrors()
  raises('integer 9007199254740993 at byte 7 is beyond 2^53 and would lose digits (decode with {bigint = "string"})',
    json.decode, '{"a": 9007199254740993}', {bigint = "error"})
  eq(json.decode("9007199254740992", {bigint = "error"}), 2^53)
  raises("json.decode: bad argument #2 (option bigint must be", json.decode, "1", {bigint = "exact"})
  raises("json.decode: bad argument #2 (unknown option 'big')", json.decode, "1", {big = "string"})
  raises("json.decode: bad argument #2 (options table expected, got string)", json.decode, "1", "string")
end

function TestDecodeContainers()
  local v = json.decode('{"a": [1, 2, {"b": null}], "c": {}, "d": []}')
  eq(#v.a, 3)
  eq(v.a[3].b, json.null)
  assert(json.isarray(v.a) and json.isarray(v.d))
  assert(not json.isarray(v.c) and not json.isarray(v))
  eq(json.encode(v), '{"a":[1,2,{"b":null}],"c":{},"d":[]}')
  local arr = json.decode("[null, null]")
  eq(#arr, 2)
  eq(json.decode('{"1": "x"}')["1"], "x")
  eq(json.decode('{"a": 1, "a": 2}').a, 2)
end

function TestDecodeErrors()
  raises("json.decode: unexpected character '}' at byte 19 (expected a value)", json.decode, '{"a": [1, 2], "b":}')
  raises("unexpected end of input after byte 0 (expected a value)", json.decode, "")
  raises("unexpected end of input after byte 6", json.decode, '{"a": ')
  raises("unexpected character 'x' at byte 4 (expected end of input", json.decode, "[1]x")
  raises("unexpected character ']' at byte 4 (expected a value)", json.decode, "[1,]")
  raises("unexpected character '}' at byte 9 (expected '\"' to start an object key)", json.decode, '{"a": 1,}')
  raises("expected ':' after an object key", json.decode, '{"a" 1}')
  raises("expected ',' or ']' in an array", json.decode, "[1 2]")
  raises("expected ',' or '}' in an object", json.decode, '{"a":1 "b":2}')
  raises("unterminated string starting at byte 1", json.decode, '"abc')
  raises("invalid escape '\\q' in a string at byte 3", json.decode, '"a\\q"')
  raises("invalid \\u escape at byte 2", json.decode, '"\\u12g4"')
  raises("invalid control character 0x0a in a string at byte 3", json.decode, '"a\nb"')
  raises("expected a digit after '.'", json.decode, "1.")
  raises("expected a digit in a number", json.decode, "-")
  raises("unexpected character '1' at byte 2", json.decode, "01")
  raises("unexpected character 'N' at byte 1", json.decode, "NaN")
  raises("unexpected character 't' at byte 1", json.decode, "tru")
  raises("nesting deeper than 1000 levels", json.decode, string.rep("[", 1001))
  raises("unexpected byte 0xef at byte 1", json.decode, "\239\187\191{}")
  raises("json.decode: bad argument #1 (string expected, got nil)", json.decode, nil)
end

function TestRoundTrip()
  local text = '{"list":[1,-2.5,"x",true,false,null,[],{}],"nested":{"deep":[[["z"]]]},"s":"\\u0001"}'
  eq(json.encode(json.decode(text)), text)
end

function TestNullAndArray()
  eq(tostring(json.null), "json.null")
  local t = {}
  assert(json.array(t) == t)
  assert(json.isarray(t))
  raises("json.array: bad argument #1 (table expected, got number)", json.array, 5)
end
