package service

import (
	"context"
	"net/url"
	"strings"

	"weft/internal/model"
	"weft/internal/store"
	"weft/internal/text"
)

// rendered is post or bio text after parsing: safe HTML plus what it refers to.
type rendered struct {
	HTML     string
	Mentions []*model.Account // resolved mentions, in order
	Tags     []string         // hashtag names as written
}

// localDomain reports whether a mention's domain is this server.
func (s *Service) localDomain(d string) bool {
	return d == "" || strings.EqualFold(d, s.cfg.Domain)
}

// render parses src, resolves its mentions against known accounts and
// renders it. Mentions of accounts weft does not know stay plain text (the
// federation layer will resolve remote ones).
func (s *Service) render(ctx context.Context, q store.Queries, src string) (rendered, error) {
	p := text.Parse(src)
	byAcct := map[string]*model.Account{}
	var out rendered
	for _, m := range p.Mentions {
		domain := m.Domain
		if s.localDomain(domain) {
			domain = ""
		}
		a, err := q.AccountByUsername(ctx, m.Username, domain)
		if err != nil {
			if isNotFound(err) {
				continue
			}
			return out, err
		}
		if a.Gone() {
			continue
		}
		byAcct[strings.ToLower(m.Acct())] = a
		out.Mentions = append(out.Mentions, a)
	}
	out.Tags = p.Tags
	out.HTML = text.Render(src, text.RenderOptions{
		MentionURL: func(m text.Mention) (string, bool) {
			a := byAcct[strings.ToLower(m.Acct())]
			if a == nil {
				return "", false
			}
			return s.AccountURL(a), true
		},
		TagURL: s.TagURL,
	})
	return out, nil
}

// AccountURL is an account's profile page: ours for local accounts, theirs
// for remote ones.
func (s *Service) AccountURL(a *model.Account) string {
	if !a.Local() {
		if a.URL != "" {
			return a.URL
		}
		return a.URI
	}
	return s.cfg.BaseURL + "/@" + a.Username
}

// TagURL is a hashtag's page on this server.
func (s *Service) TagURL(name string) string {
	return s.cfg.BaseURL + "/tags/" + url.PathEscape(name)
}

// StatusURL is a post's page: ours for local posts, theirs for remote ones.
func (s *Service) StatusURL(st *model.Status, author *model.Account) string {
	if !st.Local {
		if st.URL != "" {
			return st.URL
		}
		return st.URI
	}
	return s.cfg.BaseURL + "/@" + author.Username + "/" + itoa(st.ID)
}
