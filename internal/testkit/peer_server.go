package testkit

import (
	"bytes"
	"crypto/rsa"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"weft/internal/httpsig"
)

// What a peer that copies an implementation does as a server would: it
// checks the signature of every POST (and, where the implementation
// demands it, of every GET) against the sender's published key; it accepts
// follows of its actors and remembers the followers; and it delivers what
// its actors do to the inboxes that must hear of it, retrying as its
// implementation retries.

// checkSignature verifies a request's HTTP signature with the sender's
// published key (fetched once, and again once if it fails: a rotation),
// and returns the key id.
func (p *Peer) checkSignature(r *http.Request, body []byte) (string, error) {
	res, err := httpsig.Verify(r, body, httpsig.VerifyOptions{Scheme: "http"})
	if err != nil {
		return "", err
	}
	pub, err := p.remoteKey(res.KeyID, false)
	if err != nil {
		return "", err
	}
	if err := res.Verify(pub); err != nil {
		if pub, err = p.remoteKey(res.KeyID, true); err != nil {
			return "", err
		}
		if err := res.Verify(pub); err != nil {
			return "", err
		}
	}
	return res.KeyID, nil
}

// remoteKey fetches the document a key id names and finds the key in it.
func (p *Peer) remoteKey(keyID string, refresh bool) (*rsa.PublicKey, error) {
	p.mu.Lock()
	pub, ok := p.keys[keyID]
	p.mu.Unlock()
	if ok && !refresh {
		return pub, nil
	}
	iri, _, _ := strings.Cut(keyID, "#")
	doc, status, err := p.get(iri, "")
	if err != nil {
		return nil, err
	}
	if status != http.StatusOK {
		return nil, fmt.Errorf("key %s: %d", keyID, status)
	}
	var key struct {
		ID        string `json:"id"`
		Owner     string `json:"owner"`
		PEM       string `json:"publicKeyPem"`
		PublicKey *struct {
			ID    string `json:"id"`
			Owner string `json:"owner"`
			PEM   string `json:"publicKeyPem"`
		} `json:"publicKey"`
	}
	if err := json.Unmarshal(doc, &key); err != nil {
		return nil, fmt.Errorf("key %s: %w", keyID, err)
	}
	pem := key.PEM
	if key.PublicKey != nil && key.PublicKey.ID == keyID {
		pem = key.PublicKey.PEM
	}
	if pem == "" {
		return nil, fmt.Errorf("key %s: the document has no such key", keyID)
	}
	pub, err = httpsig.ParsePublicKeyPEM([]byte(pem))
	if err != nil {
		return nil, err
	}
	p.mu.Lock()
	p.keys[keyID] = pub
	p.mu.Unlock()
	return pub, nil
}

// get GETs an ActivityPub document, signed as the peer's instance actor
// when its implementation signs fetches (or as actor, when given), and
// returns the body and status.
func (p *Peer) get(iri, as string) ([]byte, int, error) {
	req, err := http.NewRequest(http.MethodGet, iri, nil)
	if err != nil {
		return nil, 0, err
	}
	req.Header.Set("Accept", `application/activity+json, application/ld+json; profile="https://www.w3.org/ns/activitystreams"`)
	req.Header.Set("User-Agent", p.userAgent())
	if as == "" && p.habits.signedFetch {
		as = p.habits.instanceName(p.Domain)
	}
	if as != "" {
		p.mu.Lock()
		a := p.actors[as]
		p.mu.Unlock()
		if a == nil {
			return nil, 0, fmt.Errorf("peer has no actor %q to sign with", as)
		}
		if err := p.signAs(req, p.KeyID(as), a.key, nil); err != nil {
			return nil, 0, err
		}
	}
	res, err := p.client.Do(req)
	if err != nil {
		return nil, 0, err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(io.LimitReader(res.Body, 1<<20))
	return b, res.StatusCode, err
}

func (p *Peer) userAgent() string {
	if p.Impl == Plain {
		return "weft-testkit-peer"
	}
	return string(p.Impl) + " (weft testkit peer; +" + p.URL + "/)"
}

// FetchAs GETs an ActivityPub document as the peer's implementation does
// (signed where it signs; as the named actor when as is not ""), and
// returns the decoded document and the status.
func (p *Peer) FetchAs(t testing.TB, iri, as string) (map[string]any, int) {
	t.Helper()
	b, status, err := p.get(iri, as)
	Must(t, err, "GET %s", iri)
	var doc map[string]any
	if status == http.StatusOK {
		Must(t, json.Unmarshal(b, &doc), "decode %s", iri)
	}
	return doc, status
}

// Refused lists the POSTs whose signature the peer could not verify (for
// implementations that check): each should have been signed properly.
func (p *Peer) Refused() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.refused...)
}

