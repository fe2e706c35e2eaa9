package lua

// nsh patch: a small table keeps the order of its hash keys (what next
// walks) in the keys slice alone. Upstream kept beside it a map from key
// to position (k2i), made at the first hash key of every table: about
// 300 bytes for a table of a few fields (a socket, an address, a
// connection's state), a tenth of what a server pays per idle connection
// in Lua tables. Up to smallTableKeys keys are found by a linear scan of
// keys, which is as fast as the map lookup; the map is built when the
// table grows past that, and from then on kept as upstream did.

// smallTableKeys is how many hash keys a table holds before it indexes
// them with k2i.
const smallTableKeys = 8

// keyIndex returns the position of key in tb.keys, or -1.
func (tb *LTable) keyIndex(key LValue) int {
	if tb.k2i != nil {
		if i, ok := tb.k2i[key]; ok {
			return i
		}
		return -1
	}
	for i, k := range tb.keys {
		if k == key {
			return i
		}
	}
	return -1
}

// addKey appends key to tb.keys unless it is there already.
func (tb *LTable) addKey(key LValue) {
	if tb.keyIndex(key) >= 0 {
		return
	}
	if tb.k2i == nil && len(tb.keys) >= smallTableKeys {
		tb.k2i = make(map[LValue]int, 2*len(tb.keys))
		for i, k := range tb.keys {
			tb.k2i[k] = i
		}
	}
	if tb.k2i != nil {
		tb.k2i[key] = len(tb.keys)
	}
	if tb.keys == nil {
		tb.keys = make([]LValue, 0, 4)
	}
	tb.keys = append(tb.keys, key)
}

// nextKeyFrom is where Next goes on in tb.keys after key: upstream's
// k2i[key]+1, which is 1 for a key not in keys.
func (tb *LTable) nextKeyFrom(key LValue) int {
	return max(tb.keyIndex(key), 0) + 1
}
