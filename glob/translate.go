package glob

// This file turns a glob into the source of the JavaScript regular expression that
// picomatch 3.0.1 would test a path against (options {strictSlashes: false}, everything
// else default). The dialect is defined by that expression, quirks included, so the
// translation works on the same text picomatch works on: UTF-16 code units, tokens whose
// value and output are strings, and an output string that some steps edit after the fact
// (dropping a tail, escaping the last unescaped bracket, rebuilding from the tokens). The
// result is parsed by syntax.go like any other JavaScript expression.

// Pieces of expression source that the dialect is built from.
var (
	srcDotLiteral   = u16(`\.`)
	srcPlusLiteral  = u16(`\+`)
	srcSlashLiteral = u16(`\/`)
	srcOneChar      = u16(`(?=.)`)
	srcQmark        = u16(`[^/]`)
	srcNoDot        = u16(`(?!\.)`)
	srcNoDotSlash   = u16(`(?!\.{0,1}(?:\/|$))`)
	srcQmarkNoDot   = u16(`[^.\/]`)
	srcStar         = u16(`[^/]*?`)
	srcGlobstar     = u16(`(?:(?:(?!(?:^|\/)\.).)*?)`)
	srcMaybeSlash   = u16(`\/?`)
)

// posixClasses holds the bodies of the POSIX bracket classes ([:alpha:] and friends).
var posixClasses = map[string]string{
	"alnum":  `a-zA-Z0-9`,
	"alpha":  `a-zA-Z`,
	"ascii":  `\x00-\x7F`,
	"blank":  ` \t`,
	"cntrl":  `\x00-\x1F\x7F`,
	"digit":  `0-9`,
	"graph":  `\x21-\x7E`,
	"lower":  `a-z`,
	"print":  `\x20-\x7E `,
	"punct":  `\-!"#$%&'()\*+,./:;<=>?@[\]^_` + "`" + `{|}~`,
	"space":  ` \t\r\n\v\f`,
	"upper":  `A-Z`,
	"word":   `A-Za-z0-9_`,
	"xdigit": `A-Fa-f0-9`,
}

// inheritedNames are the properties of JavaScript's Object.prototype. picomatch looks names
// up in plain objects, so these names find an inherited value where a missing one was
// expected: a whole pattern spelled like one of them makes picomatch throw, and a POSIX class
// spelled like one of them expands to the text of that value.
var inheritedNames = map[string]string{
	"constructor":          "function Object() { [native code] }",
	"__defineGetter__":     "function __defineGetter__() { [native code] }",
	"__defineSetter__":     "function __defineSetter__() { [native code] }",
	"hasOwnProperty":       "function hasOwnProperty() { [native code] }",
	"__lookupGetter__":     "function __lookupGetter__() { [native code] }",
	"__lookupSetter__":     "function __lookupSetter__() { [native code] }",
	"isPrototypeOf":        "function isPrototypeOf() { [native code] }",
	"propertyIsEnumerable": "function propertyIsEnumerable() { [native code] }",
	"toString":             "function toString() { [native code] }",
	"valueOf":              "function valueOf() { [native code] }",
	"__proto__":            "[object Object]",
	"toLocaleString":       "function toLocaleString() { [native code] }",
}

// translateError reports a pattern picomatch cannot turn into an expression.
type translateError struct {
	code ErrorCode
	unit int // index into the pattern's code units
}

// translation is the outcome of translating one glob.
type translation struct {
	source []uint16 // the complete expression source, anchors included
}

// translate returns the expression source picomatch builds for pattern.
func translate(pattern []uint16) (translation, *translateError) {
	if len(pattern) > MaxPatternLength {
		return translation{}, &translateError{ErrTooLong, MaxPatternLength}
	}
	var body []uint16
	negated := false
	if len(pattern) > 0 && (pattern[0] == '.' || pattern[0] == '*') {
		body = shortcut(pattern)
	}
	if body == nil {
		r, err := translateGlob(pattern, true)
		if err != nil {
			return translation{}, err
		}
		body, negated = r.out, r.negated
	}
	src := make([]uint16, 0, len(body)+16)
	src = append(src, u16(`^(?:`)...)
	src = append(src, body...)
	src = append(src, u16(`)$`)...)
	if negated {
		w := make([]uint16, 0, len(src)+10)
		w = append(w, u16(`^(?!`)...)
		w = append(w, src...)
		w = append(w, u16(`).*$`)...)
		src = w
	}
	return translation{source: src}, nil
}

// replacements are whole patterns that picomatch swaps for shorter equivalents first.
func replacement(p []uint16) []uint16 {
	switch string(unitsString(p)) {
	case "***":
		return u16("*")
	case "**/**", "**/**/**":
		return u16("**")
	}
	return p
}

