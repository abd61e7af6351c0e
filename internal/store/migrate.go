package store

import (
	"context"
	"database/sql"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"
	"time"

	"weft/internal/store/migrations"
)

// Migration is one embedded schema file.
type Migration struct {
	Version int
	Name    string
	SQL     string
}

// Dialect markers: a migration is written once for both databases, except
// where they share no syntax (full-text search). A line "-- weft:sqlite" or
// "-- weft:postgres" starts statements for that database only, up to the
// next marker; "-- weft:both" returns to common statements.
const (
	markSQLite   = "-- weft:sqlite"
	markPostgres = "-- weft:postgres"
	markBoth     = "-- weft:both"
)

// For returns the statements of the migration that run on dialect d.
func (m Migration) For(d Dialect) string {
	if !strings.Contains(m.SQL, "-- weft:") {
		return m.SQL
	}
	var b strings.Builder
	keep := true
	for line := range strings.Lines(m.SQL) {
		switch strings.TrimSpace(line) {
		case markSQLite:
			keep = d == SQLite
			continue
		case markPostgres:
			keep = d == Postgres
			continue
		case markBoth:
			keep = true
			continue
		}
		if keep {
			b.WriteString(line)
		}
	}
	return b.String()
}

// Migrations lists the embedded migrations in order.
func Migrations() ([]Migration, error) {
	entries, err := fs.ReadDir(migrations.FS, ".")
	if err != nil {
		return nil, fmt.Errorf("read migrations: %w", err)
	}
	var out []Migration
	for _, e := range entries {
		name := e.Name()
		if !strings.HasSuffix(name, ".sql") {
			continue
		}
		num, rest, ok := strings.Cut(name, "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || v <= 0 {
			return nil, fmt.Errorf("migration %q: name must be NNNN_name.sql", name)
		}
		body, err := fs.ReadFile(migrations.FS, name)
		if err != nil {
			return nil, fmt.Errorf("read migration %q: %w", name, err)
		}
		out = append(out, Migration{Version: v, Name: strings.TrimSuffix(rest, ".sql"), SQL: string(body)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Version < out[j].Version })
	for i := 1; i < len(out); i++ {
		if out[i].Version == out[i-1].Version {
			return nil, fmt.Errorf("two migrations numbered %d", out[i].Version)
		}
	}
	return out, nil
}

// migrationLockKey is the PostgreSQL advisory lock that serialises migrations
// when several weft processes start at once against one database.
const migrationLockKey = 0x77656674 // "weft"

// Migrate applies pending migrations and then calls extra (the job queue's
// own migrations). It is idempotent and safe to run from several processes
// at once. On SQLite everything runs in one IMMEDIATE transaction, which
// holds the database's write lock, and extra gets that transaction. On
// PostgreSQL a session advisory lock serialises migrating processes; weft's
// migrations commit in one transaction and extra gets a nil transaction and
// runs its own (River's migrations cannot share one: a later one uses an
// enum value an earlier one adds). It returns the versions it applied.
func (s *Store) Migrate(ctx context.Context, extra func(ctx context.Context, tx *sql.Tx) error) ([]int, error) {
	all, err := Migrations()
	if err != nil {
		return nil, err
	}
	if s.Dialect == Postgres {
		conn, err := s.write.Conn(ctx)
		if err != nil {
			return nil, fmt.Errorf("migration lock connection: %w", err)
		}
		defer conn.Close()
		if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock($1)`, migrationLockKey); err != nil {
			return nil, fmt.Errorf("take migration lock: %w", err)
		}
		defer conn.ExecContext(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1)`, migrationLockKey)
	}
	var applied []int
	err = s.InTx(ctx, func(tx *Tx) error {
		if applied, err = applyMigrations(ctx, tx.tx, s.Dialect, all); err != nil {
			return err
		}
		if extra != nil && s.Dialect == SQLite {
			return extra(ctx, tx.tx)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if extra != nil && s.Dialect == Postgres {
		if err := extra(ctx, nil); err != nil {
			return nil, err
		}
	}
	return applied, nil
}

func applyMigrations(ctx context.Context, tx *sql.Tx, d Dialect, all []Migration) ([]int, error) {
	if _, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS weft_migrations (
		version    INTEGER PRIMARY KEY,
		name       TEXT    NOT NULL,
		applied_at BIGINT  NOT NULL)`); err != nil {
		return nil, fmt.Errorf("create migrations table: %w", err)
	}
	done := map[int]bool{}
	rows, err := tx.QueryContext(ctx, `SELECT version FROM weft_migrations`)
	if err != nil {
		return nil, fmt.Errorf("read applied migrations: %w", err)
	}
	for rows.Next() {
		var v int
		if err := rows.Scan(&v); err != nil {
			rows.Close()
			return nil, err
		}
		done[v] = true
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var applied []int
	for _, m := range all {
		if done[m.Version] {
			continue
		}
		if _, err := tx.ExecContext(ctx, m.For(d)); err != nil {
			return nil, fmt.Errorf("apply migration %04d_%s: %w", m.Version, m.Name, err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO weft_migrations (version, name, applied_at) VALUES ($1, $2, $3)`,
			m.Version, m.Name, time.Now().UnixMilli()); err != nil {
			return nil, fmt.Errorf("record migration %d: %w", m.Version, err)
		}
		applied = append(applied, m.Version)
	}
	return applied, nil
}

// SchemaVersion returns the highest applied migration, 0 on an empty database.
func (s *Store) SchemaVersion(ctx context.Context) (int, error) {
	var v sql.NullInt64
	err := s.read.QueryRowContext(ctx, `SELECT MAX(version) FROM weft_migrations`).Scan(&v)
	if err != nil {
		if strings.Contains(err.Error(), "no such table") || strings.Contains(err.Error(), "does not exist") {
			return 0, nil
		}
		return 0, fmt.Errorf("read schema version: %w", err)
	}
	return int(v.Int64), nil
}
