package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"time"

	"weft/internal/model"
)

// What Mastodon 4.5 apps expect beyond the core (migration 0007): the
// notification policy, featured hashtags, domains an account blocks and
// dismissed follow suggestions.

// NotificationPolicy returns an account's notification policy; the
// default (everything accepted) when it never set one.
func (q Queries) NotificationPolicy(ctx context.Context, accountID int64) (model.NotificationPolicy, error) {
	var p model.NotificationPolicy
	var a, b, c, d, e string
	err := q.db.QueryRowContext(ctx, `SELECT for_not_following, for_not_followers, for_new_accounts, for_private_mentions,
		for_limited_accounts FROM notification_policies WHERE account_id = $1`, accountID).Scan(&a, &b, &c, &d, &e)
	if errors.Is(err, sql.ErrNoRows) {
		return model.DefaultNotificationPolicy(), nil
	}
	if err != nil {
		return p, fmt.Errorf("read notification policy: %w", err)
	}
	return model.NotificationPolicy{ForNotFollowing: model.PolicyAction(a), ForNotFollowers: model.PolicyAction(b),
		ForNewAccounts: model.PolicyAction(c), ForPrivateMentions: model.PolicyAction(d),
		ForLimitedAccounts: model.PolicyAction(e)}, nil
}

// SetNotificationPolicy stores an account's notification policy.
func (q Queries) SetNotificationPolicy(ctx context.Context, accountID int64, p model.NotificationPolicy, now time.Time) error {
	_, err := q.db.ExecContext(ctx, `INSERT INTO notification_policies (account_id, for_not_following, for_not_followers,
			for_new_accounts, for_private_mentions, for_limited_accounts, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7)
		ON CONFLICT (account_id) DO UPDATE SET for_not_following = excluded.for_not_following,
			for_not_followers = excluded.for_not_followers, for_new_accounts = excluded.for_new_accounts,
			for_private_mentions = excluded.for_private_mentions, for_limited_accounts = excluded.for_limited_accounts,
			updated_at = excluded.updated_at`,
		accountID, string(p.ForNotFollowing), string(p.ForNotFollowers), string(p.ForNewAccounts),
		string(p.ForPrivateMentions), string(p.ForLimitedAccounts), ms(now))
	if err != nil {
		return fmt.Errorf("set notification policy: %w", err)
	}
	return nil
}

