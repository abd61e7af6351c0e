package testkit

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"
)

// What a peer's actors do, each sent the way their implementation sends
// it, to the inboxes it sends it to, retried as it retries. Every method
// fails the test unless each inbox took the activity in the end, and
// returns the activity sent (for an Undo later).

// FollowOf has name follow an actor of another server (at its inbox).
func (p *Peer) FollowOf(t testing.TB, name, target string) map[string]any {
	t.Helper()
	f := map[string]any{"@context": p.contextOf(), "id": p.activityID(name, "follow"), "type": "Follow",
		"actor": p.ActorID(name), "object": target}
	switch p.Impl {
	case GoToSocial:
		f["to"] = target
	case Pleroma:
		f["to"], f["cc"], f["state"] = []any{target}, []any{}, "pending"
	}
	p.Tell(t, name, f, p.InboxOf(t, target))
	return f
}

// Unfollow has name undo a Follow of theirs. Misskey's Undo embeds a Follow
// of another id than the one it sent (follows/<follower>/<followee>).
func (p *Peer) Unfollow(t testing.TB, name string, follow map[string]any) {
	t.Helper()
	inner := follow
	if p.Impl == Misskey {
		inner = map[string]any{"id": p.URL + "/follows/" + misskeyID(name) + "/" + p.aid(),
			"type": "Follow", "actor": follow["actor"], "object": follow["object"]}
	}
	p.Undo(t, name, inner, p.InboxOf(t, follow["object"].(string)))
}

// Publish has name write a post: served at its id from now on (but for
// Misskey's followers-only and direct notes, which it never serves), and
// sent in a Create to the servers of name's followers (unless direct) and
// to the accounts it mentions, answers or quotes (Misskey and Mastodon
// tell the quoted author's server, as they tell the answered one's).
func (p *Peer) Publish(t testing.TB, name string, spec PostSpec) *PeerPost {
	t.Helper()
	note := p.noteDoc(name, spec, time.Now())
	post := &PeerPost{ID: note["id"].(string), Author: name, Spec: spec, Object: note}
	if !(p.Impl == Misskey && (spec.Visibility == "followers" || spec.Visibility == "direct")) {
		p.putPost(t, post)
	}
	p.Tell(t, name, p.createDoc(name, note), p.recipients(t, name, spec)...)
	if p.Impl == Mastodon && spec.Quote != "" && !strings.HasPrefix(spec.Quote, p.URL) {
		// Mastodon 4.5 asks the quoted author's server for consent.
		req := map[string]any{"@context": p.contextOf(), "id": p.ActorID(name) + "/quote_requests/" + p.uuid(),
			"type": "QuoteRequest", "actor": p.ActorID(name), "object": spec.Quote, "instrument": note}
		p.Tell(t, name, req, p.InboxOf(t, p.authorOf(t, spec.Quote)))
	}
	return post
}

// authorOf fetches a post of another server and reads its author.
func (p *Peer) authorOf(t testing.TB, iri string) string {
	t.Helper()
	doc, status := p.FetchAs(t, iri, "")
	if status != 200 {
		t.Fatalf("%s: GET %s: %d", p.Impl, iri, status)
	}
	author, _ := doc["attributedTo"].(string)
	if author == "" {
		t.Fatalf("%s: %s names no author", p.Impl, iri)
	}
	return author
}

// recipients are the inboxes a post of name's goes to.
func (p *Peer) recipients(t testing.TB, name string, spec PostSpec) []string {
	t.Helper()
	var out []string
	if spec.Visibility != "direct" {
		out = append(out, p.followerInboxes(name)...)
	}
	for _, m := range spec.Mentions {
		out = append(out, p.deliveryInbox(t, m))
	}
	for _, iri := range []string{spec.InReplyTo, spec.Quote} {
		if iri != "" && !strings.HasPrefix(iri, p.URL) {
			out = append(out, p.deliveryInbox(t, p.authorOf(t, iri)))
		}
	}
	return dedupe(out)
}

