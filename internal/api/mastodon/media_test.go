package mastodon_test

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"image"
	"io"
	"net/http"
	"strings"
	"testing"

	"weft/internal/config"
	"weft/internal/media/storage/s3rvertest"
	"weft/internal/testkit"
)

// pngBomb is a valid PNG header claiming 100,000 × 100,000 pixels.
func pngBomb(t *testing.T) []byte {
	t.Helper()
	small := testkit.PNG(t, 1, 1)
	// IHDR's width and height are the 8 bytes after the chunk type at 12.
	bomb := bytes.Clone(small)
	binary.BigEndian.PutUint32(bomb[16:], 100_000)
	binary.BigEndian.PutUint32(bomb[20:], 100_000)
	binary.BigEndian.PutUint32(bomb[29:], crc32.ChecksumIEEE(bomb[12:29])) // IHDR's checksum, over type and data
	return bomb
}

func upload(t *testing.T, a *testkit.API, token string, file []byte, fields map[string]string) *testkit.Response {
	t.Helper()
	return a.Do(t, "POST", "/api/v2/media", token, testkit.Multipart{Fields: fields, Files: map[string][]byte{"file": file}})
}

// Uploads through the client API, as apps send them: processed in the
// request, alt text and focal point kept, metadata stripped, served from
// an unguessable URL with ranges and ETags, attached to posts and edits.
func TestMediaUploads(t *testing.T) {
	testkit.EachAPI(t, func(t *testing.T, a *testkit.API) {
		alice, bob := a.User(t, "alice"), a.User(t, "bob")
		tok, bobTok := a.Token(t, alice, "read write"), a.Token(t, bob, "read write")

		photo := testkit.JPEG(t, 4000, 1000, true)
		m := upload(t, a, tok, photo, map[string]string{"description": "a gradient at dusk", "focus": "0.5,-0.25"}).Want(t, 200).Map(t)
		if m["type"] != "image" || m["description"] != "a gradient at dusk" || m["blurhash"] == nil {
			t.Fatalf("upload answered %v", m)
		}
		meta := m["meta"].(map[string]any)
		orig, small := meta["original"].(map[string]any), meta["small"].(map[string]any)
		if orig["width"] != 3840.0 || orig["height"] != 960.0 || small["width"] != 640.0 || small["height"] != 160.0 {
			t.Fatalf("sizes: original %v, small %v; want 3840×960 and 640×160", orig, small)
		}
		if f := meta["focus"].(map[string]any); f["x"] != 0.5 || f["y"] != -0.25 {
			t.Fatalf("focus = %v", f)
		}
		url, preview := m["url"].(string), m["preview_url"].(string)
		if !strings.HasPrefix(url, a.Config.BaseURL()+"/media/") || url == preview {
			t.Fatalf("url %q, preview_url %q", url, preview)
		}
		// Served to anyone who has the URL, as on Mastodon; EXIF gone.
		file := a.GetURL(t, url, nil).Want(t, 200)
		if ct := file.Header.Get("Content-Type"); ct != "image/jpeg" {
			t.Fatalf("Content-Type %q", ct)
		}
		for _, secret := range []string{"Exif", "SECRETCAM"} {
			if bytes.Contains(file.Body, []byte(secret)) {
				t.Fatalf("the stored original still holds %q", secret)
			}
		}
		if img, _, err := image.DecodeConfig(bytes.NewReader(file.Body)); err != nil || img.Width != 3840 {
			t.Fatalf("stored original: %v, %v", img, err)
		}
		etag := file.Header.Get("ETag")
		a.GetURL(t, url, http.Header{"If-None-Match": {etag}}).Want(t, http.StatusNotModified)
		part := a.GetURL(t, url, http.Header{"Range": {"bytes=10-19"}}).Want(t, http.StatusPartialContent)
		if !bytes.Equal(part.Body, file.Body[10:20]) {
			t.Fatal("a range request did not answer those bytes")
		}
		a.GetURL(t, preview, nil).Want(t, 200)
		a.GetURL(t, a.Config.BaseURL()+"/media/"+strings.Repeat("a", 16)+"/original.jpg", nil).Want(t, 404)
		a.GetURL(t, a.Config.BaseURL()+"/media/%2e%2e/weft.db", nil).Want(t, 404)

		id := m["id"].(string)
		a.Do(t, "GET", "/api/v1/media/"+id, tok, nil).Want(t, 200)
		a.Do(t, "GET", "/api/v1/media/"+id, bobTok, nil).Want(t, 404)
		a.Do(t, "PUT", "/api/v1/media/"+id, bobTok, map[string]any{"description": "mine now"}).Want(t, 404)
		got := a.Do(t, "PUT", "/api/v1/media/"+id, tok, map[string]any{"description": "a gradient at dawn"}).Want(t, 200).Map(t)
		if got["description"] != "a gradient at dawn" {
			t.Fatalf("after PUT: %v", got["description"])
		}
		a.Do(t, "PUT", "/api/v1/media/"+id, tok, map[string]any{"focus": "2,0"}).Want(t, 422)

		// Attached: a post with media and no text is fine.
		st := a.Do(t, "POST", "/api/v1/statuses", tok, map[string]any{"media_ids": []string{id}}).Want(t, 200).Map(t)
		att := st["media_attachments"].([]any)
		if len(att) != 1 || att[0].(map[string]any)["description"] != "a gradient at dawn" {
			t.Fatalf("the post's media: %v", att)
		}
		stID := st["id"].(string)
		again := a.Do(t, "GET", "/api/v1/statuses/"+stID, bobTok, nil).Want(t, 200).Map(t)
		if len(again["media_attachments"].([]any)) != 1 {
			t.Fatal("another member does not see the post's media")
		}
		// Once attached, alt text changes with an edit of the post, and the
		// upload can neither be re-used nor deleted on its own.
		a.Do(t, "PUT", "/api/v1/media/"+id, tok, map[string]any{"description": "x"}).Want(t, 404)
		a.Do(t, "DELETE", "/api/v1/media/"+id, tok, nil).Want(t, 422)
		a.Do(t, "POST", "/api/v1/statuses", tok, map[string]any{"status": "again", "media_ids": []string{id}}).Want(t, 422)
		edited := a.Do(t, "PUT", "/api/v1/statuses/"+stID, tok, map[string]any{"status": "now with words", "media_ids": []string{id},
			"media_attributes": []map[string]any{{"id": id, "description": "edited alt text"}}}).Want(t, 200).Map(t)
		if d := edited["media_attachments"].([]any)[0].(map[string]any)["description"]; d != "edited alt text" {
			t.Fatalf("alt text after the edit: %v", d)
		}
		png2 := upload(t, a, tok, testkit.PNG(t, 300, 200), nil).Want(t, 200).Map(t)
		edited = a.Do(t, "PUT", "/api/v1/statuses/"+stID, tok, map[string]any{"status": "now with words",
			"media_ids": []string{png2["id"].(string), id}}).Want(t, 200).Map(t)
		if list := edited["media_attachments"].([]any); len(list) != 2 || list[0].(map[string]any)["id"] != png2["id"] {
			t.Fatalf("after adding one in front: %v", list)
		}

		// Refusals, each a 422 with Mastodon's error JSON naming the problem.
		for name, c := range map[string]struct {
			file []byte
			want string
		}{
			"decompression bomb": {pngBomb(t), "pixels"},
			"text file":          {[]byte("#!/bin/sh\necho not an image\n"), "type"},
			"empty file":         {nil, "empty"},
			"truncated JPEG":     {photo[:300], "image"},
		} {
			res := upload(t, a, tok, c.file, nil).Want(t, 422).Map(t)
			if msg := fmt.Sprint(res["error"]); !strings.Contains(msg, c.want) {
				t.Errorf("%s: error %q does not say %q", name, msg, c.want)
			}
		}
		var five []string
		for range 5 {
			five = append(five, upload(t, a, tok, testkit.PNG(t, 8, 8), nil).Want(t, 200).Map(t)["id"].(string))
		}
		a.Do(t, "POST", "/api/v1/statuses", tok, map[string]any{"status": "five", "media_ids": five}).Want(t, 422)
		bobs := upload(t, a, bobTok, testkit.PNG(t, 8, 8), nil).Want(t, 200).Map(t)["id"].(string)
		a.Do(t, "POST", "/api/v1/statuses", tok, map[string]any{"status": "not mine", "media_ids": []string{bobs}}).Want(t, 422)
		a.Do(t, "POST", "/api/v1/media", tok, testkit.Multipart{Fields: map[string]string{"description": "no file"}}).Want(t, 422)
		a.Do(t, "POST", "/api/v2/media", a.Token(t, alice, "read"), testkit.Multipart{Files: map[string][]byte{"file": testkit.PNG(t, 8, 8)}}).Want(t, 403)

		// An unattached upload can be deleted, and its files go with it.
		gone := upload(t, a, tok, testkit.PNG(t, 20, 20), nil).Want(t, 200).Map(t)
		a.Do(t, "DELETE", "/api/v1/media/"+gone["id"].(string), tok, nil).Want(t, 200)
		a.GetURL(t, gone["url"].(string), nil).Want(t, 404)
		a.Do(t, "GET", "/api/v1/media/"+gone["id"].(string), tok, nil).Want(t, 404)

		// Video is kept as sent, its type found from its bytes.
		mp4 := append([]byte("\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom"), make([]byte, 2000)...)
		v := upload(t, a, tok, mp4, nil).Want(t, 200).Map(t)
		if v["type"] != "video" {
			t.Fatalf("an MP4 was taken as %v", v["type"])
		}
		if ct := a.GetURL(t, v["url"].(string), nil).Want(t, 200).Header.Get("Content-Type"); ct != "video/mp4" {
			t.Fatalf("video served as %q", ct)
		}
	})
}

