package web

import (
	"net/http"
	"strconv"
	"strings"

	"weft/internal/httpx"
	"weft/internal/model"
	"weft/internal/service"
)

// maxThreadParts bounds how many posts one thread form makes.
const maxThreadParts = 20

// composerState is what the composer shows: the parts written so far (a
// thread is a chain of self-replies), the reply target, the warning, the
// audience.
type composerState struct {
	Parts       []string
	ReplyTo     int64
	SpoilerText string
	Visibility  model.Visibility
	Autofocus   bool
}

type visibilityOption struct {
	Value, Label string
	Selected     bool
}

// composer prepares the composer partial's data.
func (w *Web) composer(q *req, c composerState) map[string]any {
	if len(c.Parts) == 0 {
		c.Parts = []string{""}
	}
	if c.Visibility == "" {
		c.Visibility = model.Public
	}
	var opts []visibilityOption
	for _, v := range []model.Visibility{model.Public, model.Unlisted, model.Private, model.Direct} {
		opts = append(opts, visibilityOption{Value: string(v), Label: visibilityLabels[v], Selected: v == c.Visibility})
	}
	// Shown again after a POST (a thread in progress, a refusal), the form
	// keeps where it came from, not the form's own address.
	back := q.r.URL.RequestURI()
	if q.r.Method != http.MethodGet {
		back = localPath(q.r.PostFormValue("return_to"))
	}
	d := map[string]any{"CSRF": q.sess.CSRFToken, "Parts": c.Parts, "SpoilerText": c.SpoilerText, "Visibilities": opts,
		"MaxChars": w.cfg.MaxPostChars, "ReturnTo": back, "Autofocus": c.Autofocus}
	if c.ReplyTo != 0 {
		d["ReplyTo"] = strconv.FormatInt(c.ReplyTo, 10)
	}
	return d
}

// compose is POST /statuses: a post, a reply, or a thread of several parts
// posted as a chain of replies to the first. "Add to thread" (without
// JavaScript) shows the form again with one more part.
func (w *Web) compose(q *req) error {
	if err := q.r.ParseForm(); err != nil {
		return model.Invalid("form", "cannot be read")
	}
	f := q.r.PostForm
	c := composerState{Parts: f["status"], SpoilerText: strings.TrimSpace(f.Get("spoiler_text")),
		Visibility: model.Visibility(f.Get("visibility"))}
	if id, err := strconv.ParseInt(f.Get("in_reply_to_id"), 10, 64); err == nil {
		c.ReplyTo = id
	}
	if len(c.Parts) > maxThreadParts {
		return model.Invalid("status", "a thread can have at most %d parts", maxThreadParts)
	}
	if f.Get("add_part") != "" && c.ReplyTo == 0 {
		c.Parts = append(c.Parts, "")
		c.Autofocus = true
		return w.showComposer(q, c, "")
	}
	// Empty parts after the first (a part added and left blank) are skipped.
	var parts []string
	for i, p := range c.Parts {
		if i == 0 || strings.TrimSpace(p) != "" {
			parts = append(parts, p)
		}
	}
	var first *service.StatusView
	replyTo := c.ReplyTo
	for i, text := range parts {
		in := service.PostInput{Text: text, SpoilerText: c.SpoilerText, Visibility: c.Visibility, InReplyToID: replyTo}
		v, err := w.svc.CreatePost(q.r.Context(), q.me.ID, in)
		if err != nil {
			// A server error (or a browser that left) is the error page's
			// to show and log; a refusal is shown with the form.
			serverSide := httpx.Status(err) == http.StatusInternalServerError
			if i == 0 && serverSide || httpx.ClientGone(q.r, err) {
				return err
			}
			msg := model.Message(err)
			if serverSide {
				w.log.Error("web compose: thread part", "part", i+1, "err", err)
				msg = "something went wrong on our side; please try again"
			}
			// The thread is partly posted: show what is left to post, as a
			// reply to the last part that went out.
			if i > 0 {
				c.Parts, c.ReplyTo = parts[i:], replyTo
				msg = "Part " + strconv.Itoa(i+1) + " was not posted: " + msg
			}
			return w.showComposer(q, c, msg)
		}
		if first == nil {
			first = v
		}
		replyTo = v.Status.ID
	}
	back := localPath(f.Get("return_to"))
	if c.ReplyTo == 0 && len(parts) > 1 {
		back = accountPath(q.me) + "/" + strconv.FormatInt(first.Status.ID, 10)
	}
	return redirect(q, back)
}

// showComposer shows the composer alone (a thread in progress, or a post
// refused with the reason), keeping what was written.
func (w *Web) showComposer(q *req, c composerState, problem string) error {
	title := "New post"
	if c.ReplyTo != 0 {
		title = "Reply"
	}
	d := w.data(q, title, "home")
	d["Composer"] = w.composer(q, c)
	d["Problem"] = problem
	status := 0
	if problem != "" {
		status = 422
	}
	return w.show(q, status, "compose", d)
}
