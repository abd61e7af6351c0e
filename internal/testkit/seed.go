package testkit

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"weft/internal/id"
	"weft/internal/model"
	"weft/internal/store"
)

// bulkInsert inserts rows with multi-row INSERT statements, in one
// transaction per chunk. For seeding benchmarks only: it bypasses the
// service on purpose, to build 100,000 posts in seconds.
func bulkInsert(tb testing.TB, st *store.Store, table string, cols []string, rows [][]any) {
	tb.Helper()
	const chunk = 500
	ctx := context.Background()
	for start := 0; start < len(rows); start += chunk {
		end := min(start+chunk, len(rows))
		var b strings.Builder
		args := make([]any, 0, (end-start)*len(cols))
		fmt.Fprintf(&b, "INSERT INTO %s (%s) VALUES ", table, strings.Join(cols, ", "))
		for i, row := range rows[start:end] {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteByte('(')
			for j, v := range row {
				if j > 0 {
					b.WriteString(", ")
				}
				args = append(args, v)
				fmt.Fprintf(&b, "$%d", len(args))
			}
			b.WriteByte(')')
		}
		if _, err := st.WriteDB().ExecContext(ctx, b.String(), args...); err != nil {
			tb.Fatalf("seed %s: %v", table, err)
		}
	}
}

// HomeSeed describes a seeded home timeline.
type HomeSeed struct {
	Viewer    int64   // follows every author
	Authors   []int64 // the followed accounts
	PostCount int
}

// SeedHome builds, straight in the database, a viewer following `follows`
// accounts that wrote `posts` posts between them (round robin; mostly
// public, some unlisted and followers-only, one in ten mentioning the
// viewer, one in five with a hashtag), with the viewer's home timeline
// filled as fan-out would have filled it. Then it refreshes the planner's
// statistics, as a running server's database would have them.
func SeedHome(tb testing.TB, c *Core, follows, posts int) HomeSeed {
	tb.Helper()
	now := time.Now().UTC().Truncate(time.Millisecond)
	ms := now.UnixMilli()
	seed := HomeSeed{Viewer: c.ids.Next(), PostCount: posts}
	accountCols := []string{"id", "username", "username_key", "domain", "created_at", "updated_at", "followers_count", "statuses_count"}
	accounts := [][]any{{seed.Viewer, "viewer", "viewer", "", ms, ms, 0, 0}}
	for i := 0; i < follows; i++ {
		a := c.ids.Next()
		seed.Authors = append(seed.Authors, a)
		name := fmt.Sprintf("author%d", i)
		accounts = append(accounts, []any{a, name, name, "", ms, ms, 1, posts / follows})
	}
	bulkInsert(tb, c.Store, "accounts", accountCols, accounts)
	var followRows [][]any
	for _, a := range seed.Authors {
		followRows = append(followRows, []any{c.ids.Next(), seed.Viewer, a, true, false, ms})
	}
	bulkInsert(tb, c.Store, "follows", []string{"id", "account_id", "target_account_id", "show_reblogs", "notify", "created_at"}, followRows)

	tagID := c.ids.Next()
	bulkInsert(tb, c.Store, "tags", []string{"id", "name", "name_key", "created_at"}, [][]any{{tagID, "weft", "weft", ms}})
	// Post IDs must be time-ordered like real ones: spread them over the
	// last `posts` seconds, oldest first.
	var statuses, feed, mentions, tags [][]any
	for i := 0; i < posts; i++ {
		author := seed.Authors[i%len(seed.Authors)]
		at := now.Add(time.Duration(i-posts) * time.Second)
		sid := id.At(at)
		vis := model.Public
		switch i % 10 {
		case 3:
			vis = model.Unlisted
		case 7:
			vis = model.Private
		}
		text := fmt.Sprintf("post %d by %d: a short line of text like people write, with a link https://example.com/%d", i, author, i)
		html := "<p>" + text + "</p>"
		statuses = append(statuses, []any{sid, author, text, html, string(vis), sid, sid, true, at.UnixMilli()})
		feed = append(feed, []any{seed.Viewer, sid, sid, author})
		if i%10 == 0 {
			mentions = append(mentions, []any{sid, seed.Viewer})
		}
		if i%5 == 0 {
			tags = append(tags, []any{tagID, sid})
		}
	}
	bulkInsert(tb, c.Store, "statuses", []string{"id", "account_id", "text", "content_html", "visibility", "thread_id", "conversation_id", "local", "created_at"}, statuses)
	bulkInsert(tb, c.Store, "home_feed", []string{"account_id", "entry_id", "object_id", "author_id"}, feed)
	bulkInsert(tb, c.Store, "status_mentions", []string{"status_id", "account_id"}, mentions)
	bulkInsert(tb, c.Store, "status_tags", []string{"tag_id", "status_id"}, tags)
	if _, err := c.Store.WriteDB().ExecContext(context.Background(), "ANALYZE"); err != nil {
		tb.Fatalf("analyze: %v", err)
	}
	return seed
}
