package codec

// gb18030's user-defined areas are two-byte codes that GB18030 (and Python)
// map to the Private Use Area in order. x/text has no two-byte codes for
// them: it cannot decode them, and it encodes U+E000..U+E864 as the
// four-byte codes of other characters, so nsh maps these areas itself and
// refuses the other Private Use characters of that range.
var puaAreas = []struct {
	lead0, lead1, trail0, trail1 byte
	first                        rune
}{
	{0xaa, 0xaf, 0xa1, 0xfe, 0xe000},
	{0xf8, 0xfe, 0xa1, 0xfe, 0xe234},
	{0xa1, 0xa7, 0x40, 0xa0, 0xe4c6}, // trail 0x7f is never used
}

// x/text (as WHATWG and Windows) decodes 0xa3 0xa0 as U+3000, where
// Python gives U+E5E5; x/text's reading wins and U+E5E5 is refused.
const wideSpaceLead, wideSpaceTrail = 0xa3, 0xa0

// puaLast is the last Private Use character x/text encodes wrongly.
const puaLast = 0xe864

// puaTrails is how many trail bytes a row of area a holds.
func puaTrails(a int) int {
	n := int(puaAreas[a].trail1-puaAreas[a].trail0) + 1
	if puaAreas[a].trail0 < 0x7f && puaAreas[a].trail1 > 0x7f {
		n--
	}
	return n
}

// puaDecode maps the two-byte code a b of a user-defined area to its
// Private Use character.
func puaDecode(a, b byte) (rune, bool) {
	if a == wideSpaceLead && b == wideSpaceTrail {
		return 0, false
	}
	for i, ar := range puaAreas {
		if a < ar.lead0 || a > ar.lead1 || b < ar.trail0 || b > ar.trail1 || b == 0x7f {
			continue
		}
		col := int(b - ar.trail0)
		if ar.trail0 < 0x7f && b > 0x7f {
			col--
		}
		return ar.first + rune(int(a-ar.lead0)*puaTrails(i)+col), true
	}
	return 0, false
}

// puaEncode is the inverse of puaDecode.
func puaEncode(r rune) ([2]byte, bool) {
	for i, ar := range puaAreas {
		rows := int(ar.lead1-ar.lead0) + 1
		n := rune(rows * puaTrails(i))
		if r < ar.first || r >= ar.first+n {
			continue
		}
		k := int(r - ar.first)
		b := int(ar.trail0) + k%puaTrails(i)
		if ar.trail0 < 0x7f && b >= 0x7f {
			b++
		}
		lead := ar.lead0 + byte(k/puaTrails(i))
		if lead == wideSpaceLead && b == wideSpaceTrail {
			return [2]byte{}, false
		}
		return [2]byte{lead, byte(b)}, true
	}
	return [2]byte{}, false
}
