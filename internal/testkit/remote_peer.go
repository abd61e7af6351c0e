package testkit

import (
	"bytes"
	"context"
	"crypto/rsa"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"weft/internal/httpsig"
)

// Peer is a remote ActivityPub server driven by hand from a test: it
// serves actor documents, WebFinger and whatever objects the test puts up,
// records every POST to its inboxes, and sends signed deliveries exactly as
// the test words them (or mis-signs them on purpose). It stands at the
// network edge of a weft instance made by NewInstance, which reaches it
// over loopback like any other server, so what is tested is weft's real
// HTTP path and not a shortcut into its functions.
//
// Actors are named; each has its own key, which RotateKey replaces.
type Peer struct {
	URL    string // http://127.0.0.1:PORT
	Domain string // 127.0.0.1:PORT, the domain in its actors' handles
	// Impl is the implementation whose habits the peer copies (Plain: the
	// hand-driven peer, which takes every POST and serves every GET).
	Impl Impl

	client *http.Client
	habits habits

	mu       sync.Mutex
	actors   map[string]*peerActor
	byPath   map[string]*peerActor // actor path (without a trailing slash) → actor
	objects  map[string][]byte     // path → JSON served
	received []Received
	refused  []string                  // POSTs whose signature did not hold (implementations that check)
	arrived  chan struct{}             // closed and replaced on each POST, to wake waiters
	keys     map[string]*rsa.PublicKey // keys of other servers' actors, by key id
	deleted  map[string]bool           // other servers' actors whose Delete of themselves arrived
	// background counts answers the peer sends on its own (Accepts).
	background sync.WaitGroup
	fetches    map[string]int
	failing    map[string]peerFailure // path → what its GETs answer for now
	files      map[string]peerFile
	seq        int
}

// peerFailure is a GET that fails for now: status, n more times (n < 0:
// until told otherwise).
type peerFailure struct{ status, n int }

// peerFile is a media file a peer serves.
type peerFile struct {
	contentType string
	data        []byte
}

type peerActor struct {
	name string // preferredUsername
	path string // where its document is, as its implementation names actors
	key  *rsa.PrivateKey
	pem  string
	gone bool
	// hidden: not there for other servers (a Threads member who does not
	// share): 404 to every request about it, its inbox included.
	hidden  bool
	display string   // its name, when changed (UpdateProfile)
	aka     []string // alsoKnownAs: the accounts it says it moved from
	// instance: the server's own actor, which signs its fetches.
	instance bool
	// followers it accepted: actor IRI → the inbox it delivers to them at
	// (their shared inbox when they have one).
	followers map[string]string
	// following: the accounts of other servers whose Accept of its
	// Follow arrived.
	following map[string]bool
}

// Received is one POST a peer's inbox received.
type Received struct {
	Path     string
	Header   http.Header
	Body     []byte
	Activity map[string]any // nil when the body is not a JSON object
	// Request is the request as it arrived (its body already read; Body
	// above holds it), so that a test can check the sender's signature with
	// httpsig.Verify.
	Request *http.Request
	// Dropped: taken (2xx) but thrown away, as the implementation does with
	// what it does not want (GoToSocial: a post at a member's inbox from
	// someone the member does not follow, which does not mention them).
	Dropped bool
}

// Type is the received activity's type, "" when there is none.
func (r Received) Type() string {
	s, _ := r.Activity["type"].(string)
	return s
}

// Actor is the received activity's actor IRI.
func (r Received) Actor() string {
	s, _ := r.Activity["actor"].(string)
	return s
}

// NewPeer starts a peer on a loopback port with the named actors; it stops
// when the test ends. It takes every POST and serves every GET, and words
// nothing on its own: the test drives it by hand.
func NewPeer(t testing.TB, names ...string) *Peer {
	t.Helper()
	return NewPeerAs(t, Plain, names...)
}

