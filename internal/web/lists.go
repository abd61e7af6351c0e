package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"weft/internal/model"
	"weft/internal/service"
)

// Lists, as on Mastodon: a member groups people they follow into named
// lists, each with its own timeline. The pages: /lists (your lists, a new
// one), /lists/ID (its timeline), /lists/ID/edit (name, which replies show,
// whether its posts leave Home, its people: remove, or add from those you
// follow).

type listItem struct {
	ID, Title, RepliesPolicy string
	Exclusive                bool
}

func listOf(l *model.List) listItem {
	return listItem{ID: strconv.FormatInt(l.ID, 10), Title: l.Title, RepliesPolicy: string(l.RepliesPolicy), Exclusive: l.Exclusive}
}

// repliesChoices are the replies policies in words.
var repliesChoices = []struct{ Value, Label string }{
	{string(model.RepliesList), "Replies to people in this list"},
	{string(model.RepliesFollowed), "Replies to anyone you follow"},
	{string(model.RepliesNone), "No replies"},
}

// listID reads the {id} of a list path.
func listID(q *req) (int64, error) {
	id, err := strconv.ParseInt(q.r.PathValue("id"), 10, 64)
	if err != nil {
		return 0, model.NotFound("list")
	}
	return id, nil
}

// listProblem words a refused list form: the name, or (from a hand-made
// form) another field.
func listProblem(err error) (string, bool) {
	var e *model.Error
	if !errors.Is(err, model.ErrInvalid) || !errors.As(err, &e) {
		return "", false
	}
	switch {
	case e.Field == "title" && strings.Contains(e.Msg, "blank"):
		return "Give the list a name.", true
	case e.Field == "title":
		return "That name is too long: at most " + strconv.Itoa(model.MaxListTitle) + " characters.", true
	}
	return asModelError(err)
}

// lists is GET /lists.
func (w *Web) lists(q *req) error {
	return w.showLists(q, 0, "", "")
}

func (w *Web) showLists(q *req, status int, title, problem string) error {
	if q.me == nil {
		return errSignIn
	}
	all, err := w.svc.Lists(q.r.Context(), q.me.ID)
	if err != nil {
		return err
	}
	d := w.data(q, "Lists", "lists")
	items := make([]listItem, 0, len(all))
	for _, l := range all {
		items = append(items, listOf(l))
	}
	d["Lists"], d["NewTitle"], d["Problem"] = items, title, problem
	return w.show(q, status, "lists", d)
}

// createList is POST /lists: a new list, then its page to add people.
func (w *Web) createList(q *req) error {
	title := q.r.PostFormValue("title")
	l, err := w.svc.CreateList(q.r.Context(), q.me.ID, service.ListInput{Title: &title})
	if msg, ok := listProblem(err); ok {
		return w.showLists(q, http.StatusUnprocessableEntity, title, msg)
	}
	if err != nil {
		return err
	}
	return redirect(q, "/lists/"+strconv.FormatInt(l.ID, 10)+"/edit")
}

// listTimeline is GET /lists/ID: the posts of the list's people.
func (w *Web) listTimeline(q *req) error {
	if q.me == nil {
		return errSignIn
	}
	id, err := listID(q)
	if err != nil {
		return err
	}
	l, err := w.svc.List(q.r.Context(), q.me.ID, id)
	if err != nil {
		return err
	}
	t, err := w.svc.ListTimeline(q.r.Context(), q.me.ID, id, cursor(q))
	if err != nil {
		return err
	}
	posts, err := w.filtered(q, model.FilterHome, t.Statuses)
	if err != nil {
		return err
	}
	d := w.data(q, l.Title, "lists")
	d["List"], d["Posts"] = listOf(l), threaded(posts)
	d["More"] = moreLink("/lists/"+strconv.FormatInt(id, 10), t, len(t.Statuses))
	return w.show(q, 0, "list", d)
}

