package store

import (
	"context"
	"time"

	"weft/internal/model"
)

// fediverseVisible limits a relation page to accounts the fediverse may
// know of: remote ones, and local members who share with it.
const fediverseVisible = " AND (a.domain <> '' OR a.fediverse_sharing = TRUE)"

// FediverseFollowers pages accountID's followers as the fediverse may see
// them, newest first; FediverseFollowing likewise for whom it follows.
func (q Queries) FediverseFollowers(ctx context.Context, accountID int64, p model.Page) (AccountPage, error) {
	return q.relationPage(ctx, "follows", "account_id", "target_account_id", accountID, p, fediverseVisible)
}

// FediverseFollowing pages whom accountID follows, as the fediverse may see them.
func (q Queries) FediverseFollowing(ctx context.Context, accountID int64, p model.Page) (AccountPage, error) {
	return q.relationPage(ctx, "follows", "target_account_id", "account_id", accountID, p, fediverseVisible)
}

// CountFediverseFollows counts what those pages hold in all.
func (q Queries) CountFediverseFollows(ctx context.Context, accountID int64, followers bool) (int64, error) {
	pick, match := "account_id", "target_account_id"
	if !followers {
		pick, match = match, pick
	}
	return q.countRows(ctx, `SELECT COUNT(*) FROM follows r JOIN accounts a ON a.id = r.`+pick+` AND a.suspended_at IS NULL
		WHERE r.`+match+` = $1`+fediverseVisible, accountID)
}

// CountPublicPosts counts an account's public and unlisted posts and
// boosts made since a time (not deleted): the size of its outbox as the
// fediverse sees it.
func (q Queries) CountPublicPosts(ctx context.Context, accountID int64, since time.Time) (int64, error) {
	return q.countRows(ctx, `SELECT COUNT(*) FROM statuses WHERE account_id = $1
		AND deleted_at IS NULL AND visibility IN ('public', 'unlisted') AND created_at >= $2`, accountID, ms(since))
}
