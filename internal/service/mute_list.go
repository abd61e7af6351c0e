package service

import (
	"context"
	"time"

	"weft/internal/model"
)

// MuteList is a page of muted accounts with when each mute ends (nil:
// never), as Mastodon's mutes list shows it.
type MuteList struct {
	AccountList
	ExpiresAt []*time.Time // one per account
}

// MuteList lists whom the account mutes, newest mute first, with the ends
// of the mutes.
func (s *Service) MuteList(ctx context.Context, accountID int64, p model.Page) (MuteList, error) {
	l, err := s.Mutes(ctx, accountID, p)
	if err != nil {
		return MuteList{}, err
	}
	ids := make([]int64, len(l.Accounts))
	for i, a := range l.Accounts {
		ids[i] = a.ID
	}
	rel, err := s.st.Read().RelationsOf(ctx, accountID, ids, s.clock())
	if err != nil {
		return MuteList{}, err
	}
	out := MuteList{AccountList: l, ExpiresAt: make([]*time.Time, len(ids))}
	for i, id := range ids {
		if m := rel.Muting[id]; m != nil {
			out.ExpiresAt[i] = m.ExpiresAt
		}
	}
	return out, nil
}
