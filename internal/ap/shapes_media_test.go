package ap

import "testing"

func TestTags(t *testing.T) {
	o := mustParse(t, `{"tag":[
		{"type":"Mention","href":"https://a.example/u/1","name":"@u@a.example"},
		{"type":"Hashtag","href":"https://a.example/tags/go","name":"#go"},
		{"type":"Emoji","id":"https://a.example/emoji/1","name":":blob:","icon":{"type":"Image","url":"https://a.example/blob.png"}},
		{"type":"Emoji","name":":arr:","icon":[{"url":{"type":"Link","href":"https://a.example/arr.png"}}]},
		"https://a.example/bare",
		{}, 7, [1]
	]}`)
	eq(t, "Tags", o.Tags, []Tag{
		{Type: "Mention", Href: "https://a.example/u/1", Name: "@u@a.example"},
		{Type: "Hashtag", Href: "https://a.example/tags/go", Name: "#go"},
		{Type: "Emoji", Href: "https://a.example/emoji/1", Name: ":blob:", Icon: "https://a.example/blob.png"},
		{Type: "Emoji", Name: ":arr:", Icon: "https://a.example/arr.png"},
		{Href: "https://a.example/bare"},
	})
	// GoToSocial sends a lone tag as an object.
	eq(t, "single tag", mustParse(t, `{"tag":{"type":"Hashtag","name":"#x"}}`).Tags, []Tag{{Type: "Hashtag", Name: "#x"}})
}

func TestAttachments(t *testing.T) {
	o := mustParse(t, `{"attachment":[
		{"type":"Document","mediaType":"image/jpeg","url":"https://a.example/1.jpg","name":"alt","blurhash":"UABC","width":640,"height":480,"focalPoint":[0.25,-1]},
		{"type":"Image","url":[{"type":"Link","mediaType":"image/webp","href":"https://a.example/2.webp"}],"summary":"gts alt"},
		{"type":"Link","href":"https://a.example/3.png"},
		{"type":"Image","url":"https://a.example/4.png","width":"640","height":-3,"focalPoint":[2,0]},
		{"type":"Image","url":"https://a.example/5.png","width":1.5,"focalPoint":["0","0"]},
		{"type":"PropertyValue","name":"Site","value":"<a href=\"https://me.example\">me</a>"},
		"https://a.example/6.png",
		"not a url", {}, null, 3
	]}`)
	eq(t, "Attachments", o.Attachments, []Attachment{
		{Type: "Document", MediaType: "image/jpeg", URL: "https://a.example/1.jpg", Name: "alt", Blurhash: "UABC", Width: 640, Height: 480, FocalPoint: [2]float64{0.25, -1}, HasFocalPoint: true},
		{Type: "Image", MediaType: "image/webp", URL: "https://a.example/2.webp", Name: "gts alt"},
		{Type: "Link", URL: "https://a.example/3.png"},
		{Type: "Image", URL: "https://a.example/4.png"},
		{Type: "Image", URL: "https://a.example/5.png"},
		{URL: "https://a.example/6.png"},
	})
	eq(t, "Fields", o.Fields, []Field{{Name: "Site", Value: `<a href="https://me.example">me</a>`}})
	o = mustParse(t, `{"attachment":{"type":"schema:PropertyValue","name":"k","schema:value":"v"}}`)
	eq(t, "prefixed PropertyValue", o.Fields, []Field{{Name: "k", Value: "v"}})
	eq(t, "no media", o.Attachments, []Attachment(nil))
}

func TestIconImage(t *testing.T) {
	for doc, want := range map[string]string{
		`{"icon":"https://a.example/a.png"}`:                                                               "https://a.example/a.png",
		`{"icon":{"type":"Image","url":"https://a.example/a.png"}}`:                                        "https://a.example/a.png",
		`{"icon":[{"type":"Image","url":"https://a.example/48.png"},{"url":"https://a.example/120.png"}]}`: "https://a.example/48.png",
		`{"icon":[{"type":"Image"},{"url":"https://a.example/b.png"}]}`:                                    "https://a.example/b.png",
		`{"icon":{"type":"Image","url":{"type":"Link","href":"https://a.example/l.png"}}}`:                 "https://a.example/l.png",
		`{"icon":{"type":"Link","href":"https://a.example/h.png"}}`:                                        "https://a.example/h.png",
		`{"icon":{"url":"data:image/png;base64,AAAA"}}`:                                                    "",
		`{"icon":{"url":7}}`: "",
	} {
		eq(t, doc, mustParse(t, doc).Icon, want)
	}
	eq(t, "image", mustParse(t, `{"image":{"url":"https://a.example/h.jpg"}}`).Image, "https://a.example/h.jpg")
}

