package service_test

// Helpers shared by the behaviour tests (accounts_test.go, posts_test.go …).
// They hang off one small fixture type so their names cannot clash with
// helpers of other test files in this package.

import (
	"context"
	"errors"
	"slices"
	"testing"

	"weft/internal/model"
	"weft/internal/service"
	"weft/internal/store"
	"weft/internal/testkit"
)

// fx is a test's core plus the test, for short assertions.
type fx struct {
	t   *testing.T
	c   *testkit.Core
	s   *service.Service
	ctx context.Context
}

func newFx(t *testing.T, c *testkit.Core) *fx {
	return &fx{t: t, c: c, s: c.Service, ctx: context.Background()}
}

// must fails the test on err.
func (f *fx) must(err error, what string) {
	f.t.Helper()
	if err != nil {
		f.t.Fatalf("%s: %v", what, err)
	}
}

// wantErr checks that err wraps kind.
func (f *fx) wantErr(err, kind error, what string) {
	f.t.Helper()
	if !errors.Is(err, kind) {
		f.t.Fatalf("%s: err = %v, want %v", what, err, kind)
	}
}

func (f *fx) post(author *model.Account, text string) *model.Status {
	f.t.Helper()
	return f.c.Post(f.t, author, service.PostInput{Text: text})
}

func (f *fx) postVis(author *model.Account, text string, vis model.Visibility) *model.Status {
	f.t.Helper()
	return f.c.Post(f.t, author, service.PostInput{Text: text, Visibility: vis})
}

func (f *fx) reply(author *model.Account, parent *model.Status, text string) *model.Status {
	f.t.Helper()
	return f.c.Post(f.t, author, service.PostInput{Text: text, InReplyToID: parent.ID})
}

func (f *fx) follow(a, b *model.Account) {
	f.t.Helper()
	_, err := f.s.Follow(f.ctx, a.ID, b.ID, service.FollowOptions{})
	f.must(err, "follow")
}

// account re-reads an account from the store (fresh counters).
func (f *fx) account(id int64) *model.Account {
	f.t.Helper()
	a, err := f.c.Store.Read().AccountByID(f.ctx, id)
	f.must(err, "read account")
	return a
}

// status re-reads a status from the store, deleted or not.
func (f *fx) status(id int64) *model.Status {
	f.t.Helper()
	st, err := f.c.Store.Read().StatusByID(f.ctx, id)
	f.must(err, "read status")
	return st
}

// viewIDs lists the status IDs of views (the boost's own ID for a boost).
func viewIDs(views []*service.StatusView) []int64 {
	out := make([]int64, 0, len(views))
	for _, v := range views {
		out = append(out, v.Status.ID)
	}
	return out
}

func statusIDs(list ...*model.Status) []int64 {
	out := make([]int64, 0, len(list))
	for _, s := range list {
		out = append(out, s.ID)
	}
	return out
}

func (f *fx) home(viewer *model.Account, p model.Page) service.Timeline {
	f.t.Helper()
	tl, err := f.s.HomeTimeline(f.ctx, viewer.ID, p)
	f.must(err, "home timeline")
	return tl
}

func (f *fx) homeIDs(viewer *model.Account) []int64 {
	f.t.Helper()
	return viewIDs(f.home(viewer, model.Page{Limit: model.MaxLimit}).Statuses)
}

func (f *fx) publicIDs(viewer int64) []int64 {
	f.t.Helper()
	tl, err := f.s.PublicTimeline(f.ctx, viewer, store.AllOrigins, model.Page{Limit: model.MaxLimit})
	f.must(err, "public timeline")
	return viewIDs(tl.Statuses)
}

func (f *fx) accountIDs(viewer int64, of *model.Account, o service.AccountTimelineOptions) []int64 {
	f.t.Helper()
	tl, err := f.s.AccountTimeline(f.ctx, viewer, of.ID, o, model.Page{Limit: model.MaxLimit})
	f.must(err, "account timeline")
	return viewIDs(tl.Statuses)
}

// wantIDs compares ID lists, in order.
func (f *fx) wantIDs(got, want []int64, what string) {
	f.t.Helper()
	if !slices.Equal(got, want) {
		f.t.Fatalf("%s = %v, want %v", what, got, want)
	}
}

// notes lists the viewer's notifications, newest first.
func (f *fx) notes(viewer *model.Account, filter service.NotificationFilter) []*service.NotificationView {
	f.t.Helper()
	l, err := f.s.Notifications(f.ctx, viewer.ID, filter, model.Page{Limit: 80})
	f.must(err, "notifications")
	return l.Notifications
}

// noteKinds lists notifications as "type:from-username".
func (f *fx) noteKinds(viewer *model.Account) []string {
	f.t.Helper()
	var out []string
	for _, n := range f.notes(viewer, service.NotificationFilter{}) {
		out = append(out, string(n.Notification.Type)+":"+n.Account.Username)
	}
	slices.Sort(out)
	return out
}

func (f *fx) wantKinds(viewer *model.Account, want ...string) {
	f.t.Helper()
	got := f.noteKinds(viewer)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		f.t.Fatalf("notifications of %s = %v, want %v", viewer.Username, got, want)
	}
}

func (f *fx) rel(a, b *model.Account) model.Relationship {
	f.t.Helper()
	r, err := f.s.Relationship(f.ctx, a.ID, b.ID)
	f.must(err, "relationship")
	return r
}

func accountNames(l service.AccountList) []string {
	var out []string
	for _, a := range l.Accounts {
		out = append(out, a.Username)
	}
	return out
}
