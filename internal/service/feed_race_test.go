package service_test

import (
	"sync"
	"testing"

	"weft/internal/model"
	"weft/internal/testkit"
)

// Boosts of one post by several followed accounts at the same moment, fanned
// out by concurrent jobs, still give the post a single place in the home
// timeline (on PostgreSQL the fan-outs of one post take a lock for this).
func TestConcurrentBoostsShowOnce(t *testing.T) {
	t.Parallel()
	testkit.EachCore(t, func(t *testing.T, c *testkit.Core) {
		f := newFx(t, c)
		viewer, author := c.QuickAccount(t, "viewer"), c.QuickAccount(t, "author")
		var boosters []*model.Account
		for _, name := range []string{"b1", "b2", "b3", "b4"} {
			b := c.QuickAccount(t, name)
			f.follow(viewer, b)
			boosters = append(boosters, b)
		}
		c.Settle(t)
		const posts = 5
		for i := 0; i < posts; i++ {
			p := f.post(author, "boost me")
			var wg sync.WaitGroup
			for _, b := range boosters {
				wg.Add(1)
				go func() {
					defer wg.Done()
					_, err := f.s.Reblog(f.ctx, b.ID, p.ID, "")
					if err != nil {
						t.Errorf("boost: %v", err)
					}
				}()
			}
			wg.Wait()
		}
		c.Settle(t)
		tl := f.home(viewer, model.Page{Limit: model.MaxLimit})
		seen := map[int64]int{}
		for _, v := range tl.Statuses {
			if v.Reblog != nil {
				seen[v.Reblog.Status.ID]++
			}
		}
		if len(seen) != posts {
			t.Fatalf("home shows %d boosted posts, want %d", len(seen), posts)
		}
		for id, n := range seen {
			if n != 1 {
				t.Fatalf("post %d shows %d times", id, n)
			}
		}
	})
}
