package store_test

import (
	"slices"
	"testing"

	"weft/internal/model"
	"weft/internal/store"
	"weft/internal/testkit"
)

func usernames(list []*model.Account) []string {
	out := make([]string, len(list))
	for i, a := range list {
		out[i] = a.Username
	}
	return out
}

func TestSearchLocalAccounts(t *testing.T) {
	t.Parallel()
	testkit.EachDB(t, func(t *testing.T, st *store.Store) {
		f := newFx(t, st)
		named := func(name string) func(*model.Account) { return func(a *model.Account) { a.DisplayName = name } }
		viewer := f.account("viewer")
		al := f.account("Al", named("Zed"))
		alice := f.account("alice", named("Alice A"))
		alfred := f.account("alfred")
		zoe := f.account("zoe", named("ALbert's friend")) // display name only
		yann := f.account("yann", named("alchemist"))     // display name only
		f.account("bob", named("Bob"))                    // no match
		f.account("alremote", remote("remote.example"))   // remote: not searched
		gone := f.account("alsuspended", func(a *model.Account) { a.SuspendedAt = ptr(nowMS()) })
		blocker := f.account("alblocker")
		blocked := f.account("alblocked")
		f.block(blocker, viewer)
		f.block(viewer, blocked)
		_ = gone

		search := func(s store.AccountSearch) []string {
			t.Helper()
			list, err := f.q.SearchLocalAccounts(f.ctx, s)
			ok(t, err)
			return usernames(list)
		}
		// Usernames first (exact first, then in order), then display names.
		same(t, "search al", search(store.AccountSearch{Prefix: "AL", Viewer: viewer.ID, Limit: 40}),
			[]string{al.Username, alfred.Username, alice.Username, zoe.Username, yann.Username})
		// Anonymous searches still hide suspended accounts, not blocks.
		same(t, "anonymous", search(store.AccountSearch{Prefix: "al", Limit: 40}),
			[]string{al.Username, "alblocked", "alblocker", alfred.Username, alice.Username, zoe.Username, yann.Username})
		// Offsets page through the one list, across both parts.
		var paged []string
		for off := 0; off < 6; off += 2 {
			paged = append(paged, search(store.AccountSearch{Prefix: "al", Viewer: viewer.ID, Limit: 2, Offset: off})...)
		}
		same(t, "paged", paged, []string{al.Username, alfred.Username, alice.Username, zoe.Username, yann.Username})
		// Display names match from their start only, any case.
		same(t, "alice a", search(store.AccountSearch{Prefix: "alice a", Viewer: viewer.ID, Limit: 40}), []string{alice.Username})
		same(t, "friend", search(store.AccountSearch{Prefix: "friend", Viewer: viewer.ID, Limit: 40}), []string(nil))
		// Only followed accounts.
		f.follow(viewer, alice)
		f.follow(viewer, yann)
		same(t, "following", search(store.AccountSearch{Prefix: "al", Viewer: viewer.ID, Following: true, Limit: 40}),
			[]string{alice.Username, yann.Username})
		// Characters that mean something to LIKE mean nothing here.
		same(t, "percent", search(store.AccountSearch{Prefix: "%", Viewer: viewer.ID, Limit: 40}), []string(nil))
		same(t, "underscore", search(store.AccountSearch{Prefix: "a_", Viewer: viewer.ID, Limit: 40}), []string(nil))
		same(t, "empty", search(store.AccountSearch{Prefix: "", Limit: 40}), []string(nil))
	})
}

func TestFamiliarFollowers(t *testing.T) {
	t.Parallel()
	testkit.EachDB(t, func(t *testing.T, st *store.Store) {
		f := newFx(t, st)
		viewer, target, other := f.account("viewer"), f.account("target"), f.account("other")
		friends := f.accounts("friend", 3)
		stranger := f.account("stranger")
		for _, fr := range friends {
			f.follow(viewer, fr)
		}
		f.follow(friends[0], target)
		f.follow(friends[2], target)
		f.follow(stranger, target) // the viewer does not follow them
		f.follow(friends[1], other)
		gone := f.account("gone")
		f.follow(viewer, gone)
		f.follow(gone, target)
		f.tx(func(tx *store.Tx) error { return tx.SetAccountSuspended(f.ctx, gone.ID, ptr(nowMS())) })

		got, err := f.q.FamiliarFollowers(f.ctx, viewer.ID, []int64{target.ID, other.ID, stranger.ID}, 40)
		ok(t, err)
		same(t, "target", got[target.ID], []int64{friends[2].ID, friends[0].ID}) // newest follow first
		same(t, "other", got[other.ID], []int64{friends[1].ID})
		if len(got[stranger.ID]) != 0 {
			t.Fatalf("stranger: %v", got[stranger.ID])
		}
		got, err = f.q.FamiliarFollowers(f.ctx, viewer.ID, []int64{target.ID}, 1)
		ok(t, err)
		same(t, "limited", got[target.ID], []int64{friends[2].ID})
		if !slices.Equal(got[other.ID], nil) {
			t.Fatalf("not asked: %v", got[other.ID])
		}
	})
}
