package mastodon

import (
	"strconv"

	"weft/internal/model"
)

// pathID reads an ID from the URL path. A malformed ID is "not found", as on
// Mastodon (no record has it).
func pathID(c *call, name string) (int64, error) {
	id, err := strconv.ParseInt(c.r.PathValue(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, model.NotFound("record")
	}
	return id, nil
}
