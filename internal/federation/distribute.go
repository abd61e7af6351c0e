package federation

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"time"

	"weft/internal/ap"
	"weft/internal/model"
	"weft/internal/service"
)

// activity is an outgoing activity document.
type activity struct {
	Context   []any    `json:"@context,omitempty"`
	ID        string   `json:"id"`
	Type      string   `json:"type"`
	Actor     string   `json:"actor"`
	Published string   `json:"published,omitempty"`
	To        []string `json:"to,omitempty"`
	CC        []string `json:"cc,omitempty"`
	Object    any      `json:"object"`
	Content   string   `json:"content,omitempty"` // a Flag's comment
}

// RunFederate turns one local change into an activity and enqueues one
// delivery per inbox that must hear of it: the shared inbox of every
// server with followers of the actor (for what followers see), and the
// inboxes of the remote accounts concerned (mentioned, followed, liked,
// boosted). Direct posts go only to the accounts they mention.
func (f *Federation) RunFederate(ctx context.Context, args service.FederateArgs) error {
	actor, err := f.svc.AccountByID(ctx, args.ActorID)
	if err != nil {
		return err
	}
	if !actor.Local() {
		return nil
	}
	if args.Verb != service.VerbDeleteActor && args.Verb != service.VerbFlag && !args.Retract && (actor.Gone() || !actor.FediverseSharing) {
		return nil // a suspended member's activity, or one who stopped sharing meanwhile, stays here
	}
	act, inboxes, err := f.build(ctx, actor, args)
	if errors.Is(err, model.ErrNotFound) {
		return nil // what it was about is gone meanwhile
	}
	if err != nil || act == nil {
		return err
	}
	body, err := json.Marshal(act)
	if err != nil {
		return err
	}
	seen := map[string]bool{}
	var list []service.DeliverArgs
	for _, inbox := range inboxes {
		if inbox == "" || seen[inbox] || f.svc.IsLocalURI(inbox) {
			continue
		}
		if u, err := url.Parse(inbox); err != nil || f.hostUnavailable(ctx, u.Host) {
			continue // a server that has failed for days gets nothing until it is back
		}
		seen[inbox] = true
		signer := actor.ID
		if args.Verb == service.VerbFlag {
			signer = 0 // the instance signs: a forwarded report never names who reported
		}
		list = append(list, service.DeliverArgs{SignerID: signer, Inbox: inbox, Activity: body})
	}
	return f.svc.EnqueueDeliveries(ctx, list)
}

