package service_test

import (
	"bytes"
	"context"
	"fmt"
	stdimage "image"
	"image/color"
	"image/png"
	"strings"
	"sync"
	"testing"
	"time"

	"weft/internal/media/imaging"
	"weft/internal/model"
	"weft/internal/service"
	"weft/internal/testkit"
)

// remoteFiles stands in for other servers' file hosts (the network edge):
// it answers the URLs it knows and counts the downloads.
type remoteFiles struct {
	mu    sync.Mutex
	files map[string][]byte
	gets  map[string]int
}

func (r *remoteFiles) FetchMedia(_ context.Context, url string, maxBytes int64) ([]byte, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.gets[url]++
	data, ok := r.files[url]
	if !ok {
		return nil, fmt.Errorf("404 %s", url)
	}
	if int64(len(data)) > maxBytes {
		return nil, fmt.Errorf("too large")
	}
	return data, nil
}

func (r *remoteFiles) count(url string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.gets[url]
}

func pngOf(t *testing.T, w, h int, c color.Color) []byte {
	t.Helper()
	img := stdimage.NewRGBA(stdimage.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, c)
		}
	}
	var buf bytes.Buffer
	testkit.Must(t, png.Encode(&buf, img), "png")
	return buf.Bytes()
}

// The remote media cache keeps to its budget by evicting the least
// recently viewed files; an evicted file's URL still works (it is fetched
// again); uploads left unattached go after a day, and a deleted remote
// post's files go with the clean-up.
func TestMediaCache(t *testing.T) {
	clock := testkit.NewClock()
	files := &remoteFiles{files: map[string][]byte{}, gets: map[string]int{}}
	image := func(n int) []byte { return pngOf(t, 200+n, 100, color.RGBA{uint8(n * 40), 10, 10, 255}) }
	// The cache holds what weft makes of a file: its re-encoded original
	// and thumbnail. Room for all three files but one byte: the third
	// download must evict one.
	var budget int64
	for n := 1; n <= 3; n++ {
		res, err := imaging.Process(image(n), imaging.Options{})
		testkit.Must(t, err, "process")
		budget += int64(len(res.Original.Data) + len(res.Small.Data))
	}
	budget--
	testkit.EachCoreWith(t, func(d *service.Deps) {
		d.Now = clock.Now
		d.Settings.Media.RemoteCacheBytes = budget
	}, func(t *testing.T, c *testkit.Core) {
		f := newFx(t, c)
		f.s.SetMediaFetcher(files)
		rita := remoteAccount(t, f, "rita", "remote.example")
		post := func(n int) *model.Status {
			url := fmt.Sprintf("https://remote.example/files/%s/%d.png", t.Name(), n)
			files.mu.Lock()
			files.files[url] = image(n)
			files.mu.Unlock()
			st, err := f.s.IngestRemoteStatus(f.ctx, service.RemoteStatusInput{AuthorID: rita.ID,
				URI: fmt.Sprintf("https://remote.example/notes/%s/%d", t.Name(), n), ContentHTML: "<p>picture</p>",
				Visibility: model.Public, Media: []service.RemoteMediaInput{{URL: url, MediaType: "image/png", Description: "alt " + fmt.Sprint(n)}}})
			f.must(err, "ingest")
			return st
		}
		mediaOf := func(st *model.Status) *model.Media {
			list, err := c.Store.Read().StatusMedia(f.ctx, st.ID)
			f.must(err, "media")
			return list[0]
		}
		one := post(1)
		c.Settle(t)
		m1 := mediaOf(one)
		if !m1.Cached || !strings.HasPrefix(m1.FileKey, "cache/") || m1.Description != "alt 1" {
			t.Fatalf("after the fetch job: %+v", m1)
		}

		clock.Advance(2 * time.Hour)
		two := post(2)
		c.Settle(t)
		// one is viewed now (the view is recorded, it was stale), so two is
		// the least recently viewed when three arrives.
		clock.Advance(2 * time.Hour)
		mf, err := f.s.OpenMediaFile(f.ctx, m1.FileKey)
		f.must(err, "view one")
		mf.Object.Close()
		clock.Advance(time.Minute)
		post(3)
		c.Settle(t)
		if !mediaOf(one).Cached || mediaOf(two).Cached {
			t.Fatalf("after a third file: one cached %v, two cached %v; want the least recently viewed (two) evicted",
				mediaOf(one).Cached, mediaOf(two).Cached)
		}
		u, err := f.s.MediaUsage(f.ctx)
		f.must(err, "usage")
		if u.CachedBytes > budget || u.CachedFiles != 2 {
			t.Fatalf("cache: %d files, %d bytes, budget %d", u.CachedFiles, u.CachedBytes, budget)
		}
		// two's URL still answers: fetched again.
		m2 := mediaOf(two)
		before := files.count(m2.RemoteURL)
		mf, err = f.s.OpenMediaFile(f.ctx, m2.ThumbKey)
		f.must(err, "open evicted file")
		mf.Object.Close()
		if files.count(m2.RemoteURL) != before+1 || !mediaOf(two).Cached {
			t.Fatal("an evicted file was not fetched again when asked for")
		}

		// A deleted remote post's files go with the clean-up.
		f.must(f.s.DeleteRemoteObject(f.ctx, rita.ID, one.URI), "delete")
		c.Settle(t)
		res, err := f.s.CleanUpMedia(f.ctx, service.MediaCleanupArgs{})
		f.must(err, "clean up")
		if res.Removed < 1 {
			t.Fatalf("clean-up removed %d", res.Removed)
		}
		if _, err := f.s.OpenMediaFile(f.ctx, m1.FileKey); err == nil {
			t.Fatal("a deleted post's file is still served")
		}

		// A file not fetched yet (here: no downloader when the post came) is
		// served through the media proxy, which fetches it when asked.
		f.s.SetMediaFetcher(nil)
		late := post(4)
		f.s.SetMediaFetcher(files)
		m4 := mediaOf(late)
		if m4.Cached || m4.FileKey != "" {
			t.Fatalf("fetched without a downloader: %+v", m4)
		}
		mf, err = f.s.OpenMediaFile(f.ctx, "proxy/"+m4.Token+"/small")
		f.must(err, "open through the proxy")
		info := mf.Object.Info()
		mf.Object.Close()
		if info.Size != mediaOf(late).ThumbSize || !mediaOf(late).Cached {
			t.Fatalf("the proxy served %d bytes; the row: %+v", info.Size, mediaOf(late))
		}
		if _, err := f.s.OpenMediaFile(f.ctx, "proxy/"+m4.Token+"/other"); err == nil {
			t.Fatal("the proxy served an unknown variant")
		}

		// Unattached uploads: kept for a day, then removed with their files.
		alice := f.c.User(t, "alice")
		up, err := f.s.UploadMedia(f.ctx, alice.ID, service.Upload{File: bytes.NewReader(pngOf(t, 50, 50, color.White))})
		f.must(err, "upload")
		clock.Advance(23 * time.Hour)
		_, err = f.s.CleanUpMedia(f.ctx, service.MediaCleanupArgs{})
		f.must(err, "clean up")
		if _, err := f.s.OwnMedia(f.ctx, alice.ID, up.ID); err != nil {
			t.Fatalf("an upload of 23 hours was removed: %v", err)
		}
		clock.Advance(2 * time.Hour)
		_, err = f.s.CleanUpMedia(f.ctx, service.MediaCleanupArgs{})
		f.must(err, "clean up")
		if _, err := f.s.OwnMedia(f.ctx, alice.ID, up.ID); err == nil {
			t.Fatal("an upload left unattached for 25 hours is still there")
		}
		if _, err := f.s.OpenMediaFile(f.ctx, up.FileKey); err == nil {
			t.Fatal("the removed upload's file is still served")
		}
	})
}

