package testkit

import (
	"bytes"
	"fmt"
	"html"
	"image"
	"image/color"
	"image/png"
	"strings"
	"time"
)

// How each implementation words its documents and activities. The shapes
// follow what each one sends, as read in its code (GoToSocial v0.19.2,
// Mastodon 4.5.0-rc.1, Misskey 2025.9.0, Pleroma 2.7, Akkoma 3.16) and in
// the real documents of ../shared/fixtures/activitypub; Threads', which is
// closed, from what others observed of it. docs/federation.md keeps the
// list. Plain words everything as Mastodon 4.4 did.

const asPublic = "https://www.w3.org/ns/activitystreams#Public"

// contextOf is the @context an implementation puts on what it sends.
func (p *Peer) contextOf() any {
	switch p.Impl {
	case GoToSocial:
		return []any{"https://gotosocial.org/ns", "https://www.w3.org/ns/activitystreams", map[string]any{"sensitive": "as:sensitive"}}
	case Misskey:
		return []any{"https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1", map[string]any{
			"Key": "sec:Key", "manuallyApprovesFollowers": "as:manuallyApprovesFollowers", "sensitive": "as:sensitive",
			"Hashtag": "as:Hashtag", "quoteUrl": "as:quoteUrl", "toot": "http://joinmastodon.org/ns#", "Emoji": "toot:Emoji",
			"featured": "toot:featured", "discoverable": "toot:discoverable", "schema": "http://schema.org#",
			"PropertyValue": "schema:PropertyValue", "value": "schema:value", "misskey": "https://misskey-hub.net/ns#",
			"_misskey_content": "misskey:_misskey_content", "_misskey_quote": "misskey:_misskey_quote",
			"_misskey_reaction": "misskey:_misskey_reaction", "_misskey_votes": "misskey:_misskey_votes",
			"_misskey_summary": "misskey:_misskey_summary", "isCat": "misskey:isCat", "vcard": "http://www.w3.org/2006/vcard/ns#"}}
	case Pleroma:
		return []any{"https://www.w3.org/ns/activitystreams", p.URL + "/schemas/litepub-0.1.jsonld", map[string]any{"@language": "und"}}
	case Mastodon:
		return []any{"https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1", map[string]any{
			"ostatus": "http://ostatus.org#", "atomUri": "ostatus:atomUri", "conversation": "ostatus:conversation",
			"toot": "http://joinmastodon.org/ns#", "sensitive": "as:sensitive", "Hashtag": "as:Hashtag",
			"featured": map[string]any{"@id": "toot:featured", "@type": "@id"}, "discoverable": "toot:discoverable",
			"quote": "https://w3id.org/fep/044f#quote", "quoteUri": "http://fedibird.com/ns#quoteUri",
			"_misskey_quote": "https://misskey-hub.net/ns#_misskey_quote",
			"QuoteRequest":   "https://w3id.org/fep/044f#QuoteRequest",
			"gts":            "https://gotosocial.org/ns#", "interactionPolicy": map[string]any{"@id": "gts:interactionPolicy", "@type": "@id"},
			"canQuote": map[string]any{"@id": "gts:canQuote", "@type": "@id"}, "automaticApproval": map[string]any{"@id": "gts:automaticApproval", "@type": "@id"}}}
	}
	return []any{"https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"}
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
		doc["type"] = p.habits.instanceType
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
		doc["tag"] = []any{}
	case Misskey:
		doc["url"] = p.URL + "/@" + name
		doc["sharedInbox"] = p.SharedInbox()
		doc["featured"] = base + "/collections/featured"
		doc["_misskey_summary"] = string(p.Impl) + " test peer"
		doc["isCat"] = true
		doc["discoverable"] = true
		doc["publicKey"].(map[string]any)["type"] = "Key"
		// A custom emoji in the display name, with its Emoji tag.
		doc["name"] = "Peer " + name + " :blobcat:"
		doc["tag"] = []any{p.emojiTag("blobcat")}
	case Pleroma:
		doc["featured"] = base + "/collections/featured"
		doc["capabilities"] = map[string]any{"acceptsChatMessages": true}
		doc["discoverable"] = true
		doc["tag"], doc["attachment"] = []any{}, []any{}
		doc["endpoints"].(map[string]any)["oauthTokenEndpoint"] = p.URL + "/oauth/token"
		doc["webfinger"] = "acct:" + name + "@" + p.Domain
		doc["vcard:bday"] = nil
	case Threads:
		doc["url"] = p.URL + "/@" + name
		delete(doc, "outbox") // Threads exposes no outbox
	}
	return doc
}