// shortcut handles the handful of whole-pattern shapes that picomatch compiles without its
// tokenizer (patterns starting with "." or "*"). It returns nil when the pattern has none
// of those shapes.
func shortcut(p []uint16) []uint16 {
	p = replacement(p)
	if hasPrefix(p, u16("./")) {
		p = p[2:]
	}
	s := shortcutShape(p)
	if s == nil {
		return nil
	}
	return append(s, srcMaybeSlash...)
}

func shortcutShape(p []uint16) []uint16 {
	star := srcStar
	noDot := srcNoDot
	lead := cat(u16(`(?:`), noDot, srcGlobstar, srcSlashLiteral, u16(`)?`))
	switch string(unitsString(p)) {
	case "*":
		return cat(noDot, srcOneChar, star)
	case ".*":
		return cat(srcDotLiteral, srcOneChar, star)
	case "*.*":
		return cat(noDot, star, srcDotLiteral, srcOneChar, star)
	case "*/*":
		return cat(noDot, star, srcSlashLiteral, srcOneChar, noDot, star)
	case "**":
		return cat(noDot, srcGlobstar)
	case "**/*":
		return cat(lead, noDot, srcOneChar, star)
	case "**/*.*":
		return cat(lead, noDot, star, srcDotLiteral, srcOneChar, star)
	case "**/.*":
		return cat(lead, srcDotLiteral, srcOneChar, star)
	}
	// Otherwise: a shape above followed by ".ext" (word characters), applied recursively,
	// the extension being everything after the last dot. A line terminator before the dot
	// defeats the shape.
	dot := -1
	for i := len(p) - 1; i >= 0; i-- {
		if p[i] == '.' {
			dot = i
			break
		}
		if !isWordUnit(p[i]) {
			return nil
		}
	}
	if dot < 0 || dot == len(p)-1 {
		return nil
	}
	for _, c := range p[:dot] {
		if isLineTerminator(c) {
			return nil
		}
	}
	head := shortcutShape(p[:dot])
	if head == nil {
		return nil
	}
	return cat(head, srcDotLiteral, p[dot+1:])
}

// Token kinds, named after the roles picomatch gives its tokens.
type tokKind uint8

const (
	tkBOS tokKind = iota
	tkText
	tkParen
	tkBracket
	tkBrace
	tkComma
	tkSlash
	tkDot
	tkDots
	tkQmark
	tkNegate
	tkPlus
	tkAt
	tkStar
	tkGlobstar
	tkMaybeSlash
)

type token struct {
	kind    tokKind
	value   []uint16
	output  []uint16
	hasOut  bool // output is set (JavaScript: not undefined)
	prev    *token
	posix   bool
	star    bool
	extglob bool
	comma   bool // brace: saw a top-level comma
	dots    bool // brace: saw ".."
	outIdx  int  // brace: length of the output when it opened
	tokIdx  int  // brace: number of tokens when it opened
}

// text returns what the token contributes to the output: its output if set, else its value.
func (t *token) text() []uint16 {
	if t.hasOut {
		return t.output
	}
	return t.value
}

// extFrame is an open extglob: "!(", "?(", "+(", "*(".
type extFrame struct {
	op     uint16 // '!', '?', '+', '*'
	close  []uint16
	inner  []uint16
	prev   *token
	parens int
}

type globResult struct {
	out     []uint16
	negated bool
}

type translator struct {
	in        []uint16
	idx       int
	start     int
	out       []uint16
	tokens    []*token
	prev      *token
	bos       *token
	brackets  int
	braces    int
	parens    int
	quotes    int
	negated   bool
	backtrack bool
	stack     []byte // open constructs, innermost last: 'p' parens, 'k' brackets, 'b' braces
	exts      []*extFrame
	braceStk  []*token
	fast      bool // the simple-pattern shortcut is allowed
}

const noUnit = -1

func (t *translator) peek(n int) int {
	if i := t.idx + n; i >= 0 && i < len(t.in) {
		return int(t.in[i])
	}
	return noUnit
}

func (t *translator) advance() int {
	t.idx++
	if t.idx < len(t.in) {
		return int(t.in[t.idx])
	}
	return noUnit
}

func (t *translator) remaining() []uint16 {
	if t.idx+1 >= len(t.in) {
		return nil
	}
	return t.in[t.idx+1:]
}

func (t *translator) eos() bool { return t.idx == len(t.in)-1 }

func (t *translator) open(kind byte) {
	switch kind {
	case 'p':
		t.parens++
	case 'k':
		t.brackets++
	case 'b':
		t.braces++
	}
	t.stack = append(t.stack, kind)
}

func (t *translator) close(kind byte) {
	switch kind {
	case 'p':
		t.parens--
	case 'k':
		t.brackets--
	case 'b':
		t.braces--
	}
	if len(t.stack) > 0 {
		t.stack = t.stack[:len(t.stack)-1]
	}
}

