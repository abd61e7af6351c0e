package service

import (
	"context"

	"weft/internal/model"
	"weft/internal/policy"
	"weft/internal/store"
)

// StatusView is a status as one viewer sees it: with its author, mentioned
// accounts, the boosted post for a boost, and the viewer's own flags.
type StatusView struct {
	Viewer     int64 // who sees it; 0 for anonymous
	Status     *model.Status
	Account    *model.Account
	Reblog     *StatusView // the boosted post, for a boost
	Mentions   []*model.Account
	Favourited bool
	Reblogged  bool
	Bookmarked bool
	Pinned     bool
	Muted      bool // the viewer muted this conversation
}

// sight is what one viewer's policy checks need: their relations to the
// accounts involved, as a policy.Viewer, plus the relations themselves for
// the timeline filters (mutes, boosts switched off).
type sight struct {
	rel    *store.Relations
	viewer policy.Viewer
}

func (s *Service) sightOf(ctx context.Context, q store.Queries, viewer int64, accountIDs []int64) (*sight, error) {
	rel, err := q.RelationsOf(ctx, viewer, accountIDs, s.clock())
	if err != nil {
		return nil, err
	}
	return newSight(rel), nil
}

func newSight(rel *store.Relations) *sight {
	return &sight{rel: rel, viewer: policy.Viewer{
		ID:        rel.Viewer,
		Following: func(id int64) bool { _, ok := rel.Following[id]; return ok },
		Blocks:    func(id int64) bool { return rel.Blocking[id] || rel.BlockedBy[id] },
	}}
}

func (v *sight) canSee(st *model.Status, author *model.Account) bool {
	return policy.CanSee(v.viewer, policy.PostOf(st, author))
}

func (v *sight) muted(accountID int64) bool { return v.rel.Muting[accountID] != nil }

// filter says what a read path hides beyond the visibility policy.
type filter struct {
	mutes bool // hide posts and boosts by muted accounts (timelines, not threads or profiles)
	// limited: hide posts by accounts of servers the admin limited, unless
	// the viewer follows them (public and hashtag timelines).
	limited *domainSet
}

// hydrate turns statuses into views for a viewer, in order, dropping every
// one the viewer may not see (and boosts whose post they may not see).
func (s *Service) hydrate(ctx context.Context, q store.Queries, viewer int64, list []*model.Status, f filter) ([]*StatusView, error) {
	if len(list) == 0 {
		return nil, nil
	}
	// The viewer's revision is read before any of what it guards (their
	// relations and flags), once for the whole list.
	ctx, err := q.WithViewerRev(ctx, viewer)
	if err != nil {
		return nil, err
	}
	var originalIDs []int64
	for _, st := range list {
		if st.IsReblog() {
			originalIDs = append(originalIDs, st.ReblogOfID)
		}
	}
	originals, err := q.StatusesByIDs(ctx, originalIDs)
	if err != nil {
		return nil, err
	}
	accountIDs := make([]int64, 0, len(list)*2)
	all := make([]*model.Status, 0, len(list)+len(originals))
	all = append(all, list...)
	for _, o := range originals {
		all = append(all, o)
	}
	for _, st := range all {
		accountIDs = append(accountIDs, st.AccountID)
		accountIDs = append(accountIDs, st.Mentions...)
	}
	accounts, err := q.AccountsByIDs(ctx, accountIDs)
	if err != nil {
		return nil, err
	}
	authorIDs := make([]int64, 0, len(all))
	for _, st := range all {
		authorIDs = append(authorIDs, st.AccountID)
	}
	v, err := s.sightOf(ctx, q, viewer, authorIDs)
	if err != nil {
		return nil, err
	}
	visible := func(st *model.Status) bool {
		if !v.canSee(st, accounts[st.AccountID]) {
			return false
		}
		if f.mutes && st.AccountID != viewer && v.muted(st.AccountID) {
			return false
		}
		if a := accounts[st.AccountID]; f.limited != nil && a != nil && !a.Local() && f.limited.covers(a.Domain) {
			_, follows := v.rel.Following[st.AccountID]
			return follows
		}
		return true
	}
	// shown lists the visible entries (boosts with their post) once, for
	// the flags query and for building the views.
	var shown, flagged []*model.Status
	for _, st := range list {
		if !visible(st) {
			continue
		}
		if st.IsReblog() {
			o := originals[st.ReblogOfID]
			if o == nil || !visible(o) {
				continue
			}
			flagged = append(flagged, o)
		}
		shown = append(shown, st)
		flagged = append(flagged, st)
	}
	flags, err := q.ViewerFlagsFor(ctx, viewer, flagged)
	if err != nil {
		return nil, err
	}
	build := func(st *model.Status) *StatusView {
		sv := &StatusView{Viewer: viewer, Status: st, Account: accounts[st.AccountID],
			Favourited: flags.Favourited[st.ID], Reblogged: flags.Reblogged[st.ID], Bookmarked: flags.Bookmarked[st.ID],
			Pinned: flags.Pinned[st.ID], Muted: flags.Muted[st.ID]}
		for _, m := range st.Mentions {
			if a := accounts[m]; a != nil {
				sv.Mentions = append(sv.Mentions, a)
			}
		}
		return sv
	}
	out := make([]*StatusView, 0, len(shown))
	for _, st := range shown {
		sv := build(st)
		if st.IsReblog() {
			sv.Reblog = build(originals[st.ReblogOfID])
		}
		out = append(out, sv)
	}
	return out, nil
}

// visibleStatus loads one status the viewer may see, or ErrNotFound — the
// same answer whether it does not exist or is hidden, so nothing leaks.
func (s *Service) visibleStatus(ctx context.Context, q store.Queries, viewer, statusID int64) (*model.Status, *model.Account, error) {
	st, err := q.StatusByID(ctx, statusID)
	if err != nil {
		return nil, nil, err
	}
	author, err := q.AccountByID(ctx, st.AccountID)
	if err != nil {
		return nil, nil, err
	}
	v, err := s.sightOf(ctx, q, viewer, []int64{st.AccountID})
	if err != nil {
		return nil, nil, err
	}
	if !v.canSee(st, author) {
		return nil, nil, model.NotFound("status")
	}
	return st, author, nil
}

// visibleStatusAs is visibleStatus for an acting account, local or remote:
// a remote account (acting through federation) sees nothing of members who
// do not share with the fediverse.
func (s *Service) visibleStatusAs(ctx context.Context, q store.Queries, actor *model.Account, statusID int64) (*model.Status, *model.Account, error) {
	if actor.Local() {
		return s.visibleStatus(ctx, q, actor.ID, statusID)
	}
	st, err := q.StatusByID(ctx, statusID)
	if err != nil {
		return nil, nil, err
	}
	author, err := q.AccountByID(ctx, st.AccountID)
	if err != nil {
		return nil, nil, err
	}
	v, err := s.sightOf(ctx, q, actor.ID, []int64{st.AccountID})
	if err != nil {
		return nil, nil, err
	}
	v.viewer.Remote = true
	if !v.canSee(st, author) {
		return nil, nil, model.NotFound("status")
	}
	return st, author, nil
}

// statusView returns one status as the viewer sees it.
func (s *Service) statusView(ctx context.Context, q store.Queries, viewer int64, st *model.Status) (*StatusView, error) {
	views, err := s.hydrate(ctx, q, viewer, []*model.Status{st}, filter{})
	if err != nil {
		return nil, err
	}
	if len(views) == 0 {
		return nil, model.NotFound("status")
	}
	return views[0], nil
}
