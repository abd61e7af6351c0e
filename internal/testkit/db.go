// Package testkit gives tests real databases and a running weft core:
// SQLite always, PostgreSQL when WEFT_TEST_POSTGRES_URL is set. Each test
// gets a fresh database of its own, dropped when it ends, so parallel
// packages and repeated runs never see each other's data.
package testkit

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"weft/internal/jobs"
	"weft/internal/store"
)

// PostgresEnv names the admin URL of a PostgreSQL server tests may create
// databases on, e.g. postgres://postgres@127.0.0.1:5432/test?sslmode=disable.
const PostgresEnv = "WEFT_TEST_POSTGRES_URL"

// Dialects lists the databases this run tests on.
func Dialects() []store.Dialect {
	if os.Getenv(PostgresEnv) != "" {
		return []store.Dialect{store.SQLite, store.Postgres}
	}
	return []store.Dialect{store.SQLite}
}

// EachDB runs fn as a subtest on each database, with a fresh migrated store.
func EachDB(t *testing.T, fn func(t *testing.T, st *store.Store)) {
	t.Helper()
	for _, d := range Dialects() {
		t.Run(string(d), func(t *testing.T) {
			fn(t, NewStore(t, d))
		})
	}
}

// NewStore returns a fresh, migrated store on the given database, closed
// (and on PostgreSQL dropped) when the test ends.
func NewStore(t testing.TB, d store.Dialect) *store.Store {
	t.Helper()
	ctx := context.Background()
	var dbURL string
	switch d {
	case store.SQLite:
		dbURL = "sqlite:" + filepath.Join(t.TempDir(), "weft.db")
	case store.Postgres:
		dbURL = freshPostgres(t)
	default:
		t.Fatalf("unknown dialect %q", d)
	}
	st, err := store.Open(ctx, store.Options{URL: dbURL})
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { st.Close() })
	if d == store.SQLite { // PostgreSQL databases come migrated from the template
		if err := MigrateAll(ctx, st); err != nil {
			t.Fatalf("migrate: %v", err)
		}
	}
	return st
}

// MigrateAll applies weft's and River's migrations.
func MigrateAll(ctx context.Context, st *store.Store) error {
	_, err := st.Migrate(ctx, func(ctx context.Context, tx *sql.Tx) error { return jobs.Migrate(ctx, st, tx) })
	return err
}

// PostgreSQL: migrating a database takes a while, so each test process
// migrates one template database once and every test copies it (CREATE
// DATABASE … TEMPLATE is fast). The template carries the process ID; Main
// drops it when the package's tests end.
var pg struct {
	once     sync.Once
	mu       sync.Mutex // CREATE DATABASE from one template, one at a time
	template string
	err      error
}

func adminURL() string { return os.Getenv(PostgresEnv) }

func withDatabase(raw, name string) (string, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return "", err
	}
	u.Path = "/" + name
	return u.String(), nil
}

func randomName(prefix string) string {
	var b [6]byte
	_, _ = rand.Read(b[:])
	return prefix + hex.EncodeToString(b[:])
}

func adminExec(ctx context.Context, stmt string) error {
	db, err := sql.Open("pgx", adminURL())
	if err != nil {
		return err
	}
	defer db.Close()
	_, err = db.ExecContext(ctx, stmt)
	return err
}

func prepareTemplate(ctx context.Context) (string, error) {
	dropOrphans(ctx)
	name := fmt.Sprintf("weft_tmpl_%d_%s", os.Getpid(), randomName(""))
	if err := adminExec(ctx, `CREATE DATABASE `+name); err != nil {
		return "", fmt.Errorf("create template database: %w", err)
	}
	u, err := withDatabase(adminURL(), name)
	if err != nil {
		return "", err
	}
	st, err := store.Open(ctx, store.Options{URL: u})
	if err != nil {
		return "", err
	}
	defer st.Close()
	if err := MigrateAll(ctx, st); err != nil {
		return "", fmt.Errorf("migrate template: %w", err)
	}
	return name, nil
}

