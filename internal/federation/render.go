package federation

import (
	"mime"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"weft/internal/ap"
	"weft/internal/model"
	"weft/internal/service"
)

// ContextNote is the JSON-LD context of post objects and activities.
var ContextNote = []any{
	"https://www.w3.org/ns/activitystreams",
	map[string]any{
		"ostatus":      "http://ostatus.org#",
		"conversation": "ostatus:conversation",
		"sensitive":    "as:sensitive",
		"toot":         "http://joinmastodon.org/ns#",
		"Hashtag":      "as:Hashtag",
		"blurhash":     "toot:blurhash",
		"focalPoint":   map[string]any{"@container": "@list", "@id": "toot:focalPoint"},
	},
}

// ContextActor is the JSON-LD context of actor documents: ActivityStreams,
// the security vocabulary (publicKey) and the extensions Mastodon uses.
var ContextActor = []any{
	"https://www.w3.org/ns/activitystreams",
	"https://w3id.org/security/v1",
	map[string]any{
		"manuallyApprovesFollowers": "as:manuallyApprovesFollowers",
		"toot":                      "http://joinmastodon.org/ns#",
		"featured":                  map[string]string{"@id": "toot:featured", "@type": "@id"},
		"discoverable":              "toot:discoverable",
		"indexable":                 "toot:indexable",
		"schema":                    "http://schema.org#",
		"PropertyValue":             "schema:PropertyValue",
		"value":                     "schema:value",
	},
}

// Note is a post as an ActivityPub object.
type Note struct {
	Context      []any             `json:"@context,omitempty"` // none when embedded
	ID           string            `json:"id"`
	Type         string            `json:"type"`
	Summary      *string           `json:"summary"`
	InReplyTo    *string           `json:"inReplyTo"`
	Published    string            `json:"published"`
	Updated      string            `json:"updated,omitempty"`
	URL          string            `json:"url"`
	AttributedTo string            `json:"attributedTo"`
	To           []string          `json:"to"`
	CC           []string          `json:"cc"`
	Sensitive    bool              `json:"sensitive"`
	Conversation string            `json:"conversation"`
	Content      string            `json:"content"`
	ContentMap   map[string]string `json:"contentMap,omitempty"`
	Attachment   []Document        `json:"attachment"`
	Tag          []NoteTag         `json:"tag"`
	Replies      *Collection       `json:"replies,omitempty"` // the replies collection, for other servers to complete threads
}

// Collection is a collection with its first page inline, as Mastodon
// gives a post's replies: GoToSocial reads a thread only from a first
// page it finds inline.
type Collection struct {
	Context []any           `json:"@context,omitempty"` // none when embedded
	ID      string          `json:"id"`
	Type    string          `json:"type"`
	First   *CollectionPage `json:"first,omitempty"`
}

// CollectionPage is one page of a Collection.
type CollectionPage struct {
	Context []any    `json:"@context,omitempty"` // none when embedded
	ID      string   `json:"id,omitempty"`
	Type    string   `json:"type"`
	Next    string   `json:"next,omitempty"`
	PartOf  string   `json:"partOf"`
	Items   []string `json:"items"`
}

// RepliesPageURL is the address of a page of a post's replies collection
// (Mastodon's query: min_id, only_other_accounts, page; keys in order).
func RepliesPageURL(collection string, c service.RepliesCursor) string {
	u := collection + "?"
	if c.MinID != 0 {
		u += "min_id=" + strconv.FormatInt(c.MinID, 10) + "&"
	}
	if c.Others {
		u += "only_other_accounts=true&"
	}
	return u + "page=true"
}

// RepliesPageDoc renders a page of a post's replies collection.
func RepliesPageDoc(collection string, at service.RepliesCursor, p service.RepliesPage) *CollectionPage {
	out := &CollectionPage{ID: RepliesPageURL(collection, at), Type: "CollectionPage", PartOf: collection, Items: p.URIs}
	if out.Items == nil {
		out.Items = []string{}
	}
	if p.Next != nil {
		out.Next = RepliesPageURL(collection, *p.Next)
	}
	return out
}

// repliesCollection is a post's replies collection as its document embeds
// it: the author's own replies first, when they were read; else a first
// page that sends readers to the collection's pages.
func repliesCollection(noteID string, self *service.RepliesPage) *Collection {
	id := noteID + "/replies"
	first := &CollectionPage{Type: "CollectionPage", PartOf: id, Items: []string{}, Next: RepliesPageURL(id, service.RepliesCursor{})}
	if self != nil {
		first = RepliesPageDoc(id, service.RepliesCursor{}, *self)
	}
	return &Collection{ID: id, Type: "Collection", First: first}
}

