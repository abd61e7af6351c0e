package text

import (
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/microcosm-cc/bluemonday"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Remote HTML is cleaned in two stages.
//
//  1. bluemonday applies the allow-list: elements, attributes, URL schemes,
//     and the removal of script-like elements together with their contents.
//     It works on a token stream, so it neither balances tags nor can it
//     filter single class names or rewrite elements.
//  2. The result is parsed by the HTML5 tree builder and walked: class names
//     are filtered, links without an href are unwrapped, rel and target are
//     set, headings become <p><strong>, and layout-only blocks become spaces.
//     Rendering the tree gives balanced markup, so an unclosed <a> or <b> in
//     a post cannot swallow the rest of the page it is embedded in.
//
// Stage 2 only ever sees what stage 1 let through; it unwraps elements,
// adds nothing but <p>, <strong> and spaces, and writes no attribute value
// other than ones stage 1 kept or it fixed itself, so it cannot make the
// output less safe. Its renderer checks the allow-list once more.

// remoteLinkSchemes are the href schemes kept on links, Mastodon's
// LINK_PROTOCOLS. Relative URLs are not among them: they would resolve
// against our origin, not the sender's.
var remoteLinkSchemes = []string{
	"http", "https", "dat", "dweb", "ipfs", "ipns", "ssb", "gopher", "xmpp", "magnet", "gemini",
}

// remoteElements are the elements that reach the client. Headings and the
// layout blocks below pass stage 1 only to be rewritten in stage 2.
var remoteElements = []string{
	"p", "br", "span", "a", "del", "s", "pre", "blockquote", "code", "b", "strong",
	"u", "i", "em", "ul", "ol", "li", "ruby", "rt", "rp",
}

// remoteSpacedBlocks are layout elements that stage 2 replaces by their
// content with a space on either side. Dropping them in stage 1 would glue
// the words of adjacent blocks together ("<div>a</div><div>b</div>" would
// read "ab"); the Sanitize gem behind Mastodon's sanitiser pads such
// elements with spaces too.
var remoteSpacedBlocks = map[atom.Atom]bool{
	atom.Address: true, atom.Article: true, atom.Aside: true, atom.Caption: true,
	atom.Dd: true, atom.Details: true, atom.Div: true, atom.Dl: true, atom.Dt: true,
	atom.Figcaption: true, atom.Figure: true, atom.Footer: true, atom.Header: true,
	atom.Hgroup: true, atom.Hr: true, atom.Main: true, atom.Nav: true,
	atom.Section: true, atom.Summary: true, atom.Table: true, atom.Tbody: true,
	atom.Td: true, atom.Tfoot: true, atom.Th: true, atom.Thead: true, atom.Tr: true,
}

// remoteSkipContent are elements dropped together with everything inside
// them: code, styling, embedded documents and foreign (SVG, MathML) markup,
// none of which is text a reader was meant to see. embed is not listed: it
// is a void element, so it has no content, and bluemonday would wait for an
// end tag that never comes and drop the rest of the post.
var remoteSkipContent = []string{
	"script", "style", "template", "iframe", "frame", "frameset", "object",
	"noscript", "noembed", "noframes", "nostyle", "title", "svg", "math",
}

var (
	// remoteIntegerRE matches the values of ol start and li value.
	remoteIntegerRE = regexp.MustCompile(`^-?[0-9]{1,9}$`)
	// remoteReversedRE matches the boolean attribute reversed, written
	// either bare or as reversed="reversed".
	remoteReversedRE = regexp.MustCompile(`^(?i:reversed)?$`)
	// remoteTranslateRE: like Mastodon, translate is only kept to opt a
	// mention or link out of machine translation.
	remoteTranslateRE = regexp.MustCompile(`^no$`)
)

// remotePolicy is built once at package initialisation and never changed
// afterwards; bluemonday documents a finished Policy as safe for concurrent
// use, so every goroutine can share it.
var remotePolicy = newRemotePolicy()

func newRemotePolicy() *bluemonday.Policy {
	p := bluemonday.NewPolicy()
	p.AllowElements(remoteElements...)
	p.AllowElements("h1", "h2", "h3", "h4", "h5", "h6")
	for a := range remoteSpacedBlocks {
		p.AllowNoAttrs().OnElements(a.String())
	}
	p.SkipElementsContent(remoteSkipContent...)

	p.AllowAttrs("href").OnElements("a")
	p.AllowURLSchemes(remoteLinkSchemes...)
	p.AllowRelativeURLs(false)
	// Class values are inert strings; stage 2 keeps only the allowed names.
	p.AllowAttrs("class").OnElements("a", "span")
	p.AllowAttrs("translate").Matching(remoteTranslateRE).OnElements("a", "span")
	p.AllowAttrs("start").Matching(remoteIntegerRE).OnElements("ol")
	p.AllowAttrs("reversed").Matching(remoteReversedRE).OnElements("ol")
	p.AllowAttrs("value").Matching(remoteIntegerRE).OnElements("li")

	// Stage 2 overwrites rel and target on every link with href anyway
	// (bluemonday adds target only to links with a host); asking here too
	// keeps stage 1's own output safe to use on its own.
	p.RequireNoFollowOnLinks(true)
	p.RequireNoReferrerOnLinks(true)
	p.AddTargetBlankToFullyQualifiedLinks(true)
	return p
}

// remoteLinkRel is set on every link: remote links are not endorsed
// (nofollow), get no handle on our window (noopener) and learn nothing of
// where the reader came from (noreferrer).
const remoteLinkRel = "nofollow noopener noreferrer"

// SanitizeRemoteHTML returns remote post or bio HTML reduced to the
// allow-list of Mastodon's strict sanitiser:
//
//   - Elements p, br, span, a, del, s, pre, blockquote, code, b, strong, u,
//     i, em, ul, ol, li, ruby, rt and rp are kept. A heading becomes
//     <p><strong>…</strong></p>, as Mastodon does, so that its emphasis
//     survives; block elements that broken markup put inside a heading are
//     moved out beside it, since a <p> cannot hold them. Layout blocks (div,
//     table cells, …) become their content between spaces. script, style,
//     iframe, object, template, svg, math and similar are dropped with their
//     content; any other element is dropped but its content kept.
//   - a keeps href when its scheme is http, https, dat, dweb, ipfs, ipns, ssb,
//     gopher, xmpp, magnet or gemini; a link left without href is replaced by
//     its content. Every link gets rel="nofollow noopener noreferrer" and
//     target="_blank".
//   - a and span keep translate="no", and those class names that are h-card,
//     u-url, mention, hashtag, ellipsis, invisible, quote-inline or start
//     with h-, p-, u-, dt- or e- (microformats); other names are removed one
//     by one, and the attribute with the last of them.
//   - ol keeps numeric start and reversed, li a numeric value. Nothing else
//     (style, on*, id, data-*, img, …) survives.
//
// The result is balanced, valid UTF-8, and sanitising it again returns it
// unchanged. It is safe to embed in any page and to return in the client
// API's content.
func SanitizeRemoteHTML(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = remotePolicy.Sanitize(s)
	root, ok := parseRemoteFragment(s)
	if ok && rewriteRemoteTree(root) {
		// Rewriting headings and blocks can leave a tree the HTML parser
		// would never build (say, an <li> that a heading had kept inside
		// another <li>), which a browser or a second sanitising pass would
		// then read differently. Parsing the result once more settles it
		// into the shape every later parse agrees with.
		var b strings.Builder
		renderRemoteChildren(&b, root)
		root, ok = parseRemoteFragment(b.String())
	}
	if !ok {
		// The parser gives up on elements nested more than 512 deep, which
		// only a hostile post does. Its text is still kept, as plain
		// paragraphs like those of a local post.
		return paragraphs(escapeRemoteString(HTMLToText(s)))
	}
	var b strings.Builder
	b.Grow(len(s) + len(s)/8)
	renderRemoteChildren(&b, root)
	return b.String()
}

// parseRemoteFragment parses s as the content of a <div> and returns a
// detached <div> holding the result, so that top-level nodes can be
// replaced like any others. It reports false when the parser refused s.
func parseRemoteFragment(s string) (*html.Node, bool) {
	root := &html.Node{Type: html.ElementNode, Data: "div", DataAtom: atom.Div}
	nodes, err := html.ParseFragment(strings.NewReader(s), root)
	if err != nil {
		return nil, false
	}
	for _, n := range nodes {
		root.AppendChild(n)
	}
	return root, true
}

// escapeRemoteTo is escapeTo that also writes a carriage return (which a
// character reference such as &#13; can put into text) as a reference: a
// parser reads a raw one as a newline, and the output would change when
// sanitised again.
func escapeRemoteTo(b *strings.Builder, s string) {
	for {
		i := strings.IndexByte(s, '\r')
		if i < 0 {
			escapeTo(b, s)
			return
		}
		escapeTo(b, s[:i])
		b.WriteString("&#13;")
		s = s[i+1:]
	}
}

func escapeRemoteString(s string) string {
	var b strings.Builder
	b.Grow(len(s) + len(s)/8)
	escapeRemoteTo(&b, s)
	return b.String()
}

// rewriteRemoteTree applies stage 2 below parent, children before their
// parent so a rewritten element never has to be looked at again. It reports
// whether elements were added, removed or moved, which can make the tree one
// the parser would not build.
func rewriteRemoteTree(parent *html.Node) (restructured bool) {
	for c := parent.FirstChild; c != nil; {
		next := c.NextSibling
		if c.Type != html.ElementNode {
			c = next
			continue
		}
		if rewriteRemoteTree(c) {
			restructured = true
		}
		switch {
		case c.DataAtom == atom.A:
			filterRemoteClass(c)
			if !hasRemoteAttr(c, "href") {
				unwrapRemote(c)
				restructured = true
				break
			}
			setRemoteLinkAttrs(c)
		case c.DataAtom == atom.Span:
			filterRemoteClass(c)
		case isRemoteHeading(c.DataAtom):
			headingToRemoteParagraphs(c)
			restructured = true
		case remoteSpacedBlocks[c.DataAtom]:
			spaceRemoteBlock(c)
			restructured = true
		}
		c = next
	}
	return restructured
}

func isRemoteHeading(a atom.Atom) bool {
	switch a {
	case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
		return true
	}
	return false
}

// isRemoteBlock reports whether an element may not stand inside a <p>,
// among those stage 1 lets through.
func isRemoteBlock(n *html.Node) bool {
	if n.Type != html.ElementNode {
		return false
	}
	switch n.DataAtom {
	case atom.P, atom.Pre, atom.Blockquote, atom.Ul, atom.Ol, atom.Li:
		return true
	}
	return isRemoteHeading(n.DataAtom) || remoteSpacedBlocks[n.DataAtom]
}

// headingToRemoteParagraphs replaces heading h by <p><strong> paragraphs
// holding its inline content, with any block children moved out between
// them in order. An empty heading still gives an empty paragraph, as it
// does in Mastodon.
func headingToRemoteParagraphs(h *html.Node) {
	parent := h.Parent
	var strong *html.Node
	empty := h.FirstChild == nil
	for c := h.FirstChild; c != nil; {
		next := c.NextSibling
		h.RemoveChild(c)
		switch {
		case isRemoteBlock(c):
			parent.InsertBefore(c, h)
			strong = nil
		case strong == nil && isRemoteWhitespace(c):
			// Whitespace between blocks needs no paragraph of its own.
			parent.InsertBefore(c, h)
		default:
			if strong == nil {
				strong = newRemoteParagraph(parent, h)
			}
			strong.AppendChild(c)
		}
		c = next
	}
	if empty {
		newRemoteParagraph(parent, h)
	}
	parent.RemoveChild(h)
}

// newRemoteParagraph inserts <p><strong></strong></p> before ref and returns
// the strong element.
func newRemoteParagraph(parent, ref *html.Node) *html.Node {
	p := &html.Node{Type: html.ElementNode, Data: "p", DataAtom: atom.P}
	strong := &html.Node{Type: html.ElementNode, Data: "strong", DataAtom: atom.Strong}
	p.AppendChild(strong)
	parent.InsertBefore(p, ref)
	return strong
}

// spaceRemoteBlock replaces n by its children with a space before and
// after, unless whitespace or the edge of its parent is there already, so
// that words stay apart without runs of spaces piling up.
func spaceRemoteBlock(n *html.Node) {
	if prev := n.PrevSibling; prev != nil && !endsWithRemoteSpace(prev) {
		n.Parent.InsertBefore(&html.Node{Type: html.TextNode, Data: " "}, n)
	}
	if next := n.NextSibling; next != nil && !startsWithRemoteSpace(next) {
		n.Parent.InsertBefore(&html.Node{Type: html.TextNode, Data: " "}, n.NextSibling)
	}
	unwrapRemote(n)
}

func isRemoteWhitespace(n *html.Node) bool {
	return n.Type == html.TextNode && strings.TrimLeft(n.Data, " \t\n\f\r") == ""
}

func endsWithRemoteSpace(n *html.Node) bool {
	return n.Type == html.TextNode && n.Data != "" && isRemoteSpace(n.Data[len(n.Data)-1])
}

func startsWithRemoteSpace(n *html.Node) bool {
	return n.Type == html.TextNode && n.Data != "" && isRemoteSpace(n.Data[0])
}

// isRemoteSpace is HTML's ASCII whitespace, which separates class names and
// collapses in rendering; other Unicode spaces (such as U+00A0) do neither.
func isRemoteSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r'
}

