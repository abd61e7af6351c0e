package web

import (
	"net/http"
	"strconv"
	"strings"

	"weft/internal/model"
	"weft/internal/service"
)

// editPage is GET /@user/ID/edit: the member's own post in a form.
func (w *Web) editPage(q *req, id int64) error {
	if q.me == nil {
		return errSignIn
	}
	st, err := w.svc.StatusSource(q.r.Context(), q.me.ID, id)
	if err != nil {
		return err
	}
	return w.showEdit(q, 0, st, st.Text, st.SpoilerText, "")
}

func (w *Web) showEdit(q *req, status int, st *model.Status, text, spoiler, problem string) error {
	d := w.data(q, "Edit post", "")
	d["ID"] = strconv.FormatInt(st.ID, 10)
	d["Text"], d["SpoilerText"], d["Problem"] = text, spoiler, problem
	d["Back"] = accountPath(q.me) + "/" + strconv.FormatInt(st.ID, 10)
	return w.show(q, status, "edit", d)
}

// edit is POST /statuses/{id}/edit: the new text and warning; the earlier
// versions stay in the post's history, as on Mastodon.
func (w *Web) edit(q *req) error {
	id, err := strconv.ParseInt(q.r.PathValue("id"), 10, 64)
	if err != nil {
		return model.NotFound("status")
	}
	text, spoiler := q.r.PostFormValue("status"), strings.TrimSpace(q.r.PostFormValue("spoiler_text"))
	_, err = w.svc.EditPostIfChanged(q.r.Context(), q.me.ID, id, service.EditInput{Text: text, SpoilerText: spoiler})
	if msg, refused := asModelError(err); refused {
		st, serr := w.svc.StatusSource(q.r.Context(), q.me.ID, id)
		if serr != nil {
			return err
		}
		return w.showEdit(q, http.StatusUnprocessableEntity, st, text, spoiler, msg)
	}
	if err != nil {
		return err
	}
	return redirect(q, accountPath(q.me)+"/"+strconv.FormatInt(id, 10))
}
