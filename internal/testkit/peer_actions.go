package testkit

import (
	"encoding/json"
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
	f := map[string]any{"@context": p.contextOf(), "id": p.activityID(name, "follows"), "type": "Follow",
		"actor": p.ActorID(name), "object": target}
	switch p.Impl {
	case GoToSocial:
		f["id"] = p.activityID(name, "follow")
	case Misskey:
		f["id"] = p.URL + "/follows/" + misskeyID(name) + "/" + misskeyID(target)
	case Pleroma:
		f["to"], f["cc"], f["state"] = []any{target}, []any{}, "pending"
	}
	p.Tell(t, name, f, p.InboxOf(t, target))
	return f
}

// Publish has name write a post: served at its id from now on, and sent
// in a Create to the servers of name's followers (unless direct) and to
// the accounts it mentions, answers or quotes (Misskey and Mastodon tell
// the quoted author's server, as they tell the answered one's).
func (p *Peer) Publish(t testing.TB, name string, spec PostSpec) *PeerPost {
	t.Helper()
	note := p.noteDoc(name, spec, time.Now())
	post := &PeerPost{ID: note["id"].(string), Author: name, Spec: spec, Object: note}
	p.putPost(t, post)
	inboxes := p.recipients(t, name, spec)
	p.Tell(t, name, p.createDoc(name, note), inboxes...)
	return post
}

