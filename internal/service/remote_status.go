package service

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"weft/internal/model"
	"weft/internal/store"
	"weft/internal/text"
)

// RemoteStatusInput is a post from another server, as the federation
// layer read it from a Note (or Article, Page, Question).
type RemoteStatusInput struct {
	AuthorID    int64
	URI, URL    string
	ContentHTML string // as sent; sanitised here
	SpoilerText string
	Sensitive   bool
	Language    string
	Visibility  model.Visibility
	InReplyToID int64   // the parent when known here, else 0
	MentionIDs  []int64 // accounts it mentions that this server knows
	Tags        []string
	Media       []RemoteMediaInput // attachments, in order
	CreatedAt   time.Time
	EditedAt    *time.Time
	// FanOutNow: the caller is a durable job (the inbox's) that is retried
	// until it returns nil, so the fan-out runs in it, after the post's
	// transaction, instead of in a job of its own; a retry finds the post
	// stored and fans it out again (fan-out is idempotent). It saves a job
	// insert, fetch and completion on SQLite's one writer for every post
	// the fediverse sends.
	FanOutNow bool
}

// maxRemoteContent bounds what is kept of one remote post (bytes of
// sanitised HTML): servers with long-form posts exist, but a page of a
// timeline must stay a page.
const maxRemoteContent = 100_000

func (in *RemoteStatusInput) clean(now time.Time) error {
	if in.URI == "" || in.AuthorID == 0 {
		return model.Invalid("object", "a post needs an id and an author")
	}
	if _, err := model.ParseVisibility(string(in.Visibility)); err != nil {
		return err
	}
	in.ContentHTML = text.SanitizeRemoteHTML(in.ContentHTML)
	if len(in.ContentHTML) > maxRemoteContent {
		return model.Invalid("content", "the post is too long (%d bytes, at most %d)", len(in.ContentHTML), maxRemoteContent)
	}
	in.SpoilerText = truncateRunes(strings.TrimSpace(text.HTMLToText(in.SpoilerText)), 1000)
	if !utf8.ValidString(in.ContentHTML) {
		return model.Invalid("content", "is not valid UTF-8")
	}
	if in.Language != "" && !languageRE.MatchString(in.Language) {
		in.Language = ""
	}
	if in.CreatedAt.IsZero() || in.CreatedAt.After(now) {
		in.CreatedAt = now
	}
	if len(in.Tags) > 50 {
		in.Tags = in.Tags[:50]
	}
	// Mastodon shows at most four; servers that send more are cut there.
	in.Media = slices.DeleteFunc(in.Media, func(m RemoteMediaInput) bool { return !isHTTPURL(m.URL) })
	if len(in.Media) > model.MaxMediaPerPost {
		in.Media = in.Media[:model.MaxMediaPerPost]
	}
	return nil
}

// errStoredMeanwhile: another delivery stored the post first.
var errStoredMeanwhile = errors.New("the post was stored meanwhile")

// IngestRemoteStatus stores a post from another server (once: a post seen
// again is returned as stored) and fans it out to local followers of its
// author and to the local accounts it mentions.
func (s *Service) IngestRemoteStatus(ctx context.Context, in RemoteStatusInput) (*model.Status, error) {
	now := s.clock()
	if err := in.clean(now); err != nil {
		return nil, err
	}
	if existing, err := s.st.Read().StatusByURI(ctx, in.URI); err == nil {
		return existing, s.fanOutNow(ctx, in, existing)
	} else if !isNotFound(err) {
		return nil, err
	}
	var st *model.Status
	var postAuthor *model.Account
	var fanned *fannedOut // the followers' fan-out, when done in the post's transaction
	err := s.st.InTx(ctx, func(tx *store.Tx) error {
		// Looked up again under a lock: two deliveries of one post running
		// at once must store it once.
		if err := tx.LockStatusURI(ctx, in.URI); err != nil {
			return err
		}
		if _, err := tx.StatusIDByURI(ctx, in.URI); err == nil {
			return errStoredMeanwhile
		} else if !isNotFound(err) {
			return err
		}
		author, err := tx.AccountByID(ctx, in.AuthorID)
		if err != nil {
			return err
		}
		if author.Local() || author.Gone() {
			return model.Errorf(model.ErrForbidden, "", "this account may not post here")
		}
		st = &model.Status{
			ID: s.newID(), AccountID: author.ID, Text: text.HTMLToText(in.ContentHTML), ContentHTML: in.ContentHTML,
			SpoilerText: in.SpoilerText, Sensitive: in.Sensitive || in.SpoilerText != "", Language: in.Language,
			Visibility: in.Visibility, Local: false, URI: in.URI, URL: in.URL, CreatedAt: in.CreatedAt, EditedAt: in.EditedAt,
		}
		st.ThreadID, st.ConversationID = st.ID, st.ID
		if in.InReplyToID != 0 {
			parent, err := tx.StatusByID(ctx, in.InReplyToID)
			if err != nil && !isNotFound(err) {
				return err
			}
			if err == nil && !parent.IsReblog() {
				by, err := tx.AccountByID(ctx, parent.AccountID)
				if err != nil {
					return err
				}
				// A post the fediverse may not see (by a member who does not
				// share, or from before they did) takes no replies from it.
				if by.SharesPostsFrom(parent.CreatedAt) {
					st.InReplyToID, st.InReplyToAccountID = parent.ID, parent.AccountID
					st.ThreadID, st.ConversationID = parent.ThreadID, parent.ConversationID
				}
			}
		}
		mentions := replyMentions(nil, author.ID, 0)
		for _, id := range in.MentionIDs {
			if id != author.ID && !containsID(mentions, id) {
				mentions = append(mentions, id)
			}
		}
		st.Mentions = mentions
		if err := s.insertPostTx(ctx, tx, st, in.Tags, now); err != nil {
			return err
		}
		if err := s.insertRemoteMediaTx(ctx, tx, st, in.Media, now); err != nil {
			return err
		}
		if !in.FanOutNow {
			return s.enqueue(ctx, tx, FanOutArgs{StatusID: st.ID})
		}
		// Most authors have few followers here: their home timelines get
		// the post in this same transaction (one commit on SQLite's one
		// writer instead of two); larger audiences go batch by batch.
		followers, err := tx.LocalFollowersOf(ctx, author.ID, 0, fanOutBatch)
		if err != nil || len(followers) == fanOutBatch {
			return err
		}
		fanned = &fannedOut{}
		*fanned, err = s.fanOutBatchTx(ctx, tx, followers, st, author, st, author)
		postAuthor = author
		return err
	})
	if err != nil {
		// Two deliveries of the same post raced: the other one stored it.
		if existing, e := s.st.Read().StatusByURI(ctx, in.URI); e == nil {
			return existing, s.fanOutNow(ctx, in, existing)
		}
		return nil, err
	}
	if fanned == nil {
		return st, s.fanOutNow(ctx, in, st)
	}
	if err := s.afterFanOutBatch(ctx, st, postAuthor, *fanned); err != nil {
		return st, err
	}
	return st, s.fanOutBeyondFollowers(ctx, st, postAuthor, st)
}

