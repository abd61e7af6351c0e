package ap

import "testing"

func TestTypeShapes(t *testing.T) {
	for _, c := range []struct {
		doc   string
		typ   string
		types []string
	}{
		{`{"type":"Note"}`, "Note", []string{"Note"}},
		{`{"type":["Note","Page"]}`, "Note", []string{"Note", "Page"}},
		{`{"type":["https://example.org/ns#Extension","Note"]}`, "https://example.org/ns#Extension", []string{"https://example.org/ns#Extension", "Note"}},
		{`{"type":"as:Note"}`, "Note", []string{"Note"}},
		{`{"@type":"https://www.w3.org/ns/activitystreams#Note"}`, "Note", []string{"Note"}},
		{`{"type":["",7,"Note"]}`, "Note", []string{"Note"}},
		{`{"type":42}`, "", nil},
		{`{"type":{"id":"Note"}}`, "", nil},
		{`{}`, "", nil},
	} {
		o := mustParse(t, c.doc)
		eq(t, c.doc+" Type", o.Type, c.typ)
		eq(t, c.doc+" Types", o.Types, c.types)
	}
	o := mustParse(t, `{"type":["Note","toot:Emoji"]}`)
	eq(t, "HasType(Page)", o.HasType("Page"), false)
	eq(t, "HasType(as:Note)", o.HasType("as:Note"), true)
	eq(t, "HasType(Emoji)", o.HasType("Emoji"), true)
	eq(t, "Group is actor", mustParse(t, `{"type":["Group","lemmy:Community"]}`).IsActor(), true)
	eq(t, "Note is not actor", o.IsActor(), false)
	var nilObj *Object
	eq(t, "nil IsActor", nilObj.IsActor(), false)
	eq(t, "nil HasType", nilObj.HasType("Note"), false)
}

func TestActorShapes(t *testing.T) {
	for doc, want := range map[string]string{
		`{"actor":"https://a.example/u/1"}`:                                              "https://a.example/u/1",
		`{"actor":{"type":"Person","id":"https://a.example/u/1"}}`:                       "https://a.example/u/1",
		`{"actor":[{"type":"Person","id":"https://a.example/u/1"},"https://b.example"]}`: "https://a.example/u/1",
		`{"actor":[7,null,"https://a.example/u/1"]}`:                                     "https://a.example/u/1",
		`{"actor":{"@id":"https://a.example/u/1"}}`:                                      "https://a.example/u/1",
		`{"as:actor":"https://a.example/u/1"}`:                                           "https://a.example/u/1",
		`{"actor":12}`:                                                                   "",
		`{"actor":[[["https://a.example/u/1"]]]}`:                                        "",
	} {
		eq(t, doc, mustParse(t, doc).Actor, want)
	}
}

func TestObjectShapes(t *testing.T) {
	o := mustParse(t, `{"type":"Like","object":"https://b.example/n/1"}`)
	eq(t, "IRI object", *o.Object, Ref{ID: "https://b.example/n/1"})

	o = mustParse(t, `{"type":"Create","object":{"type":"Note","id":"https://b.example/n/1","content":"hi"}}`)
	n := obj(t, "embedded", o.Object)
	eq(t, "embedded id", o.Object.ID, "https://b.example/n/1")
	eq(t, "embedded content", n.Content, "hi")

	o = mustParse(t, `{"type":"Flag","object":["https://b.example/u/1",{"id":"https://b.example/n/2"},{},5]}`)
	eq(t, "len(Objects)", len(o.Objects), 2)
	eq(t, "Object is first", o.Object.ID, "https://b.example/u/1")
	eq(t, "Objects[1]", o.Objects[1].ID, "https://b.example/n/2")

	// An embedded object without id still arrives, with an empty ID.
	o = mustParse(t, `{"type":"Create","object":{"type":"Note","content":"x"}}`)
	eq(t, "id-less embed", [2]any{o.Object.ID, obj(t, "embedded", o.Object).Content}, [2]any{"", "x"})

	o = mustParse(t, `{"type":"Create","object":{"type":"Link","href":"https://b.example/n/3"}}`)
	eq(t, "Link object", o.Object.ID, "https://b.example/n/3")

	for _, doc := range []string{`{"object":null}`, `{"object":""}`, `{"object":true}`, `{"object":{}}`, `{"object":[]}`} {
		if o := mustParse(t, doc); o.Object != nil || o.Objects != nil {
			t.Errorf("%s: Object = %#v", doc, o.Object)
		}
	}
	var nilRef *Ref
	eq(t, "nil Ref IRI", nilRef.IRI(), "")
}

