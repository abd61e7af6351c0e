package web

import (
	"fmt"
	"strings"
)

// Template helpers: they hand a partial what it needs from the page's data
// (the CSRF token, where to come back to) together with its item.

// postData is what the "post" partial gets.
func postData(root map[string]any, p any, focus bool) map[string]any {
	var item postItem
	switch x := p.(type) {
	case postItem:
		item = x
	case *postItem:
		item = *x
	default:
		panic(fmt.Sprintf("post partial given %T", p)) // a template bug, caught by the page tests
	}
	return map[string]any{"Post": item, "Me": root["Me"], "CSRF": root["CSRF"], "ReturnTo": root["ReturnTo"], "Focus": focus}
}

func dict(root map[string]any, p any) map[string]any  { return postData(root, p, false) }
func focus(root map[string]any, p any) map[string]any { return postData(root, p, true) }

func nodeOf(root map[string]any, n node) map[string]any {
	return map[string]any{"Root": root, "Node": n}
}

// acctAction is a follow/mute/block button on a profile.
func acctAction(root map[string]any, verb, label string) map[string]any {
	a, _ := root["Account"].(accountItem)
	return map[string]any{"ID": a.ID, "Verb": verb, "Label": label, "CSRF": root["CSRF"], "ReturnTo": root["ReturnTo"]}
}

// paragraphs splits text an admin wrote into paragraphs at blank lines.
func paragraphs(text string) []string {
	var out []string
	for _, p := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n\n") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// plural writes a count with its noun: "1 post", "3 posts".
func plural(n int64, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
