package ap

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var (
	postTypes = []string{"Note", "Article", "Page", "Question", "Video",
		"Image", "Audio", "Event"}
	activityTypes = []string{"Create", "Update", "Delete", "Follow", "Accept",
		"Reject", "Undo", "Like", "Announce", "Block", "Flag", "Move", "Add",
		"Remove", "EmojiReact", "QuoteRequest", "LikeRequest"}
	collectionTypes = []string{"Collection", "OrderedCollection",
		"CollectionPage", "OrderedCollectionPage"}
)

func hasAny(o *Object, types []string) bool {
	for _, t := range types {
		if o.HasType(t) {
			return true
		}
	}
	return false
}

// TestFixturesParse parses every shared fixture and checks what its kind
// promises. No fixture is exempt from the actor key check: the three whose
// PEM was redacted by their source ("-----BEGIN PUBLIC KEY-----AAAAA...")
// still begin with the marker.
func TestFixturesParse(t *testing.T) {
	dir := fixtureDir(t)
	files := fixtureFiles(t, dir)
	if len(files) == 0 {
		t.Fatalf("no .json fixtures under %s", dir)
	}
	kinds := map[string]int{}
	for _, rel := range files {
		t.Run(rel, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(rel)))
			if err != nil {
				t.Fatal(err)
			}
			o, err := Parse(data)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			kinds[checkDocument(t, o)]++
		})
	}
	t.Logf("parsed %d fixtures by kind: %v", len(files), kinds)
}

// checkDocument asserts the invariants of o's kind and returns the kind.
func checkDocument(t *testing.T, o *Object) string {
	t.Helper()
	if o.ID == "" || o.Type == "" {
		t.Errorf("id %q, type %q: every fixture has both", o.ID, o.Type)
	}
	switch {
	case o.IsActor():
		checkActor(t, o)
		return "actor"
	case hasAny(o, postTypes):
		checkPost(t, o)
		return "post"
	case hasAny(o, activityTypes):
		checkActivity(t, o)
		return "activity"
	case hasAny(o, collectionTypes):
		checkCollection(t, o)
		return "collection"
	}
	t.Errorf("type %v has no expectations", o.Types)
	return "unclassified"
}

func checkActor(t *testing.T, o *Object) {
	t.Helper()
	if !isHTTP(o.Inbox) {
		t.Errorf("actor %s: inbox %q", o.ID, o.Inbox)
	}
	if o.PreferredUsername == "" {
		t.Errorf("actor %s: no preferredUsername", o.ID)
	}
	pk := o.PublicKey
	if pk == nil {
		t.Fatalf("actor %s: no public key", o.ID)
	}
	if !strings.HasPrefix(pk.PEM, "-----BEGIN PUBLIC KEY") {
		t.Errorf("actor %s: PEM starts %.30q", o.ID, pk.PEM)
	}
	if pk.Owner != o.ID {
		t.Errorf("actor %s: key owner %q", o.ID, pk.Owner)
	}
	if Origin(pk.ID) == "" || Origin(pk.ID) != Origin(o.ID) {
		t.Errorf("actor %s: key id %q on another origin", o.ID, pk.ID)
	}
}

func checkPost(t *testing.T, o *Object) {
	t.Helper()
	if !isHTTP(o.AttributedTo) {
		t.Errorf("post %s: attributedTo %q", o.ID, o.AttributedTo)
	}
	if o.Content == "" && o.Name == "" {
		t.Errorf("post %s: neither content nor name", o.ID)
	}
	if len(o.To)+len(o.CC)+len(o.Audience) == 0 {
		t.Errorf("post %s: no audience", o.ID)
	}
}

func checkActivity(t *testing.T, o *Object) {
	t.Helper()
	if !isHTTP(o.Actor) {
		t.Errorf("activity %s: actor %q", o.ID, o.Actor)
	}
	if o.Object == nil || o.Object.ID == "" {
		t.Fatalf("activity %s: object %#v", o.ID, o.Object)
	}
	inner := o.Object.Obj
	// A Delete carries a stub (Tombstone, or a Person with only an id); its
	// id is all that matters.
	if inner == nil || o.HasType("Delete") {
		return
	}
	switch {
	case inner.IsActor():
		checkActor(t, inner)
	case hasAny(inner, postTypes):
		checkPost(t, inner)
	case hasAny(inner, activityTypes):
		checkActivity(t, inner)
	default:
		t.Errorf("activity %s: embedded %v has no expectations", o.ID, inner.Types)
	}
}

func checkCollection(t *testing.T, o *Object) {
	t.Helper()
	if o.TotalItems == 0 && len(o.Items) == 0 && o.First == nil {
		t.Errorf("collection %s: no totalItems, items or first page", o.ID)
	}
	for i, it := range o.Items {
		if it.ID == "" {
			t.Errorf("collection %s: item %d has no id", o.ID, i)
		}
		if it.Obj != nil {
			checkDocument(t, it.Obj)
		}
	}
}
