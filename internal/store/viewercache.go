package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"time"

	"weft/internal/model"
)

// viewerCache keeps, per viewer, what reading their timelines asks of the
// database beyond the rows themselves: their relations to other accounts
// (for the visibility policy and the timeline filters), their flags on
// statuses (liked, boosted, bookmarked, pinned, conversation muted) and
// their home feed's pages. Everything is keyed by the viewer's revision
// (migration 0009: triggers bump it in the transaction of every change to
// those tables), read before the data it guards, so a change made by any
// code in any process makes the next read go to the database.
type viewerCache struct {
	mu  sync.Mutex
	max int
	m   map[int64]*viewerEntry
}

// viewerEntry is one viewer's cache at one revision.
type viewerEntry struct {
	mu        sync.Mutex
	rev       int64
	relations map[int64]relation
	flags     map[int64]uint8 // status ID → flag bits
	convMuted map[int64]bool  // conversation ID → muted
	pages     map[string]page // home feed pages by their bounds
}

const (
	flagFavourited uint8 = 1 << iota
	flagReblogged
	flagBookmarked
	flagPinned
)

// relation is a viewer's relation to one account.
type relation struct {
	following   *model.Follow
	followedBy  bool
	blocking    bool
	blockedBy   bool
	muting      *model.Mute // expiry checked when read
	request     *model.FollowRequest
	requestedBy bool
}

// page is a home feed page's status IDs, newest first as the query gave
// them. Mutes can end by time, without a write, so pages expire.
type page struct {
	ids     []int64
	created time.Time
}

const (
	cachedViewers = 2_000
	pageTTL       = time.Minute
	// pagesPerViewer bounds the pages kept for one viewer (an app paging
	// far back would otherwise fill it).
	pagesPerViewer = 16
	// itemsPerViewer bounds the relations and flags kept for one viewer.
	itemsPerViewer = 5_000
)

func newViewerCache() *viewerCache {
	return &viewerCache{max: cachedViewers, m: map[int64]*viewerEntry{}}
}

// entry returns the viewer's entry at rev, replacing one of another
// revision.
func (c *viewerCache) entry(viewer, rev int64) *viewerEntry {
	c.mu.Lock()
	defer c.mu.Unlock()
	e := c.m[viewer]
	if e != nil && e.rev == rev {
		return e
	}
	if e != nil && e.rev > rev {
		// A request that read an older revision: give it a private
		// entry rather than putting old data back.
		return newViewerEntry(rev)
	}
	if e == nil && len(c.m) >= c.max {
		for id := range c.m { // random eviction, as in revcache
			delete(c.m, id)
			if len(c.m) < c.max*9/10 {
				break
			}
		}
	}
	e = newViewerEntry(rev)
	c.m[viewer] = e
	return e
}

func newViewerEntry(rev int64) *viewerEntry {
	return &viewerEntry{rev: rev, relations: map[int64]relation{}, flags: map[int64]uint8{},
		convMuted: map[int64]bool{}, pages: map[string]page{}}
}

// full reports whether the entry holds as much as it may; then new items
// are not added (they are still answered, from the database).
func (e *viewerEntry) full() bool {
	return len(e.relations)+len(e.flags)+len(e.convMuted) >= itemsPerViewer
}

type viewerRevKey struct{}

type viewerRevMemo struct{ viewer, rev int64 }

// WithViewerRev reads the viewer's revision once and keeps it in the
// context, so every cached read of one request uses the same one (read
// before any of the data it guards). Without a cache, or for anonymous
// viewers, it returns ctx unchanged.
func (q Queries) WithViewerRev(ctx context.Context, viewer int64) (context.Context, error) {
	if q.cache == nil || viewer == 0 {
		return ctx, nil
	}
	if m, ok := ctx.Value(viewerRevKey{}).(viewerRevMemo); ok && m.viewer == viewer {
		return ctx, nil
	}
	rev, err := q.readViewerRev(ctx, viewer)
	if err != nil {
		return ctx, err
	}
	return context.WithValue(ctx, viewerRevKey{}, viewerRevMemo{viewer, rev}), nil
}