// deliveryInbox is where the implementation delivers to one account:
// Misskey to its personal inbox (unless its server's shared inbox is
// already among the recipients; dedupe then merges nothing), the others
// to its shared inbox when there is one.
func (p *Peer) deliveryInbox(t testing.TB, actor string) string {
	t.Helper()
	if p.Impl == Misskey || p.Impl == GoToSocial {
		return p.InboxOf(t, actor)
	}
	return p.DeliveryInboxOf(t, actor)
}

// putPost puts a post's object up at its id.
func (p *Peer) putPost(t testing.TB, post *PeerPost) {
	t.Helper()
	obj := map[string]any{"@context": p.contextOf()}
	for k, v := range post.Object {
		obj[k] = v
	}
	b, err := json.Marshal(obj)
	Must(t, err, "encode %s", post.ID)
	path := strings.TrimPrefix(post.ID, p.URL)
	p.mu.Lock()
	p.objects[path] = b
	p.mu.Unlock()
}

// Edit has a post's author change its text, and sends the Update where
// the post went. GoToSocial gives every edit of a post the same id.
func (p *Peer) Edit(t testing.TB, post *PeerPost, text string) {
	t.Helper()
	post.Spec.Text = text
	edited := p.noteDoc(post.Author, post.Spec, time.Now())
	for _, k := range []string{"id", "url", "published", "context", "conversation", "replies", "atomUri"} {
		if v, ok := post.Object[k]; ok {
			edited[k] = v
		}
	}
	edited["updated"] = time.Now().Add(time.Second).UTC().Format(time.RFC3339)
	post.Object = edited
	p.putPost(t, post)
	u := map[string]any{"@context": p.contextOf(), "type": "Update", "actor": p.ActorID(post.Author),
		"to": edited["to"], "cc": edited["cc"], "object": edited}
	switch p.Impl {
	case Plain, Mastodon:
		u["id"] = post.ID + "#updates/" + time.Now().Format("20060102150405.000")
	case GoToSocial:
		u["id"] = post.ID + "/activity#Update"
	default:
		u["id"] = p.activityID(post.Author, "update")
	}
	p.Tell(t, post.Author, u, p.recipients(t, post.Author, post.Spec)...)
}

// DeletePost has a post's author delete it: its id answers 410 from now
// on, and the Delete goes where the post went.
func (p *Peer) DeletePost(t testing.TB, post *PeerPost) {
	t.Helper()
	recipients := p.recipients(t, post.Author, post.Spec)
	path := strings.TrimPrefix(post.ID, p.URL)
	tomb, _ := json.Marshal(map[string]any{"@context": "https://www.w3.org/ns/activitystreams", "id": post.ID, "type": "Tombstone"})
	p.mu.Lock()
	p.objects[path] = tomb
	p.mu.Unlock()
	d := map[string]any{"@context": p.contextOf(), "type": "Delete", "actor": p.ActorID(post.Author),
		"to": []any{asPublic}}
	switch p.Impl {
	case Plain, Mastodon:
		d["id"] = post.ID + "#delete"
		d["object"] = map[string]any{"id": post.ID, "type": "Tombstone", "atomUri": post.ID}
	case Misskey:
		d["id"] = p.activityID(post.Author, "delete")
		d["object"] = map[string]any{"id": post.ID, "type": "Tombstone"}
	default:
		// GoToSocial, Pleroma and Threads name the post by its id.
		d["id"] = p.activityID(post.Author, "delete")
		d["object"] = post.ID
		if p.Impl == GoToSocial {
			d["to"], d["cc"] = asPublic, p.Followers(post.Author)
		}
	}
	p.Tell(t, post.Author, d, recipients...)
}