// Document is a post's media attachment, as Mastodon sends it: name is the
// alt text (null when there is none).
type Document struct {
	Type       string    `json:"type"`
	MediaType  string    `json:"mediaType"`
	URL        string    `json:"url"`
	Name       *string   `json:"name"`
	Blurhash   string    `json:"blurhash,omitempty"`
	FocalPoint []float64 `json:"focalPoint,omitempty"`
	Width      int       `json:"width,omitempty"`
	Height     int       `json:"height,omitempty"`
}

// Image is an actor's avatar (icon) or header (image).
type Image struct {
	Type      string `json:"type"`
	MediaType string `json:"mediaType,omitempty"`
	URL       string `json:"url"`
}

// NoteTag is a Mention or a Hashtag in a post.
type NoteTag struct {
	Type string `json:"type"`
	Href string `json:"href"`
	Name string `json:"name"`
}

// Actor is an ActivityPub actor document (Person, or Service for bots).
type Actor struct {
	Context                   []any           `json:"@context,omitempty"`
	ID                        string          `json:"id"`
	Type                      string          `json:"type"`
	Following                 string          `json:"following"`
	Followers                 string          `json:"followers"`
	Inbox                     string          `json:"inbox"`
	Outbox                    string          `json:"outbox"`
	Featured                  string          `json:"featured"`
	PreferredUsername         string          `json:"preferredUsername"`
	Name                      string          `json:"name"`
	Summary                   string          `json:"summary"`
	URL                       string          `json:"url"`
	ManuallyApprovesFollowers bool            `json:"manuallyApprovesFollowers"`
	Discoverable              bool            `json:"discoverable"`
	Indexable                 bool            `json:"indexable"`
	Published                 string          `json:"published"`
	PublicKey                 PublicKey       `json:"publicKey"`
	Attachment                []PropertyValue `json:"attachment"`
	Endpoints                 Endpoints       `json:"endpoints"`
	Icon                      *Image          `json:"icon,omitempty"`
	Image                     *Image          `json:"image,omitempty"`
}

// PublicKey is the key other servers check this actor's signatures with.
type PublicKey struct {
	ID           string `json:"id"`
	Owner        string `json:"owner"`
	PublicKeyPem string `json:"publicKeyPem"`
}

// PropertyValue is a profile field.
type PropertyValue struct {
	Type  string `json:"type"`
	Name  string `json:"name"`
	Value string `json:"value"`
}

// Endpoints names the shared inbox.
type Endpoints struct {
	SharedInbox string `json:"sharedInbox"`
}

// Renderer turns weft's posts and accounts into ActivityPub documents, for
// serving them and for delivering them: one rendering for both, so what a
// server fetches is what it was sent.
type Renderer struct {
	svc     *service.Service
	domain  string
	baseURL string
}

// NewRenderer builds a Renderer for this server.
func NewRenderer(svc *service.Service, domain, baseURL string) *Renderer {
	return &Renderer{svc: svc, domain: domain, baseURL: baseURL}
}

// ProfileURL is the web page of a local account.
func (r *Renderer) ProfileURL(username string) string { return r.baseURL + "/@" + username }

// Note renders a post.
func (r *Renderer) Note(fs *service.FediverseStatus) Note {
	st, author := fs.Status, fs.Author
	actor := r.svc.ActorURI(author)
	n := Note{
		Context: ContextNote, ID: r.svc.StatusURI(st, author), Type: "Note",
		Published: st.CreatedAt.UTC().Format(time.RFC3339), URL: r.ProfileURL(author.Username) + "/" + strconv.FormatInt(st.ID, 10),
		AttributedTo: actor, Sensitive: st.Sensitive, Content: st.ContentHTML,
		Conversation: "tag:" + r.domain + "," + st.CreatedAt.UTC().Format("2006-01-02") + ":objectId=" +
			strconv.FormatInt(st.ConversationID, 10) + ":objectType=Conversation",
		Attachment: r.documents(st.Media), Tag: []NoteTag{},
	}
	if st.SpoilerText != "" {
		sp := st.SpoilerText
		n.Summary = &sp
	}
	if st.EditedAt != nil {
		n.Updated = st.EditedAt.UTC().Format(time.RFC3339)
	}
	if st.Language != "" {
		n.ContentMap = map[string]string{st.Language: st.ContentHTML}
	}
	if fs.Parent != nil && fs.ParentBy != nil && shared(fs.ParentBy) {
		p := r.svc.StatusURI(fs.Parent, fs.ParentBy)
		n.InReplyTo = &p
	}
	var mentioned []string
	for _, m := range fs.Mentions {
		if !shared(m) {
			continue // a member who does not share is never named to another server
		}
		uri := r.svc.ActorURI(m)
		mentioned = append(mentioned, uri)
		name := "@" + m.Username + "@" + r.domain
		if !m.Local() {
			name = "@" + m.Acct()
		}
		n.Tag = append(n.Tag, NoteTag{Type: "Mention", Href: uri, Name: name})
	}
	for _, t := range st.Tags {
		n.Tag = append(n.Tag, NoteTag{Type: "Hashtag", Href: r.svc.TagURL(t), Name: "#" + t})
	}
	n.To, n.CC = Audience(st.Visibility, actor+"/followers", mentioned)
	if st.Local && (st.Visibility == model.Public || st.Visibility == model.Unlisted) {
		n.Replies = repliesCollection(n.ID, fs.SelfReplies)
	}
	return n
}

