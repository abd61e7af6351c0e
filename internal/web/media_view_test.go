package web_test

import (
	"bytes"
	"strings"
	"testing"

	"weft/internal/model"
	"weft/internal/service"
	"weft/internal/testkit"
)

// A photo in a post: its description behind an ALT badge (a <details>, so
// it opens without JavaScript), its focal point for app.js to crop by, and
// a link to the full file that app.js opens over the page.
func TestPhotoMarkup(t *testing.T) {
	a := testkit.NewAPI(t, testkit.Dialects()[0], nil)
	ctx := t.Context()
	bob := a.QuickAccount(t, "bob")
	m, err := a.Service.UploadMedia(ctx, bob.ID, service.Upload{File: bytes.NewReader(testkit.PNG(t, 64, 48)),
		Description: "Boats <far> out", Focus: "0.5,-0.3"})
	testkit.Must(t, err, "upload")
	plain, err := a.Service.UploadMedia(ctx, bob.ID, service.Upload{File: bytes.NewReader(testkit.PNG(t, 48, 64))})
	testkit.Must(t, err, "upload")
	v, err := a.Service.CreatePost(ctx, bob.ID, service.PostInput{Text: "two photos", Visibility: model.Public, MediaIDs: []int64{m.ID, plain.ID}})
	testkit.Must(t, err, "post")
	p := newBrowser(t, a).get("/@bob/"+idOf(&model.Account{ID: v.Status.ID})).want(t, 200).
		has(t, `<div class="media grid">`, `data-lightbox>`, `alt="Boats &lt;far&gt; out"`, `data-focus="0.50,-0.30"`,
			`<details class="alt"><summary>ALT<span class="sr-only">: the description</span></summary><p>Boats &lt;far&gt; out</p></details>`)
	if strings.Count(p.body, `<details class="alt">`) != 1 {
		t.Fatal("an ALT badge on a photo without a description")
	}
}
