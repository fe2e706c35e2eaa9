package netcore

import "slices"

// Owner is who a socket belongs to: a task, the line typed at a prompt, a
// script. The layer above decides what ending an owner means (nsh closes
// the sockets an owner still has when it ends); the Table only keeps, for
// each owner, the set of its open sockets, so that set is found without a
// scan of every socket. A nil *Owner is the session: a socket nobody owns
// lives until it is closed, collected, or the session ends.
type Owner struct {
	name string
}

// NewOwner returns an owner that lists as name ("task 3", "prompt").
func NewOwner(name string) *Owner { return &Owner{name: name} }

// String returns the owner's name, "session" for nil.
func (o *Owner) String() string {
	if o == nil {
		return "session"
	}
	return o.name
}

// Owner returns the socket's owner (nil: the session).
func (s *Socket) Owner() *Owner {
	if s.table == nil {
		return s.owner
	}
	s.table.mu.Lock()
	defer s.table.mu.Unlock()
	return s.owner
}

// SetOwner hands the socket to o (nil: the session). A closed socket stays
// closed and belongs to nobody.
func (s *Socket) SetOwner(o *Owner) {
	t := s.table
	if t == nil {
		s.owner = o
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.socks[s.id] != s {
		return // closed (or never listed)
	}
	t.disown(s)
	s.owner = o
	if o == nil {
		return
	}
	set := t.byOwner[o]
	if set == nil {
		set = make(map[*Socket]struct{})
		t.byOwner[o] = set
	}
	set[s] = struct{}{}
}

// disown takes s out of its owner's set; the caller holds t.mu.
func (t *Table) disown(s *Socket) {
	if s.owner == nil {
		return
	}
	if set := t.byOwner[s.owner]; set != nil {
		delete(set, s)
		if len(set) == 0 {
			delete(t.byOwner, s.owner)
		}
	}
	s.owner = nil
}

// Owned returns the open sockets of o, sorted by ID (none for the session:
// use List).
func (t *Table) Owned(o *Owner) []*Socket {
	t.mu.Lock()
	out := make([]*Socket, 0, len(t.byOwner[o]))
	for s := range t.byOwner[o] {
		out = append(out, s)
	}
	t.mu.Unlock()
	slices.SortFunc(out, func(a, b *Socket) int { return a.id - b.id })
	return out
}

// HandOver gives every open socket of from to to (nil: the session) and
// returns how many it moved.
func (t *Table) HandOver(from, to *Owner) int {
	n := 0
	for _, s := range t.Owned(from) {
		s.SetOwner(to)
		n++
	}
	return n
}

// CloseOwned closes every open socket of o and returns how many it closed.
func (t *Table) CloseOwned(o *Owner) int {
	n := 0
	for _, s := range t.Owned(o) {
		if s.Close() == nil {
			n++
		}
	}
	return n
}
