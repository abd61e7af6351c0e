package web

import (
	"net/http"
	"strconv"

	"weft/internal/model"
	"weft/internal/service"
)

// reportCategory is a choice of the report form, in Mastodon's categories.
type reportCategory struct {
	Value, Label, Hint string
	Checked            bool
}

var reportCategories = []reportCategory{
	{Value: "spam", Label: "It's spam", Hint: "Ads, scams, the same thing again and again"},
	{Value: "violation", Label: "It breaks this server's rules", Hint: "Choose which ones below"},
	{Value: "legal", Label: "It's illegal", Hint: "You think it breaks the law where you or the server are"},
	{Value: "other", Label: "Something else", Hint: "Say what in the comment"},
}

// reportPage is GET /reports/new?account_id=…[&status_id=…]: the report
// form for an account, or for one of its posts, as Mastodon's dialog asks.
func (w *Web) reportPage(q *req) error {
	if q.me == nil {
		return errSignIn
	}
	return w.showReport(q, 0, "")
}

func (w *Web) showReport(q *req, status int, problem string) error {
	ctx := q.r.Context()
	v := q.r.URL.Query()
	if q.r.Method == http.MethodPost {
		v = q.r.PostForm
	}
	accountID, err := strconv.ParseInt(v.Get("account_id"), 10, 64)
	if err != nil {
		return model.NotFound("account")
	}
	acc, err := w.svc.Account(ctx, q.me.ID, accountID)
	if err != nil {
		return err
	}
	if acc.ID == q.me.ID {
		return model.Invalid("account_id", "you cannot report yourself")
	}
	d := w.data(q, "Report "+w.handle(acc), "")
	target := w.account(acc)
	d["Target"] = target
	if id, err := strconv.ParseInt(v.Get("status_id"), 10, 64); err == nil {
		sv, err := w.svc.Status(ctx, q.me.ID, id)
		if err != nil {
			return err
		}
		if sv.Status.AccountID != acc.ID {
			return model.NotFound("status")
		}
		d["Post"], d["StatusID"] = w.post(sv, w.now()), strconv.FormatInt(id, 10)
		d["Shown"] = map[string]any{}
	}
	chosen := v.Get("category")
	cats := make([]reportCategory, len(reportCategories))
	copy(cats, reportCategories)
	for i := range cats {
		cats[i].Checked = cats[i].Value == chosen
	}
	d["Categories"], d["Rules"], d["Comment"] = cats, w.svc.InstanceInfo(ctx).Rules, v.Get("comment")
	picked := map[string]bool{}
	for _, r := range v["rule_ids"] {
		picked[r] = true
	}
	d["Picked"], d["Forward"] = picked, v.Get("forward") != ""
	d["Problem"] = problem
	back := localPath(v.Get("return_to"))
	if back == "/" {
		back = target.Path
	}
	d["Back"] = back
	return w.show(q, status, "report", d)
}

// report is POST /reports: the report goes to this server's admins (and,
// when asked, an anonymous copy to the account's server).
func (w *Web) report(q *req) error {
	f := q.r.PostForm
	accountID, err := strconv.ParseInt(f.Get("account_id"), 10, 64)
	if err != nil {
		return model.NotFound("account")
	}
	in := service.ReportInput{AccountID: accountID, Comment: f.Get("comment"), Category: f.Get("category"),
		Forward: f.Get("forward") != ""}
	if in.Category == "" {
		return w.showReport(q, http.StatusUnprocessableEntity, "Choose what is wrong.")
	}
	if in.Category == "violation" {
		in.RuleIDs = f["rule_ids"]
		if len(in.RuleIDs) == 0 && len(w.svc.InstanceInfo(q.r.Context()).Rules) > 0 {
			return w.showReport(q, http.StatusUnprocessableEntity, "Choose the rules it breaks.")
		}
	}
	if id, err := strconv.ParseInt(f.Get("status_id"), 10, 64); err == nil {
		in.StatusIDs = []int64{id}
	}
	if _, err := w.svc.CreateReport(q.r.Context(), q.me.ID, in); err != nil {
		if msg, refused := asModelError(err); refused {
			return w.showReport(q, http.StatusUnprocessableEntity, msg)
		}
		return err
	}
	return redirect(q, withNotice(f.Get("return_to"), "reported"))
}
