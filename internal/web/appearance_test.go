package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"weft/internal/testkit"
)

// Light, dark or as the device is set, chosen per browser in Settings →
// Appearance: every page then carries the choice (data-theme and
// color-scheme), and "as the device is set" takes it away again.
func TestAppearanceChoice(t *testing.T) {
	a := testkit.NewAPI(t, testkit.Dialects()[0], nil)
	alice := signUp(t, a, "alice")
	page := alice.get("/settings/appearance").want(t, 200).has(t, `value="system" checked`, "Light or dark")
	if strings.Contains(page.body, "data-theme") {
		t.Fatal("a theme before any choice")
	}
	alice.post("/settings/appearance", url.Values{"authenticity_token": {page.token(t)}, "theme": {"dark"}}, "").want(t, http.StatusSeeOther)
	alice.get("/").want(t, 200).has(t, `<html lang="en" data-theme="dark">`, `<meta name="color-scheme" content="dark">`)
	alice.get("/settings/appearance").want(t, 200).has(t, `value="dark" checked`)
	// The OAuth pages (an app asking for access) follow it too.
	alice.get("/oauth/authorize?client_id=nope&response_type=code").has(t, `<html lang="en" data-theme="dark">`, `<meta name="color-scheme" content="dark">`)
	alice.post("/settings/appearance", url.Values{"authenticity_token": {page.token(t)}, "theme": {"system"}}, "").want(t, http.StatusSeeOther)
	if p := alice.get("/").want(t, 200); strings.Contains(p.body, "data-theme") || !strings.Contains(p.body, `content="light dark"`) {
		t.Fatal("the choice stayed after going back to the device's")
	}
	alice.post("/settings/appearance", url.Values{"authenticity_token": {page.token(t)}, "theme": {"neon"}}, "").want(t, http.StatusSeeOther)
	if p := alice.get("/").want(t, 200); strings.Contains(p.body, "data-theme") {
		t.Fatal("an unknown theme was kept")
	}
}