// unwrapRemote replaces n by its children.
func unwrapRemote(n *html.Node) {
	parent := n.Parent
	for c := n.FirstChild; c != nil; {
		next := c.NextSibling
		n.RemoveChild(c)
		parent.InsertBefore(c, n)
		c = next
	}
	parent.RemoveChild(n)
}

func hasRemoteAttr(n *html.Node, key string) bool {
	for _, a := range n.Attr {
		if a.Key == key && a.Namespace == "" {
			return true
		}
	}
	return false
}

// setRemoteLinkAttrs replaces whatever rel and target a link has by ours,
// last, in a fixed order so that sanitising twice gives the same bytes.
func setRemoteLinkAttrs(n *html.Node) {
	attrs := n.Attr[:0]
	for _, a := range n.Attr {
		if a.Key != "rel" && a.Key != "target" {
			attrs = append(attrs, a)
		}
	}
	n.Attr = append(attrs,
		html.Attribute{Key: "rel", Val: remoteLinkRel},
		html.Attribute{Key: "target", Val: "_blank"},
	)
}

// filterRemoteClass removes the class names that are not allowed from n's
// class attribute, and the attribute when none remains. Filtering name by
// name (rather than rejecting the whole attribute for one foreign name)
// keeps "h-card" on a mention that also carries, say, "status-link".
func filterRemoteClass(n *html.Node) {
	attrs := n.Attr[:0]
	for _, a := range n.Attr {
		if a.Key == "class" {
			var kept []string
			for _, name := range strings.FieldsFunc(a.Val, func(r rune) bool {
				return r < utf8.RuneSelf && isRemoteSpace(byte(r))
			}) {
				if allowedRemoteClass(name) {
					kept = append(kept, name)
				}
			}
			if len(kept) == 0 {
				continue
			}
			a.Val = strings.Join(kept, " ")
		}
		attrs = append(attrs, a)
	}
	n.Attr = attrs
}

