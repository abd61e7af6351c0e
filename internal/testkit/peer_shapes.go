package testkit

import (
	"fmt"
	"html"
	"strings"
	"time"
)

// How each implementation words its documents and activities. The shapes
// follow what each one sends (their code, and the real documents in
// ../shared/fixtures/activitypub); docs/federation.md says what is
// copied from where. Plain words everything as Mastodon does.

const asPublic = "https://www.w3.org/ns/activitystreams#Public"

// contextOf is the @context an implementation puts on what it sends.
func (p *Peer) contextOf() any {
	switch p.Impl {
	case GoToSocial:
		return []any{"https://gotosocial.org/ns", "https://www.w3.org/ns/activitystreams", map[string]any{"sensitive": "as:sensitive"}}
	case Misskey:
		return []any{"https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1", map[string]any{
			"manuallyApprovesFollowers": "as:manuallyApprovesFollowers", "sensitive": "as:sensitive", "Hashtag": "as:Hashtag",
			"quoteUrl": "as:quoteUrl", "toot": "http://joinmastodon.org/ns#", "Emoji": "toot:Emoji", "featured": "toot:featured",
			"discoverable": "toot:discoverable", "misskey": "https://misskey-hub.net/ns#",
			"_misskey_content": "misskey:_misskey_content", "_misskey_quote": "misskey:_misskey_quote",
			"_misskey_reaction": "misskey:_misskey_reaction", "_misskey_votes": "misskey:_misskey_votes",
			"_misskey_summary": "misskey:_misskey_summary", "isCat": "misskey:isCat", "vcard": "http://www.w3.org/2006/vcard/ns#"}}
	case Pleroma:
		return []any{"https://www.w3.org/ns/activitystreams", "https://purl.archive.org/socialweb/webfinger",
			map[string]any{"@language": "und"}}
	}
	return []any{"https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1", map[string]any{
		"toot": "http://joinmastodon.org/ns#", "sensitive": "as:sensitive", "Hashtag": "as:Hashtag",
		"featured": map[string]any{"@id": "toot:featured", "@type": "@id"}, "discoverable": "toot:discoverable"}}
}

// actorDoc is an actor's document as its implementation serves it.
func (p *Peer) actorDoc(name, pem string) map[string]any {
	id := p.ActorID(name)
	base := p.base(name)
	p.mu.Lock()
	instance := p.actors[name] != nil && p.actors[name].instance
	p.mu.Unlock()
	doc := map[string]any{
		"@context":          []any{"https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"},
		"id":                id,
		"type":              "Person",
		"preferredUsername": name,
		"name":              "Peer " + name,
		"summary":           "<p>a hand-driven test peer</p>",
		"url":               id,
		"inbox":             p.Inbox(name),
		"outbox":            base + "/outbox" + p.habits.slash,
		"followers":         p.Followers(name),
		"following":         base + "/following" + p.habits.slash,
		"publicKey":         map[string]any{"id": p.KeyID(name), "owner": id, "publicKeyPem": pem},
	}
	if shared := p.SharedInbox(); shared != "" {
		doc["endpoints"] = map[string]any{"sharedInbox": shared}
	}
	if p.Impl == Plain {
		return doc
	}
	doc["@context"] = p.contextOf()
	doc["summary"] = "<p>" + string(p.Impl) + " test peer</p>"
	doc["manuallyApprovesFollowers"] = false
	doc["published"] = "2024-01-01T00:00:00Z"
	if instance {
		doc["type"] = "Application"
		if p.Impl == Mastodon || p.Impl == Misskey {
			doc["type"] = "Service"
		}
		doc["manuallyApprovesFollowers"] = true
	}
	switch p.Impl {
	case Mastodon:
		doc["url"] = p.URL + "/@" + name
		doc["featured"] = base + "/collections/featured"
		doc["featuredTags"] = base + "/collections/tags"
		doc["discoverable"], doc["indexable"], doc["memorial"] = true, false, false
		doc["tag"], doc["attachment"] = []any{}, []any{}
	case GoToSocial:
		doc["url"] = p.URL + "/@" + name
		doc["featured"] = base + "/collections/featured"
		doc["discoverable"] = true
	case Misskey:
		doc["url"] = p.URL + "/@" + name
		doc["sharedInbox"] = p.SharedInbox()
		doc["featured"] = base + "/collections/featured"
		doc["_misskey_summary"] = string(p.Impl) + " test peer"
		doc["isCat"] = true
		doc["noindex"] = false
		doc["discoverable"] = true
		doc["publicKey"].(map[string]any)["type"] = "Key"
		doc["tag"], doc["attachment"] = []any{}, []any{}
	case Pleroma:
		doc["featured"] = base + "/collections/featured"
		doc["capabilities"] = map[string]any{"acceptsChatMessages": true}
		doc["discoverable"] = false
		doc["tag"], doc["attachment"] = []any{}, []any{}
		doc["endpoints"].(map[string]any)["oauthTokenEndpoint"] = p.URL + "/oauth/token"
	case Threads:
		doc["url"] = p.URL + "/@" + name
		doc["published"] = "2023-07-05T00:00:00+0000"
	}
	return doc
}