func TestActorFields(t *testing.T) {
	o := mustParse(t, `{
		"id": "https://a.example/u/1", "type": "Person",
		"preferredUsername": "one",
		"inbox": "https://a.example/u/1/inbox",
		"outbox": {"id": "https://a.example/u/1/outbox", "type": "OrderedCollection"},
		"followers": "https://a.example/u/1/followers",
		"following": "https://a.example/u/1/following",
		"toot:featured": "https://a.example/u/1/featured",
		"endpoints": {"sharedInbox": "https://a.example/inbox"},
		"manuallyApprovesFollowers": true,
		"toot:discoverable": true,
		"alsoKnownAs": "https://old.example/u/1",
		"movedTo": {"id": "https://new.example/u/1"},
		"publicKey": {"id": "https://a.example/u/1#main-key", "owner": "https://a.example/u/1", "publicKeyPem": "-----BEGIN PUBLIC KEY-----\nX\n-----END PUBLIC KEY-----\n"}
	}`)
	eq(t, "IsActor", o.IsActor(), true)
	eq(t, "collections", [5]string{o.Inbox, o.Outbox, o.Followers, o.Following, o.Featured}, [5]string{
		"https://a.example/u/1/inbox", "https://a.example/u/1/outbox", "https://a.example/u/1/followers",
		"https://a.example/u/1/following", "https://a.example/u/1/featured"})
	eq(t, "SharedInbox", o.SharedInbox, "https://a.example/inbox")
	eq(t, "ManuallyApprovesFollowers", o.ManuallyApprovesFollowers, true)
	eq(t, "Discoverable", [2]bool{o.Discoverable, o.DiscoverablePresent}, [2]bool{true, true})
	eq(t, "Indexable", [2]bool{o.Indexable, o.IndexablePresent}, [2]bool{false, false})
	eq(t, "AlsoKnownAs", o.AlsoKnownAs, []string{"https://old.example/u/1"})
	eq(t, "MovedTo", o.MovedTo, "https://new.example/u/1")
	eq(t, "PublicKey", *o.PublicKey, PublicKey{ID: "https://a.example/u/1#main-key", Owner: "https://a.example/u/1", PEM: "-----BEGIN PUBLIC KEY-----\nX\n-----END PUBLIC KEY-----\n"})

	o = mustParse(t, `{"type":"Person","sharedInbox":"https://m.example/inbox","endpoints":"https://m.example/endpoints","discoverable":"yes","indexable":false}`)
	eq(t, "top-level sharedInbox", o.SharedInbox, "https://m.example/inbox")
	eq(t, "non-bool discoverable", o.DiscoverablePresent, false)
	eq(t, "explicit false indexable", [2]bool{o.Indexable, o.IndexablePresent}, [2]bool{false, true})
}

func TestPublicKeyShapes(t *testing.T) {
	const pem = "-----BEGIN PUBLIC KEY-----\nX\n-----END PUBLIC KEY-----"
	for _, c := range []struct {
		name string
		doc  string
		want *PublicKey
	}{
		{"array, first with PEM", `{"type":"Person","publicKey":[
			{"id":"https://a.example/u#ed","type":"Multikey","publicKeyMultibase":"z6Mk"},
			{"id":"https://a.example/u#rsa","owner":"https://a.example/u","publicKeyPem":"` + `-----BEGIN PUBLIC KEY-----\nX\n-----END PUBLIC KEY-----` + `"},
			{"id":"https://a.example/u#rsa2","owner":"https://a.example/u","publicKeyPem":"other"}]}`,
			&PublicKey{"https://a.example/u#rsa", "https://a.example/u", pem}},
		{"Key document", `{"@context":"https://w3id.org/security/v1","id":"https://a.example/u#main-key","type":"Key","owner":"https://a.example/u","publicKeyPem":"` + `-----BEGIN PUBLIC KEY-----\nX\n-----END PUBLIC KEY-----` + `"}`,
			&PublicKey{"https://a.example/u#main-key", "https://a.example/u", pem}},
		{"CryptographicKey with controller", `{"id":"https://a.example/k","type":"CryptographicKey","controller":{"id":"https://a.example/u"},"publicKeyPem":"P"}`,
			&PublicKey{"https://a.example/k", "https://a.example/u", "P"}},
		{"untyped key document", `{"id":"https://a.example/k","owner":"https://a.example/u","publicKeyPem":"P"}`,
			&PublicKey{"https://a.example/k", "https://a.example/u", "P"}},
		{"sec: prefixed", `{"type":"Person","sec:publicKey":{"id":"https://a.example/k","sec:owner":"https://a.example/u","sec:publicKeyPem":"P"}}`,
			&PublicKey{"https://a.example/k", "https://a.example/u", "P"}},
		{"IRI only", `{"type":"Person","publicKey":"https://a.example/u#main-key"}`, nil},
		{"no PEM", `{"type":"Person","publicKey":{"id":"https://a.example/u#main-key"}}`, nil},
		{"PEM not a string", `{"type":"Person","publicKey":{"id":"k","publicKeyPem":["P"]}}`, nil},
		{"a Note's own publicKeyPem is not a key document", `{"type":"Note","publicKeyPem":"P"}`, nil},
	} {
		eq(t, c.name, mustParse(t, c.doc).PublicKey, c.want)
	}
}

