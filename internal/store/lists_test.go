package store_test

import (
	"testing"

	"weft/internal/model"
	"weft/internal/store"
	"weft/internal/testkit"
)

func (f *fx) list(owner *model.Account, exclusive bool) *model.List {
	f.t.Helper()
	l := &model.List{ID: ids.Next(), AccountID: owner.ID, Title: "l", RepliesPolicy: model.RepliesList, Exclusive: exclusive, CreatedAt: nowMS()}
	f.tx(func(tx *store.Tx) error { return tx.InsertList(f.ctx, l) })
	return l
}

func (f *fx) member(l *model.List, fl *model.Follow) bool {
	f.t.Helper()
	var added bool
	f.tx(func(tx *store.Tx) (err error) {
		added, err = tx.AddListAccount(f.ctx, ids.Next(), l.ID, fl.TargetAccountID, fl.ID, nowMS())
		return err
	})
	return added
}

func (f *fx) listed(l *model.List, s *model.Status) {
	f.t.Helper()
	f.tx(func(tx *store.Tx) error {
		_, err := tx.InsertListEntry(f.ctx, l.ID, store.FeedEntry{EntryID: s.ID, ObjectID: s.ID, AuthorID: s.AccountID}, 40)
		return err
	})
}

func (f *fx) listTimeline(l *model.List) []int64 {
	f.t.Helper()
	list, err := f.q.ListTimeline(f.ctx, l.ID, l.AccountID, model.Page{Limit: 40}, nowMS())
	ok(f.t, err)
	return statusIDs(list)
}

// Lists belong to their owner; a membership ends with the follow it hangs
// on, and the list's timeline then skips the former member's entries.
func TestListsAndMembers(t *testing.T) {
	t.Parallel()
	testkit.EachDB(t, func(t *testing.T, st *store.Store) {
		f := newFx(t, st)
		me, other, bob, carol := f.account("me"), f.account("other"), f.account("bob"), f.account("carol")
		l, excl := f.list(me, false), f.list(me, true)
		_, err := f.q.List(f.ctx, other.ID, l.ID)
		isKind(t, err, model.ErrNotFound)
		l.Title, l.RepliesPolicy = "renamed", model.RepliesNone
		f.tx(func(tx *store.Tx) error { return tx.UpdateList(f.ctx, l) })
		got, err := f.q.List(f.ctx, me.ID, l.ID)
		ok(t, err)
		same(t, "updated list", *got, *l)
		f.tx(func(tx *store.Tx) error {
			isKind(t, tx.UpdateList(f.ctx, &model.List{ID: l.ID, AccountID: other.ID, Title: "x", RepliesPolicy: model.RepliesList}), model.ErrNotFound)
			return nil
		})

		toBob, toCarol := f.follow(me, bob), f.follow(me, carol)
		if !f.member(l, toBob) || f.member(l, toBob) {
			t.Fatal("add member: want added once")
		}
		f.member(l, toCarol)
		f.member(excl, toBob)
		page, err := f.q.ListAccounts(f.ctx, l.ID, model.Page{Limit: 40})
		ok(t, err)
		same(t, "members", page.AccountIDs, []int64{carol.ID, bob.ID})

		// The fan-out's view: my lists with bob, and whether carol is in them too.
		targets, err := f.q.ListsForFanOut(f.ctx, bob.ID, []int64{me.ID, other.ID}, carol.ID)
		ok(t, err)
		if len(targets[me.ID]) != 2 || len(targets[other.ID]) != 0 {
			t.Fatalf("fan-out targets: %+v", targets)
		}
		for _, tg := range targets[me.ID] {
			if tg.Exclusive != (tg.ListID == excl.ID) || tg.RepliedIsMember != (tg.ListID == l.ID) {
				t.Fatalf("target %+v", tg)
			}
		}

		bobPost, carolPost := f.status(bob), f.status(carol)
		f.listed(l, bobPost)
		f.listed(l, carolPost)
		same(t, "list timeline", f.listTimeline(l), []int64{carolPost.ID, bobPost.ID})
		// Unfollowing bob ends his memberships; removing carol takes her entries.
		f.tx(func(tx *store.Tx) error { _, err := tx.DeleteFollow(f.ctx, me.ID, bob.ID); return err })
		same(t, "after unfollow", f.listTimeline(l), []int64{carolPost.ID})
		lists, err := f.q.ListsWithMember(f.ctx, me.ID, bob.ID)
		ok(t, err)
		same(t, "bob's lists", len(lists), 0)
		f.tx(func(tx *store.Tx) error { return tx.RemoveListAccounts(f.ctx, l.ID, []int64{carol.ID}) })
		same(t, "after removal", f.listTimeline(l), []int64(nil))

		var deleted bool
		f.tx(func(tx *store.Tx) (err error) { deleted, err = tx.DeleteList(f.ctx, other.ID, l.ID); return err })
		same(t, "delete someone else's", deleted, false)
		f.tx(func(tx *store.Tx) (err error) { deleted, err = tx.DeleteList(f.ctx, me.ID, l.ID); return err })
		same(t, "delete mine", deleted, true)
		all, err := f.q.ListsOf(f.ctx, me.ID)
		ok(t, err)
		same(t, "lists left", len(all), 1)
	})
}

// Conversations are read from direct posts; their state is per participant.
func TestConversationRows(t *testing.T) {
	t.Parallel()
	testkit.EachDB(t, func(t *testing.T, st *store.Store) {
		f := newFx(t, st)
		me, bob, eve := f.account("me"), f.account("bob"), f.account("eve")
		dm := func(author, to *model.Account, mods ...func(*model.Status)) *model.Status {
			s := f.status(author, append([]func(*model.Status){visibility(model.Direct)}, mods...)...)
			f.tx(func(tx *store.Tx) error { return tx.AddMentions(f.ctx, s.ID, []int64{to.ID}) })
			return s
		}
		first := dm(bob, me)
		f.status(bob, replyTo(first)) // public: not part of it
		last := dm(me, bob, replyTo(first))
		dm(bob, eve) // not mine
		rows, err := f.q.Conversations(f.ctx, me.ID, model.Page{Limit: 20}, nowMS())
		ok(t, err)
		same(t, "conversations", rows, []store.ConversationRow{{ConversationID: first.ID, LastStatusID: last.ID}})
		_, err = f.q.Conversation(f.ctx, eve.ID, first.ID, nowMS())
		isKind(t, err, model.ErrNotFound)

		f.tx(func(tx *store.Tx) error { return tx.MarkConversationRead(f.ctx, me.ID, first.ID, last.ID) })
		f.tx(func(tx *store.Tx) error { return tx.HideConversation(f.ctx, me.ID, first.ID, last.ID) })
		rows, err = f.q.Conversations(f.ctx, me.ID, model.Page{Limit: 20}, nowMS())
		ok(t, err)
		same(t, "after hiding", len(rows), 0)
		row, err := f.q.Conversation(f.ctx, me.ID, first.ID, nowMS())
		ok(t, err)
		same(t, "hidden but there", row, store.ConversationRow{ConversationID: first.ID, LastStatusID: last.ID, LastReadID: last.ID})
		newer := dm(bob, me, replyTo(first))
		rows, err = f.q.Conversations(f.ctx, me.ID, model.Page{Limit: 20}, nowMS())
		ok(t, err)
		same(t, "back with a newer post", rows, []store.ConversationRow{{ConversationID: first.ID, LastStatusID: newer.ID, LastReadID: last.ID}})
	})
}