// fanOutNow runs the fan-out of a remote post in the caller's job when it
// asked for that (RemoteStatusInput.FanOutNow).
func (s *Service) fanOutNow(ctx context.Context, in RemoteStatusInput, st *model.Status) error {
	if !in.FanOutNow {
		return nil
	}
	if err := s.RunFanOut(ctx, FanOutArgs{StatusID: st.ID}); err != nil {
		return fmt.Errorf("fan out %s: %w", st.URI, err)
	}
	return nil
}

func containsID(ids []int64, id int64) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}

// UpdateRemoteStatus applies an edit of a remote post by its author,
// keeping the edit history as for local posts.
func (s *Service) UpdateRemoteStatus(ctx context.Context, in RemoteStatusInput) error {
	now := s.clock()
	if err := in.clean(now); err != nil {
		return err
	}
	var st *model.Status
	var added []int64
	var gone []*model.Media // attachments the edit removed: their files go after the commit
	err := s.st.InTx(ctx, func(tx *store.Tx) error {
		var err error
		st, err = tx.StatusByURI(ctx, in.URI)
		if err != nil {
			return err
		}
		if st.AccountID != in.AuthorID || st.Local || st.DeletedAt != nil || st.IsReblog() {
			return model.NotFound("status")
		}
		if st.EditedAt == nil {
			if err := tx.InsertStatusEdit(ctx, &model.StatusEdit{ID: s.newID(), StatusID: st.ID, AccountID: st.AccountID,
				Text: st.Text, ContentHTML: st.ContentHTML, SpoilerText: st.SpoilerText, Sensitive: st.Sensitive,
				CreatedAt: st.CreatedAt}); err != nil {
				return err
			}
		}
		edited := now
		if in.EditedAt != nil && !in.EditedAt.After(now) {
			edited = *in.EditedAt
		}
		st.Text, st.ContentHTML, st.SpoilerText = text.HTMLToText(in.ContentHTML), in.ContentHTML, in.SpoilerText
		st.Sensitive = in.Sensitive || in.SpoilerText != ""
		st.Language = in.Language
		st.EditedAt = &edited
		if err := tx.UpdateStatusContent(ctx, st); err != nil {
			return err
		}
		if err := tx.InsertStatusEdit(ctx, &model.StatusEdit{ID: s.newID(), StatusID: st.ID, AccountID: st.AccountID,
			Text: st.Text, ContentHTML: st.ContentHTML, SpoilerText: st.SpoilerText, Sensitive: st.Sensitive,
			CreatedAt: edited}); err != nil {
			return err
		}
		var mentions []int64
		for _, id := range in.MentionIDs {
			if id != st.AccountID && !containsID(mentions, id) {
				mentions = append(mentions, id)
			}
			if !containsID(st.Mentions, id) {
				added = append(added, id)
			}
		}
		if st.InReplyToAccountID != 0 && st.InReplyToAccountID != st.AccountID && !containsID(mentions, st.InReplyToAccountID) {
			mentions = append(mentions, st.InReplyToAccountID)
		}
		if err := tx.SetMentions(ctx, st.ID, mentions); err != nil {
			return err
		}
		tagIDs, err := s.tagIDs(ctx, tx, in.Tags, now)
		if err != nil {
			return err
		}
		if err := tx.SetTags(ctx, st.ID, tagIDs); err != nil {
			return err
		}
		if gone, err = s.replaceRemoteMediaTx(ctx, tx, st, in.Media, now); err != nil {
			return err
		}
		return s.enqueue(ctx, tx, StatusEditedArgs{StatusID: st.ID, NewMentionIDs: added})
	})
	if err != nil {
		return err
	}
	for _, m := range gone {
		s.removeMediaFiles(ctx, m)
	}
	s.publish(ctx, Event{Kind: "status.update", AccountID: st.AccountID, StatusID: st.ID})
	return nil
}

