package federation_test

import (
	"fmt"
	"net/http"
	"slices"
	"testing"

	"weft/internal/httpsig"
	"weft/internal/testkit"
)

// Remote hashtags are held to the rules of local ones: a name that could
// not be a hashtag here ("<script>…", digits alone) is dropped, not stored
// nor trended. And one remote server cannot fill the trends: its accounts,
// however many, count as one voice, so two members of this server using a
// tag outrank five accounts of one server using another.
func TestRemoteTagsAndTrends(t *testing.T) {
	eachPeerDialect(t, func(t *testing.T, w *testkit.API) {
		_, alice := member(t, w, "alice", true)
		_, bob := member(t, w, "bob", true)
		names := []string{"s1", "s2", "s3", "s4", "s5"}
		p := testkit.NewPeer(t, names...)
		for _, n := range names {
			followPeer(t, w, alice, p, n) // so their posts are wanted
			note := p.NextID(n, "notes")
			create := map[string]any{"@context": "https://www.w3.org/ns/activitystreams", "id": note + "/activity", "type": "Create",
				"actor": p.ActorID(n), "to": []string{"https://www.w3.org/ns/activitystreams#Public"},
				"object": map[string]any{"id": note, "type": "Note", "attributedTo": p.ActorID(n),
					"content": "<p>buy now</p>", "to": []string{"https://www.w3.org/ns/activitystreams#Public"},
					"tag": []any{
						map[string]any{"type": "Hashtag", "name": "#<script>alert(1)</script>"},
						map[string]any{"type": "Hashtag", "name": "#12345"},
						map[string]any{"type": "Hashtag", "name": "#flood"},
					}}}
			wantInbox(t, "a tagged post", p.Deliver(t, w.URL+"/inbox", create, httpsig.Cavage), http.StatusAccepted)
		}
		peerSoon(t, "the five posts arrive", func() bool {
			return len(w.Do(t, "GET", "/api/v1/timelines/tag/flood", alice, nil).Want(t, 200).List(t)) == 5
		})
		st := w.Do(t, "GET", "/api/v1/timelines/tag/flood", alice, nil).Want(t, 200).List(t)[0]
		var tags []string
		for _, tg := range st["tags"].([]any) {
			tags = append(tags, fmt.Sprint(tg.(map[string]any)["name"]))
		}
		if !slices.Equal(tags, []string{"flood"}) {
			t.Fatalf("stored tags %v, want only flood", tags)
		}
		for _, tok := range []string{alice, bob} {
			w.Do(t, "POST", "/api/v1/statuses", tok, map[string]any{"status": "a #real trend"}).Want(t, 200)
		}
		var trends []string
		for _, tg := range w.Do(t, "GET", "/api/v1/trends/tags", "", nil).Want(t, 200).List(t) {
			trends = append(trends, fmt.Sprint(tg["name"]))
		}
		if len(trends) < 2 || trends[0] != "real" || trends[1] != "flood" || slices.ContainsFunc(trends, func(s string) bool { return s != "real" && s != "flood" }) {
			t.Fatalf("trends %v, want real (two members) before flood (one server)", trends)
		}
	})
}