// Avatars and headers through update_credentials, and their removal.
func TestProfileImages(t *testing.T) {
	testkit.EachAPI(t, func(t *testing.T, a *testkit.API) {
		alice := a.User(t, "alice")
		tok := a.Token(t, alice, "read write")
		me := a.Do(t, "PATCH", "/api/v1/accounts/update_credentials", tok, testkit.Multipart{
			Fields: map[string]string{"display_name": "Alice"},
			Files:  map[string][]byte{"avatar": testkit.JPEG(t, 1200, 900, true), "header": testkit.PNG(t, 3000, 1000)},
		}).Want(t, 200).Map(t)
		avatar, header := me["avatar"].(string), me["header"].(string)
		if strings.HasSuffix(avatar, "missing.png") || strings.HasSuffix(header, "missing.png") || me["display_name"] != "Alice" {
			t.Fatalf("after the upload: avatar %q header %q", avatar, header)
		}
		img, _, err := image.DecodeConfig(bytes.NewReader(a.GetURL(t, avatar, nil).Want(t, 200).Body))
		if err != nil || img.Width != 400 || img.Height != 300 {
			t.Fatalf("avatar stored as %v (%v), want 400×300", img, err)
		}
		img, _, err = image.DecodeConfig(bytes.NewReader(a.GetURL(t, header, nil).Want(t, 200).Body))
		if err != nil || img.Width != 1500 || img.Height != 500 {
			t.Fatalf("header stored as %v (%v), want 1500×500", img, err)
		}
		pub := a.Do(t, "GET", "/api/v1/accounts/"+me["id"].(string), "", nil).Want(t, 200).Map(t)
		if pub["avatar"] != avatar || pub["avatar_static"] == "" {
			t.Fatalf("others see avatar %v", pub["avatar"])
		}
		res := a.Do(t, "PATCH", "/api/v1/accounts/update_credentials", tok, testkit.Multipart{
			Files: map[string][]byte{"avatar": []byte("not an image at all")}}).Want(t, 422).Map(t)
		if !strings.Contains(fmt.Sprint(res["error"]), "avatar") {
			t.Fatalf("the error does not name the avatar: %v", res["error"])
		}
		me = a.Do(t, "DELETE", "/api/v1/profile/avatar", tok, nil).Want(t, 200).Map(t)
		if !strings.HasSuffix(me["avatar"].(string), "/avatars/original/missing.png") || me["header"] != header {
			t.Fatalf("after removing the avatar: %v / %v", me["avatar"], me["header"])
		}
	})
}

