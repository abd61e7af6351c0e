package federation

import (
	"context"
	"errors"
	"fmt"
	"html"
	"slices"
	"strings"

	"weft/internal/ap"
	"weft/internal/model"
	"weft/internal/service"
	"weft/internal/text"
)

// maxParentDepth bounds how far up a thread a reply's parents are fetched,
// so a thread reads whole without one post costing unbounded requests.
const maxParentDepth = 8

// maxTagName bounds a remote hashtag's name, as the tags of local posts
// are in practice (Mastodon's column is 255 characters).
const maxTagName = 100

// maxMentionLookups bounds how many unknown mentioned actors one post may
// make weft fetch.
const maxMentionLookups = 5

// postTypes are the object types shown as posts.
var postTypes = []string{"Note", "Article", "Page", "Question", "Video", "Event", "Audio", "Image"}

func isPost(o *ap.Object) bool {
	for _, t := range postTypes {
		if o.HasType(t) {
			return true
		}
	}
	return false
}

// ResolveStatus returns the post an IRI names: one known here, or one
// fetched now (with its parents, up to a bound).
func (f *Federation) ResolveStatus(ctx context.Context, iri string) (*model.Status, error) {
	return f.resolveStatus(ctx, iri, maxParentDepth)
}

func (f *Federation) resolveStatus(ctx context.Context, iri string, depth int) (*model.Status, error) {
	st, err := f.svc.StatusByURI(ctx, iri)
	if err == nil || !errors.Is(err, model.ErrNotFound) || f.svc.IsLocalURI(iri) {
		return st, err
	}
	obj, err := f.fetch(ctx, iri)
	if err != nil {
		return nil, err
	}
	if !isPost(obj) {
		return nil, model.NotFound("status")
	}
	// A post fetched by a URL that is not its id (a web page address) is
	// looked up by its id too.
	if obj.ID != iri {
		if st, err := f.svc.StatusByURI(ctx, obj.ID); err == nil {
			return st, nil
		}
	}
	return f.ingestPost(ctx, obj, depth, false)
}

// ingestPost stores a post object from its author's server. fanOutNow is
// for the inbox job, which fans the post out itself (see
// service.RemoteStatusInput.FanOutNow).
func (f *Federation) ingestPost(ctx context.Context, obj *ap.Object, depth int, fanOutNow bool) (*model.Status, error) {
	if obj.AttributedTo == "" || ap.Origin(obj.AttributedTo) != ap.Origin(obj.ID) {
		return nil, model.Invalid("attributedTo", "a post's author must be on the post's server")
	}
	author, err := f.ResolveActor(ctx, obj.AttributedTo)
	if err != nil {
		return nil, err
	}
	if author.Local() {
		return nil, model.Invalid("attributedTo", "a remote post cannot be by a local member")
	}
	in, err := f.postInput(ctx, author, obj, depth)
	if err != nil {
		return nil, err
	}
	in.FanOutNow = fanOutNow
	return f.svc.IngestRemoteStatus(ctx, in)
}