// remoteAccount stores an account of another server.
func remoteAccount(t *testing.T, f *fx, username, domain string) *model.Account {
	t.Helper()
	uri := "https://" + domain + "/users/" + username
	a, err := f.s.SaveRemoteAccount(f.ctx, service.RemoteProfile{
		Account: model.Account{Username: username, Domain: domain, URI: uri, URL: "https://" + domain + "/@" + username},
		Actor:   model.RemoteActor{Inbox: uri + "/inbox", Followers: uri + "/followers"},
	})
	f.must(err, "save remote account")
	return a
}

// Deliveries of one remote post processed at once (a retry under a new
// activity id, the same post through two servers) store it once, and every
// caller gets that one.
func TestIngestRemoteStatusOnce(t *testing.T) {
	testkit.EachCore(t, func(t *testing.T, c *testkit.Core) {
		f := newFx(t, c)
		rita := remoteAccount(t, f, "rita", "remote.example")
		const n = 8
		ids := make(chan int64, n)
		var wg sync.WaitGroup
		for range n {
			wg.Go(func() {
				st, err := f.s.IngestRemoteStatus(f.ctx, service.RemoteStatusInput{AuthorID: rita.ID,
					URI: "https://remote.example/notes/once", ContentHTML: "<p>once</p>", Visibility: model.Public, FanOutNow: true})
				if err != nil {
					t.Errorf("ingest: %v", err)
					return
				}
				ids <- st.ID
			})
		}
		wg.Wait()
		close(ids)
		var first int64
		for id := range ids {
			if first == 0 {
				first = id
			} else if id != first {
				t.Fatalf("one post was stored twice: %d and %d", first, id)
			}
		}
	})
}