// react does what the implementation's server does on its own when an
// activity arrives: accept a Follow of an actor (after answering the
// POST), forget a follower who undoes its Follow or blocks.
func (p *Peer) react(rec Received) {
	switch rec.Type() {
	case "Follow":
		target, _ := rec.Activity["object"].(string)
		name, ok := p.nameOf(target)
		if !ok {
			return
		}
		p.background.Add(1)
		go func() {
			defer p.background.Done()
			if err := p.acceptFollow(name, rec); err != nil {
				p.mu.Lock()
				p.refused = append(p.refused, "accepting "+rec.Actor()+"'s Follow: "+err.Error())
				p.mu.Unlock()
			}
		}()
	case "Accept":
		follow, _ := rec.Activity["object"].(map[string]any)
		if name, ok := p.nameOf(fmt.Sprint(follow["actor"])); ok && follow["object"] == rec.Actor() {
			p.mu.Lock()
			p.actors[name].following[rec.Actor()] = true
			p.mu.Unlock()
		}
	case "Undo":
		inner, _ := rec.Activity["object"].(map[string]any)
		if inner["type"] == "Follow" {
			if name, ok := p.nameOf(fmt.Sprint(inner["object"])); ok {
				p.forgetFollower(name, rec.Actor())
			}
		}
	case "Block":
		if name, ok := p.nameOf(fmt.Sprint(rec.Activity["object"])); ok {
			p.forgetFollower(name, rec.Actor())
		}
	case "Delete":
		if obj := rec.Activity["object"]; obj == rec.Actor() {
			p.mu.Lock()
			p.deleted[rec.Actor()] = true
			for _, a := range p.actors {
				delete(a.followers, rec.Actor())
			}
			p.mu.Unlock()
		}
	}
}

func (p *Peer) forgetFollower(name, follower string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if a := p.actors[name]; a != nil {
		delete(a.followers, follower)
	}
}

// acceptFollow answers a Follow of one of the peer's actors with an
// Accept in the implementation's words, and remembers the follower.
func (p *Peer) acceptFollow(name string, follow Received) error {
	inbox, delivery, err := p.inboxesOf(follow.Actor())
	if err != nil {
		return err
	}
	accept := p.acceptDoc(name, follow.Activity)
	status, err := p.deliver(name, inbox, accept)
	if err != nil {
		return err
	}
	if status/100 != 2 {
		return fmt.Errorf("the Accept was answered %d", status)
	}
	p.mu.Lock()
	p.actors[name].followers[follow.Actor()] = delivery
	p.mu.Unlock()
	return nil
}

