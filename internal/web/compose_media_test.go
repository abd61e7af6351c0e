package web_test

import (
	"bytes"
	"image"
	"image/png"
	"mime/multipart"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"weft/internal/testkit"
)

// formFile is a file in a multipart form.
type formFile struct {
	field, name string
	data        []byte
}

// postMultipart sends a form as a browser does when it can carry files.
func (b *browser) postMultipart(path string, fields [][2]string, files []formFile) page {
	b.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for _, f := range fields {
		testkit.Must(b.t, mw.WriteField(f[0], f[1]), "field")
	}
	for _, f := range files {
		fw, err := mw.CreateFormFile(f.field, f.name)
		testkit.Must(b.t, err, "file")
		_, _ = fw.Write(f.data)
	}
	testkit.Must(b.t, mw.Close(), "close")
	req, err := http.NewRequest(http.MethodPost, b.base+path, &body)
	testkit.Must(b.t, err, "request")
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return b.do(req)
}

func testPNG(t *testing.T, w, h int) []byte {
	t.Helper()
	var buf bytes.Buffer
	testkit.Must(t, png.Encode(&buf, image.NewRGBA(image.Rect(0, 0, w, h))), "png")
	return buf.Bytes()
}

var attachedRE = regexp.MustCompile(`name="media" value="(\d+):(\d+)"`)

// attachedIDs are the uploads the composer shows, part by part ("1:ID").
func attachedIDs(p page) [][2]string {
	var out [][2]string
	for _, m := range attachedRE.FindAllStringSubmatch(p.body, -1) {
		out = append(out, [2]string{m[1], m[2]})
	}
	return out
}

// Photos in the composer, without JavaScript: files chosen and posted are
// uploaded on the way; a photo without a description is asked about once,
// with each one's preview and a field for it; a description added, an
// upload removed, the post goes out with what is left, described. Attach
// shows them before posting; a file the server does not take, or a fifth
// photo, is refused in place and loses nothing else.
func TestComposerPhotos(t *testing.T) {
	a := testkit.NewAPI(t, testkit.Dialects()[0], nil)
	alice := signUp(t, a, "alice")
	tok := alice.get("/").want(t, 200).token(t)
	base := [][2]string{{"authenticity_token", tok}, {"visibility", "public"}, {"return_to", "/"}}
	with := func(extra ...[2]string) [][2]string { return append(append([][2]string{}, base...), extra...) }
	landscape, portrait := testPNG(t, 80, 60), testPNG(t, 60, 90)

	// Post at once with two photos and no descriptions: asked first.
	asked := alice.postMultipart("/statuses", with([2]string{"status", "two photos from the harbour"}),
		[]formFile{{"file-1", "a.png", landscape}, {"file-1", "b.png", portrait}}).want(t, 200).
		has(t, "Some photos have no description", "Post without descriptions", "two photos from the harbour", `aria-invalid="true"`, `src="/media/`)
	ids := attachedIDs(asked)
	if len(ids) != 2 || ids[0][0] != "1" || ids[1][0] != "1" {
		t.Fatalf("attached after the question: %v", ids)
	}
	// Describe the first, tick Remove on the second: Attach shows the form
	// without it; Post posts without it.
	if p := alice.postMultipart("/statuses", with([2]string{"status", "two photos from the harbour"}, [2]string{"attach", "1"},
		[2]string{"media", "1:" + ids[0][1]}, [2]string{"alt-" + ids[0][1], "Boats at the quay at dusk"},
		[2]string{"media", "1:" + ids[1][1]}, [2]string{"alt-" + ids[1][1], ""}, [2]string{"remove-" + ids[1][1], "1"}), nil).
		want(t, 200); len(attachedIDs(p)) != 1 {
		t.Fatalf("after Remove and Attach: %v", attachedIDs(p))
	}
	res := alice.postMultipart("/statuses", with([2]string{"status", "two photos from the harbour"},
		[2]string{"media", "1:" + ids[0][1]}, [2]string{"alt-" + ids[0][1], "Boats at the quay at dusk"},
		[2]string{"media", "1:" + ids[1][1]}, [2]string{"alt-" + ids[1][1], ""}, [2]string{"remove-" + ids[1][1], "1"}), nil).
		want(t, http.StatusSeeOther)
	if loc := res.header.Get("Location"); loc != "/" {
		t.Fatalf("after posting: %q", loc)
	}
	profile := alice.get("/@alice").want(t, 200).has(t, "two photos from the harbour", `alt="Boats at the quay at dusk"`)
	if n := strings.Count(profile.body, `<figure>`); n != 1 {
		t.Fatalf("the post carries %d media, want 1 (the other was removed)", n)
	}

	// Attach first, then post without descriptions when asked.
	attachedPage := alice.postMultipart("/statuses", with([2]string{"status", "a quick one"}, [2]string{"attach", "1"}),
		[]formFile{{"file-1", "c.png", landscape}}).want(t, 200).has(t, "a quick one", "Description for people who cannot see it")
	ids = attachedIDs(attachedPage)
	if len(ids) != 1 {
		t.Fatalf("attached: %v", ids)
	}
	if strings.Contains(attachedPage.body, "Some photos have no description") {
		t.Fatal("Attach asked about descriptions before the member posted")
	}
	// What a cropped preview keeps in view: the middle until chosen; a
	// choice (the top) is kept, and a made-up point is refused in words.
	attachedPage.has(t, `<label for="focus-`+ids[0][1]+`">Keep in view when cropped</label>`, `<option value="0.00,0.00" selected>The middle</option>`)
	alice.postMultipart("/statuses", with([2]string{"status", "a quick one"}, [2]string{"attach", "1"}, [2]string{"media", "1:" + ids[0][1]},
		[2]string{"focus-" + ids[0][1], "0.00,1.00"}), nil).want(t, 200).
		has(t, `<option value="0.00,1.00" selected>The top</option>`, `data-focus="0.00,1.00"`)
	alice.postMultipart("/statuses", with([2]string{"status", "a quick one"}, [2]string{"attach", "1"}, [2]string{"media", "1:" + ids[0][1]},
		[2]string{"focus-" + ids[0][1], "7,7"}), nil).want(t, http.StatusUnprocessableEntity).has(t, `<option value="0.00,1.00" selected>`)
	alice.postMultipart("/statuses", with([2]string{"status", "a quick one"}, [2]string{"media", "1:" + ids[0][1]},
		[2]string{"alt-" + ids[0][1], ""}, [2]string{"alt_ok", "1"}), nil).want(t, http.StatusSeeOther)
	alice.get("/@alice").want(t, 200).has(t, "a quick one")

	// A file that is no image, and a fifth photo: refused in place.
	refused := alice.postMultipart("/statuses", with([2]string{"status", "keep this text"}),
		[]formFile{{"file-1", "notes.txt", []byte("not an image at all")}}).want(t, http.StatusUnprocessableEntity).
		has(t, "notes.txt:", "keep this text")
	if len(attachedIDs(refused)) != 0 {
		t.Fatal("a refused file was attached")
	}
	five := []formFile{}
	for _, n := range []string{"1.png", "2.png", "3.png", "4.png", "5.png"} {
		five = append(five, formFile{"file-1", n, landscape})
	}
	tooMany := alice.postMultipart("/statuses", with([2]string{"status", "five"}, [2]string{"attach", "1"}), five).
		want(t, http.StatusUnprocessableEntity).has(t, "at most 4 photos", "5.png was left out")
	if n := len(attachedIDs(tooMany)); n != 4 {
		t.Fatalf("%d attached, want 4", n)
	}

	// A thread whose second part carries the photo.
	alice.postMultipart("/statuses", with([2]string{"status", "first part, words only"}, [2]string{"status", "second part, with a picture"},
		[2]string{"alt_ok", "1"}), []formFile{{"file-2", "d.png", portrait}}).want(t, http.StatusSeeOther)
	thread := alice.get("/@alice").want(t, 200)
	second := thread.body[strings.Index(thread.body, "second part, with a picture"):]
	if !strings.Contains(second[:min(len(second), 2000)], "<figure>") {
		t.Fatal("the photo is not on the thread's second part")
	}
}

