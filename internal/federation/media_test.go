package federation_test

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	_ "image/png"
	"net/http"
	"strings"
	"testing"

	"weft/internal/config"
	"weft/internal/httpsig"
	"weft/internal/model"
	"weft/internal/service"
	"weft/internal/testkit"
)

func photo(t *testing.T, w, h int, tint uint8) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.RGBA{uint8(x), uint8(y), tint, 255})
		}
	}
	var buf bytes.Buffer
	testkit.Must(t, jpeg.Encode(&buf, img, nil), "encode")
	return buf.Bytes()
}

// Media across two weft servers: a post's image with its alt text, and an
// avatar, travel as ActivityPub attachments and icons; the receiving server
// fetches them into its cache and serves them itself; with a cache budget
// of one byte every file is evicted as soon as it is stored, and fetched
// again when someone asks for it; a server whose media are rejected is
// shown as links, never fetched.
func TestMediaAcrossServers(t *testing.T) {
	for _, d := range testkit.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			A := testkit.NewInstanceWith(t, d, func(c *config.Config) { c.Media.RemoteCacheBytes = 1 })
			B := testkit.NewInstance(t, d)
			_, alice := member(t, A, "alice", true)
			bobID, bob := member(t, B, "bob", true)
			bobOnA := resolve(t, A, alice, "bob@"+B.Config.Domain)["id"].(string)
			A.Do(t, "POST", "/api/v1/accounts/"+bobOnA+"/follow", alice, nil).Want(t, 200)
			eventually(t, "the follow is accepted", func() bool {
				return A.Do(t, "GET", "/api/v1/accounts/relationships?id[]="+bobOnA, alice, nil).Want(t, 200).List(t)[0]["following"] == true
			})

			// bob's avatar: in his actor document, then on A from A.
			me := B.Do(t, "PATCH", "/api/v1/accounts/update_credentials", bob, testkit.Multipart{
				Files: map[string][]byte{"avatar": photo(t, 500, 500, 10)}}).Want(t, 200).Map(t)
			actor := testkit.FetchActivityJSON(t, B.Client, B.URL+"/users/bob")
			icon, _ := actor["icon"].(map[string]any)
			if icon["url"] != me["avatar"] || icon["type"] != "Image" || icon["mediaType"] != "image/jpeg" {
				t.Fatalf("bob's actor icon = %v, his avatar %v", actor["icon"], me["avatar"])
			}
			eventually(t, "bob's avatar is served by alice's server", func() bool {
				acc := A.Do(t, "GET", "/api/v1/accounts/"+bobOnA, alice, nil).Want(t, 200).Map(t)
				return strings.HasPrefix(fmt.Sprint(acc["avatar"]), A.Config.BaseURL()+"/media/cache/")
			})

			// A post with an image and alt text.
			m := B.Do(t, "POST", "/api/v2/media", bob, testkit.Multipart{Fields: map[string]string{"description": "two cats on a sofa", "focus": "-0.5,0.5"},
				Files: map[string][]byte{"file": photo(t, 800, 600, 200)}}).Want(t, 200).Map(t)
			B.Do(t, "POST", "/api/v1/statuses", bob, map[string]any{"status": "look at them", "media_ids": []string{m["id"].(string)}}).Want(t, 200)
			note := lastOutboxNote(t, B, "bob")
			att := note["attachment"].([]any)
			doc := att[0].(map[string]any)
			if doc["type"] != "Document" || doc["name"] != "two cats on a sofa" || doc["url"] != m["url"] || doc["mediaType"] != "image/jpeg" ||
				doc["blurhash"] != m["blurhash"] || fmt.Sprint(doc["focalPoint"]) != "[-0.5 0.5]" || doc["width"] != 800.0 {
				t.Fatalf("the Note's attachment = %v", doc)
			}
			var onA map[string]any
			eventually(t, "the post and its image are on alice's server", func() bool {
				onA = homeHas(t, A, alice, "look at them")
				if onA == nil {
					return false
				}
				a := onA["media_attachments"].([]any)[0].(map[string]any)
				return strings.HasPrefix(fmt.Sprint(a["url"]), A.Config.BaseURL()+"/media/cache/")
			})
			a := onA["media_attachments"].([]any)[0].(map[string]any)
			if a["description"] != "two cats on a sofa" || a["remote_url"] != m["url"] || a["type"] != "image" || a["blurhash"] == nil {
				t.Fatalf("on alice's server the attachment is %v", a)
			}
			// The budget of one byte evicted it at once; asking for it fetches
			// it again from bob's server, and it is served whole.
			// (The job evicts right after it stores the files, so the
			// post may show its cached URL a moment before.)
			eventually(t, "the cache is back within its budget", func() bool {
				usage, err := A.Service.MediaUsage(t.Context())
				testkit.Must(t, err, "usage")
				return usage.CachedBytes <= 1
			})
			got := A.GetURL(t, a["url"].(string), nil).Want(t, 200)
			img, _, err := image.DecodeConfig(bytes.NewReader(got.Body))
			if err != nil || img.Width != 800 || img.Height != 600 {
				t.Fatalf("the re-fetched file: %v %v", img, err)
			}
			A.GetURL(t, a["preview_url"].(string), nil).Want(t, 200)

			// Rejected media: links to bob's server, nothing fetched.
			_, err = A.Service.BlockInstanceDomain(t.Context(), service.DomainBlockInput{Domain: B.Config.Domain, Severity: model.DomainNoop, RejectMedia: true})
			testkit.Must(t, err, "reject media")
			m2 := B.Do(t, "POST", "/api/v2/media", bob, testkit.Multipart{Files: map[string][]byte{"file": photo(t, 300, 200, 90)}}).Want(t, 200).Map(t)
			B.Do(t, "POST", "/api/v1/statuses", bob, map[string]any{"status": "rejected media here", "media_ids": []string{m2["id"].(string)}}).Want(t, 200)
			var rej map[string]any
			eventually(t, "the post with rejected media arrives", func() bool { rej = homeHas(t, A, alice, "rejected media here"); return rej != nil })
			r := rej["media_attachments"].([]any)[0].(map[string]any)
			if r["type"] != "unknown" || r["url"] != m2["url"] || r["preview_url"] != nil {
				t.Fatalf("rejected media shown as %v", r)
			}
			_ = bobID
		})
	}
}