// Like has name like a post (the author's server is told). Misskey sends
// every reaction as a Like; a plain like is its default reaction, ❤.
func (p *Peer) Like(t testing.TB, name, object, objectAuthor string) map[string]any {
	t.Helper()
	l := map[string]any{"@context": p.contextOf(), "id": p.activityID(name, "like"), "type": "Like",
		"actor": p.ActorID(name), "object": object}
	switch p.Impl {
	case Misskey:
		l["content"], l["_misskey_reaction"] = "\u2764", "\u2764"
	case Pleroma:
		l["to"], l["cc"] = []any{objectAuthor, p.Followers(name)}, []any{asPublic}
		l["context"] = p.URL + "/contexts/" + p.uuid()
	case GoToSocial:
		l["to"] = objectAuthor
	}
	p.Tell(t, name, l, p.deliveryInbox(t, objectAuthor))
	return l
}

// React has name react to a post with an emoji: Pleroma's EmojiReact,
// Misskey's Like with the reaction as its content. Custom emoji (":name:")
// come with their Emoji tag.
func (p *Peer) React(t testing.TB, name, object, objectAuthor, emoji string) map[string]any {
	t.Helper()
	r := map[string]any{"@context": p.contextOf(), "id": p.activityID(name, "react"), "type": "EmojiReact",
		"actor": p.ActorID(name), "object": object, "content": emoji}
	switch p.Impl {
	case Misskey:
		r["type"], r["_misskey_reaction"] = "Like", emoji
		r["id"] = p.activityID(name, "like")
	case Pleroma:
		r["to"], r["cc"] = []any{p.Followers(name), objectAuthor}, []any{asPublic}
		r["context"] = p.URL + "/contexts/" + p.uuid()
	}
	if strings.HasPrefix(emoji, ":") {
		r["tag"] = []any{p.emojiTag(strings.Trim(emoji, ":"))}
	}
	p.Tell(t, name, r, p.deliveryInbox(t, objectAuthor))
	return r
}

// Boost has name share a post with its followers (and tell its author).
// A self-boost of a followers-only post (Pleroma) embeds the post and
// stays with the followers.
func (p *Peer) Boost(t testing.TB, name string, object any, objectAuthor string) map[string]any {
	t.Helper()
	to, cc := []any{asPublic}, []any{objectAuthor, p.Followers(name)}
	var objectID any = object
	switch p.Impl {
	case Pleroma:
		to, cc = []any{p.Followers(name), objectAuthor, asPublic}, nil
		if embedded, ok := object.(map[string]any); ok {
			to = []any{p.Followers(name), objectAuthor} // not public: its own followers-only post
			objectID = embedded
		}
	case GoToSocial:
		to, cc = []any{p.Followers(name)}, []any{objectAuthor, asPublic}
	case Misskey:
		cc = []any{p.Followers(name)}
	}
	a := map[string]any{"@context": p.contextOf(), "id": p.activityID(name, "announce"), "type": "Announce",
		"actor": p.ActorID(name), "published": time.Now().UTC().Format(time.RFC3339), "to": to, "object": objectID}
	if cc != nil {
		a["cc"] = cc
	}
	switch p.Impl {
	case Plain, Mastodon:
		a["id"] = fmt.Sprintf("%s/statuses/%d/activity", p.base(name), 113000000000000000+p.next())
	case GoToSocial:
		a["id"] = p.base(name) + "/statuses/" + p.ulid()
	case Misskey:
		a["id"] = p.URL + "/notes/" + p.aid() + "/activity"
	}
	inboxes := p.followerInboxes(name)
	if !strings.HasPrefix(objectAuthor, p.URL) {
		inboxes = append(inboxes, p.deliveryInbox(t, objectAuthor))
	}
	p.Tell(t, name, a, dedupe(inboxes)...)
	return a
}

