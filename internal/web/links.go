package web

import (
	"html/template"
	"net/url"
	"path"
	"strings"

	"golang.org/x/net/html"

	"weft/internal/service"
)

// localLinks points a post's mention and hashtag links at pages of this
// server: a mentioned account's profile here (/@user@domain), a hashtag's
// page here (/tags/name). The stored HTML keeps the author's links —
// Mastodon apps match those against the post's mentions and tags — so the
// web app rewrites them when it shows the post. Only href values change;
// the HTML was sanitised when it was stored, and is re-serialised by the
// tokenizer, which escapes what it writes.
func localLinks(content string, v *service.StatusView) template.HTML {
	mentions := map[string]string{}
	for _, m := range v.Mentions {
		for _, u := range []string{m.URL, m.URI} {
			if u != "" {
				mentions[u] = accountPath(m)
			}
		}
	}
	tags := map[string]string{}
	for _, t := range v.Status.Tags {
		tags[strings.ToLower(t)] = t
	}
	if len(mentions) == 0 && len(tags) == 0 {
		return template.HTML(content)
	}
	var b strings.Builder
	z := html.NewTokenizer(strings.NewReader(content))
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			break
		}
		tok := z.Token()
		if tt == html.StartTagToken && tok.Data == "a" {
			rewriteLink(&tok, mentions, tags)
		}
		b.WriteString(tok.String())
	}
	return template.HTML(b.String())
}

// rewriteLink changes one anchor's href when it is a mention of a known
// account or a link to one of the post's hashtags.
func rewriteLink(tok *html.Token, mentions, tags map[string]string) {
	hrefAt := -1
	isTag := false
	for i, a := range tok.Attr {
		switch a.Key {
		case "href":
			hrefAt = i
		case "class", "rel":
			for _, f := range strings.Fields(a.Val) {
				if f == "hashtag" || f == "tag" {
					isTag = true
				}
			}
		}
	}
	if hrefAt < 0 {
		return
	}
	href := tok.Attr[hrefAt].Val
	if p, ok := mentions[href]; ok {
		tok.Attr[hrefAt].Val = p
		return
	}
	if !isTag {
		return
	}
	u, err := url.Parse(href)
	if err != nil {
		return
	}
	name, _ := url.PathUnescape(path.Base(u.Path))
	if t, ok := tags[strings.ToLower(name)]; ok {
		tok.Attr[hrefAt].Val = "/tags/" + url.PathEscape(t)
	}
}