// NewPeerAs starts a peer that behaves as impl does on the wire (see
// Impl): how it names actors and keys, what it demands of requests to it,
// and, through its Follow, Publish, Like… methods, how it words and
// retries what it sends.
func NewPeerAs(t testing.TB, impl Impl, names ...string) *Peer {
	t.Helper()
	p := &Peer{
		Impl:    impl,
		habits:  habitsOf(impl),
		actors:  map[string]*peerActor{},
		byPath:  map[string]*peerActor{},
		objects: map[string][]byte{},
		fetches: map[string]int{},
		failing: map[string]peerFailure{},
		files:   map[string]peerFile{},
		keys:    map[string]*rsa.PublicKey{},
		deleted: map[string]bool{},
		arrived: make(chan struct{}),
		client:  &http.Client{Timeout: 10 * time.Second},
	}
	srv := httptest.NewServer(http.HandlerFunc(p.serve))
	t.Cleanup(srv.Close)
	t.Cleanup(p.background.Wait) // answers still being sent (Accepts) end before the server
	p.URL = srv.URL
	p.Domain = strings.TrimPrefix(srv.URL, "http://")
	if impl != Plain {
		p.addActor(t, p.habits.instanceName(p.Domain), true)
	}
	for _, n := range names {
		p.AddActor(t, n)
	}
	return p
}

// AddActor creates an actor with a fresh key.
func (p *Peer) AddActor(t testing.TB, name string) {
	t.Helper()
	p.addActor(t, name, false)
}

func (p *Peer) addActor(t testing.TB, name string, instance bool) {
	t.Helper()
	a := &peerActor{name: name, instance: instance, followers: map[string]string{}, following: map[string]bool{}}
	if instance {
		a.path = p.habits.instancePath(name)
	} else {
		a.path = p.habits.actorPath(name)
	}
	p.setKey(t, a)
	p.mu.Lock()
	defer p.mu.Unlock()
	p.actors[name] = a
	p.byPath[strings.TrimSuffix(a.path, "/")] = a
}

// RotateKey gives an actor a new key: its document publishes the new one
// from now on, and its deliveries are signed with it.
func (p *Peer) RotateKey(t testing.TB, name string) {
	t.Helper()
	a := p.actor(t, name)
	p.setKey(t, a)
}

func (p *Peer) setKey(t testing.TB, a *peerActor) {
	t.Helper()
	key, err := httpsig.GenerateKey()
	Must(t, err, "peer key")
	pem, err := httpsig.EncodePublicKeyPEM(&key.PublicKey)
	Must(t, err, "peer public key")
	p.mu.Lock()
	defer p.mu.Unlock()
	a.key, a.pem = key, string(pem)
}

// Gone makes an actor's document answer 410 Gone, as a server does once an
// account is deleted; the actor's key still signs (its last Delete).
func (p *Peer) Gone(t testing.TB, name string) {
	t.Helper()
	a := p.actor(t, name)
	p.mu.Lock()
	defer p.mu.Unlock()
	a.gone = true
}

func (p *Peer) actor(t testing.TB, name string) *peerActor {
	t.Helper()
	p.mu.Lock()
	defer p.mu.Unlock()
	a, ok := p.actors[name]
	if !ok {
		t.Fatalf("peer %s has no actor %q", p.Domain, name)
	}
	return a
}

// ActorID is the IRI of a named actor.
func (p *Peer) ActorID(name string) string {
	p.mu.Lock()
	defer p.mu.Unlock()
	if a, ok := p.actors[name]; ok {
		return p.URL + a.path
	}
	return p.URL + p.habits.actorPath(name)
}

// base is an actor's IRI without a trailing slash, to build paths under.
func (p *Peer) base(name string) string { return strings.TrimSuffix(p.ActorID(name), "/") }

// KeyID is the id of a named actor's key: the actor's id with #main-key,
// or, as GoToSocial names keys, a path of its own.
func (p *Peer) KeyID(name string) string {
	if p.habits.keyAtPath {
		return p.base(name) + "/main-key"
	}
	return p.ActorID(name) + "#main-key"
}