// allowedRemoteClass reports whether a class name is one the client styles
// or reads: the ones Mastodon emits for mentions, hashtags, shortened links
// and quotes, and microformats, which other servers use to mark up people
// and posts.
func allowedRemoteClass(name string) bool {
	switch name {
	case "h-card", "u-url", "mention", "hashtag", "ellipsis", "invisible", "quote-inline":
		return true
	}
	for _, prefix := range []string{"h-", "p-", "u-", "dt-", "e-"} {
		if strings.HasPrefix(name, prefix) {
			return true
		}
	}
	return false
}

// remoteRenderAttrs are the attributes the renderer writes, per element and
// in this order: a second guard over bluemonday's allow-list, not a
// replacement for it.
var remoteRenderAttrs = map[atom.Atom][]string{
	atom.A:    {"href", "class", "translate", "rel", "target"},
	atom.Span: {"class", "translate"},
	atom.Ol:   {"start", "reversed"},
	atom.Li:   {"value"},
}

var remoteRenderElements = func() map[atom.Atom]bool {
	m := make(map[atom.Atom]bool, len(remoteElements))
	for _, e := range remoteElements {
		a := atom.Lookup([]byte(e))
		if a == 0 {
			panic("text: no atom for allowed element " + e)
		}
		m[a] = true
	}
	return m
}()

