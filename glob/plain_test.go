package glob

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// TestPlain checks the matcher for paths without "[" where picomatch reads a class both as
// a class and as literal text: Match answers as picomatch does (the answers are the
// oracle's), the plain matcher decides the paths it takes, and the others keep the
// literal reading.
func TestPlain(t *testing.T) {
	for _, c := range []struct {
		pattern, path string
		want          bool
	}{
		{"/x/[ab]", "/x/[ab]", true},
		{"/x/[ab]", "/x/a", true},
		{"/x/[ab]", "/x/[", false},
		{"/**/[ab][ab]", "/q/[ab]a", true},
		{"/**/[ab][ab]", "/q/[ab]", false},
		{"/**/[ab][ab]", "/q/ba", true},
		{"/**/[ab][ab]", "/q/b[a", false},
		{"/x/[abc]*", "/x/[abc]zz", true},
		{"/x/[abc]*", "/x/dzz", false},
		{"/x/@([ab]|x)", "/x/[ab]", true},
		{"/x/[ab]/**", "/x/b/c/d", true},
		{"/x/[ab]/**", "/x/[ab]/c", true},
	} {
		p := MustCompile(c.pattern)
		if got := p.Match(c.path); got != c.want {
			t.Errorf("Match(%q, %q) = %t, want %t", c.pattern, c.path, got, c.want)
		}
		if p.plain == nil {
			t.Errorf("%q: no matcher for plain paths", c.pattern)
			continue
		}
		if strings.Contains(c.path, "[") {
			if p.plainFor(c.path) != p.fast {
				t.Errorf("%q on %q: the plain matcher, on a path with \"[\"", c.pattern, c.path)
			}
			continue
		}
		if m, ok := p.plain.match(c.path); !ok || m != c.want {
			t.Errorf("plain matcher on %q, %q: %t, %t; want %t, true", c.pattern, c.path, m, ok, c.want)
		}
	}
	// 20 of "/**/[ab]*" expand into too many alternatives for the sequences of blocks (a
	// class that may match its own text is not one token at the start of a block after a
	// globstar), but not without their literal text. With it, they are one program of
	// choices (buildChoices).
	p := MustCompile(strings.Repeat("/**/[ab]*", 20))
	if p.fast == nil || !p.fast.choices || p.plain == nil || p.plain.choices {
		t.Errorf("20 of /**/[ab]*: fast matcher %t (choices %t), plain %t; want choices, and a plain one",
			p.fast != nil, p.fast != nil && p.fast.choices, p.plain != nil && !p.plain.choices)
	}
	// Nothing to drop: no second matcher.
	for _, pattern := range []string{"/app/v[0-9]/*", "/x/[^a]", "/app/**", "/x/\\[ab\\]"} {
		if MustCompile(pattern).plain != nil {
			t.Errorf("%q: a matcher for plain paths", pattern)
		}
	}
}

func TestConsumes(t *testing.T) {
	const u = '['
	lit := &node{op: opUnit, set: unitSet{{u, u}}}
	other := &node{op: opUnit, set: unitSet{{'a', 'a'}}}
	both := &node{op: opUnit, set: unitSet{{u, u}, {'a', 'a'}}}
	for _, c := range []struct {
		name string
		n    *node
		want bool
	}{
		{"unit", lit, true},
		{"other unit", other, false},
		{"set with it", both, false},
		{"concat", &node{op: opConcat, subs: []*node{other, lit}}, true},
		{"concat without", &node{op: opConcat, subs: []*node{other, both}}, false},
		{"alt all", &node{op: opAlt, subs: []*node{lit, &node{op: opConcat, subs: []*node{lit, other}}}}, true},
		{"alt one", &node{op: opAlt, subs: []*node{lit, other}}, false},
		{"empty alt", &node{op: opAlt}, false},
		{"repeat 1", &node{op: opRepeat, min: 1, max: -1, subs: []*node{lit}}, true},
		{"repeat 0", &node{op: opRepeat, min: 0, max: 1, subs: []*node{lit}}, false},
		{"capture", &node{op: opCapture, subs: []*node{lit}}, true},
		{"look", &node{op: opLook, subs: []*node{lit}}, false},
	} {
		if got := consumes(c.n, u); got != c.want {
			t.Errorf("%s: consumes = %t, want %t", c.name, got, c.want)
		}
	}
	// withoutUnit leaves the tree it is given as it was.
	alt := &node{op: opAlt, subs: []*node{lit, other}}
	tree := &node{op: opConcat, subs: []*node{other, alt}}
	before := dump(tree)
	w := withoutUnit(tree, u)
	if dump(tree) != before {
		t.Errorf("withoutUnit changed its input: %s, was %s", dump(tree), before)
	}
	if got, want := dump(w), dump(&node{op: opConcat, subs: []*node{other, other}}); got != want {
		t.Errorf("withoutUnit = %s, want %s", got, want)
	}
	if got := dump(withoutUnit(&node{op: opAlt, subs: []*node{lit}}, u)); got != dump(&node{op: opFail}) {
		t.Errorf("withoutUnit of an alternation of one dropped branch = %s, want fail", got)
	}
}

// TestPlainRandom checks the matcher for plain paths against the simulation on random
// patterns of classes that picomatch also reads as literal text, with stars, globstars and
// extglobs, on paths made of their units.
func TestPlainRandom(t *testing.T) {
	parts := []string{"[ab]", "[abc]", "[a/]", "[!a]", "a", "b", "/", "*", "**", "/**/", "?", "@([ab]|c)", "?([ab])", "{[ab],c}", "[]a]", "[a-b]"}
	units := []string{"a", "b", "c", "/", ".", "]", "ab", "a", "b", "[ab]"}
	r := rand.New(rand.NewPCG(5, 8))
	n := 6000
	if testing.Short() {
		n = 1500
	}
	decided := 0
	for i := 0; i < n; i++ {
		var pb strings.Builder
		for k := r.IntN(10) + 1; k > 0; k-- {
			pb.WriteString(parts[r.IntN(len(parts))])
		}
		p, err := Compile(pb.String())
		if err != nil || p.plain == nil {
			continue
		}
		for j := 0; j < 8; j++ {
			var qb strings.Builder
			for k := r.IntN(14) + 1; k > 0; k-- {
				qb.WriteString(units[r.IntN(len(units))])
			}
			if fastVsSim(t, pb.String(), p, qb.String()) >= 0 {
				decided++
			}
		}
	}
	if decided == 0 {
		t.Fatal("the plain matchers decided nothing")
	}
	t.Logf("%d decided", decided)
}
