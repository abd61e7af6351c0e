package web

import (
	"errors"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"weft/internal/httpx"
	"weft/internal/model"
	"weft/internal/service"
)

// maxThreadParts bounds how many posts one thread form makes.
const maxThreadParts = 20

// maxPartMedia is what one post can carry, as on Mastodon: four photos, or
// one video or sound (the service checks the mix).
const maxPartMedia = 4

// composerState is what the composer shows: the parts written so far (a
// thread is a chain of self-replies) with what is attached to each, the
// reply target, the warning, the audience.
type composerState struct {
	Parts      []composerPart
	ReplyTo    int64
	Visibility model.Visibility
	Autofocus  bool
	AltMissing bool // a photo without a description: asked once before posting
}

// composerPart is one post of the thread being written.
type composerPart struct {
	Text        string
	SpoilerText string // its own content warning: a thread may warn of one part only
	Media       []attached
}

// attached is an upload shown in the composer, with its description.
type attached struct {
	ID   string
	Item mediaItem
}

type visibilityOption struct {
	Value, Label string
	Selected     bool
}

// composer prepares the composer partial's data.
func (w *Web) composer(q *req, c composerState) map[string]any {
	if len(c.Parts) == 0 {
		c.Parts = []composerPart{{}}
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
	switch {
	case q.r.Method != http.MethodGet:
		back = localPath(q.r.PostFormValue("return_to"))
	case q.r.URL.Path == "/compose":
		// The compose page goes back where New post was pressed, or home.
		back = "/"
		if rt := q.r.URL.Query().Get("return_to"); rt != "" {
			back = localPath(rt)
		}
	}
	d := map[string]any{"CSRF": q.sess.CSRFToken, "Parts": c.Parts, "Visibilities": opts,
		"MaxChars": w.cfg.MaxPostChars, "ReturnTo": back, "Autofocus": c.Autofocus, "AltMissing": c.AltMissing,
		"MaxMedia": maxPartMedia}
	if c.ReplyTo != 0 {
		d["ReplyTo"] = strconv.FormatInt(c.ReplyTo, 10)
	}
	return d
}

// maxComposeForm bounds the composer's form: the text, and files up to
// four of the largest kind.
func (w *Web) maxComposeForm() int64 {
	return maxPartMedia*max(w.cfg.MaxImageBytes, w.cfg.MaxVideoBytes) + maxPageForm
}

// compose is POST /statuses: a post, a reply, or a thread of several parts
// posted as a chain of replies to the first, each with its photos or video.
// Without JavaScript, "Add to thread", "Remove this part" and "Attach"
// show the form again with one more part or one less, or with the files
// uploaded, their previews and a
// description field each; files chosen and posted at once are uploaded on
// the way. A photo without a description is asked about once.
func (w *Web) compose(q *req) error {
	if q.me == nil {
		return errSignIn
	}
	c, problem, err := w.readComposer(q)
	if err != nil {
		return err
	}
	f := q.r.PostForm
	if problem != "" {
		return w.showComposer(q, c, problem)
	}
	if n, err := strconv.Atoi(f.Get("remove_part")); err == nil && n >= 2 && n <= len(c.Parts) {
		// What it carried stays an unattached upload, cleaned up later.
		c.Parts = append(c.Parts[:n-1], c.Parts[n:]...)
		return w.showComposer(q, c, "")
	}
	if n, err := strconv.Atoi(f.Get("move_up")); err == nil && n >= 2 && n <= len(c.Parts) {
		// What each part carries moves with it.
		c.Parts[n-2], c.Parts[n-1] = c.Parts[n-1], c.Parts[n-2]
		return w.showComposer(q, c, "")
	}
	if f.Get("add_part") != "" && c.ReplyTo == 0 {
		c.Parts = append(c.Parts, composerPart{})
		c.Autofocus = true
		return w.showComposer(q, c, "")
	}
	if f.Get("attach") != "" {
		return w.showComposer(q, c, "")
	}
	// Empty parts after the first (a part added and left blank) are skipped.
	var parts []composerPart
	for i, p := range c.Parts {
		if i == 0 || strings.TrimSpace(p.Text) != "" || len(p.Media) > 0 {
			parts = append(parts, p)
		}
	}
	if f.Get("alt_ok") == "" {
		for _, p := range parts {
			for _, m := range p.Media {
				if m.Item.Type == string(model.MediaImage) || m.Item.Type == string(model.MediaGifv) {
					if strings.TrimSpace(m.Item.Alt) == "" {
						c.AltMissing = true
					}
				}
			}
		}
		if c.AltMissing {
			return w.showComposer(q, c, "")
		}
	}
	var first *service.StatusView
	replyTo := c.ReplyTo
	for i, part := range parts {
		in := service.PostInput{Text: part.Text, SpoilerText: part.SpoilerText, Visibility: c.Visibility, InReplyToID: replyTo}
		for _, m := range part.Media {
			id, _ := strconv.ParseInt(m.ID, 10, 64)
			in.MediaIDs = append(in.MediaIDs, id)
		}
		v, err := w.svc.CreatePost(q.r.Context(), q.me.ID, in)
		if err != nil {
			// A server error (or a browser that left) is the error page's
			// to show and log; a refusal is shown with the form.
			serverSide := httpx.Status(err) == http.StatusInternalServerError
			if i == 0 && serverSide || httpx.ClientGone(q.r, err) {
				return err
			}
			msg, _ := asModelError(err)
			if msg == "" {
				msg = model.Message(err)
			}
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
	back := withoutQuote(localPath(f.Get("return_to")))
	if c.ReplyTo == 0 && len(parts) > 1 {
		back = accountPath(q.me) + "/" + strconv.FormatInt(first.Status.ID, 10)
	}
	return redirect(q, back)
}

// withoutQuote drops ?quote= from the page to go back to: it would fill
// the composer with the quoted link again.
func withoutQuote(back string) string {
	u, err := url.Parse(back)
	if err != nil || !u.Query().Has("quote") {
		return back
	}
	v := u.Query()
	v.Del("quote")
	u.RawQuery, u.Fragment = v.Encode(), ""
	return u.RequestURI()
}

// readComposer reads the composer's form (multipart when it carries files,
// bounded), checks its CSRF token, and brings the attachments up to date:
// new files uploaded, descriptions saved, removed ones dropped. A refusal
// (a file the server does not take, too many files) comes back as a
// problem to show with the form, which keeps everything else.
func (w *Web) readComposer(q *req) (composerState, string, error) {
	var c composerState
	multi := strings.HasPrefix(q.r.Header.Get("Content-Type"), "multipart/")
	if multi {
		q.r.Body = http.MaxBytesReader(q.rw, q.r.Body, w.maxComposeForm())
		if err := q.r.ParseMultipartForm(8 << 20); err != nil {
			if httpx.ClientGone(q.r, err) {
				return c, "", err
			}
			return c, "", model.Invalid("form", "could not be read: are the files too large?")
		}
	} else {
		q.r.Body = http.MaxBytesReader(q.rw, q.r.Body, maxPageForm)
		if err := q.r.ParseForm(); err != nil {
			return c, "", model.Invalid("form", "cannot be read")
		}
	}
	if !CheckCSRF(q.r, q.sess) {
		return c, "", model.Errorf(model.ErrForbidden, "", "This form has expired. Go back, reload the page and try again.")
	}
	if err := formNUL(q.r); err != nil {
		return c, "", err
	}
	f := q.r.PostForm
	c.Visibility = model.Visibility(f.Get("visibility"))
	if id, err := strconv.ParseInt(f.Get("in_reply_to_id"), 10, 64); err == nil {
		c.ReplyTo = id
	}
	texts := f["status"]
	if len(texts) > maxThreadParts {
		return c, "", model.Invalid("status", "a thread can have at most %d parts", maxThreadParts)
	}
	if len(texts) == 0 {
		texts = []string{""}
	}
	c.Parts = make([]composerPart, len(texts))
	warnings := f["spoiler_text"] // one per part, in the order of the parts
	for i, t := range texts {
		c.Parts[i].Text = t
		if i < len(warnings) {
			c.Parts[i].SpoilerText = strings.TrimSpace(warnings[i])
		}
	}
	ctx := q.r.Context()
	var problems []string
	// What is attached already: "part:ID", part counted from 1.
	for _, v := range f["media"] {
		partStr, idStr, _ := strings.Cut(v, ":")
		part, perr := strconv.Atoi(partStr)
		id, ierr := strconv.ParseInt(idStr, 10, 64)
		if perr != nil || ierr != nil || part < 1 || part > len(c.Parts) {
			continue
		}
		if f.Get("remove-"+idStr) != "" {
			continue
		}
		m, err := w.svc.OwnMedia(ctx, q.me.ID, id)
		if errors.Is(err, model.ErrNotFound) {
			continue // gone meanwhile (cleaned up, or not the member's)
		}
		if err != nil {
			return c, "", err
		}
		// The point to keep in view and the description are saved apart,
		// so a refused one does not lose the other.
		var changes []service.MediaUpdate
		if focus, ok := f["focus-"+idStr]; ok && focus[0] != focusOf(m) {
			changes = append(changes, service.MediaUpdate{Focus: &focus[0]})
		}
		if alt, ok := f["alt-"+idStr]; ok && alt[0] != m.Description {
			changes = append(changes, service.MediaUpdate{Description: &alt[0]})
		}
		for _, change := range changes {
			updated, err := w.svc.UpdateMedia(ctx, q.me.ID, id, change)
			if msg, refused := asModelError(err); refused {
				problems = append(problems, msg)
			} else if err != nil {
				return c, "", err
			} else {
				m = updated
			}
		}
		p := &c.Parts[part-1]
		if len(p.Media) < maxPartMedia {
			p.Media = append(p.Media, attached{ID: idStr, Item: w.media(m)})
		}
	}
	// New files, part by part.
	if multi {
		for i := range c.Parts {
			p := &c.Parts[i]
			for _, h := range q.r.MultipartForm.File["file-"+strconv.Itoa(i+1)] {
				if h.Size == 0 {
					continue // the empty file input of a form without files
				}
				if len(p.Media) >= maxPartMedia {
					problems = append(problems, fmt.Sprintf("A post can carry at most %d photos: %s was left out.", maxPartMedia, h.Filename))
					continue
				}
				m, err := w.upload(q, h)
				if msg, refused := asModelError(err); refused {
					problems = append(problems, h.Filename+": "+msg)
					continue
				}
				if err != nil {
					return c, "", err
				}
				p.Media = append(p.Media, attached{ID: strconv.FormatInt(m.ID, 10), Item: w.media(m)})
			}
		}
	}
	return c, strings.Join(problems, " "), nil
}

// focusOf is a photo's focal point as the composer's field holds it.
func focusOf(m *model.Media) string {
	return strconv.FormatFloat(m.FocusX, 'f', 2, 64) + "," + strconv.FormatFloat(m.FocusY, 'f', 2, 64)
}

// focusOption is a choice of what a cropped preview keeps in view.
type focusOption struct {
	Value, Label string
	Selected     bool
}

// focusChoices are the points one can choose without JavaScript (with it,
// a click on the preview chooses any point); the photo's own point, if it
// is none of them, comes first.
func focusChoices(current string) []focusOption {
	named := []focusOption{{"0.00,0.00", "The middle", false}, {"0.00,1.00", "The top", false}, {"0.00,-1.00", "The bottom", false},
		{"-1.00,0.00", "The left side", false}, {"1.00,0.00", "The right side", false}, {"-1.00,1.00", "The top left", false},
		{"1.00,1.00", "The top right", false}, {"-1.00,-1.00", "The bottom left", false}, {"1.00,-1.00", "The bottom right", false}}
	if current == "" {
		current = "0.00,0.00"
	}
	found := false
	for i := range named {
		if named[i].Value == current {
			named[i].Selected, found = true, true
		}
	}
	if !found {
		named = append([]focusOption{{current, "The point you chose", true}}, named...)
	}
	return named
}

// upload stores one file of the composer's form through the media service.
func (w *Web) upload(q *req, h *multipart.FileHeader) (*model.Media, error) {
	file, err := h.Open()
	if err != nil {
		return nil, fmt.Errorf("open uploaded %s: %w", h.Filename, err)
	}
	defer file.Close()
	return w.svc.UploadMedia(q.r.Context(), q.me.ID, service.Upload{File: file})
}

// composePage is GET /compose: the composer on a page of its own, what New
// post opens without JavaScript (app.js shows the same form in a sheet over
// the page). ?quote=ID starts a quote of that post.
func (w *Web) composePage(q *req) error {
	if q.me == nil {
		return errSignIn
	}
	c := w.quoteState(q)
	c.Autofocus = true
	return w.showComposer(q, c, "")
}

// showComposer shows the composer alone (a thread in progress, or a post
// refused with the reason), keeping what was written.
func (w *Web) showComposer(q *req, c composerState, problem string) error {
	title := "New post"
	if c.ReplyTo != 0 {
		title = "Reply"
	}
	d := w.data(q, title, "compose")
	d["Composer"] = w.composer(q, c)
	d["Problem"] = problem
	status := 0
	if problem != "" {
		status = 422
	}
	return w.show(q, status, "compose", d)
}
