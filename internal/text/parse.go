package text

import (
	"cmp"
	"slices"
	"strings"
)

// Parsed is what a post's source refers to.
type Parsed struct {
	Mentions []Mention
	Tags     []string // hashtag names as first written (without '#'), deduplicated by TagKey, in order
	Links    []string // http/https URLs in order, deduplicated
}

type entityKind uint8

const (
	entLink entityKind = iota + 1
	entTag
	entMention
)

// entity is one recognised span of the source, in byte offsets.
type entity struct {
	kind       entityKind
	start, end int
	value      string  // URL for links, name for tags
	mention    Mention // for mentions
}

// extract finds links, hashtags and mentions independently and then lets the
// earliest-starting one win any overlap, as Mastodon's Extractor does; that
// is what keeps a '#fragment' or '@user' inside a URL from becoming a tag or
// a mention.
func extract(src string, withTags bool) []entity {
	ents := scanLinks(src)
	if withTags {
		ents = append(ents, scanTags(src)...)
	}
	ents = append(ents, scanMentions(src)...)
	return removeOverlaps(ents)
}

func removeOverlaps(ents []entity) []entity {
	// Starts never tie: each kind begins with a different byte ('h', '#', '@').
	slices.SortFunc(ents, func(a, b entity) int { return cmp.Compare(a.start, b.start) })
	out := ents[:0]
	for _, e := range ents {
		if len(out) > 0 && out[len(out)-1].end > e.start {
			continue
		}
		out = append(out, e)
	}
	return out
}

// Parse returns the mentions, hashtags and links of a post's source, each in
// order of first appearance and without duplicates.
func Parse(src string) Parsed {
	var p Parsed
	seenMention := map[string]bool{}
	seenTag := map[string]bool{}
	seenLink := map[string]bool{}
	for _, e := range extract(src, true) {
		switch e.kind {
		case entLink:
			if !seenLink[e.value] {
				seenLink[e.value] = true
				p.Links = append(p.Links, e.value)
			}
		case entTag:
			if k := TagKey(e.value); !seenTag[k] {
				seenTag[k] = true
				p.Tags = append(p.Tags, e.value)
			}
		case entMention:
			// Domains are already lower-cased; usernames are ASCII, so this
			// is Mastodon's case-insensitive account lookup.
			k := strings.ToLower(e.mention.Username) + "@" + e.mention.Domain
			if !seenMention[k] {
				seenMention[k] = true
				p.Mentions = append(p.Mentions, e.mention)
			}
		}
	}
	return p
}
