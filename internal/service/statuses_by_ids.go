package service

import (
	"context"

	"weft/internal/model"
)

// MaxStatusIDs is how many posts one request may ask for at once, as
// Mastodon limits GET /api/v1/statuses?id[]=.
const MaxStatusIDs = 20

// StatusesByIDs returns the posts among ids that the viewer may see, in the
// order asked and each once. Unknown, deleted and hidden ones are left out
// without a word, and so are posts by accounts the viewer mutes (not the
// viewer's own), as Mastodon's status filter does.
func (s *Service) StatusesByIDs(ctx context.Context, viewer int64, ids []int64) ([]*StatusView, error) {
	unique := make([]int64, 0, len(ids))
	seen := make(map[int64]bool, len(ids))
	for _, id := range ids {
		if id > 0 && !seen[id] {
			seen[id] = true
			unique = append(unique, id)
		}
	}
	if len(unique) > MaxStatusIDs {
		return nil, model.Invalid("id", "at most %d IDs at once", MaxStatusIDs)
	}
	if len(unique) == 0 {
		return []*StatusView{}, nil
	}
	q := s.st.Read()
	byID, err := q.StatusesByIDs(ctx, unique)
	if err != nil {
		return nil, err
	}
	list := make([]*model.Status, 0, len(unique))
	for _, id := range unique {
		if st := byID[id]; st != nil {
			list = append(list, st)
		}
	}
	views, err := s.hydrate(ctx, q, viewer, list, filter{mutes: true})
	if views == nil && err == nil {
		views = []*StatusView{}
	}
	return views, err
}