// Audience addresses a post or boost as Mastodon does: public posts to
// everyone (followers in cc), unlisted ones to followers (everyone in cc,
// so they stay out of public timelines), followers-only ones to followers,
// direct ones to the mentioned accounts only. Mentioned accounts are in cc
// of all but direct posts.
func Audience(v model.Visibility, followers string, mentioned []string) (to, cc []string) {
	switch v {
	case model.Public:
		to, cc = []string{ap.Public}, append([]string{followers}, mentioned...)
	case model.Unlisted:
		to, cc = []string{followers}, append([]string{ap.Public}, mentioned...)
	case model.Private:
		to, cc = []string{followers}, mentioned
	default:
		to, cc = mentioned, []string{}
	}
	if to == nil {
		to = []string{}
	}
	if cc == nil {
		cc = []string{}
	}
	return to, cc
}

// Actor renders a local account's actor document.
func (r *Renderer) Actor(acc *model.Account, publicPEM string) Actor {
	id := r.svc.ActorURI(acc)
	typ := "Person"
	if acc.Bot {
		typ = "Service"
	}
	a := Actor{
		Context: ContextActor, ID: id, Type: typ,
		Following: id + "/following", Followers: id + "/followers", Inbox: id + "/inbox", Outbox: id + "/outbox",
		Featured: id + "/collections/featured", PreferredUsername: acc.Username, Name: acc.DisplayName,
		Summary: acc.NoteHTML, URL: r.ProfileURL(acc.Username), ManuallyApprovesFollowers: acc.Locked,
		Discoverable: acc.Discoverable, Indexable: acc.Discoverable,
		// Mastodon publishes the day an account was made, not the moment.
		Published:  acc.CreatedAt.UTC().Truncate(24 * time.Hour).Format(time.RFC3339),
		PublicKey:  PublicKey{ID: KeyID(id), Owner: id, PublicKeyPem: publicPEM},
		Attachment: []PropertyValue{},
		Endpoints:  Endpoints{SharedInbox: r.baseURL + "/inbox"},
	}
	for _, f := range acc.Fields {
		a.Attachment = append(a.Attachment, PropertyValue{Type: "PropertyValue", Name: f.Name, Value: f.ValueHTML})
	}
	a.Icon, a.Image = r.image(acc.AvatarURL), r.image(acc.HeaderURL)
	return a
}

// documents renders a local post's attachments.
func (r *Renderer) documents(list []model.Media) []Document {
	out := make([]Document, 0, len(list))
	for _, m := range list {
		if m.FileKey == "" {
			continue
		}
		d := Document{Type: "Document", MediaType: m.ContentType, URL: r.baseURL + service.MediaURL(m.FileKey),
			Blurhash: m.Blurhash, Width: m.Width, Height: m.Height}
		if m.Description != "" {
			desc := m.Description
			d.Name = &desc
		}
		if m.Kind == model.MediaImage || m.Kind == model.MediaVideo {
			d.FocalPoint = []float64{m.FocusX, m.FocusY}
		}
		out = append(out, d)
	}
	return out
}

// image renders a local avatar or header (a path on this server).
func (r *Renderer) image(path string) *Image {
	if !strings.HasPrefix(path, "/") {
		return nil
	}
	return &Image{Type: "Image", MediaType: mime.TypeByExtension(filepath.Ext(path)), URL: r.baseURL + path}
}

// KeyID is the id of a local actor's key.
func KeyID(actorID string) string { return actorID + "#main-key" }

// shared reports whether other servers may know of an account: remote
// accounts, and local members who share with the fediverse.
func shared(a *model.Account) bool { return !a.Local() || a.FediverseSharing }
