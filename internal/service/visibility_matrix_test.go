package service_test

// The privacy matrix: weft's promise of who sees a post, written down as
// data below and checked on every read path, for every visibility and every
// kind of viewer, on every database. A change that makes one cell fail is a
// privacy regression until proven otherwise.

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"weft/internal/model"
	"weft/internal/service"
	"weft/internal/store"
	"weft/internal/testkit"
)

// The viewers of the matrix, by their relation to the author.
const (
	vmAuthor    = "author"
	vmFollower  = "follower"          // follows the author, notifications on; not mentioned
	vmStranger  = "non-follower"      // signed in, no relation
	vmMentioned = "mentioned"         // mentioned in every post; does not follow
	vmBlocked   = "blocked-by-author" // followed (notify on) and is mentioned, then the author blocked them
	vmBlocking  = "blocking-author"   // followed (notify on) and is mentioned, then blocked the author
	vmAnonymous = "anonymous"         // signed out: viewer ID 0
)

var (
	vmViewers      = []string{vmAuthor, vmFollower, vmStranger, vmMentioned, vmBlocked, vmBlocking, vmAnonymous}
	vmVisibilities = []model.Visibility{model.Public, model.Unlisted, model.Private, model.Direct}
	vmPaths        = []string{"status", "thread", "thread-ancestor", "home", "public", "public-local", "account", "hashtag", "search"}
)

// vmTag is the hashtag every post under test carries.
const vmTag = "weftmatrix"

// vmSees is the promise: on each read path, for each visibility, exactly
// the viewers who see the post. Everyone not listed must not see it.
//
//   - status: Service.Status of the post;
//   - thread: the post among the Descendants of its thread's root;
//   - thread-ancestor: the post among the Ancestors of a public reply the
//     author wrote below it;
//   - home, public (all origins), public-local, account (the author's
//     profile), hashtag: the post in that timeline;
//   - search: the post among the results of a search for its words (one's
//     own posts, posts that mention one, and public posts of discoverable
//     accounts; signed-in viewers only).
var vmSees = map[string]map[model.Visibility][]string{
	"status": {
		model.Public:   {vmAuthor, vmFollower, vmStranger, vmMentioned, vmAnonymous},
		model.Unlisted: {vmAuthor, vmFollower, vmStranger, vmMentioned, vmAnonymous},
		model.Private:  {vmAuthor, vmFollower, vmMentioned},
		model.Direct:   {vmAuthor, vmMentioned},
	},
	"thread": {
		model.Public:   {vmAuthor, vmFollower, vmStranger, vmMentioned, vmAnonymous},
		model.Unlisted: {vmAuthor, vmFollower, vmStranger, vmMentioned, vmAnonymous},
		model.Private:  {vmAuthor, vmFollower, vmMentioned},
		model.Direct:   {vmAuthor, vmMentioned},
	},
	"thread-ancestor": {
		model.Public:   {vmAuthor, vmFollower, vmStranger, vmMentioned, vmAnonymous},
		model.Unlisted: {vmAuthor, vmFollower, vmStranger, vmMentioned, vmAnonymous},
		model.Private:  {vmAuthor, vmFollower, vmMentioned},
		model.Direct:   {vmAuthor, vmMentioned},
	},
	"home": { // the author and followers allowed to see it; direct posts reach mentioned followers only
		model.Public:   {vmAuthor, vmFollower},
		model.Unlisted: {vmAuthor, vmFollower},
		model.Private:  {vmAuthor, vmFollower},
		model.Direct:   {vmAuthor},
	},
	"public": {
		model.Public:   {vmAuthor, vmFollower, vmStranger, vmMentioned, vmAnonymous},
		model.Unlisted: {},
		model.Private:  {},
		model.Direct:   {},
	},
	"public-local": {
		model.Public:   {vmAuthor, vmFollower, vmStranger, vmMentioned, vmAnonymous},
		model.Unlisted: {},
		model.Private:  {},
		model.Direct:   {},
	},
	"account": {
		model.Public:   {vmAuthor, vmFollower, vmStranger, vmMentioned, vmAnonymous},
		model.Unlisted: {vmAuthor, vmFollower, vmStranger, vmMentioned, vmAnonymous},
		model.Private:  {vmAuthor, vmFollower, vmMentioned},
		model.Direct:   {vmAuthor, vmMentioned},
	},
	"hashtag": {
		model.Public:   {vmAuthor, vmFollower, vmStranger, vmMentioned, vmAnonymous},
		model.Unlisted: {},
		model.Private:  {},
		model.Direct:   {},
	},
	"search": {
		model.Public:   {vmAuthor, vmFollower, vmStranger, vmMentioned},
		model.Unlisted: {vmAuthor, vmMentioned},
		model.Private:  {vmAuthor, vmMentioned},
		model.Direct:   {vmAuthor, vmMentioned},
	},
}

