package service_test

import (
	"testing"

	"weft/internal/model"
	"weft/internal/service"
	"weft/internal/testkit"
)

// TestDeleteAccountCompatRows: deleting an account deletes its
// notification policy, featured tags, domain blocks and suggestion
// dismissals (its own and others' of it); other accounts' stay.
func TestDeleteAccountCompatRows(t *testing.T) {
	t.Parallel()
	testkit.EachCore(t, func(t *testing.T, c *testkit.Core) {
		f := newFx(t, c)
		alice, bob := c.User(t, "alice"), c.QuickAccount(t, "bob")
		for _, a := range []*model.Account{alice, bob} {
			drop := model.PolicyDrop
			_, err := f.s.SetNotificationPolicy(f.ctx, a.ID, service.NotificationPolicyUpdate{ForNotFollowing: &drop})
			f.must(err, "policy")
			_, err = f.s.FeatureTag(f.ctx, a.ID, "weft")
			f.must(err, "feature")
			f.must(f.s.BlockDomain(f.ctx, a.ID, "spam.example"), "block domain")
		}
		f.must(f.s.DismissSuggestion(f.ctx, alice.ID, bob.ID), "alice dismisses bob")
		f.must(f.s.DismissSuggestion(f.ctx, bob.ID, alice.ID), "bob dismisses alice")
		count := func(table, col string, id int64) int {
			t.Helper()
			var n int
			f.must(c.Store.WriteDB().QueryRowContext(f.ctx, `SELECT COUNT(*) FROM `+table+` WHERE `+col+` = $1`, id).Scan(&n), "count "+table)
			return n
		}
		tables := [][2]string{{"notification_policies", "account_id"}, {"featured_tags", "account_id"},
			{"account_domain_blocks", "account_id"}, {"suggestion_dismissals", "account_id"},
			{"suggestion_dismissals", "target_account_id"}}
		for _, tc := range tables {
			if count(tc[0], tc[1], alice.ID) != 1 {
				t.Fatalf("%s.%s: no row of alice's before", tc[0], tc[1])
			}
		}
		f.must(f.s.DeleteAccount(f.ctx, alice.ID), "delete alice")
		c.Settle(t)
		for _, tc := range tables {
			if n := count(tc[0], tc[1], alice.ID); n != 0 {
				t.Errorf("%s.%s: %d rows of alice's left", tc[0], tc[1], n)
			}
		}
		for _, tc := range tables[:3] {
			if count(tc[0], tc[1], bob.ID) != 1 {
				t.Errorf("%s: bob's row went too", tc[0])
			}
		}
	})
}
