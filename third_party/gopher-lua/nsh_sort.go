package lua

// nsh patch: table.sort is Lua 5.1's auxsort (ltablib.c), element by
// element through rawget/rawset (see NSH-PATCH.md). Upstream ran Go's
// sort.Sort on the table's array slice: an inconsistent comparator
// (function(a, b) return true end) sorted silently instead of raising
// "invalid order function for sorting", a comparator changing the table
// wrote into a stale slice, and a long sort without a comparator could not
// be interrupted.

func tableSort(L *LState) int {
	t := L.CheckTable(1)
	var fn *LFunction
	if L.Get(2) != LNil {
		fn = L.CheckFunction(2)
	}
	s := &luaSorter{L: L, t: t, fn: fn}
	s.sort(1, t.Len())
	return 0
}

type luaSorter struct {
	L     *LState
	t     *LTable
	fn    *LFunction
	steps int
}

func (s *luaSorter) get(i int) LValue    { return s.t.RawGetInt(i) }
func (s *luaSorter) set(i int, v LValue) { s.t.RawSetInt(i, v) }

// less is the comparator, or Lua's <; a checkpoint every so often lets a
// long sort be interrupted and other tasks run.
func (s *luaSorter) less(a, b LValue) bool {
	if s.steps++; s.steps >= checkpointEvery/16 {
		s.steps = 0
		s.L.Checkpoint()
	}
	if s.fn != nil {
		s.L.Push(s.fn)
		s.L.Push(a)
		s.L.Push(b)
		s.L.Call(2, 1)
		return LVAsBool(s.L.reg.Pop())
	}
	return lessThan(s.L, a, b)
}

func (s *luaSorter) invalid() { s.L.RaiseError("invalid order function for sorting") }

func (s *luaSorter) sort(l, u int) {
	for l < u {
		// sort a[l], a[(l+u)/2] and a[u]
		if al, au := s.get(l), s.get(u); s.less(au, al) {
			s.set(l, au)
			s.set(u, al)
		}
		if u-l == 1 {
			break
		}
		i := (l + u) / 2
		if ai, al := s.get(i), s.get(l); s.less(ai, al) {
			s.set(i, al)
			s.set(l, ai)
		} else if au := s.get(u); s.less(au, ai) {
			s.set(i, au)
			s.set(u, ai)
		}
		if u-l == 2 {
			break
		}
		p := s.get(i) // the pivot, moved to u-1
		s.set(i, s.get(u-1))
		s.set(u-1, p)
		i, j := l, u-1
		for {
			var ai, aj LValue
			for {
				i++
				if ai = s.get(i); !s.less(ai, p) {
					break
				}
				if i > u {
					s.invalid()
				}
			}
			for {
				j--
				if aj = s.get(j); !s.less(p, aj) {
					break
				}
				if j < l {
					s.invalid()
				}
			}
			if j < i {
				break
			}
			s.set(i, aj)
			s.set(j, ai)
		}
		au1, ai := s.get(u-1), s.get(i)
		s.set(u-1, ai)
		s.set(i, au1)
		if i-l < u-i {
			j = l
			i = i - 1
			l = i + 2
		} else {
			j = i + 1
			i = u
			u = j - 2
		}
		s.sort(j, i) // the smaller half; the loop goes on with the larger
	}
}
