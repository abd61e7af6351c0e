package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"weft/internal/service"
	"weft/internal/store"
	"weft/internal/testkit"
)

// seedHome makes a reader who follows four authors with perAuthor posts
// each (every other one liked by the reader, if like), and returns the
// reader's session cookie.
func seedHome(tb testing.TB, a *testkit.API, perAuthor int, like bool) string {
	ctx := context.Background()
	reader := a.User(tb, "reader")
	for i := range 4 {
		author := a.User(tb, fmt.Sprintf("author%d", i))
		_, err := a.Service.Follow(ctx, reader.ID, author.ID, service.FollowOptions{})
		testkit.Must(tb, err, "follow")
		for j := range perAuthor {
			p := a.Post(tb, author, service.PostInput{Text: fmt.Sprintf("post %d by author %d, with #tags and a link https://example.com/%d and a few more words to make it a normal post", j, i, j)})
			if like && j%2 == 0 {
				_, err := a.Service.Favourite(ctx, reader.ID, p.ID)
				testkit.Must(tb, err, "like")
			}
		}
	}
	a.Settle(tb)
	cookie, _, err := a.Service.StartSession(ctx, reader.ID, "seed")
	testkit.Must(tb, err, "session")
	return cookie
}

// BenchmarkHomePage renders a member's home feed page — 40 posts by the
// people they follow, with the composer — as the browser asks for it,
// through the whole HTTP stack in process, on SQLite. The target is a
// median under 20 ms.
func BenchmarkHomePage(b *testing.B) {
	a := testkit.NewAPI(b, store.SQLite, nil)
	cookie := seedHome(b, a, 15, false)
	req := httptest.NewRequest(http.MethodGet, "/", nil)
	req.AddCookie(&http.Cookie{Name: "_weft_session", Value: cookie})
	check := httptest.NewRecorder()
	a.Handler.ServeHTTP(check, req)
	if check.Code != 200 {
		b.Fatalf("home page: %d", check.Code)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		rec := httptest.NewRecorder()
		a.Handler.ServeHTTP(rec, req)
		if rec.Code != 200 {
			b.Fatalf("home page: %d", rec.Code)
		}
	}
	b.ReportMetric(float64(len(check.Body.Bytes()))/1024, "KiB/page")
}
