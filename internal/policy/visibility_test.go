package policy_test

import (
	"slices"
	"testing"
	"time"

	"weft/internal/model"
	"weft/internal/policy"
)

// Account IDs of the table.
const (
	author            = 10
	follower          = 20
	stranger          = 30
	mentioned         = 40
	mentionedFollower = 50
	blocked           = 60 // follows the author and is mentioned, but a block stands between them
)

// viewers of the table, by kind. "anonymous-lax" is a signed-out viewer
// whose relation functions claim everything: ID 0 must never count as
// following, mentioned or the author.
func viewers() map[string]policy.Viewer {
	nobody := func(int64) bool { return false }
	followsAuthor := func(id int64) bool { return id == author }
	return map[string]policy.Viewer{
		"author":             {ID: author, Following: nobody, Blocks: nobody},
		"follower":           {ID: follower, Following: followsAuthor, Blocks: nobody},
		"stranger":           {ID: stranger, Following: nobody, Blocks: nobody},
		"mentioned":          {ID: mentioned, Following: nobody, Blocks: nobody},
		"mentioned-follower": {ID: mentionedFollower, Following: followsAuthor, Blocks: nobody},
		"blocked":            {ID: blocked, Following: followsAuthor, Blocks: func(id int64) bool { return id == author }},
		"anonymous":          {},
		"anonymous-lax":      {ID: 0, Following: func(int64) bool { return true }, Blocks: nobody},
		"nil-relations":      {ID: stranger}, // a viewer built without relation functions
	}
}

// mentions of every post of the table: 0 is listed to prove an anonymous
// viewer is never "mentioned".
func mentionsOf(id int64) bool {
	return id == mentioned || id == mentionedFollower || id == blocked || id == 0
}

// wantLive is the promise for a live post by an active author: for each
// visibility, exactly who sees it.
var wantLive = map[model.Visibility][]string{
	model.Public:   {"author", "follower", "stranger", "mentioned", "mentioned-follower", "anonymous", "anonymous-lax", "nil-relations"},
	model.Unlisted: {"author", "follower", "stranger", "mentioned", "mentioned-follower", "anonymous", "anonymous-lax", "nil-relations"},
	model.Private:  {"author", "follower", "mentioned", "mentioned-follower"},
	model.Direct:   {"author", "mentioned", "mentioned-follower"},
	"limited":      {"author"}, // an unknown visibility is private to the author
}

func TestCanSee(t *testing.T) {
	states := []struct {
		name       string
		deleted    bool
		authorGone bool
		seen       bool // whether anyone at all sees the post
	}{
		{"live", false, false, true},
		{"deleted", true, false, false},
		{"author-gone", false, true, false},
		{"deleted-author-gone", true, true, false},
	}
	vs := viewers()
	for _, st := range states {
		for vis, seers := range wantLive {
			for name, v := range vs {
				t.Run(st.name+"/"+string(vis)+"/"+name, func(t *testing.T) {
					p := policy.Post{AuthorID: author, AuthorGone: st.authorGone, Deleted: st.deleted,
						Visibility: vis, Mentioned: mentionsOf}
					want := st.seen && slices.Contains(seers, name)
					if got := policy.CanSee(v, p); got != want {
						t.Errorf("CanSee = %v, want %v", got, want)
					}
				})
			}
		}
	}
}

// A post without mention information (Mentioned nil) is seen only by
// relation, and the zero Viewer never sees a post by account 0.
func TestCanSeeMissingParts(t *testing.T) {
	follower := policy.Viewer{ID: follower, Following: func(id int64) bool { return id == author }}
	if !policy.CanSee(follower, policy.Post{AuthorID: author, Visibility: model.Private}) {
		t.Error("a follower does not see a followers-only post without mentions")
	}
	if policy.CanSee(policy.Viewer{ID: mentioned}, policy.Post{AuthorID: author, Visibility: model.Direct}) {
		t.Error("a direct post without mentions is seen by a stranger")
	}
	if policy.CanSee(policy.Viewer{}, policy.Post{AuthorID: 0, Visibility: model.Direct}) {
		t.Error("an anonymous viewer counts as the author of a post by account 0")
	}
}