// Undo has name take back an activity of theirs, sent where it went.
// Pleroma names the undone activity by its id; the others embed it.
func (p *Peer) Undo(t testing.TB, name string, activity map[string]any, inboxes ...string) {
	t.Helper()
	inner := map[string]any{}
	for k, v := range activity {
		if k != "@context" {
			inner[k] = v
		}
	}
	u := map[string]any{"@context": p.contextOf(), "id": p.activityID(name, "undo"), "type": "Undo",
		"actor": p.ActorID(name), "object": inner}
	switch p.Impl {
	case Plain, Mastodon, Misskey:
		u["id"] = activity["id"].(string) + "/undo"
	case Pleroma:
		u["object"] = activity["id"]
	}
	p.Tell(t, name, u, inboxes...)
}

// Block has name block an actor of another server (told at its inbox).
func (p *Peer) Block(t testing.TB, name, target string) map[string]any {
	t.Helper()
	b := map[string]any{"@context": p.contextOf(), "id": p.activityID(name, "blocks"), "type": "Block",
		"actor": p.ActorID(name), "object": target}
	if p.Impl == GoToSocial {
		b["to"] = target
	}
	p.forgetFollower(name, target)
	p.Tell(t, name, b, p.InboxOf(t, target))
	return b
}

// DeleteActor deletes name's account as its implementation does, telling
// the inboxes given (the servers that knew it). Mastodon, Misskey and
// Pleroma answer 404 or 410 for the actor from then on; GoToSocial keeps
// serving it (suspended) and then sends a Delete of each of its posts,
// after the actor's.
func (p *Peer) DeleteActor(t testing.TB, name string, posts []*PeerPost, inboxes ...string) {
	t.Helper()
	d := map[string]any{"@context": p.contextOf(), "id": p.ActorID(name) + "#delete", "type": "Delete",
		"actor": p.ActorID(name), "object": p.ActorID(name), "to": []any{asPublic}}
	switch p.Impl {
	case GoToSocial:
		d["id"], d["to"], d["cc"] = p.activityID(name, "delete"), p.Followers(name), asPublic
	case Misskey, Pleroma:
		d["id"] = p.activityID(name, "delete")
	}
	if p.Impl != GoToSocial {
		p.Gone(t, name) // its key still signs the last word
	}
	p.Tell(t, name, d, dedupe(inboxes)...)
	if p.Impl == GoToSocial {
		for _, post := range posts {
			p.DeletePost(t, post)
		}
	}
}

// UpdateProfile has name change their display name, and tells the
// servers of their followers with an Update of the actor.
func (p *Peer) UpdateProfile(t testing.TB, name, display string) {
	t.Helper()
	a := p.actor(t, name)
	p.mu.Lock()
	a.display = display
	pem := a.pem
	p.mu.Unlock()
	doc := p.actorDoc(name, pem)
	doc["name"] = display
	delete(doc, "@context")
	u := map[string]any{"@context": p.contextOf(), "type": "Update", "actor": p.ActorID(name), "to": []any{asPublic}, "object": doc}
	switch p.Impl {
	case Plain, Mastodon, Misskey:
		u["id"] = p.ActorID(name) + "#updates/" + fmt.Sprint(time.Now().UnixMilli())
	case GoToSocial:
		u["id"] = p.ActorID(name) + "#updates/" + p.ulid()
	default:
		u["id"] = p.activityID(name, "update")
	}
	p.Tell(t, name, u, p.followerInboxes(name)...)
}

// StopSharing is a Threads member turning fediverse sharing off: a Delete
// of each of their posts, sent where it went; from then on the member is
// not there for other servers (404 to every request about them, as for a
// member who never shared).
func (p *Peer) StopSharing(t testing.TB, name string, posts []*PeerPost) {
	t.Helper()
	for _, post := range posts {
		p.DeletePost(t, post)
	}
	a := p.actor(t, name)
	p.mu.Lock()
	a.hidden = true
	p.mu.Unlock()
}

func dedupe(in []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range in {
		if s != "" && !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}
