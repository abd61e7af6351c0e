package web

import (
	"encoding/json"
	"strings"

	"weft/internal/service"
)

// autocomplete is GET /autocomplete?q=@al or ?q=#we: suggestions for the
// composer (app.js), as JSON; without JavaScript, mentions and hashtags
// are plain text, which works just as well.
func (w *Web) autocomplete(q *req) error {
	if q.me == nil {
		return errSignIn
	}
	term := strings.TrimSpace(q.r.URL.Query().Get("q"))
	out := []map[string]string{}
	if len([]rune(term)) >= 2 {
		in := service.Search{Query: strings.TrimLeft(term, "@#"), Limit: 6}
		in.Type = service.SearchTypeAccounts
		if strings.HasPrefix(term, "#") {
			in.Type = service.SearchTypeHashtags
		}
		res, err := w.svc.Search(q.r.Context(), q.me.ID, in)
		if err != nil {
			return err
		}
		for _, a := range res.Accounts {
			it := w.account(a)
			insert := "@" + a.Acct()
			out = append(out, map[string]string{"insert": insert, "label": it.Name + " " + it.Handle})
		}
		for _, t := range res.Hashtags {
			out = append(out, map[string]string{"insert": "#" + t.Tag.Name, "label": "#" + t.Tag.Name})
		}
	}
	q.rw.Header().Set("Content-Type", "application/json")
	q.rw.Header().Set("Cache-Control", "no-store")
	return json.NewEncoder(q.rw).Encode(out)
}