// keyStubDoc is GoToSocial's key document: the actor reduced to what a
// signature check needs, served to unsigned requests.
func (p *Peer) keyStubDoc(name, pem string) map[string]any {
	id := p.ActorID(name)
	return map[string]any{
		"@context":          []any{"https://w3id.org/security/v1", "https://www.w3.org/ns/activitystreams"},
		"id":                id,
		"type":              "Person",
		"preferredUsername": name,
		"publicKey":         map[string]any{"id": p.KeyID(name), "owner": id, "publicKeyPem": pem},
	}
}

// activityID names a new activity of name's as the implementation does.
func (p *Peer) activityID(name, kind string) string {
	n := p.next()
	base := p.base(name)
	switch p.Impl {
	case GoToSocial:
		return fmt.Sprintf("%s/%s/01J%010d", base, kind, n)
	case Misskey:
		return fmt.Sprintf("%s/%s/9%09d", p.URL, kind, n)
	case Pleroma:
		return fmt.Sprintf("%s/activities/%08d-0000-4000-8000-%012d", p.URL, n, n)
	case Threads:
		return fmt.Sprintf("%s/%s/%d/", base, kind, n)
	}
	// Mastodon: follows and blocks are bare UUIDs on the host; likes a
	// fragment of the actor.
	if kind == "likes" {
		return fmt.Sprintf("%s#likes/%d", base, n)
	}
	return fmt.Sprintf("%s/%08d-0000-4000-8000-%012d", p.URL, n, n)
}

// acceptDoc answers a Follow of name's.
func (p *Peer) acceptDoc(name string, follow map[string]any) map[string]any {
	a := map[string]any{"@context": p.contextOf(), "id": p.activityID(name, "accepts"), "type": "Accept",
		"actor": p.ActorID(name)}
	switch p.Impl {
	case Pleroma:
		// Pleroma names the Follow by its id.
		a["object"] = follow["id"]
		a["to"] = []any{follow["actor"]}
	case GoToSocial:
		a["object"] = map[string]any{"id": follow["id"], "type": "Follow", "actor": follow["actor"], "object": follow["object"]}
		a["to"] = follow["actor"]
	default:
		a["object"] = map[string]any{"id": follow["id"], "type": "Follow", "actor": follow["actor"], "object": follow["object"]}
	}
	return a
}

// PostSpec is a post one of the peer's actors writes.
type PostSpec struct {
	Text string
	// Visibility: "public" (default), "unlisted", "followers" or "direct".
	Visibility string
	InReplyTo  string   // the post answered
	Quote      string   // the post quoted (Misskey, Mastodon 4.5, Pleroma)
	Mentions   []string // actor IRIs mentioned (with their handles in MentionNames)
	// MentionNames are the @user@host handles of Mentions, in order.
	MentionNames []string
	Hashtags     []string
	Summary      string // content warning
}

// PeerPost is a post a peer published: its object, served at its id.
type PeerPost struct {
	ID     string
	Author string // the actor's name
	Spec   PostSpec
	Object map[string]any
}

// audience addresses a post of name's as the implementation does.
func (p *Peer) audience(name string, spec PostSpec) (to, cc []any) {
	followers := p.Followers(name)
	var mentions []any
	for _, m := range spec.Mentions {
		mentions = append(mentions, m)
	}
	switch spec.Visibility {
	case "unlisted":
		to, cc = []any{followers}, append([]any{asPublic}, mentions...)
	case "followers":
		to, cc = []any{followers}, mentions
	case "direct":
		to, cc = mentions, []any{}
	default:
		to, cc = []any{asPublic}, append([]any{followers}, mentions...)
	}
	if cc == nil {
		cc = []any{}
	}
	return to, cc
}

// one is how GoToSocial writes a one-element list: the element itself.
func one(v []any) any {
	if len(v) == 1 {
		return v[0]
	}
	return v
}

