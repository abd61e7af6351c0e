package activitypub

import (
	"net/http"
	"strconv"
	"time"

	"weft/internal/httpx"
	"weft/internal/model"
	"weft/internal/service"
)

// publicAudience is ActivityStreams' "everyone".
const publicAudience = "https://www.w3.org/ns/activitystreams#Public"

// contextNote is the JSON-LD context of post objects.
var contextNote = []any{
	"https://www.w3.org/ns/activitystreams",
	map[string]any{
		"ostatus":      "http://ostatus.org#",
		"conversation": "ostatus:conversation",
		"sensitive":    "as:sensitive",
		"toot":         "http://joinmastodon.org/ns#",
		"Hashtag":      "as:Hashtag",
	},
}

// Note is a post as an ActivityPub object.
type Note struct {
	Context      []any             `json:"@context,omitempty"` // none when embedded
	ID           string            `json:"id"`
	Type         string            `json:"type"`
	Summary      *string           `json:"summary"`
	InReplyTo    *string           `json:"inReplyTo"`
	Published    string            `json:"published"`
	Updated      string            `json:"updated,omitempty"`
	URL          string            `json:"url"`
	AttributedTo string            `json:"attributedTo"`
	To           []string          `json:"to"`
	CC           []string          `json:"cc"`
	Sensitive    bool              `json:"sensitive"`
	Conversation string            `json:"conversation"`
	Content      string            `json:"content"`
	ContentMap   map[string]string `json:"contentMap,omitempty"`
	Attachment   []any             `json:"attachment"`
	Tag          []NoteTag         `json:"tag"`
}

// NoteTag is a Mention or a Hashtag in a post.
type NoteTag struct {
	Type string `json:"type"`
	Href string `json:"href"`
	Name string `json:"name"`
}

// Tombstone is what is left of a deleted post.
type Tombstone struct {
	Context string `json:"@context"`
	ID      string `json:"id"`
	Type    string `json:"type"`
}

// note answers /users/{username}/statuses/{id}: the Note to ActivityPub
// clients (410 with a Tombstone once deleted), and the post's page to
// browsers.
func (s *Server) note(w http.ResponseWriter, r *http.Request) {
	w.Header().Add("Vary", "Accept")
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		httpx.WriteError(w, r, s.log, model.NotFound("status"))
		return
	}
	fs, err := s.svc.FediverseStatus(r.Context(), r.PathValue("username"), id)
	if err != nil {
		httpx.WriteError(w, r, s.log, err)
		return
	}
	if !wantsActivityJSON(r) {
		http.Redirect(w, r, s.profileURL(fs.Author.Username)+"/"+strconv.FormatInt(id, 10), http.StatusFound)
		return
	}
	if fs.Tombstone {
		writeActivityJSONStatus(w, http.StatusGone, Tombstone{Context: "https://www.w3.org/ns/activitystreams",
			ID: s.statusURI(fs.Status, fs.Author), Type: "Tombstone"})
		return
	}
	writeActivityJSON(w, s.noteOf(fs))
}

func (s *Server) statusURI(st *model.Status, author *model.Account) string {
	if !st.Local {
		return st.URI
	}
	return s.actorURL(author.Username) + "/statuses/" + strconv.FormatInt(st.ID, 10)
}

// accountURI is an account's ActivityPub ID.
func (s *Server) accountURI(a *model.Account) string {
	if !a.Local() {
		return a.URI
	}
	return s.actorURL(a.Username)
}

func (s *Server) noteOf(fs *service.FediverseStatus) Note {
	st, author := fs.Status, fs.Author
	actor := s.actorURL(author.Username)
	n := Note{
		Context: contextNote, ID: s.statusURI(st, author), Type: "Note",
		Published: st.CreatedAt.UTC().Format(time.RFC3339), URL: s.profileURL(author.Username) + "/" + strconv.FormatInt(st.ID, 10),
		AttributedTo: actor, Sensitive: st.Sensitive, Content: st.ContentHTML,
		Conversation: "tag:" + s.cfg.Domain + "," + st.CreatedAt.UTC().Format("2006-01-02") + ":objectId=" +
			strconv.FormatInt(st.ConversationID, 10) + ":objectType=Conversation",
		Attachment: []any{}, Tag: []NoteTag{},
	}
	if st.SpoilerText != "" {
		sp := st.SpoilerText
		n.Summary = &sp
	}
	if st.EditedAt != nil {
		n.Updated = st.EditedAt.UTC().Format(time.RFC3339)
	}
	if st.Language != "" {
		n.ContentMap = map[string]string{st.Language: st.ContentHTML}
	}
	if fs.Parent != nil && fs.ParentBy != nil {
		p := s.statusURI(fs.Parent, fs.ParentBy)
		n.InReplyTo = &p
	}
	var mentioned []string
	for _, m := range fs.Mentions {
		uri := s.accountURI(m)
		mentioned = append(mentioned, uri)
		name := "@" + m.Username + "@" + s.cfg.Domain
		if !m.Local() {
			name = "@" + m.Acct()
		}
		n.Tag = append(n.Tag, NoteTag{Type: "Mention", Href: uri, Name: name})
	}
	for _, t := range st.Tags {
		n.Tag = append(n.Tag, NoteTag{Type: "Hashtag", Href: s.svc.TagURL(t), Name: "#" + t})
	}
	followers := actor + "/followers"
	switch st.Visibility {
	case model.Public:
		n.To, n.CC = []string{publicAudience}, append([]string{followers}, mentioned...)
	case model.Unlisted:
		n.To, n.CC = []string{followers}, append([]string{publicAudience}, mentioned...)
	case model.Private:
		n.To, n.CC = []string{followers}, mentioned
	default:
		n.To, n.CC = mentioned, []string{}
	}
	if n.CC == nil {
		n.CC = []string{}
	}
	if n.To == nil {
		n.To = []string{}
	}
	return n
}
