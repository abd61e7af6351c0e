package storage

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
)

// S3Options configures an S3 store.
type S3Options struct {
	Endpoint  string // "host:port", "http://host:port" or "https://host[:port]"; no scheme means https
	Bucket    string
	Region    string
	AccessKey string
	SecretKey string
	PathStyle bool // path-style URLs (minio, s3rver, most self-hosted stores) instead of virtual-hosted
	Redirect  bool // RedirectURL returns presigned URLs
}

// S3 keeps files as objects in one bucket of an S3-compatible store, the
// key as the object name.
type S3 struct {
	client   *minio.Client
	bucket   string
	endpoint string // as configured, for error messages
	redirect bool
}

// NewS3 connects to the store and checks that the bucket exists, so a
// misconfiguration shows at start rather than at the first upload.
func NewS3(ctx context.Context, opt S3Options) (*S3, error) {
	host, secure, err := parseS3Endpoint(opt.Endpoint)
	if err != nil {
		return nil, err
	}
	if opt.Bucket == "" {
		return nil, errors.New("storage: s3: no bucket given")
	}
	lookup := minio.BucketLookupDNS
	if opt.PathStyle {
		lookup = minio.BucketLookupPath
	}
	client, err := minio.New(host, &minio.Options{
		Creds:        credentials.NewStaticV4(opt.AccessKey, opt.SecretKey, ""),
		Secure:       secure,
		Region:       opt.Region,
		BucketLookup: lookup,
	})
	if err != nil {
		return nil, fmt.Errorf("storage: s3 %s: %w", opt.Endpoint, err)
	}
	ok, err := client.BucketExists(ctx, opt.Bucket)
	if err != nil {
		return nil, fmt.Errorf("storage: s3: checking bucket %q at %s: %w", opt.Bucket, opt.Endpoint, err)
	}
	if !ok {
		return nil, fmt.Errorf("storage: s3: bucket %q does not exist at %s (create it first)", opt.Bucket, opt.Endpoint)
	}
	return &S3{client: client, bucket: opt.Bucket, endpoint: opt.Endpoint, redirect: opt.Redirect}, nil
}

// parseS3Endpoint splits an endpoint into the host[:port] minio wants and
// whether to use TLS.
func parseS3Endpoint(ep string) (host string, secure bool, err error) {
	if ep == "" {
		return "", false, errors.New("storage: s3: no endpoint given")
	}
	if !strings.Contains(ep, "://") {
		ep = "https://" + ep
	}
	u, err := url.Parse(ep)
	if err != nil {
		return "", false, fmt.Errorf("storage: s3 endpoint %q: %w", ep, err)
	}
	switch u.Scheme {
	case "https":
		secure = true
	case "http":
	default:
		return "", false, fmt.Errorf("storage: s3 endpoint %q: scheme must be http or https", ep)
	}
	if u.Host == "" || (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return "", false, fmt.Errorf("storage: s3 endpoint %q: want host[:port], optionally after http:// or https://", ep)
	}
	return u.Host, secure, nil
}

// Put uploads r as one object (minio switches to a multipart upload above
// 16 MiB, aborting it on failure), stored with contentType, or the key's
// extension's type when that is "". Atomicity comes from the server: S3 and
// MinIO make an object visible only once its upload is complete, and Put
// makes sure an upload from a reader of the wrong size never completes.
// (Test servers such as s3rver that write objects in place can show a
// failed upload partially.)
func (s *S3) Put(ctx context.Context, key string, r io.Reader, size int64, contentType string) error {
	if err := ValidKey(key); err != nil {
		return err
	}
	if size < 0 {
		return fmt.Errorf("storage: put %s: negative size %d", key, size)
	}
	if contentType == "" {
		contentType = contentTypeFor(key)
	}
	er := newExactReader(ctx, r, size)
	if size == 0 {
		// minio sends an empty body without reading r: check r is empty
		// before the object is created, not after.
		if err := er.done(); err != nil {
			return fmt.Errorf("storage: put %s: %w", key, err)
		}
	}
	_, err := s.client.PutObject(ctx, s.bucket, key, er, size, minio.PutObjectOptions{
		ContentType: contentType,
		// Without this, minio signs plain-http uploads with the streaming
		// ("aws-chunked") signature, which s3rver and some other
		// self-hosted stores do not decode: they store the chunk framing as
		// part of the file. The payload signature adds nothing over https,
		// where minio already sends UNSIGNED-PAYLOAD.
		DisableContentSha256: true,
	})
	if err != nil {
		if er.err != nil {
			// The reader's failure is the cause; the network error it
			// provoked (an aborted request) says less.
			return fmt.Errorf("storage: put %s: %w", key, er.err)
		}
		return fmt.Errorf("storage: put %s: %w", key, err)
	}
	if err := er.done(); err != nil {
		// Should not happen (the request cannot complete without the whole
		// body), but a store that accepted a wrong body must not keep it.
		_ = s.client.RemoveObject(context.WithoutCancel(ctx), s.bucket, key, minio.RemoveObjectOptions{})
		return fmt.Errorf("storage: put %s: %w", key, err)
	}
	return nil
}

