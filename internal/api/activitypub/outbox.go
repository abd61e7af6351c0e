package activitypub

import (
	"net/http"
	"strconv"
	"time"

	"weft/internal/federation"
	"weft/internal/httpx"
	"weft/internal/service"
)

// Create is the activity that published a post, as the outbox lists it.
type Create struct {
	ID        string          `json:"id"`
	Type      string          `json:"type"`
	Actor     string          `json:"actor"`
	Published string          `json:"published"`
	To        []string        `json:"to"`
	CC        []string        `json:"cc"`
	Object    federation.Note `json:"object"`
}

// Announce is a boost in an outbox page.
type Announce struct {
	ID        string   `json:"id"`
	Type      string   `json:"type"`
	Actor     string   `json:"actor"`
	Published string   `json:"published"`
	To        []string `json:"to"`
	CC        []string `json:"cc"`
	Object    string   `json:"object"`
}

// itemsCollection is a collection with all its items inline (featured).
type itemsCollection struct {
	Context      []any  `json:"@context"`
	ID           string `json:"id"`
	Type         string `json:"type"`
	TotalItems   int    `json:"totalItems"`
	OrderedItems []any  `json:"orderedItems"`
}

// embedded renders a post for inclusion in another document.
func (s *Server) embedded(fs *service.FediverseStatus) federation.Note {
	n := s.render.Note(fs)
	n.Context = nil
	return n
}

// outbox answers /users/{username}/outbox: the summary, or with
// ?page=true (and max_id) a page of Create activities, newest first.
func (s *Server) outbox(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.requester(w, r, false); !ok {
		return
	}
	username := r.PathValue("username")
	id := s.actorURL(username) + "/outbox"
	paged, maxID, err := cursor(r)
	if err != nil {
		httpx.WriteError(w, r, s.log, err)
		return
	}
	op, err := s.svc.FediverseOutbox(r.Context(), username, paged, maxID)
	if err != nil {
		httpx.WriteError(w, r, s.log, err)
		return
	}
	if !paged {
		writeActivityJSON(w, summary(id, op.Total))
		return
	}
	out := page(id, op.Total, maxID, op.NextMaxID)
	for _, fs := range op.Posts {
		if fs.Boosted != nil {
			actor := s.svc.ActorURI(fs.Author)
			to, cc := federation.Audience(fs.Status.Visibility, actor+"/followers", []string{s.svc.ActorURI(fs.BoostedBy)})
			out.OrderedItems = append(out.OrderedItems, Announce{
				ID: actor + "/statuses/" + strconv.FormatInt(fs.Status.ID, 10) + "/activity", Type: "Announce", Actor: actor,
				Published: fs.Status.CreatedAt.UTC().Format(time.RFC3339), To: to, CC: cc,
				Object: s.svc.StatusURI(fs.Boosted, fs.BoostedBy)})
			continue
		}
		n := s.embedded(fs)
		out.OrderedItems = append(out.OrderedItems, Create{ID: n.ID + "/activity", Type: "Create",
			Actor: n.AttributedTo, Published: n.Published, To: n.To, CC: n.CC, Object: n})
	}
	writeActivityJSON(w, out)
}

// featured answers /users/{username}/collections/featured: the pinned
// posts, inline, as Mastodon serves them.
func (s *Server) featured(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.requester(w, r, false); !ok {
		return
	}
	username := r.PathValue("username")
	posts, err := s.svc.FediverseFeatured(r.Context(), username)
	if err != nil {
		httpx.WriteError(w, r, s.log, err)
		return
	}
	out := itemsCollection{Context: federation.ContextNote, ID: s.actorURL(username) + "/collections/featured",
		Type: "OrderedCollection", TotalItems: len(posts), OrderedItems: []any{}}
	for _, fs := range posts {
		out.OrderedItems = append(out.OrderedItems, s.embedded(fs))
	}
	writeActivityJSON(w, out)
}
