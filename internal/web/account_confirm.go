package web

import (
	"strconv"
	"strings"

	"weft/internal/model"
)

// confirmAccount is GET /accounts/{id}/confirm?verb=mute|block: what a
// post's menu opens, as Mastodon's web app asks before either — what it
// does, and a button that does it, coming back where the member was with
// a notice.
func (w *Web) confirmAccount(q *req) error {
	if q.me == nil {
		return errSignIn
	}
	id, err := strconv.ParseInt(q.r.PathValue("id"), 10, 64)
	if err != nil {
		return model.NotFound("account")
	}
	verb := q.r.URL.Query().Get("verb")
	if verb != "mute" && verb != "block" {
		return model.NotFound("action")
	}
	acc, err := w.svc.Account(q.r.Context(), q.me.ID, id)
	if err != nil {
		return err
	}
	if acc.ID == q.me.ID {
		return model.Invalid("account", "you cannot %s yourself", verb)
	}
	a := w.account(acc)
	name := strings.TrimPrefix(a.Path, "/")
	d := w.data(q, map[string]string{"mute": "Mute ", "block": "Block "}[verb]+name+"?", "")
	d["Account"], d["Verb"], d["Name"] = a, verb, name
	d["Notice"] = map[string]string{"mute": "muted", "block": "blocked"}[verb]
	d["Back"] = localPath(q.r.URL.Query().Get("return_to"))
	return w.show(q, 0, "account_confirm", d)
}
