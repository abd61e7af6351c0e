package mastodon

import (
	"net/http"

	"weft/internal/model"
	"weft/internal/service"
)

func (a *API) markerRoutes(mux *http.ServeMux) {
	a.route(mux, "GET /api/v1/markers", userScope("read:statuses"), a.getMarkers)
	a.route(mux, "POST /api/v1/markers", userScope("write:statuses"), a.setMarkers)
}

// Marker is Mastodon's Marker entity: a saved read position.
type Marker struct {
	LastReadID string `json:"last_read_id"`
	Version    int64  `json:"version"`
	UpdatedAt  string `json:"updated_at"`
}

func markers(m map[string]*model.Marker) map[string]Marker {
	out := make(map[string]Marker, len(m))
	for name, mk := range m {
		out[name] = Marker{LastReadID: idStr(mk.LastReadID), Version: mk.Version, UpdatedAt: timestamp(mk.UpdatedAt)}
	}
	return out
}

// getMarkers answers the markers of the timelines named by timeline[]
// (home, notifications); none named, or none saved yet, gives {}.
func (a *API) getMarkers(c *call) (any, error) {
	m, err := a.svc.Markers(c.ctx(), c.viewer(), c.params.Strings("timeline"))
	if err != nil {
		return nil, err
	}
	return markers(m), nil
}

// setMarkers saves home[last_read_id] and notifications[last_read_id] (as
// form fields or JSON objects) and answers the markers it saved.
func (a *API) setMarkers(c *call) (any, error) {
	saved := map[string]*model.Marker{}
	for _, timeline := range []string{service.MarkerHome, service.MarkerNotifications} {
		key := timeline + "[last_read_id]"
		if !c.params.Has(key) {
			continue
		}
		id, err := c.params.ID(key)
		if err != nil {
			return nil, err
		}
		m, err := a.svc.SetMarker(c.ctx(), c.viewer(), timeline, id)
		if err != nil {
			return nil, err
		}
		saved[timeline] = m
	}
	return markers(saved), nil
}