func TestUndoFollow(t *testing.T) {
	o := mustParse(t, `{
		"@context": "https://www.w3.org/ns/activitystreams",
		"id": "https://a.example/u/alice#follows/1/undo",
		"type": "Undo",
		"actor": {"id": "https://a.example/u/alice", "type": "Person"},
		"object": {
			"id": "https://a.example/u/alice#follows/1",
			"type": "Follow",
			"actor": "https://a.example/u/alice",
			"object": {"id": "https://b.example/u/bob", "type": "Person", "inbox": "https://b.example/u/bob/inbox"}
		}
	}`)
	eq(t, "Actor", o.Actor, "https://a.example/u/alice")
	f := obj(t, "follow", o.Object)
	eq(t, "follow type", f.Type, "Follow")
	eq(t, "follow actor", f.Actor, "https://a.example/u/alice")
	bob := obj(t, "followee", f.Object)
	eq(t, "followee inbox", bob.Inbox, "https://b.example/u/bob/inbox")
	eq(t, "followee is actor", bob.IsActor(), true)
}

func TestAttributedTo(t *testing.T) {
	for doc, want := range map[string]string{
		`{"attributedTo":"https://a.example/u/1"}`:                                                                        "https://a.example/u/1",
		`{"attributedTo":{"type":"Person","id":"https://a.example/u/1"}}`:                                                 "https://a.example/u/1",
		`{"attributedTo":[{"type":"Group","id":"https://a.example/c/1"},{"type":"Person","id":"https://a.example/u/1"}]}`: "https://a.example/u/1",
		`{"attributedTo":["https://a.example/c/1",{"type":"Service","id":"https://a.example/bot"}]}`:                      "https://a.example/bot",
		`{"attributedTo":[{"type":"Group","id":"https://a.example/c/1"}]}`:                                                "https://a.example/c/1",
		`{"attributedTo":["https://a.example/u/1","https://a.example/u/2"]}`:                                              "https://a.example/u/1",
		`{"attributedTo":[{"type":"Person"},{"type":"Organization","id":"https://a.example/org"}]}`:                       "https://a.example/org",
		`{"attributedTo":[1,{"type":["Group","Person"],"id":"https://a.example/x"}]}`:                                     "https://a.example/x",
		`{"attributedTo":false}`: "",
	} {
		eq(t, doc, mustParse(t, doc).AttributedTo, want)
	}
}

func TestAudienceShapes(t *testing.T) {
	o := mustParse(t, `{
		"to": "as:Public",
		"cc": ["https://a.example/u/1/followers", {"id": "https://b.example/u/2", "type": "Person"}, 3, null, ""],
		"bto": {"href": "https://c.example/u/3", "type": "Mention"},
		"bcc": 12,
		"audience": ["https://l.example/c/x"]
	}`)
	eq(t, "To", o.To, []string{"as:Public"})
	eq(t, "IsPublic(To[0])", IsPublic(o.To[0]), true)
	eq(t, "CC", o.CC, []string{"https://a.example/u/1/followers", "https://b.example/u/2"})
	eq(t, "BTo", o.BTo, []string{"https://c.example/u/3"})
	eq(t, "BCC", o.BCC, []string(nil))
	eq(t, "Audience", o.Audience, []string{"https://l.example/c/x"})
}

func TestLanguageMaps(t *testing.T) {
	o := mustParse(t, `{"contentMap":{"fr":"<p>bonjour</p>","de":"<p>hallo</p>","en":7}}`)
	eq(t, "smallest tag wins", o.Content, "<p>hallo</p>")
	eq(t, "ContentMap drops non-strings", o.ContentMap, map[string]string{"fr": "<p>bonjour</p>", "de": "<p>hallo</p>"})

	o = mustParse(t, `{"nameMap":{"zz":"z","und":"neutral"},"summaryMap":{"en":"","ja":"注意"}}`)
	eq(t, "und wins", o.Name, "neutral")
	eq(t, "empty entries skipped", o.Summary, "注意")

	o = mustParse(t, `{"content":"plain","contentMap":{"aa":"mapped"}}`)
	eq(t, "plain wins", o.Content, "plain")
	o = mustParse(t, `{"content":"","contentMap":{"aa":"mapped"}}`)
	eq(t, "empty plain falls back", o.Content, "mapped")
	o = mustParse(t, `{"content":{"@value":"expanded","@language":"en"},"name":["",{"@value":"n"}]}`)
	eq(t, "@value content", o.Content, "expanded")
	eq(t, "array name", o.Name, "n")
	o = mustParse(t, `{"content":5,"contentMap":"nope","summary":true,"name":null}`)
	eq(t, "wrong shapes", [3]string{o.Content, o.Summary, o.Name}, [3]string{})
	eq(t, "ContentMap", o.ContentMap, map[string]string(nil))
}

