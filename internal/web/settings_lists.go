package web

import (
	"strconv"
	"strings"

	"weft/internal/model"
	"weft/internal/service"
)

// settingsMutes is GET /settings/mutes: the accounts the member mutes and
// blocks (each with its undo button) and the words they mute.
func (w *Web) settingsMutes(q *req) error {
	if q.me == nil {
		return errSignIn
	}
	ctx := q.r.Context()
	muted, err := w.svc.Mutes(ctx, q.me.ID, model.Page{Limit: 80})
	if err != nil {
		return err
	}
	blocked, err := w.svc.Blocks(ctx, q.me.ID, model.Page{Limit: 80})
	if err != nil {
		return err
	}
	filters, err := w.svc.Filters(ctx, q.me.ID)
	if err != nil {
		return err
	}
	type word struct {
		FilterID, Text string
	}
	var words []word
	for _, f := range filters {
		for _, k := range f.Keywords {
			words = append(words, word{FilterID: strconv.FormatInt(f.ID, 10), Text: k.Keyword})
		}
	}
	d := w.data(q, "Muted and blocked", "settings")
	d["Muted"], d["Blocked"], d["Words"] = w.accounts(muted.Accounts), w.accounts(blocked.Accounts), words
	d["Saved"] = q.r.URL.Query().Get("saved") != ""
	return w.show(q, 0, "settings_mutes", d)
}

func (w *Web) accounts(list []*model.Account) []accountItem {
	out := make([]accountItem, 0, len(list))
	for _, a := range list {
		out = append(out, w.account(a))
	}
	return out
}

// muteWord is POST /settings/muted_words: a word or phrase hidden from the
// member's feeds, notifications, threads and profiles (a Mastodon filter
// with one keyword, so apps show and edit it too).
func (w *Web) muteWord(q *req) error {
	text := strings.TrimSpace(q.r.PostFormValue("word"))
	if text == "" {
		return model.Invalid("word", "can't be blank")
	}
	ctxs := []string{"home", "notifications", "public", "thread", "account"}
	hide := "hide"
	_, err := w.svc.CreateFilter(q.r.Context(), q.me.ID, service.FilterInput{Title: &text, Context: &ctxs, Action: &hide,
		Keywords: []service.KeywordInput{{Keyword: &text}}})
	if err != nil {
		return err
	}
	return redirect(q, "/settings/mutes?saved=1")
}

// unmuteWord is POST /settings/muted_words/{id}/delete.
func (w *Web) unmuteWord(q *req) error {
	id, err := strconv.ParseInt(q.r.PathValue("id"), 10, 64)
	if err != nil {
		return model.NotFound("filter")
	}
	if err := w.svc.DeleteFilter(q.r.Context(), q.me.ID, id); err != nil {
		return err
	}
	return redirect(q, "/settings/mutes?saved=1")
}