// build renders the activity of a change and lists its recipients.
func (f *Federation) build(ctx context.Context, actor *model.Account, args service.FederateArgs) (*activity, []string, error) {
	actorURI := f.svc.ActorURI(actor)
	now := time.Now().UTC().Format(time.RFC3339)
	switch args.Verb {
	case service.VerbCreate, service.VerbUpdate, service.VerbDelete:
		return f.buildPost(ctx, actor, args)
	case service.VerbAnnounce, service.VerbUndoAnnounce:
		return f.buildAnnounce(ctx, actor, args)
	case service.VerbLike, service.VerbUndoLike:
		fs, err := f.svc.FediverseStatusByID(ctx, args.StatusID)
		if err != nil {
			return nil, nil, err
		}
		like := &activity{ID: actorURI + "#likes/" + strconv.FormatInt(args.ObjectID, 10), Type: "Like", Actor: actorURI,
			Object: f.svc.StatusURI(fs.Status, fs.Author)}
		inboxes, err := f.inboxesOf(ctx, fs.Author.ID)
		if err != nil {
			return nil, nil, err
		}
		if args.Verb == service.VerbUndoLike {
			return undo(like), inboxes, nil
		}
		like.Context = ContextNote
		return like, inboxes, nil
	case service.VerbFollow, service.VerbUndoFollow, service.VerbBlock, service.VerbUndoBlock:
		target, err := f.svc.AccountByID(ctx, args.TargetID)
		if err != nil {
			return nil, nil, err
		}
		inbox, err := f.personalInbox(ctx, target)
		if err != nil {
			return nil, nil, err
		}
		a := &activity{ID: args.ObjectURI, Type: "Follow", Actor: actorURI, Object: target.URI}
		if args.Verb == service.VerbBlock || args.Verb == service.VerbUndoBlock {
			a.ID, a.Type = actorURI+"#blocks/"+strconv.FormatInt(args.ObjectID, 10), "Block"
		}
		if args.Verb == service.VerbUndoFollow || args.Verb == service.VerbUndoBlock {
			return undo(a), []string{inbox}, nil
		}
		a.Context = ContextNote
		return a, []string{inbox}, nil
	case service.VerbAccept, service.VerbReject:
		follower, err := f.svc.AccountByID(ctx, args.TargetID)
		if err != nil {
			return nil, nil, err
		}
		inbox, err := f.personalInbox(ctx, follower)
		if err != nil {
			return nil, nil, err
		}
		typ := "Accept"
		if args.Verb == service.VerbReject {
			typ = "Reject"
		}
		return &activity{Context: ContextNote, ID: actorURI + "#" + typ + "s/follows/" + strconv.FormatInt(follower.ID, 10) + "-" + strconv.FormatInt(time.Now().UnixNano(), 36),
			Type: typ, Actor: actorURI,
			Object: &activity{ID: args.ObjectURI, Type: "Follow", Actor: follower.URI, Object: actorURI}}, []string{inbox}, nil
	case service.VerbUpdateActor:
		key, err := f.svc.ActorKey(ctx, actor.ID)
		if err != nil {
			return nil, nil, err
		}
		doc := f.render.Actor(actor, key.PublicPEM)
		doc.Context = nil
		inboxes, err := f.svc.FollowerInboxes(ctx, actor.ID)
		if err != nil {
			return nil, nil, err
		}
		return &activity{Context: ContextActor, ID: actorURI + "#updates/" + strconv.FormatInt(time.Now().UnixMilli(), 10),
			Type: "Update", Actor: actorURI, Published: now, To: []string{ap.Public}, CC: []string{actorURI + "/followers"},
			Object: doc}, inboxes, nil
	case service.VerbFlag:
		return f.buildFlag(ctx, args)
	case service.VerbDeleteActor:
		return &activity{Context: ContextNote, ID: actorURI + "#delete", Type: "Delete", Actor: actorURI,
			To: []string{ap.Public}, Object: actorURI}, args.Inboxes, nil
	}
	return nil, nil, fmt.Errorf("%w: unknown federation verb %q", service.ErrNoRetry, args.Verb)
}

// undo wraps an activity in its Undo.
func undo(a *activity) *activity {
	return &activity{Context: ContextNote, ID: a.ID + "/undo", Type: "Undo", Actor: a.Actor, Object: a}
}

// buildPost renders Create, Update or Delete of a post.
func (f *Federation) buildPost(ctx context.Context, actor *model.Account, args service.FederateArgs) (*activity, []string, error) {
	fs, err := f.svc.FediverseStatusByID(ctx, args.StatusID)
	if err != nil {
		return nil, nil, err
	}
	if fs.Author.ID != actor.ID || fs.Status.IsReblog() || !args.Retract && !actor.SharesPostsFrom(fs.Status.CreatedAt) {
		return nil, nil, nil // not this actor's to send, or written before sharing was turned on
	}
	inboxes := args.Inboxes
	if len(inboxes) == 0 {
		if inboxes, err = f.postInboxes(ctx, actor, fs); err != nil {
			return nil, nil, err
		}
	}
	actorURI := f.svc.ActorURI(actor)
	uri := f.svc.StatusURI(fs.Status, actor)
	if args.Verb == service.VerbDelete {
		to, cc := Audience(fs.Status.Visibility, actorURI+"/followers", f.mentionURIs(fs))
		return &activity{Context: ContextNote, ID: uri + "#delete", Type: "Delete", Actor: actorURI, To: to, CC: cc,
			Object: map[string]string{"id": uri, "type": "Tombstone"}}, inboxes, nil
	}
	if fs.Tombstone {
		return nil, nil, nil // deleted before its Create or Update went out: the Delete follows
	}
	if args.Verb == service.VerbUpdate {
		// An edited post may have replies by now: its document lists its
		// author's own, as when it is fetched.
		if err := f.svc.WithSelfReplies(ctx, fs); err != nil {
			return nil, nil, err
		}
	}
	note := f.render.Note(fs)
	note.Context = nil
	a := &activity{Context: ContextNote, ID: uri + "/activity", Type: "Create", Actor: actorURI,
		Published: note.Published, To: note.To, CC: note.CC, Object: note}
	if args.Verb == service.VerbUpdate {
		a.Type = "Update"
		a.ID = uri + "#updates/" + strconv.FormatInt(time.Now().UnixMilli(), 10)
		a.Published = note.Updated
	}
	return a, inboxes, nil
}

