package web

import (
	"context"

	"weft/internal/model"
	"weft/internal/service"
)

// saved is GET /bookmarks: the posts the member saved with Save, newest
// save first (Mastodon's bookmarks, Threads' Saved).
func (w *Web) saved(q *req) error {
	return w.ownList(q, "Saved", "saved", "/bookmarks", "Posts you saved with Save, newest first. Only you see this list.",
		"Nothing saved yet. Save a post to find it here later.", w.svc.Bookmarks)
}

// liked is GET /favourites: the posts the member liked, newest like first.
func (w *Web) liked(q *req) error {
	return w.ownList(q, "Liked", "liked", "/favourites", "Posts you liked, newest like first.",
		"You have not liked anything yet.", w.svc.Favourites)
}

// ownList shows one of the member's own lists of posts, page by page.
func (w *Web) ownList(q *req, title, nav, path, intro, empty string,
	list func(ctx context.Context, viewer int64, p model.Page) (service.Timeline, error)) error {
	if q.me == nil {
		return errSignIn
	}
	t, err := list(q.r.Context(), q.me.ID, cursor(q))
	if err != nil {
		return err
	}
	d := w.data(q, title, nav)
	d["Posts"] = w.posts(t.Statuses, w.now())
	d["More"] = moreLink(path, t, len(t.Statuses))
	d["Intro"], d["Empty"] = intro, empty
	return w.show(q, 0, "feed", d)
}