// editList is GET /lists/ID/edit[?q=]: the list's settings and people, and
// people you follow to add (those matching q, or the latest you followed).
func (w *Web) editList(q *req) error {
	return w.showListEdit(q, 0, nil, "")
}

func (w *Web) showListEdit(q *req, status int, typed *listItem, problem string) error {
	if q.me == nil {
		return errSignIn
	}
	id, err := listID(q)
	if err != nil {
		return err
	}
	ctx := q.r.Context()
	l, err := w.svc.List(ctx, q.me.ID, id)
	if err != nil {
		return err
	}
	members, err := w.svc.ListAccounts(ctx, q.me.ID, id, model.Page{}, true)
	if err != nil {
		return err
	}
	in := map[int64]bool{}
	for _, a := range members.Accounts {
		in[a.ID] = true
	}
	search := strings.TrimSpace(q.r.URL.Query().Get("q"))
	var candidates []*model.Account
	if search != "" {
		candidates, err = w.svc.SearchAccounts(ctx, q.me.ID, service.AccountSearch{Query: search, Following: true, Limit: 20})
	} else {
		var f service.AccountList
		f, err = w.svc.Following(ctx, q.me.ID, q.me.ID, model.Page{Limit: 20})
		candidates = f.Accounts
	}
	if err != nil {
		return err
	}
	var add []*model.Account
	for _, a := range candidates {
		if !in[a.ID] {
			add = append(add, a)
		}
	}
	item := listOf(l)
	if typed != nil {
		item = *typed // what was typed stays, with the problem beside it
	}
	d := w.data(q, "Edit "+l.Title, "lists")
	d["List"], d["Members"], d["Add"] = item, w.accounts(members.Accounts), w.accounts(add)
	d["Search"], d["Problem"], d["Replies"] = search, problem, repliesChoices
	d["Saved"] = q.r.URL.Query().Get("saved") != ""
	return w.show(q, status, "list_edit", d)
}

// updateList is POST /lists/ID: name, replies, exclusive.
func (w *Web) updateList(q *req) error {
	id, err := listID(q)
	if err != nil {
		return err
	}
	f := q.r.PostForm
	title, policy, exclusive := f.Get("title"), f.Get("replies_policy"), f.Get("exclusive") != ""
	_, err = w.svc.UpdateList(q.r.Context(), q.me.ID, id, service.ListInput{Title: &title, RepliesPolicy: &policy, Exclusive: &exclusive})
	if msg, ok := listProblem(err); ok {
		typed := listItem{ID: strconv.FormatInt(id, 10), Title: title, RepliesPolicy: policy, Exclusive: exclusive}
		return w.showListEdit(q, http.StatusUnprocessableEntity, &typed, msg)
	}
	if err != nil {
		return err
	}
	return redirect(q, "/lists/"+strconv.FormatInt(id, 10)+"/edit?saved=1")
}

// deleteList is POST /lists/ID/delete; its people stay followed.
func (w *Web) deleteList(q *req) error {
	id, err := listID(q)
	if err != nil {
		return err
	}
	if err := w.svc.DeleteList(q.r.Context(), q.me.ID, id); err != nil {
		return err
	}
	return redirect(q, withNotice("/lists", "list_deleted"))
}

// listMember is POST /lists/ID/add and /lists/ID/remove with account_id.
func (w *Web) listMember(q *req) error {
	id, err := listID(q)
	if err != nil {
		return err
	}
	account, err := strconv.ParseInt(q.r.PostFormValue("account_id"), 10, 64)
	if err != nil {
		return model.NotFound("account")
	}
	switch q.r.PathValue("verb") {
	case "add":
		err = w.svc.AddListAccounts(q.r.Context(), q.me.ID, id, []int64{account})
	case "remove":
		err = w.svc.RemoveListAccounts(q.r.Context(), q.me.ID, id, []int64{account})
	default:
		return model.NotFound("action")
	}
	if err != nil && !errors.Is(err, model.ErrInvalid) { // already in the list: nothing to do
		return err
	}
	return redirect(q, q.r.PostFormValue("return_to"))
}
