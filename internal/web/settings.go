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
	return w.showProfileSettings(q, 0, nil, nil)
}

// showProfileSettings shows the profile form: the saved profile, or after
// a refusal what was typed (typed), with the problem beside its field.
func (w *Web) showProfileSettings(q *req, status int, problem error, typed *model.Account) error {
	d := w.data(q, "Profile settings", "settings")
	acc := q.me
	if typed != nil {
		acc = typed
	}
	d["Account"] = acc
	fields := append([]model.Field{}, acc.Fields...)
	for len(fields) < model.MaxProfileFields {
		fields = append(fields, model.Field{})
	}
	d["Fields"] = fields
	d["ProblemField"] = ""
	if problem != nil {
		d["Problem"], _ = asModelError(problem)
		if d["Problem"] == "" {
			d["Problem"] = model.Message(problem)
		}
		var e *model.Error
		if errors.As(problem, &e) {
			d["ProblemField"] = e.Field
		}
	}
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
		return w.showProfileSettings(q, http.StatusUnprocessableEntity, model.Invalid("form", "could not be read (are the images too large?)"), nil)
	}
	if !CheckCSRF(q.r, q.sess) {
		return model.Errorf(model.ErrForbidden, "", "This form has expired. Go back, reload the page and try again.")
	}
	if err := formNUL(q.r); err != nil {
		return w.showProfileSettings(q, http.StatusUnprocessableEntity, err, nil)
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
		if _, ok := asModelError(err); ok {
			// What was typed stays, the images aside (a browser cannot
			// be given a file back).
			typed := *q.me
			typed.DisplayName, typed.Note, typed.Fields = name, note, fields
			typed.Locked, typed.Discoverable, typed.Bot, typed.HideCollections = locked, discoverable, bot, hide
			return w.showProfileSettings(q, http.StatusUnprocessableEntity, err, &typed)
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
	d["Problems"] = map[string]string{}
	return w.show(q, 0, "settings_password", d)
}

// savePassword is POST /settings/password. Problems show beside their
// fields, all at once, in plain words.
func (w *Web) savePassword(q *req) error {
	next := q.r.PostFormValue("password")
	problems := map[string]string{}
	if next != q.r.PostFormValue("password_confirmation") {
		problems["password_confirmation"] = "The two new passwords are not the same. Type it again."
	}
	if len(problems) == 0 {
		err := w.svc.ChangePassword(q.r.Context(), q.me.ID, q.r.PostFormValue("current_password"), next, q.sess.Key)
		var e *model.Error
		switch {
		case err == nil:
			return redirect(q, "/settings/password?saved=1")
		case errors.As(err, &e) && e.Field == "current_password":
			problems["current_password"] = "That is not your current password."
		case errors.As(err, &e) && e.Field == "password":
			problems["password"] = "The new password " + e.Msg + "."
		default:
			msg, ok := asModelError(err)
			if !ok {
				return err
			}
			problems["form"] = msg
		}
	}
	d := w.data(q, "Password", "settings")
	d["Problems"] = problems
	return w.show(q, http.StatusUnprocessableEntity, "settings_password", d)
}

// asModelError gives a refusal's message in words (false for failures):
// "The bio is too long (maximum is 500 characters)." rather than the API's
// "note: is too long (maximum is 500 characters)".
func asModelError(err error) (string, bool) {
	for _, kind := range []error{model.ErrInvalid, model.ErrConflict, model.ErrUnauthorized, model.ErrForbidden, model.ErrLimit} {
		if errors.Is(err, kind) {
			var e *model.Error
			if !errors.As(err, &e) || e.Field == "" {
				return model.Message(err), true
			}
			if plain, ok := plainWords[e.Field+"/"+e.Msg]; ok {
				return plain, true
			}
			name, ok := fieldNames[e.Field]
			if !ok {
				name = "This"
			}
			msg := name + " " + e.Msg
			if !strings.HasSuffix(msg, ".") {
				msg += "."
			}
			return msg, true
		}
	}
	return "", false
}

// plainWords say the commonest refusals as a person would.
var plainWords = map[string]string{
	"status/can't be blank": "Write something before posting, or attach a photo.",
	"title/can't be blank":  "Give it a name.",
}

// fieldNames are the fields of weft's forms as a sentence names them.
var fieldNames = map[string]string{
	"display_name": "The display name", "note": "The bio", "fields_attributes": "Profile fields:",
	"form": "The form", "avatar": "The avatar", "header": "The header image", "status": "The post", "spoiler_text": "The content warning",
	"media_ids": "The attachments:", "file": "The file", "description": "The description", "comment": "The comment",
	"title": "The title", "password": "The password", "email": "The email address", "username": "The username",
	"rules": "The rules", "domain": "The domain", "reason": "The reason", "poll": "The poll", "focus": "The point to keep in view",
}