// vmNotified is who is notified about the post, and of what; everyone not
// listed gets no notification about it. The follower asked to be notified
// of the author's posts ("status"), except for direct posts that do not
// mention them; the mentioned viewer gets a mention whatever the
// visibility. The blocked and blocking viewers, mentioned too, get nothing.
var vmNotified = map[model.Visibility]map[string][]model.NotificationType{
	model.Public:   {vmFollower: {model.NotifyStatus}, vmMentioned: {model.NotifyMention}},
	model.Unlisted: {vmFollower: {model.NotifyStatus}, vmMentioned: {model.NotifyMention}},
	model.Private:  {vmFollower: {model.NotifyStatus}, vmMentioned: {model.NotifyMention}},
	model.Direct:   {vmMentioned: {model.NotifyMention}},
}

// vmScene is the one scenario the matrix reads: the author's public root
// post, one reply of each visibility below it (each mentioning the
// mentioned, blocked and blocking viewers and carrying #weftmatrix), and a
// public reply by the author below each of those.
type vmScene struct {
	c        *testkit.Core
	s        *service.Service
	ctx      context.Context
	ids      map[string]int64 // viewer → account ID (0 for anonymous)
	root     *model.Status
	posts    map[model.Visibility]*model.Status
	children map[model.Visibility]*model.Status
}

func newVMScene(t *testing.T, c *testkit.Core) *vmScene {
	t.Helper()
	sc := &vmScene{c: c, s: c.Service, ctx: context.Background(), ids: map[string]int64{vmAnonymous: 0},
		posts: map[model.Visibility]*model.Status{}, children: map[model.Visibility]*model.Status{}}
	users := map[string]string{vmAuthor: "author", vmFollower: "follower", vmStranger: "stranger",
		vmMentioned: "mentioned", vmBlocked: "blocked", vmBlocking: "blocking"}
	accounts := map[string]*model.Account{}
	for _, v := range vmViewers[:6] {
		accounts[v] = c.User(t, users[v])
		sc.ids[v] = accounts[v].ID
	}
	author := accounts[vmAuthor]
	notify := true
	for _, v := range []string{vmFollower, vmBlocked, vmBlocking} {
		_, err := sc.s.Follow(sc.ctx, sc.ids[v], author.ID, service.FollowOptions{Notify: &notify})
		testkit.Must(t, err, "%s follows the author", v)
	}
	c.Settle(t)
	_, err := sc.s.Block(sc.ctx, author.ID, sc.ids[vmBlocked])
	testkit.Must(t, err, "the author blocks")
	_, err = sc.s.Block(sc.ctx, sc.ids[vmBlocking], author.ID)
	testkit.Must(t, err, "the author is blocked")
	c.Settle(t)

	sc.root = c.Post(t, author, service.PostInput{Text: "the root of the matrix thread"})
	for _, vis := range vmVisibilities {
		p := c.Post(t, author, service.PostInput{InReplyToID: sc.root.ID, Visibility: vis,
			Text: fmt.Sprintf("@mentioned @blocked @blocking a %s post #%s", vis, vmTag)})
		for _, v := range []string{vmMentioned, vmBlocked, vmBlocking} {
			if !p.Mentioned(sc.ids[v]) {
				t.Fatalf("the %s post does not mention %s: %v", vis, v, p.Mentions)
			}
		}
		if !slices.Contains(p.Tags, vmTag) {
			t.Fatalf("the %s post has tags %v", vis, p.Tags)
		}
		sc.posts[vis] = p
	}
	for _, vis := range vmVisibilities {
		sc.children[vis] = c.Post(t, author, service.PostInput{InReplyToID: sc.posts[vis].ID, Visibility: model.Public,
			Text: fmt.Sprintf("a public reply below the %s post", vis)})
	}
	c.Settle(t)
	return sc
}

func TestVisibilityMatrix(t *testing.T) {
	for _, path := range vmPaths { // guard against a typo in the table making cells vacuous
		for _, vis := range vmVisibilities {
			if _, ok := vmSees[path][vis]; !ok {
				t.Fatalf("vmSees has no entry for %s/%s", vis, path)
			}
		}
	}
	testkit.EachCore(t, func(t *testing.T, c *testkit.Core) {
		sc := newVMScene(t, c)
		for _, vis := range vmVisibilities {
			for _, viewer := range vmViewers {
				for _, path := range vmPaths {
					t.Run(string(vis)+"/"+viewer+"/"+path, func(t *testing.T) {
						want := slices.Contains(vmSees[path][vis], viewer)
						if got := sc.sees(t, path, viewer, vis); got != want {
							t.Errorf("%s sees the %s post on %s: %v, want %v", viewer, vis, path, got, want)
						}
					})
				}
				t.Run(string(vis)+"/"+viewer+"/notification", func(t *testing.T) {
					want := vmNotified[vis][viewer]
					got, stored := sc.notified(t, viewer, vis)
					if !slices.Equal(got, want) {
						t.Errorf("%s's notifications about the %s post: %v, want %v", viewer, vis, got, want)
					}
					if !slices.Equal(stored, want) {
						t.Errorf("%s's stored notifications about the %s post: %v, want %v", viewer, vis, stored, want)
					}
				})
			}
		}
	})
}

