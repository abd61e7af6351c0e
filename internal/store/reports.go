package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"weft/internal/model"
)

const reportColumns = `id, account_id, target_account_id, status_ids, rule_ids, comment, category, forwarded, uri, action_taken_at, created_at`

func scanReport(row scanner) (*model.Report, error) {
	var (
		r               model.Report
		statuses, rules string
		taken           sql.NullInt64
		created         int64
	)
	if err := row.Scan(&r.ID, &r.AccountID, &r.TargetAccountID, &statuses, &rules, &r.Comment, &r.Category,
		&r.Forwarded, &r.URI, &taken, &created); err != nil {
		return nil, err
	}
	var ids []string
	if err := json.Unmarshal([]byte(statuses), &ids); err != nil {
		return nil, fmt.Errorf("report %d: bad status_ids: %w", r.ID, err)
	}
	for _, s := range ids {
		if id, err := strconv.ParseInt(s, 10, 64); err == nil {
			r.StatusIDs = append(r.StatusIDs, id)
		}
	}
	if err := json.Unmarshal([]byte(rules), &r.RuleIDs); err != nil {
		return nil, fmt.Errorf("report %d: bad rule_ids: %w", r.ID, err)
	}
	r.ActionTakenAt = fromNullMS(taken)
	r.CreatedAt = fromMS(created)
	return &r, nil
}

// InsertReport stores a report.
func (q Queries) InsertReport(ctx context.Context, r *model.Report) error {
	ids := make([]string, len(r.StatusIDs))
	for i, id := range r.StatusIDs {
		ids[i] = strconv.FormatInt(id, 10)
	}
	rules := r.RuleIDs
	if rules == nil {
		rules = []string{}
	}
	statuses, _ := json.Marshal(ids)
	ruleJSON, _ := json.Marshal(rules)
	_, err := q.db.ExecContext(ctx, `INSERT INTO reports (`+reportColumns+`)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
		r.ID, r.AccountID, r.TargetAccountID, string(statuses), string(ruleJSON), r.Comment, r.Category, r.Forwarded,
		r.URI, msPtr(r.ActionTakenAt), ms(r.CreatedAt))
	if err != nil {
		return fmt.Errorf("insert report: %w", err)
	}
	return nil
}

// Report returns one report, or ErrNotFound.
func (q Queries) Report(ctx context.Context, id int64) (*model.Report, error) {
	r, err := scanReport(q.db.QueryRowContext(ctx, `SELECT `+reportColumns+` FROM reports WHERE id = $1`, id))
	if err != nil {
		return nil, notFound(err, "report")
	}
	return r, nil
}

// ReportExists reports whether a report with this Flag id was stored.
func (q Queries) ReportExists(ctx context.Context, uri string) (bool, error) {
	n, err := q.countRows(ctx, `SELECT COUNT(*) FROM reports WHERE uri = $1 AND uri <> ''`, uri)
	return n > 0, err
}

// Reports lists reports newest first: the open ones only, or all.
func (q Queries) Reports(ctx context.Context, openOnly bool, limit int) ([]*model.Report, error) {
	query := `SELECT ` + reportColumns + ` FROM reports`
	if openOnly {
		query += ` WHERE action_taken_at IS NULL`
	}
	rows, err := q.db.QueryContext(ctx, query+` ORDER BY id DESC LIMIT $1`, limit)
	if err != nil {
		return nil, fmt.Errorf("list reports: %w", err)
	}
	defer rows.Close()
	var out []*model.Report
	for rows.Next() {
		r, err := scanReport(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// ResolveReport records that moderators dealt with a report; it leaves the
// open list. ErrNotFound when there is no open report with that ID.
func (q Queries) ResolveReport(ctx context.Context, id int64, at time.Time) error {
	res, err := q.db.ExecContext(ctx, `UPDATE reports SET action_taken_at = $2 WHERE id = $1 AND action_taken_at IS NULL`, id, ms(at))
	if err != nil {
		return fmt.Errorf("resolve report %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return model.NotFound("report")
	}
	return nil
}