func (q Queries) readViewerRev(ctx context.Context, viewer int64) (int64, error) {
	var rev int64
	err := q.db.QueryRowContext(ctx, `SELECT rev FROM viewer_revs WHERE account_id = $1`, viewer).Scan(&rev)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("read viewer revision: %w", err)
	}
	return rev, nil
}

// viewerEntry returns the cache entry for the viewer at the revision of
// the request (WithViewerRev), or nil when reads must go to the database.
func (q Queries) viewerEntry(ctx context.Context, viewer int64) (*viewerEntry, error) {
	if q.cache == nil || viewer == 0 {
		return nil, nil
	}
	m, ok := ctx.Value(viewerRevKey{}).(viewerRevMemo)
	if !ok || m.viewer != viewer {
		rev, err := q.readViewerRev(ctx, viewer)
		if err != nil {
			return nil, err
		}
		m = viewerRevMemo{viewer, rev}
	}
	return q.cache.viewers.entry(viewer, m.rev), nil
}

// cachedRelations is RelationsOf through the viewer's cache.
func (q Queries) cachedRelations(ctx context.Context, e *viewerEntry, viewer int64, ids []int64, now time.Time) (*Relations, error) {
	e.mu.Lock()
	var missing []int64
	for _, id := range ids {
		if _, ok := e.relations[id]; !ok {
			missing = append(missing, id)
		}
	}
	e.mu.Unlock()
	if len(missing) > 0 {
		r, err := q.relationRows(ctx, viewer, missing, now)
		if err != nil {
			return nil, err
		}
		e.mu.Lock()
		if !e.full() {
			for _, id := range missing {
				e.relations[id] = r.relationTo(id)
			}
		}
		e.mu.Unlock()
		if len(missing) == len(ids) {
			return r, nil
		}
	}
	r := newRelations(viewer)
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, id := range ids {
		rel, ok := e.relations[id]
		if !ok { // the entry was full: read again, uncached
			e.mu.Unlock()
			fresh, err := q.relationRows(ctx, viewer, ids, now)
			e.mu.Lock()
			return fresh, err
		}
		r.set(id, rel, now)
	}
	return r, nil
}

// relationTo extracts the relation to one account.
func (r *Relations) relationTo(id int64) relation {
	rel := relation{followedBy: r.FollowedBy[id], blocking: r.Blocking[id], blockedBy: r.BlockedBy[id],
		muting: r.Muting[id], requestedBy: r.RequestedBy[id]}
	if f, ok := r.Following[id]; ok {
		rel.following = &f
	}
	if fr, ok := r.requests[id]; ok {
		rel.request = &fr
	}
	return rel
}

// set puts a cached relation back into Relations; a mute that has ended
// since it was cached is left out, as the query would.
func (r *Relations) set(id int64, rel relation, now time.Time) {
	if rel.following != nil {
		r.Following[id] = *rel.following
	}
	if rel.followedBy {
		r.FollowedBy[id] = true
	}
	if rel.blocking {
		r.Blocking[id] = true
	}
	if rel.blockedBy {
		r.BlockedBy[id] = true
	}
	if m := rel.muting; m != nil && (m.ExpiresAt == nil || m.ExpiresAt.After(now)) {
		r.Muting[id] = m
	}
	if rel.request != nil {
		r.Requested[id] = true
		r.requests[id] = *rel.request
	}
	if rel.requestedBy {
		r.RequestedBy[id] = true
	}
}

