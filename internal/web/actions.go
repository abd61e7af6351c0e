package web

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"weft/internal/model"
	"weft/internal/service"
)

// redirect sends the browser on after a form (303: GET the next page).
func redirect(q *req, path string) error {
	http.Redirect(q.rw, q.r, localPath(path), http.StatusSeeOther)
	return nil
}

// wantsJSON: app.js submits toggles in the background and asks for JSON.
func wantsJSON(r *http.Request) bool {
	return strings.Contains(r.Header.Get("Accept"), "application/json")
}

// statusAction is POST /statuses/{id}/{verb}: like, unlike, boost, unboost,
// bookmark, unbookmark, delete. Without JavaScript it redirects back; with
// it, the button gets its new state as JSON.
func (w *Web) statusAction(q *req) error {
	id, err := strconv.ParseInt(q.r.PathValue("id"), 10, 64)
	if err != nil {
		return model.NotFound("status")
	}
	ctx, me := q.r.Context(), q.me.ID
	var v *service.StatusView
	verb := q.r.PathValue("verb")
	switch verb {
	case "like":
		v, err = w.svc.Favourite(ctx, me, id)
	case "unlike":
		v, err = w.svc.Unfavourite(ctx, me, id)
	case "boost":
		v, err = w.svc.Reblog(ctx, me, id, "")
		if v != nil && v.Reblog != nil {
			v = v.Reblog
		}
	case "unboost":
		v, err = w.svc.Unreblog(ctx, me, id)
	case "bookmark":
		v, err = w.svc.Bookmark(ctx, me, id)
	case "unbookmark":
		v, err = w.svc.Unbookmark(ctx, me, id)
	case "delete":
		if _, err := w.svc.DeletePost(ctx, me, id); err != nil {
			return err
		}
		return redirect(q, afterDelete(q.r.PostFormValue("return_to"), id))
	default:
		return model.NotFound("action")
	}
	if errors.Is(err, model.ErrAlready) {
		v, err = w.svc.Status(ctx, me, id) // already done: show the state as it is
	}
	if err != nil {
		return err
	}
	if !wantsJSON(q.r) {
		return redirect(q, q.r.PostFormValue("return_to"))
	}
	kind := strings.TrimPrefix(verb, "un")
	on, count, label, next := toggleState(strconv.FormatInt(id, 10), kind, w.post(v, w.now()))
	q.rw.Header().Set("Content-Type", "application/json")
	return json.NewEncoder(q.rw).Encode(map[string]any{"on": on, "count": count, "label": label, "next": next})
}

// accountAction is POST /accounts/{id}/{verb}: follow, unfollow, block,
// unblock, mute, unmute. Following someone on another server needs
// fediverse sharing on; the refusal says so and links to the switch.
func (w *Web) accountAction(q *req) error {
	id, err := strconv.ParseInt(q.r.PathValue("id"), 10, 64)
	if err != nil {
		return model.NotFound("account")
	}
	ctx, me := q.r.Context(), q.me.ID
	switch q.r.PathValue("verb") {
	case "follow":
		_, err = w.svc.Follow(ctx, me, id, service.FollowOptions{})
	case "unfollow":
		_, err = w.svc.Unfollow(ctx, me, id)
	case "block":
		_, err = w.svc.Block(ctx, me, id)
	case "unblock":
		_, err = w.svc.Unblock(ctx, me, id)
	case "mute":
		_, err = w.svc.Mute(ctx, me, id, service.MuteOptions{})
	case "unmute":
		_, err = w.svc.Unmute(ctx, me, id)
	default:
		return model.NotFound("action")
	}
	if err != nil {
		return err
	}
	// From a post's menu the account is not on screen: a notice says what
	// was done and where to undo it.
	back := q.r.PostFormValue("return_to")
	if n := q.r.PostFormValue("notice"); n == "muted" || n == "blocked" {
		back = withNotice(back, n)
	}
	return redirect(q, back)
}
