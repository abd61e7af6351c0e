package service_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"weft/internal/id"
	"weft/internal/model"
	"weft/internal/service"
	"weft/internal/store"
	"weft/internal/testkit"
)

// treeString renders a thread tree as "id(child child)" with names.
func treeString(n *service.ThreadNode, names map[int64]string) string {
	if n == nil {
		return "<nil>"
	}
	s := names[n.StatusID]
	if n.View == nil {
		s = "[" + s + "]"
	}
	if len(n.Children) > 0 {
		var kids []string
		for _, k := range n.Children {
			kids = append(kids, treeString(k, names))
		}
		s += "(" + strings.Join(kids, " ") + ")"
	}
	return s
}

func TestThreadContext(t *testing.T) {
	t.Parallel()
	testkit.EachCore(t, func(t *testing.T, c *testkit.Core) {
		f := newFx(t, c)
		alice, bob, carol := c.QuickAccount(t, "alice"), c.QuickAccount(t, "bob"), c.QuickAccount(t, "carol")
		// R ─┬─ A ─┬─ A1 ── A1a
		//    │     └─ A2
		//    └─ B ─── B1
		// created in the order R A B A1 B1 A2 A1a, so reply order and
		// depth-first order differ.
		R := f.post(alice, "R")
		A := f.reply(bob, R, "A")
		B := f.reply(carol, R, "B")
		A1 := f.reply(alice, A, "A1")
		B1 := f.reply(bob, B, "B1")
		A2 := f.reply(carol, A, "A2")
		A1a := f.reply(bob, A1, "A1a")
		names := map[int64]string{R.ID: "R", A.ID: "A", B.ID: "B", A1.ID: "A1", B1.ID: "B1", A2.ID: "A2", A1a.ID: "A1a"}

		cx, err := f.s.StatusContext(f.ctx, 0, R.ID)
		f.must(err, "context of R")
		f.wantIDs(viewIDs(cx.Ancestors), nil, "R's ancestors")
		f.wantIDs(viewIDs(cx.Descendants), statusIDs(A, A1, A1a, A2, B, B1), "R's descendants, depth first")
		if got := treeString(cx.Tree, names); got != "R(A(A1(A1a) A2) B(B1))" {
			t.Fatalf("tree = %s", got)
		}

		cx, err = f.s.StatusContext(f.ctx, alice.ID, A1a.ID)
		f.must(err, "context of A1a")
		f.wantIDs(viewIDs(cx.Ancestors), statusIDs(R, A, A1), "A1a's ancestors, root first")
		f.wantIDs(viewIDs(cx.Descendants), nil, "A1a's descendants")
		if got := treeString(cx.Tree, names); got != "A1a" {
			t.Fatalf("leaf tree = %s", got)
		}

		cx, err = f.s.StatusContext(f.ctx, bob.ID, A.ID)
		f.must(err, "context of A")
		f.wantIDs(viewIDs(cx.Ancestors), statusIDs(R), "A's ancestors")
		f.wantIDs(viewIDs(cx.Descendants), statusIDs(A1, A1a, A2), "A's descendants")
		if got := treeString(cx.Tree, names); got != "A(A1(A1a) A2)" {
			t.Fatalf("subtree = %s", got)
		}

		// The context of a boost is the context of its post.
		b, err := f.s.Reblog(f.ctx, carol.ID, B.ID, "")
		f.must(err, "boost")
		cx, err = f.s.StatusContext(f.ctx, alice.ID, b.Status.ID)
		f.must(err, "context of a boost")
		f.wantIDs(viewIDs(cx.Ancestors), statusIDs(R), "boost's ancestors")
		f.wantIDs(viewIDs(cx.Descendants), statusIDs(B1), "boost's descendants")

		_, err = f.s.StatusContext(f.ctx, alice.ID, 1234)
		f.wantErr(err, model.ErrNotFound, "context of a missing post")
	})
}

// A thread of 500 replies: a deep chain and a wide fan under one root. The
// replies go straight into the store in one transaction (500 posts through
// CreatePost take half a minute on SQLite under -race); they are shaped as
// CreatePost shapes replies.
func TestLongThreadContext(t *testing.T) {
	t.Parallel()
	testkit.EachCore(t, func(t *testing.T, c *testkit.Core) {
		f := newFx(t, c)
		alice, bob := c.QuickAccount(t, "alice"), c.QuickAccount(t, "bob")
		root := f.post(alice, "root")
		const deep, wide = 300, 200
		ids := id.New(nil)
		chain := []*model.Status{root}
		var fan []*model.Status
		reply := func(tx *store.Tx, author *model.Account, parent *model.Status, text string) *model.Status {
			st := &model.Status{ID: ids.Next(), AccountID: author.ID, Text: text, ContentHTML: "<p>" + text + "</p>",
				Visibility: model.Public, InReplyToID: parent.ID, InReplyToAccountID: parent.AccountID,
				ThreadID: parent.ThreadID, ConversationID: parent.ConversationID, Local: true, CreatedAt: time.Now().UTC()}
			f.must(tx.InsertStatus(f.ctx, st), "insert reply")
			f.must(tx.AdjustStatusCounts(f.ctx, parent.ID, 1, 0, 0), "count reply")
			return st
		}
		f.must(c.Store.InTx(f.ctx, func(tx *store.Tx) error {
			for i := range deep {
				who := alice
				if i%2 == 0 {
					who = bob
				}
				chain = append(chain, reply(tx, who, chain[len(chain)-1], fmt.Sprintf("deep %d", i)))
			}
			for i := range wide {
				fan = append(fan, reply(tx, bob, root, fmt.Sprintf("wide %d", i)))
			}
			return nil
		}), "insert the thread")

		cx, err := f.s.StatusContext(f.ctx, alice.ID, root.ID)
		f.must(err, "context of the root")
		if len(cx.Descendants) != deep+wide {
			t.Fatalf("root has %d descendants, want %d", len(cx.Descendants), deep+wide)
		}
		f.wantIDs(viewIDs(cx.Descendants), append(statusIDs(chain[1:]...), statusIDs(fan...)...), "descendants, depth first")
		if len(cx.Tree.Children) != wide+1 {
			t.Fatalf("root node has %d children", len(cx.Tree.Children))
		}
		depth := 0
		for n := cx.Tree; len(n.Children) > 0; n = n.Children[0] {
			depth++
		}
		if depth != deep {
			t.Fatalf("tree depth %d, want %d", depth, deep)
		}

		leaf := chain[len(chain)-1]
		cx, err = f.s.StatusContext(f.ctx, bob.ID, leaf.ID)
		f.must(err, "context of the deepest reply")
		f.wantIDs(viewIDs(cx.Ancestors), statusIDs(chain[:deep]...), "ancestors of the deepest reply")
		if n := f.status(root.ID).RepliesCount; n != wide+1 {
			t.Fatalf("root replies_count = %d", n)
		}
	})
}