func TestURLShapes(t *testing.T) {
	for doc, want := range map[string]string{
		`{"url":"https://a.example/@u/1"}`:                                               "https://a.example/@u/1",
		`{"url":{"type":"Link","href":"https://a.example/p/1","mediaType":"text/html"}}`: "https://a.example/p/1",
		`{"url":["at://did:plc:x/post/1","https://a.example/p/1"]}`:                      "https://a.example/p/1",
		`{"url":[{"type":"Link","mediaType":"application/x-mpegURL","href":"https://a.example/p.m3u8"},{"type":"Link","mediaType":"text/html; charset=utf-8","href":"https://a.example/watch"}]}`: "https://a.example/watch",
		`{"url":[{"type":"Link","href":"magnet:?xt=1"},{"href":"wss://a.example/t"}]}`:                                                                                                            "",
		`{"url":{"type":"Image","url":"https://a.example/i.png"}}`:                                                                                                                                "https://a.example/i.png",
		`{"url":"javascript:alert(1)"}`: "",
		`{"url":"/relative"}`:           "",
		`{"url":1}`:                     "",
	} {
		eq(t, doc, mustParse(t, doc).URL, want)
	}
}

func TestInReplyToAndContext(t *testing.T) {
	o := mustParse(t, `{"inReplyTo":{"id":"https://a.example/n/1","type":"Note"},"conversation":"tag:a.example,2024:1"}`)
	eq(t, "InReplyTo", o.InReplyTo, "https://a.example/n/1")
	eq(t, "Context from conversation", o.Context, "tag:a.example,2024:1")
	o = mustParse(t, `{"@context":"https://www.w3.org/ns/activitystreams","context":{"id":"https://a.example/ctx/1","type":"Collection"}}`)
	eq(t, "Context object", o.Context, "https://a.example/ctx/1")
	o = mustParse(t, `{"@context":"https://www.w3.org/ns/activitystreams"}`)
	eq(t, "@context is not context", o.Context, "")
}

func TestQuoteAndSource(t *testing.T) {
	eq(t, "quote first", mustParse(t, `{"quoteUrl":"https://a.example/old","quote":"https://a.example/new"}`).Quote, "https://a.example/new")
	eq(t, "quoteUri", mustParse(t, `{"quoteUri":"https://a.example/q"}`).Quote, "https://a.example/q")
	eq(t, "_misskey_quote", mustParse(t, `{"_misskey_quote":"https://a.example/q","quote":5}`).Quote, "https://a.example/q")
	eq(t, "quote object", mustParse(t, `{"quote":{"id":"https://a.example/q"}}`).Quote, "https://a.example/q")
	// FEP-e232 object links: a Link tag with an ActivityStreams media type.
	eq(t, "Link tag", mustParse(t, `{"tag":[{"type":"Mention","href":"https://a.example/u"},
		{"type":"Link","mediaType":"application/ld+json; profile=\"https://www.w3.org/ns/activitystreams\"","href":"https://a.example/q","name":"RE: https://a.example/q"}]}`).Quote, "https://a.example/q")
	eq(t, "Link tag to a web page", mustParse(t, `{"tag":{"type":"Link","mediaType":"text/html","href":"https://a.example/page"}}`).Quote, "")

	eq(t, "source map", *mustParse(t, `{"source":{"content":"*hi*","mediaType":"text/markdown"}}`).Source, Source{"*hi*", "text/markdown"})
	eq(t, "source string", *mustParse(t, `{"source":"hi"}`).Source, Source{Content: "hi"})
	eq(t, "misskey", *mustParse(t, `{"_misskey_content":"$[x2 hi]"}`).Source, Source{"$[x2 hi]", misskeyMarkdown})
	eq(t, "source wins over misskey", mustParse(t, `{"source":{"content":"a"},"_misskey_content":"b"}`).Source.Content, "a")
	if s := mustParse(t, `{"source":{"content":3},"_misskey_content":false}`).Source; s != nil {
		t.Errorf("ill-shaped source = %#v", s)
	}
}

func TestSensitive(t *testing.T) {
	for doc, want := range map[string]bool{
		`{"sensitive":true}`:    true,
		`{"as:sensitive":true}`: true,
		`{"sensitive":"true"}`:  false,
		`{"sensitive":1}`:       false,
		`{"sensitive":null}`:    false,
	} {
		eq(t, doc, mustParse(t, doc).Sensitive, want)
	}
}
