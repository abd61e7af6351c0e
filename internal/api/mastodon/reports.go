package mastodon

import (
	"net/http"
	"strconv"

	"weft/internal/model"
	"weft/internal/service"
)

func (a *API) reportRoutes(mux *http.ServeMux) {
	a.route(mux, "POST /api/v1/reports", userScope("write:reports"), a.createReport)
}

// Report is Mastodon's Report entity.
type Report struct {
	ID            string   `json:"id"`
	ActionTaken   bool     `json:"action_taken"`
	ActionTakenAt *string  `json:"action_taken_at"`
	Category      string   `json:"category"`
	Comment       string   `json:"comment"`
	Forwarded     bool     `json:"forwarded"`
	CreatedAt     string   `json:"created_at"`
	StatusIDs     []string `json:"status_ids"`
	RuleIDs       []string `json:"rule_ids"`
	TargetAccount Account  `json:"target_account"`
}

// createReport files a report: account_id, status_ids[], comment,
// forward, category, rule_ids[].
func (a *API) createReport(c *call) (any, error) {
	target, err := c.params.ID("account_id")
	if err != nil {
		return nil, err
	}
	in := service.ReportInput{AccountID: target, Comment: c.params.String("comment"),
		Category: c.params.String("category"), RuleIDs: c.params.Strings("rule_ids")}
	for _, s := range c.params.Strings("status_ids") {
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil || id <= 0 {
			return nil, model.Invalid("status_ids", "must be post IDs")
		}
		in.StatusIDs = append(in.StatusIDs, id)
	}
	if v, set, err := c.params.Bool("forward"); err != nil {
		return nil, err
	} else if set {
		in.Forward = v
	}
	r, err := a.svc.CreateReport(c.ctx(), c.viewer(), in)
	if err != nil {
		return nil, err
	}
	acc, err := a.svc.Account(c.ctx(), c.viewer(), r.TargetAccountID)
	if err != nil {
		return nil, err
	}
	out := Report{ID: idStr(r.ID), Category: r.Category, Comment: r.Comment, Forwarded: r.Forwarded,
		CreatedAt: timestamp(r.CreatedAt), StatusIDs: []string{}, RuleIDs: r.RuleIDs,
		TargetAccount: a.account(acc)}
	if out.RuleIDs == nil {
		out.RuleIDs = []string{}
	}
	for _, id := range r.StatusIDs {
		out.StatusIDs = append(out.StatusIDs, idStr(id))
	}
	return out, nil
}
