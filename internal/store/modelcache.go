package store

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"weft/internal/model"
	"weft/internal/revcache"
)

// modelCache keeps recently read statuses (with their mentions and tags)
// and accounts in memory, checked against the rows' revision numbers on
// every read (see package revcache): a page of a timeline then costs one
// query for its (id, rev) pairs instead of the rows, their mentions and
// their tags. Only Read() queries use it; transactions always read rows.
type modelCache struct {
	statuses *revcache.Cache[*model.Status]
	accounts *revcache.Cache[*model.Account]
	viewers  *viewerCache // viewercache.go
	apps     *revcache.Cache[*model.App]
}

// Cache sizes: enough for the working set of busy timelines, small enough
// to keep a server well under 100 MB (a status is about 1 KB in memory).
const (
	cachedStatuses = 20_000
	cachedAccounts = 10_000
)

func newModelCache() *modelCache {
	return &modelCache{
		statuses: revcache.New[*model.Status](cachedStatuses),
		accounts: revcache.New[*model.Account](cachedAccounts),
		viewers:  newViewerCache(),
		apps:     revcache.New[*model.App](1_000),
	}
}

// ref is a row's ID and revision.
type ref struct{ id, rev int64 }

func (q Queries) refs(ctx context.Context, query string, args ...any) ([]ref, error) {
	snap := q.snapshotOf(ctx)
	var key string
	if snap != nil {
		key = refsKey(query, args)
		if r, ok := snap.getRefs(key); ok {
			return r, nil
		}
	}
	r, err := q.refRows(ctx, query, args...)
	if err == nil && snap != nil {
		snap.putRefs(key, r)
	}
	return r, err
}

func (q Queries) refRows(ctx context.Context, query string, args ...any) ([]ref, error) {
	rows, err := q.db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []ref
	for rows.Next() {
		var r ref
		if err := rows.Scan(&r.id, &r.rev); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// copyStatus hands out a copy, so a caller changing its status cannot
// change the cached one. The slices are clipped: appending copies them.
func copyStatus(s *model.Status) *model.Status {
	c := *s
	c.Mentions = slices.Clip(c.Mentions)
	c.Tags = slices.Clip(c.Tags)
	c.Media = slices.Clip(c.Media)
	return &c
}

func copyAccount(a *model.Account) *model.Account {
	c := *a
	c.Fields = slices.Clip(c.Fields)
	return &c
}

// cachedStatusQuery runs query, which selects statusColumns, through the
// cache: it selects only (id, rev) and takes the rows from the cache,
// loading the ones it lacks. ok is false when the query cannot go through
// the cache (in a transaction, or a query of another shape).
func (q Queries) cachedStatusQuery(ctx context.Context, query string, args []any) (list []*model.Status, ok bool, err error) {
	if q.cache == nil {
		return nil, false, nil
	}
	rest, found := strings.CutPrefix(query, "SELECT "+statusColumns+" ")
	if !found {
		return nil, false, nil
	}
	refs, err := q.refs(ctx, "SELECT s.id, s.rev "+rest, args...)
	if err != nil {
		return nil, true, fmt.Errorf("query statuses: %w", err)
	}
	list, err = q.statusesOf(ctx, refs)
	return list, true, err
}

// statusesOf returns the statuses of refs, in order, from the cache where
// the revision matches and from the database otherwise.
func (q Queries) statusesOf(ctx context.Context, refs []ref) ([]*model.Status, error) {
	out := make([]*model.Status, len(refs))
	var missing []int64
	for i, r := range refs {
		if s, ok := q.cache.statuses.Get(r.id, r.rev); ok {
			out[i] = copyStatus(s)
		} else {
			missing = append(missing, r.id)
		}
	}
	if len(missing) > 0 {
		loaded, err := q.loadStatuses(ctx, missing)
		if err != nil {
			return nil, err
		}
		for i, r := range refs {
			if out[i] == nil {
				out[i] = loaded[r.id] // nil if deleted meanwhile
			}
		}
	}
	return slices.DeleteFunc(out, func(s *model.Status) bool { return s == nil }), nil
}

// loadStatuses reads statuses with their extras and caches them. The
// extras are read after the row, so a change committed in between could
// pair an old row with new mentions; the revisions are read once more
// afterwards and only rows that did not change meanwhile are cached (a
// change always bumps the row's revision in the same transaction).
func (q Queries) loadStatuses(ctx context.Context, ids []int64) (map[int64]*model.Status, error) {
	list, err := q.queryStatusRows(ctx, `SELECT `+statusColumns+` FROM statuses s WHERE `+q.inIDs("s.id", 1), q.idsArg(ids))
	if err != nil {
		return nil, err
	}
	out := make(map[int64]*model.Status, len(list))
	for _, s := range list {
		out[s.ID] = s
	}
	now, err := q.refRows(ctx, `SELECT id, rev FROM statuses WHERE `+q.inIDs("id", 1), q.idsArg(ids))
	if err != nil {
		return nil, fmt.Errorf("check status revisions: %w", err)
	}
	for _, r := range now {
		if s := out[r.id]; s != nil && s.Rev == r.rev {
			q.cache.statuses.Put(s.ID, s.Rev, copyStatus(s))
		}
	}
	return out, nil
}

// cachedAccounts is AccountsByIDs through the cache.
func (q Queries) cachedAccounts(ctx context.Context, ids []int64) (map[int64]*model.Account, error) {
	refs, err := q.refs(ctx, `SELECT id, rev FROM accounts WHERE `+q.inIDs("id", 1), q.idsArg(ids))
	if err != nil {
		return nil, fmt.Errorf("load accounts: %w", err)
	}
	out := make(map[int64]*model.Account, len(refs))
	var missing []int64
	for _, r := range refs {
		if a, ok := q.cache.accounts.Get(r.id, r.rev); ok {
			out[r.id] = copyAccount(a)
		} else {
			missing = append(missing, r.id)
		}
	}
	if len(missing) == 0 {
		return out, nil
	}
	loaded, err := q.accountRows(ctx, missing)
	if err != nil {
		return nil, err
	}
	for _, a := range loaded {
		out[a.ID] = a
		// An account is one row: what was read is one revision's content.
		q.cache.accounts.Put(a.ID, a.Rev, copyAccount(a))
	}
	return out, nil
}