// Followers is the IRI of a named actor's followers collection.
func (p *Peer) Followers(name string) string { return p.base(name) + "/followers" + p.habits.slash }

// Inbox is a named actor's personal inbox.
func (p *Peer) Inbox(name string) string { return p.base(name) + "/inbox" + p.habits.slash }

// SharedInbox is the peer's shared inbox ("" for an implementation
// without one).
func (p *Peer) SharedInbox() string {
	if p.habits.noSharedInbox {
		return ""
	}
	return p.URL + p.habits.sharedInboxPath
}

// nameOf finds which of the peer's actors an IRI names.
func (p *Peer) nameOf(actorIRI string) (string, bool) {
	path, ok := strings.CutPrefix(actorIRI, p.URL)
	if !ok {
		return "", false
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	a, ok := p.byPath[strings.TrimSuffix(path, "/")]
	if !ok {
		return "", false
	}
	return a.name, true
}

// Handle is name@domain.
func (p *Peer) Handle(name string) string { return name + "@" + p.Domain }

// Key is a named actor's current private key.
func (p *Peer) Key(t testing.TB, name string) *rsa.PrivateKey {
	t.Helper()
	a := p.actor(t, name)
	p.mu.Lock()
	defer p.mu.Unlock()
	return a.key
}

// NextID returns a fresh IRI under an actor, for activity and object ids.
func (p *Peer) NextID(name, kind string) string {
	base := p.base(name)
	return fmt.Sprintf("%s/%s/%d", base, kind, p.next())
}

// next is a fresh number for ids.
func (p *Peer) next() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.seq++
	return p.seq
}

// Serve puts up doc at path (absolute on the peer, e.g. "/users/pat/notes/1"),
// answered as application/activity+json; its URL is returned.
func (p *Peer) Serve(t testing.TB, path string, doc map[string]any) string {
	t.Helper()
	b, err := json.Marshal(doc)
	Must(t, err, "encode %s", path)
	p.mu.Lock()
	defer p.mu.Unlock()
	p.objects[path] = b
	return p.URL + path
}

// ServeFile puts up a media file at path, answered with contentType; its
// URL is returned.
func (p *Peer) ServeFile(path, contentType string, data []byte) string {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.files[path] = peerFile{contentType: contentType, data: data}
	return p.URL + path
}

// FailGets makes the next n GETs of path answer status, as a server that
// is down, overloaded or has lost the document does; n < 0 keeps failing
// until FailGets(path, 0, 0).
func (p *Peer) FailGets(path string, status, n int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if n == 0 {
		delete(p.failing, path)
		return
	}
	p.failing[path] = peerFailure{status: status, n: n}
}

// Fetches counts the GETs of path so far (actor documents included), so a
// test can tell whether and how often the receiver came back for a key.
func (p *Peer) Fetches(path string) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.fetches[path]
}

// Received returns a copy of what the inboxes received so far, in order.
func (p *Peer) Received() []Received {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]Received(nil), p.received...)
}

// WaitFor waits (at most timeout) until an inbox has received a POST that
// match accepts, and returns the first such; the test fails otherwise.
func (p *Peer) WaitFor(t testing.TB, what string, timeout time.Duration, match func(Received) bool) Received {
	t.Helper()
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for {
		p.mu.Lock()
		arrived := p.arrived
		received := append([]Received(nil), p.received...)
		p.mu.Unlock()
		// Matched outside the lock: a matcher may ask the peer (ActorID).
		for _, r := range received {
			if match(r) {
				return r
			}
		}
		select {
		case <-arrived:
		case <-deadline.C:
			t.Fatalf("peer %s: nothing received within %v: %s", p.Domain, timeout, what)
			return Received{}
		}
	}
}