// keyStubDoc is GoToSocial's key document: the actor reduced to what a
// signature check needs, served to unsigned requests.
func (p *Peer) keyStubDoc(name, pem string) map[string]any {
	id := p.ActorID(name)
	typ := "Person"
	p.mu.Lock()
	if a := p.actors[name]; a != nil && a.instance {
		typ = p.habits.instanceType
	}
	p.mu.Unlock()
	return map[string]any{
		"@context":          []any{"https://w3id.org/security/v1", "https://www.w3.org/ns/activitystreams"},
		"id":                id,
		"type":              typ,
		"preferredUsername": name,
		"publicKey":         map[string]any{"id": p.KeyID(name), "owner": id, "publicKeyPem": pem},
	}
}

// emojiTag is a custom emoji of the peer's, served as an image.
func (p *Peer) emojiTag(short string) map[string]any {
	icon := p.ServeFile("/emoji/"+short+".png", "image/png", tinyPNG)
	return map[string]any{"id": p.URL + "/emojis/" + short, "type": "Emoji", "name": ":" + short + ":",
		"updated": "2025-01-01T00:00:00.000Z", "icon": map[string]any{"type": "Image", "mediaType": "image/png", "url": icon}}
}

// tinyPNG is a 1×1 PNG, enough for an emoji's image.
var tinyPNG = func() []byte {
	var b bytes.Buffer
	img := image.NewRGBA(image.Rect(0, 0, 1, 1))
	img.Set(0, 0, color.RGBA{R: 200, A: 255})
	_ = png.Encode(&b, img)
	return b.Bytes()
}()

// ulid is an id of the shape GoToSocial gives everything.
func (p *Peer) ulid() string { return fmt.Sprintf("01J%023d", p.next()) }

// uuid is an id of the shape Mastodon and Pleroma give activities.
func (p *Peer) uuid() string {
	n := p.next()
	return fmt.Sprintf("%08x-0000-4000-8000-%012x", n, n)
}

// activityID names a new activity of name's as the implementation does;
// kind is what it is ("follow", "like", "block", "undo", …).
func (p *Peer) activityID(name, kind string) string {
	base := p.base(name)
	switch p.Impl {
	case GoToSocial:
		switch kind {
		case "follow", "blocks":
			return base + "/" + kind + "/" + p.ulid()
		case "like":
			return base + "/liked/" + p.ulid()
		}
		return p.URL + "/" + p.ulid() // Accept, Undo, Delete: ids nobody can fetch
	case Misskey:
		switch kind {
		case "like":
			return p.URL + "/likes/" + p.aid()
		case "follow":
			return p.URL + "/follows/" + p.aid()
		case "blocks":
			return p.URL + "/blocks/" + p.aid()
		}
		return p.URL + "/" + p.uuid()
	case Pleroma:
		return p.URL + "/activities/" + p.uuid()
	case Threads:
		if kind == "like" {
			return fmt.Sprintf("%s#likes/%d", p.ActorID(name), 869695086184604+p.next())
		}
		return fmt.Sprintf("%s%s/%d/", p.ActorID(name), kind, p.next())
	}
	// Mastodon: follows and blocks are UUIDs on the host; likes, accepts
	// and undos fragments of the actor.
	switch kind {
	case "like":
		return fmt.Sprintf("%s#likes/%d", p.ActorID(name), p.next())
	case "accept":
		return fmt.Sprintf("%s#accepts/follows/%d", p.ActorID(name), p.next())
	}
	return p.URL + "/" + p.uuid()
}

