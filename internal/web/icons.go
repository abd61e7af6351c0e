package web

import (
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"strings"
)

// The icons are Lucide's (npm lucide-static, ISC; icons/LICENSE), copied by
// icons/update.sh at a pinned version. They are inlined into the pages, so a
// page needs no icon request and an icon takes the text's colour.
//
//go:embed icons/*.svg
var iconFS embed.FS

// iconSet maps an icon's name ("heart") to its markup, ready for a page.
type iconSet map[string]template.HTML

// loadIcons reads every icon and rewrites its <svg> tag: the drawing is
// Lucide's, the attributes ours (decorative, hidden from screen readers,
// which read the control's own label).
func loadIcons() (iconSet, error) {
	set := iconSet{}
	names, err := fs.Glob(iconFS, "icons/*.svg")
	if err != nil {
		return nil, err
	}
	for _, p := range names {
		data, err := iconFS.ReadFile(p)
		if err != nil {
			return nil, err
		}
		name := strings.TrimSuffix(strings.TrimPrefix(p, "icons/"), ".svg")
		src := string(data)
		start := strings.Index(src, "<svg")
		open := strings.Index(src[max(start, 0):], ">")
		end := strings.LastIndex(src, "</svg>")
		if start < 0 || open < 0 || end < start+open {
			return nil, fmt.Errorf("icon %s: no <svg> element", name)
		}
		drawing := strings.Join(strings.Fields(src[start+open+1:end]), " ")
		set[name] = template.HTML(`<svg class="icon" viewBox="0 0 24 24" width="24" height="24" fill="none" stroke="currentColor" ` +
			`stroke-width="2" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true" focusable="false">` + drawing + `</svg>`)
	}
	return set, nil
}

// icon is the template function: {{icon "heart"}}. An unknown name is an
// error, so a page that asks for one fails its tests rather than showing a
// gap.
func (s iconSet) icon(name string) (template.HTML, error) {
	svg, ok := s[name]
	if !ok {
		return "", fmt.Errorf("no icon %q (add it to icons/update.sh)", name)
	}
	return svg, nil
}
