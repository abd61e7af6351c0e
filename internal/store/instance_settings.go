package store

import (
	"context"
	"fmt"
	"time"
)

// InstanceSettings reads every instance setting admins have set.
func (q Queries) InstanceSettings(ctx context.Context) (map[string]string, error) {
	rows, err := q.db.QueryContext(ctx, `SELECT name, value FROM instance_settings`)
	if err != nil {
		return nil, fmt.Errorf("read instance settings: %w", err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			return nil, err
		}
		out[k] = v
	}
	return out, rows.Err()
}

// SetInstanceSetting stores one setting.
func (q Queries) SetInstanceSetting(ctx context.Context, name, value string, now time.Time) error {
	_, err := q.db.ExecContext(ctx, `INSERT INTO instance_settings (name, value, updated_at) VALUES ($1, $2, $3)
		ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`, name, value, ms(now))
	if err != nil {
		return fmt.Errorf("set instance setting %s: %w", name, err)
	}
	return nil
}