// aid is an id of the shape Misskey gives notes and activities.
func (p *Peer) aid() string { return fmt.Sprintf("a%07dmk%06d", p.next(), 0) }

// acceptDoc answers a Follow of name's.
func (p *Peer) acceptDoc(name string, follow map[string]any) map[string]any {
	a := map[string]any{"@context": p.contextOf(), "id": p.activityID(name, "accept"), "type": "Accept",
		"actor":  p.ActorID(name),
		"object": map[string]any{"id": follow["id"], "type": "Follow", "actor": follow["actor"], "object": follow["object"]}}
	switch p.Impl {
	case Pleroma:
		// Pleroma names the Follow by its id.
		a["object"] = follow["id"]
		a["to"] = []any{follow["actor"]}
	case GoToSocial:
		a["object"].(map[string]any)["to"] = follow["object"]
		a["to"] = follow["actor"]
	}
	return a
}

// PostSpec is a post one of the peer's actors writes.
type PostSpec struct {
	Text string
	// Visibility: "public" (default), "unlisted", "followers" or "direct".
	Visibility string
	InReplyTo  string   // the post answered
	Quote      string   // the post quoted (Misskey, Mastodon 4.5, Pleroma, Threads)
	Mentions   []string // actor IRIs mentioned (with their handles in MentionNames)
	// MentionNames are the @user@host handles of Mentions, in order.
	MentionNames []string
	Hashtags     []string
	Summary      string // content warning
	// Poll options make it a Question (Misskey, Mastodon, Pleroma).
	Poll []string
	// Emoji: custom emoji shortcodes used in the text (":name:").
	Emoji []string
}

// PeerPost is a post a peer published: its object, served at its id.
type PeerPost struct {
	ID     string
	Author string // the actor's name
	Spec   PostSpec
	Object map[string]any
}