// weft with its media in an S3 bucket (a real s3rver), configured as
// `weft serve` is: uploads land in the bucket; in proxy mode weft streams
// them (ranges too), in redirect mode it sends clients to a presigned URL
// that needs no credentials.
func TestMediaOnS3(t *testing.T) {
	addr := s3rvertest.Start(t)
	for _, serve := range []string{"proxy", "redirect"} {
		t.Run(serve, func(t *testing.T) {
			a := testkit.NewAPI(t, testkit.Dialects()[0], func(c *config.Config) {
				c.Media.Storage, c.Media.S3Endpoint, c.Media.S3Bucket = "s3", "http://"+addr, s3rvertest.Bucket(t, addr)
				c.Media.S3Region, c.Media.S3AccessKey, c.Media.S3SecretKey = s3rvertest.Region, s3rvertest.Key, s3rvertest.Key
				c.Media.S3PathStyle, c.Media.S3Serve = true, serve
			})
			alice := a.User(t, "alice")
			tok := a.Token(t, alice, "read write")
			m := upload(t, a, tok, testkit.JPEG(t, 800, 600, true), map[string]string{"description": "in a bucket"}).Want(t, 200).Map(t)
			st := a.Do(t, "POST", "/api/v1/statuses", tok, map[string]any{"media_ids": []string{m["id"].(string)}}).Want(t, 200).Map(t)
			url := st["media_attachments"].([]any)[0].(map[string]any)["url"].(string)
			res := a.GetURL(t, url, nil)
			var body []byte
			switch serve {
			case "proxy":
				body = res.Want(t, 200).Body
				part := a.GetURL(t, url, http.Header{"Range": {"bytes=0-9"}}).Want(t, http.StatusPartialContent)
				if !bytes.Equal(part.Body, body[:10]) {
					t.Fatal("a range through the proxy did not answer those bytes")
				}
			case "redirect":
				loc := res.Want(t, http.StatusFound).Header.Get("Location")
				if !strings.HasPrefix(loc, "http://"+addr+"/") || !strings.Contains(loc, "X-Amz-Signature=") {
					t.Fatalf("redirected to %q", loc)
				}
				got, err := http.Get(loc)
				testkit.Must(t, err, "GET the presigned URL")
				defer got.Body.Close()
				if got.StatusCode != 200 || got.Header.Get("Content-Type") != "image/jpeg" {
					t.Fatalf("the bucket answered %d %s", got.StatusCode, got.Header.Get("Content-Type"))
				}
				body, err = io.ReadAll(got.Body)
				testkit.Must(t, err, "read")
			}
			img, _, err := image.DecodeConfig(bytes.NewReader(body))
			if err != nil || img.Width != 800 || bytes.Contains(body, []byte("SECRETCAM")) {
				t.Fatalf("the stored file: %v %v", img, err)
			}
			u, err := a.Service.MediaUsage(t.Context())
			testkit.Must(t, err, "usage")
			if u.StoredFiles != 2 {
				t.Fatalf("the bucket holds %d files, want the original and its thumbnail", u.StoredFiles)
			}
		})
	}
}