// ExpectNone waits for d and fails the test if an inbox received a POST
// that match accepts meanwhile (or before). A bounded wait is the only way
// to see that something does not come; d should stay short.
func (p *Peer) ExpectNone(t testing.TB, what string, d time.Duration, match func(Received) bool) {
	t.Helper()
	time.Sleep(d)
	for _, r := range p.Received() {
		if match(r) {
			t.Fatalf("peer %s received what it should not have (%s): %s %s", p.Domain, what, r.Path, r.Body)
		}
	}
}

func (p *Peer) serve(w http.ResponseWriter, r *http.Request) {
	if p.habits.needUserAgent && r.Header.Get("User-Agent") == "" {
		// GoToSocial turns away requests that do not say who sends them.
		http.Error(w, "I'm a teapot: requests without a User-Agent are refused", http.StatusTeapot)
		return
	}
	switch r.Method {
	case http.MethodGet:
		p.serveGet(w, r)
	case http.MethodPost:
		p.servePost(w, r)
	default:
		w.WriteHeader(http.StatusMethodNotAllowed)
	}
}

func (p *Peer) serveGet(w http.ResponseWriter, r *http.Request) {
	p.mu.Lock()
	p.fetches[r.URL.Path]++
	if f, ok := p.failing[r.URL.Path]; ok {
		if f.n > 0 {
			f.n--
			p.failing[r.URL.Path] = f
		}
		if f.n == 0 {
			delete(p.failing, r.URL.Path)
		}
		p.mu.Unlock()
		w.WriteHeader(f.status)
		return
	}
	doc, isObject := p.objects[r.URL.Path]
	file, isFile := p.files[r.URL.Path]
	p.mu.Unlock()
	if isFile {
		w.Header().Set("Content-Type", file.contentType)
		w.Write(file.data)
		return
	}
	if r.URL.Path == "/.well-known/webfinger" {
		p.webfinger(w, r)
		return
	}
	a, sub := p.actorAt(r.URL.Path)
	keyStub := a != nil && sub == "main-key" && p.habits.keyAtPath
	// Documents need a signed request where the implementation demands
	// one (GoToSocial, always); its key documents are the exception, so
	// that others can check its signatures without one.
	if p.habits.signedFetch && !keyStub && (isObject || a != nil) {
		if _, err := p.checkSignature(r, nil); err != nil {
			p.refuseSignature(w, err)
			return
		}
	}
	if isObject {
		writePeerJSON(w, "application/activity+json", doc)
		return
	}
	if a == nil {
		http.NotFound(w, r)
		return
	}
	p.mu.Lock()
	gone, hidden, pem, aka, name, display := a.gone, a.hidden, a.pem, a.aka, a.name, a.display
	p.mu.Unlock()
	switch {
	case hidden || p.Impl == Threads && sub == "outbox":
		writePeerJSON(w, "application/json", []byte(`{"success":false,"error":"Not found"}`), http.StatusNotFound)
	case gone:
		w.WriteHeader(http.StatusGone)
	case sub == "":
		doc := p.actorDoc(name, pem)
		if len(aka) > 0 {
			doc["alsoKnownAs"] = aka
		}
		if display != "" {
			doc["name"] = display
		}
		b, _ := json.Marshal(doc)
		writePeerJSON(w, "application/activity+json", b)
	case keyStub:
		b, _ := json.Marshal(p.keyStubDoc(name, pem))
		writePeerJSON(w, "application/activity+json", b)
	case sub == "followers" || sub == "following" || sub == "outbox" || sub == "collections/featured" || sub == "collections/tags":
		// Empty collections: enough for a receiver that looks at them.
		b, _ := json.Marshal(map[string]any{"@context": "https://www.w3.org/ns/activitystreams",
			"id": p.base(name) + "/" + sub + p.habits.slash, "type": "OrderedCollection", "totalItems": 0, "orderedItems": []any{}})
		writePeerJSON(w, "application/activity+json", b)
	default:
		http.NotFound(w, r)
	}
}

