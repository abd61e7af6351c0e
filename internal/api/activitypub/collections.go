package activitypub

import (
	"net/http"
	"strconv"

	"weft/internal/httpx"
	"weft/internal/model"
)

// OrderedCollection is a collection's summary: its size and first page.
type OrderedCollection struct {
	Context    string `json:"@context"`
	ID         string `json:"id"`
	Type       string `json:"type"`
	TotalItems int64  `json:"totalItems"`
	First      string `json:"first,omitempty"`
}

// OrderedCollectionPage is one page of a collection.
type OrderedCollectionPage struct {
	Context      string   `json:"@context"`
	ID           string   `json:"id"`
	Type         string   `json:"type"`
	TotalItems   int64    `json:"totalItems"`
	PartOf       string   `json:"partOf"`
	Next         string   `json:"next,omitempty"`
	OrderedItems []string `json:"orderedItems"`
}

// follows answers /users/{username}/followers and /following: the
// summary, or with ?page=true (and max_id for later pages) a page of actor
// IDs, newest follow first.
func (s *Server) follows(followers bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		username := r.PathValue("username")
		id := s.actorURL(username) + "/following"
		if followers {
			id = s.actorURL(username) + "/followers"
		}
		query := r.URL.Query()
		paged := query.Get("page") != ""
		var maxID int64
		if v := query.Get("max_id"); v != "" {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil || n <= 0 {
				httpx.WriteError(w, r, s.log, model.Invalid("max_id", "must be a positive integer"))
				return
			}
			maxID = n
		}
		page, err := s.svc.FediverseFollows(r.Context(), username, followers, paged, maxID)
		if err != nil {
			httpx.WriteError(w, r, s.log, err)
			return
		}
		if !paged {
			writeActivityJSON(w, OrderedCollection{Context: "https://www.w3.org/ns/activitystreams", ID: id,
				Type: "OrderedCollection", TotalItems: page.Total, First: id + "?page=true"})
			return
		}
		out := OrderedCollectionPage{Context: "https://www.w3.org/ns/activitystreams", ID: id + "?page=true",
			Type: "OrderedCollectionPage", TotalItems: page.Total, PartOf: id, OrderedItems: []string{}}
		if maxID != 0 {
			out.ID += "&max_id=" + strconv.FormatInt(maxID, 10)
		}
		if page.NextMaxID != 0 {
			out.Next = id + "?page=true&max_id=" + strconv.FormatInt(page.NextMaxID, 10)
		}
		for _, a := range page.Accounts {
			out.OrderedItems = append(out.OrderedItems, s.accountURI(a))
		}
		writeActivityJSON(w, out)
	}
}
