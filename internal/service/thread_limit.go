package service

// Limits of a thread as a signed-out visitor sees it through the client
// API, Mastodon's: the nearest 40 ancestors, and the first 60 descendants
// at most 20 replies below the post. Signed in, maxThread applies.
const (
	AnonymousAncestors   = 40
	AnonymousDescendants = 60
	AnonymousDepth       = 20
)

// Limit trims the context to the nearest maxAncestors ancestors and the
// first maxDescendants descendants that are at most maxDepth replies below
// the post (1 = direct replies). Depth counts hidden posts too, since they
// keep their place in the thread. Tree is left whole.
func (c *Context) Limit(maxAncestors, maxDescendants, maxDepth int) {
	if n := len(c.Ancestors); n > maxAncestors {
		c.Ancestors = c.Ancestors[n-maxAncestors:] // root first: the nearest are last
	}
	if c.Tree == nil {
		if len(c.Descendants) > maxDescendants {
			c.Descendants = c.Descendants[:maxDescendants]
		}
		return
	}
	// Walk the tree depth first, as Descendants was built, so the order is
	// the same; skip whatever lies too deep.
	type item struct {
		n     *ThreadNode
		depth int
	}
	out := make([]*StatusView, 0, min(len(c.Descendants), maxDescendants))
	stack := []item{{c.Tree, 0}}
	for len(stack) > 0 && len(out) < maxDescendants {
		it := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if it.depth > 0 && it.n.View != nil {
			out = append(out, it.n.View)
		}
		if it.depth == maxDepth {
			continue
		}
		for i := len(it.n.Children) - 1; i >= 0; i-- {
			stack = append(stack, item{it.n.Children[i], it.depth + 1})
		}
	}
	c.Descendants = out
}
