package ap

import (
	"slices"
	"time"
)

// Object is any decoded document or embedded object. Fields are filled from
// whichever JSON shape the sender used and left at their zero value when the
// property is absent or has a shape that cannot mean anything.
type Object struct {
	// Raw is the decoded JSON, kept for debugging and for re-reading rare
	// properties (see StringProp and friends). Numbers in it are
	// json.Number, so that out-of-range values never fail a whole document.
	Raw   map[string]any
	ID    string
	Type  string // first type when "type" is an array; "" if absent
	Types []string

	// Activities.
	Actor      string // first actor IRI
	Object     *Ref   // first "object"
	Objects    []Ref  // every "object": a Flag names the account and posts
	Target     *Ref
	Instrument *Ref // FEP-044f QuoteRequest carries the quoting post here

	// Common to posts.
	AttributedTo               string // the individual author when several are named
	To, CC, BTo, BCC, Audience []string
	Name, Summary, Content     string // language maps fill in when plain is absent
	ContentMap                 map[string]string
	MediaType                  string
	Source                     *Source
	URL                        string // first http(s) URL, text/html preferred
	InReplyTo                  string
	Published, Updated         time.Time // zero when absent or unparseable
	Sensitive                  bool
	Tags                       []Tag
	Attachments                []Attachment // PropertyValue entries go to Fields instead
	Replies                    *Ref
	Context                    string // "context", else "conversation"; never @context
	Quote                      string // quote, quoteUrl, quoteURL, quoteUri, _misskey_quote

	// Questions.
	OneOf, AnyOf []Object // poll options
	Votes        int64    // for a poll option: replies.totalItems
	EndTime      time.Time
	Closed       time.Time
	VotersCount  int64

	// Actors.
	PreferredUsername                                          string
	Inbox, Outbox, Followers, Following, Featured, SharedInbox string
	PublicKey                                                  *PublicKey // nil unless a PEM was given
	ManuallyApprovesFollowers, Discoverable, Indexable         bool
	DiscoverablePresent, IndexablePresent                      bool // whether the sender said at all
	Icon, Image                                                string
	Fields                                                     []Field
	AlsoKnownAs                                                []string
	MovedTo                                                    string

	// Collections.
	TotalItems        int64
	First, Next, Prev *Ref
	PartOf            string
	Items             []Ref // orderedItems, else items
}

// Ref is a property that may be an IRI or an embedded object.
type Ref struct {
	ID  string  // the IRI, or the embedded object's id
	Obj *Object // nil when only an IRI was given
}

// IRI returns r.ID, or "" for a nil Ref, so optional properties can be read
// without a nil check.
func (r *Ref) IRI() string {
	if r == nil {
		return ""
	}
	return r.ID
}

// Source is the text the author typed, before the server rendered Content.
type Source struct{ Content, MediaType string }

// Tag is a Mention, Hashtag or Emoji (Icon is the emoji image URL), or any
// other tag type a sender invents; Href comes from href, else id.
type Tag struct {
	Type, Href, Name string
	Icon             string
}

// Attachment is a media attachment. Name falls back to summary, which is
// where GoToSocial puts alt text.
type Attachment struct {
	Type, MediaType, URL, Name, Blurhash string
	Width, Height                        int
	FocalPoint                           [2]float64
	HasFocalPoint                        bool
}

// PublicKey is an actor's RSA key as published in publicKeyPem.
type PublicKey struct{ ID, Owner, PEM string }

// Field is a profile metadata entry (a PropertyValue attachment); Value is
// HTML as sent.
type Field struct{ Name, Value string }

// IsActor reports whether the type is an actor type: Person, Service,
// Application, Group, Organization.
func (o *Object) IsActor() bool {
	if o == nil {
		return false
	}
	for _, t := range o.Types {
		switch t {
		case "Person", "Service", "Application", "Group", "Organization":
			return true
		}
	}
	return false
}

// HasType reports whether any of the types equals t. Prefixed spellings
// ("as:Note") match their bare form on either side.
func (o *Object) HasType(t string) bool {
	if o == nil {
		return false
	}
	return slices.Contains(o.Types, normType(t))
}

// StringProp reads a string property from Raw; "" for any other shape.
func (o *Object) StringProp(key string) string {
	if o == nil {
		return ""
	}
	return str(get(o.Raw, key))
}

// IRIsProp reads a property from Raw as IRIs, accepting a string, an object
// with an id or href, or an array of those.
func (o *Object) IRIsProp(key string) []string {
	if o == nil {
		return nil
	}
	return iris(get(o.Raw, key))
}

// IntProp reads an integral number from Raw; ok is false for any other shape.
func (o *Object) IntProp(key string) (n int64, ok bool) {
	if o == nil {
		return 0, false
	}
	return intOf(get(o.Raw, key))
}

// BoolProp reads a JSON boolean from Raw; ok is false when absent or not a
// boolean.
func (o *Object) BoolProp(key string) (b, ok bool) {
	if o == nil {
		return false, false
	}
	return boolOf(get(o.Raw, key))
}
