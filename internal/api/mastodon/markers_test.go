package mastodon_test

import (
	"net/url"
	"testing"

	"weft/internal/testkit"
)

func TestMarkers(t *testing.T) {
	t.Parallel()
	testkit.EachAPI(t, func(t *testing.T, a *testkit.API) {
		f := tlFx{t, a}
		alice, tok := f.user("alice")
		_, bobTok := f.user("bob")
		both := "/api/v1/markers?timeline[]=home&timeline[]=notifications"
		if m := f.get(both, tok, 200).Map(t); len(m) != 0 {
			t.Fatalf("no markers yet: %v", m)
		}
		// A form, then JSON objects, as clients send both.
		m := a.Do(t, "POST", "/api/v1/markers", tok, url.Values{"home[last_read_id]": {"103"}}).Want(t, 200).Map(t)
		home := m["home"].(map[string]any)
		if len(m) != 1 || home["last_read_id"] != "103" || home["version"] != float64(0) || home["updated_at"] == "" {
			t.Fatalf("set home: %v", m)
		}
		m = a.Do(t, "POST", "/api/v1/markers", tok, map[string]any{
			"home":          map[string]any{"last_read_id": "110"},
			"notifications": map[string]any{"last_read_id": 7},
		}).Want(t, 200).Map(t)
		if m["home"].(map[string]any)["version"] != float64(1) || m["notifications"].(map[string]any)["last_read_id"] != "7" {
			t.Fatalf("set both: %v", m)
		}
		got := f.get(both, tok, 200).Map(t)
		if got["home"].(map[string]any)["last_read_id"] != "110" || got["notifications"].(map[string]any)["version"] != float64(0) {
			t.Fatalf("read both: %v", got)
		}
		if only := f.get("/api/v1/markers?timeline[]=notifications&timeline[]=other", tok, 200).Map(t); len(only) != 1 || only["notifications"] == nil {
			t.Fatalf("one timeline: %v", only)
		}
		if none := f.get("/api/v1/markers", tok, 200).Map(t); len(none) != 0 {
			t.Fatalf("no timeline asked: %v", none)
		}
		if others := f.get(both, bobTok, 200).Map(t); len(others) != 0 {
			t.Fatalf("bob sees alice's markers: %v", others)
		}
		if empty := a.Do(t, "POST", "/api/v1/markers", tok, nil).Want(t, 200).Map(t); len(empty) != 0 {
			t.Fatalf("nothing to save: %v", empty)
		}
		a.Do(t, "POST", "/api/v1/markers", tok, url.Values{"home[last_read_id]": {"abc"}}).Want(t, 422)
		a.Do(t, "POST", "/api/v1/markers", tok, url.Values{"home[last_read_id]": {""}}).Want(t, 422)
		a.Do(t, "POST", "/api/v1/markers", a.Token(t, alice, "read"), url.Values{"home[last_read_id]": {"1"}}).Want(t, 403)
		f.get(both, a.Token(t, alice, "write"), 403)
		f.get(both, "", 401)
	})
}