// lastOutboxNote is the newest post in a member's outbox.
func lastOutboxNote(t *testing.T, w *testkit.API, username string) map[string]any {
	t.Helper()
	outbox := testkit.FetchActivityJSON(t, w.Client, w.URL+"/users/"+username+"/outbox?page=true")
	items := outbox["orderedItems"].([]any)
	if len(items) == 0 {
		t.Fatalf("%s's outbox is empty", username)
	}
	return items[0].(map[string]any)["object"].(map[string]any)
}

// Attachments as other servers send them (Mastodon's name, GoToSocial's
// summary for alt text, a bare Image without mediaType), from a peer at the
// network edge: the files are fetched signed, processed like uploads (the
// EXIF of a remote photo does not leave through weft either), and shown
// from weft with their alt text; a fifth attachment is dropped (Mastodon
// shows four).
func TestRemoteAttachmentsFromPeer(t *testing.T) {
	eachPeerDialect(t, func(t *testing.T, w *testkit.API) {
		_, alice := member(t, w, "alice", true)
		p := testkit.NewPeer(t, "pat")
		followPeer(t, w, alice, p, "pat")
		photoURL := p.ServeFile("/files/photo.jpg", "image/jpeg", testkit.JPEG(t, 640, 480, true))
		pngURL := p.ServeFile("/files/drawing.png", "image/png", testkit.PNG(t, 120, 90))
		var attachments []any
		attachments = append(attachments,
			map[string]any{"type": "Document", "mediaType": "image/jpeg", "url": photoURL, "name": "a harbour at night",
				"blurhash": "UBL_:rOpGG-oBUNG,qRj2so|=eE1w^n4S5NH", "focalPoint": []any{0.25, -0.5}, "width": 640, "height": 480},
			map[string]any{"type": "Image", "url": pngURL, "summary": "a sketch, alt text where GoToSocial puts it"})
		for i := range 3 {
			attachments = append(attachments, map[string]any{"type": "Document", "mediaType": "image/png",
				"url": p.ServeFile(fmt.Sprintf("/files/%d.png", i), "image/png", testkit.PNG(t, 10, 10))})
		}
		id := p.NextID("pat", "notes")
		note := map[string]any{"@context": "https://www.w3.org/ns/activitystreams", "id": id, "type": "Note",
			"attributedTo": p.ActorID("pat"), "content": "<p>pictures from the peer</p>", "attachment": attachments,
			"to": []string{"https://www.w3.org/ns/activitystreams#Public"}, "cc": []string{p.Followers("pat")}}
		create := map[string]any{"@context": "https://www.w3.org/ns/activitystreams", "id": id + "/activity", "type": "Create",
			"actor": p.ActorID("pat"), "to": note["to"], "cc": note["cc"], "object": note}
		wantInbox(t, "the Create", p.Deliver(t, w.URL+"/inbox", create, httpsig.Cavage), 202)
		var st map[string]any
		peerSoon(t, "the post arrives with its files fetched", func() bool {
			st = homeHas(t, w, alice, "pictures from the peer")
			if st == nil {
				return false
			}
			for _, a := range st["media_attachments"].([]any) {
				if !strings.HasPrefix(fmt.Sprint(a.(map[string]any)["url"]), w.Config.BaseURL()+"/media/cache/") {
					return false
				}
			}
			return true
		})
		list := st["media_attachments"].([]any)
		if len(list) != 4 {
			t.Fatalf("%d attachments shown, want 4 (Mastodon's limit)", len(list))
		}
		first, second := list[0].(map[string]any), list[1].(map[string]any)
		if first["description"] != "a harbour at night" || first["remote_url"] != photoURL || first["type"] != "image" ||
			fmt.Sprint(first["meta"].(map[string]any)["focus"]) != "map[x:0.25 y:-0.5]" {
			t.Fatalf("first attachment: %v", first)
		}
		if second["description"] != "a sketch, alt text where GoToSocial puts it" || second["type"] != "image" {
			t.Fatalf("second attachment: %v", second)
		}
		file := w.GetURL(t, first["url"].(string), nil).Want(t, 200)
		for _, secret := range []string{"Exif", "SECRETCAM"} {
			if bytes.Contains(file.Body, []byte(secret)) {
				t.Fatalf("the cached copy of a remote photo still holds %q", secret)
			}
		}
		if p.Fetches("/files/photo.jpg") != 1 {
			t.Fatalf("the photo was fetched %d times, want once", p.Fetches("/files/photo.jpg"))
		}
	})
}