// actorAt finds the actor a path is of, and the rest of the path under it
// ("" for the actor itself, "inbox", "main-key", …).
func (p *Peer) actorAt(path string) (*peerActor, string) {
	path = strings.TrimSuffix(path, "/")
	p.mu.Lock()
	defer p.mu.Unlock()
	if a, ok := p.byPath[path]; ok {
		return a, ""
	}
	for i := len(path) - 1; i > 0; i-- {
		if path[i] != '/' {
			continue
		}
		if a, ok := p.byPath[path[:i]]; ok {
			return a, path[i+1:]
		}
	}
	return nil, ""
}

// AlsoKnownAs makes an actor's document name other accounts as its aliases
// (what confirms a Move to it).
func (p *Peer) AlsoKnownAs(t testing.TB, name string, aliases ...string) {
	t.Helper()
	a := p.actor(t, name)
	p.mu.Lock()
	defer p.mu.Unlock()
	a.aka = aliases
}

func (p *Peer) webfinger(w http.ResponseWriter, r *http.Request) {
	acct := strings.TrimPrefix(r.URL.Query().Get("resource"), "acct:")
	name, domain, _ := strings.Cut(acct, "@")
	p.mu.Lock()
	a, known := p.actors[name]
	p.mu.Unlock()
	if !known || !strings.EqualFold(domain, p.Domain) || a.gone || a.hidden {
		http.NotFound(w, r)
		return
	}
	links := []any{map[string]any{"rel": "self", "type": "application/activity+json", "href": p.ActorID(name)}}
	if sub := p.habits.subscribe; sub != "" {
		links = append(links, map[string]any{"rel": "http://ostatus.org/schema/1.0/subscribe", "template": p.URL + sub})
	}
	b, _ := json.Marshal(map[string]any{
		"subject": "acct:" + name + "@" + p.Domain,
		"aliases": []string{p.ActorID(name)},
		"links":   links,
	})
	writePeerJSON(w, "application/jrd+json", b)
}

