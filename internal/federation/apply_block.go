package federation

import (
	"context"

	"weft/internal/ap"
	"weft/internal/model"
)

// applyBlock: a remote account blocks a local member; follows between
// them end both ways and neither sees the other's posts here.
func (f *Federation) applyBlock(ctx context.Context, actor *model.Account, act *ap.Object) error {
	target, err := f.localAccount(ctx, act.Object.IRI())
	if err != nil {
		return err
	}
	return f.svc.RemoteBlock(ctx, actor.ID, target.ID, act.ID)
}
