package web

import (
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"sort"
	"strings"
)

// The icons are Lucide's (npm lucide-static, ISC; icons/LICENSE), copied by
// icons/update.sh at a pinned version. A page carries the drawings it uses
// once, as <symbol>s of a hidden <svg> at its top, and each icon is a
// short <use> of one: a feed of forty posts, each with a row of icons and
// two menus, would otherwise repeat the same paths hundreds of times. An
// icon takes the colour of its text (stroke: currentColor, in app.css).
//
//go:embed icons/*.svg
var iconFS embed.FS

// iconSet maps an icon's name ("heart") to its drawing (the paths inside
// Lucide's <svg>).
type iconSet map[string]string

// spriteMarker is where a page's icon sprite goes (base.html); show fills
// it in with the icons the page used.
const spriteMarker = "<!--icons-->"

// iconRef is how a use names a symbol; symbols are "i-NAME".
const iconRef = `<use href="#i-`

// loadIcons reads every icon's drawing.
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
		set[name] = strings.Join(strings.Fields(src[start+open+1:end]), " ")
	}
	return set, nil
}

// icon is the template function: {{icon "heart"}}, decorative (hidden
// from screen readers, which read the control's own label). An unknown
// name is an error, so a page that asks for one fails its tests rather
// than showing a gap.
func (s iconSet) icon(name string) (template.HTML, error) {
	if _, ok := s[name]; !ok {
		return "", fmt.Errorf("no icon %q (add it to icons/update.sh)", name)
	}
	return template.HTML(`<svg class="icon" aria-hidden="true">` + iconRef + name + `"/></svg>`), nil
}

// sprite replaces the page's marker with the symbols of the icons it uses.
func (s iconSet) sprite(page string) string {
	used := map[string]bool{}
	for rest := page; ; {
		i := strings.Index(rest, iconRef)
		if i < 0 {
			break
		}
		rest = rest[i+len(iconRef):]
		if j := strings.IndexByte(rest, '"'); j > 0 {
			used[rest[:j]] = true
		}
	}
	names := make([]string, 0, len(used))
	for n := range used {
		if _, ok := s[n]; ok {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	var b strings.Builder
	if len(names) > 0 {
		b.WriteString(`<svg class="sprite" aria-hidden="true">`)
		for _, n := range names {
			b.WriteString(`<symbol id="i-` + n + `" viewBox="0 0 24 24">` + s[n] + `</symbol>`)
		}
		b.WriteString(`</svg>`)
	}
	return strings.Replace(page, spriteMarker, b.String(), 1)
}