// noteDoc builds a post object of name's.
func (p *Peer) noteDoc(name string, spec PostSpec, published time.Time) map[string]any {
	n := p.next()
	base := p.base(name)
	var id, url string
	switch p.Impl {
	case GoToSocial:
		id = fmt.Sprintf("%s/statuses/01J%010d", base, n)
		url = fmt.Sprintf("%s/@%s/statuses/01J%010d", p.URL, name, n)
	case Misskey:
		id = fmt.Sprintf("%s/notes/9%09d", p.URL, n)
		url = id
	case Pleroma:
		id = fmt.Sprintf("%s/objects/%08d-1111-4000-8000-%012d", p.URL, n, n)
		url = id
	case Threads:
		id = fmt.Sprintf("%s/post/%d/", base, 3300000000000000000+n)
		url = fmt.Sprintf("%s/@%s/post/C%dxyz", p.URL, name, n)
	default:
		id = fmt.Sprintf("%s/statuses/%d", base, 110000000000000000+n)
		url = fmt.Sprintf("%s/@%s/%d", p.URL, name, 110000000000000000+n)
	}
	text := html.EscapeString(spec.Text)
	var tags []any
	for i, m := range spec.Mentions {
		handle := "@" + m
		if i < len(spec.MentionNames) {
			handle = spec.MentionNames[i]
		}
		user, _, _ := strings.Cut(strings.TrimPrefix(handle, "@"), "@")
		text = `<span class="h-card"><a href="` + html.EscapeString(m) + `" class="u-url mention">@<span>` + html.EscapeString(user) + `</span></a></span> ` + text
		tags = append(tags, map[string]any{"type": "Mention", "href": m, "name": handle})
	}
	for _, h := range spec.Hashtags {
		text += ` <a href="` + p.URL + `/tags/` + h + `" class="mention hashtag" rel="tag">#<span>` + h + `</span></a>`
		tags = append(tags, map[string]any{"type": "Hashtag", "href": p.URL + "/tags/" + h, "name": "#" + h})
	}
	content := "<p>" + text + "</p>"
	to, cc := p.audience(name, spec)
	note := map[string]any{
		"id": id, "type": "Note", "attributedTo": p.ActorID(name), "content": content,
		"published": published.UTC().Format(time.RFC3339), "url": url, "to": to, "cc": cc,
		"tag": tags, "attachment": []any{}, "sensitive": spec.Summary != "",
	}
	if tags == nil {
		note["tag"] = []any{}
	}
	if spec.Summary != "" {
		note["summary"] = spec.Summary
	} else {
		note["summary"] = nil
	}
	if spec.InReplyTo != "" {
		note["inReplyTo"] = spec.InReplyTo
	} else {
		note["inReplyTo"] = nil
	}
	switch p.Impl {
	case Plain, Mastodon:
		note["contentMap"] = map[string]any{"en": content}
		note["conversation"] = fmt.Sprintf("tag:%s,2024-01-01:objectId=%d:objectType=Conversation", p.Domain, n)
		note["replies"] = map[string]any{"id": id + "/replies", "type": "Collection", "first": map[string]any{
			"type": "CollectionPage", "next": id + "/replies?only_other_accounts=true&page=true", "partOf": id + "/replies", "items": []any{}}}
		if spec.Quote != "" {
			// Mastodon 4.5 (FEP-044f), with the older names beside it.
			note["quote"], note["_misskey_quote"], note["quoteUri"] = spec.Quote, spec.Quote, spec.Quote
		}
	case GoToSocial:
		note["contentMap"] = map[string]any{"en": content}
		note["to"], note["cc"] = one(to), one(cc)
		note["tag"] = one(tags)
		if tags == nil {
			note["tag"] = []any{}
		}
		always := map[string]any{"always": []any{asPublic}, "approvalRequired": []any{},
			"automaticApproval": []any{asPublic}, "manualApproval": []any{}}
		note["interactionPolicy"] = map[string]any{"canLike": always, "canReply": always, "canAnnounce": always}
		note["replies"] = map[string]any{"id": id + "/replies", "type": "Collection", "first": map[string]any{
			"id": id + "/replies?page=true", "type": "CollectionPage", "partOf": id + "/replies",
			"next": id + "/replies?page=true&only_other_accounts=false"}}
	case Misskey:
		note["_misskey_content"] = spec.Text
		note["source"] = map[string]any{"content": spec.Text, "mediaType": "text/x.misskeymarkdown"}
		if spec.Quote != "" {
			// The link in the text is for servers that know no quotes.
			note["content"] = "<p>" + text + `<br><br>RE: <a href="` + html.EscapeString(spec.Quote) + `">` + html.EscapeString(spec.Quote) + "</a></p>"
			note["_misskey_quote"], note["quoteUrl"], note["quoteUri"] = spec.Quote, spec.Quote, spec.Quote
		}
	case Pleroma:
		ctx := fmt.Sprintf("%s/contexts/%08d-2222-4000-8000-%012d", p.URL, n, n)
		note["context"], note["conversation"] = ctx, ctx
		note["source"] = map[string]any{"content": spec.Text, "mediaType": "text/plain"}
		note["contentMap"] = map[string]any{"en": content}
		if spec.Quote != "" {
			note["quoteUrl"] = spec.Quote
		}
	case Threads:
		note["mediaType"] = "text/html"
	}
	return note
}

// createDoc wraps a post in its Create.
func (p *Peer) createDoc(name string, note map[string]any) map[string]any {
	id := note["id"].(string)
	c := map[string]any{"@context": p.contextOf(), "type": "Create", "actor": p.ActorID(name),
		"published": note["published"], "to": note["to"], "cc": note["cc"], "object": note}
	switch p.Impl {
	case GoToSocial:
		c["id"] = id + "/activity#Create"
	case Pleroma:
		c["id"] = p.activityID(name, "activities")
		c["context"] = note["context"]
	case Threads:
		c["id"] = id + "activity/"
	default:
		c["id"] = id + "/activity"
	}
	return c
}