// FeaturedTags lists an account's featured hashtags, oldest first, with
// their use in its public and unlisted posts.
func (q Queries) FeaturedTags(ctx context.Context, accountID int64) ([]*model.FeaturedTag, error) {
	rows, err := q.db.QueryContext(ctx, `SELECT f.id, t.id, t.name FROM featured_tags f JOIN tags t ON t.id = f.tag_id
		WHERE f.account_id = $1 ORDER BY f.id`, accountID)
	if err != nil {
		return nil, fmt.Errorf("list featured tags: %w", err)
	}
	defer rows.Close()
	var out []*model.FeaturedTag
	byTag := map[int64]*model.FeaturedTag{}
	var tagIDs []int64
	for rows.Next() {
		var f model.FeaturedTag
		if err := rows.Scan(&f.ID, &f.Tag.ID, &f.Tag.Name); err != nil {
			return nil, err
		}
		out = append(out, &f)
		byTag[f.Tag.ID] = &f
		tagIDs = append(tagIDs, f.Tag.ID)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()
	if len(tagIDs) == 0 {
		return out, nil
	}
	stats, err := q.db.QueryContext(ctx, `SELECT st.tag_id, COUNT(*), MAX(s.created_at)
		FROM statuses s JOIN status_tags st ON st.status_id = s.id
		WHERE s.account_id = $1 AND `+q.inIDs("st.tag_id", 2)+` AND s.deleted_at IS NULL AND s.reblog_of_id IS NULL
		AND s.visibility IN ('public', 'unlisted') GROUP BY st.tag_id`, accountID, q.idsArg(tagIDs))
	if err != nil {
		return nil, fmt.Errorf("count featured tag posts: %w", err)
	}
	defer stats.Close()
	for stats.Next() {
		var tagID, n int64
		var last sql.NullInt64
		if err := stats.Scan(&tagID, &n, &last); err != nil {
			return nil, err
		}
		if f := byTag[tagID]; f != nil {
			f.StatusesCount, f.LastStatusAt = n, fromNullMS(last)
		}
	}
	return out, stats.Err()
}

// InsertFeaturedTag features a tag; false when the account featured it already.
func (q Queries) InsertFeaturedTag(ctx context.Context, id, accountID, tagID int64, now time.Time) (bool, error) {
	res, err := q.db.ExecContext(ctx, `INSERT INTO featured_tags (id, account_id, tag_id, created_at) VALUES ($1, $2, $3, $4)
		ON CONFLICT (account_id, tag_id) DO NOTHING`, id, accountID, tagID, ms(now))
	if err != nil {
		return false, fmt.Errorf("feature tag: %w", err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// CountFeaturedTags counts an account's featured tags.
func (q Queries) CountFeaturedTags(ctx context.Context, accountID int64) (int64, error) {
	return q.countRows(ctx, `SELECT COUNT(*) FROM featured_tags WHERE account_id = $1`, accountID)
}

// DeleteFeaturedTag unfeatures one of an account's featured tags, by the
// featured tag's ID or (tagID, with id 0) the tag's; false when there was none.
func (q Queries) DeleteFeaturedTag(ctx context.Context, accountID, id, tagID int64) (bool, error) {
	res, err := q.db.ExecContext(ctx, `DELETE FROM featured_tags WHERE account_id = $1 AND (id = $2 OR tag_id = $3)`,
		accountID, id, tagID)
	if err != nil {
		return false, fmt.Errorf("unfeature tag: %w", err)
	}
	n, err := res.RowsAffected()
	return n > 0, err
}

// FeaturedTagIDs returns which of tagIDs the account features.
func (q Queries) FeaturedTagIDs(ctx context.Context, accountID int64, tagIDs []int64) (map[int64]bool, error) {
	out := map[int64]bool{}
	tagIDs = uniqueIDs(tagIDs)
	if accountID == 0 || len(tagIDs) == 0 {
		return out, nil
	}
	got, err := q.ids(ctx, `SELECT tag_id FROM featured_tags WHERE account_id = $1 AND `+q.inIDs("tag_id", 2), accountID, q.idsArg(tagIDs))
	if err != nil {
		return nil, fmt.Errorf("check featured tags: %w", err)
	}
	for _, id := range got {
		out[id] = true
	}
	return out, nil
}

// RecentTagsOf lists the hashtags of an account's newest posts (at most
// scan of them), most used first, leaving out those it features.
func (q Queries) RecentTagsOf(ctx context.Context, accountID int64, scan, limit int) ([]model.Tag, error) {
	rows, err := q.db.QueryContext(ctx, `SELECT t.id, t.name FROM (
			SELECT id FROM statuses WHERE account_id = $1 AND deleted_at IS NULL AND reblog_of_id IS NULL
			ORDER BY id DESC LIMIT $2
		) s JOIN status_tags st ON st.status_id = s.id JOIN tags t ON t.id = st.tag_id
		WHERE NOT EXISTS (SELECT 1 FROM featured_tags f WHERE f.account_id = $1 AND f.tag_id = t.id)
		GROUP BY t.id, t.name ORDER BY COUNT(*) DESC, MAX(s.id) DESC LIMIT $3`, accountID, scan, limit)
	if err != nil {
		return nil, fmt.Errorf("recent tags: %w", err)
	}
	defer rows.Close()
	var out []model.Tag
	for rows.Next() {
		var t model.Tag
		if err := rows.Scan(&t.ID, &t.Name); err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// DomainBlockPage is a page of the domains an account blocks, with the
// row IDs that paginate it.
type DomainBlockPage struct {
	Domains []string
	RowIDs  []int64
}

// InsertAccountDomainBlock records that an account blocks a domain;
// blocking it again is harmless.
func (q Queries) InsertAccountDomainBlock(ctx context.Context, id, accountID int64, domain string, now time.Time) error {
	_, err := q.db.ExecContext(ctx, `INSERT INTO account_domain_blocks (id, account_id, domain, created_at) VALUES ($1, $2, $3, $4)
		ON CONFLICT (account_id, domain) DO NOTHING`, id, accountID, domain, ms(now))
	if err != nil {
		return fmt.Errorf("block domain: %w", err)
	}
	return nil
}

// DeleteAccountDomainBlock lifts an account's block of a domain, if any.
func (q Queries) DeleteAccountDomainBlock(ctx context.Context, accountID int64, domain string) error {
	if _, err := q.db.ExecContext(ctx, `DELETE FROM account_domain_blocks WHERE account_id = $1 AND domain = $2`,
		accountID, domain); err != nil {
		return fmt.Errorf("unblock domain: %w", err)
	}
	return nil
}

// AccountDomainBlocks pages the domains an account blocks, newest block first.
func (q Queries) AccountDomainBlocks(ctx context.Context, accountID int64, p model.Page) (DomainBlockPage, error) {
	args := []any{accountID}
	where, asc, args := pageClause("id", p, args)
	lim, args := limitArg(p.Limit, args)
	rows, err := q.db.QueryContext(ctx, `SELECT id, domain FROM account_domain_blocks WHERE account_id = $1`+where+
		orderBy("id", asc)+lim, args...)
	if err != nil {
		return DomainBlockPage{}, fmt.Errorf("list domain blocks: %w", err)
	}
	defer rows.Close()
	var out DomainBlockPage
	for rows.Next() {
		var id int64
		var d string
		if err := rows.Scan(&id, &d); err != nil {
			return out, err
		}
		out.RowIDs, out.Domains = append(out.RowIDs, id), append(out.Domains, d)
	}
	if asc {
		slices.Reverse(out.RowIDs)
		slices.Reverse(out.Domains)
	}
	return out, rows.Err()
}

// SuggestedAccountIDs lists local accounts to suggest viewer follows:
// discoverable and active, not the viewer, not followed or asked to
// follow, not blocked either way, not muted, not dismissed; the most
// followed first.
func (q Queries) SuggestedAccountIDs(ctx context.Context, viewer int64, limit int, now time.Time) ([]int64, error) {
	ids, err := q.ids(ctx, `SELECT a.id FROM accounts a
		WHERE a.domain = '' AND a.discoverable AND a.suspended_at IS NULL AND a.deleted_at IS NULL AND a.id <> $1
		AND NOT EXISTS (SELECT 1 FROM follows f WHERE f.account_id = $1 AND f.target_account_id = a.id)
		AND NOT EXISTS (SELECT 1 FROM follow_requests r WHERE r.account_id = $1 AND r.target_account_id = a.id)
		AND NOT EXISTS (SELECT 1 FROM blocks b WHERE (b.account_id = $1 AND b.target_account_id = a.id)
			OR (b.account_id = a.id AND b.target_account_id = $1))
		AND NOT EXISTS (SELECT 1 FROM mutes m WHERE m.account_id = $1 AND m.target_account_id = a.id
			AND (m.expires_at IS NULL OR m.expires_at > $3))
		AND NOT EXISTS (SELECT 1 FROM suggestion_dismissals d WHERE d.account_id = $1 AND d.target_account_id = a.id)
		ORDER BY a.followers_count DESC, a.id DESC LIMIT $2`, viewer, limit, ms(now))
	if err != nil {
		return nil, fmt.Errorf("suggest accounts: %w", err)
	}
	return ids, nil
}

// DismissSuggestion stops suggesting targetID to accountID.
func (q Queries) DismissSuggestion(ctx context.Context, accountID, targetID int64, now time.Time) error {
	if _, err := q.db.ExecContext(ctx, `INSERT INTO suggestion_dismissals (account_id, target_account_id, created_at)
		VALUES ($1, $2, $3) ON CONFLICT (account_id, target_account_id) DO NOTHING`, accountID, targetID, ms(now)); err != nil {
		return fmt.Errorf("dismiss suggestion: %w", err)
	}
	return nil
}
