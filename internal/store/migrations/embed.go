// Package migrations holds weft's schema as append-only, numbered SQL files,
// embedded in the binary. A file is never edited once released: changes go
// into a new file. Each file must run on both SQLite and PostgreSQL; where
// they share no syntax, a file holds a section for each, after a line
// "-- weft:sqlite" or "-- weft:postgres" (store.Migration.For).
package migrations

import "embed"

// FS holds the files, named NNNN_name.sql.
//
//go:embed *.sql
var FS embed.FS
