package web_test

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"weft/internal/text"
)

// counterHarness loads app.js in Node with a document that has nothing in
// it, and prints postLength of each string it reads (a JSON array).
const counterHarness = `
const vm = require("node:vm");
const fs = require("node:fs");
const stub = { querySelectorAll: () => [], getElementById: () => null, addEventListener: () => {}, querySelector: () => null, body: { dataset: {} }, documentElement: { classList: { add: () => {} } } };
const ctx = { document: stub, window: { addEventListener: () => {} }, HTMLInputElement: function () {}, console };
vm.createContext(ctx);
vm.runInContext(fs.readFileSync(process.argv[2], "utf8") + "\nglobalThis.postLength = postLength;", ctx);
const cases = JSON.parse(fs.readFileSync(0, "utf8"));
process.stdout.write(JSON.stringify(cases.map((c) => ctx.postLength(c))));
`

// The composer's counter (app.js) counts as the server does: links as 23
// characters, remote mentions as @user, everything else by code point —
// checked on hand-picked edge cases from the server's own tests' kind and
// on a thousand random mixtures of them.
func TestCounterMatchesServer(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node is not installed")
	}
	pieces := []string{
		"https://example.com", "http://example.com/a_(b)?x=1&y=2.", "see https://t.co.", "HTTPS://EXAMPLE.COM/Q?",
		"(https://en.wikipedia.org/wiki/Foo_(bar))", "https://x.y/path)", "http://xn--bcher-kva.example/", "https://bücher.example/straße",
		"https://a.b:8080/p?q=ü&r=1#frag", "https://a-.b", "https://-a.b", "https://a_b.example/", "http://", "https://.",
		"xhttps://nope.example", "@https://odd.example", "#https://tag.example", "$https://x.example", "https://ex.ample/「quoted」",
		"https://example.com/path,", "https://example.com/p!", "https://example.com/p'", "https://example.com/?", "https://example.com/?a=b)",
		"@alice", "@alice@example.org", "@Alice@Example.ORG", "@bob@localhost:3000", "@bob@host:123456", "@a@b@c", "@josé", "@jose@é.example",
		"email me: a.b@c.de", "x=@y", "/@path", "/@alice@example.org", "x=@bob@host.example", "word@carol@example.net", "@user.", "@user-", "@u.s.e.r", "@user@host.", "@_under@score.example", "@@double",
		"＠fullwidth", "#tag", "#日本語", "héllo", "😀", "👨‍👩‍👧", "\u3000", "\u00a0", "\t", "\n", " ", ".", ",", "(", ")", "www.example.com",
		"@" + strings.Repeat("d", 10) + "@" + strings.Repeat("h", 260) + ".example",
	}
	cases := append([]string{"", "   ", "\n\t", "plain text"}, pieces...)
	rng := rand.New(rand.NewPCG(1, 2))
	seps := []string{" ", "", "\n", ". ", ", ", "(", ")", "\u3000"}
	for range 1000 {
		var b strings.Builder
		for range 1 + rng.IntN(5) {
			b.WriteString(pieces[rng.IntN(len(pieces))])
			b.WriteString(seps[rng.IntN(len(seps))])
		}
		cases = append(cases, b.String())
	}
	in, err := json.Marshal(cases)
	if err != nil {
		t.Fatal(err)
	}
	harness := filepath.Join(t.TempDir(), "harness.cjs")
	if err := os.WriteFile(harness, []byte(counterHarness), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(node, harness, filepath.Join("static", "app.js"))
	cmd.Stdin = bytes.NewReader(in)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("node: %v\n%s", err, stderr.String())
	}
	var got []int
	if err := json.Unmarshal(out, &got); err != nil || len(got) != len(cases) {
		t.Fatalf("node answered %d counts (%v): %.300s", len(got), err, out)
	}
	bad := 0
	for i, c := range cases {
		if want := text.Length(c); got[i] != want {
			t.Errorf("%q: the counter says %d, the server %d", c, got[i], want)
			if bad++; bad > 20 {
				t.FailNow()
			}
		}
	}
}
