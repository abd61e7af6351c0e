package service

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"

	"weft/internal/model"
	"weft/internal/store"
)

// FilterInput creates or changes a filter; nil fields keep their value (or
// take the default, for a new filter: warn, never expires).
type FilterInput struct {
	Title   *string
	Context *[]string
	Action  *string
	// ExpiresIn sets the expiry that many seconds from now; 0 means never.
	ExpiresIn *int64
	// Keywords to add, change (with ID) or remove (with ID and Destroy).
	Keywords []KeywordInput
}

// KeywordInput adds or changes a keyword; nil fields keep their value (a
// new keyword needs its phrase; whole_word defaults to true, as on Mastodon).
type KeywordInput struct {
	ID        int64 // 0 for a new keyword
	Keyword   *string
	WholeWord *bool
	Destroy   bool // remove the keyword ID (ignored without an ID)
}

func (in FilterInput) apply(f *model.Filter, now time.Time) error {
	if in.Title != nil {
		title := strings.TrimSpace(*in.Title)
		if title == "" {
			return model.Invalid("title", "can't be blank")
		}
		if !utf8.ValidString(title) || utf8.RuneCountInString(title) > model.MaxFilterTitle {
			return model.Invalid("title", "is too long (maximum is %d characters)", model.MaxFilterTitle)
		}
		f.Title = title
	}
	if in.Context != nil {
		cs, err := model.ParseFilterContexts(*in.Context)
		if err != nil {
			return err
		}
		f.Context = cs
	}
	if in.Action != nil {
		a, err := model.ParseFilterAction(*in.Action)
		if err != nil {
			return err
		}
		f.Action = a
	}
	if in.ExpiresIn != nil {
		exp, err := expiry(*in.ExpiresIn, now)
		if err != nil {
			return err
		}
		f.ExpiresAt = exp
	}
	return nil
}

// expiry turns expires_in into a time; 0 means never.
func expiry(seconds int64, now time.Time) (*time.Time, error) {
	if seconds == 0 {
		return nil, nil
	}
	if seconds < 0 || seconds > int64(model.MaxFilterExpiresIn/time.Second) {
		return nil, model.Invalid("expires_in", "must be a number of seconds from now")
	}
	t := now.Add(time.Duration(seconds) * time.Second)
	return &t, nil
}

func (in KeywordInput) apply(k *model.FilterKeyword) error {
	if in.Keyword != nil {
		kw := *in.Keyword
		if strings.TrimSpace(kw) == "" {
			return model.Invalid("keyword", "can't be blank")
		}
		if !utf8.ValidString(kw) || utf8.RuneCountInString(kw) > model.MaxFilterKeyword {
			return model.Invalid("keyword", "is too long (maximum is %d characters)", model.MaxFilterKeyword)
		}
		k.Keyword = kw
	}
	setBool(&k.WholeWord, in.WholeWord)
	return nil
}

// newKeyword checks a keyword to add to filter f.
func (s *Service) newKeyword(f *model.Filter, in KeywordInput) (*model.FilterKeyword, error) {
	if in.Keyword == nil {
		return nil, model.Invalid("keyword", "can't be blank")
	}
	k := &model.FilterKeyword{FilterID: f.ID, WholeWord: true}
	if err := in.apply(k); err != nil {
		return nil, err
	}
	k.ID, k.CreatedAt = s.newID(), s.clock()
	return k, nil
}

// Filters returns the owner's filters with their keywords and posts,
// oldest first.
func (s *Service) Filters(ctx context.Context, owner int64) ([]*model.Filter, error) {
	return s.st.Read().FiltersOf(ctx, owner)
}

// Filter returns one of the owner's filters; ErrNotFound for anyone else's.
func (s *Service) Filter(ctx context.Context, owner, id int64) (*model.Filter, error) {
	return s.st.Read().Filter(ctx, owner, id)
}

