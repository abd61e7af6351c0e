package store_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"reflect"
	"testing"
	"time"

	"weft/internal/id"
	"weft/internal/model"
	"weft/internal/store"
	"weft/internal/testkit"
)

func TestMain(m *testing.M) { os.Exit(testkit.Main(m)) }

var ids = id.New(nil)

func nowMS() time.Time { return time.Now().UTC().Truncate(time.Millisecond) }

// fx builds rows on one store; every helper fails the test on error.
type fx struct {
	t   *testing.T
	st  *store.Store
	ctx context.Context
	q   store.Queries
}

func newFx(t *testing.T, st *store.Store) *fx {
	return &fx{t: t, st: st, ctx: context.Background(), q: st.Read()}
}

// tx runs fn in a transaction and fails the test on error.
func (f *fx) tx(fn func(tx *store.Tx) error) {
	f.t.Helper()
	if err := f.st.InTx(f.ctx, fn); err != nil {
		f.t.Fatal(err)
	}
}

// ok fails the test when err is not nil.
func ok(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// yes runs an insert/delete reporting a change and checks its answer.
func yes(t testing.TB, want bool, changed bool, err error) {
	t.Helper()
	ok(t, err)
	if changed != want {
		t.Fatalf("changed = %v, want %v", changed, want)
	}
}

func isKind(t testing.TB, err, kind error) {
	t.Helper()
	if !errors.Is(err, kind) {
		t.Fatalf("error = %v, want %v", err, kind)
	}
}

// account inserts a local account; mods may change it first.
func (f *fx) account(username string, mods ...func(*model.Account)) *model.Account {
	f.t.Helper()
	now := nowMS()
	a := &model.Account{ID: ids.Next(), Username: username, Discoverable: true, CreatedAt: now, UpdatedAt: now}
	for _, m := range mods {
		m(a)
	}
	f.tx(func(tx *store.Tx) error { return tx.InsertAccount(f.ctx, a) })
	return a
}

// accounts inserts n local accounts, in ID order.
func (f *fx) accounts(prefix string, n int) []*model.Account {
	out := make([]*model.Account, n)
	for i := range out {
		out[i] = f.account(fmt.Sprintf("%s%d", prefix, i))
	}
	return out
}

func remote(domain string) func(*model.Account) {
	return func(a *model.Account) { a.Domain = domain; a.URI = "https://" + domain + "/users/" + a.Username }
}

// status inserts a public local post by author; mods may change it first.
func (f *fx) status(author *model.Account, mods ...func(*model.Status)) *model.Status {
	f.t.Helper()
	sid := ids.Next()
	s := &model.Status{ID: sid, AccountID: author.ID, Text: "post", ContentHTML: "<p>post</p>",
		Visibility: model.Public, ThreadID: sid, ConversationID: sid, Local: author.Domain == "", CreatedAt: nowMS()}
	for _, m := range mods {
		m(s)
	}
	f.tx(func(tx *store.Tx) error { return tx.InsertStatus(f.ctx, s) })
	return s
}

func replyTo(parent *model.Status) func(*model.Status) {
	return func(s *model.Status) {
		s.InReplyToID, s.InReplyToAccountID = parent.ID, parent.AccountID
		s.ThreadID, s.ConversationID = parent.ThreadID, parent.ConversationID
	}
}

func visibility(v model.Visibility) func(*model.Status) {
	return func(s *model.Status) { s.Visibility = v }
}

// boost inserts author's boost of post.
func (f *fx) boost(author *model.Account, post *model.Status) *model.Status {
	f.t.Helper()
	return f.status(author, func(s *model.Status) {
		s.Text, s.ContentHTML, s.ReblogOfID = "", "", post.ID
		s.ThreadID, s.ConversationID = post.ThreadID, post.ConversationID
	})
}

func (f *fx) follow(a, b *model.Account) *model.Follow {
	f.t.Helper()
	fl := &model.Follow{ID: ids.Next(), AccountID: a.ID, TargetAccountID: b.ID, ShowReblogs: true, CreatedAt: nowMS()}
	f.tx(func(tx *store.Tx) error {
		_, err := tx.InsertFollow(f.ctx, fl)
		return err
	})
	return fl
}

// block makes a block b and returns the block's ID.
func (f *fx) block(a, b *model.Account) int64 {
	f.t.Helper()
	bid := ids.Next()
	f.tx(func(tx *store.Tx) error {
		_, err := tx.InsertBlock(f.ctx, bid, a.ID, b.ID, "", nowMS())
		return err
	})
	return bid
}

// mute makes a mute b, expiring at expires (nil: never), and returns the
// mute's ID.
func (f *fx) mute(a, b *model.Account, expires *time.Time) int64 {
	f.t.Helper()
	mid := ids.Next()
	f.tx(func(tx *store.Tx) error {
		return tx.UpsertMute(f.ctx, &model.Mute{ID: mid, AccountID: a.ID, TargetAccountID: b.ID,
			HideNotifications: true, ExpiresAt: expires, CreatedAt: nowMS()})
	})
	return mid
}

func (f *fx) reload(a *model.Account) *model.Account {
	f.t.Helper()
	got, err := f.q.AccountByID(f.ctx, a.ID)
	ok(f.t, err)
	return got
}

func (f *fx) reloadStatus(s *model.Status) *model.Status {
	f.t.Helper()
	got, err := f.q.StatusByID(f.ctx, s.ID)
	ok(f.t, err)
	return got
}

func ptr[T any](v T) *T { return &v }

func statusIDs(list []*model.Status) []int64 {
	out := []int64{}
	for _, s := range list {
		out = append(out, s.ID)
	}
	return out
}

func accountIDs(list []*model.Account) []int64 {
	out := []int64{}
	for _, a := range list {
		out = append(out, a.ID)
	}
	return out
}

// same compares lists, treating nil and empty as equal.
func same(t testing.TB, what string, got, want any) {
	t.Helper()
	g, w := reflect.ValueOf(got), reflect.ValueOf(want)
	if g.Kind() == reflect.Slice && w.Kind() == reflect.Slice && g.Len() == 0 && w.Len() == 0 {
		return
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("%s:\n got  %v\n want %v", what, got, want)
	}
}

func desc(in []int64) []int64 {
	out := make([]int64, len(in))
	for i, v := range in {
		out[len(in)-1-i] = v
	}
	return out
}

// checkPaging checks Mastodon's pagination on a newest-first list whose
// items, oldest first, have the IDs asc (at least 10). fetch returns the IDs
// of a page, newest first.
func checkPaging(t *testing.T, asc []int64, fetch func(p model.Page) ([]int64, error)) {
	t.Helper()
	if len(asc) < 10 {
		t.Fatalf("checkPaging needs 10 items, got %d", len(asc))
	}
	n := len(asc)
	cases := []struct {
		name string
		p    model.Page
		want []int64
	}{
		{"newest", model.Page{Limit: 3}, desc(asc[n-3:])},
		{"all", model.Page{Limit: 40}, desc(asc)},
		{"max_id exclusive", model.Page{MaxID: asc[5], Limit: 3}, desc(asc[2:5])},
		{"max_id short page", model.Page{MaxID: asc[2], Limit: 5}, desc(asc[:2])},
		{"since_id newest above", model.Page{SinceID: asc[2], Limit: 3}, desc(asc[n-3:])},
		{"min_id just above", model.Page{MinID: asc[2], Limit: 3}, desc(asc[3:6])},
		{"min_id wins over since_id", model.Page{MinID: asc[2], SinceID: asc[1], Limit: 3}, desc(asc[3:6])},
		{"max_id and since_id", model.Page{MaxID: asc[8], SinceID: asc[2], Limit: 40}, desc(asc[3:8])},
		{"max_id and min_id", model.Page{MaxID: asc[8], MinID: asc[2], Limit: 2}, desc(asc[3:5])},
		{"min_id at newest", model.Page{MinID: asc[n-1], Limit: 3}, nil},
		{"max_id at oldest", model.Page{MaxID: asc[0], Limit: 3}, nil},
	}
	for _, c := range cases {
		got, err := fetch(c.p)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		same(t, c.name, got, c.want)
	}
}

// pageRows adapts an AccountPage query for checkPaging, which pages by
// relation row ID: the page's row IDs, each of which must come with the
// account accountOf gives for it.
func pageRows(accountOf map[int64]int64, fetch func(p model.Page) (store.AccountPage, error)) func(p model.Page) ([]int64, error) {
	return func(p model.Page) ([]int64, error) {
		page, err := fetch(p)
		if err != nil {
			return nil, err
		}
		if len(page.RowIDs) != len(page.AccountIDs) {
			return nil, fmt.Errorf("%d row IDs for %d accounts", len(page.RowIDs), len(page.AccountIDs))
		}
		for i, row := range page.RowIDs {
			if page.AccountIDs[i] != accountOf[row] {
				return nil, fmt.Errorf("row %d with account %d, want %d", row, page.AccountIDs[i], accountOf[row])
			}
		}
		return page.RowIDs, nil
	}
}

func pageStatuses(fetch func(p model.Page) ([]*model.Status, error)) func(p model.Page) ([]int64, error) {
	return func(p model.Page) ([]int64, error) {
		list, err := fetch(p)
		return statusIDs(list), err
	}
}
