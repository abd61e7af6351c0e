package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"weft/internal/model"
	"weft/internal/service"
)

// adminInstance is GET /admin/instance: the server's name, description,
// rules, privacy policy, who may sign up and the fediverse sharing default.
func (w *Web) adminInstance(q *req) error {
	return w.showInstanceSettings(q, 0, w.svc.InstanceInfo(q.r.Context()), "")
}

func (w *Web) showInstanceSettings(q *req, status int, info service.InstanceInfo, problem string) error {
	d := w.adminData(q, "Server settings", "instance")
	rules := append([]string{}, info.Rules...)
	for range 3 {
		rules = append(rules, "") // room for new ones
	}
	d["Info"], d["Rules"], d["Problem"] = info, rules, problem
	d["Saved"] = q.r.URL.Query().Get("saved") != ""
	return w.show(q, status, "admin_instance", d)
}

// adminSaveInstance is POST /admin/instance.
func (w *Web) adminSaveInstance(q *req) error {
	f := q.r.PostForm
	in := service.InstanceInfo{Name: f.Get("name"), Description: f.Get("description"), Rules: f["rule"],
		PrivacyPolicy: f.Get("privacy_policy"), Registrations: f.Get("registrations"),
		FediverseSharingDefault: f.Get("fediverse_sharing_default") == "on", PublicFeedHidden: f.Get("public_feed") != "on"}
	if _, err := w.svc.UpdateInstanceInfo(q.r.Context(), q.me.ID, in); err != nil {
		if msg, ok := asModelError(err); ok {
			return w.showInstanceSettings(q, http.StatusUnprocessableEntity, in, msg)
		}
		return err
	}
	return redirect(q, "/admin/instance?saved=1")
}

// adminResolveReport is POST /admin/reports/{id}/resolve.
func (w *Web) adminResolveReport(q *req) error {
	id, err := strconv.ParseInt(q.r.PathValue("id"), 10, 64)
	if err != nil {
		return model.NotFound("report")
	}
	if err := w.svc.ResolveReport(q.r.Context(), q.me.ID, id); err != nil {
		return err
	}
	return redirect(q, "/admin/reports?done=resolved&who="+strings.TrimSpace(q.r.PostFormValue("who")))
}

// adminAnswerSignUp is POST /admin/signups/{id}/approve|reject.
func (w *Web) adminAnswerSignUp(q *req) error {
	id, err := strconv.ParseInt(q.r.PathValue("id"), 10, 64)
	if err != nil {
		return model.NotFound("sign-up")
	}
	verb := q.r.PathValue("verb")
	switch verb {
	case "approve":
		err = w.svc.ApproveSignUp(q.r.Context(), q.me.ID, id)
		verb = "approved"
	case "reject":
		err = w.svc.RejectSignUp(q.r.Context(), q.me.ID, id)
		verb = "rejected"
	default:
		return model.NotFound("action")
	}
	if err != nil {
		return err
	}
	return redirect(q, "/admin/users?done="+verb+"&who="+url.QueryEscape(q.r.PostFormValue("who")))
}
