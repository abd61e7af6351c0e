package service

import (
	"context"

	"weft/internal/model"
)

// UpdateCredentials edits the caller's own profile (UpdateProfile) and
// returns what Credentials does: the account, its user and the number of
// follow requests waiting — what update_credentials answers with.
func (s *Service) UpdateCredentials(ctx context.Context, accountID int64, u ProfileUpdate) (*model.Account, *model.User, int64, error) {
	if _, err := s.UpdateProfile(ctx, accountID, u); err != nil {
		return nil, nil, 0, err
	}
	return s.Credentials(ctx, accountID)
}
