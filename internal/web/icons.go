package web

import (
	"embed"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"regexp"
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

// iconHTML is the markup of one icon: decorative (hidden from screen
// readers, which read the control's own label), drawn by the page's
// sprite.
func iconHTML(name string) template.HTML {
	return template.HTML(`<svg class="icon" aria-hidden="true">` + iconRef + name + `"/></svg>`)
}

// iconCall is {{icon "name"}} in a template's source.
var iconCall = regexp.MustCompile(`\{\{icon "([a-z0-9-]+)"\}\}`)

// inline writes each {{icon "name"}} of a template's source as its markup
// before the template is parsed, so a page pays nothing for its icons at
// render time. An unknown name is an error: the page's tests fail rather
// than the page showing a gap.
func (s iconSet) inline(file, src string) (string, error) {
	var missing []string
	out := iconCall.ReplaceAllStringFunc(src, func(call string) string {
		name := iconCall.FindStringSubmatch(call)[1]
		if _, ok := s[name]; !ok {
			missing = append(missing, name)
		}
		return string(iconHTML(name))
	})
	if len(missing) > 0 {
		return "", fmt.Errorf("%s: no icon %q (add it to icons/update.sh)", file, missing)
	}
	if strings.Contains(out, "{{icon ") {
		return "", fmt.Errorf("%s: {{icon}} takes a quoted name; a computed icon is a field holding iconHTML", file)
	}
	return out, nil
}

// writeWithSprite writes a rendered page with its marker replaced by the
// symbols of the icons it uses.
func (s iconSet) writeWithSprite(w io.Writer, page string) error {
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
	at := strings.Index(page, spriteMarker)
	if at < 0 {
		_, err := io.WriteString(w, page)
		return err
	}
	for _, part := range []string{page[:at], b.String(), page[at+len(spriteMarker):]} {
		if _, err := io.WriteString(w, part); err != nil {
			return err
		}
	}
	return nil
}
