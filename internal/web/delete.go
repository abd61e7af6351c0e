package web

import (
	"net/url"
	"strconv"
	"strings"

	"weft/internal/model"
)

// deletePage is GET /statuses/{id}/delete: the member's own post and the
// question, so that no single click deletes a post. The Delete button under
// a post leads here; the form works without JavaScript.
func (w *Web) deletePage(q *req) error {
	if q.me == nil {
		return errSignIn
	}
	id, err := strconv.ParseInt(q.r.PathValue("id"), 10, 64)
	if err != nil {
		return model.NotFound("status")
	}
	v, err := w.svc.Status(q.r.Context(), q.me.ID, id)
	if err != nil {
		return err
	}
	if v.Reblog != nil || v.Status.AccountID != q.me.ID {
		return model.NotFound("status") // only one's own posts, and boosts are undone, not deleted
	}
	d := w.data(q, "Delete post", "")
	d["Post"] = w.post(v, w.now())
	d["Shown"] = map[string]any{} // the post without its buttons
	d["ID"] = strconv.FormatInt(id, 10)
	back := q.r.URL.Query().Get("return_to")
	if back == "" {
		back = accountPath(q.me) + "/" + d["ID"].(string)
	}
	d["Back"] = localPath(back)
	return w.show(q, 0, "delete", d)
}

// afterDelete is where the browser goes once a post is deleted: back where
// the member was (home when that was the post's own page), with a notice.
func afterDelete(returnTo string, id int64) string {
	back := localPath(returnTo)
	if u, err := url.Parse(back); err != nil || strings.HasSuffix(u.Path, "/"+strconv.FormatInt(id, 10)) {
		back = "/"
	}
	return withNotice(back, "deleted")
}

// withNotice is a local path with ?notice=key, which the page it leads to
// shows (notices).
func withNotice(path, key string) string {
	u, err := url.Parse(localPath(path))
	if err != nil {
		u = &url.URL{Path: "/"}
	}
	v := u.Query()
	v.Set("notice", key)
	u.RawQuery = v.Encode()
	return u.RequestURI()
}

// notices are the messages a redirect can ask a page to show (?notice=…).
var notices = map[string]string{
	"deleted":      "Your post was deleted. Servers that had it are asked to remove it too.",
	"reported":     "Thanks for reporting it. The admins of this server will look at it.",
	"list_deleted": "The list was deleted. The people in it are still followed.",
	"muted":        "Muted. Their posts no longer show in your feeds; unmute on their profile or in Settings → Muted and blocked.",
	"blocked":      "Blocked. You no longer see each other's posts; unblock on their profile or in Settings → Muted and blocked.",
}
