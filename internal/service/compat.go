package service

import (
	"context"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"weft/internal/model"
	"weft/internal/store"
	"weft/internal/text"
)

// Featured hashtags, the domains an account blocks and follow suggestions:
// what Mastodon apps read about an account beyond the core.

// MaxFeaturedTags is how many hashtags an account may feature, as on
// Mastodon (and as the instance document says).
const MaxFeaturedTags = 10

const (
	featuredTagSuggestions = 10  // GET /api/v1/featured_tags/suggestions, as on Mastodon
	featuredTagScan        = 200 // the newest posts whose hashtags it suggests
)

// FeaturedTags lists the hashtags an account features, the most used
// first, with the account. Anyone may read them who may see the account.
func (s *Service) FeaturedTags(ctx context.Context, viewer, accountID int64) (*model.Account, []*model.FeaturedTag, error) {
	acc, err := s.Account(ctx, viewer, accountID)
	if err != nil {
		return nil, nil, err
	}
	list, err := s.st.Read().FeaturedTags(ctx, accountID)
	if err != nil {
		return nil, nil, err
	}
	slices.SortStableFunc(list, func(a, b *model.FeaturedTag) int {
		switch {
		case a.StatusesCount > b.StatusesCount:
			return -1
		case a.StatusesCount < b.StatusesCount:
			return 1
		}
		return 0
	})
	return acc, list, nil
}

// FeatureTag features a hashtag on the viewer's profile. A name that
// cannot be a hashtag is invalid; featuring one again gives ErrAlready
// with it (Mastodon answers 422); at most MaxFeaturedTags.
func (s *Service) FeatureTag(ctx context.Context, viewer int64, name string) (*model.FeaturedTag, error) {
	name = strings.TrimPrefix(strings.TrimSpace(name), "#")
	if name == "" {
		return nil, model.Invalid("name", "can't be blank")
	}
	if !text.ValidTagName(name) {
		return nil, model.Invalid("name", "is not a valid hashtag")
	}
	var tagID int64
	err := s.st.InTx(ctx, func(tx *store.Tx) error {
		if _, err := s.activeLocalAccount(ctx, tx.Queries, viewer); err != nil {
			return err
		}
		now := s.clock()
		var err error
		if tagID, err = tx.TagID(ctx, name, text.TagKey(name), tagIDOf(text.TagKey(name)), now); err != nil {
			return err
		}
		featured, err := tx.FeaturedTagIDs(ctx, viewer, []int64{tagID})
		if err != nil {
			return err
		}
		if featured[tagID] {
			return model.Errorf(model.ErrAlready, "name", "is already featured")
		}
		n, err := tx.CountFeaturedTags(ctx, viewer)
		if err != nil {
			return err
		}
		if n >= MaxFeaturedTags {
			return model.Errorf(model.ErrLimit, "", "You can feature at most %d hashtags", MaxFeaturedTags)
		}
		_, err = tx.InsertFeaturedTag(ctx, s.newID(), viewer, tagID, now)
		return err
	})
	if err != nil {
		return nil, err
	}
	list, err := s.st.Read().FeaturedTags(ctx, viewer)
	if err != nil {
		return nil, err
	}
	for _, f := range list {
		if f.Tag.ID == tagID {
			return f, nil
		}
	}
	return nil, model.NotFound("featured tag") // unfeatured at once by another request
}

// UnfeatureTag removes one of the viewer's featured hashtags by its
// featured tag ID; ErrNotFound when they have none by that ID.
func (s *Service) UnfeatureTag(ctx context.Context, viewer, id int64) error {
	return s.st.InTx(ctx, func(tx *store.Tx) error {
		removed, err := tx.DeleteFeaturedTag(ctx, viewer, id, 0)
		if err == nil && !removed {
			err = model.NotFound("featured tag")
		}
		return err
	})
}

// UnfeatureTagNamed stops featuring a hashtag by its name; harmless when
// the viewer does not feature it (Mastodon's POST /api/v1/tags/:name/unfeature).
func (s *Service) UnfeatureTagNamed(ctx context.Context, viewer int64, name string) error {
	return s.st.InTx(ctx, func(tx *store.Tx) error {
		t, err := s.tagByName(ctx, tx.Queries, name)
		if err != nil || t.ID == 0 {
			return err
		}
		_, err = tx.DeleteFeaturedTag(ctx, viewer, 0, t.ID)
		return err
	})
}

// FeaturedTagSuggestions suggests hashtags for the viewer to feature: those
// of their newest posts, the most used first, not featured yet.
func (s *Service) FeaturedTagSuggestions(ctx context.Context, viewer int64) ([]*TagView, error) {
	q := s.st.Read()
	tags, err := q.RecentTagsOf(ctx, viewer, featuredTagScan, featuredTagSuggestions)
	if err != nil {
		return nil, err
	}
	return s.tagViews(ctx, q, viewer, tags)
}