// postInput reads a post object into what the service stores.
func (f *Federation) postInput(ctx context.Context, author *model.Account, obj *ap.Object, depth int) (service.RemoteStatusInput, error) {
	in := service.RemoteStatusInput{
		AuthorID: author.ID, URI: obj.ID, URL: obj.URL, SpoilerText: obj.Summary, Sensitive: obj.Sensitive,
		CreatedAt: obj.Published, ContentHTML: postContent(obj),
	}
	if in.URL == "" {
		in.URL = obj.ID
	}
	if !obj.Updated.IsZero() && obj.Updated.After(obj.Published) {
		u := obj.Updated
		in.EditedAt = &u
	}
	for lang := range obj.ContentMap {
		in.Language = lang
		break
	}
	if len(obj.ContentMap) > 1 {
		in.Language = "" // several languages: none is the post's
	}
	if obj.InReplyTo != "" {
		var parent *model.Status
		var err error
		if depth > 0 {
			parent, err = f.resolveStatus(ctx, obj.InReplyTo, depth-1)
		} else {
			parent, err = f.svc.StatusByURI(ctx, obj.InReplyTo)
		}
		if err == nil {
			in.InReplyToID = parent.ID
		} else {
			f.log.Debug("reply parent not found", "post", obj.ID, "parent", obj.InReplyTo, "err", err)
		}
	}
	followers := ""
	if r, err := f.svc.RemoteActorOf(ctx, author.ID); err == nil {
		followers = r.Followers
	}
	in.Visibility = visibilityOf(obj, followers)
	lookups := 0
	var mentioned []int64
	addMention := func(iri string, fetch bool) {
		var acc *model.Account
		var err error
		switch {
		case f.svc.IsLocalURI(iri):
			acc, err = f.svc.AccountByURI(ctx, iri)
		case fetch && lookups < maxMentionLookups:
			lookups++
			acc, err = f.ResolveActor(ctx, iri)
		default:
			acc, err = f.svc.AccountByURI(ctx, iri)
		}
		if err != nil || !shared(acc) {
			return // a member who does not share is not reachable from other servers
		}
		if !slices.Contains(mentioned, acc.ID) {
			mentioned = append(mentioned, acc.ID)
		}
	}
	for _, t := range obj.Tags {
		switch t.Type {
		case "Mention":
			if t.Href != "" {
				addMention(t.Href, true)
			}
		case "Hashtag":
			// The names local posts may have, and no others: a remote
			// server's "#<script>…" is dropped, not stored and trended.
			if name := strings.TrimPrefix(strings.TrimSpace(t.Name), "#"); text.ValidTagName(name) && len(name) <= maxTagName {
				in.Tags = append(in.Tags, name)
			}
		}
	}
	// Local members addressed directly count as mentioned (Mastodon's
	// "silent mentions"): they are who a limited post is for.
	for _, iri := range slices.Concat(obj.To, obj.CC) {
		if f.svc.IsLocalURI(iri) {
			addMention(iri, false)
		}
	}
	// The author of a member's post quoted in a public or unlisted post
	// hears of it as of a mention (Mastodon also mentions the quoted
	// author silently), until quotes are posts of their own kind here.
	if quotesShared(ctx, f, obj) {
		if quoted, err := f.svc.SharedLocalStatus(ctx, obj.Quote); err == nil && !slices.Contains(mentioned, quoted.AccountID) {
			mentioned = append(mentioned, quoted.AccountID)
		}
	}
	in.MentionIDs = mentioned
	for _, a := range obj.Attachments {
		in.Media = append(in.Media, service.RemoteMediaInput{URL: a.URL, Type: a.Type, MediaType: a.MediaType,
			Description: a.Name, Blurhash: a.Blurhash, Width: a.Width, Height: a.Height,
			FocusX: a.FocalPoint[0], FocusY: a.FocalPoint[1]})
	}
	return in, nil
}

// visibilityOf reads a post's audience as Mastodon does: public when
// everyone is in to, unlisted when in cc, followers-only when the author's
// followers are addressed, direct otherwise.
func visibilityOf(obj *ap.Object, followers string) model.Visibility {
	for _, iri := range obj.To {
		if ap.IsPublic(iri) {
			return model.Public
		}
	}
	for _, iri := range obj.CC {
		if ap.IsPublic(iri) {
			return model.Unlisted
		}
	}
	for _, iri := range slices.Concat(obj.To, obj.CC) {
		if iri != "" && (iri == followers || strings.HasSuffix(iri, "/followers")) {
			return model.Private
		}
	}
	return model.Direct
}

// postContent is what a post object shows: its content; for an Article or
// Page (blogs, Lemmy) its title first and a link to it, for a poll its
// options, which weft lists (it does not count votes).
func postContent(obj *ap.Object) string {
	content := obj.Content
	if obj.Source != nil && content == "" && obj.Source.MediaType == "text/plain" {
		content = "<p>" + html.EscapeString(obj.Source.Content) + "</p>"
	}
	if (obj.HasType("Article") || obj.HasType("Page") || obj.HasType("Video") || obj.HasType("Event")) && obj.Name != "" {
		title := "<p><strong>" + html.EscapeString(obj.Name) + "</strong></p>"
		link := ""
		if obj.URL != "" {
			link = fmt.Sprintf(`<p><a href="%s">%s</a></p>`, html.EscapeString(obj.URL), html.EscapeString(obj.URL))
		}
		content = title + content + link
	}
	if opts := slices.Concat(obj.OneOf, obj.AnyOf); len(opts) > 0 {
		var b strings.Builder
		b.WriteString("<ul>")
		for _, o := range opts {
			b.WriteString("<li>" + html.EscapeString(o.Name) + "</li>")
		}
		b.WriteString("</ul>")
		content += b.String()
	}
	return content
}