// The media proxy answers for the other server's trouble as a proxy does:
// 502 when the origin fails (and again, without asking it, for a minute),
// 404 when it has no such file — never 500.
func TestMediaProxyOriginFailures(t *testing.T) {
	eachPeerDialect(t, func(t *testing.T, w *testkit.API) {
		_, alice := member(t, w, "alice", true)
		p := testkit.NewPeer(t, "pat")
		followPeer(t, w, alice, p, "pat")
		failing := p.ServeFile("/files/failing.png", "image/png", testkit.PNG(t, 10, 10))
		missing := p.URL + "/files/missing.png"
		p.FailGets("/files/failing.png", http.StatusInternalServerError, -1)
		id := p.NextID("pat", "notes")
		note := map[string]any{"@context": "https://www.w3.org/ns/activitystreams", "id": id, "type": "Note",
			"attributedTo": p.ActorID("pat"), "content": "<p>broken pictures</p>",
			"attachment": []any{map[string]any{"type": "Document", "mediaType": "image/png", "url": failing},
				map[string]any{"type": "Document", "mediaType": "image/png", "url": missing}},
			"to": []string{"https://www.w3.org/ns/activitystreams#Public"}}
		create := map[string]any{"@context": "https://www.w3.org/ns/activitystreams", "id": id + "/activity", "type": "Create",
			"actor": p.ActorID("pat"), "to": note["to"], "object": note}
		wantInbox(t, "the Create", p.Deliver(t, w.URL+"/inbox", create, httpsig.Cavage), 202)
		var st map[string]any
		peerSoon(t, "the post arrives", func() bool { st = homeHas(t, w, alice, "broken pictures"); return st != nil })
		list := st["media_attachments"].([]any)
		for i, want := range []int{http.StatusBadGateway, http.StatusNotFound} {
			u := fmt.Sprint(list[i].(map[string]any)["url"])
			if !strings.Contains(u, "/media/proxy/") {
				t.Fatalf("attachment %d is not proxied: %s", i, u)
			}
			if got := w.GetURL(t, u, nil).Status; got != want {
				t.Errorf("attachment %d (%s): %d, want %d", i, u, got, want)
			}
		}
	})
}
