package mastodon_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"weft/internal/testkit"
)

// BenchmarkHomeHTTP: GET /api/v1/timelines/home?limit=40 through the whole
// handler stack (auth, service, entities, JSON), without the network, for
// an account following 200 accounts with 20,000 posts (2,000 with -short).
func BenchmarkHomeHTTP(b *testing.B) {
	for _, d := range testkit.Dialects() {
		b.Run(string(d), func(b *testing.B) {
			a := testkit.NewAPI(b, d, nil)
			n := 20_000
			if testing.Short() {
				n = 2_000
			}
			seed := testkit.SeedHome(b, a.Core, 200, n)
			acc, err := a.Store.Read().AccountByID(b.Context(), seed.Viewer)
			if err != nil {
				b.Fatal(err)
			}
			tok := a.Token(b, acc, "read")
			h := a.Handler
			req := httptest.NewRequest("GET", "/api/v1/timelines/home?limit=40", nil)
			req.Header.Set("Authorization", "Bearer "+tok)
			b.ReportAllocs()
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					w := httptest.NewRecorder()
					h.ServeHTTP(w, req)
					if w.Code != http.StatusOK {
						b.Fatalf("status %d: %s", w.Code, w.Body.String())
					}
				}
			})
		})
	}
}
