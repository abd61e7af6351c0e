package web

import (
	"strconv"

	"weft/internal/model"
	"weft/internal/service"
)

// notificationItem is one line of the notifications page: likes and boosts
// of the same post are grouped, as Threads and Mastodon show them.
type notificationItem struct {
	Type     string
	Accounts []accountItem
	Post     *postItem
	Text     string
}

var notificationText = map[model.NotificationType]string{
	model.NotifyFavourite: "liked your post", model.NotifyReblog: "boosted your post", model.NotifyFollow: "followed you",
	model.NotifyFollowRequest: "asked to follow you", model.NotifyMention: "mentioned you", model.NotifyStatus: "posted",
	model.NotifyUpdate: "edited a post you boosted",
}

// notifications is GET /notifications.
func (w *Web) notifications(q *req) error {
	if q.me == nil {
		return errSignIn
	}
	list, err := w.svc.Notifications(q.r.Context(), q.me.ID, service.NotificationFilter{}, cursor(q))
	if err != nil {
		return err
	}
	now := w.now()
	var items []notificationItem
	group := map[string]int{} // type+post → index in items
	for _, n := range list.Notifications {
		t := n.Notification.Type
		key := ""
		if (t == model.NotifyFavourite || t == model.NotifyReblog) && n.Status != nil {
			key = string(t) + ":" + strconv.FormatInt(n.Status.Status.ID, 10)
			if i, ok := group[key]; ok {
				items[i].Accounts = append(items[i].Accounts, w.account(n.Account))
				continue
			}
		}
		it := notificationItem{Type: string(t), Accounts: []accountItem{w.account(n.Account)}, Text: notificationText[t]}
		if it.Text == "" {
			it.Text = string(t)
		}
		if n.Status != nil {
			p := w.post(n.Status, now)
			it.Post = &p
		}
		if key != "" {
			group[key] = len(items)
		}
		items = append(items, it)
	}
	d := w.data(q, "Notifications", "notifications")
	d["Items"] = items
	if list.NextMaxID != 0 && len(list.Notifications) >= pageSize {
		d["More"] = "/notifications?max_id=" + strconv.FormatInt(list.NextMaxID, 10)
	}
	requests, err := w.svc.FollowRequests(q.r.Context(), q.me.ID, model.Page{Limit: 1})
	if err == nil && len(requests.Accounts) > 0 {
		d["HasRequests"] = true
	}
	return w.show(q, 0, "notifications", d)
}

// followRequests is GET /follow_requests.
func (w *Web) followRequests(q *req) error {
	if q.me == nil {
		return errSignIn
	}
	list, err := w.svc.FollowRequests(q.r.Context(), q.me.ID, model.Page{Limit: 80})
	if err != nil {
		return err
	}
	var accounts []accountItem
	for _, a := range list.Accounts {
		accounts = append(accounts, w.account(a))
	}
	d := w.data(q, "Follow requests", "notifications")
	d["Accounts"] = accounts
	return w.show(q, 0, "follow_requests", d)
}

// answerFollowRequest is POST /follow_requests/{id}/authorize|reject.
func (w *Web) answerFollowRequest(q *req) error {
	id, err := strconv.ParseInt(q.r.PathValue("id"), 10, 64)
	if err != nil {
		return model.NotFound("request")
	}
	if q.r.PathValue("verb") == "authorize" {
		_, err = w.svc.AuthorizeFollowRequest(q.r.Context(), q.me.ID, id)
	} else {
		_, err = w.svc.RejectFollowRequest(q.r.Context(), q.me.ID, id)
	}
	if err != nil {
		return err
	}
	return redirect(q, "/follow_requests")
}
