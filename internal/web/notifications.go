package web

import (
	"net/url"
	"strconv"

	"weft/internal/model"
	"weft/internal/service"
)

// notificationItem is one entry of the notifications page: likes and
// boosts of the same post are grouped ("Ana and 3 others liked your
// post"), as Threads and Mastodon show them, with a line of the post; a
// mention or reply shows the whole post, to answer it there.
type notificationItem struct {
	Type       string
	Accounts   []accountItem // newest first
	Others     int64         // how many more than the names shown
	Text       string
	Post       *postItem // shown whole (mentions, replies, new posts)
	Excerpt    string    // one line of the post (likes, boosts, edits)
	ExcerptURL string
	When       string    // relative, of the newest in the group
	At         adminTime // the same, in full
	FollowBack *person   // a follow from someone the member does not follow back
}

var notificationText = map[model.NotificationType]string{
	model.NotifyFavourite: "liked your post", model.NotifyReblog: "boosted your post", model.NotifyFollow: "followed you",
	model.NotifyFollowRequest: "asked to follow you", model.NotifyMention: "mentioned you", model.NotifyStatus: "posted",
	model.NotifyUpdate: "edited a post you boosted",
}

// notificationTabs are the notifications page's filters.
var notificationTabs = []struct {
	Key, Label string
	Types      []model.NotificationType
	Replies    *bool // replies to the member, or mentions that are not
}{
	{"", "All", nil, nil},
	{"follows", "Follows", []model.NotificationType{model.NotifyFollow, model.NotifyFollowRequest}, nil},
	{"replies", "Replies", []model.NotificationType{model.NotifyMention}, boolRef(true)},
	{"mentions", "Mentions", []model.NotificationType{model.NotifyMention}, boolRef(false)},
	{"reposts", "Reposts", []model.NotificationType{model.NotifyReblog}, nil},
	{"likes", "Likes", []model.NotificationType{model.NotifyFavourite}, nil},
}

// boolRef is a pointer to its own copy of b (a filter's "unset" is nil).
func boolRef(b bool) *bool { return &b }

// namesShown is how many names a grouped notification spells out.
const namesShown = 2

// notifications is GET /notifications[?tab=follows|replies|mentions|reposts|likes].
func (w *Web) notifications(q *req) error {
	if q.me == nil {
		return errSignIn
	}
	tab := q.r.URL.Query().Get("tab")
	var filter service.NotificationFilter
	found := false
	for _, t := range notificationTabs {
		if t.Key == tab {
			filter.Types, filter.Replies, found = t.Types, t.Replies, true
		}
	}
	if !found {
		return model.NotFound("tab")
	}
	list, err := w.svc.Notifications(q.r.Context(), q.me.ID, filter, cursor(q))
	if err != nil {
		return err
	}
	// Seeing the newest notifications reads them (the badge goes), as on
	// Mastodon's web app; tabs and later pages leave the marker alone.
	if tab == "" && q.r.URL.Query().Get("max_id") == "" && len(list.Notifications) > 0 {
		newest := list.Notifications[0].Notification.ID
		if m, err := w.svc.Markers(q.r.Context(), q.me.ID, []string{service.MarkerNotifications}); err == nil {
			if cur := m[service.MarkerNotifications]; cur == nil || cur.LastReadID < newest {
				if _, err := w.svc.SetMarker(q.r.Context(), q.me.ID, service.MarkerNotifications, newest); err != nil {
					return err
				}
			}
		}
	}
	now := w.now()
	var items []notificationItem
	var followers []*model.Account // the follows' accounts…
	var followAt []int             // …and their entries, for Follow back
	group := map[string]int{}      // type+post → index in items
	for _, n := range list.Notifications {
		t := n.Notification.Type
		key := ""
		if (t == model.NotifyFavourite || t == model.NotifyReblog) && n.Status != nil {
			key = string(t) + ":" + strconv.FormatInt(n.Status.Status.ID, 10)
			if i, ok := group[key]; ok {
				if len(items[i].Accounts) < namesShown {
					items[i].Accounts = append(items[i].Accounts, w.account(n.Account))
				} else {
					items[i].Others++
				}
				continue
			}
		}
		at := n.Notification.CreatedAt
		it := notificationItem{Type: string(t), Accounts: []accountItem{w.account(n.Account)}, Text: notificationText[t],
			When: ago(now, at), At: adminTimeOf(at)}
		if t == model.NotifyFollow {
			followers, followAt = append(followers, n.Account), append(followAt, len(items))
		}
		if it.Text == "" {
			it.Text = string(t)
		}
		if n.Status != nil {
			p := w.post(n.Status, now)
			switch t {
			case model.NotifyMention, model.NotifyStatus:
				it.Post = &p
				if n.Status.Status.InReplyToAccountID == q.me.ID {
					it.Text = "replied to you"
				}
			default:
				it.Excerpt, it.ExcerptURL = excerpt(n.Status.Status.Text, n.Status.Status.ContentHTML), p.Path
			}
		}
		if key != "" {
			group[key] = len(items)
		}
		items = append(items, it)
	}
	// Follow back, for followers the member does not follow (yet).
	if len(followers) > 0 {
		people, err := w.people(q, followers)
		if err != nil {
			return err
		}
		for i, p := range people {
			if p.Verb == "follow" {
				p.Label = "Follow back"
				items[followAt[i]].FollowBack = &p
			}
		}
	}
	d := w.data(q, "Activity", "notifications") // Threads' name for notifications, as the navigation says
	d["Items"], d["Tab"], d["Tabs"] = items, tab, notificationTabs
	if list.NextMaxID != 0 && len(list.Notifications) >= pageSize {
		more := "/notifications?max_id=" + strconv.FormatInt(list.NextMaxID, 10)
		if tab != "" {
			more += "&tab=" + url.QueryEscape(tab)
		}
		d["More"] = more
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