// renderRemoteChildren writes the children of n as HTML. It is not
// html.Render because the output should match the HTML this package
// renders for local posts (<br />, and escapes as escapeTo writes them),
// and so that only allowed elements and attributes are ever written.
func renderRemoteChildren(b *strings.Builder, n *html.Node) {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		renderRemoteNode(b, c)
	}
}

func renderRemoteNode(b *strings.Builder, n *html.Node) {
	switch n.Type {
	case html.TextNode:
		escapeRemoteTo(b, n.Data)
	case html.ElementNode:
		if n.Namespace != "" || !remoteRenderElements[n.DataAtom] {
			renderRemoteChildren(b, n)
			return
		}
		b.WriteByte('<')
		b.WriteString(n.Data)
		// Attributes go out in the allow-list's order, not the input's:
		// the parser sorts those of formatting elements such as <a>, and a
		// fixed order puts href first, as every server writes it.
		for _, key := range remoteRenderAttrs[n.DataAtom] {
			for _, a := range n.Attr {
				if a.Key != key || a.Namespace != "" {
					continue
				}
				b.WriteByte(' ')
				b.WriteString(a.Key)
				b.WriteString(`="`)
				escapeRemoteTo(b, a.Val)
				b.WriteByte('"')
				break
			}
		}
		if n.DataAtom == atom.Br {
			b.WriteString(" />")
			return
		}
		b.WriteByte('>')
		// The parser drops a newline right after <pre>, so one that
		// belongs to the content needs another in front of it.
		if n.DataAtom == atom.Pre && n.FirstChild != nil &&
			n.FirstChild.Type == html.TextNode && strings.HasPrefix(n.FirstChild.Data, "\n") {
			b.WriteByte('\n')
		}
		renderRemoteChildren(b, n)
		b.WriteString("</")
		b.WriteString(n.Data)
		b.WriteByte('>')
	}
	// Comments and doctypes cannot come out of stage 1; nothing else is
	// written.
}