// FeaturedTagIDs reports which of the tags the viewer features (for the
// Tag entity's "featuring").
func (s *Service) FeaturedTagIDs(ctx context.Context, viewer int64, tagIDs []int64) (map[int64]bool, error) {
	return s.st.Read().FeaturedTagIDs(ctx, viewer, tagIDs)
}

// DomainBlockList is a page of the domains the viewer blocks, with the row
// IDs that paginate it.
type DomainBlockList = store.DomainBlockPage

// normalizeDomain checks and normalises a domain given by a client: a
// host name, or a URL whose host is taken, in lower case.
func (s *Service) normalizeDomain(raw string) (string, error) {
	d := strings.TrimSpace(raw)
	if d == "" {
		return "", model.Invalid("domain", "can't be blank")
	}
	if strings.Contains(d, "://") {
		if u, err := url.Parse(d); err == nil && u.Hostname() != "" {
			d = u.Hostname()
		}
	}
	d = strings.TrimSuffix(strings.ToLower(d), ".")
	// host:port names one server among several on a host (as admins'
	// blocks do); the host is checked as a name.
	host, port, hasPort := strings.Cut(d, ":")
	if hasPort {
		if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 || strconv.Itoa(n) != port {
			return "", model.Invalid("domain", "is not a valid domain name")
		}
	}
	valid := host != "" && len(host) <= 253
	for _, label := range strings.Split(host, ".") {
		if label == "" || len(label) > 63 || strings.HasPrefix(label, "-") || strings.HasSuffix(label, "-") {
			valid = false
		}
		for _, r := range label {
			if r != '-' && !unicode.IsLetter(r) && !unicode.IsDigit(r) {
				valid = false
			}
		}
	}
	if !valid {
		return "", model.Invalid("domain", "is not a valid domain name")
	}
	if s.localDomain(d) {
		return "", model.Invalid("domain", "is this server's own domain")
	}
	return d, nil
}

// BlockDomain records that the viewer blocks a domain; blocking it again
// is harmless. The block is stored and listed; what it hides (posts,
// notifications and followers from that domain) applies once weft federates.
func (s *Service) BlockDomain(ctx context.Context, viewer int64, domain string) error {
	d, err := s.normalizeDomain(domain)
	if err != nil {
		return err
	}
	return s.st.InTx(ctx, func(tx *store.Tx) error {
		if _, err := s.activeLocalAccount(ctx, tx.Queries, viewer); err != nil {
			return err
		}
		return tx.InsertAccountDomainBlock(ctx, s.newID(), viewer, d, s.clock())
	})
}

// UnblockDomain lifts the viewer's block of a domain; harmless when there is none.
func (s *Service) UnblockDomain(ctx context.Context, viewer int64, domain string) error {
	d, err := s.normalizeDomain(domain)
	if err != nil {
		return err
	}
	return s.st.InTx(ctx, func(tx *store.Tx) error { return tx.DeleteAccountDomainBlock(ctx, viewer, d) })
}

// DomainBlocks pages the domains the viewer blocks, newest block first.
func (s *Service) DomainBlocks(ctx context.Context, viewer int64, p model.Page) (DomainBlockList, error) {
	return s.st.Read().AccountDomainBlocks(ctx, viewer, p.Clamp(200))
}

// Suggestions suggests local accounts for the viewer to follow: the most
// followed discoverable ones they do not follow, block, are blocked by,
// mute or dismissed (Mastodon's "most followed" source).
func (s *Service) Suggestions(ctx context.Context, viewer int64, limit int) ([]*model.Account, error) {
	q := s.st.Read()
	ids, err := q.SuggestedAccountIDs(ctx, viewer, max(1, min(limit, 80)), s.clock())
	if err != nil {
		return nil, err
	}
	byID, err := q.AccountsByIDs(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make([]*model.Account, 0, len(ids))
	for _, id := range ids {
		if a := byID[id]; a != nil {
			out = append(out, a)
		}
	}
	return out, nil
}

// DismissSuggestion stops suggesting an account to the viewer. As on
// Mastodon it succeeds whatever the ID; IDs of no account are ignored.
func (s *Service) DismissSuggestion(ctx context.Context, viewer, accountID int64) error {
	return s.st.InTx(ctx, func(tx *store.Tx) error {
		if _, err := tx.AccountByID(ctx, accountID); err != nil {
			if isNotFound(err) {
				return nil
			}
			return err
		}
		return tx.DismissSuggestion(ctx, viewer, accountID, s.clock())
	})
}
