package mastodon

import (
	"net/http"

	"weft/internal/httpx"
)

// NodeInfo (nodeinfo.diaspora.software): what software this is and how
// many use it. Crawlers and other servers read it.
func (a *API) nodeinfoRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /.well-known/nodeinfo", func(w http.ResponseWriter, r *http.Request) {
		httpx.WriteJSON(w, http.StatusOK, map[string]any{"links": []map[string]string{
			{"rel": "http://nodeinfo.diaspora.software/ns/schema/2.0", "href": a.cfg.BaseURL + "/nodeinfo/2.0"},
			{"rel": "http://nodeinfo.diaspora.software/ns/schema/2.1", "href": a.cfg.BaseURL + "/nodeinfo/2.1"},
		}})
	})
	mux.HandleFunc("GET /nodeinfo/2.0", a.nodeinfo("2.0"))
	mux.HandleFunc("GET /nodeinfo/2.1", a.nodeinfo("2.1"))
}

func (a *API) nodeinfo(schema string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		stats, err := a.svc.InstanceStats(r.Context())
		if err != nil {
			httpx.WriteError(w, r, a.log, err)
			return
		}
		software := map[string]any{"name": "weft", "version": a.cfg.Version}
		if schema == "2.1" {
			software["repository"] = "https://github.com/weft-social/weft"
		}
		httpx.WriteJSON(w, http.StatusOK, map[string]any{
			"version": schema, "software": software, "protocols": []string{"activitypub"},
			"services":          map[string]any{"inbound": []string{}, "outbound": []string{}},
			"openRegistrations": a.cfg.Registrations == "open",
			"usage": map[string]any{"users": map[string]any{"total": stats.Users, "activeMonth": stats.Users,
				"activeHalfyear": stats.Users}, "localPosts": stats.Statuses},
			"metadata": map[string]any{"nodeName": a.cfg.InstanceName, "nodeDescription": a.cfg.Description},
		})
	}
}
