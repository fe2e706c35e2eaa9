package shell

import "nsh/plugins"

// loadLuaPlugins loads the Lua plugins of the plugin path; problems are kept
// for the caller to report and never stop the session. The lock is held.
func (s *Session) loadLuaPlugins() {
	dirs := s.opts.PluginPath
	if dirs == nil {
		dirs = plugins.PluginPath()
	}
	_, s.pluginErrs = plugins.LoadLuaPlugins(s.L, s, dirs)
}
