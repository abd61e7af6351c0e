package mastodon

import (
	"context"

	"weft/internal/httpx"
	"weft/internal/model"
	"weft/internal/service"
)

// Applying the viewer's filters to what an answer shows is one step, kept
// apart from rendering: after a handler has read its statuses, applyFilters
// leaves out those a hide filter matches, and the returned filterMarks set
// Filtered on the rendered entities. The helpers below wrap it for the
// shapes of answers that need it (timeline pages, threads, notifications,
// stream events).

// filterMarks are the rendered filter results of an answer's statuses, by
// status ID.
type filterMarks map[int64][]any

// applyFilters matches the viewer's filters for context fc against views,
// loading them once, and returns the views without the hidden ones.
func (a *API) applyFilters(ctx context.Context, viewer int64, fc model.FilterContext, views []*service.StatusView) ([]*service.StatusView, filterMarks, error) {
	if viewer == 0 || len(views) == 0 {
		return views, nil, nil
	}
	v, err := a.svc.ApplyFilters(ctx, viewer, fc, views)
	if err != nil || len(v.Results) == 0 {
		return views, nil, err
	}
	kept := views
	if len(v.Hidden) > 0 {
		kept = make([]*service.StatusView, 0, len(views))
		for _, sv := range views {
			if !v.Hidden[sv.Status.ID] {
				kept = append(kept, sv)
			}
		}
	}
	marks := make(filterMarks, len(v.Results))
	for id, rs := range v.Results {
		out := make([]any, len(rs))
		for i, r := range rs {
			out[i] = filterResult(r)
		}
		marks[id] = out
	}
	return kept, marks, nil
}

// mark sets Filtered on st, the rendering of v, and on the post it boosts.
// (Lists are rendered with their marks by markedStatuses.)
func (m filterMarks) mark(st *Status, v *service.StatusView) {
	if st == nil || v == nil || len(m) == 0 {
		return
	}
	if rs, ok := m[v.Status.ID]; ok && st.ViewerFlags != nil {
		st.Filtered = rs
	}
	m.mark(st.Reblog, v.Reblog)
}

// filteredList renders views as a.statuses does, each with its filter
// results (the boosted post's too).
func (a *API) filteredList(views []*service.StatusView, signedIn bool, m filterMarks) statusList {
	return a.markedStatuses(views, signedIn, m)
}

// filteredStatuses renders views for the caller with their filters for fc
// applied.
func (a *API) filteredStatuses(c *call, fc model.FilterContext, views []*service.StatusView) (statusList, error) {
	kept, marks, err := a.applyFilters(c.ctx(), c.viewer(), fc, views)
	if err != nil {
		return nil, err
	}
	return a.filteredList(kept, c.viewer() != 0, marks), nil
}

// filteredPage is page with the caller's filters for fc applied. The Link
// header keeps the page's own cursors, so a page emptied by filters still
// leads on.
func (a *API) filteredPage(c *call, t service.Timeline, fc model.FilterContext) (any, error) {
	out, err := a.filteredStatuses(c, fc, t.Statuses)
	if err != nil {
		return nil, err
	}
	httpx.SetLink(c.w, c.r, a.cfg.BaseURL, t.NextMaxID, t.PrevMinID)
	return out, nil
}

// filteredContext renders a thread with the caller's thread filters
// applied to its ancestors and descendants.
func (a *API) filteredContext(c *call, cx *service.Context, signedIn bool) (any, error) {
	all := make([]*service.StatusView, 0, len(cx.Ancestors)+len(cx.Descendants))
	all = append(append(all, cx.Ancestors...), cx.Descendants...)
	kept, marks, err := a.applyFilters(c.ctx(), c.viewer(), model.FilterThread, all)
	if err != nil {
		return nil, err
	}
	if len(kept) < len(all) {
		keep := make(map[*service.StatusView]bool, len(kept))
		for _, v := range kept {
			keep[v] = true
		}
		drop := func(vs []*service.StatusView) []*service.StatusView {
			out := vs[:0:0]
			for _, v := range vs {
				if keep[v] {
					out = append(out, v)
				}
			}
			return out
		}
		cx.Ancestors, cx.Descendants = drop(cx.Ancestors), drop(cx.Descendants)
	}
	return Context{Ancestors: a.filteredList(cx.Ancestors, signedIn, marks),
		Descendants: a.filteredList(cx.Descendants, signedIn, marks)}, nil
}

// filteredNotifications renders notifications with the caller's
// notification filters applied to their posts: one about a post a hide
// filter matches is left out.
func (a *API) filteredNotifications(c *call, list []*service.NotificationView) (any, error) {
	var views []*service.StatusView
	for _, n := range list {
		if n.Status != nil {
			views = append(views, n.Status)
		}
	}
	kept, marks, err := a.applyFilters(c.ctx(), c.viewer(), model.FilterNotifications, views)
	if err != nil {
		return nil, err
	}
	keep := make(map[*service.StatusView]bool, len(kept))
	for _, v := range kept {
		keep[v] = true
	}
	out := make([]Notification, 0, len(list))
	for _, n := range list {
		if n.Status != nil && !keep[n.Status] {
			continue
		}
		r := a.notification(n)
		marks.mark(r.Status, n.Status)
		out = append(out, r)
	}
	return out, nil
}

// streamContext is the filter context of a stream; "" for those that are
// not filtered (direct conversations).
func streamContext(ch channel) model.FilterContext {
	switch ch.name {
	case "user", "list":
		return model.FilterHome
	case "public", "public:local", "public:remote", "hashtag", "hashtag:local":
		return model.FilterPublic
	}
	return ""
}

// streamStatus renders a status for a stream event with the viewer's
// filters for fc; ok is false when a hide filter matches it.
func (a *API) streamStatus(ctx context.Context, viewer int64, fc model.FilterContext, v *service.StatusView) (st Status, ok bool, err error) {
	marks := filterMarks(nil)
	if fc != "" {
		kept, m, err := a.applyFilters(ctx, viewer, fc, []*service.StatusView{v})
		if err != nil || len(kept) == 0 {
			return st, false, err
		}
		marks = m
	}
	st = a.status(v, true)
	marks.mark(&st, v)
	return st, true, nil
}

// streamNotification renders a notification for a stream event with the
// viewer's notification filters; ok is false when a hide filter matches
// its post.
func (a *API) streamNotification(ctx context.Context, viewer int64, n *service.NotificationView) (out Notification, ok bool, err error) {
	var marks filterMarks
	if n.Status != nil {
		kept, m, err := a.applyFilters(ctx, viewer, model.FilterNotifications, []*service.StatusView{n.Status})
		if err != nil || len(kept) == 0 {
			return out, false, err
		}
		marks = m
	}
	out = a.notification(n)
	marks.mark(out.Status, n.Status)
	return out, true, nil
}