func TestQuestion(t *testing.T) {
	o := mustParse(t, `{
		"type": "Question",
		"anyOf": [
			{"type": "Note", "name": "a", "replies": {"type": "Collection", "totalItems": 3}},
			{"type": "Note", "name": "b", "replies": {"totalItems": -1}},
			{"type": "Note", "name": "c", "replies": "https://a.example/r"},
			"not an option", {}
		],
		"closed": "2024-05-01T10:00:00Z",
		"endTime": "2024-05-01T10:00:00.5+02:00",
		"toot:votersCount": 7
	}`)
	eq(t, "len(AnyOf)", len(o.AnyOf), 3)
	eq(t, "votes", [3]int64{o.AnyOf[0].Votes, o.AnyOf[1].Votes, o.AnyOf[2].Votes}, [3]int64{3, 0, 0})
	eq(t, "names", [3]string{o.AnyOf[0].Name, o.AnyOf[1].Name, o.AnyOf[2].Name}, [3]string{"a", "b", "c"})
	eqTime(t, "Closed", o.Closed, "2024-05-01T10:00:00Z")
	eqTime(t, "EndTime", o.EndTime, "2024-05-01T08:00:00.5Z")
	eq(t, "VotersCount", o.VotersCount, int64(7))
	eq(t, "Votes outside a poll", o.Votes, int64(0))
	eq(t, "closed: true", mustParse(t, `{"closed":true}`).Closed.IsZero(), true)
}

func TestCollections(t *testing.T) {
	o := mustParse(t, `{
		"type": "OrderedCollectionPage",
		"totalItems": 3,
		"partOf": "https://a.example/c",
		"next": {"id": "https://a.example/c?page=2", "type": "OrderedCollectionPage"},
		"prev": "https://a.example/c?page=0",
		"orderedItems": ["https://a.example/1", {"id": "https://a.example/2", "type": "Note"}, {"type": "Note", "content": "no id"}, 4, null],
		"items": ["ignored when orderedItems exists"]
	}`)
	eq(t, "TotalItems", o.TotalItems, int64(3))
	eq(t, "PartOf", o.PartOf, "https://a.example/c")
	eq(t, "Next", o.Next.IRI(), "https://a.example/c?page=2")
	eq(t, "Next embedded", obj(t, "next", o.Next).Type, "OrderedCollectionPage")
	eq(t, "Prev", *o.Prev, Ref{ID: "https://a.example/c?page=0"})
	eq(t, "len(Items)", len(o.Items), 3)
	eq(t, "Items[1].Obj.Type", obj(t, "item 1", &o.Items[1]).Type, "Note")
	eq(t, "Items[2] id-less", o.Items[2].ID, "")

	o = mustParse(t, `{"type":"Collection","items":"https://a.example/1","first":"https://a.example/c?page=1"}`)
	eq(t, "items fallback", o.Items, []Ref{{ID: "https://a.example/1"}})
	eq(t, "First", o.First.IRI(), "https://a.example/c?page=1")

	for doc, want := range map[string]int64{
		`{"totalItems":-5}`:                  0,
		`{"totalItems":2.5}`:                 0,
		`{"totalItems":"12"}`:                0,
		`{"totalItems":1e3}`:                 1000,
		`{"totalItems":1e400}`:               0,
		`{"totalItems":9223372036854775807}`: 9223372036854775807,
		`{"totalItems":9223372036854775808}`: 0,
		`{"totalItems":12.0}`:                12,
	} {
		eq(t, doc, mustParse(t, doc).TotalItems, want)
	}
}

func TestPropAccessors(t *testing.T) {
	o := mustParse(t, `{"nickname":"lain","toot:memorial":true,"views":360,"subscribers":["https://a.example/s",{"id":"https://a.example/t"}]}`)
	eq(t, "StringProp", o.StringProp("nickname"), "lain")
	eq(t, "StringProp wrong shape", o.StringProp("views"), "")
	n, ok := o.IntProp("views")
	eq(t, "IntProp", [2]any{n, ok}, [2]any{int64(360), true})
	_, ok = o.BoolProp("memorial")
	eq(t, "BoolProp of unaliased key", ok, false)
	b, ok := o.BoolProp("toot:memorial")
	eq(t, "BoolProp", [2]bool{b, ok}, [2]bool{true, true})
	eq(t, "IRIsProp", o.IRIsProp("subscribers"), []string{"https://a.example/s", "https://a.example/t"})
	var nilObj *Object
	eq(t, "nil StringProp", nilObj.StringProp("x"), "")

	// FromMap also accepts maps from a plain json.Unmarshal (float64 numbers).
	f := FromMap(map[string]any{"totalItems": float64(4), "type": "Collection", "attachment": []any{map[string]any{"type": "Image", "url": "https://a.example/i", "width": 10}}})
	eq(t, "float64 totalItems", f.TotalItems, int64(4))
	eq(t, "int width", f.Attachments[0].Width, 10)
	eq(t, "FromMap(nil)", FromMap(nil).Type, "")
}
