package plugins

// Waitable is a Lua value other than a socket that socket.select can wait
// on beside sockets: the Value of a userdata that implements it (a queue of
// the queue plugin). It lives here, in the registry package every plugin
// imports, because a plugin never imports another plugin.
type Waitable interface {
	// Ready reports whether a read (write false: a queue's pop) or a write
	// (a push) would not block now. When it would, changed is a channel
	// closed at the value's next change of state (an item pushed or
	// popped, the value closed); when it would not, changed is nil.
	Ready(write bool) (ready bool, changed <-chan struct{})
}