// dropOrphans drops test databases left by test processes that were killed
// before they could clean up (their names carry the process ID). Only for a
// server on this machine: on a shared remote server a process ID says
// nothing about whose database it is.
func dropOrphans(ctx context.Context) {
	u, err := url.Parse(adminURL())
	if err != nil {
		return
	}
	if h := u.Hostname(); h != "localhost" && !strings.HasPrefix(h, "127.") && h != "::1" && h != "" {
		return
	}
	db, err := sql.Open("pgx", adminURL())
	if err != nil {
		return
	}
	defer db.Close()
	rows, err := db.QueryContext(ctx, `SELECT datname FROM pg_database WHERE datname LIKE 'weft_test_%' OR datname LIKE 'weft_tmpl_%'`)
	if err != nil {
		return
	}
	var orphans []string
	for rows.Next() {
		var name string
		if rows.Scan(&name) != nil {
			continue
		}
		parts := strings.Split(name, "_") // weft, test|tmpl, pid, random
		if len(parts) != 4 {
			continue
		}
		pid, err := strconv.Atoi(parts[2])
		if err != nil || processAlive(pid) {
			continue
		}
		orphans = append(orphans, name)
	}
	rows.Close()
	for _, name := range orphans {
		_, _ = db.ExecContext(ctx, `DROP DATABASE IF EXISTS `+name+` WITH (FORCE)`)
	}
}

func processAlive(pid int) bool {
	if pid <= 0 {
		return false
	}
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}

func freshPostgres(t testing.TB) string {
	t.Helper()
	if adminURL() == "" {
		t.Skipf("PostgreSQL tests need %s", PostgresEnv)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	pg.once.Do(func() { pg.template, pg.err = prepareTemplate(ctx) })
	if pg.err != nil {
		t.Fatalf("PostgreSQL template: %v", pg.err)
	}
	pg.mu.Lock()
	defer pg.mu.Unlock()
	return createPostgres(t, ctx, ` TEMPLATE `+pg.template)
}

// createPostgres creates a database (CREATE DATABASE name+suffix), drops it
// when the test ends and returns its URL.
func createPostgres(t testing.TB, ctx context.Context, suffix string) string {
	t.Helper()
	name := randomName(fmt.Sprintf("weft_test_%d_", os.Getpid()))
	if err := adminExec(ctx, `CREATE DATABASE `+name+suffix); err != nil {
		t.Fatalf("create test database: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		if err := adminExec(ctx, `DROP DATABASE IF EXISTS `+name+` WITH (FORCE)`); err != nil {
			t.Logf("drop test database %s: %v", name, err)
		}
	})
	u, err := withDatabase(adminURL(), name)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// FreshURL returns the URL of a new, empty, unmigrated database on dialect
// d, removed when the test ends: for tests of migration itself, which may
// open several stores on it.
func FreshURL(t testing.TB, d store.Dialect) string {
	t.Helper()
	switch d {
	case store.SQLite:
		return "sqlite:" + filepath.Join(t.TempDir(), "weft.db")
	case store.Postgres:
		if adminURL() == "" {
			t.Skipf("PostgreSQL tests need %s", PostgresEnv)
		}
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		return createPostgres(t, ctx, "")
	}
	t.Fatalf("unknown dialect %q", d)
	return ""
}

// Main runs a package's tests and then drops its PostgreSQL template. Use
// it from TestMain in every package that uses testkit databases:
//
//	func TestMain(m *testing.M) { os.Exit(testkit.Main(m)) }
func Main(m *testing.M) int {
	code := m.Run()
	if pg.template != "" {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		if err := adminExec(ctx, `DROP DATABASE IF EXISTS `+pg.template+` WITH (FORCE)`); err != nil && !strings.Contains(err.Error(), "does not exist") {
			fmt.Fprintf(os.Stderr, "testkit: drop template %s: %v\n", pg.template, err)
		}
	}
	return code
}