func TestPostOf(t *testing.T) {
	now := time.Now()
	st := &model.Status{AccountID: author, Visibility: model.Private, Mentions: []int64{mentioned}}
	active := &model.Account{ID: author}
	cases := []struct {
		name          string
		deleted       bool
		author        *model.Account
		wantGone      bool
		wantDeleted   bool
		wantMentioned bool
	}{
		{"active", false, active, false, false, true},
		{"deleted post", true, active, false, true, true},
		{"suspended author", false, &model.Account{ID: author, SuspendedAt: &now}, true, false, true},
		{"deleted author", false, &model.Account{ID: author, DeletedAt: &now}, true, false, true},
		{"unknown author", false, nil, true, false, true},
	}
	for _, c := range cases {
		s := *st
		if c.deleted {
			s.DeletedAt = &now
		}
		p := policy.PostOf(&s, c.author)
		if p.AuthorID != author || p.Visibility != model.Private || p.AuthorGone != c.wantGone || p.Deleted != c.wantDeleted ||
			p.Mentioned(mentioned) != c.wantMentioned || p.Mentioned(stranger) {
			t.Errorf("%s: PostOf = %+v", c.name, p)
		}
		if c.wantGone || c.wantDeleted {
			if policy.CanSee(policy.Viewer{ID: author}, p) {
				t.Errorf("%s: the author still sees the post", c.name)
			}
		}
	}
}

// A member who does not share with the fediverse is invisible to every
// remote viewer, even one that follows them or is mentioned; members who
// share, and remote authors, are seen by the usual rules.
func TestCanSeeFediverseSharing(t *testing.T) {
	followsAuthor := func(id int64) bool { return id == author }
	mentions := func(id int64) bool { return id == mentioned }
	local := &model.Account{ID: author}
	since := time.Now().Add(-time.Hour)
	sharing := &model.Account{ID: author, FediverseSharing: true, FediverseSince: &since}
	remoteAuthor := &model.Account{ID: author, Domain: "remote.example"}
	for _, vis := range []model.Visibility{model.Public, model.Unlisted, model.Private, model.Direct} {
		st := &model.Status{AccountID: author, Visibility: vis, Mentions: []int64{mentioned}, CreatedAt: time.Now()}
		remoteFollower := policy.Viewer{ID: mentioned, Following: followsAuthor, Remote: true}
		// A post written before sharing was turned on stays unshared.
		older := *st
		older.CreatedAt = since.Add(-time.Minute)
		if policy.CanSee(remoteFollower, policy.PostOf(&older, sharing)) {
			t.Errorf("%s: a post made before sharing was turned on is seen on another server", vis)
		}
		if policy.CanSee(remoteFollower, policy.PostOf(st, local)) {
			t.Errorf("%s: a remote follower sees a post by a member who does not share", vis)
		}
		if !policy.CanSee(remoteFollower, policy.PostOf(st, sharing)) {
			t.Errorf("%s: a mentioned remote follower does not see a post by a sharing member", vis)
		}
		localViewer := policy.Viewer{ID: mentioned, Following: followsAuthor}
		if !policy.CanSee(localViewer, policy.PostOf(st, local)) {
			t.Errorf("%s: a local follower lost sight of a post by a member who does not share", vis)
		}
		if !policy.CanSee(remoteFollower, policy.PostOf(st, remoteAuthor)) {
			t.Errorf("%s: a remote viewer does not see a remote author's post", vis)
		}
		p := policy.PostOf(st, local)
		p.Mentioned = mentions
		if policy.CanSee(policy.Viewer{ID: mentioned, Remote: true}, p) {
			t.Errorf("%s: a mentioned remote viewer sees a post by a member who does not share", vis)
		}
	}
}
