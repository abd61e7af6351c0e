package store_test

import (
	"testing"

	"weft/internal/model"
	"weft/internal/store"
	"weft/internal/testkit"
)

func TestAccountStatuses(t *testing.T) {
	t.Parallel()
	testkit.EachDB(t, func(t *testing.T, st *store.Store) {
		f := newFx(t, st)
		alice, me, bob := f.account("alice"), f.account("me"), f.account("bob")
		mentioning := func(s *model.Status) { s.Mentions = []int64{me.ID} }
		post := func(mods ...func(*model.Status)) int64 {
			s := f.status(alice, mods...)
			if s.Mentions != nil {
				f.tx(func(tx *store.Tx) error { return tx.SetMentions(f.ctx, s.ID, s.Mentions) })
			}
			return s.ID
		}
		bobPost := f.status(bob)
		pub := post()
		unl := post(visibility(model.Unlisted))
		priv := post(visibility(model.Private))
		post(visibility(model.Direct))
		privMention := post(visibility(model.Private), mentioning)
		dirMention := post(visibility(model.Direct), mentioning)
		selfReply := post(func(s *model.Status) {
			s.InReplyToID, s.InReplyToAccountID, s.ThreadID, s.ConversationID = pub, alice.ID, pub, pub
		})
		replyOther := post(replyTo(bobPost))
		boost := f.boost(alice, bobPost).ID
		tagID := f.tag("Go", "go")
		tagged := post()
		f.tx(func(tx *store.Tx) error { return tx.SetTags(f.ctx, tagged, []int64{tagID}) })
		gone := post()
		f.tx(func(tx *store.Tx) error { return tx.SoftDeleteStatus(f.ctx, gone, nowMS()) })
		f.status(bob, mentioning) // someone else's

		open := []model.Visibility{model.Public, model.Unlisted}
		follower := []model.Visibility{model.Public, model.Unlisted, model.Private}
		for _, c := range []struct {
			name string
			q    store.AccountQuery
			want []int64
		}{
			{"public, viewer mentioned", store.AccountQuery{Viewer: me.ID, Visibilities: open},
				[]int64{tagged, boost, replyOther, selfReply, dirMention, privMention, unl, pub}},
			{"follower", store.AccountQuery{Viewer: me.ID, Visibilities: follower},
				[]int64{tagged, boost, replyOther, selfReply, dirMention, privMention, priv, unl, pub}},
			{"anonymous", store.AccountQuery{Visibilities: open},
				[]int64{tagged, boost, replyOther, selfReply, unl, pub}},
			{"no visibilities, only mentions", store.AccountQuery{Viewer: me.ID}, []int64{dirMention, privMention}},
			{"anonymous, no visibilities", store.AccountQuery{}, nil},
			{"exclude replies keeps self-replies", store.AccountQuery{Viewer: me.ID, Visibilities: open, ExcludeReplies: true},
				[]int64{tagged, boost, selfReply, dirMention, privMention, unl, pub}},
			{"only replies to others", store.AccountQuery{Viewer: me.ID, Visibilities: open, OnlyReplies: true},
				[]int64{replyOther}},
			{"exclude reblogs", store.AccountQuery{Visibilities: open, ExcludeReblogs: true},
				[]int64{tagged, replyOther, selfReply, unl, pub}},
			{"tagged", store.AccountQuery{Visibilities: open, TagID: tagID}, []int64{tagged}},
			{"everything at once", store.AccountQuery{Viewer: me.ID, Visibilities: follower, ExcludeReplies: true,
				ExcludeReblogs: true, TagID: tagID}, []int64{tagged}},
		} {
			q := c.q
			q.AccountID, q.Page = alice.ID, model.Page{Limit: 40}
			list, err := f.q.AccountStatuses(f.ctx, q, nowMS())
			ok(t, err)
			same(t, c.name, statusIDs(list), c.want)
		}
	})
}

func TestAccountStatusesRelations(t *testing.T) {
	t.Parallel()
	testkit.EachDB(t, func(t *testing.T, st *store.Store) {
		f := newFx(t, st)
		me := f.account("me")
		now := nowMS()
		world := f.hidingWorld(me, now)
		for _, h := range world {
			list, err := f.q.AccountStatuses(f.ctx, store.AccountQuery{AccountID: h.post.AccountID, Viewer: me.ID,
				Visibilities: []model.Visibility{model.Public}, Page: model.Page{Limit: 40}}, now)
			ok(t, err)
			// Mutes do not hide a profile's posts; the rest does.
			var want []int64
			for _, o := range world {
				if o.post.AccountID == h.post.AccountID && !o.always {
					want = append(want, o.post.ID)
				}
			}
			same(t, h.name, statusIDs(list), want)
		}
	})
}

func TestAccountStatusesPaging(t *testing.T) {
	t.Parallel()
	testkit.EachDB(t, func(t *testing.T, st *store.Store) {
		f := newFx(t, st)
		alice, bob := f.account("alice"), f.account("bob")
		var asc []int64
		for range 10 {
			asc = append(asc, f.status(alice).ID)
			f.status(bob)
		}
		checkPaging(t, asc, pageStatuses(func(p model.Page) ([]*model.Status, error) {
			return f.q.AccountStatuses(f.ctx, store.AccountQuery{AccountID: alice.ID, Viewer: bob.ID,
				Visibilities: []model.Visibility{model.Public}, Page: p}, nowMS())
		}))
	})
}
