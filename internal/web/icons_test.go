package web

import (
	"strings"
	"testing"
)

// Every icon is drawn from the sprite of the page that uses it; the ones
// Go code names (toggle and menu buttons) exist; {{icon "…"}} in a page's
// source becomes the markup at parse time, and an unknown name is an
// error, not a gap.
func TestIcons(t *testing.T) {
	icons, err := loadIcons()
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"heart", "repeat-2", "bookmark", "volume-x", "ban"} {
		if _, ok := icons[name]; !ok {
			t.Errorf("no icon %q, which Go code uses", name)
		}
	}
	src, err := icons.inline("t.html", `<a>{{icon "heart"}}Like</a>`)
	if err != nil || src != `<a><svg class="icon" aria-hidden="true"><use href="#i-heart"/></svg>Like</a>` {
		t.Fatalf("inline: %q, %v", src, err)
	}
	if _, err := icons.inline("t.html", `{{icon "no-such-icon"}}`); err == nil || !strings.Contains(err.Error(), "no-such-icon") {
		t.Fatalf("an unknown icon: %v", err)
	}
	if _, err := icons.inline("t.html", `{{icon .Name}}`); err == nil {
		t.Fatal("a computed icon name passed")
	}
	var b strings.Builder
	if err := icons.writeWithSprite(&b, `<body>`+spriteMarker+`<a>`+string(iconHTML("heart"))+string(iconHTML("heart"))+`</a>`); err != nil {
		t.Fatal(err)
	}
	page := b.String()
	if strings.Count(page, `<symbol id="i-heart" viewBox="0 0 24 24"><path`) != 1 || strings.Contains(page, "i-bookmark") || strings.Contains(page, spriteMarker) {
		t.Fatalf("the sprite: %s", page)
	}
}