func (f *Federation) mentionURIs(fs *service.FediverseStatus) []string {
	var out []string
	for _, m := range fs.Mentions {
		out = append(out, f.svc.ActorURI(m))
	}
	return out
}

// postInboxes: servers of the author's followers (unless direct), and the
// mentioned remote accounts.
func (f *Federation) postInboxes(ctx context.Context, actor *model.Account, fs *service.FediverseStatus) ([]string, error) {
	var inboxes []string
	if fs.Status.Visibility != model.Direct {
		list, err := f.svc.FollowerInboxes(ctx, actor.ID)
		if err != nil {
			return nil, err
		}
		inboxes = list
	}
	for _, m := range fs.Mentions {
		if m.Local() {
			continue
		}
		list, err := f.inboxesOf(ctx, m.ID)
		if err != nil {
			return nil, err
		}
		inboxes = append(inboxes, list...)
	}
	return inboxes, nil
}

// buildAnnounce renders a boost or its Undo.
func (f *Federation) buildAnnounce(ctx context.Context, actor *model.Account, args service.FederateArgs) (*activity, []string, error) {
	actorURI := f.svc.ActorURI(actor)
	boostURI := actorURI + "/statuses/" + strconv.FormatInt(args.StatusID, 10) + "/activity"
	objectID := args.ObjectID
	var boost *model.Status
	if args.Verb == service.VerbAnnounce {
		fs, err := f.svc.FediverseStatusByID(ctx, args.StatusID)
		if err != nil {
			return nil, nil, err
		}
		boost, objectID = fs.Status, fs.Status.ReblogOfID
	}
	object, err := f.svc.FediverseStatusByID(ctx, objectID)
	if err != nil {
		return nil, nil, err
	}
	if !shared(object.Author) || object.Status.Visibility != model.Public && object.Status.Visibility != model.Unlisted {
		return nil, nil, nil // a boost of what the fediverse may not see stays here
	}
	inboxes, err := f.svc.FollowerInboxes(ctx, actor.ID)
	if err != nil {
		return nil, nil, err
	}
	if !object.Author.Local() {
		more, err := f.inboxesOf(ctx, object.Author.ID)
		if err != nil {
			return nil, nil, err
		}
		inboxes = append(inboxes, more...)
	}
	vis := model.Public
	if boost != nil {
		vis = boost.Visibility
	}
	to, cc := Audience(vis, actorURI+"/followers", []string{f.svc.ActorURI(object.Author)})
	a := &activity{ID: boostURI, Type: "Announce", Actor: actorURI, To: to, CC: cc,
		Object: f.svc.StatusURI(object.Status, object.Author)}
	if boost != nil {
		a.Published = boost.CreatedAt.UTC().Format(time.RFC3339)
	}
	if args.Verb == service.VerbUndoAnnounce {
		return undo(a), inboxes, nil
	}
	a.Context = ContextNote
	return a, inboxes, nil
}

// inboxesOf is where to deliver to one remote account (its server's shared
// inbox when it has one); none for a local account.
func (f *Federation) inboxesOf(ctx context.Context, accountID int64) ([]string, error) {
	r, err := f.svc.RemoteActorOf(ctx, accountID)
	if errors.Is(err, model.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return []string{r.DeliveryInbox()}, nil
}

// personalInbox is a remote account's own inbox: follows, accepts and
// blocks go there, as Mastodon sends them.
func (f *Federation) personalInbox(ctx context.Context, a *model.Account) (string, error) {
	if a.Local() {
		return "", model.NotFound("actor")
	}
	r, err := f.svc.RemoteActorOf(ctx, a.ID)
	if err != nil {
		return "", err
	}
	return r.Inbox, nil
}
