package service

import (
	"context"
	"errors"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"weft/internal/model"
	"weft/internal/store"
	"weft/internal/text"
)

// PostInput is a new post.
type PostInput struct {
	Text        string
	SpoilerText string // content warning
	Sensitive   bool
	Language    string           // ISO 639 code, optional
	Visibility  model.Visibility // "" = public, or for a reply the parent's when narrower
	InReplyToID int64
	MediaIDs    []int64 // uploads to attach, in order (at most 4)
	// IdempotencyKey: a retry with the same key within an hour returns the
	// post the first request made instead of posting twice (Mastodon's
	// Idempotency-Key header).
	IdempotencyKey string
}

var languageRE = regexp.MustCompile(`^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$`)

// maxSpoiler bounds a content warning on its own; together with the text it
// also counts against the post limit, as on Mastodon.
const maxSpoiler = 500

func (s *Service) validatePostText(body, spoiler, language string, hasMedia bool) error {
	if strings.TrimSpace(body) == "" && !hasMedia {
		return model.Invalid("status", "can't be blank")
	}
	if !utf8.ValidString(body) || !utf8.ValidString(spoiler) {
		return model.Invalid("status", "is not valid UTF-8")
	}
	if utf8.RuneCountInString(spoiler) > maxSpoiler {
		return model.Invalid("spoiler_text", "is too long (maximum is %d characters)", maxSpoiler)
	}
	if n := text.Length(body) + utf8.RuneCountInString(spoiler); n > s.cfg.MaxPostChars {
		return model.Invalid("status", "is too long (%d characters, maximum is %d)", n, s.cfg.MaxPostChars)
	}
	if language != "" && !languageRE.MatchString(language) {
		return model.Invalid("language", "must be an ISO 639 language code")
	}
	return nil
}

// CreatePost publishes a post (or a reply) and enqueues its fan-out in the
// same transaction. The author sees it in their own home timeline at once.
func (s *Service) CreatePost(ctx context.Context, authorID int64, in PostInput) (*StatusView, error) {
	in.Text = strings.TrimSpace(in.Text) // as Mastodon: the stored source has no outer blank lines
	in.SpoilerText = strings.TrimSpace(in.SpoilerText)
	if in.Visibility != "" {
		if _, err := model.ParseVisibility(string(in.Visibility)); err != nil {
			return nil, err
		}
	}
	if err := s.validatePostText(in.Text, in.SpoilerText, in.Language, len(in.MediaIDs) > 0); err != nil {
		return nil, err
	}
	s.resolveMentions(ctx, authorID, in.Text)
	var st *model.Status
	err := s.st.InTx(ctx, func(tx *store.Tx) error {
		author, err := s.activeLocalAccount(ctx, tx.Queries, authorID)
		if err != nil {
			return err
		}
		now := s.clock()
		st = &model.Status{
			ID: s.newID(), AccountID: author.ID, Text: in.Text, SpoilerText: in.SpoilerText,
			Sensitive: in.Sensitive || in.SpoilerText != "", Language: in.Language, Visibility: in.Visibility,
			Local: true, CreatedAt: now,
		}
		if st.Visibility == "" {
			st.Visibility = model.Public
		}
		st.ThreadID, st.ConversationID = st.ID, st.ID
		if err := s.claimKey(ctx, tx, author.ID, in.IdempotencyKey, st.ID); err != nil {
			return err
		}
		var parentAuthor int64
		if in.InReplyToID != 0 {
			parent, _, err := s.visibleStatus(ctx, tx.Queries, author.ID, in.InReplyToID)
			if err != nil {
				return model.Errorf(model.ErrNotFound, "in_reply_to_id", "the post you reply to does not exist or is not visible to you")
			}
			if parent.IsReblog() {
				return model.Invalid("in_reply_to_id", "cannot reply to a boost; reply to the post")
			}
			if err := checkSharesFor(author, parent); err != nil {
				return err
			}
			if in.Visibility == "" {
				// A reply whose visibility was not given is not wider than
				// its parent: answering a followers-only or direct post must
				// not publish the conversation by default.
				st.Visibility = narrower(model.Public, parent.Visibility)
			}
			st.InReplyToID, st.InReplyToAccountID = parent.ID, parent.AccountID
			st.ThreadID, st.ConversationID = parent.ThreadID, parent.ConversationID
			parentAuthor = parent.AccountID
		}
		r, err := s.render(ctx, tx.Queries, in.Text)
		if err != nil {
			return err
		}
		st.ContentHTML = r.HTML
		mentions := replyMentions(r.Mentions, author.ID, parentAuthor)
		st.Mentions = mentions
		media, err := attachableMedia(ctx, tx.Queries, author.ID, 0, in.MediaIDs)
		if err != nil {
			return err
		}
		if err := s.insertPostTx(ctx, tx, st, r.Tags, now); err != nil {
			return err
		}
		if err := attachMediaTx(ctx, tx, st, media, now); err != nil {
			return err
		}
		if _, err := tx.InsertFeedEntry(ctx, store.FeedEntry{AccountID: author.ID, EntryID: st.ID, ObjectID: st.ID, AuthorID: author.ID}, 0); err != nil {
			return err
		}
		if err := s.federate(ctx, tx, author, FederateArgs{Verb: VerbCreate, StatusID: st.ID}); err != nil {
			return err
		}
		return s.enqueue(ctx, tx, FanOutArgs{StatusID: st.ID})
	})
	if errors.Is(err, errKeyUsed) {
		return s.postForKey(ctx, authorID, in.IdempotencyKey)
	}
	if err != nil {
		return nil, err
	}
	s.publish(ctx, Event{Kind: "update", AccountID: authorID, StatusID: st.ID})
	return s.statusView(ctx, s.st.Read(), authorID, st)
}