// audience addresses a post of name's as the implementation does
// (Mastodon's rules, which the others share).
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
		if p.Impl == Pleroma {
			// Pleroma puts the mentioned accounts beside the public.
			to, cc = append([]any{asPublic}, mentions...), []any{followers}
		}
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
	base := p.base(name)
	var id, url string
	switch p.Impl {
	case GoToSocial:
		u := p.ulid()
		id, url = base+"/statuses/"+u, p.URL+"/@"+name+"/statuses/"+u
	case Misskey:
		id = p.URL + "/notes/" + p.aid()
	case Pleroma:
		id = p.URL + "/objects/" + p.uuid()
		url = id
	case Threads:
		n := p.next()
		id, url = fmt.Sprintf("%spost/%d/", p.ActorID(name), 3300000000000000000+n), fmt.Sprintf("%s/@%s/post/C%dxyz", p.URL, name, n)
	default:
		n := 113000000000000000 + p.next()
		id, url = fmt.Sprintf("%s/statuses/%d", base, n), fmt.Sprintf("%s/@%s/%d", p.URL, name, n)
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
	for _, e := range spec.Emoji {
		tags = append(tags, p.emojiTag(strings.Trim(e, ":")))
	}
	content := "<p>" + text + "</p>"
	to, cc := p.audience(name, spec)
	note := map[string]any{
		"id": id, "type": "Note", "attributedTo": p.ActorID(name), "content": content,
		"published": published.UTC().Format(time.RFC3339), "to": to, "cc": cc,
		"tag": tags, "attachment": []any{}, "sensitive": spec.Summary != "", "summary": nil, "inReplyTo": nil,
	}
	if url != "" {
		note["url"] = url
	}
	if tags == nil {
		note["tag"] = []any{}
	}
	if spec.Summary != "" {
		note["summary"] = spec.Summary
	}
	if spec.InReplyTo != "" {
		note["inReplyTo"] = spec.InReplyTo
	}
	if len(spec.Poll) > 0 {
		note["type"] = "Question"
		var opts []any
		for _, o := range spec.Poll {
			opts = append(opts, map[string]any{"type": "Note", "name": o, "replies": map[string]any{"type": "Collection", "totalItems": 0}})
		}
		note["oneOf"] = opts
		note["endTime"] = published.Add(24 * time.Hour).UTC().Format(time.RFC3339)
	}
	switch p.Impl {
	case Plain, Mastodon:
		note["contentMap"] = map[string]any{"en": content}
		note["atomUri"] = id
		note["conversation"] = fmt.Sprintf("tag:%s,2025-01-01:objectId=%d:objectType=Conversation", p.Domain, p.next())
		note["replies"] = map[string]any{"id": id + "/replies", "type": "Collection", "first": map[string]any{
			"type": "CollectionPage", "next": id + "/replies?only_other_accounts=true&page=true", "partOf": id + "/replies", "items": []any{}}}
		if p.Impl == Mastodon {
			note["interactionPolicy"] = map[string]any{"canQuote": map[string]any{"automaticApproval": []any{asPublic}}}
			if spec.Quote != "" {
				// Mastodon 4.5 (FEP-044f), with the older names beside it.
				note["quote"], note["_misskey_quote"], note["quoteUri"] = spec.Quote, spec.Quote, spec.Quote
			}
		}
	case GoToSocial:
		note["contentMap"] = map[string]any{"en": content}
		note["to"], note["cc"] = one(to), one(cc)
		note["tag"] = one(tags)
		if tags == nil {
			note["tag"] = []any{}
		}
		if spec.Summary == "" {
			note["summary"] = ""
		}
		always := map[string]any{"always": []any{asPublic}, "approvalRequired": []any{}}
		if spec.Visibility == "followers" || spec.Visibility == "direct" {
			always = map[string]any{"always": []any{p.ActorID(name), p.Followers(name)}, "approvalRequired": []any{}}
		}
		note["interactionPolicy"] = map[string]any{"canLike": always, "canReply": always,
			"canAnnounce": map[string]any{"always": []any{asPublic}, "approvalRequired": []any{}}}
		note["replies"] = map[string]any{"id": id + "/replies", "type": "Collection", "first": map[string]any{
			"id": id + "/replies?page=true", "type": "CollectionPage", "partOf": id + "/replies",
			"next": id + "/replies?only_other_accounts=false&page=true"}}
	case Misskey:
		if spec.Summary == "" {
			delete(note, "summary")
		}
		if spec.Quote != "" || len(spec.Emoji) > 0 {
			// MFM beyond plain text, or a quote: the source comes along.
			note["_misskey_content"] = spec.Text
			note["source"] = map[string]any{"content": spec.Text, "mediaType": "text/x.misskeymarkdown"}
		}
		if spec.Quote != "" {
			// The link in the text is for servers that know no quotes.
			q := html.EscapeString(spec.Quote)
			note["content"] = "<p>" + text + `<br><br><span class="quote-inline">RE: <a href="` + q + `">` + q + "</a></span></p>"
			note["_misskey_quote"], note["quoteUrl"] = spec.Quote, spec.Quote
		}
	case Pleroma:
		ctx := p.URL + "/contexts/" + p.uuid()
		note["context"], note["conversation"] = ctx, ctx
		note["actor"] = p.ActorID(name)
		note["source"] = map[string]any{"content": spec.Text, "mediaType": "text/plain"}
		if spec.Summary == "" {
			note["summary"] = ""
		}
		if spec.Quote != "" {
			note["quoteUrl"], note["quoteUri"] = spec.Quote, spec.Quote
			q := html.EscapeString(spec.Quote)
			note["content"] = content + `<span class="quote-inline"><br/><br/><bdi>RT:</bdi> <a href="` + q + `">` + q + `</a></span>`
		}
	case Threads:
		note["mediaType"] = "text/html"
		if spec.Quote != "" {
			// Threads: _misskey_quote and a Link tag (FEP-e232).
			note["_misskey_quote"] = spec.Quote
			note["tag"] = append(tags, map[string]any{"type": "Link", "href": spec.Quote, "name": "RE: " + spec.Quote,
				"mediaType": `application/ld+json; profile="https://www.w3.org/ns/activitystreams"`})
		}
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
		c["id"] = p.activityID(name, "create")
		c["context"] = note["context"]
	case Threads:
		c["id"] = id + "activity/"
	default:
		c["id"] = id + "/activity"
	}
	return c
}
