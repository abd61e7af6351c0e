package ap

import "strings"

// builder carries the per-document budget of embedded objects.
type builder struct {
	budget int
}

func (b *builder) object(m map[string]any, depth int) *Object {
	o := &Object{Raw: m}
	if len(m) == 0 {
		return o
	}
	o.ID = str(get(m, "id"))
	o.Types = typesOf(get(m, "type"))
	if len(o.Types) > 0 {
		o.Type = o.Types[0]
	}
	b.activity(o, m, depth)
	b.common(o, m, depth)
	b.question(o, m, depth)
	readActor(o, m)
	b.collection(o, m, depth)
	return o
}

// embed expands an embedded object, or returns nil once the depth or the
// document's budget is spent; callers then keep only the IRI.
func (b *builder) embed(m map[string]any, depth int) *Object {
	if depth >= MaxDepth || b.budget <= 0 {
		return nil
	}
	b.budget--
	return b.object(m, depth+1)
}

// single reads one reference. Empty objects are dropped: they name nothing
// and would only spend the budget.
func (b *builder) single(e any, depth int) *Ref {
	switch x := e.(type) {
	case string:
		if x != "" {
			return &Ref{ID: x}
		}
	case map[string]any:
		if len(x) == 0 {
			return nil
		}
		r := &Ref{ID: iriOf(x), Obj: b.embed(x, depth)}
		if r.ID != "" || r.Obj != nil {
			return r
		}
	}
	return nil
}

func (b *builder) ref(v any, depth int) *Ref {
	for _, e := range items(v) {
		if r := b.single(e, depth); r != nil {
			return r
		}
	}
	return nil
}

func (b *builder) refs(v any, depth int) []Ref {
	var out []Ref
	for _, e := range items(v) {
		if r := b.single(e, depth); r != nil {
			out = append(out, *r)
		}
	}
	return out
}

func (b *builder) activity(o *Object, m map[string]any, depth int) {
	o.Actor = firstIRI(get(m, "actor"))
	o.Objects = b.refs(get(m, "object"), depth)
	if len(o.Objects) > 0 {
		first := o.Objects[0]
		o.Object = &first
	}
	o.Target = b.ref(get(m, "target"), depth)
	o.Instrument = b.ref(get(m, "instrument"), depth)
}

func (b *builder) common(o *Object, m map[string]any, depth int) {
	o.AttributedTo = attributedTo(get(m, "attributedTo"))
	o.To = iris(get(m, "to"))
	o.CC = iris(get(m, "cc"))
	o.BTo = iris(get(m, "bto"))
	o.BCC = iris(get(m, "bcc"))
	o.Audience = iris(get(m, "audience"))
	o.Name = langText(m, "name", "nameMap")
	o.Summary = langText(m, "summary", "summaryMap")
	o.Content = langText(m, "content", "contentMap")
	o.ContentMap = langMap(get(m, "contentMap"))
	o.MediaType = str(get(m, "mediaType"))
	o.Source = readSource(m)
	o.URL, _ = pickLink(get(m, "url"), true)
	o.InReplyTo = firstIRI(get(m, "inReplyTo"))
	o.Published = timeOf(get(m, "published"))
	o.Updated = timeOf(get(m, "updated"))
	o.Sensitive, _ = boolOf(get(m, "sensitive"))
	o.Tags = readTags(get(m, "tag"))
	o.Attachments, o.Fields = readAttachments(get(m, "attachment"))
	o.Replies = b.ref(get(m, "replies"), depth)
	// Pleroma sends both with the same value; Mastodon's conversation is a
	// tag: URI kept only for OStatus, so the AS2 context wins.
	o.Context = firstIRI(get(m, "context"))
	if o.Context == "" {
		o.Context = firstIRI(get(m, "conversation"))
	}
	o.Quote = readQuote(m)
	o.Icon = imageURL(get(m, "icon"))
	o.Image = imageURL(get(m, "image"))
}

func (b *builder) question(o *Object, m map[string]any, depth int) {
	o.OneOf = b.options(get(m, "oneOf"), depth)
	o.AnyOf = b.options(get(m, "anyOf"), depth)
	o.EndTime = timeOf(get(m, "endTime"))
	o.Closed = timeOf(get(m, "closed"))
	o.VotersCount = count(get(m, "votersCount"))
}

