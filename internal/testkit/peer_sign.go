package testkit

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"weft/internal/httpsig"
)

// signAs signs a request the way the peer's implementation signs it:
// draft-cavage with that software's algorithm name, covered headers in
// its order, and (request-target) with or without the query. weft's
// verifier must take each of them; httpsig.Sign would always produce
// weft's own form. Written here, not in httpsig, because producing the
// other servers' variants is only ever a test's business.
func (p *Peer) signAs(r *http.Request, keyID string, key *rsa.PrivateKey, body []byte) error {
	alg, headers, pathOnly := "rsa-sha256", []string{"(request-target)", "host", "date"}, false
	post := body != nil
	switch p.Impl {
	case Plain:
		return httpsig.Sign(r, keyID, key, httpsig.Cavage, body)
	case Mastodon:
		headers = []string{"host", "date", "accept", "(request-target)"}
		if post {
			headers = []string{"host", "date", "digest", "content-type", "(request-target)"}
		}
	case GoToSocial:
		alg = "hs2019"
		if post {
			headers = append(headers, "digest")
		}
	case Misskey:
		pathOnly = true
		headers = []string{"(request-target)", "date", "host", "accept"}
		if post {
			headers = []string{"(request-target)", "date", "host", "digest"}
		}
	case Pleroma:
		pathOnly = true
		if post {
			headers = []string{"(request-target)", "host", "content-length", "digest", "date"}
		}
	case Threads:
		if post {
			headers = append(headers, "digest")
		}
	}
	r.Header.Set("Date", time.Now().UTC().Format(http.TimeFormat))
	if post {
		r.Header.Set("Digest", httpsig.DigestHeader(body))
		r.Header.Set("Content-Length", strconv.Itoa(len(body)))
	}
	var lines []string
	for _, h := range headers {
		var v string
		switch h {
		case "(request-target)":
			target := r.URL.RequestURI()
			if pathOnly {
				target = r.URL.EscapedPath()
			}
			v = strings.ToLower(r.Method) + " " + target
		case "host":
			v = r.URL.Host
		default:
			v = r.Header.Get(h)
		}
		lines = append(lines, h+": "+v)
	}
	sum := sha256.Sum256([]byte(strings.Join(lines, "\n")))
	sig, err := rsa.SignPKCS1v15(rand.Reader, key, crypto.SHA256, sum[:])
	if err != nil {
		return err
	}
	r.Header.Set("Signature", fmt.Sprintf(`keyId="%s",algorithm="%s",headers="%s",signature="%s"`,
		keyID, alg, strings.Join(headers, " "), base64.StdEncoding.EncodeToString(sig)))
	return nil
}