// push adds a token, merging consecutive text tokens and demoting a "**" that turns out not
// to stand alone as a segment.
func (t *translator) push(tok *token) {
	if p := t.prev; p.kind == tkGlobstar {
		inBrace := t.braces > 0 && (tok.kind == tkComma || tok.kind == tkBrace)
		inExt := tok.extglob || (len(t.exts) > 0 && tok.kind == tkParen)
		if tok.kind != tkSlash && tok.kind != tkParen && !inBrace && !inExt {
			t.out = dropTail(t.out, len(p.text()))
			p.kind = tkStar
			p.value = u16("*")
			p.output, p.hasOut = srcStar, true
			t.out = append(t.out, p.output...)
		}
	}
	if len(t.exts) > 0 && tok.kind != tkParen {
		f := t.exts[len(t.exts)-1]
		f.inner = cat(f.inner, tok.value)
	}
	if len(tok.value) > 0 || len(tok.output) > 0 {
		t.out = append(t.out, tok.text()...)
	}
	if t.prev.kind == tkText && tok.kind == tkText {
		p := t.prev
		if p.hasOut {
			p.output = cat(p.output, tok.value)
		} else {
			p.output = cat(tok.value)
		}
		p.hasOut = true
		p.value = cat(p.value, tok.value)
		return
	}
	tok.prev = t.prev
	t.tokens = append(t.tokens, tok)
	t.prev = tok
}

func (t *translator) pushText(value []uint16) {
	t.push(&token{kind: tkText, value: value})
}

func (t *translator) pushOut(kind tokKind, value, output []uint16) {
	t.push(&token{kind: kind, value: value, output: output, hasOut: true})
}

// extOpen starts an extglob; the current unit is its operator and the next one is "(".
func (t *translator) extOpen(kind tokKind, op uint16) {
	f := &extFrame{op: op, prev: t.prev, parens: t.parens}
	var open []uint16
	switch op {
	case '!':
		open, f.close = u16(`(?:(?!(?:`), cat(u16(`))`), srcStar, u16(`)`))
	case '?':
		open, f.close = u16(`(?:`), u16(`)?`)
	case '+':
		open, f.close = u16(`(?:`), u16(`)+`)
	case '*':
		open, f.close = u16(`(?:`), u16(`)*`)
	}
	var lead []uint16
	if len(t.out) == 0 {
		lead = srcOneChar
	}
	t.open('p')
	t.pushOut(kind, []uint16{op}, lead)
	paren := t.advance()
	t.push(&token{kind: tkParen, extglob: true, value: unitValue(paren), output: open, hasOut: true})
	t.exts = append(t.exts, f)
}

// extClose ends the innermost extglob at the current ")".
func (t *translator) extClose(f *extFrame, value []uint16) *translateError {
	output := f.close
	if f.op == '!' {
		tail := srcStar
		if len(f.inner) > 1 && indexUnit(f.inner, '/') >= 0 {
			tail = srcGlobstar
		}
		if !equalUnits(tail, srcStar) || t.eos() || onlyCloseParens(t.remaining()) {
			output = cat(u16(`)$))`), tail)
			f.close = output
		}
		if rest := t.remaining(); indexUnit(f.inner, '*') >= 0 && len(rest) > 0 && isExtensionTail(rest) {
			// "!(*.d).ts": the text after the extglob is also part of what is excluded.
			sub, err := translateGlob(rest, false)
			if err != nil {
				return err
			}
			output = cat(u16(`)`), sub.out, u16(`)`), tail, u16(`)`))
			f.close = output
		}
	}
	t.push(&token{kind: tkParen, extglob: true, value: value, output: output, hasOut: true})
	t.close('p')
	return nil
}

// isExtensionTail reports whether s is "." followed by one or more units, none of which is
// "\", "/" or ".".
func isExtensionTail(s []uint16) bool {
	if len(s) < 2 || s[0] != '.' {
		return false
	}
	for _, c := range s[1:] {
		if c == '\\' || c == '/' || c == '.' {
			return false
		}
	}
	return true
}

func onlyCloseParens(s []uint16) bool {
	if len(s) == 0 {
		return false
	}
	for _, c := range s {
		if c != ')' {
			return false
		}
	}
	return true
}

// negate handles a leading run of "!": an odd count negates the whole pattern.
func (t *translator) negate() {
	count := 1
	for t.peek(1) == '!' && (t.peek(2) != '(' || t.peek(3) == '?') {
		t.advance()
		t.start++
		count++
	}
	if count%2 == 0 {
		return
	}
	t.negated = true
	t.start++
}