// options reads poll choices. Votes is filled here rather than for every
// object, because only for a poll option does replies.totalItems count votes.
func (b *builder) options(v any, depth int) []Object {
	var out []Object
	for _, e := range items(v) {
		m, ok := e.(map[string]any)
		if !ok || len(m) == 0 {
			continue
		}
		opt := b.embed(m, depth)
		if opt == nil {
			break
		}
		if r, ok := get(m, "replies").(map[string]any); ok {
			opt.Votes = count(get(r, "totalItems"))
		}
		out = append(out, *opt)
	}
	return out
}

func readActor(o *Object, m map[string]any) {
	o.PreferredUsername = str(get(m, "preferredUsername"))
	o.Inbox = firstIRI(get(m, "inbox"))
	o.Outbox = firstIRI(get(m, "outbox"))
	o.Followers = firstIRI(get(m, "followers"))
	o.Following = firstIRI(get(m, "following"))
	o.Featured = firstIRI(get(m, "featured"))
	if ep, ok := get(m, "endpoints").(map[string]any); ok {
		o.SharedInbox = firstIRI(get(ep, "sharedInbox"))
	}
	if o.SharedInbox == "" {
		// Misskey also puts it at the top level.
		o.SharedInbox = firstIRI(get(m, "sharedInbox"))
	}
	o.PublicKey = readPublicKey(o, m)
	o.ManuallyApprovesFollowers, _ = boolOf(get(m, "manuallyApprovesFollowers"))
	o.Discoverable, o.DiscoverablePresent = boolOf(get(m, "discoverable"))
	o.Indexable, o.IndexablePresent = boolOf(get(m, "indexable"))
	o.AlsoKnownAs = iris(get(m, "alsoKnownAs"))
	o.MovedTo = firstIRI(get(m, "movedTo"))
}

func (b *builder) collection(o *Object, m map[string]any, depth int) {
	o.TotalItems = count(get(m, "totalItems"))
	o.First = b.ref(get(m, "first"), depth)
	o.Next = b.ref(get(m, "next"), depth)
	o.Prev = b.ref(get(m, "prev"), depth)
	o.PartOf = firstIRI(get(m, "partOf"))
	list := get(m, "orderedItems")
	if list == nil {
		list = get(m, "items")
	}
	o.Items = b.refs(list, depth)
}

// isIndividual tells a person-like author from a Group. PeerTube attributes
// a video to both the account (Person) and the channel (Group); the Person is
// the author.
func isIndividual(m map[string]any) bool {
	for _, t := range typesOf(get(m, "type")) {
		switch t {
		case "Person", "Service", "Application", "Organization":
			return true
		}
	}
	return false
}

func attributedTo(v any) string {
	first := ""
	for _, e := range items(v) {
		id := iriOf(e)
		if id == "" {
			continue
		}
		if m, ok := e.(map[string]any); ok && isIndividual(m) {
			return id
		}
		if first == "" {
			first = id
		}
	}
	return first
}

// quoteKeys are tried in order. FEP-044f makes "quote" the property and the
// others compatibility fallbacks, so it goes first; fedibird spells quoteURL.
var quoteKeys = []string{"quote", "quoteUrl", "quoteURL", "quoteUri", "_misskey_quote"}

func readQuote(m map[string]any) string {
	for _, k := range quoteKeys {
		if s := firstIRI(get(m, k)); s != "" {
			return s
		}
	}
	// FEP-e232: a Link tag to an ActivityStreams object (Threads sends one
	// beside _misskey_quote; Pleroma reads it alone).
	for _, e := range items(get(m, "tag")) {
		l, ok := e.(map[string]any)
		if !ok || firstType(l) != "Link" {
			continue
		}
		mt := strings.ToLower(str(get(l, "mediaType")))
		if strings.HasPrefix(mt, "application/activity+json") ||
			strings.HasPrefix(mt, "application/ld+json") && strings.Contains(mt, "https://www.w3.org/ns/activitystreams") {
			if href := str(get(l, "href")); href != "" {
				return href
			}
		}
	}
	return ""
}

// misskeyMarkdown is the media type Pleroma and Akkoma give Misskey's MFM.
const misskeyMarkdown = "text/x.misskeymarkdown"

func readSource(m map[string]any) *Source {
	switch s := get(m, "source").(type) {
	case map[string]any:
		src := &Source{Content: text(get(s, "content")), MediaType: str(get(s, "mediaType"))}
		if src.Content != "" || src.MediaType != "" {
			return src
		}
	case string:
		// Pleroma sends the bare source text.
		if s != "" {
			return &Source{Content: s}
		}
	}
	if mk := str(m["_misskey_content"]); mk != "" {
		return &Source{Content: mk, MediaType: misskeyMarkdown}
	}
	return nil
}
