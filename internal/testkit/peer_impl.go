package testkit

import (
	"fmt"
	"hash/crc32"
	"net/http"
)

// Impl is an ActivityPub implementation whose habits a Peer copies. The
// habits are what that software does on the wire, as read in its code and
// documents (docs/federation.md lists the sources): how it names actors
// and keys, what it demands of requests, which answers it retries, and
// how it words each activity (peer_shapes.go).
type Impl string

// The implementations the interoperability table runs against. Plain is
// the hand-driven peer of the inbox tests: Mastodon's shapes, no demands.
const (
	Plain      Impl = ""
	Mastodon   Impl = "Mastodon"
	GoToSocial Impl = "GoToSocial"
	Misskey    Impl = "Misskey"
	Pleroma    Impl = "Pleroma"
	Threads    Impl = "Threads"
)

// Impls lists the implementations a Peer can behave as.
var Impls = []Impl{Mastodon, GoToSocial, Misskey, Pleroma, Threads}

// habits are one implementation's rules for a peer.
type habits struct {
	// actorPath is where an actor lives; instancePath where the server's
	// own actor (which signs its fetches) lives, named instanceName.
	actorPath    func(name string) string
	instancePath func(name string) string
	instanceName func(domain string) string
	instanceType string
	// slash ends collection and inbox IRIs (Threads ends every IRI with one).
	slash string
	// keyAtPath: the key id is actor/main-key, whose document is the actor
	// in a minimal form, without inbox or collections (GoToSocial).
	keyAtPath bool
	// signedFetch: documents are served to signed GETs only (401 to
	// others), and the peer signs its own GETs.
	signedFetch bool
	// needUserAgent: 418 to requests without a User-Agent (GoToSocial).
	needUserAgent bool
	// sharedInboxPath is its shared inbox; noSharedInbox when it has none.
	sharedInboxPath string
	noSharedInbox   bool
	// retry says which answers to a delivery it tries again.
	retry func(status int) bool
	// subscribe is the remote-follow page its WebFinger names (the
	// ostatus subscribe template, {uri} in it); "" when it names none.
	subscribe string
}

func habitsOf(impl Impl) habits {
	users := func(name string) string { return "/users/" + name }
	h := habits{
		actorPath: users, instancePath: func(string) string { return "/actor" },
		instanceName:    func(domain string) string { return domain },
		instanceType:    "Application",
		sharedInboxPath: "/inbox",
		retry:           retryUnlessClientError,
		subscribe:       "/authorize_interaction?uri={uri}", // Mastodon's
	}
	switch impl {
	case Mastodon:
		// Accounts made since 4.5 have numeric ids under /ap/users/; the
		// instance actor is /actor, named mastodon.internal. Deliveries
		// are retried on 401 too, and on any 5xx but 501.
		h.actorPath = func(name string) string { return fmt.Sprintf("/ap/users/%d", mastodonID(name)) }
		h.instanceName = func(string) string { return "mastodon.internal" }
		h.retry = func(status int) bool {
			return status >= 500 && status != http.StatusNotImplemented ||
				status == http.StatusUnauthorized || status == http.StatusRequestTimeout || status == http.StatusTooManyRequests
		}
	case GoToSocial:
		// Its instance actor is a Service named after the host; keys are
		// documents of their own; every document needs a signed GET; there
		// is no shared inbox; only 5xx and 429 are retried.
		h.instancePath = users
		h.instanceType = "Service"
		h.keyAtPath, h.signedFetch, h.needUserAgent = true, true, true
		h.noSharedInbox = true
		h.retry = func(status int) bool { return status >= 500 || status == http.StatusTooManyRequests }
		h.subscribe = "" // no remote-follow page
	case Misskey:
		// Actors are named by an opaque id, not by their username; any
		// 4xx but 429 is final.
		h.actorPath = func(name string) string { return "/users/" + misskeyID(name) }
		h.instancePath = h.actorPath
		h.instanceName = func(string) string { return "system.actor" }
		h.retry = func(status int) bool { return status >= 500 || status == http.StatusTooManyRequests }
		h.subscribe = "/authorize-follow?acct={uri}"
	case Pleroma:
		// Its fetches are signed by /internal/fetch; 400, 403, 404 and 410
		// are final, anything else is retried (401 included).
		h.instancePath = func(string) string { return "/internal/fetch" }
		h.instanceName = func(string) string { return "internal.fetch" }
		h.subscribe = "/ostatus_subscribe?acct={uri}"
		h.retry = func(status int) bool {
			switch status {
			case http.StatusBadRequest, http.StatusForbidden, http.StatusNotFound, http.StatusGone:
				return false
			}
			return true
		}
	case Threads:
		// Numeric ids under /ap/users/, every IRI ending in a slash; the
		// system actor threads.sys (a Person) signs fetches; documents only
		// to signed requests, 404 to anything else; no shared inbox.
		h.actorPath = func(name string) string { return fmt.Sprintf("/ap/users/%d/", threadsID(name)) }
		h.instancePath = func(name string) string { return "/ap/users/" + name + "/" }
		h.instanceName = func(string) string { return "threads.sys" }
		h.instanceType = "Person"
		h.slash = "/"
		h.signedFetch = true
		h.noSharedInbox = true
		h.subscribe = ""
	}
	return h
}

// retryUnlessClientError is the common policy (Mastodon's, Misskey's):
// a 4xx other than 408 and 429 is final, anything else is tried again.
func retryUnlessClientError(status int) bool {
	return status >= 500 || status == http.StatusRequestTimeout || status == http.StatusTooManyRequests
}

// misskeyID is a stable opaque id of the shape Misskey gives accounts
// (aidx: 16 characters of [0-9a-z]).
func misskeyID(name string) string {
	return fmt.Sprintf("a%07xmk%06x", crc32.ChecksumIEEE([]byte(name))>>4, len(name))
}

// mastodonID is a stable numeric id of the shape Mastodon gives accounts.
func mastodonID(name string) uint64 {
	return 110000000000000000 + uint64(crc32.ChecksumIEEE([]byte(name)))
}

// threadsID is a stable numeric id of the shape Threads gives accounts.
func threadsID(name string) uint64 {
	return 17841400000000000 + uint64(crc32.ChecksumIEEE([]byte(name)))
}