// s3Object is minio's lazy object reader with its Info fixed at Open.
type s3Object struct {
	obj  *minio.Object
	info Info
}

func (o *s3Object) Read(p []byte) (int, error) { return o.obj.Read(p) }
func (o *s3Object) Seek(offset int64, whence int) (int64, error) {
	return o.obj.Seek(offset, whence)
}
func (o *s3Object) Close() error { return o.obj.Close() }
func (o *s3Object) Info() Info   { return o.info }

// Open returns the object. minio's GetObject sends no request until the
// first read, so Open stats the object through it right away: that reports
// a missing key here rather than at the first Read, gives Info, and pins the
// ETag, which minio then sends as If-Match on every ranged read, so a Put
// that replaces the object midway fails the read instead of mixing two
// versions.
func (s *S3) Open(ctx context.Context, key string) (Object, error) {
	if err := ValidKey(key); err != nil {
		return nil, err
	}
	obj, err := s.client.GetObject(ctx, s.bucket, key, minio.GetObjectOptions{})
	if err != nil {
		return nil, fmt.Errorf("storage: open %s: %w", key, s3NotFound(err))
	}
	oi, err := obj.Stat()
	if err != nil {
		_ = obj.Close()
		return nil, fmt.Errorf("storage: open %s: %w", key, s3NotFound(err))
	}
	return &s3Object{obj: obj, info: s3Info(key, oi)}, nil
}

// Stat describes key with a HEAD request.
func (s *S3) Stat(ctx context.Context, key string) (Info, error) {
	if err := ValidKey(key); err != nil {
		return Info{}, err
	}
	oi, err := s.client.StatObject(ctx, s.bucket, key, minio.StatObjectOptions{})
	if err != nil {
		return Info{}, fmt.Errorf("storage: stat %s: %w", key, s3NotFound(err))
	}
	return s3Info(key, oi), nil
}

func s3Info(key string, oi minio.ObjectInfo) Info {
	ct := oi.ContentType
	if ct == "" {
		ct = contentTypeFor(key)
	}
	return Info{
		Size:        oi.Size,
		ContentType: ct,
		ETag:        quoteETag(oi.ETag),
		ModTime:     oi.LastModified,
	}
}

// quoteETag makes an ETag header value of S3's ETag, which minio hands over
// with its quotes stripped.
func quoteETag(etag string) string {
	if etag == "" || strings.HasPrefix(etag, `"`) || strings.HasPrefix(etag, `W/"`) {
		return etag
	}
	return `"` + etag + `"`
}

// s3NotFound turns S3's "no such key" into ErrNotFound. A HEAD response has
// no body, so minio only knows its status: 404 for a HEAD of an object is
// taken as a missing key. Where the server says NoSuchBucket the error
// stays: that is a misconfiguration, not an absent file (NewS3 checked the
// bucket at start).
func s3NotFound(err error) error {
	var er minio.ErrorResponse
	if errors.As(err, &er) {
		if er.Code == "NoSuchKey" || (er.StatusCode == http.StatusNotFound && er.Code != "NoSuchBucket") {
			return ErrNotFound
		}
	}
	return err
}

// Delete removes key; S3 answers a delete of an absent key with success, and
// s3NotFound covers stores that answer NoSuchKey instead.
func (s *S3) Delete(ctx context.Context, key string) error {
	if err := ValidKey(key); err != nil {
		return err
	}
	err := s.client.RemoveObject(ctx, s.bucket, key, minio.RemoveObjectOptions{})
	if err != nil && s3NotFound(err) != ErrNotFound {
		return fmt.Errorf("storage: delete %s: %w", key, err)
	}
	return nil
}

// RedirectURL presigns a GET of key valid for ttl when the store is in
// redirect mode, and is "" otherwise. Presigning is local computation: it
// does not check that key exists. S3 accepts a ttl from 1 second to 7 days;
// outside that range this is an error.
func (s *S3) RedirectURL(ctx context.Context, key string, ttl time.Duration) (string, error) {
	if err := ValidKey(key); err != nil {
		return "", err
	}
	if !s.redirect {
		return "", nil
	}
	u, err := s.client.PresignedGetObject(ctx, s.bucket, key, ttl, nil)
	if err != nil {
		return "", fmt.Errorf("storage: presign %s: %w", key, err)
	}
	return u.String(), nil
}

// Usage lists the objects under prefix and adds up their sizes.
func (s *S3) Usage(ctx context.Context, prefix string) (files int64, bytes int64, err error) {
	if err := validPrefix(prefix); err != nil {
		return 0, 0, err
	}
	// Cancelling stops minio's listing goroutine if we return early.
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	for oi := range s.client.ListObjects(ctx, s.bucket, minio.ListObjectsOptions{Prefix: prefix, Recursive: true}) {
		if oi.Err != nil {
			return 0, 0, fmt.Errorf("storage: usage %q: %w", prefix, oi.Err)
		}
		files++
		bytes += oi.Size
	}
	// A cancelled listing just ends the channel; report it rather than a
	// partial count.
	if err := ctx.Err(); err != nil {
		return 0, 0, fmt.Errorf("storage: usage %q: %w", prefix, err)
	}
	return files, bytes, nil
}