// translateGlob runs picomatch's tokenizer over p. fast allows the shortcut for patterns
// without any structure (no "/", brackets, braces, parentheses or quotes, not starting with
// "*" or "!").
func translateGlob(p []uint16, fast bool) (globResult, *translateError) {
	p = replacement(p)
	t := &translator{fast: fast}
	t.bos = &token{kind: tkBOS, hasOut: true, output: []uint16{}}
	t.prev = t.bos
	t.tokens = []*token{t.bos}
	if hasPrefix(p, u16("./")) {
		p = p[2:]
	}
	t.in = p
	t.idx = -1
	if fast && isPlain(p) {
		return globResult{out: plainOutput(p)}, nil
	}
	if err := t.run(); err != nil {
		return globResult{}, err
	}
	return globResult{out: t.out, negated: t.negated}, nil
}

// isPlain reports whether the pattern qualifies for the structureless shortcut.
func isPlain(p []uint16) bool {
	if len(p) > 0 && (p[0] == '*' || p[0] == '!') {
		return false
	}
	for _, c := range p {
		switch c {
		case '/', '(', ')', '[', ']', '{', '}', '"':
			return false
		}
	}
	return true
}

// plainOutput translates a structureless pattern: each run of one repeated non-word unit
// (optionally escaped by a backslash) is rewritten on its own, then runs of backslashes
// are collapsed to one or two.
func plainOutput(p []uint16) []uint16 {
	var out []uint16
	backslashes := false
	for i := 0; i < len(p); {
		esc := false
		var first uint16
		j := i
		switch {
		case p[i] == '\\' && i+1 < len(p) && !isWordUnit(p[i+1]):
			esc, first, j = true, p[i+1], i+2
		case !isWordUnit(p[i]):
			first, j = p[i], i+1
		default:
			out = append(out, p[i])
			i++
			continue
		}
		runStart := j
		for j < len(p) && p[j] == first {
			j++
		}
		rest := j - runStart
		whole := p[i:j]
		switch first {
		case '\\':
			backslashes = true
			out = append(out, whole...)
		case '?':
			switch {
			case esc:
				out = append(out, '\\', '?')
				out = appendRepeat(out, srcQmark, rest)
			case i == 0:
				out = append(out, srcQmarkNoDot...)
				out = appendRepeat(out, srcQmark, rest)
			default:
				out = appendRepeat(out, srcQmark, rest+1)
			}
		case '.':
			out = appendRepeat(out, srcDotLiteral, rest+1)
		case '*':
			if esc {
				out = append(out, '\\', '*')
				if rest > 0 {
					out = append(out, srcStar...)
				}
			} else {
				out = append(out, srcStar...)
			}
		default:
			if !esc {
				out = append(out, '\\')
			}
			out = append(out, whole...)
		}
		i = j
	}
	if backslashes {
		var c []uint16
		for i := 0; i < len(out); {
			if out[i] != '\\' {
				c = append(c, out[i])
				i++
				continue
			}
			j := i
			for j < len(out) && out[j] == '\\' {
				j++
			}
			if (j-i)%2 == 0 {
				c = append(c, '\\', '\\')
			} else {
				c = append(c, '\\')
			}
			i = j
		}
		out = c
	}
	return cat(u16(`^(?:`), out, u16(`)$`))
}

