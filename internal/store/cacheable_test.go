package store

import "testing"

func TestCacheable(t *testing.T) {
	for q, want := range map[string]bool{
		"SELECT 1":                              true,
		"SELECT 1;":                             true,
		"SELECT 1; SELECT 2":                    false,
		"SELECT ';' AS x":                       true,
		"SELECT 'it''s; fine'":                  true,
		"-- once; again\nSELECT 1":              true,
		"SELECT 1 -- a; b\n":                    true,
		"/* a; b */ SELECT 1":                   true,
		"/* unclosed; SELECT 1":                 false,
		"SELECT 1 /* x */; SELECT 2":            false,
		"UPDATE t SET a = 1 -- note;\n; DELETE": false,
	} {
		if got := cacheable(q); got != want {
			t.Errorf("cacheable(%q) = %v, want %v", q, got, want)
		}
	}
}