// vmHidden reports whether err is the not-found a hidden post or account
// gives; any other error fails the test.
func vmHidden(t *testing.T, err error, what string) bool {
	t.Helper()
	if errors.Is(err, model.ErrNotFound) {
		return true
	}
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	return false
}

// vmShows reports whether views hold the status, itself or boosted.
func vmShows(views []*service.StatusView, id int64) bool {
	for _, v := range views {
		if v.Status.ID == id || (v.Reblog != nil && v.Reblog.Status.ID == id) {
			return true
		}
	}
	return false
}

// vmTreeShows reports whether the thread tree shows the status (a node
// with a view; a hidden node with visible replies has none).
func vmTreeShows(n *service.ThreadNode, id int64) bool {
	if n == nil {
		return false
	}
	if n.StatusID == id && n.View != nil {
		return true
	}
	for _, k := range n.Children {
		if vmTreeShows(k, id) {
			return true
		}
	}
	return false
}

// sees reports whether the viewer sees the post of visibility vis on path.
func (sc *vmScene) sees(t *testing.T, path, viewer string, vis model.Visibility) bool {
	t.Helper()
	id, post := sc.ids[viewer], sc.posts[vis]
	page := model.Page{Limit: model.MaxLimit}
	var tl service.Timeline
	var err error
	switch path {
	case "status":
		v, err := sc.s.Status(sc.ctx, id, post.ID)
		if vmHidden(t, err, "status") {
			return false
		}
		if v.Status.ID != post.ID {
			t.Fatalf("Status(%d) returned status %d", post.ID, v.Status.ID)
		}
		return true
	case "thread":
		cx, err := sc.s.StatusContext(sc.ctx, id, sc.root.ID)
		if vmHidden(t, err, "context of the root") {
			return false
		}
		inList, inTree := vmShows(cx.Descendants, post.ID), vmTreeShows(cx.Tree, post.ID)
		if inList != inTree {
			t.Errorf("the post is in the descendants: %v, in the tree: %v", inList, inTree)
		}
		return inList || inTree
	case "thread-ancestor":
		cx, err := sc.s.StatusContext(sc.ctx, id, sc.children[vis].ID)
		if vmHidden(t, err, "context of the child") {
			return false
		}
		return vmShows(cx.Ancestors, post.ID)
	case "home":
		if tl, err = sc.s.HomeTimeline(sc.ctx, id, page); err == nil {
			// Fan-out must not even write an entry the viewer may not see.
			rows, err := sc.c.Store.Read().HomeTimeline(sc.ctx, id, page, time.Now())
			testkit.Must(t, err, "stored home timeline")
			if stored, shown := slices.ContainsFunc(rows, func(st *model.Status) bool { return st.ID == post.ID }),
				vmShows(tl.Statuses, post.ID); stored != shown {
				t.Errorf("home entry stored: %v, shown: %v", stored, shown)
			}
		}
	case "public":
		tl, err = sc.s.PublicTimeline(sc.ctx, id, store.AllOrigins, page)
	case "public-local":
		tl, err = sc.s.PublicTimeline(sc.ctx, id, store.LocalOnly, page)
	case "account":
		tl, err = sc.s.AccountTimeline(sc.ctx, id, sc.ids[vmAuthor], service.AccountTimelineOptions{}, page)
	case "hashtag":
		tl, err = sc.s.TagTimeline(sc.ctx, id, vmTag, store.AllOrigins, page)
	case "search":
		res, err := sc.s.Search(sc.ctx, id, service.Search{Query: "post " + vmTag, Type: service.SearchTypeStatuses})
		testkit.Must(t, err, "search")
		return vmShows(res.Statuses, post.ID)
	default:
		t.Fatalf("unknown path %q", path)
	}
	if vmHidden(t, err, path+" timeline") {
		return false
	}
	return vmShows(tl.Statuses, post.ID)
}

// notified lists the types of the viewer's notifications about the post of
// visibility vis: as the service lists them, and as stored (a stored one
// was pushed to the viewer's stream when it was made, even if a later read
// filters it out).
func (sc *vmScene) notified(t *testing.T, viewer string, vis model.Visibility) (listed, stored []model.NotificationType) {
	t.Helper()
	id, post := sc.ids[viewer], sc.posts[vis]
	page := model.Page{Limit: 80}
	l, err := sc.s.Notifications(sc.ctx, id, service.NotificationFilter{}, page)
	testkit.Must(t, err, "notifications")
	for _, n := range l.Notifications {
		if n.Notification.StatusID == post.ID {
			listed = append(listed, n.Notification.Type)
		}
	}
	rows, err := sc.c.Store.Read().Notifications(sc.ctx, id, store.NotificationFilter{}, page)
	testkit.Must(t, err, "stored notifications")
	for _, n := range rows {
		if n.StatusID == post.ID {
			stored = append(stored, n.Type)
		}
	}
	return listed, stored
}