// insertPostTx stores a new post (st.Mentions set) with its tags, and
// counts it on its author and its parent.
func (s *Service) insertPostTx(ctx context.Context, tx *store.Tx, st *model.Status, tags []string, now time.Time) error {
	if err := tx.InsertStatus(ctx, st); err != nil {
		return err
	}
	if err := tx.AddMentions(ctx, st.ID, st.Mentions); err != nil {
		return err
	}
	tagIDs, err := s.tagIDs(ctx, tx, tags, now)
	if err != nil {
		return err
	}
	if err := tx.AddTags(ctx, st.ID, tagIDs); err != nil {
		return err
	}
	st.Tags = tags
	if err := tx.RecordPost(ctx, st.AccountID, st.CreatedAt); err != nil {
		return err
	}
	if st.InReplyToID != 0 {
		return tx.AdjustStatusCounts(ctx, st.InReplyToID, 1, 0, 0)
	}
	return nil
}

// replyMentions lists the mentioned accounts' IDs, without the author.
// A reply also reaches the author it answers (repliedTo, 0 for a post that
// is no reply), as on Threads: they are mentioned, and notified, even when
// the text does not name them.
func replyMentions(accounts []*model.Account, authorID, repliedTo int64) []int64 {
	var ids []int64
	for _, a := range accounts {
		if a.ID != authorID && !slices.Contains(ids, a.ID) {
			ids = append(ids, a.ID)
		}
	}
	if repliedTo != 0 && repliedTo != authorID && !slices.Contains(ids, repliedTo) {
		ids = append(ids, repliedTo)
	}
	return ids
}

// tagIDs finds or creates the tags named in a post.
func (s *Service) tagIDs(ctx context.Context, tx *store.Tx, names []string, now time.Time) ([]int64, error) {
	ids := make([]int64, 0, len(names))
	for _, name := range names {
		id, err := tx.TagID(ctx, name, text.TagKey(name), tagIDOf(text.TagKey(name)), now)
		if err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, nil
}

// activeLocalAccount loads an account that may act: local, not suspended, not deleted.
func (s *Service) activeLocalAccount(ctx context.Context, q store.Queries, id int64) (*model.Account, error) {
	a, err := q.AccountByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if a.Gone() {
		return nil, model.Errorf(model.ErrSuspended, "", "this account is suspended")
	}
	if !a.Local() {
		return nil, model.Errorf(model.ErrForbidden, "", "only local accounts can do this")
	}
	return a, nil
}

// activeAccount loads an account that may act, local or remote (federation
// applies remote accounts' actions through the same methods).
func (s *Service) activeAccount(ctx context.Context, q store.Queries, id int64) (*model.Account, error) {
	a, err := q.AccountByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if a.Gone() {
		return nil, model.Errorf(model.ErrSuspended, "", "this account is suspended")
	}
	return a, nil
}
