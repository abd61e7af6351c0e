// Package policy decides who may see a post. It is the one place that
// decision is made: timelines, threads, notifications, search, the client
// API, the web UI and federation all call CanSee, and the SQL in the store
// only pre-filters so that pages come out full.
package policy

import "weft/internal/model"

// Viewer is what CanSee needs to know about the person looking (the zero
// Viewer is an anonymous visitor): who they are
// (ID 0 = anonymous) and their relations to the authors involved.
type Viewer struct {
	ID        int64
	Following func(accountID int64) bool // the viewer follows accountID
	Blocks    func(accountID int64) bool // the viewer blocks accountID, or accountID blocks the viewer
	// Remote: the viewer is an account on another server (a remote actor
	// acting through federation, or a server fetching on its behalf).
	Remote bool
}

// Post is what CanSee needs to know about a post.
type Post struct {
	AuthorID   int64
	AuthorGone bool // suspended or deleted author
	Deleted    bool
	Visibility model.Visibility
	Mentioned  func(accountID int64) bool
	// NotShared: the author is a local member who does not share with the
	// fediverse, or wrote the post before sharing, so nobody on another
	// server may see it.
	NotShared bool
}

// PostOf describes a status for CanSee.
func PostOf(s *model.Status, author *model.Account) Post {
	return Post{
		AuthorID:   s.AccountID,
		AuthorGone: author == nil || author.Gone(),
		Deleted:    s.DeletedAt != nil,
		Visibility: s.Visibility,
		Mentioned:  s.Mentioned,
		NotShared:  author != nil && !author.SharesPostsFrom(s.CreatedAt),
	}
}

// CanSee reports whether v may see p. The rules, in order:
//   - nobody sees a deleted post, or a post by a suspended or deleted account;
//   - the author sees their own posts;
//   - a block either way hides everything, mentions included;
//   - nobody on another server sees a post by a member who does not share
//     with the fediverse, whatever its visibility;
//   - public and unlisted posts are seen by everyone, signed in or not;
//   - followers-only posts by followers and by mentioned accounts;
//   - direct posts by mentioned accounts only.
func CanSee(v Viewer, p Post) bool {
	if p.Deleted || p.AuthorGone {
		return false
	}
	if v.ID != 0 && v.ID == p.AuthorID {
		return true
	}
	if v.ID != 0 && v.Blocks != nil && v.Blocks(p.AuthorID) {
		return false
	}
	if v.Remote && p.NotShared {
		return false
	}
	mentioned := func() bool { return v.ID != 0 && p.Mentioned != nil && p.Mentioned(v.ID) }
	switch p.Visibility {
	case model.Public, model.Unlisted:
		return true
	case model.Private:
		return v.ID != 0 && ((v.Following != nil && v.Following(p.AuthorID)) || mentioned())
	case model.Direct:
		return mentioned()
	}
	return false // an unknown visibility is private by default
}