// inboxesOf reads an actor's inbox, and where to deliver what all its
// server's followers see (its shared inbox, when it has one).
func (p *Peer) inboxesOf(actor string) (inbox, shared string, err error) {
	b, status, err := p.get(actor, "")
	if err != nil {
		return "", "", err
	}
	if status != http.StatusOK {
		return "", "", fmt.Errorf("GET %s: %d", actor, status)
	}
	var doc struct {
		Inbox     string `json:"inbox"`
		Endpoints struct {
			SharedInbox string `json:"sharedInbox"`
		} `json:"endpoints"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		return "", "", err
	}
	if doc.Inbox == "" {
		return "", "", fmt.Errorf("actor %s has no inbox", actor)
	}
	shared = doc.Endpoints.SharedInbox
	if shared == "" {
		shared = doc.Inbox
	}
	return doc.Inbox, shared, nil
}

// FollowersOf lists the actors the peer accepted as followers of name.
func (p *Peer) FollowersOf(name string) []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	var out []string
	if a := p.actors[name]; a != nil {
		for f := range a.followers {
			out = append(out, f)
		}
	}
	return out
}

// followerInboxes are the distinct inboxes of name's followers.
func (p *Peer) followerInboxes(name string) []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	seen := map[string]bool{}
	var out []string
	if a := p.actors[name]; a != nil {
		for _, inbox := range a.followers {
			if !seen[inbox] {
				seen[inbox] = true
				out = append(out, inbox)
			}
		}
	}
	return out
}

// Delivery is how one activity fared at one inbox.
type Delivery struct {
	Inbox    string
	Status   int // the last answer
	Attempts int
}

// maxAttempts bounds the peer's tries of one delivery; the pause between
// them grows from retryPause. Short, since a test waits for them.
const (
	maxAttempts = 5
	retryPause  = 100 * time.Millisecond
)

// deliver POSTs activity to inbox signed by name, retrying what the
// implementation retries; it returns the last status.
func (p *Peer) deliver(name, inbox string, activity map[string]any) (int, error) {
	d, err := p.deliverRetrying(name, inbox, activity)
	return d.Status, err
}

func (p *Peer) deliverRetrying(name, inbox string, activity map[string]any) (Delivery, error) {
	body, err := json.Marshal(activity)
	if err != nil {
		return Delivery{}, err
	}
	p.mu.Lock()
	a := p.actors[name]
	p.mu.Unlock()
	if a == nil {
		return Delivery{}, fmt.Errorf("peer has no actor %q", name)
	}
	d := Delivery{Inbox: inbox}
	pause := retryPause
	for d.Attempts < maxAttempts {
		d.Attempts++
		req, err := http.NewRequest(http.MethodPost, inbox, nil)
		if err != nil {
			return d, err
		}
		req.Header.Set("Content-Type", `application/activity+json`)
		if p.Impl == GoToSocial {
			req.Header.Set("Content-Type", `application/ld+json; profile="https://www.w3.org/ns/activitystreams"`)
		}
		req.Header.Set("User-Agent", p.userAgent())
		if err := p.signAs(req, p.KeyID(name), a.key, body); err != nil {
			return d, err
		}
		req.Body = io.NopCloser(bytes.NewReader(body))
		req.ContentLength = int64(len(body))
		res, err := p.client.Do(req)
		if err != nil {
			d.Status = 0 // unreachable: every implementation tries again
		} else {
			io.Copy(io.Discard, io.LimitReader(res.Body, 64<<10))
			res.Body.Close()
			d.Status = res.StatusCode
			if d.Status/100 == 2 || !p.habits.retry(d.Status) {
				return d, nil
			}
		}
		time.Sleep(pause)
		pause *= 2
	}
	if d.Status == 0 {
		return d, errors.New("deliver to " + inbox + ": unreachable")
	}
	return d, nil
}

// Tell delivers an activity of name's to each inbox as the implementation
// does (signed, retried as it retries) and fails the test unless every
// inbox took it in the end.
func (p *Peer) Tell(t testing.TB, name string, activity map[string]any, inboxes ...string) []Delivery {
	t.Helper()
	var out []Delivery
	for _, inbox := range inboxes {
		d, err := p.deliverRetrying(name, inbox, activity)
		Must(t, err, "%s's %v to %s", name, activity["type"], inbox)
		if d.Status/100 != 2 {
			t.Fatalf("%s: %s's %v was refused by %s with %d after %d attempt(s)", p.Impl, name, activity["type"], inbox, d.Status, d.Attempts)
		}
		out = append(out, d)
	}
	return out
}

// InboxOf is an actor's personal inbox, read from its document as the
// implementation reads it.
func (p *Peer) InboxOf(t testing.TB, actor string) string {
	t.Helper()
	inbox, _, err := p.inboxesOf(actor)
	Must(t, err, "inbox of %s", actor)
	return inbox
}

// DeliveryInboxOf is where the implementation delivers to an actor: its
// server's shared inbox, else its own.
func (p *Peer) DeliveryInboxOf(t testing.TB, actor string) string {
	t.Helper()
	_, shared, err := p.inboxesOf(actor)
	Must(t, err, "inboxes of %s", actor)
	return shared
}

// refuseSignature answers a request whose signature does not hold as the
// implementation does: Threads with a 404 that says nothing, the others
// with 401.
func (p *Peer) refuseSignature(w http.ResponseWriter, err error) {
	if p.Impl == Threads {
		writePeerJSON(w, "application/json", []byte(`{"success":false,"error":"Not found"}`), http.StatusNotFound)
		return
	}
	writePeerJSON(w, "application/json", []byte(`{"error":"Unauthorized: `+strings.ReplaceAll(err.Error(), `"`, `'`)+`"}`), http.StatusUnauthorized)
}

// wantsPost is GoToSocial's filter on posts at a member's inbox: kept when
// the member follows the author or is mentioned in its tags.
func (p *Peer) wantsPost(path string, rec Received) bool {
	a, sub := p.actorAt(path)
	if a == nil || sub != "inbox" {
		return true // not a personal inbox
	}
	obj, _ := rec.Activity["object"].(map[string]any)
	p.mu.Lock()
	follows := a.following[rec.Actor()]
	p.mu.Unlock()
	if follows {
		return true
	}
	me := p.ActorID(a.name)
	var tags []any
	switch t := obj["tag"].(type) {
	case []any:
		tags = t
	case map[string]any:
		tags = []any{t}
	}
	for _, tg := range tags {
		if m, _ := tg.(map[string]any); m["type"] == "Mention" && m["href"] == me {
			return true
		}
	}
	return false
}

// Following tells whether name's Follow of an actor of another server was
// accepted.
func (p *Peer) Following(name, actor string) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	a := p.actors[name]
	return a != nil && a.following[actor]
}

// Backfill reads the replies of a post of another server as GoToSocial
// does: only from the replies collection given inline in the post, with
// its first page inline; from page to page by next (an IRI); each reply
// fetched by its id (signed, as the implementation signs) and its own
// replies read the same way. It returns the replies' ids, depth first,
// and stops at 100 documents.
func (p *Peer) Backfill(t testing.TB, post string) []string {
	t.Helper()
	budget := 100
	var found []string
	var walk func(iri string)
	walk = func(iri string) {
		if budget <= 0 {
			return
		}
		budget--
		doc, status := p.FetchAs(t, iri, "")
		if status != http.StatusOK {
			return
		}
		replies, _ := doc["replies"].(map[string]any)
		page, _ := replies["first"].(map[string]any)
		seen := map[string]bool{}
		for page != nil && budget > 0 {
			items, _ := page["items"].([]any)
			if items == nil {
				items, _ = page["orderedItems"].([]any)
			}
			for _, it := range items {
				id, _ := it.(string)
				if m, ok := it.(map[string]any); ok {
					id, _ = m["id"].(string)
				}
				if id != "" && !slices.Contains(found, id) {
					found = append(found, id)
					walk(id)
				}
			}
			next, _ := page["next"].(string)
			if next == "" || seen[next] {
				break
			}
			seen[next] = true
			budget--
			page, status = p.FetchAs(t, next, "")
			if status != http.StatusOK {
				break
			}
		}
	}
	walk(post)
	return found
}
