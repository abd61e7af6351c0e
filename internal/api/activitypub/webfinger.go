package activitypub

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"

	"weft/internal/httpx"
	"weft/internal/model"
)

// JRD is a WebFinger answer (RFC 7033).
type JRD struct {
	Subject string    `json:"subject,omitempty"`
	Aliases []string  `json:"aliases,omitempty"`
	Links   []JRDLink `json:"links"`
}

// JRDLink is one link of a JRD.
type JRDLink struct {
	Rel      string `json:"rel"`
	Type     string `json:"type,omitempty"`
	Href     string `json:"href,omitempty"`
	Template string `json:"template,omitempty"`
}

// maxResource bounds the resource parameter: an acct: URI or a URL.
const maxResource = 512

// webfinger answers /.well-known/webfinger?resource=… for accounts that
// share with the fediverse: `acct:user@domain` (also without the scheme,
// and with a leading @), or the account's actor or profile URL. Mastodon's
// shape: subject, aliases, profile page, self as activity+json, and the
// remote-follow template.
func (s *Server) webfinger(w http.ResponseWriter, r *http.Request) {
	resource := r.URL.Query().Get("resource")
	if resource == "" {
		httpx.WriteJSON(w, http.StatusBadRequest, httpx.ErrorBody{Error: "the resource parameter is required"})
		return
	}
	if len(resource) > maxResource {
		httpx.WriteJSON(w, http.StatusBadRequest, httpx.ErrorBody{Error: "the resource parameter is too long"})
		return
	}
	if s.namesInstance(resource) {
		s.writeJRD(w, s.instanceJRD())
		return
	}
	username, ok := s.usernameOf(resource)
	if !ok {
		httpx.WriteJSON(w, http.StatusNotFound, httpx.ErrorBody{Error: "Record not found"})
		return
	}
	acc, err := s.svc.FediverseAccount(r.Context(), username)
	if err != nil {
		httpx.WriteError(w, r, s.log, err)
		return
	}
	s.writeJRD(w, s.jrdOf(acc))
}

// namesInstance: the resource is the instance actor, as Mastodon names it
// (acct:DOMAIN@DOMAIN), or its URL.
func (s *Server) namesInstance(resource string) bool {
	resource = strings.TrimSpace(resource)
	if resource == s.instanceActorURL() {
		return true
	}
	acct := strings.TrimPrefix(strings.TrimPrefix(resource, "acct:"), "@")
	user, domain, found := strings.Cut(acct, "@")
	return found && strings.EqualFold(user, s.cfg.Domain) && strings.EqualFold(domain, s.cfg.Domain)
}

func (s *Server) instanceJRD() JRD {
	return JRD{
		Subject: "acct:" + s.cfg.Domain + "@" + s.cfg.Domain,
		Aliases: []string{s.instanceActorURL()},
		Links: []JRDLink{
			{Rel: "http://webfinger.net/rel/profile-page", Type: "text/html", Href: s.cfg.BaseURL + "/about"},
			{Rel: "self", Type: "application/activity+json", Href: s.instanceActorURL()},
		},
	}
}

func (s *Server) jrdOf(acc *model.Account) JRD {
	actor, profile := s.actorURL(acc.Username), s.profileURL(acc.Username)
	return JRD{
		Subject: "acct:" + acc.Username + "@" + s.cfg.Domain,
		Aliases: []string{profile, actor},
		Links: []JRDLink{
			{Rel: "http://webfinger.net/rel/profile-page", Type: "text/html", Href: profile},
			{Rel: "self", Type: "application/activity+json", Href: actor},
			{Rel: "http://ostatus.org/schema/1.0/subscribe", Template: s.cfg.BaseURL + "/authorize_interaction?uri={uri}"},
		},
	}
}

func (s *Server) writeJRD(w http.ResponseWriter, j JRD) {
	b, err := json.Marshal(j)
	if err != nil { // plain strings: cannot happen
		http.Error(w, "encode", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/jrd+json; charset=utf-8")
	w.Header().Set("Cache-Control", "max-age=259200, public") // as Mastodon: three days
	_, _ = w.Write(b)
}

// usernameOf finds the local username a resource names; false when it
// names nothing on this server. Domains compare case-insensitively and
// with their port: localhost:8081 and localhost:8082 are two servers.
func (s *Server) usernameOf(resource string) (string, bool) {
	resource = strings.TrimSpace(resource)
	if strings.HasPrefix(resource, "https://") || strings.HasPrefix(resource, "http://") {
		u, err := url.Parse(resource)
		if err != nil || !strings.EqualFold(u.Host, s.hostOfBase()) || u.RawQuery != "" || u.Fragment != "" {
			return "", false
		}
		switch p := strings.TrimSuffix(u.Path, "/"); {
		case strings.HasPrefix(p, "/users/"):
			return oneSegment(strings.TrimPrefix(p, "/users/"))
		case strings.HasPrefix(p, "/@"):
			return oneSegment(strings.TrimPrefix(p, "/@"))
		}
		return "", false
	}
	acct := strings.TrimPrefix(resource, "acct:")
	acct = strings.TrimPrefix(acct, "@")
	user, domain, found := strings.Cut(acct, "@")
	if !found || !strings.EqualFold(domain, s.cfg.Domain) {
		return "", false
	}
	return oneSegment(user)
}

func oneSegment(s string) (string, bool) {
	if s == "" || strings.ContainsAny(s, "/@?#") {
		return "", false
	}
	return s, true
}

// hostOfBase is the host[:port] of BaseURL (the same as Domain in every
// configuration weft accepts; taken from the URL to be exact).
func (s *Server) hostOfBase() string {
	u, err := url.Parse(s.cfg.BaseURL)
	if err != nil {
		return s.cfg.Domain
	}
	return u.Host
}