// HTMLToText returns the plain text of (sanitised or not) HTML: <br> and the
// break between paragraphs become newlines, entities are decoded and tags
// dropped; for search indexes, notification texts and length checks.
//
// Paragraphs and other blocks (blockquote, pre, headings) are separated by a
// blank line and list items, lines of a div or table rows by a single
// newline, so the text of Render's output is its source again. Outside <pre>
// whitespace collapses to single spaces as a browser shows it, and there is
// no leading or trailing whitespace. Contents that SanitizeRemoteHTML drops
// (script, style, svg, …) are dropped here too.
func HTMLToText(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	z := html.NewTokenizer(strings.NewReader(s))
	var w remoteTextWriter
	w.b.Grow(len(s))
	skip := 0 // depth inside elements whose content is dropped
	pre := 0  // depth inside <pre>
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			// io.EOF, or a reader error that a strings.Reader never gives.
			return w.b.String()
		case html.TextToken:
			if skip == 0 {
				w.text(string(z.Text()), pre > 0)
			}
		case html.StartTagToken, html.SelfClosingTagToken, html.EndTagToken:
			name, _ := z.TagName()
			if textSkipContent[string(name)] {
				if tt == html.StartTagToken {
					skip++
				} else if tt == html.EndTagToken && skip > 0 {
					skip--
				}
				continue
			}
			if skip > 0 {
				continue
			}
			a := atom.Lookup(name)
			switch {
			case a == atom.Br:
				// </br> is a line break to parsers too.
				w.lineBreak()
			case a == atom.Pre:
				if tt == html.StartTagToken {
					pre++
					w.newPre = true
				} else if tt == html.EndTagToken && pre > 0 {
					pre--
				}
				w.block(2)
			case a == atom.Td || a == atom.Th:
				w.space = true
			default:
				if n := textBlockBreaks[a]; n > 0 {
					w.block(n)
				}
			}
		}
	}
}

