package store

import (
	"context"
	"fmt"
	"strings"

	"weft/internal/model"
)

const userColumns = `account_id, email, password_hash, admin, locale, created_at, approved, reason`

func scanUser(row scanner) (*model.User, error) {
	var u model.User
	var created int64
	if err := row.Scan(&u.AccountID, &u.Email, &u.PasswordHash, &u.Admin, &u.Locale, &created, &u.Approved, &u.Reason); err != nil {
		return nil, err
	}
	u.CreatedAt = fromMS(created)
	return &u, nil
}

// InsertUser stores the sign-in side of a local account. A taken email gives ErrConflict.
func (q Queries) InsertUser(ctx context.Context, u *model.User) error {
	_, err := q.db.ExecContext(ctx, `INSERT INTO users (account_id, email, email_key, password_hash, admin, locale, created_at, approved, reason)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
		u.AccountID, u.Email, strings.ToLower(u.Email), u.PasswordHash, u.Admin, u.Locale, ms(u.CreatedAt), u.Approved, u.Reason)
	if isUniqueViolation(err) {
		return model.Errorf(model.ErrConflict, "email", "%q is already in use", u.Email)
	}
	if err != nil {
		return fmt.Errorf("insert user: %w", err)
	}
	return nil
}

// UserByAccountID returns the user of a local account.
func (q Queries) UserByAccountID(ctx context.Context, accountID int64) (*model.User, error) {
	u, err := scanUser(q.db.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE account_id = $1`, accountID))
	if err != nil {
		return nil, notFound(err, "user")
	}
	return u, nil
}

// UserByEmail finds a user by email, any case.
func (q Queries) UserByEmail(ctx context.Context, email string) (*model.User, error) {
	u, err := scanUser(q.db.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE email_key = $1`, strings.ToLower(email)))
	if err != nil {
		return nil, notFound(err, "user")
	}
	return u, nil
}

// SetPasswordHash replaces a user's password hash.
func (q Queries) SetPasswordHash(ctx context.Context, accountID int64, hash string) error {
	_, err := q.db.ExecContext(ctx, `UPDATE users SET password_hash = $2 WHERE account_id = $1`, accountID, hash)
	if err != nil {
		return fmt.Errorf("set password: %w", err)
	}
	return nil
}

// DeleteUser removes the sign-in side (account deletion).
func (q Queries) DeleteUser(ctx context.Context, accountID int64) error {
	_, err := q.db.ExecContext(ctx, `DELETE FROM users WHERE account_id = $1`, accountID)
	if err != nil {
		return fmt.Errorf("delete user: %w", err)
	}
	return nil
}

// AdminAccountIDs lists local administrators (for reports and moderation notices).
func (q Queries) AdminAccountIDs(ctx context.Context) ([]int64, error) {
	return q.ids(ctx, `SELECT account_id FROM users WHERE admin = TRUE ORDER BY account_id`)
}

// ids runs a query returning one BIGINT column.
func (q Queries) ids(ctx context.Context, query string, args ...any) ([]int64, error) {
	rows, err := q.db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// PendingUsers lists sign-ups waiting for approval, oldest first.
func (q Queries) PendingUsers(ctx context.Context, limit int) ([]*model.User, error) {
	rows, err := q.db.QueryContext(ctx, `SELECT `+userColumns+` FROM users WHERE NOT approved ORDER BY created_at LIMIT $1`, limit)
	if err != nil {
		return nil, fmt.Errorf("pending users: %w", err)
	}
	defer rows.Close()
	var out []*model.User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// ApproveUser marks a pending sign-up approved.
func (q Queries) ApproveUser(ctx context.Context, accountID int64) error {
	if _, err := q.db.ExecContext(ctx, `UPDATE users SET approved = TRUE WHERE account_id = $1`, accountID); err != nil {
		return fmt.Errorf("approve user %d: %w", accountID, err)
	}
	return nil
}
