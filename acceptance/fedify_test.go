package acceptance

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"weft/internal/store"
	"weft/internal/testkit"
)

// fedifyTimeout bounds fedify.mjs, whose waits are 15 s each at most; a
// passing run takes about 5 s.
const fedifyTimeout = 100 * time.Second

// TestFedifyPeer federates weft with Fedify, a third-party ActivityPub
// implementation, over loopback: fedify.mjs runs a Fedify server with one
// actor and checks, with signatures verified on both sides, that a weft
// member follows it (Follow, Accept), receives its post, is followed by it
// (WebFinger or actor lookup, Follow, Accept), delivers a post to it, likes
// its post and unfollows it (Like, Undo), and is unfollowed by it.
//
// It runs on SQLite only: what it tests is the protocol between two
// servers, which the database under weft does not change, and
// TestClientLibraries already covers both databases.
func TestFedifyPeer(t *testing.T) {
	node := nodeForTest(t)
	if _, err := os.Stat(filepath.Join("node_modules", "@fedify", "fedify", "package.json")); err != nil {
		t.Fatalf("node_modules has no @fedify/fedify: run `npm ci` in acceptance/ again (%v)", err)
	}
	declareInputs(t)
	bin := buildWeft(t)
	start := time.Now()
	srv := startServer(t, bin, testkit.FreshURL(t, store.SQLite),
		// Outgoing federation may reach the Fedify peer on loopback, and
		// new members share with the fediverse (else weft federates none
		// of their activity).
		"WEFT_FEDERATION_ALLOW_PRIVATE=127.0.0.0/8",
		"WEFT_FEDIVERSE_SHARING_DEFAULT=true",
	)
	const user = "fed_alice"
	srv.admin(t, "user", "create", "--username", user, "--email", user+"@example.com", "--password", password)
	tok := srv.admin(t, "token", "create", "--username", user, "--scopes", "read write follow")
	if tok == "" || strings.ContainsAny(tok, " \n") {
		t.Fatalf("weft admin token create printed %q, want one token", tok)
	}
	env := []string{
		"ACCEPT_URL=" + srv.url,
		"ACCEPT_USER=" + user,
		"ACCEPT_TOKEN=" + tok,
		// The steps are mostly independent (weft following Fedify, Fedify
		// following weft), so one failing step must not hide the others.
		"ACCEPT_KEEP_GOING=1",
	}
	if !runScript(t, node, "fedify.mjs", env, min(fedifyTimeout, scriptTimeoutFor(t))) {
		t.Errorf("fedify.mjs failed (its output is above; the server's log follows)")
	}
	srv.stop(t)
	t.Logf("weft and Fedify federated in %v", time.Since(start).Round(100*time.Millisecond))
}