// textSkipContent is remoteSkipContent as a set. It is keyed by name, not
// atom, because some of these names (nostyle) have no atom, and atom 0 would
// match every unknown element.
var textSkipContent = func() map[string]bool {
	m := make(map[string]bool, len(remoteSkipContent))
	for _, e := range remoteSkipContent {
		m[e] = true
	}
	return m
}()

// textBlockBreaks is how many newlines an element's start or end puts
// between the text before and after it: 2 (a blank line) between
// paragraph-like blocks, 1 between lines.
var textBlockBreaks = map[atom.Atom]int{
	atom.P: 2, atom.Blockquote: 2, atom.H1: 2, atom.H2: 2, atom.H3: 2, atom.H4: 2,
	atom.H5: 2, atom.H6: 2, atom.Table: 2, atom.Section: 2, atom.Article: 2,
	atom.Aside: 2, atom.Header: 2, atom.Footer: 2, atom.Nav: 2, atom.Main: 2,
	atom.Figure: 2, atom.Address: 2, atom.Dl: 2, atom.Details: 2, atom.Hr: 2,
	atom.Ul: 1, atom.Ol: 1, atom.Li: 1, atom.Div: 1, atom.Dt: 1, atom.Dd: 1,
	atom.Tr: 1, atom.Figcaption: 1, atom.Summary: 1, atom.Caption: 1,
}

// remoteTextWriter collects text, holding back spaces and newlines until
// more text follows so that none lead, trail or pile up.
type remoteTextWriter struct {
	b      strings.Builder
	blocks int  // newlines owed for block boundaries
	breaks int  // newlines owed for <br> (and newlines inside <pre>)
	space  bool // a collapsed run of whitespace is owed
	newPre bool // at the start of a <pre>, whose first newline is dropped
}

func (w *remoteTextWriter) block(n int) {
	w.blocks = max(w.blocks, n)
	w.newPre = false
}

func (w *remoteTextWriter) lineBreak() {
	w.breaks++
	w.newPre = false
}

// flush writes what is owed before the next visible character.
func (w *remoteTextWriter) flush() {
	if w.b.Len() > 0 {
		if n := max(w.blocks, w.breaks); n > 0 {
			w.b.WriteString(strings.Repeat("\n", n))
		} else if w.space {
			w.b.WriteByte(' ')
		}
	}
	w.blocks, w.breaks, w.space = 0, 0, false
}

func (w *remoteTextWriter) text(s string, pre bool) {
	if pre && w.newPre && strings.HasPrefix(s, "\n") {
		s = s[1:]
	}
	w.newPre = false
	for len(s) > 0 {
		c := s[0]
		switch {
		case c == 0:
			// The parser drops NUL characters from body text; so do we.
			s = s[1:]
		case pre && c == '\n':
			w.breaks++
			s = s[1:]
		case pre && c == '\r':
			// The tokenizer already turned \r\n and \r into \n; this is
			// only defensive.
			s = s[1:]
		case !pre && isRemoteSpace(c):
			w.space = true
			s = s[1:]
		default:
			w.flush()
			i := 1
			for i < len(s) && s[i] != 0 && s[i] != '\n' && s[i] != '\r' && !(!pre && isRemoteSpace(s[i])) {
				i++
			}
			w.b.WriteString(s[:i])
			s = s[i:]
		}
	}
}
