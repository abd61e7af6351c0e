package mastodon

import (
	"net/http"

	"weft/internal/model"
	"weft/internal/service"
)

func (a *API) mediaRoutes(mux *http.ServeMux) {
	upload := userScope("write:media").withBody(max(a.cfg.MaxImageBytes, a.cfg.MaxVideoBytes))
	a.route(mux, "POST /api/v2/media", upload, a.uploadMedia)
	a.route(mux, "POST /api/v1/media", upload, a.uploadMedia)
	a.route(mux, "GET /api/v1/media/{id}", userScope("write:media"), a.getMedia)
	a.route(mux, "PUT /api/v1/media/{id}", userScope("write:media"), a.updateMedia)
	a.route(mux, "DELETE /api/v1/media/{id}", userScope("write:media"), a.deleteMedia)
}

// uploadMedia takes a file (multipart field "file") with its alt text
// ("description") and focal point ("focus"). weft processes images in the
// request, so it answers 200 with the URLs at once, on v1 and v2 alike
// (Mastodon's v2 answers 202 only while it is still processing).
func (a *API) uploadMedia(c *call) (any, error) {
	f, ok, err := c.params.File("file")
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, model.Invalid("file", "is missing: send the file as the multipart field \"file\"")
	}
	defer f.Close()
	m, err := a.svc.UploadMedia(c.ctx(), c.viewer(), service.Upload{File: f,
		Description: c.params.String("description"), Focus: c.params.String("focus")})
	if err != nil {
		return nil, err
	}
	return a.mediaAttachment(m), nil
}

func (a *API) getMedia(c *call) (any, error) {
	id, err := pathID(c, "id")
	if err != nil {
		return nil, err
	}
	m, err := a.svc.OwnMedia(c.ctx(), c.viewer(), id)
	if err != nil {
		return nil, err
	}
	return a.mediaAttachment(m), nil
}

// updateMedia changes the alt text or focal point of an unattached upload.
func (a *API) updateMedia(c *call) (any, error) {
	id, err := pathID(c, "id")
	if err != nil {
		return nil, err
	}
	var u service.MediaUpdate
	if c.params.Has("description") {
		d := c.params.String("description")
		u.Description = &d
	}
	if c.params.Has("focus") {
		f := c.params.String("focus")
		u.Focus = &f
	}
	m, err := a.svc.UpdateMedia(c.ctx(), c.viewer(), id, u)
	if err != nil {
		return nil, err
	}
	return a.mediaAttachment(m), nil
}

// deleteMedia removes an unattached upload (Mastodon 4.4); one attached to
// a post goes with the post.
func (a *API) deleteMedia(c *call) (any, error) {
	id, err := pathID(c, "id")
	if err != nil {
		return nil, err
	}
	if _, err := a.svc.DeleteMedia(c.ctx(), c.viewer(), id); err != nil {
		return nil, err
	}
	return nil, nil
}
