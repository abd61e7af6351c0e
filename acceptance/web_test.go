package acceptance

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"weft/internal/store"
	"weft/internal/testkit"
)

// chromiumPath is Debian's Chromium (the `chromium` package), which
// web.mjs drives through playwright-core; .ci/run installs it.
const chromiumPath = "/usr/bin/chromium"

// webTimeout bounds web.mjs; a passing run takes about 15 s (25 s with -race).
const webTimeout = 150 * time.Second

// needBrowser skips (or, in CI, fails) a test without Debian's Chromium,
// and fails one whose npm package pkg is not installed.
func needBrowser(t *testing.T, pkg string) {
	t.Helper()
	if _, err := os.Stat(chromiumPath); err != nil {
		if os.Getenv("WEFT_ACCEPTANCE_REQUIRED") != "" {
			t.Fatalf("%s is missing and WEFT_ACCEPTANCE_REQUIRED is set: install Debian's chromium package (.ci/run does)", chromiumPath)
		}
		t.Skipf("%s is missing: install Debian's chromium package to run the browser tests (.ci/run does)", chromiumPath)
	}
	if _, err := os.Stat(filepath.Join("node_modules", pkg, "package.json")); err != nil {
		t.Fatalf("node_modules has no %s: run `npm ci` in acceptance/ again (%v)", pkg, err)
	}
}

// TestWebApp drives the web app in a real headless Chromium (web.mjs, with
// playwright-core from package.json) against two `weft serve` instances
// that federate over loopback: sign-up, sign-in, a thread, a reply, a like,
// a follow and the home feed on instance A with JavaScript on; fediverse
// sharing and following a member of instance B, whose post arrives; the
// core flow again with JavaScript off; no console errors or CSP
// violations. It saves screenshots of the main pages at phone and desktop
// widths into acceptance/screenshots (or $ACCEPT_SCREENSHOTS).
//
// It runs on SQLite only, like TestFedifyPeer: the pages do not depend on
// the database, which TestClientLibraries covers.
func TestWebApp(t *testing.T) {
	node := nodeForTest(t)
	needBrowser(t, "playwright-core")
	declareInputs(t)
	shots := os.Getenv("ACCEPT_SCREENSHOTS")
	if shots == "" {
		shots = "screenshots"
	}
	shots, err := filepath.Abs(shots)
	if err != nil {
		t.Fatal(err)
	}
	bin := buildWeft(t)
	start := time.Now()
	// Both instances may reach each other on loopback; members start with
	// fediverse sharing off (the default), as the pages expect.
	allow := "WEFT_FEDERATION_ALLOW_PRIVATE=127.0.0.0/8"
	a := startServer(t, bin, testkit.FreshURL(t, store.SQLite), allow)
	b := startServer(t, bin, testkit.FreshURL(t, store.SQLite), allow)
	// A member made by an admin, who signs in through the form (the
	// JavaScript-off run); the others sign up in the browser.
	const member = "dave"
	a.admin(t, "user", "create", "--username", member, "--email", member+"@example.com", "--password", password)
	env := []string{
		"ACCEPT_URL=" + a.url,
		"ACCEPT_URL_B=" + b.url,
		"ACCEPT_PASSWORD=" + password,
		"ACCEPT_MEMBER=" + member,
		"ACCEPT_CHROMIUM=" + chromiumPath,
		"ACCEPT_SCREENSHOTS=" + shots,
	}
	if !runScript(t, node, "web.mjs", env, min(webTimeout, scriptTimeoutFor(t))) {
		t.Errorf("web.mjs failed (its output is above; the servers' logs follow)")
	}
	a.stop(t)
	b.stop(t)
	t.Logf("browser tests done in %v; screenshots in %s", time.Since(start).Round(100*time.Millisecond), shots)
}
