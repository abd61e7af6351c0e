package federation

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"

	"weft/internal/ap"
	"weft/internal/federation/transport"
	"weft/internal/model"
	"weft/internal/service"
)

// refreshAfterFailure is how long a stale actor whose refresh failed is
// kept as stored before its server is asked again.
const refreshAfterFailure = 10 * time.Minute

// errNotActor: a fetched document is not what was looked for.
var errNotActor = errors.New("not an actor")

// fetch GETs an ActivityPub document signed as the instance actor and
// parses it. The document's id must be on the server that served it (after
// redirects): a server may describe only its own objects.
func (f *Federation) fetch(ctx context.Context, iri string) (*ap.Object, error) {
	if err := f.checkRemote(ctx, iri); err != nil {
		return nil, err
	}
	signer, err := f.instanceSigner(ctx)
	if err != nil {
		return nil, err
	}
	body, final, err := f.client.FetchActivity(ctx, iri, signer)
	if err != nil {
		return nil, err
	}
	obj, err := ap.Parse(body)
	if err != nil {
		return nil, fmt.Errorf("fetch %s: %w: %w", iri, errBadDocument, err)
	}
	if obj.ID == "" || ap.Origin(obj.ID) == "" || ap.Origin(obj.ID) != ap.Origin(final) {
		return nil, fmt.Errorf("fetch %s: %w: the document's id %q is not on the server that served it", iri, errBadDocument, obj.ID)
	}
	return obj, nil
}

// checkScheme refuses plain-http remote IRIs when weft itself runs on
// https: no downgrade of what was asked over TLS.
func (f *Federation) checkScheme(iri string) error {
	u, err := url.Parse(iri)
	if err != nil || u.Host == "" {
		return fmt.Errorf("%w: %q", transport.ErrBadURL, iri)
	}
	if f.cfg.Protocol == "https" && !strings.EqualFold(u.Scheme, "https") {
		return fmt.Errorf("%w: %q is not https", transport.ErrBadURL, iri)
	}
	return nil
}

// errBlocked: the instance blocks the server.
var errBlocked = errors.New("the server is blocked by this instance")

// checkRemote refuses IRIs on servers this instance suspended, and
// downgraded schemes: every fetch and delivery asks it first.
func (f *Federation) checkRemote(ctx context.Context, iri string) error {
	if err := f.checkScheme(iri); err != nil {
		return err
	}
	u, _ := url.Parse(iri)
	blocked, err := f.svc.DomainSuspended(ctx, u.Host)
	if err != nil {
		return err
	}
	if blocked {
		return fmt.Errorf("%w: %s", errBlocked, u.Host)
	}
	return nil
}

// ResolveActor returns the account of an actor IRI: a local member, a
// remote account known and fresh, or one fetched now. A stale remote
// account is refreshed, and kept as it was when its server does not answer.
func (f *Federation) ResolveActor(ctx context.Context, iri string) (*model.Account, error) {
	if f.svc.IsLocalURI(iri) {
		return f.svc.AccountByURI(ctx, iri)
	}
	a, err := f.svc.AccountByURI(ctx, iri)
	if err == nil {
		r, _ := f.svc.RemoteActorOf(ctx, a.ID)
		if r != nil && !f.svc.RemoteActorStale(r) {
			return a, nil
		}
		if r != nil && !f.refresh.Due(iri, time.Now(), refreshAfterFailure) {
			return a, nil // its refresh failed a moment ago (a Threads member who stopped sharing answers 404 for good)
		}
		if fresh, err := f.fetchActor(ctx, iri); err == nil {
			return fresh, nil
		} else if r != nil {
			f.log.Debug("actor refresh failed; keeping the stored one", "actor", iri, "err", err)
			return a, nil
		}
	} else if !errors.Is(err, model.ErrNotFound) {
		return nil, err
	}
	return f.fetchActor(ctx, iri)
}