// recipients are the inboxes a post of name's goes to.
func (p *Peer) recipients(t testing.TB, name string, spec PostSpec) []string {
	t.Helper()
	seen := map[string]bool{}
	var out []string
	add := func(inbox string) {
		if inbox != "" && !seen[inbox] && !strings.HasPrefix(inbox, p.URL) {
			seen[inbox] = true
			out = append(out, inbox)
		}
	}
	if spec.Visibility != "direct" {
		for _, inbox := range p.followerInboxes(name) {
			add(inbox)
		}
	}
	for _, m := range spec.Mentions {
		add(p.DeliveryInboxOf(t, m))
	}
	for _, iri := range []string{spec.InReplyTo, spec.Quote} {
		if iri == "" || strings.HasPrefix(iri, p.URL) {
			continue
		}
		doc, status := p.FetchAs(t, iri, "")
		if status != 200 {
			t.Fatalf("%s: GET %s: %d", p.Impl, iri, status)
		}
		if author, _ := doc["attributedTo"].(string); author != "" {
			add(p.DeliveryInboxOf(t, author))
		}
	}
	return out
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
// the post went.
func (p *Peer) Edit(t testing.TB, post *PeerPost, text string) {
	t.Helper()
	post.Spec.Text = text
	edited := p.noteDoc(post.Author, post.Spec, time.Now())
	for _, k := range []string{"id", "url", "published", "context", "conversation", "replies"} {
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
		u["id"] = post.ID + "#updates/" + time.Now().Format("20060102150405")
	default:
		u["id"] = p.activityID(post.Author, "updates")
	}
	p.Tell(t, post.Author, u, p.recipients(t, post.Author, post.Spec)...)
}

// DeletePost has a post's author delete it: its id answers 410 from now
// on, and the Delete goes where the post went.
func (p *Peer) DeletePost(t testing.TB, post *PeerPost) {
	t.Helper()
	path := strings.TrimPrefix(post.ID, p.URL)
	tomb, _ := json.Marshal(map[string]any{"@context": "https://www.w3.org/ns/activitystreams", "id": post.ID, "type": "Tombstone"})
	p.mu.Lock()
	p.objects[path] = tomb
	p.mu.Unlock()
	d := map[string]any{"@context": p.contextOf(), "type": "Delete", "actor": p.ActorID(post.Author),
		"to": []any{asPublic}}
	switch p.Impl {
	case Plain, Mastodon, Misskey:
		d["id"] = post.ID + "#delete"
		if p.Impl == Misskey {
			d["id"] = p.activityID(post.Author, "deletes")
		}
		d["object"] = map[string]any{"id": post.ID, "type": "Tombstone"}
	default:
		// GoToSocial, Pleroma and Threads name the post by its id.
		d["id"] = p.activityID(post.Author, "deletes")
		d["object"] = post.ID
	}
	recipients := p.recipients(t, post.Author, post.Spec)
	// The post is gone: its recipients are computed, now drop it.
	p.Tell(t, post.Author, d, recipients...)
}

// Like has name like a post (the author's server is told). Misskey sends
// its reactions as Likes; a plain like is its default reaction.
func (p *Peer) Like(t testing.TB, name, object, objectAuthor string) map[string]any {
	t.Helper()
	l := map[string]any{"@context": p.contextOf(), "id": p.activityID(name, "likes"), "type": "Like",
		"actor": p.ActorID(name), "object": object}
	switch p.Impl {
	case Misskey:
		l["content"], l["_misskey_reaction"] = "👍", "👍"
	case Pleroma:
		l["to"], l["cc"] = []any{objectAuthor, p.Followers(name)}, []any{asPublic}
	case GoToSocial:
		l["id"] = p.activityID(name, "liked")
		l["to"] = objectAuthor
	}
	p.Tell(t, name, l, p.DeliveryInboxOf(t, objectAuthor))
	return l
}

// React has name react to a post with an emoji: Pleroma's EmojiReact,
// Misskey's Like with the reaction as its content. Custom emoji (":name:")
// come with their Emoji tag.
func (p *Peer) React(t testing.TB, name, object, objectAuthor, emoji string) map[string]any {
	t.Helper()
	r := map[string]any{"@context": p.contextOf(), "id": p.activityID(name, "reactions"), "type": "EmojiReact",
		"actor": p.ActorID(name), "object": object, "content": emoji}
	if p.Impl == Misskey {
		r["type"], r["_misskey_reaction"] = "Like", emoji
	}
	if strings.HasPrefix(emoji, ":") {
		short := strings.Trim(emoji, ":")
		icon := p.ServeFile("/emoji/"+short+".png", "image/png", PNG(t, 8, 8))
		r["tag"] = []any{map[string]any{"id": p.URL + "/emojis/" + short, "type": "Emoji", "name": emoji,
			"icon": map[string]any{"type": "Image", "mediaType": "image/png", "url": icon}}}
	}
	p.Tell(t, name, r, p.DeliveryInboxOf(t, objectAuthor))
	return r
}

// Boost has name share a post with its followers (and its author).
func (p *Peer) Boost(t testing.TB, name, object, objectAuthor string) map[string]any {
	t.Helper()
	to, cc := []any{asPublic}, []any{objectAuthor, p.Followers(name)}
	if p.Impl == Pleroma {
		to, cc = []any{p.Followers(name), objectAuthor}, []any{asPublic}
	}
	a := map[string]any{"@context": p.contextOf(), "id": p.activityID(name, "announces"), "type": "Announce",
		"actor": p.ActorID(name), "published": time.Now().UTC().Format(time.RFC3339), "to": to, "cc": cc, "object": object}
	if p.Impl == Plain || p.Impl == Mastodon || p.Impl == GoToSocial {
		a["id"] = p.base(name) + "/statuses/" + strings.TrimPrefix(p.activityID(name, "x"), p.URL) + "/activity"
	}
	inboxes := p.followerInboxes(name)
	if !strings.HasPrefix(objectAuthor, p.URL) {
		inboxes = append(inboxes, p.DeliveryInboxOf(t, objectAuthor))
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
	u := map[string]any{"@context": p.contextOf(), "id": p.activityID(name, "undos"), "type": "Undo",
		"actor": p.ActorID(name), "object": inner}
	switch p.Impl {
	case Plain, Mastodon:
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
	p.forgetFollower(name, target)
	p.Tell(t, name, b, p.InboxOf(t, target))
	return b
}

// DeleteActor deletes name's account: its document answers 410 from now
// on, and every server that knew it (the inboxes given) is told.
func (p *Peer) DeleteActor(t testing.TB, name string, inboxes ...string) {
	t.Helper()
	d := map[string]any{"@context": p.contextOf(), "id": p.ActorID(name) + "#delete", "type": "Delete",
		"actor": p.ActorID(name), "object": p.ActorID(name), "to": []any{asPublic}}
	if p.Impl == Pleroma || p.Impl == Misskey {
		d["id"] = p.activityID(name, "deletes")
	}
	// The key still signs the last word; the document is gone already.
	p.Gone(t, name)
	p.Tell(t, name, d, dedupe(inboxes)...)
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