// DeleteRemoteObject applies a remote account's Delete of one of its posts
// or boosts, named by id. Deleting what is unknown (or not the actor's) is
// nothing: a Delete often arrives for posts this server never saw.
func (s *Service) DeleteRemoteObject(ctx context.Context, actorID int64, uri string) error {
	st, err := s.st.Read().StatusByURI(ctx, uri)
	if isNotFound(err) {
		return nil
	}
	if err != nil {
		return err
	}
	if st.AccountID != actorID || st.Local {
		return nil
	}
	if st.IsReblog() {
		_, err := s.Unreblog(ctx, actorID, st.ReblogOfID)
		if errors.Is(err, model.ErrNotFound) {
			return nil
		}
		return err
	}
	if st.DeletedAt != nil {
		return nil
	}
	err = s.st.InTx(ctx, func(tx *store.Tx) error {
		if err := s.deleteStatusTx(ctx, tx, st); err != nil {
			return err
		}
		return s.enqueue(ctx, tx, StatusDeletedArgs{StatusID: st.ID})
	})
	if err != nil {
		return err
	}
	s.publish(ctx, Event{Kind: "delete", AccountID: actorID, StatusID: st.ID})
	return nil
}

// UndoRemoteReblog applies the Undo of a remote account's Announce (id uri).
func (s *Service) UndoRemoteReblog(ctx context.Context, actorID int64, uri string) error {
	return s.DeleteRemoteObject(ctx, actorID, uri)
}

// DeleteRemoteAccount applies a remote actor's Delete of itself: the
// account is marked deleted and a job removes what it left here.
func (s *Service) DeleteRemoteAccount(ctx context.Context, accountID int64) error {
	return s.st.InTx(ctx, func(tx *store.Tx) error {
		a, err := tx.AccountByID(ctx, accountID)
		if err != nil {
			return err
		}
		if a.Local() || a.DeletedAt != nil {
			return nil
		}
		if err := tx.MarkAccountDeleted(ctx, accountID, s.clock()); err != nil {
			return err
		}
		return s.enqueue(ctx, tx, DeleteAccountArgs{AccountID: accountID})
	})
}

// RemoteFollowAccepted applies a remote account's Accept of a local
// member's follow request.
func (s *Service) RemoteFollowAccepted(ctx context.Context, remoteID, localID int64) error {
	return s.st.InTx(ctx, func(tx *store.Tx) error {
		err := s.authorizeTx(ctx, tx, remoteID, localID)
		if isNotFound(err) {
			return nil // accepted already, or withdrawn meanwhile
		}
		return err
	})
}

// RemoteFollowRejected applies a remote account's Reject of a local
// member's follow (pending or accepted: a server may remove a follower).
func (s *Service) RemoteFollowRejected(ctx context.Context, remoteID, localID int64) error {
	return s.st.InTx(ctx, func(tx *store.Tx) error {
		if _, err := tx.DeleteFollowRequest(ctx, localID, remoteID); err != nil {
			return err
		}
		return s.deleteFollowTx(ctx, tx, localID, remoteID)
	})
}

// RemoteUnfavourite applies the Undo of a remote account's Like.
func (s *Service) RemoteUnfavourite(ctx context.Context, accountID, statusID int64) error {
	_, err := s.Unfavourite(ctx, accountID, statusID)
	if errors.Is(err, model.ErrNotFound) {
		return nil
	}
	return err
}

// UndoRemoteByURI applies an Undo that names the undone activity by id
// only (Pleroma's way): a boost (its status keeps the Announce's id), a
// follow (it keeps the Follow's id) or a like (it keeps the Like's or
// EmojiReact's id). What is not found, or not the actor's, is nothing.
func (s *Service) UndoRemoteByURI(ctx context.Context, actorID int64, uri string) error {
	if statusID, err := s.st.Read().FavouritedStatusByURI(ctx, actorID, uri); err == nil {
		return s.RemoteUnfavourite(ctx, actorID, statusID)
	} else if !isNotFound(err) {
		return err
	}
	if follower, target, err := s.st.Read().FollowPairByURI(ctx, uri); err == nil {
		if follower != actorID {
			return nil
		}
		_, err := s.Unfollow(ctx, actorID, target)
		return err
	} else if !isNotFound(err) {
		return err
	}
	return s.DeleteRemoteObject(ctx, actorID, uri)
}
