//go:build unix

package storage

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"

	"weft/internal/media/storage/s3rvertest"
)

// The S3 backend is tested against s3rver, a real S3-compatible server (a
// Node program) that the acceptance suite's `npm ci` installs. s3rver's
// quirks, and how the backend or the tests deal with them:
//
//   - It does not decode aws-chunked request bodies but stores them as they
//     come, chunk signatures included; minio-go uses that encoding for
//     uploads over plain http unless DisableContentSha256 is set (S3.Put
//     sets it).
//   - It writes an object in place rather than atomically: an object exists
//     from the moment its upload starts, and an upload in progress or
//     aborted midway is visible as far as it got (an aborted overwrite
//     leaves the object torn). Real S3 commits an object only when its
//     upload completes. So the S3 store under test is wrapped as
//     s3rverStore, which tells the conformance suite (tornWrites) to check
//     only what the backend controls: a failed Put never delivers the
//     whole announced body, so a real S3 would commit nothing (S3.Put
//     withholds the last bytes until it has seen the reader end exactly
//     there). Atomic overwrites are checked on Local alone.
//   - It ignores If-Match on GET, so minio's protection against reading two
//     versions of an object that is replaced while open is not exercised.
//   - It accepts any well-formed signature from the key pair S3RVER/S3RVER
//     and nothing else; it stores Content-Type as given, and ETags as the
//     quoted MD5 of the content, as S3 does for single-part uploads (for
//     multipart uploads too, where S3 gives "<md5 of part md5s>-<parts>";
//     the backend passes either through as an opaque, quoted ETag).
//   - It honours the expiry of presigned URLs; --silent still prints one
//     "listening" line; the tests keep its output and show it only if it
//     fails to start.
//
// The launcher lives in s3rvertest, shared with weft's end-to-end tests.
const (
	s3rverKey    = s3rvertest.Key
	s3rverRegion = s3rvertest.Region
)