// isInbox tells whether a POST path is one of the peer's inboxes.
func (p *Peer) isInbox(path string) bool {
	if shared := p.SharedInbox(); shared != "" && strings.TrimSuffix(p.URL+path, "/") == strings.TrimSuffix(shared, "/") {
		return true
	}
	a, sub := p.actorAt(path)
	if a == nil || sub != "inbox" {
		return false
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	return !a.hidden
}

func (p *Peer) servePost(w http.ResponseWriter, r *http.Request) {
	if !p.isInbox(r.URL.Path) {
		http.NotFound(w, r)
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	if p.Impl == GoToSocial && !activityType(r.Header.Get("Content-Type")) {
		http.Error(w, `{"error":"Not Acceptable"}`, http.StatusNotAcceptable)
		return
	}
	if p.Impl == Threads && strings.HasPrefix(r.Header.Get("Digest"), "sha-256=") {
		// Threads takes only the upper-case spelling of the digest.
		writePeerJSON(w, "application/json", []byte(`{"success":false,"error":"Not found"}`), http.StatusNotFound)
		return
	}
	rec := Received{Path: r.URL.Path, Header: r.Header.Clone(), Body: body, Request: r.Clone(context.Background())}
	rec.Request.Body = http.NoBody
	_ = json.Unmarshal(body, &rec.Activity)
	if p.Impl != Plain {
		// A real server checks who signed before it takes anything.
		keyID, err := p.checkSignature(r, body)
		if err == nil && !sameActor(keyID, rec.Actor()) {
			err = fmt.Errorf("key %s is not of the activity's actor %s", keyID, rec.Actor())
		}
		if err != nil {
			p.mu.Lock()
			p.refused = append(p.refused, fmt.Sprintf("%s %s: %v", r.URL.Path, rec.Type(), err))
			p.mu.Unlock()
			p.refuseSignature(w, err)
			return
		}
		p.mu.Lock()
		dropped := p.deleted[rec.Actor()]
		if dropped {
			p.refused = append(p.refused, fmt.Sprintf("%s %s %v: from an actor deleted here", r.URL.Path, rec.Type(), rec.Activity["object"]))
		}
		p.mu.Unlock()
		if dropped && p.Impl == GoToSocial {
			// GoToSocial keeps a deleted actor's key and refuses what it
			// signs afterwards: "requesting account suspended".
			http.Error(w, `{"error":"Forbidden: requesting account suspended"}`, http.StatusForbidden)
			return
		}
	}
	if p.Impl == GoToSocial && rec.Type() == "Create" {
		rec.Dropped = !p.wantsPost(r.URL.Path, rec)
	}
	p.mu.Lock()
	p.received = append(p.received, rec)
	close(p.arrived)
	p.arrived = make(chan struct{})
	p.mu.Unlock()
	if p.Impl != Plain {
		p.react(rec)
	}
	// The plain peer takes everything: judging deliveries is the test's job.
	switch p.Impl {
	case Pleroma:
		writePeerJSON(w, "application/json", []byte(`"ok"`), http.StatusOK) // Pleroma's success is a 200
	case GoToSocial:
		writePeerJSON(w, "application/json", []byte(`{"status":"Accepted"}`), http.StatusAccepted)
	default:
		w.WriteHeader(http.StatusAccepted)
	}
}

// activityType: a Content-Type GoToSocial takes for an activity.
func activityType(ct string) bool {
	ct = strings.ToLower(ct)
	return strings.HasPrefix(ct, "application/activity+json") ||
		strings.HasPrefix(ct, "application/ld+json") && strings.Contains(ct, "https://www.w3.org/ns/activitystreams")
}

// sameActor: a key id belongs to the actor (its id with a fragment, or a
// path under it).
func sameActor(keyID, actor string) bool {
	k, _, _ := strings.Cut(keyID, "#")
	return k == actor || strings.HasPrefix(k, strings.TrimSuffix(actor, "/")+"/")
}

func writePeerJSON(w http.ResponseWriter, ctype string, b []byte, status ...int) {
	w.Header().Set("Content-Type", ctype)
	if len(status) > 0 {
		w.WriteHeader(status[0])
	}
	_, _ = w.Write(b)
}

// SendOptions say how Send signs (or mis-signs) a delivery.
type SendOptions struct {
	// As is the actor whose key signs; "" with Key nil sends it unsigned.
	As string
	// Scheme is the signature scheme; default httpsig.Cavage.
	Scheme httpsig.Scheme
	// KeyID and Key replace As's key id and key (a key of another server,
	// a key that is not the actor's).
	KeyID string
	Key   *rsa.PrivateKey
	// Now is the signing clock (a stale Date); default the real time.
	Now time.Time
	// SentBody, when not nil, is sent instead of the signed body: a body
	// changed on the way.
	SentBody []byte
	// Chunked sends the body without a Content-Length, so the receiver
	// learns its size only by reading it.
	Chunked bool
}

// Deliver POSTs activity to inboxURL signed in scheme by its actor, which
// must be one of this peer's, and returns the HTTP status.
func (p *Peer) Deliver(t testing.TB, inboxURL string, activity map[string]any, scheme httpsig.Scheme) int {
	t.Helper()
	actor, _ := activity["actor"].(string)
	name, ok := p.nameOf(actor)
	if !ok {
		t.Fatalf("peer %s: Deliver of an activity whose actor %q is not one of its own", p.Domain, actor)
	}
	body, err := json.Marshal(activity)
	Must(t, err, "encode activity")
	return p.Send(t, inboxURL, body, SendOptions{As: name, Scheme: scheme})
}

// Send POSTs body to inboxURL as o says and returns the HTTP status.
func (p *Peer) Send(t testing.TB, inboxURL string, body []byte, o SendOptions) int {
	t.Helper()
	status, _ := p.Post(t, inboxURL, body, o)
	return status
}

// Post is Send that also returns the answer's body (at most 64 KiB), which
// says why a delivery was refused.
func (p *Peer) Post(t testing.TB, inboxURL string, body []byte, o SendOptions) (int, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, inboxURL, nil)
	Must(t, err, "request to %s", inboxURL)
	req.Header.Set("Content-Type", "application/activity+json")
	req.Header.Set("Accept", "application/activity+json")
	keyID, key := o.KeyID, o.Key
	if o.As != "" {
		if keyID == "" {
			keyID = p.KeyID(o.As)
		}
		if key == nil {
			key = p.Key(t, o.As)
		}
	}
	if key != nil {
		scheme := o.Scheme
		if scheme == 0 {
			scheme = httpsig.Cavage
		}
		Must(t, httpsig.SignWith(req, keyID, key, scheme, body, httpsig.SignOptions{Now: o.Now}), "sign")
	}
	sent := body
	if o.SentBody != nil {
		sent = o.SentBody
	}
	// Set after signing, which attaches the signed body itself.
	req.Body = io.NopCloser(bytes.NewReader(sent))
	req.ContentLength = int64(len(sent))
	req.GetBody = nil
	if o.Chunked {
		req.Body = io.NopCloser(io.MultiReader(bytes.NewReader(sent)))
		req.ContentLength = -1
	}
	res, err := p.client.Do(req)
	Must(t, err, "POST %s", inboxURL)
	defer res.Body.Close()
	answer, _ := io.ReadAll(io.LimitReader(res.Body, 64<<10))
	return res.StatusCode, answer
}

// Accept answers a Follow that one of this peer's actors received, as a
// server that approves followers at once does: an Accept with the Follow
// inline, signed by the followed actor, to the follower's inbox (read from
// the follower's actor document). It returns the HTTP status.
func (p *Peer) Accept(t testing.TB, follow Received) int {
	t.Helper()
	target, _ := follow.Activity["object"].(string)
	name, ok := p.nameOf(target)
	if follow.Type() != "Follow" || !ok {
		t.Fatalf("peer %s: Accept of something that is not a Follow of its own actor: %s", p.Domain, follow.Body)
	}
	inbox := p.inboxOf(t, follow.Actor())
	return p.Deliver(t, inbox, map[string]any{
		"@context": "https://www.w3.org/ns/activitystreams",
		"id":       p.NextID(name, "accepts"),
		"type":     "Accept",
		"actor":    p.ActorID(name),
		"object":   follow.Activity,
	}, httpsig.Cavage)
}

// inboxOf reads an actor's inbox from its document.
func (p *Peer) inboxOf(t testing.TB, actor string) string {
	t.Helper()
	doc := p.FetchJSON(t, actor)
	inbox, _ := doc["inbox"].(string)
	if u, err := url.Parse(inbox); err != nil || u.Host == "" {
		t.Fatalf("actor %s names no inbox: %v", actor, doc)
	}
	return inbox
}

// FetchJSON GETs an ActivityPub document (unsigned) and decodes it.
func (p *Peer) FetchJSON(t testing.TB, iri string) map[string]any {
	t.Helper()
	return FetchActivityJSON(t, p.client, iri)
}

// FetchActivityJSON GETs an ActivityPub document (unsigned) with client
// and decodes it; anything but 200 fails the test.
func FetchActivityJSON(t testing.TB, client *http.Client, iri string) map[string]any {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, iri, nil)
	Must(t, err, "request %s", iri)
	req.Header.Set("Accept", "application/activity+json")
	res, err := client.Do(req)
	Must(t, err, "GET %s", iri)
	defer res.Body.Close()
	b, err := io.ReadAll(io.LimitReader(res.Body, 1<<20))
	Must(t, err, "read %s", iri)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d %s", iri, res.StatusCode, b)
	}
	var doc map[string]any
	Must(t, json.Unmarshal(b, &doc), "decode %s", iri)
	return doc
}