// cachedFlags is ViewerFlagsFor through the viewer's cache.
func (q Queries) cachedFlags(ctx context.Context, e *viewerEntry, viewer int64, statuses []*model.Status) (ViewerFlags, error) {
	e.mu.Lock()
	var missing []*model.Status
	for _, s := range statuses {
		_, known := e.flags[s.ID]
		_, convKnown := e.convMuted[s.ConversationID]
		if !known || !convKnown {
			missing = append(missing, s)
		}
	}
	e.mu.Unlock()
	if len(missing) > 0 {
		f, err := q.flagRows(ctx, viewer, missing)
		if err != nil {
			return f, err
		}
		e.mu.Lock()
		if !e.full() {
			for _, s := range missing {
				var bits uint8
				if f.Favourited[s.ID] {
					bits |= flagFavourited
				}
				if f.Reblogged[s.ID] {
					bits |= flagReblogged
				}
				if f.Bookmarked[s.ID] {
					bits |= flagBookmarked
				}
				if f.Pinned[s.ID] {
					bits |= flagPinned
				}
				e.flags[s.ID] = bits
				e.convMuted[s.ConversationID] = f.Muted[s.ID]
			}
		}
		e.mu.Unlock()
		if len(missing) == len(statuses) {
			return f, nil
		}
	}
	f := newViewerFlags()
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, s := range statuses {
		bits, ok := e.flags[s.ID]
		muted, convOK := e.convMuted[s.ConversationID]
		if !ok || !convOK { // the entry was full: read again, uncached
			e.mu.Unlock()
			fresh, err := q.flagRows(ctx, viewer, statuses)
			e.mu.Lock()
			return fresh, err
		}
		f.Favourited[s.ID] = bits&flagFavourited != 0
		f.Reblogged[s.ID] = bits&flagReblogged != 0
		f.Bookmarked[s.ID] = bits&flagBookmarked != 0
		f.Pinned[s.ID] = bits&flagPinned != 0
		f.Muted[s.ID] = muted
	}
	return f, nil
}

// cachedHomePage is the home feed query through the viewer's cache: the
// page's status IDs are kept for a minute (or until the viewer's revision
// changes: new entries, follows, blocks, mutes all change it); the statuses
// themselves come through the model cache, checked against their revisions.
func (q Queries) cachedHomePage(ctx context.Context, e *viewerEntry, p model.Page, now time.Time, load func() ([]*model.Status, error)) ([]*model.Status, error) {
	key := strconv.FormatInt(p.MaxID, 10) + "/" + strconv.FormatInt(p.SinceID, 10) + "/" +
		strconv.FormatInt(p.MinID, 10) + "/" + strconv.Itoa(p.Limit)
	e.mu.Lock()
	pg, ok := e.pages[key]
	e.mu.Unlock()
	if ok && now.Sub(pg.created) < pageTTL && now.Sub(pg.created) >= 0 {
		return q.statusesByIDsInOrder(ctx, pg.ids)
	}
	list, err := load()
	if err != nil {
		return nil, err
	}
	ids := make([]int64, len(list))
	for i, s := range list {
		ids[i] = s.ID
	}
	e.mu.Lock()
	if len(e.pages) >= pagesPerViewer {
		clear(e.pages)
	}
	e.pages[key] = page{ids: ids, created: now}
	e.mu.Unlock()
	return list, nil
}

// statusesByIDsInOrder loads statuses through the model cache in the
// order of ids; statuses removed meanwhile are left out.
func (q Queries) statusesByIDsInOrder(ctx context.Context, ids []int64) ([]*model.Status, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	refs, err := q.refs(ctx, `SELECT id, rev FROM statuses WHERE `+q.inIDs("id", 1), q.idsArg(ids))
	if err != nil {
		return nil, fmt.Errorf("query statuses: %w", err)
	}
	rev := make(map[int64]int64, len(refs))
	for _, r := range refs {
		rev[r.id] = r.rev
	}
	ordered := make([]ref, 0, len(refs))
	for _, id := range ids {
		if r, ok := rev[id]; ok {
			ordered = append(ordered, ref{id, r})
		}
	}
	return q.statusesOf(ctx, ordered)
}
