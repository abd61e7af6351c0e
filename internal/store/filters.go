package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"weft/internal/model"
)

const filterColumns = `f.id, f.account_id, f.title, f.contexts, f.action, f.expires_at, f.created_at`

func scanFilter(row scanner) (*model.Filter, error) {
	var f model.Filter
	var contexts, action string
	var expires sql.NullInt64
	var created int64
	if err := row.Scan(&f.ID, &f.AccountID, &f.Title, &contexts, &action, &expires, &created); err != nil {
		return nil, err
	}
	for c := range strings.SplitSeq(contexts, ",") {
		if c != "" {
			f.Context = append(f.Context, model.FilterContext(c))
		}
	}
	f.Action = model.FilterAction(action)
	f.ExpiresAt = fromNullMS(expires)
	f.CreatedAt = fromMS(created)
	return &f, nil
}

func joinContexts(cs []model.FilterContext) string {
	parts := make([]string, len(cs))
	for i, c := range cs {
		parts[i] = string(c)
	}
	return strings.Join(parts, ",")
}

// queryFilters reads filters without their keywords and posts.
func (q Queries) queryFilters(ctx context.Context, query string, args ...any) ([]*model.Filter, error) {
	rows, err := q.db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("query filters: %w", err)
	}
	defer rows.Close()
	var out []*model.Filter
	for rows.Next() {
		f, err := scanFilter(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

// withKeywords loads the keywords of filters, and their posts too when
// statuses is set.
func (q Queries) withKeywords(ctx context.Context, fs []*model.Filter, statuses bool) ([]*model.Filter, error) {
	if len(fs) == 0 {
		return fs, nil
	}
	byID := make(map[int64]*model.Filter, len(fs))
	ids := make([]int64, len(fs))
	for i, f := range fs {
		byID[f.ID], ids[i] = f, f.ID
	}
	kws, err := q.queryFilterKeywords(ctx, `SELECT k.id, k.filter_id, k.keyword, k.whole_word, k.created_at
		FROM filter_keywords k WHERE `+q.inIDs("k.filter_id", 1)+` ORDER BY k.id`, q.idsArg(ids))
	if err != nil {
		return nil, err
	}
	for _, k := range kws {
		f := byID[k.FilterID]
		f.Keywords = append(f.Keywords, k)
	}
	if !statuses {
		return fs, nil
	}
	sts, err := q.queryFilterStatuses(ctx, `SELECT s.id, s.filter_id, s.status_id, s.created_at
		FROM filter_statuses s WHERE `+q.inIDs("s.filter_id", 1)+` ORDER BY s.id`, q.idsArg(ids))
	if err != nil {
		return nil, err
	}
	for _, s := range sts {
		f := byID[s.FilterID]
		f.Statuses = append(f.Statuses, s)
	}
	return fs, nil
}

// InsertFilter stores a new filter (its keywords and posts are inserted
// on their own).
func (q Queries) InsertFilter(ctx context.Context, f *model.Filter) error {
	_, err := q.db.ExecContext(ctx, `INSERT INTO filters (id, account_id, title, contexts, action, expires_at, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`, f.ID, f.AccountID, f.Title, joinContexts(f.Context), string(f.Action),
		msPtr(f.ExpiresAt), ms(f.CreatedAt))
	if err != nil {
		return fmt.Errorf("insert filter: %w", err)
	}
	return nil
}

// UpdateFilter saves a filter's title, contexts, action and expiry;
// ErrNotFound when the owner has no such filter.
func (q Queries) UpdateFilter(ctx context.Context, f *model.Filter) error {
	res, err := q.db.ExecContext(ctx, `UPDATE filters SET title = $3, contexts = $4, action = $5, expires_at = $6
		WHERE id = $1 AND account_id = $2`, f.ID, f.AccountID, f.Title, joinContexts(f.Context), string(f.Action), msPtr(f.ExpiresAt))
	if err != nil {
		return fmt.Errorf("update filter: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return notFoundIfNone(err, "filter")
	}
	return nil
}

// DeleteFilter removes a filter with its keywords and posts; false when
// the owner has no such filter.
func (q Queries) DeleteFilter(ctx context.Context, ownerID, id int64) (bool, error) {
	res, err := q.db.ExecContext(ctx, `DELETE FROM filters WHERE id = $1 AND account_id = $2`, id, ownerID)
	if err != nil {
		return false, fmt.Errorf("delete filter: %w", err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// Filter returns one of the owner's filters with its keywords and posts,
// or ErrNotFound (also when it is someone else's).
func (q Queries) Filter(ctx context.Context, ownerID, id int64) (*model.Filter, error) {
	f, err := scanFilter(q.db.QueryRowContext(ctx, `SELECT `+filterColumns+` FROM filters f WHERE f.id = $1 AND f.account_id = $2`, id, ownerID))
	if err != nil {
		return nil, notFound(err, "filter")
	}
	fs, err := q.withKeywords(ctx, []*model.Filter{f}, true)
	if err != nil {
		return nil, err
	}
	return fs[0], nil
}

// FiltersOf returns an account's filters with their keywords and posts,
// oldest first.
func (q Queries) FiltersOf(ctx context.Context, ownerID int64) ([]*model.Filter, error) {
	fs, err := q.queryFilters(ctx, `SELECT `+filterColumns+` FROM filters f WHERE f.account_id = $1 ORDER BY f.id`, ownerID)
	if err != nil {
		return nil, err
	}
	return q.withKeywords(ctx, fs, true)
}

// ActiveFiltersOf returns an account's filters that have not expired at
// now, with their keywords but not their posts (FilterStatusMatches looks
// those up for the posts at hand).
func (q Queries) ActiveFiltersOf(ctx context.Context, ownerID int64, now time.Time) ([]*model.Filter, error) {
	snap := q.snapshotOf(ctx)
	if snap != nil {
		if list, ok := snap.getFilters(ownerID, now); ok {
			return list, nil
		}
	}
	list, err := q.activeFilterRows(ctx, ownerID, now)
	if err == nil && snap != nil {
		snap.putFilters(ownerID, list, now)
	}
	return list, err
}

func (q Queries) activeFilterRows(ctx context.Context, ownerID int64, now time.Time) ([]*model.Filter, error) {
	fs, err := q.queryFilters(ctx, `SELECT `+filterColumns+` FROM filters f
		WHERE f.account_id = $1 AND (f.expires_at IS NULL OR f.expires_at > $2) ORDER BY f.id`, ownerID, ms(now))
	if err != nil {
		return nil, err
	}
	return q.withKeywords(ctx, fs, false)
}

// CountFilters counts an account's filters.
func (q Queries) CountFilters(ctx context.Context, ownerID int64) (int64, error) {
	return q.countRows(ctx, `SELECT COUNT(*) FROM filters WHERE account_id = $1`, ownerID)
}

const filterKeywordColumns = `k.id, k.filter_id, k.keyword, k.whole_word, k.created_at`

func scanFilterKeyword(row scanner) (*model.FilterKeyword, error) {
	var k model.FilterKeyword
	var created int64
	if err := row.Scan(&k.ID, &k.FilterID, &k.Keyword, &k.WholeWord, &created); err != nil {
		return nil, err
	}
	k.CreatedAt = fromMS(created)
	return &k, nil
}

func (q Queries) queryFilterKeywords(ctx context.Context, query string, args ...any) ([]*model.FilterKeyword, error) {
	rows, err := q.db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("query filter keywords: %w", err)
	}
	defer rows.Close()
	var out []*model.FilterKeyword
	for rows.Next() {
		k, err := scanFilterKeyword(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, k)
	}
	return out, rows.Err()
}

// InsertFilterKeyword adds a keyword to a filter.
func (q Queries) InsertFilterKeyword(ctx context.Context, k *model.FilterKeyword) error {
	_, err := q.db.ExecContext(ctx, `INSERT INTO filter_keywords (id, filter_id, keyword, whole_word, created_at)
		VALUES ($1, $2, $3, $4, $5)`, k.ID, k.FilterID, k.Keyword, k.WholeWord, ms(k.CreatedAt))
	if err != nil {
		return fmt.Errorf("insert filter keyword: %w", err)
	}
	return nil
}

// UpdateFilterKeyword saves a keyword's phrase and whole_word.
func (q Queries) UpdateFilterKeyword(ctx context.Context, k *model.FilterKeyword) error {
	res, err := q.db.ExecContext(ctx, `UPDATE filter_keywords SET keyword = $3, whole_word = $4 WHERE id = $1 AND filter_id = $2`,
		k.ID, k.FilterID, k.Keyword, k.WholeWord)
	if err != nil {
		return fmt.Errorf("update filter keyword: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return notFoundIfNone(err, "filter keyword")
	}
	return nil
}

// DeleteFilterKeyword removes a keyword of a filter.
func (q Queries) DeleteFilterKeyword(ctx context.Context, filterID, id int64) error {
	res, err := q.db.ExecContext(ctx, `DELETE FROM filter_keywords WHERE id = $1 AND filter_id = $2`, id, filterID)
	if err != nil {
		return fmt.Errorf("delete filter keyword: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return notFoundIfNone(err, "filter keyword")
	}
	return nil
}

// FilterKeyword returns a keyword of one of the owner's filters, or
// ErrNotFound.
func (q Queries) FilterKeyword(ctx context.Context, ownerID, id int64) (*model.FilterKeyword, error) {
	k, err := scanFilterKeyword(q.db.QueryRowContext(ctx, `SELECT `+filterKeywordColumns+`
		FROM filter_keywords k JOIN filters f ON f.id = k.filter_id WHERE k.id = $1 AND f.account_id = $2`, id, ownerID))
	if err != nil {
		return nil, notFound(err, "filter keyword")
	}
	return k, nil
}

// FilterKeywordsOf returns the keywords of all of an account's filters,
// oldest first.
func (q Queries) FilterKeywordsOf(ctx context.Context, ownerID int64) ([]*model.FilterKeyword, error) {
	return q.queryFilterKeywords(ctx, `SELECT `+filterKeywordColumns+`
		FROM filter_keywords k JOIN filters f ON f.id = k.filter_id WHERE f.account_id = $1 ORDER BY k.id`, ownerID)
}

// CountFilterKeywords counts a filter's keywords.
func (q Queries) CountFilterKeywords(ctx context.Context, filterID int64) (int64, error) {
	return q.countRows(ctx, `SELECT COUNT(*) FROM filter_keywords WHERE filter_id = $1`, filterID)
}

const filterStatusColumns = `s.id, s.filter_id, s.status_id, s.created_at`

func scanFilterStatus(row scanner) (*model.FilterStatus, error) {
	var s model.FilterStatus
	var created int64
	if err := row.Scan(&s.ID, &s.FilterID, &s.StatusID, &created); err != nil {
		return nil, err
	}
	s.CreatedAt = fromMS(created)
	return &s, nil
}

func (q Queries) queryFilterStatuses(ctx context.Context, query string, args ...any) ([]*model.FilterStatus, error) {
	rows, err := q.db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("query filter statuses: %w", err)
	}
	defer rows.Close()
	var out []*model.FilterStatus
	for rows.Next() {
		s, err := scanFilterStatus(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// InsertFilterStatus adds a post to a filter; false when it has it already.
func (q Queries) InsertFilterStatus(ctx context.Context, s *model.FilterStatus) (bool, error) {
	res, err := q.db.ExecContext(ctx, `INSERT INTO filter_statuses (id, filter_id, status_id, created_at)
		VALUES ($1, $2, $3, $4) ON CONFLICT (filter_id, status_id) DO NOTHING`, s.ID, s.FilterID, s.StatusID, ms(s.CreatedAt))
	if err != nil {
		return false, fmt.Errorf("insert filter status: %w", err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// DeleteFilterStatus removes a post from a filter.
func (q Queries) DeleteFilterStatus(ctx context.Context, filterID, id int64) error {
	res, err := q.db.ExecContext(ctx, `DELETE FROM filter_statuses WHERE id = $1 AND filter_id = $2`, id, filterID)
	if err != nil {
		return fmt.Errorf("delete filter status: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return notFoundIfNone(err, "filter status")
	}
	return nil
}

// FilterStatus returns a post of one of the owner's filters, or ErrNotFound.
func (q Queries) FilterStatus(ctx context.Context, ownerID, id int64) (*model.FilterStatus, error) {
	s, err := scanFilterStatus(q.db.QueryRowContext(ctx, `SELECT `+filterStatusColumns+`
		FROM filter_statuses s JOIN filters f ON f.id = s.filter_id WHERE s.id = $1 AND f.account_id = $2`, id, ownerID))
	if err != nil {
		return nil, notFound(err, "filter status")
	}
	return s, nil
}

// CountFilterStatuses counts a filter's posts.
func (q Queries) CountFilterStatuses(ctx context.Context, filterID int64) (int64, error) {
	return q.countRows(ctx, `SELECT COUNT(*) FROM filter_statuses WHERE filter_id = $1`, filterID)
}

// FilterStatusMatches returns the rows of the given filters that name one
// of the given posts.
func (q Queries) FilterStatusMatches(ctx context.Context, filterIDs, statusIDs []int64) ([]*model.FilterStatus, error) {
	filterIDs, statusIDs = uniqueIDs(filterIDs), uniqueIDs(statusIDs)
	if len(filterIDs) == 0 || len(statusIDs) == 0 {
		return nil, nil
	}
	return q.queryFilterStatuses(ctx, `SELECT `+filterStatusColumns+` FROM filter_statuses s
		WHERE `+q.inIDs("s.filter_id", 1)+` AND `+q.inIDs("s.status_id", 2)+` ORDER BY s.id`,
		q.idsArg(filterIDs), q.idsArg(statusIDs))
}
