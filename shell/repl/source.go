package repl

import (
	"strings"
	"sync"

	lua "github.com/yuin/gopher-lua"
)

// chunkSources remembers the source of recent chunks typed at the prompt,
// so that .tasks can show the line a task's function was written on
// instead of only "stdin:1".
type chunkSources struct {
	mu     sync.Mutex
	chunks []typedChunk // oldest first
}

type typedChunk struct {
	proto *lua.FunctionProto
	lines []string
}

// maxChunkSources bounds the chunks remembered.
const maxChunkSources = 200

func (c *chunkSources) add(fn *lua.LFunction, src string) {
	if fn == nil || fn.Proto == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.chunks = append(c.chunks, typedChunk{proto: fn.Proto, lines: strings.Split(src, "\n")})
	if len(c.chunks) > maxChunkSources {
		c.chunks = c.chunks[len(c.chunks)-maxChunkSources:]
	}
}

// lineOf returns the typed line where p, a function of a remembered chunk,
// begins.
func (c *chunkSources) lineOf(p *lua.FunctionProto) (string, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for i := len(c.chunks) - 1; i >= 0; i-- {
		if containsProto(c.chunks[i].proto, p, 0) {
			if n := p.LineDefined; n >= 1 && n <= len(c.chunks[i].lines) {
				return strings.TrimSpace(c.chunks[i].lines[n-1]), true
			}
			return "", false
		}
	}
	return "", false
}

func containsProto(root, p *lua.FunctionProto, depth int) bool {
	if root == p {
		return true
	}
	if depth > 32 {
		return false
	}
	for _, child := range root.FunctionPrototypes {
		if containsProto(child, p, depth+1) {
			return true
		}
	}
	return false
}