func (f *Federation) fetchActor(ctx context.Context, iri string) (*model.Account, error) {
	obj, err := f.fetch(ctx, iri)
	if err != nil {
		return nil, err
	}
	if !obj.IsActor() {
		return nil, fmt.Errorf("%s: %w (type %q)", iri, errNotActor, obj.Type)
	}
	return f.saveActor(ctx, obj)
}

var usernameRE = regexp.MustCompile(`^[\p{L}\p{N}_.~:-]{1,100}$`) // ":" for instance actors named after a host:port

// saveActor stores what an actor document says. The key must belong to
// the actor, and the inboxes must be web addresses.
func (f *Federation) saveActor(ctx context.Context, obj *ap.Object) (*model.Account, error) {
	u, err := url.Parse(obj.ID)
	if err != nil || u.Host == "" {
		return nil, fmt.Errorf("actor id %q: %w", obj.ID, transport.ErrBadURL)
	}
	if !usernameRE.MatchString(obj.PreferredUsername) {
		return nil, fmt.Errorf("%w: actor %s: unusable preferredUsername %q", errBadDocument, obj.ID, obj.PreferredUsername)
	}
	if !isWebURL(obj.Inbox) || (obj.SharedInbox != "" && !isWebURL(obj.SharedInbox)) {
		return nil, fmt.Errorf("%w: actor %s: no usable inbox", errBadDocument, obj.ID)
	}
	actor := model.RemoteActor{
		Type: obj.Type, Inbox: obj.Inbox, SharedInbox: obj.SharedInbox, Outbox: obj.Outbox,
		Followers: obj.Followers, Following: obj.Following, Featured: obj.Featured,
		AlsoKnownAs: obj.AlsoKnownAs, MovedTo: obj.MovedTo, AvatarURL: obj.Icon, HeaderURL: obj.Image,
	}
	if pk := obj.PublicKey; pk != nil && (pk.Owner == "" || pk.Owner == obj.ID) && ap.Origin(pk.ID) == ap.Origin(obj.ID) {
		actor.KeyID, actor.PublicKeyPEM = pk.ID, pk.PEM
	}
	profileURL := obj.URL
	if profileURL == "" {
		profileURL = obj.ID
	}
	acc := model.Account{
		Username: obj.PreferredUsername, Domain: strings.ToLower(u.Host), DisplayName: obj.Name,
		NoteHTML: obj.Summary, Locked: obj.ManuallyApprovesFollowers,
		Bot: obj.HasType("Service") || obj.HasType("Application"), Discoverable: obj.Discoverable,
		URI: obj.ID, URL: profileURL, CreatedAt: obj.Published,
	}
	for _, fl := range obj.Fields {
		acc.Fields = append(acc.Fields, model.Field{Name: fl.Name, ValueHTML: fl.Value})
	}
	return f.svc.SaveRemoteAccount(ctx, service.RemoteProfile{Account: acc, Actor: actor})
}

func isWebURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && u.Host != "" && (u.Scheme == "https" || u.Scheme == "http")
}

// jrd is the part of a WebFinger answer weft reads.
type jrd struct {
	Subject string `json:"subject"`
	Links   []struct {
		Rel      string `json:"rel"`
		Type     string `json:"type"`
		Href     string `json:"href"`
		Template string `json:"template"`
	} `json:"links"`
}