// Remove this part, without JavaScript: the form comes back without the
// part, the others and what they carry kept in their places.
func TestComposerRemovesAPart(t *testing.T) {
	a := testkit.NewAPI(t, testkit.Dialects()[0], nil)
	alice := signUp(t, a, "alice")
	tok := alice.get("/").want(t, 200).token(t)
	back := alice.postMultipart("/statuses", [][2]string{{"authenticity_token", tok}, {"visibility", "public"}, {"return_to", "/"},
		{"status", "the first"}, {"status", "the second, to go"}, {"status", "the third, with a photo"}, {"remove_part", "2"}},
		[]formFile{{"file-3", "p.png", testPNG(t, 40, 30)}}).want(t, 200).has(t, "the first", "the third, with a photo", "Part 2")
	if strings.Contains(back.body, "the second, to go") || strings.Contains(back.body, "Part 3") {
		t.Fatal("the removed part is still in the form")
	}
	ids := attachedIDs(back)
	if len(ids) != 1 || ids[0][0] != "2" {
		t.Fatalf("the third part's photo should now be part 2's: %v", ids)
	}
}

// Posting a quote (the composer opened with ?quote=) goes back to the
// page without it, so the composer is not filled with the link again.
func TestQuoteGoesBackWithoutTheQuote(t *testing.T) {
	a := testkit.NewAPI(t, testkit.Dialects()[0], nil)
	alice := signUp(t, a, "alice")
	tok := alice.get("/").want(t, 200).token(t)
	res := alice.postMultipart("/statuses", [][2]string{{"authenticity_token", tok}, {"visibility", "public"},
		{"return_to", "/?quote=123&max_id=9#composer"}, {"status", "look at this https://example.com/x"}}, nil).want(t, http.StatusSeeOther)
	if loc := res.header.Get("Location"); loc != "/?max_id=9" {
		t.Fatalf("after posting a quote: %q", loc)
	}
}
