package service

import (
	"errors"
	"strconv"

	"weft/internal/model"
)

func isNotFound(err error) bool { return errors.Is(err, model.ErrNotFound) }

func itoa(id int64) string { return strconv.FormatInt(id, 10) }

func isForbidden(err error) bool {
	return errors.Is(err, model.ErrForbidden) || errors.Is(err, model.ErrSuspended)
}