// webfinger asks user@domain's server about it (over weft's own scheme).
func (f *Federation) webfinger(ctx context.Context, username, domain string) (*jrd, error) {
	if username == "" || domain == "" || strings.ContainsAny(domain, "/?#@ ") || strings.ContainsAny(username, "/?#@ ") {
		return nil, model.NotFound("account")
	}
	endpoint := f.cfg.Protocol + "://" + domain + "/.well-known/webfinger?resource=" + url.QueryEscape("acct:"+username+"@"+domain)
	if err := f.checkRemote(ctx, endpoint); err != nil {
		return nil, err
	}
	body, _, err := f.client.GetJSON(ctx, endpoint, "application/jrd+json, application/json", nil)
	var status *transport.StatusError
	if errors.As(err, &status) && (status.Code == http.StatusNotFound || status.Code == http.StatusGone) {
		return nil, fmt.Errorf("webfinger %s@%s: %w", username, domain, model.NotFound("account")) // no such account there
	}
	if err != nil {
		return nil, fmt.Errorf("webfinger %s@%s: %w", username, domain, err)
	}
	var doc jrd
	if err := json.Unmarshal(body, &doc); err != nil {
		return nil, fmt.Errorf("webfinger %s@%s: %w", username, domain, err)
	}
	return &doc, nil
}

// ResolveHandle finds user@domain: WebFinger on the domain, then the actor
// document it points to.
func (f *Federation) ResolveHandle(ctx context.Context, username, domain string) (*model.Account, error) {
	domain = strings.ToLower(strings.TrimSpace(domain))
	if strings.EqualFold(domain, f.cfg.Domain) {
		return f.svc.LocalAccountByUsername(ctx, username)
	}
	doc, err := f.webfinger(ctx, username, domain)
	if err != nil {
		return nil, err
	}
	for _, l := range doc.Links {
		if l.Rel == "self" && (strings.HasPrefix(l.Type, "application/activity+json") || strings.HasPrefix(l.Type, "application/ld+json")) && isWebURL(l.Href) {
			return f.ResolveActor(ctx, l.Href)
		}
	}
	return nil, fmt.Errorf("webfinger %s@%s: %w", username, domain, model.NotFound("account"))
}

// subscribeRel is the WebFinger link of a server's remote-follow page.
const subscribeRel = "http://ostatus.org/schema/1.0/subscribe"

// SubscribeTemplate is user@domain's server's remote-follow template
// (service.Resolver).
func (f *Federation) SubscribeTemplate(ctx context.Context, username, domain string) (string, error) {
	doc, err := f.webfinger(ctx, username, strings.ToLower(strings.TrimSpace(domain)))
	if err != nil {
		return "", err
	}
	for _, l := range doc.Links {
		if l.Rel == subscribeRel && strings.Contains(l.Template, "{uri}") {
			return l.Template, nil
		}
	}
	return "", model.Errorf(model.ErrNotFound, "handle", "%s does not offer following from other servers' pages", domain)
}

// ResolveURL finds what a URL names (service.Resolver): a local or known
// account or post, else the document fetched from its server, stored as
// an account (an actor) or a post.
func (f *Federation) ResolveURL(ctx context.Context, raw string) (*model.Account, *model.Status, error) {
	if acc, err := f.svc.AccountByURI(ctx, raw); err == nil {
		return acc, nil, nil
	}
	if st, err := f.svc.StatusByURI(ctx, raw); err == nil {
		return nil, st, nil
	}
	if f.svc.IsLocalURI(raw) {
		return nil, nil, model.NotFound("account")
	}
	obj, err := f.fetch(ctx, raw)
	if err != nil {
		return nil, nil, err
	}
	switch {
	case obj.IsActor():
		if acc, err := f.svc.AccountByURI(ctx, obj.ID); err == nil {
			return f.refreshed(ctx, acc, obj)
		}
		acc, err := f.saveActor(ctx, obj)
		return acc, nil, err
	case isPost(obj):
		if st, err := f.svc.StatusByURI(ctx, obj.ID); err == nil {
			return nil, st, nil
		}
		st, err := f.ingestPost(ctx, obj, maxParentDepth, false)
		return nil, st, err
	}
	return nil, nil, model.NotFound("object")
}

// refreshed stores a freshly fetched document of a known actor.
func (f *Federation) refreshed(ctx context.Context, known *model.Account, obj *ap.Object) (*model.Account, *model.Status, error) {
	acc, err := f.saveActor(ctx, obj)
	if err != nil {
		return known, nil, nil
	}
	return acc, nil, nil
}
