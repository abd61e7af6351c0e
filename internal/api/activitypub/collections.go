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
	Context      string `json:"@context"`
	ID           string `json:"id"`
	Type         string `json:"type"`
	TotalItems   int64  `json:"totalItems"`
	PartOf       string `json:"partOf"`
	Next         string `json:"next,omitempty"`
	OrderedItems []any  `json:"orderedItems"`
}

// cursor reads a collection request: ?page (any value) asks for a page,
// max_id for a later one.
func cursor(r *http.Request) (paged bool, maxID int64, err error) {
	query := r.URL.Query()
	if v := query.Get("max_id"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n <= 0 {
			return false, 0, model.Invalid("max_id", "must be a positive integer")
		}
		maxID = n
	}
	return query.Get("page") != "", maxID, nil
}

// summary is a collection's summary, its first page linked.
func summary(id string, total int64) OrderedCollection {
	return OrderedCollection{Context: "https://www.w3.org/ns/activitystreams", ID: id,
		Type: "OrderedCollection", TotalItems: total, First: id + "?page=true"}
}

// page is an empty page of collection id at cursor maxID, linking the
// next one when nextMaxID is not 0.
func page(id string, total, maxID, nextMaxID int64) OrderedCollectionPage {
	out := OrderedCollectionPage{Context: "https://www.w3.org/ns/activitystreams", ID: id + "?page=true",
		Type: "OrderedCollectionPage", TotalItems: total, PartOf: id, OrderedItems: []any{}}
	if maxID != 0 {
		out.ID += "&max_id=" + strconv.FormatInt(maxID, 10)
	}
	if nextMaxID != 0 {
		out.Next = id + "?page=true&max_id=" + strconv.FormatInt(nextMaxID, 10)
	}
	return out
}

// follows answers /users/{username}/followers and /following: the
// summary, or with ?page=true (and max_id for later pages) a page of actor
// IDs, newest follow first.
func (s *Server) follows(followers bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if _, ok := s.requester(w, r, false); !ok {
			return
		}
		username := r.PathValue("username")
		id := s.actorURL(username) + "/following"
		if followers {
			id = s.actorURL(username) + "/followers"
		}
		paged, maxID, err := cursor(r)
		if err != nil {
			httpx.WriteError(w, r, s.log, err)
			return
		}
		fp, err := s.svc.FediverseFollows(r.Context(), username, followers, paged, maxID)
		if err != nil {
			httpx.WriteError(w, r, s.log, err)
			return
		}
		if fp.Hidden {
			// Hidden by the member: the size, and no pages.
			writeActivityJSON(w, OrderedCollection{Context: "https://www.w3.org/ns/activitystreams", ID: id,
				Type: "OrderedCollection", TotalItems: fp.Total})
			return
		}
		if !paged {
			writeActivityJSON(w, summary(id, fp.Total))
			return
		}
		out := page(id, fp.Total, maxID, fp.NextMaxID)
		for _, a := range fp.Accounts {
			out.OrderedItems = append(out.OrderedItems, s.accountURI(a))
		}
		writeActivityJSON(w, out)
	}
}