func (t *translator) run() *translateError {
	for !t.eos() {
		if t.idx > len(t.in)-1 {
			// picomatch has stepped past the end and its loop never ends.
			return &translateError{ErrNoTermination, len(t.in)}
		}
		c := t.advance()
		if c == 0 {
			continue
		}
		value := unitValue(c)

		if c == '\\' {
			next := t.peek(1)
			if next == '/' || next == '.' || next == ';' {
				continue
			}
			if next == noUnit {
				t.pushText(u16(`\\`))
				continue
			}
			escAt := t.idx
			run := 0
			for k := t.idx + 1; k < len(t.in) && t.in[k] == '\\'; k++ {
				run++
			}
			if run > 2 {
				t.idx += run
				if run%2 != 0 {
					value = append(value, '\\')
				}
			}
			n := t.advance()
			if n == noUnit {
				return &translateError{ErrNoTermination, escAt}
			}
			value = append(value, uint16(n))
			if t.brackets == 0 {
				t.pushText(value)
				continue
			}
		}

		if t.brackets > 0 && (!isUnit(value, ']') || isStr(t.prev.value, "[") || isStr(t.prev.value, "[^")) {
			prev := t.prev
			if isUnit(value, ':') {
				inner := tail(prev.value, 1)
				if indexUnit(inner, '[') >= 0 {
					prev.posix = true
					if indexUnit(inner, ':') >= 0 {
						at := lastIndexUnit(prev.value, '[')
						name := unitsString(tail(prev.value, at+2))
						body, ok := posixClasses[name]
						if !ok {
							body, ok = inheritedNames[name]
						}
						if ok {
							prev.value = cat(prev.value[:at], toUnits(body))
							t.backtrack = true
							colonAt := t.idx
							t.advance()
							if t.idx > len(t.in)-1 {
								return &translateError{ErrNoTermination, colonAt}
							}
							if len(t.bos.output) == 0 && t.tokenIndex(prev) == 1 {
								t.bos.output = srcOneChar
							}
							continue
						}
					}
				}
			}
			if (isUnit(value, '[') && t.peek(1) != ':') || (isUnit(value, '-') && t.peek(1) == ']') {
				value = cat(u16(`\`), value)
			}
			if isUnit(value, ']') && (isStr(prev.value, "[") || isStr(prev.value, "[^")) {
				value = u16(`\]`)
			}
			prev.value = cat(prev.value, value)
			t.out = append(t.out, value...)
			continue
		}

		if t.quotes == 1 && c != '"' {
			value = escapeRegex(value)
			t.prev.value = cat(t.prev.value, value)
			t.out = append(t.out, value...)
			continue
		}

		switch c {
		case '"':
			t.quotes ^= 1
			continue

		case '(':
			t.open('p')
			t.push(&token{kind: tkParen, value: value})
			continue

		case ')':
			if n := len(t.exts); n > 0 && t.parens == t.exts[n-1].parens+1 {
				f := t.exts[n-1]
				t.exts = t.exts[:n-1]
				if err := t.extClose(f, value); err != nil {
					return err
				}
				continue
			}
			out := u16(`\)`)
			if t.parens != 0 {
				out = u16(`)`)
			}
			t.pushOut(tkParen, value, out)
			t.close('p')
			continue

		case '[':
			if indexUnit(t.remaining(), ']') < 0 {
				value = u16(`\[`)
			} else {
				t.open('k')
			}
			t.push(&token{kind: tkBracket, value: value})
			continue

		case ']':
			if t.prev.kind == tkBracket && len(t.prev.value) == 1 {
				t.pushOut(tkText, value, u16(`\]`))
				continue
			}
			if t.brackets == 0 {
				t.pushOut(tkText, value, u16(`\]`))
				continue
			}
			t.close('k')
			prev := t.prev
			body := tail(prev.value, 1)
			if !prev.posix && len(body) > 0 && body[0] == '^' && indexUnit(body, '/') < 0 {
				value = u16(`/]`)
			}
			prev.value = cat(prev.value, value)
			t.out = append(t.out, value...)
			if hasRegexChars(body) {
				continue
			}
			escaped := escapeRegex(prev.value)
			t.out = dropTail(t.out, len(prev.value))
			prev.value = cat(u16(`(?:`), escaped, u16(`|`), prev.value, u16(`)`))
			t.out = append(t.out, prev.value...)
			continue

		case '{':
			t.open('b')
			open := &token{kind: tkBrace, value: value, output: u16(`(`), hasOut: true, outIdx: len(t.out), tokIdx: len(t.tokens)}
			t.braceStk = append(t.braceStk, open)
			t.push(open)
			continue

		case '}':
			if len(t.braceStk) == 0 {
				t.pushOut(tkText, value, value)
				continue
			}
			brace := t.braceStk[len(t.braceStk)-1]
			output := u16(`)`)
			if brace.dots {
				var rng [][]uint16
				for i := len(t.tokens) - 1; i >= 0; i-- {
					tok := t.tokens[i]
					t.tokens = t.tokens[:i]
					if tok.kind == tkBrace {
						break
					}
					if tok.kind != tkDots {
						rng = append([][]uint16{tok.value}, rng...)
					}
				}
				output = expandRange(rng)
				t.backtrack = true
			}
			if !brace.comma && !brace.dots {
				keep := brace.outIdx
				if keep > len(t.out) {
					keep = len(t.out)
				}
				t.out = t.out[:keep:keep]
				brace.value, brace.output, brace.hasOut = u16(`\{`), u16(`\{`), true
				value, output = u16(`\}`), u16(`\}`)
				if brace.tokIdx < len(t.tokens) {
					for _, tok := range t.tokens[brace.tokIdx:] {
						if len(tok.output) > 0 {
							t.out = append(t.out, tok.output...)
						} else {
							t.out = append(t.out, tok.value...)
						}
					}
				}
			}
			t.pushOut(tkBrace, value, output)
			t.close('b')
			t.braceStk = t.braceStk[:len(t.braceStk)-1]
			continue

		case '|':
			t.pushText(value)
			continue

		case ',':
			output := value
			if len(t.braceStk) > 0 && len(t.stack) > 0 && t.stack[len(t.stack)-1] == 'b' {
				t.braceStk[len(t.braceStk)-1].comma = true
				output = u16(`|`)
			}
			t.pushOut(tkComma, value, output)
			continue

		case '/':
			if t.prev.kind == tkDot && t.idx == t.start+1 {
				// A leading "./" is dropped.
				t.start = t.idx + 1
				t.out = t.out[:0:0]
				t.tokens = t.tokens[:len(t.tokens)-1]
				t.prev = t.bos
				continue
			}
			t.pushOut(tkSlash, value, srcSlashLiteral)
			continue

		case '.':
			if t.braces > 0 && t.prev.kind == tkDot {
				p := t.prev
				if isStr(p.value, ".") {
					p.output, p.hasOut = srcDotLiteral, true
				}
				p.kind = tkDots
				p.output = cat(p.output, value)
				p.value = cat(p.value, value)
				t.braceStk[len(t.braceStk)-1].dots = true
				continue
			}
			if t.braces+t.parens == 0 && t.prev.kind != tkBOS && t.prev.kind != tkSlash {
				t.pushOut(tkText, value, srcDotLiteral)
				continue
			}
			t.pushOut(tkDot, value, srcDotLiteral)
			continue

		case '?':
			isGroup := isStr(t.prev.value, "(")
			if !isGroup && t.peek(1) == '(' && t.peek(2) != '?' {
				t.extOpen(tkQmark, '?')
				continue
			}
			if t.prev.kind == tkParen {
				next := t.peek(1)
				out := value
				if (isGroup && !isLookChar(next)) || (next == '<' && !hasLookbehindOrName(t.remaining())) {
					out = u16(`\?`)
				}
				t.pushOut(tkText, value, out)
				continue
			}
			if t.prev.kind == tkSlash || t.prev.kind == tkBOS {
				t.pushOut(tkQmark, value, srcQmarkNoDot)
				continue
			}
			t.pushOut(tkQmark, value, srcQmark)
			continue

		case '!':
			if t.peek(1) == '(' && (t.peek(2) != '?' || !isLookChar(t.peek(3))) {
				t.extOpen(tkNegate, '!')
				continue
			}
			if t.idx == 0 {
				t.negate()
				continue
			}
			// Otherwise "!" is plain text (below).

		case '+':
			if t.peek(1) == '(' && t.peek(2) != '?' {
				t.extOpen(tkPlus, '+')
				continue
			}
			if isStr(t.prev.value, "(") {
				t.pushOut(tkPlus, value, srcPlusLiteral)
				continue
			}
			if k := t.prev.kind; k == tkBracket || k == tkParen || k == tkBrace || t.parens > 0 {
				t.push(&token{kind: tkPlus, value: value})
				continue
			}
			t.push(&token{kind: tkPlus, value: srcPlusLiteral})
			continue

		case '@':
			if t.peek(1) == '(' && t.peek(2) != '?' {
				t.push(&token{kind: tkAt, extglob: true, value: value, output: []uint16{}, hasOut: true})
				continue
			}
			t.pushText(value)
			continue
		}

		if c != '*' {
			if c == '$' || c == '^' {
				value = cat(u16(`\`), value)
			}
			rest := t.remaining()
			n := 0
			for n < len(rest) && !isSpecialText(rest[n]) {
				n++
			}
			if n > 0 {
				value = cat(value, rest[:n])
				t.idx += n
			}
			t.pushText(value)
			continue
		}

		// c == '*'
		if p := t.prev; p.kind == tkGlobstar || p.star {
			p.kind = tkStar
			p.star = true
			p.value = cat(p.value, value)
			p.output, p.hasOut = srcStar, true
			t.backtrack = true
			continue
		}
		rest := t.remaining()
		if len(rest) >= 2 && rest[0] == '(' && rest[1] != '?' {
			t.extOpen(tkStar, '*')
			continue
		}
		if t.prev.kind == tkStar {
			if t.globstar(rest) {
				continue
			}
			t.pushOut(tkStar, value, []uint16{})
			continue
		}
		tok := &token{kind: tkStar, value: value, output: srcStar, hasOut: true}
		if t.idx == t.start || t.prev.kind == tkSlash || t.prev.kind == tkDot {
			guard := srcNoDot
			if t.prev.kind == tkDot {
				guard = srcNoDotSlash
			}
			t.out = append(t.out, guard...)
			t.appendOutput(t.prev, guard)
			if t.peek(1) != '*' {
				t.out = append(t.out, srcOneChar...)
				t.appendOutput(t.prev, srcOneChar)
			}
		}
		t.push(tok)
	}

	for t.brackets > 0 {
		t.out = escapeLast(t.out, '[', len(t.out)-1)
		t.close('k')
	}
	for t.parens > 0 {
		t.out = escapeLast(t.out, '(', len(t.out)-1)
		t.close('p')
	}
	for t.braces > 0 {
		t.out = escapeLast(t.out, '{', len(t.out)-1)
		t.close('b')
	}
	if t.prev.kind == tkStar || t.prev.kind == tkBracket {
		t.pushOut(tkMaybeSlash, []uint16{}, srcMaybeSlash)
	}
	if t.backtrack {
		var out []uint16
		for _, tok := range t.tokens {
			out = append(out, tok.text()...)
		}
		t.out = out
	}
	return nil
}

// globstar handles a second "*" right after a "*". It reports false when the pair is not a
// globstar (then the second star adds nothing).
func (t *translator) globstar(rest []uint16) bool {
	prev := t.prev
	prior := prev.prev
	before := prior.prev
	isStart := prior.kind == tkSlash || prior.kind == tkBOS
	afterStar := before != nil && (before.kind == tkStar || before.kind == tkGlobstar)
	inBrace := t.braces > 0 && (prior.kind == tkComma || prior.kind == tkBrace)
	inExt := len(t.exts) > 0 && prior.kind == tkParen
	if !isStart && prior.kind != tkParen && !inBrace && !inExt {
		return false
	}
	// Collapse "**/**/**..." into one globstar.
	for len(rest) >= 3 && rest[0] == '/' && rest[1] == '*' && rest[2] == '*' {
		if a := t.peek(4); a != noUnit && a != '/' {
			break
		}
		rest = rest[3:]
		t.idx += 3
	}
	star := u16("*")
	switch {
	case prior.kind == tkBOS && t.eos():
		prev.kind = tkGlobstar
		prev.value = cat(prev.value, star)
		prev.output, prev.hasOut = srcGlobstar, true
		t.out = cat(prev.output)
	case prior.kind == tkSlash && prior.prev.kind != tkBOS && !afterStar && t.eos():
		t.out = dropTail(t.out, len(prior.text())+len(prev.text()))
		prior.output, prior.hasOut = cat(u16(`(?:`), prior.text()), true
		prev.kind = tkGlobstar
		prev.output, prev.hasOut = cat(srcGlobstar, u16(`|$)`)), true
		prev.value = cat(prev.value, star)
		t.out = append(t.out, prior.output...)
		t.out = append(t.out, prev.output...)
	case prior.kind == tkSlash && prior.prev.kind != tkBOS && len(rest) > 0 && rest[0] == '/':
		end := []uint16{}
		if len(rest) > 1 {
			end = u16(`|$`)
		}
		t.out = dropTail(t.out, len(prior.text())+len(prev.text()))
		prior.output, prior.hasOut = cat(u16(`(?:`), prior.text()), true
		prev.kind = tkGlobstar
		prev.output, prev.hasOut = cat(srcGlobstar, srcSlashLiteral, u16(`|`), srcSlashLiteral, end, u16(`)`)), true
		prev.value = cat(prev.value, star)
		t.out = append(t.out, prior.output...)
		t.out = append(t.out, prev.output...)
		t.advance()
		t.pushOut(tkSlash, u16("/"), []uint16{})
	case prior.kind == tkBOS && len(rest) > 0 && rest[0] == '/':
		prev.kind = tkGlobstar
		prev.value = cat(prev.value, star)
		prev.output, prev.hasOut = cat(u16(`(?:^|`), srcSlashLiteral, u16(`|`), srcGlobstar, srcSlashLiteral, u16(`)`)), true
		t.out = cat(prev.output)
		t.advance()
		t.pushOut(tkSlash, u16("/"), []uint16{})
	default:
		t.out = dropTail(t.out, len(prev.text()))
		prev.kind = tkGlobstar
		prev.output, prev.hasOut = srcGlobstar, true
		prev.value = cat(prev.value, star)
		t.out = append(t.out, prev.output...)
	}
	return true
}

// appendOutput appends s to a token's output; an unset output reads as "undefined", as it
// would in JavaScript.
func (t *translator) appendOutput(tok *token, s []uint16) {
	if !tok.hasOut {
		tok.output = u16("undefined")
		tok.hasOut = true
	}
	tok.output = cat(tok.output, s)
}

func (t *translator) tokenIndex(tok *token) int {
	for i, x := range t.tokens {
		if x == tok {
			return i
		}
	}
	return -1
}

// expandRange turns the parts of "{a..e}" into a class "[a-e]" (parts sorted as strings),
// or, when that class is not a valid expression, into the escaped parts joined by "..".
func expandRange(parts [][]uint16) []uint16 {
	sorted := make([][]uint16, len(parts))
	copy(sorted, parts)
	// Insertion sort by code units, as JavaScript's default sort compares strings.
	for i := 1; i < len(sorted); i++ {
		for j := i; j > 0 && lessUnits(sorted[j], sorted[j-1]); j-- {
			sorted[j], sorted[j-1] = sorted[j-1], sorted[j]
		}
	}
	class := []uint16{'['}
	for i, p := range sorted {
		if i > 0 {
			class = append(class, '-')
		}
		class = append(class, p...)
	}
	class = append(class, ']')
	if validExpression(class) {
		return class
	}
	var out []uint16
	for i, p := range sorted {
		if i > 0 {
			out = append(out, '.', '.')
		}
		out = append(out, escapeRegex(p)...)
	}
	return out
}

// escapeLast puts a backslash before the last occurrence of c at or before index from that
// is not already preceded by a backslash.
func escapeLast(s []uint16, c uint16, from int) []uint16 {
	for {
		i := -1
		for k := min(from, len(s)-1); k >= 0; k-- {
			if s[k] == c {
				i = k
				break
			}
		}
		if i < 0 {
			return s
		}
		if i > 0 && s[i-1] == '\\' {
			from = i - 1
			continue
		}
		return cat(s[:i], u16(`\`), s[i:])
	}
}

// escapeRegex puts a backslash before each of - * + ? . ^ $ { } ( | ) [ ].
func escapeRegex(s []uint16) []uint16 {
	out := make([]uint16, 0, len(s)+4)
	for _, c := range s {
		if isRegexSpecial(c) {
			out = append(out, '\\')
		}
		out = append(out, c)
	}
	return out
}

func isRegexSpecial(c uint16) bool {
	switch c {
	case '-', '*', '+', '?', '.', '^', '$', '{', '}', '(', '|', ')', '[', ']':
		return true
	}
	return false
}

func hasRegexChars(s []uint16) bool {
	for _, c := range s {
		if isRegexSpecial(c) {
			return true
		}
	}
	return false
}

// isSpecialText reports the units that end a run of plain text in the tokenizer.
func isSpecialText(c uint16) bool {
	switch c {
	case '@', '!', '[', ']', '.', ',', '$', '*', '+', '?', '^', '{', '}', '(', ')', '|', '\\', '/':
		return true
	}
	return false
}

// isLookChar reports whether c is one of ! = < : (what may follow "(?" in a group).
func isLookChar(c int) bool {
	return c == '!' || c == '=' || c == '<' || c == ':'
}

// hasLookbehindOrName reports whether s contains "<!", "<=" or "<" word-units ">".
func hasLookbehindOrName(s []uint16) bool {
	for i, c := range s {
		if c != '<' || i+1 >= len(s) {
			continue
		}
		if s[i+1] == '!' || s[i+1] == '=' {
			return true
		}
		j := i + 1
		for j < len(s) && isWordUnit(s[j]) {
			j++
		}
		if j > i+1 && j < len(s) && s[j] == '>' {
			return true
		}
	}
	return false
}

func isWordUnit(c uint16) bool {
	return c == '_' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
}

func isLineTerminator(c uint16) bool {
	return c == '\n' || c == '\r' || c == 0x2028 || c == 0x2029
}

func unitValue(c int) []uint16 {
	if c == noUnit {
		return []uint16{}
	}
	return []uint16{uint16(c)}
}

func isUnit(v []uint16, c uint16) bool { return len(v) == 1 && v[0] == c }

func isStr(v []uint16, s string) bool {
	if len(v) != len(s) {
		return false
	}
	for i := range v {
		if v[i] != uint16(s[i]) {
			return false
		}
	}
	return true
}

func hasPrefix(s, p []uint16) bool {
	return len(s) >= len(p) && equalUnits(s[:len(p)], p)
}

func equalUnits(a, b []uint16) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func lessUnits(a, b []uint16) bool {
	for i := 0; i < len(a) && i < len(b); i++ {
		if a[i] != b[i] {
			return a[i] < b[i]
		}
	}
	return len(a) < len(b)
}

func indexUnit(s []uint16, c uint16) int {
	for i, x := range s {
		if x == c {
			return i
		}
	}
	return -1
}

func lastIndexUnit(s []uint16, c uint16) int {
	for i := len(s) - 1; i >= 0; i-- {
		if s[i] == c {
			return i
		}
	}
	return -1
}

// dropTail removes the last n units of s; like JavaScript's s.slice(0, -n), n == 0 leaves
// nothing.
func dropTail(s []uint16, n int) []uint16 {
	if n <= 0 || n >= len(s) {
		return s[:0:0]
	}
	return s[: len(s)-n : len(s)-n]
}

// tail returns s from index i on, or nothing when i is past the end (JavaScript's slice).
func tail(s []uint16, i int) []uint16 {
	if i >= len(s) {
		return nil
	}
	return s[i:]
}

// cat concatenates into a fresh slice.
func cat(parts ...[]uint16) []uint16 {
	n := 0
	for _, p := range parts {
		n += len(p)
	}
	out := make([]uint16, 0, n)
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

func appendRepeat(dst, s []uint16, n int) []uint16 {
	for ; n > 0; n-- {
		dst = append(dst, s...)
	}
	return dst
}