// CreateFilter makes a filter with its keywords; a title and a context are
// required. Naming an existing keyword (an ID) is "not found", as on
// Mastodon; keywords marked for removal are skipped.
func (s *Service) CreateFilter(ctx context.Context, owner int64, in FilterInput) (*model.Filter, error) {
	if in.Title == nil {
		return nil, model.Invalid("title", "can't be blank")
	}
	if in.Context == nil {
		return nil, model.Invalid("context", "can't be blank")
	}
	var id int64
	err := s.st.InTx(ctx, func(tx *store.Tx) error {
		f, err := s.insertFilter(ctx, tx, owner, in)
		if err == nil {
			id = f.ID
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return s.st.Read().Filter(ctx, owner, id)
}

// insertFilter checks and stores a new filter and its keywords.
func (s *Service) insertFilter(ctx context.Context, tx *store.Tx, owner int64, in FilterInput) (*model.Filter, error) {
	now := s.clock()
	f := &model.Filter{AccountID: owner, Action: model.FilterWarn}
	if err := in.apply(f, now); err != nil {
		return nil, err
	}
	f.ID, f.CreatedAt = s.newID(), now
	var kws []*model.FilterKeyword
	for _, ki := range in.Keywords {
		if ki.ID != 0 {
			return nil, model.NotFound("filter keyword")
		}
		if ki.Destroy {
			continue
		}
		k, err := s.newKeyword(f, ki)
		if err != nil {
			return nil, err
		}
		kws = append(kws, k)
	}
	if len(kws) > model.MaxFilterKeywords {
		return nil, model.Errorf(model.ErrLimit, "keywords_attributes", "a filter cannot have more than %d keywords", model.MaxFilterKeywords)
	}
	if _, err := s.activeLocalAccount(ctx, tx.Queries, owner); err != nil {
		return nil, err
	}
	n, err := tx.CountFilters(ctx, owner)
	if err != nil {
		return nil, err
	}
	if n >= model.MaxFilters {
		return nil, model.Errorf(model.ErrLimit, "", "you cannot have more than %d filters", model.MaxFilters)
	}
	if err := tx.InsertFilter(ctx, f); err != nil {
		return nil, err
	}
	for _, k := range kws {
		if err := tx.InsertFilterKeyword(ctx, k); err != nil {
			return nil, err
		}
	}
	f.Keywords = kws
	return f, nil
}

// UpdateFilter changes a filter and adds, changes or removes its keywords.
// A keyword ID that is not one of the filter's is "not found"; nothing
// changes then.
func (s *Service) UpdateFilter(ctx context.Context, owner, id int64, in FilterInput) (*model.Filter, error) {
	err := s.st.InTx(ctx, func(tx *store.Tx) error {
		f, err := tx.Filter(ctx, owner, id)
		if err != nil {
			return err
		}
		if err := in.apply(f, s.clock()); err != nil {
			return err
		}
		if err := tx.UpdateFilter(ctx, f); err != nil {
			return err
		}
		byID := make(map[int64]*model.FilterKeyword, len(f.Keywords))
		for _, k := range f.Keywords {
			byID[k.ID] = k
		}
		count := len(f.Keywords)
		for _, ki := range in.Keywords {
			switch k := byID[ki.ID]; {
			case ki.ID == 0 && ki.Destroy:
			case ki.ID == 0:
				k, err := s.newKeyword(f, ki)
				if err != nil {
					return err
				}
				if err := tx.InsertFilterKeyword(ctx, k); err != nil {
					return err
				}
				count++
			case k == nil:
				return model.NotFound("filter keyword")
			case ki.Destroy:
				if err := tx.DeleteFilterKeyword(ctx, f.ID, k.ID); err != nil {
					return err
				}
				delete(byID, k.ID)
				count--
			default:
				if err := ki.apply(k); err != nil {
					return err
				}
				if err := tx.UpdateFilterKeyword(ctx, k); err != nil {
					return err
				}
			}
		}
		if count > model.MaxFilterKeywords {
			return model.Errorf(model.ErrLimit, "keywords_attributes", "a filter cannot have more than %d keywords", model.MaxFilterKeywords)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return s.st.Read().Filter(ctx, owner, id)
}

// DeleteFilter removes a filter with its keywords and posts.
func (s *Service) DeleteFilter(ctx context.Context, owner, id int64) error {
	return s.st.InTx(ctx, func(tx *store.Tx) error {
		deleted, err := tx.DeleteFilter(ctx, owner, id)
		if err == nil && !deleted {
			err = model.NotFound("filter")
		}
		return err
	})
}

// FilterKeywords returns the keywords of one of the owner's filters.
func (s *Service) FilterKeywords(ctx context.Context, owner, filterID int64) ([]*model.FilterKeyword, error) {
	f, err := s.st.Read().Filter(ctx, owner, filterID)
	if err != nil {
		return nil, err
	}
	return f.Keywords, nil
}

// AddFilterKeyword adds a keyword to one of the owner's filters.
func (s *Service) AddFilterKeyword(ctx context.Context, owner, filterID int64, in KeywordInput) (*model.FilterKeyword, error) {
	var k *model.FilterKeyword
	err := s.st.InTx(ctx, func(tx *store.Tx) error {
		f, err := tx.Filter(ctx, owner, filterID)
		if err != nil {
			return err
		}
		if k, err = s.newKeyword(f, in); err != nil {
			return err
		}
		if len(f.Keywords) >= model.MaxFilterKeywords {
			return model.Errorf(model.ErrLimit, "", "a filter cannot have more than %d keywords", model.MaxFilterKeywords)
		}
		return tx.InsertFilterKeyword(ctx, k)
	})
	return k, err
}

// FilterKeyword returns a keyword of one of the owner's filters.
func (s *Service) FilterKeyword(ctx context.Context, owner, id int64) (*model.FilterKeyword, error) {
	return s.st.Read().FilterKeyword(ctx, owner, id)
}

// UpdateFilterKeyword changes a keyword of one of the owner's filters.
func (s *Service) UpdateFilterKeyword(ctx context.Context, owner, id int64, in KeywordInput) (*model.FilterKeyword, error) {
	var k *model.FilterKeyword
	err := s.st.InTx(ctx, func(tx *store.Tx) error {
		var err error
		if k, err = tx.FilterKeyword(ctx, owner, id); err != nil {
			return err
		}
		if err := in.apply(k); err != nil {
			return err
		}
		return tx.UpdateFilterKeyword(ctx, k)
	})
	return k, err
}

// DeleteFilterKeyword removes a keyword of one of the owner's filters.
func (s *Service) DeleteFilterKeyword(ctx context.Context, owner, id int64) error {
	return s.st.InTx(ctx, func(tx *store.Tx) error {
		k, err := tx.FilterKeyword(ctx, owner, id)
		if err != nil {
			return err
		}
		return tx.DeleteFilterKeyword(ctx, k.FilterID, k.ID)
	})
}

// FilterStatuses returns the posts of one of the owner's filters.
func (s *Service) FilterStatuses(ctx context.Context, owner, filterID int64) ([]*model.FilterStatus, error) {
	f, err := s.st.Read().Filter(ctx, owner, filterID)
	if err != nil {
		return nil, err
	}
	return f.Statuses, nil
}

// AddFilterStatus adds a post the owner may see to one of their filters.
// A post they may not see is refused like one that does not exist.
func (s *Service) AddFilterStatus(ctx context.Context, owner, filterID, statusID int64) (*model.FilterStatus, error) {
	if statusID == 0 {
		return nil, model.Invalid("status_id", "can't be blank")
	}
	var fs *model.FilterStatus
	err := s.st.InTx(ctx, func(tx *store.Tx) error {
		f, err := tx.Filter(ctx, owner, filterID)
		if err != nil {
			return err
		}
		if _, _, err := s.visibleStatus(ctx, tx.Queries, owner, statusID); err != nil {
			if isNotFound(err) {
				return model.Invalid("status_id", "must exist")
			}
			return err
		}
		if len(f.Statuses) >= model.MaxFilterStatuses {
			return model.Errorf(model.ErrLimit, "", "a filter cannot have more than %d posts", model.MaxFilterStatuses)
		}
		fs = &model.FilterStatus{ID: s.newID(), FilterID: f.ID, StatusID: statusID, CreatedAt: s.clock()}
		added, err := tx.InsertFilterStatus(ctx, fs)
		if err == nil && !added {
			err = model.Invalid("status_id", "has already been taken")
		}
		return err
	})
	return fs, err
}

// FilterStatus returns a post of one of the owner's filters.
func (s *Service) FilterStatus(ctx context.Context, owner, id int64) (*model.FilterStatus, error) {
	return s.st.Read().FilterStatus(ctx, owner, id)
}

// DeleteFilterStatus removes a post from one of the owner's filters.
func (s *Service) DeleteFilterStatus(ctx context.Context, owner, id int64) error {
	return s.st.InTx(ctx, func(tx *store.Tx) error {
		fs, err := tx.FilterStatus(ctx, owner, id)
		if err != nil {
			return err
		}
		return tx.DeleteFilterStatus(ctx, fs.FilterID, fs.ID)
	})
}

// V1Filter is a filter as Mastodon's v1 API shows it: one keyword with its
// filter's context, action and expiry.
type V1Filter struct {
	Keyword *model.FilterKeyword
	Filter  *model.Filter
}

// V1FilterInput is the v1 API's filter: a phrase with its options; nil
// fields keep their value. Irreversible is the hide action.
type V1FilterInput struct {
	Phrase       *string
	Context      *[]string
	Irreversible *bool
	WholeWord    *bool
	ExpiresIn    *int64 // as FilterInput's
}

// V1Filters returns every keyword of the owner's filters as a v1 filter,
// oldest first. Filters without keywords have no v1 form.
func (s *Service) V1Filters(ctx context.Context, owner int64) ([]V1Filter, error) {
	fs, err := s.st.Read().FiltersOf(ctx, owner)
	if err != nil {
		return nil, err
	}
	var out []V1Filter
	for _, f := range fs {
		for _, k := range f.Keywords {
			out = append(out, V1Filter{Keyword: k, Filter: f})
		}
	}
	return out, nil
}

// V1Filter returns one keyword of the owner's filters as a v1 filter.
func (s *Service) V1Filter(ctx context.Context, owner, keywordID int64) (V1Filter, error) {
	return s.v1Filter(ctx, s.st.Read(), owner, keywordID)
}

func (s *Service) v1Filter(ctx context.Context, q store.Queries, owner, keywordID int64) (V1Filter, error) {
	k, err := q.FilterKeyword(ctx, owner, keywordID)
	if err != nil {
		return V1Filter{}, notFoundAs(err, "filter")
	}
	f, err := q.Filter(ctx, owner, k.FilterID)
	if err != nil {
		return V1Filter{}, err
	}
	return V1Filter{Keyword: k, Filter: f}, nil
}

// notFoundAs renames a not-found error.
func notFoundAs(err error, what string) error {
	if isNotFound(err) {
		return model.NotFound(what)
	}
	return err
}

func (in V1FilterInput) filterInput() FilterInput {
	out := FilterInput{Title: in.Phrase, Context: in.Context, ExpiresIn: in.ExpiresIn}
	if in.Irreversible != nil {
		a := string(model.FilterWarn)
		if *in.Irreversible {
			a = string(model.FilterHide)
		}
		out.Action = &a
	}
	return out
}

// CreateV1Filter makes a filter titled with the phrase, with the phrase as
// its one keyword, as Mastodon does for its v1 API.
func (s *Service) CreateV1Filter(ctx context.Context, owner int64, in V1FilterInput) (V1Filter, error) {
	if in.Phrase == nil || strings.TrimSpace(*in.Phrase) == "" {
		return V1Filter{}, model.Invalid("phrase", "can't be blank")
	}
	fin := in.filterInput()
	if fin.Context == nil {
		return V1Filter{}, model.Invalid("context", "can't be blank")
	}
	fin.Keywords = []KeywordInput{{Keyword: in.Phrase, WholeWord: in.WholeWord}}
	var out V1Filter
	err := s.st.InTx(ctx, func(tx *store.Tx) error {
		f, err := s.insertFilter(ctx, tx, owner, fin)
		if err != nil {
			return err
		}
		out = V1Filter{Keyword: f.Keywords[0], Filter: f}
		return nil
	})
	return out, err
}

// UpdateV1Filter changes a v1 filter: the phrase and whole_word change its
// keyword; the context, irreversible and expires_in change its filter,
// which is refused when the filter has other keywords (that would change
// them too), as on Mastodon. The filter's title follows the phrase when it
// has only this keyword.
func (s *Service) UpdateV1Filter(ctx context.Context, owner, keywordID int64, in V1FilterInput) (V1Filter, error) {
	var out V1Filter
	err := s.st.InTx(ctx, func(tx *store.Tx) error {
		v, err := s.v1Filter(ctx, tx.Queries, owner, keywordID)
		if err != nil {
			return err
		}
		f, k := v.Filter, v.Keyword
		if in.Phrase != nil && strings.TrimSpace(*in.Phrase) == "" {
			return model.Invalid("phrase", "can't be blank")
		}
		if err := (KeywordInput{Keyword: in.Phrase, WholeWord: in.WholeWord}).apply(k); err != nil {
			return err
		}
		fin := in.filterInput()
		fin.Title = nil
		if len(f.Keywords) == 1 {
			fin.Title = in.Phrase
		}
		before := *f
		if err := fin.apply(f, s.clock()); err != nil {
			return err
		}
		if len(f.Keywords) > 1 && filterChanged(&before, f) {
			return model.Invalid("context", "cannot change the context, irreversible or expires_in of a filter with several keywords; use the v2 API")
		}
		if err := tx.UpdateFilterKeyword(ctx, k); err != nil {
			return err
		}
		if err := tx.UpdateFilter(ctx, f); err != nil {
			return err
		}
		out = V1Filter{Keyword: k, Filter: f}
		return nil
	})
	return out, err
}

func filterChanged(a, b *model.Filter) bool {
	if a.Action != b.Action || len(a.Context) != len(b.Context) {
		return true
	}
	for _, c := range a.Context {
		if !b.Applies(c) { // contexts are without repeats: same length and all in = same set
			return true
		}
	}
	switch {
	case a.ExpiresAt == nil || b.ExpiresAt == nil:
		return (a.ExpiresAt == nil) != (b.ExpiresAt == nil)
	default:
		return !a.ExpiresAt.Equal(*b.ExpiresAt)
	}
}

// DeleteV1Filter removes a v1 filter: its keyword, and its filter with it
// when nothing else is left in the filter (so the filters the v1 API made
// do not linger empty).
func (s *Service) DeleteV1Filter(ctx context.Context, owner, keywordID int64) error {
	return s.st.InTx(ctx, func(tx *store.Tx) error {
		v, err := s.v1Filter(ctx, tx.Queries, owner, keywordID)
		if err != nil {
			return err
		}
		if len(v.Filter.Keywords) == 1 && len(v.Filter.Statuses) == 0 {
			_, err := tx.DeleteFilter(ctx, owner, v.Filter.ID)
			return err
		}
		return tx.DeleteFilterKeyword(ctx, v.Filter.ID, v.Keyword.ID)
	})
}