func TestS3(t *testing.T) {
	addr := s3rvertest.Start(t)
	endpoint := "http://" + addr
	admin, err := minio.New(addr, &minio.Options{
		Creds:        credentials.NewStaticV4(s3rverKey, s3rverKey, ""),
		Region:       s3rverRegion,
		BucketLookup: minio.BucketLookupPath,
	})
	if err != nil {
		t.Fatal(err)
	}
	var buckets atomic.Int64
	// newBucket makes an empty bucket, so every store a test gets is empty.
	newBucket := func(t *testing.T) string {
		name := fmt.Sprintf("weft-test-%d", buckets.Add(1))
		if err := admin.MakeBucket(testCtx(t), name, minio.MakeBucketOptions{Region: s3rverRegion}); err != nil {
			t.Fatalf("MakeBucket %s: %v", name, err)
		}
		return name
	}
	options := func(bucket string, redirect bool) S3Options {
		return S3Options{
			Endpoint:  endpoint,
			Bucket:    bucket,
			Region:    s3rverRegion,
			AccessKey: s3rverKey,
			SecretKey: s3rverKey,
			PathStyle: true,
			Redirect:  redirect,
		}
	}
	newStore := func(redirect bool) func(t *testing.T) *S3 {
		return func(t *testing.T) *S3 {
			s, err := NewS3(testCtx(t), options(newBucket(t), redirect))
			if err != nil {
				t.Fatal(err)
			}
			return s
		}
	}
	redirecting, proxying := newStore(true), newStore(false)

	// Redirect mode: the suite's RedirectURL test then fetches the
	// presigned URL; everything else behaves the same in both modes.
	t.Run("Conformance", func(t *testing.T) {
		RunConformance(t, func(t *testing.T) Store { return s3rverStore{redirecting(t)} })
	})

	t.Run("ProxyModeHasNoRedirectURL", func(t *testing.T) {
		s := proxying(t)
		mustPut(t, s, "x.jpg", []byte("x"), "image/jpeg")
		if u, err := s.RedirectURL(testCtx(t), "x.jpg", time.Minute); u != "" || err != nil {
			t.Errorf("RedirectURL = %q, %v; want \"\", nil", u, err)
		}
	})

	t.Run("RedirectURLExpires", func(t *testing.T) {
		s := redirecting(t)
		mustPut(t, s, "soon.png", []byte("short-lived"), "image/png")
		u, err := s.RedirectURL(testCtx(t), "soon.png", time.Second)
		if err != nil {
			t.Fatal(err)
		}
		// X-Amz-Date has one-second resolution: wait past ttl plus that.
		time.Sleep(2500 * time.Millisecond)
		resp, err := http.Get(u)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusForbidden {
			t.Errorf("expired URL: %s %s, want 403", resp.Status, body)
		}
	})

	t.Run("MissingBucket", func(t *testing.T) {
		_, err := NewS3(testCtx(t), options("no-such-bucket", false))
		if err == nil {
			t.Fatal("NewS3 with a missing bucket succeeded")
		}
		if msg := err.Error(); !strings.Contains(msg, `"no-such-bucket"`) || !strings.Contains(msg, endpoint) {
			t.Errorf("error %q should name the bucket and the endpoint", msg)
		}
	})

	t.Run("WrongCredentials", func(t *testing.T) {
		opt := options(newBucket(t), false)
		opt.AccessKey = "NOT-A-KEY"
		if _, err := NewS3(testCtx(t), opt); err == nil || !strings.Contains(err.Error(), opt.Bucket) {
			t.Errorf("NewS3 with unknown credentials: %v, want an error naming the bucket", err)
		}
	})

	t.Run("Multipart", func(t *testing.T) {
		// Above 16 MiB minio uploads in parts; the object must still come
		// back whole, with the part-count ETag S3 gives it quoted.
		s := proxying(t)
		data := randomBytes(17 << 20)
		mustPut(t, s, "big/multipart.mp4", data, "video/mp4")
		got, info := mustRead(t, s, "big/multipart.mp4")
		if !bytes.Equal(got, data) || info.Size != int64(len(data)) || info.ContentType != "video/mp4" {
			t.Errorf("multipart round trip: %d bytes (equal: %v), Info %+v", len(got), bytes.Equal(got, data), info)
		}
		t.Logf("multipart ETag %s", info.ETag)
		// A short reader fails a multipart upload too, before completion.
		err := s.Put(testCtx(t), "big/short.mp4", bytes.NewReader(data[:len(data)-1]), int64(len(data)), "video/mp4")
		if err == nil {
			t.Error("short multipart Put succeeded")
		}
		wantNotFound(t, s, "big/short.mp4")
	})

	t.Run("ServerStoredExactBytes", func(t *testing.T) {
		// What the server stored, read back with minio directly rather
		// than through S3.Open: catches an upload encoding the server kept
		// as content (see aws-chunked above).
		s := proxying(t)
		data := randomBytes(100_000)
		mustPut(t, s, "raw/check.webp", data, "image/webp")
		obj, err := admin.GetObject(testCtx(t), s.bucket, "raw/check.webp", minio.GetObjectOptions{})
		if err != nil {
			t.Fatal(err)
		}
		defer obj.Close()
		got, err := io.ReadAll(obj)
		if err != nil {
			t.Fatal(err)
		}
		oi, err := obj.Stat()
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, data) || oi.ContentType != "image/webp" {
			t.Errorf("stored object: %d bytes (equal: %v), %q; want the %d put, image/webp",
				len(got), bytes.Equal(got, data), oi.ContentType, len(data))
		}
	})
}

// s3rverStore is an S3 store whose server, s3rver, shows torn writes (see
// above).
type s3rverStore struct{ *S3 }

func (s3rverStore) showsTornWrites() {}

func TestParseS3Endpoint(t *testing.T) {
	for _, c := range []struct {
		in     string
		host   string
		secure bool
	}{
		{"s3.example.com", "s3.example.com", true},
		{"minio.local:9000", "minio.local:9000", true},
		{"http://127.0.0.1:9000", "127.0.0.1:9000", false},
		{"https://s3.example.com", "s3.example.com", true},
		{"https://s3.example.com:8443/", "s3.example.com:8443", true},
	} {
		host, secure, err := parseS3Endpoint(c.in)
		if err != nil || host != c.host || secure != c.secure {
			t.Errorf("parseS3Endpoint(%q) = %q, %v, %v; want %q, %v", c.in, host, secure, err, c.host, c.secure)
		}
	}
	for _, bad := range []string{"", "ftp://x", "http://", "https://x/bucket", "http://x?y", "https://u:p@x"} {
		if _, _, err := parseS3Endpoint(bad); err == nil {
			t.Errorf("parseS3Endpoint(%q) succeeded", bad)
		}
	}
}
