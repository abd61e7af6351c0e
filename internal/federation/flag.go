package federation

import (
	"context"
	"strconv"

	"weft/internal/ap"
	"weft/internal/model"
	"weft/internal/service"
)

// buildFlag renders a report forwarded to the reported account's server:
// a Flag from this server's instance actor naming the account and posts,
// with the reporter's comment but never the reporter.
func (f *Federation) buildFlag(ctx context.Context, args service.FederateArgs) (*activity, []string, error) {
	r, err := f.svc.ReportByID(ctx, args.ObjectID)
	if err != nil {
		return nil, nil, err
	}
	target, err := f.svc.AccountByID(ctx, r.TargetAccountID)
	if err != nil {
		return nil, nil, err
	}
	inbox, err := f.personalInbox(ctx, target)
	if err != nil {
		return nil, nil, err
	}
	objects := []string{target.URI}
	for _, id := range r.StatusIDs {
		fs, err := f.svc.FediverseStatusByID(ctx, id)
		if err == nil && !fs.Status.Local {
			objects = append(objects, fs.Status.URI)
		}
	}
	instance := f.cfg.BaseURL + "/actor"
	return &activity{Context: ContextNote, ID: instance + "#reports/" + strconv.FormatInt(r.ID, 10), Type: "Flag",
		Actor: instance, Object: objects, Content: r.Comment}, []string{inbox}, nil
}

// applyFlag stores a report from another server of local accounts (and
// their posts) for this server's moderators.
func (f *Federation) applyFlag(ctx context.Context, actor *model.Account, act *ap.Object) error {
	var targets []*model.Account
	var statuses []*model.Status
	for _, ref := range act.Objects {
		if !f.svc.IsLocalURI(ref.ID) {
			continue
		}
		if acc, err := f.localAccount(ctx, ref.ID); err == nil {
			targets = append(targets, acc)
		} else if st, err := f.svc.StatusByURI(ctx, ref.ID); err == nil {
			statuses = append(statuses, st)
		}
	}
	for _, st := range statuses { // posts alone name their authors
		found := false
		for _, t := range targets {
			found = found || t.ID == st.AccountID
		}
		if !found {
			if acc, err := f.svc.AccountByID(ctx, st.AccountID); err == nil {
				targets = append(targets, acc)
			}
		}
	}
	for _, t := range targets {
		var ids []int64
		for _, st := range statuses {
			if st.AccountID == t.ID {
				ids = append(ids, st.ID)
			}
		}
		uri := act.ID
		if len(targets) > 1 && uri != "" {
			uri += "#" + strconv.FormatInt(t.ID, 10) // one report per account, each deduplicated
		}
		if err := f.svc.RemoteReport(ctx, actor.ID, t.ID, ids, act.Content, uri); err != nil {
			return err
		}
	}
	return nil
}
