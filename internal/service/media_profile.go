package service

import (
	"context"
	"errors"
	"io"

	"weft/internal/model"
	"weft/internal/store"
)

// profileImage checks and stores a new avatar or header (r nil: none).
func (s *Service) profileImage(ctx context.Context, accountID int64, r io.ReadSeeker, purpose model.MediaPurpose) (*model.Media, error) {
	if r == nil {
		return nil, nil
	}
	m, err := s.storeUpload(ctx, accountID, r, purpose)
	if err != nil {
		var e *model.Error
		if errors.As(err, &e) && e.Field == "file" {
			e.Field = string(purpose) // the form field the member filled in
		}
		return nil, err
	}
	return m, nil
}

// dropUnsaved removes the files of an image whose row was never saved.
func (s *Service) dropUnsaved(ctx context.Context, m *model.Media) {
	if m != nil {
		s.removeMediaFiles(ctx, m)
	}
}

// setProfileImagesTx records new avatar and header rows and points the
// account at them, or removes them when asked. The replaced rows and their
// files go with the periodic media clean-up.
func (s *Service) setProfileImagesTx(ctx context.Context, tx *store.Tx, a *model.Account, u ProfileUpdate, avatar, header *model.Media) error {
	for _, img := range []struct {
		m      *model.Media
		remove bool
		p      model.MediaPurpose
	}{{avatar, u.RemoveAvatar, model.PurposeAvatar}, {header, u.RemoveHeader, model.PurposeHeader}} {
		switch {
		case img.m != nil:
			if err := tx.InsertMedia(ctx, img.m); err != nil {
				return err
			}
			url, static := profileImageURLs(img.m)
			if err := tx.SetAccountImage(ctx, a.ID, img.p, img.m.ID, url, static, s.clock()); err != nil {
				return err
			}
			setAccountImage(a, img.p, img.m.ID, url, static)
		case img.remove:
			if err := tx.SetAccountImage(ctx, a.ID, img.p, 0, "", "", s.clock()); err != nil {
				return err
			}
			setAccountImage(a, img.p, 0, "", "")
		}
	}
	return nil
}

// profileImageURLs are the URLs an avatar or header is shown with: the
// stored original, and the still thumbnail (an animated GIF's first frame)
// as the static one. Another server's image not fetched yet is shown
// through the media proxy, which fetches it when asked.
func profileImageURLs(m *model.Media) (url, static string) {
	if m.FileKey == "" {
		return proxyURL(m, "original"), proxyURL(m, "small")
	}
	url = MediaURL(m.FileKey)
	static = url
	if m.ThumbKey != "" {
		static = MediaURL(m.ThumbKey)
	}
	return url, static
}

func setAccountImage(a *model.Account, p model.MediaPurpose, id int64, url, static string) {
	if p == model.PurposeHeader {
		a.HeaderMediaID, a.HeaderURL, a.HeaderStaticURL = id, url, static
		return
	}
	a.AvatarMediaID, a.AvatarURL, a.AvatarStaticURL = id, url, static
}
