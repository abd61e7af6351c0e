package web

import (
	"errors"
	"net/http"
	"strings"

	"weft/internal/model"
	"weft/internal/service"
)

// settingsProfile is GET /settings/profile: display name, bio, fields,
// avatar and header, who may follow, discoverability.
func (w *Web) settingsProfile(q *req) error {
	if q.me == nil {
		return errSignIn
	}
	return w.showProfileSettings(q, 0, "")
}

func (w *Web) showProfileSettings(q *req, status int, problem string) error {
	d := w.data(q, "Profile settings", "settings")
	d["Account"] = q.me
	fields := append([]model.Field{}, q.me.Fields...)
	for len(fields) < model.MaxProfileFields {
		fields = append(fields, model.Field{})
	}
	d["Fields"] = fields
	d["Problem"] = problem
	d["Saved"] = q.r.URL.Query().Get("saved") != ""
	return w.show(q, status, "settings_profile", d)
}

// maxProfileForm bounds the profile form: two images and the text.
func (w *Web) maxProfileForm() int64 { return 2*w.cfg.MaxImageBytes + 64<<10 }

// saveProfile is POST /settings/profile (multipart: the images ride along).
func (w *Web) saveProfile(q *req) error {
	if q.me == nil {
		return errSignIn
	}
	q.r.Body = http.MaxBytesReader(q.rw, q.r.Body, w.maxProfileForm())
	if err := q.r.ParseMultipartForm(8 << 20); err != nil {
		return w.showProfileSettings(q, http.StatusUnprocessableEntity, "The form could not be read (are the images too large?).")
	}
	if !CheckCSRF(q.r, q.sess) {
		return model.Errorf(model.ErrForbidden, "", "This form has expired. Go back, reload the page and try again.")
	}
	if err := formNUL(q.r); err != nil {
		return w.showProfileSettings(q, http.StatusUnprocessableEntity, model.Message(err))
	}
	f := q.r.MultipartForm.Value
	get := func(k string) string {
		if v := f[k]; len(v) > 0 {
			return v[0]
		}
		return ""
	}
	name, note := strings.TrimSpace(get("display_name")), get("note")
	locked, discoverable, bot := get("locked") != "", get("discoverable") != "", get("bot") != ""
	hide := get("hide_collections") != ""
	u := service.ProfileUpdate{DisplayName: &name, Note: &note, Locked: &locked, Discoverable: &discoverable, Bot: &bot,
		HideCollections: &hide}
	var fields []model.Field
	names, values := f["field_name"], f["field_value"]
	for i := range names {
		if i < len(values) {
			fields = append(fields, model.Field{Name: names[i], Value: values[i]})
		}
	}
	u.Fields = &fields
	if hs := q.r.MultipartForm.File["avatar"]; len(hs) > 0 && hs[0].Size > 0 {
		file, err := hs[0].Open()
		if err != nil {
			return err
		}
		defer file.Close()
		u.Avatar = file
	}
	if hs := q.r.MultipartForm.File["header"]; len(hs) > 0 && hs[0].Size > 0 {
		file, err := hs[0].Open()
		if err != nil {
			return err
		}
		defer file.Close()
		u.Header = file
	}
	u.RemoveAvatar, u.RemoveHeader = get("remove_avatar") != "", get("remove_header") != ""
	if _, err := w.svc.UpdateProfile(q.r.Context(), q.me.ID, u); err != nil {
		if me, ok := asModelError(err); ok {
			return w.showProfileSettings(q, http.StatusUnprocessableEntity, me)
		}
		return err
	}
	return redirect(q, "/settings/profile?saved=1")
}

// settingsFediverse is GET /settings/fediverse: the sharing switch, with
// what it does said plainly.
func (w *Web) settingsFediverse(q *req) error {
	if q.me == nil {
		return errSignIn
	}
	d := w.data(q, "Fediverse sharing", "settings")
	d["Sharing"] = q.me.FediverseSharing
	d["Handle"] = w.handle(q.me)
	d["Welcome"] = q.r.URL.Query().Get("welcome") != ""
	d["Saved"] = q.r.URL.Query().Get("saved") != ""
	return w.show(q, 0, "settings_fediverse", d)
}

// saveFediverse is POST /settings/fediverse.
func (w *Web) saveFediverse(q *req) error {
	on := q.r.PostFormValue("fediverse_sharing") == "on"
	if _, err := w.svc.UpdateProfile(q.r.Context(), q.me.ID, service.ProfileUpdate{FediverseSharing: &on}); err != nil {
		return err
	}
	return redirect(q, "/settings/fediverse?saved=1")
}

// settingsPassword is GET /settings/password.
func (w *Web) settingsPassword(q *req) error {
	if q.me == nil {
		return errSignIn
	}
	d := w.data(q, "Password", "settings")
	d["Saved"] = q.r.URL.Query().Get("saved") != ""
	return w.show(q, 0, "settings_password", d)
}

// savePassword is POST /settings/password.
func (w *Web) savePassword(q *req) error {
	next := q.r.PostFormValue("password")
	if next != q.r.PostFormValue("password_confirmation") {
		d := w.data(q, "Password", "settings")
		d["Problem"] = "The new passwords do not match."
		return w.show(q, http.StatusUnprocessableEntity, "settings_password", d)
	}
	if err := w.svc.ChangePassword(q.r.Context(), q.me.ID, q.r.PostFormValue("current_password"), next, q.sess.Key); err != nil {
		msg, ok := asModelError(err)
		if !ok {
			return err
		}
		d := w.data(q, "Password", "settings")
		d["Problem"] = msg
		return w.show(q, http.StatusUnprocessableEntity, "settings_password", d)
	}
	return redirect(q, "/settings/password?saved=1")
}

// asModelError gives a refusal's message (false for failures).
func asModelError(err error) (string, bool) {
	for _, kind := range []error{model.ErrInvalid, model.ErrConflict, model.ErrUnauthorized, model.ErrForbidden, model.ErrLimit} {
		if errors.Is(err, kind) {
			return model.Message(err), true
		}
	}
	return "", false
}
