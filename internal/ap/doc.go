// Package ap turns incoming ActivityStreams / ActivityPub JSON into typed
// values without any I/O.
//
// Senders disagree on shapes. The same property arrives as a string IRI, as
// an object with an id, as an array of either, as a Link object with href,
// or as a language map; numbers show up where strings belong and the other
// way round. Everything here is read through small helpers that accept
// those shapes and leave a field empty when nothing fits, so that a single
// odd property never costs the rest of the document. The package does not
// expand JSON-LD: it reads the compacted form the fediverse actually sends,
// plus the few prefixed spellings ("as:Public", "toot:discoverable") that
// some senders emit.
//
// Parsing is deliberately not verification. An Object says what the sender
// claimed; callers still have to check signatures and that IDs, actors and
// keys share an Origin before trusting any of it.
//
//	o, err := ap.Parse(body)
//	if err != nil {
//		return err // not JSON, not an object, too big or too deep
//	}
//	if o.HasType("Undo") && o.Object != nil && o.Object.Obj != nil {
//		if f := o.Object.Obj; f.HasType("Follow") {
//			unfollow(o.Actor, f.Object.IRI()) // Ref.IRI is nil-safe
//		}
//	}
//
// Resource use is bounded: documents are capped at MaxDocument bytes and
// MaxDepth levels, and at most a few thousand embedded objects are expanded
// per document; beyond that a Ref keeps only its ID, exactly as if the
// sender had written an IRI.
package ap
