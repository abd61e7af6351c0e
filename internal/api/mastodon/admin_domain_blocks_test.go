package mastodon_test

import (
	"context"
	"net/url"
	"testing"

	"weft/internal/service"
	"weft/internal/testkit"
)

func TestAdminDomainBlocks(t *testing.T) {
	t.Parallel()
	testkit.EachAPI(t, func(t *testing.T, a *testkit.API) {
		admin, err := a.Service.Register(context.Background(), service.Registration{Username: "ada",
			Email: "ada@weft.test", Password: "correct horse battery staple", Admin: true})
		testkit.Must(t, err, "admin")
		tok := a.Token(t, admin, "admin:read admin:write")
		_, userTok := a.Account(t, "someone")

		a.Do(t, "GET", "/api/v1/admin/domain_blocks", userTok, nil).Want(t, 403)
		b := a.Do(t, "POST", "/api/v1/admin/domain_blocks", tok, url.Values{"domain": {"Spam.Example"},
			"severity": {"suspend"}, "reject_media": {"true"}, "private_comment": {"spam"}}).Want(t, 200).Map(t)
		if b["domain"] != "spam.example" || b["severity"] != "suspend" || b["reject_media"] != true || b["private_comment"] != "spam" || b["id"] == "" {
			t.Fatalf("created: %v", b)
		}
		id := b["id"].(string)
		silenced := a.Do(t, "POST", "/api/v1/admin/domain_blocks", tok, url.Values{"domain": {"loud.example"}}).Want(t, 200).Map(t)
		if silenced["severity"] != "silence" {
			t.Fatalf("a new block's default severity: %v", silenced["severity"])
		}
		a.Do(t, "POST", "/api/v1/admin/domain_blocks", tok, url.Values{"domain": {"x.example"}, "severity": {"nonsense"}}).Want(t, 422)
		a.Do(t, "POST", "/api/v1/admin/domain_blocks", tok, url.Values{}).Want(t, 422)

		got := a.Do(t, "GET", "/api/v1/admin/domain_blocks/"+id, tok, nil).Want(t, 200).Map(t)
		if got["domain"] != "spam.example" {
			t.Fatalf("get: %v", got)
		}
		upd := a.Do(t, "PUT", "/api/v1/admin/domain_blocks/"+id, tok, url.Values{"severity": {"silence"}}).Want(t, 200).Map(t)
		if upd["severity"] != "silence" || upd["id"] != id || upd["reject_media"] != true {
			t.Fatalf("updated: %v", upd)
		}
		if list := a.Do(t, "GET", "/api/v1/admin/domain_blocks", tok, nil).Want(t, 200).List(t); len(list) != 2 {
			t.Fatalf("list: %v", list)
		}
		a.Do(t, "DELETE", "/api/v1/admin/domain_blocks/"+id, tok, nil).Want(t, 200)
		a.Do(t, "GET", "/api/v1/admin/domain_blocks/"+id, tok, nil).Want(t, 404)
		a.Do(t, "GET", "/api/v1/admin/domain_blocks", a.Token(t, admin, "read"), nil).Want(t, 403)
	})
}
