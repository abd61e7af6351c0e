package acceptance

import (
	"testing"
	"time"

	"weft/internal/store"
	"weft/internal/testkit"
)

// lighthouseTimeout bounds lighthouse.mjs: four pages, each about 15 s
// (twice if its performance score needs a second try).
const lighthouseTimeout = 240 * time.Second

// TestLighthouse runs Lighthouse's mobile audit (lighthouse.mjs, npm
// lighthouse 12.2.3 on Debian's Chromium) on the landing page, home, a
// post and a profile of a `weft serve`: performance, accessibility and
// best practices at least 95 each.
func TestLighthouse(t *testing.T) {
	if testing.Short() {
		t.Skip("Lighthouse takes a minute")
	}
	node := nodeForTest(t)
	needBrowser(t, "lighthouse")
	declareInputs(t)
	bin := buildWeft(t)
	a := startServer(t, bin, testkit.FreshURL(t, store.SQLite))
	const member = "lena"
	a.admin(t, "user", "create", "--username", member, "--email", member+"@example.com", "--password", password)
	env := []string{"ACCEPT_URL=" + a.url, "ACCEPT_MEMBER=" + member, "ACCEPT_PASSWORD=" + password, "ACCEPT_CHROMIUM=" + chromiumPath}
	if !runScript(t, node, "lighthouse.mjs", env, min(lighthouseTimeout, scriptTimeoutFor(t))) {
		t.Errorf("lighthouse.mjs failed (its output is above)")
	}
	a.stop(t)
}
