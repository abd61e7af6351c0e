package service

import (
	"context"
	"slices"

	"weft/internal/model"
)

// maxThread bounds how much of one thread is read for a context.
const maxThread = 4096

// ThreadNode is one post of a thread tree. View is nil for a post that was
// deleted or that the viewer may not see but that has visible replies: it
// keeps their place in the tree ("this post is unavailable").
type ThreadNode struct {
	View     *StatusView
	StatusID int64
	Children []*ThreadNode
}

// Context is a post's thread as the viewer may see it.
type Context struct {
	Ancestors   []*StatusView // root first, visible ones only
	Descendants []*StatusView // depth first, in reply order, visible ones only
	// Tree is the thread from the post itself down (for the web UI); hidden
	// posts with visible replies are kept as empty nodes.
	Tree *ThreadNode
}

// StatusContext returns the ancestors and descendants of a post.
func (s *Service) StatusContext(ctx context.Context, viewer, statusID int64) (*Context, error) {
	q := s.st.Read()
	st, _, err := s.visibleStatus(ctx, q, viewer, statusID)
	if err != nil {
		return nil, err
	}
	if st.IsReblog() {
		if st, _, err = s.visibleStatus(ctx, q, viewer, st.ReblogOfID); err != nil {
			return nil, err
		}
	}
	s.requestReplies(ctx, st)
	thread, err := q.ThreadStatuses(ctx, st.ThreadID, maxThread)
	if err != nil {
		return nil, err
	}
	byID := make(map[int64]*model.Status, len(thread))
	children := map[int64][]*model.Status{}
	for _, t := range thread {
		byID[t.ID] = t
		if t.InReplyToID != 0 {
			children[t.InReplyToID] = append(children[t.InReplyToID], t) // oldest first: rows come ordered by ID
		}
	}
	// Around the post, replies and parents by muted accounts are left out,
	// as on Mastodon; the post itself shows even when its author is muted
	// (the viewer asked for it).
	views, err := s.hydrate(ctx, q, viewer, thread, filter{mutes: true})
	if err != nil {
		return nil, err
	}
	visible := make(map[int64]*StatusView, len(views))
	for _, v := range views {
		visible[v.Status.ID] = v
	}
	if visible[st.ID] == nil {
		focus, err := s.statusView(ctx, q, viewer, st)
		if err != nil {
			return nil, err
		}
		visible[st.ID] = focus
	}
	out := &Context{}
	// Ancestors: walk up the reply chain; a loop in remote data cannot trap us.
	seen := map[int64]bool{st.ID: true}
	for id := st.InReplyToID; id != 0 && !seen[id]; {
		seen[id] = true
		parent := byID[id]
		if parent == nil {
			break
		}
		if v := visible[id]; v != nil {
			out.Ancestors = append(out.Ancestors, v)
		}
		id = parent.InReplyToID
	}
	slices.Reverse(out.Ancestors)
	// Descendants: depth first, iteratively (threads can be deep).
	top := &ThreadNode{StatusID: st.ID, View: visible[st.ID]}
	stack := []*ThreadNode{top}
	for len(stack) > 0 {
		n := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if n != top && n.View != nil {
			out.Descendants = append(out.Descendants, n.View)
		}
		for _, k := range children[n.StatusID] {
			if !seen[k.ID] { // a reply loop in remote data cannot trap us
				seen[k.ID] = true
				n.Children = append(n.Children, &ThreadNode{StatusID: k.ID, View: visible[k.ID]})
			}
		}
		for i := len(n.Children) - 1; i >= 0; i-- { // push in reverse: the oldest reply comes out first
			stack = append(stack, n.Children[i])
		}
	}
	out.Tree = prune(top)
	return out, nil
}

// prune drops hidden nodes that have no visible reply below them.
func prune(n *ThreadNode) *ThreadNode {
	kept := n.Children[:0]
	for _, c := range n.Children {
		if c = prune(c); c != nil {
			kept = append(kept, c)
		}
	}
	n.Children = kept
	if n.View == nil && len(n.Children) == 0 {
		return nil
	}
	return n
}
