// Package glob implements Infisical's $glob dialect: it decides whether a path matches a
// pattern exactly as Infisical's backend does, which is what picomatch 3.0.1 answers for
// picomatch.isMatch(path, pattern, {strictSlashes: false}) (every other option at its
// default: dot false; extglobs, braces, classes and negation live; POSIX paths; no
// backslash conversion). An empty pattern never matches (Compile refuses it).
//
// Compile parses a pattern once; the returned *Pattern is immutable, safe for concurrent
// use by multiple goroutines, and its Match method allocates nothing:
//
//	p := glob.MustCompile("/apps/**")
//	p.Match("/apps/db/password") // true
//	p.Match("/apps/.env")        // false: "**" does not enter dot segments
//
// # Patterns
//
// Paths are separated by "/". A pattern is made of:
//
//   - any run of characters other than "/", within one segment ("dev*" matches
//     "dev" and "dev-1", not "dev/x"). A lone "*" also matches "/".
//     **         as a whole segment, zero or more segments ("/a/**" matches "/a", "/a/",
//     "/a/b/c"; "/a/**/b" matches "/a/b"); elsewhere, like "*" ("a**" is "a*").
//     "/**/b" does not match "/b".
//     ?          one character other than "/". Characters are UTF-16 code units, so an emoji
//     is two of them ("/??" matches "/😀", "/?" does not).
//     [abc] [a-z] [^a]
//     one character of (or, with "^", not of) the class; a negated class never
//     matches "/". POSIX classes work inside brackets: [[:alpha:]] [[:digit:]]
//     [[:alnum:]] [[:upper:]] [[:lower:]] [[:space:]] [[:blank:]] [[:punct:]]
//     [[:word:]] [[:xdigit:]] [[:cntrl:]] [[:graph:]] [[:print:]] [[:ascii:]].
//     "[!a]" is NOT a negation: it matches "!" or "a" (or the text "[!a]").
//     A class with no special characters also matches its own text: "/[ab]"
//     matches "/a" and "/[ab]".
//     {a,b}      either alternative; alternatives may hold any pattern and may nest.
//     {1..3} {a..e}
//     a range, written as a class of its parts sorted as text: "{1..3}" is
//     [1-3], but "{1..10}" is [1-10], the characters "0" and "1", and a step is
//     one more part ("{1..9..2}" is [1-2-9]).
//     @(a|b) ?(a|b) +(a|b) *(a|b)
//     extglobs: exactly one, at most one, one or more, zero or more of the
//     alternatives.
//     !(a|b)     extglob negation: any run of characters other than "/" such that the text
//     from here does not start with a match of the alternatives. When the extglob
//     ends the pattern, only a run that is entirely a match is excluded
//     ("/a/!(b)" matches "/a/bc" but not "/a/b"; "/a/!(b)x" matches neither
//     "/a/bx" nor "/a/bcx").
//     \c         the character c literally ("\*" is a star). A backslash before "/", "." or
//     ";" is dropped. Some escapes keep the meaning they have in a JavaScript
//     regular expression ("\d" is a digit, "\n" a line feed, "\b" a word
//     boundary, "\1" a backreference to the first brace or parenthesis group).
//     "text"     text in double quotes is literal.
//     !pattern   a leading "!" (an odd number of them) negates the whole pattern: it then
//     matches every path without a line terminator that the rest does not match.
//
// Parentheses, "|", "+" and "?" after a group keep their regular-expression meaning, as in
// picomatch: "(a|b)+" is one or more of "a" or "b".
//
// # Dots
//
// "*", "?" and "**" starting a segment never match a segment that starts with ".":
// "/apps/*" does not match "/apps/.env" and "/apps/**" does not match
// "/apps/x/.git/config". A dot written in the pattern matches: "/.env", "/apps/.*",
// "/**/.git/**", but ".*" matches neither "." nor "..". A class does not have this rule:
// "/[^a]*" matches "/.env".
//
// # Trailing slashes
//
// When the pattern ends with "*" or a class, the path may end with one extra "/":
// "/apps/*" matches "/apps/x/", "/apps*" matches "/apps/", "/a/[bc]" matches "/a/b/". A
// pattern ending in "/**" matches the path with or without a trailing "/" ("/apps/**"
// matches "/apps" and "/apps/"). A pattern ending with literal text, "?" or "/" does not
// get the extra slash: "/apps" does not match "/apps/", "/apps/" does not match
// "/apps//".
//
// # Equality, unbalanced brackets, and other corners
//
// A path equal to the pattern always matches, even where the pattern means something else
// or nothing at all: "/a/[z-a]" (an invalid range) matches only "/a/[z-a]". An unbalanced
// "[", "(" or "{" is treated as picomatch treats it (usually as a literal character, but
// some unbalanced patterns match nothing but themselves). Matching is case-sensitive. The
// empty path never matches. A path or pattern with bytes that are not valid UTF-8 is read
// with each such byte as U+FFFD.
//
// # How decisions are made
//
// picomatch turns a glob into a JavaScript regular expression and tests the path against
// it. Compile does the same translation (translate.go), parses the expression with the
// rules of Node's engine (syntax.go), removes backreferences where that is exact
// (backref.go), drops the negative lookaheads an earlier equal one implies, as in a run of
// "!(*a)" (implied.go), and compiles it into an automaton over UTF-16 code units
// (compile.go).
// Lookaheads, lookbehinds and anchors become tests of a position. Match then uses the
// first of these that can decide:
//
//   - matchers for the shapes most globs have, recognized from the expression itself and
//     run on the path's bytes (fast.go): a literal; a literal followed by "/**"; segments of
//     literals, "?", classes and stars, placed greedily (exact, since a star never crosses
//     "/"); and such blocks between globstars, placed greedily, or on a path with dot
//     segments or line terminators, which a globstar cannot cross, zone by zone or as sets
//     of positions (fastbits.go: every position the blocks so far can end at, a bit each,
//     moved through each piece of the pattern with a few operations a 64-bit word; braces
//     inside blocks become alternatives of one block there). Braces of single units are
//     one unit of a set ("{a,b}" is "[ab]"). Extglobs of single units inside blocks
//     ("*(a|b)", "+(a)", "!(a)", "?(a)"; "!(ab)" where it ends the pattern), a middle
//     "**" that may match the end of the path, and braces of more than 16 combinations
//     (up to 16 in each block, or around whole blocks, as "{/**/a,/**/b}") make one such
//     program, which runs on every path (fastchoice.go). "?" and classes
//     take a code point, so that paths of valid UTF-8 without code points beyond U+FFFF
//     (where a code point is one unit) need no conversion; on other paths they work on a
//     copy that gives each unit an encoding of its own (a surrogate its three bytes). A
//     class that also matches its own text ("[ab]" reads as "(?:\[ab\]|[ab])") is one
//     token, since the path says which of the two matches; only at the start of a block
//     after a globstar, which these matchers place at its leftmost start, is it two
//     alternatives. On a path without "[", where the text cannot match, a second matcher
//     built without it decides (plain.go);
//   - a DFA built lazily from the automaton, one cached table lookup per unit once warm
//     (dfa.go). A match may spend only a bounded amount of work building its states, about
//     what the bit-parallel program would take (exec.go, dfaRate): on a pattern whose
//     states the path keeps renewing (after "/+(a|b)*a" followed by a thousand "?", a
//     state records which of the last thousand units were "a") it gives up after a few
//     units, and most of the automaton's next matches skip it;
//   - a bit-parallel form of the automaton (bitnfa.go, bitexec.go): a set of states is a
//     vector of bits, and a step costs a few operations per 64-bit word whatever the set;
//     a run of 64 or more "?" (or of one literal, or of alternatives of single units such
//     as "{a,b}") becomes a delay line that costs next to nothing per unit; a long run of
//     copies of one item whose strings split a path into copies one way only ("[ab]" with
//     its literal text, "?(a|bc)" as optionals) a repetition line, which costs a few operations
//     per unit however many copies it counts (bitrep.go); and a long run of other items
//     ("{a,ba}", whose strings end one another, single units of different sets, "+(a|b)")
//     a chain, one bit per item, run as a shift-and with a mask per class (bitchain.go,
//     bitfixed.go). A program of one word whose steps would take many jumps or additions
//     steps by a table instead, a lookup per byte of the state;
//   - a simulation of the automaton's state sets (exec.go), where the bit-parallel form
//     would exceed its limits (below).
//
// None of them backtracks: Match takes time linear in the length of the path for a given
// pattern, where picomatch itself is exponential on patterns such as "*a*a*a*a*a*a*a*b*".
// A step of the bit-parallel form costs a few operations per word of its state and per level
// of its nested alternations and optionals, so the factor grows with the pattern.
// BenchmarkMatchAdversarial (bench_test.go) measures 98 shapes of patterns of up to 1 KiB,
// against paths of up to 4 KiB, made to defeat one matcher or another, as a first match meets
// them: the DFA starts with no state cached and gives up once it has spent its budget, and the
// bit-parallel form reads the whole path. On a quiet 2-core machine all of them answer in
// under 100 µs (the slowest, a chain with loops, in about 85 µs, 95 µs on a busier one)
// and 89 in under 60 µs (a busy machine adds a quarter or more):
// "[ab]" repeated 250 times after an ambiguous start, on a path that does not repeat, in
// about 45 µs, where it took 0.6 ms without chains and 7 ms with the DFA alone; runs of 80
// to 160 optionals of one body ("?(ab)", "?(a|bc)", "?(a|ab)", "@(a|bc|?(d))") and of
// copies of an item whose strings split a path into copies one way only ("[ab]" on a path
// full of its literal text, "@(a|ab)") in 40 to 75 µs, as repetition lines (bitrep.go);
// "+(a|*(b|?(cd" nested 55 deep, which is "(a|b|cd)+", in about 40 µs. A delay line or a
// chain that ends the pattern runs over the path's last units only, as many as its longest
// way through (500 for "@(a[ab]|b)" repeated 100 times, in about 35 µs), unless its items
// have loops. Chains of copies of an item with a loop step in registers where a block keeps
// at most three of their rows busy, or two besides the literal text of a class
// (bitchain.go): 200 copies of "+(a)b" in about 75 µs, 100 of "@(+(ab)|a)" in about 70 µs,
// and 75 of "@(+(a)b|[ab])" on a path with the class's literal text in about 70 µs (85 µs
// with "c*" after them). 200 copies of "/**/a" on a path with a line terminator take about
// 14 µs, 150 of "/**/a?" on a path with a non-ASCII unit about 6 µs (8 µs with an emoji),
// and a chunk of 900 "?" between globstars, on a segment of 4000 units, about 3 µs, in the
// fast matcher. On a path whose line terminators or dot segments make many zones, it keeps
// a position per zone (fastzone.go), or moves sets of positions (fastbits.go), whose time
// depends only on the pattern's pieces and the path's length: about one word step for each
// piece and 64 units of the path, less where the positions lie in a band. A sequence whose
// blocks may consume a break and go on in a later zone goes to the sets at once, after a
// small share of work for the zones; others get a third of the sets' time in the zones
// first. 150 of "/**/a?" on 1230 segments "/ab" and then 74 of "/a\n", where every block may
// enter the zones and a band of them stays live, take about 27 µs, and 75 of
// "/**/a?/**/b?" on the like about 28 µs; 146 blocks "/**/a*b" on 1022 segments "/aab" and
// a line terminator at the end, where every star could cross it, about 57 µs (7 ms before,
// with the DFA: the zones tried every start for every block), and 29 blocks of 15 stars
// about 80 µs. Without the sets, a position per zone goes without the positions that lie
// beyond the latest place where the next block can start with the blocks after it matching
// if gaps could cross breaks (latest; a path whose end no block sequence reaches then costs
// little). Where the zones give up (their work budget is 8 units a byte, or an eighth of
// the program's cost where that is more, setFallback), the sets decide; without the sets,
// the DFA would make a state at every segment and the bit-parallel program take about 1 µs
// a unit, 4 to 6 ms (TestFastFallback). 200 of "!(*a)" on a path without "a" take about 75 µs:
// all but the first and last lookaheads go (implied.go), and those, a star and one unit,
// are marked in one backward pass. 200 of "[ab]*", "/**/" and 250 of "[ab]", and "/**" and
// 200 of "/[ab]" take 3 to 8 µs, with or without the classes' text or invalid bytes in the
// path. Searches of other paths for these shapes (hill climbs of a few minutes a shape, and
// paths built as bands of zones) found slower first matches of globstar blocks of many
// kinds on paths whose line terminators make bands of short zones, where every block
// revisits the zones of the band and a zone's start moves at nearly every block: up to
// about 130 µs with a position per zone (12 of the twelve blocks "/**/a?" to "/**/l?" on
// about 100 zones), 26 µs as sets of positions (16 of the nine to "/**/i?" 24 µs, 150
// blocks "/**/X?" of ten kinds in no order 38 µs, and the twelve with braces in the first
// four blocks, 16 alternatives, 21 µs), on a machine that took the shapes above 10 to 15 %
// longer than the figures given for them; BenchmarkMatchSearched times these paths. A
// pattern the fast matchers cannot take goes to the DFA and then the bit-parallel program,
// which for globstar blocks takes about 1 µs a unit: braces of 32 alternatives over those
// blocks, on that path, took about 5 ms that way, and 24 µs as one program of choices; so
// did 113 of "/**/+(a)?", "/**/*(a)b", "/**/?(a)b" or "/**/!(a)?" on "/a" or "/b"
// repeated (4 to 6 ms; 8 to 22 µs now), 34 of "{/**/a?,/**/b?}" (3 ms; 25 µs) and 73 of
// "/**/{a,bc,cd}?" (4 ms; 60 µs) on "/ab" repeated and a line terminator, and 150 of
// "/**/a?" followed by "/!(a)" on a band path (5 ms; 34 µs). So did 100 of "/**/+(ab)?"
// on "/ab" repeated (3.6 ms; 28 µs), and 110 of "/**/!(*a)", "/**/!(ab)" or
// "/**/*(a*b)" and 83 of "/**/*(ab|cd)" (6 to 7 ms; 8 to 12 µs), which programs take as
// runs of repetitions of texts of one width, repetitions of a body with a star (which
// match as the body once, or not at all) and texts that do not follow; 83 of
// "/**/?(a)?(b)", whose optionals were choices that multiplied a block's kinds, took about
// 145 µs and take 10 µs as optional texts of one pass each. A pattern without a
// globstar whose extglobs only such a program takes is one block of it: 200 of "!(a)?" on
// one segment took 1.2 ms in the DFA and take about 73 µs, and 200 of "!(ab)" 1.1 ms and
// 34 µs; 200 of "*(ab)", which the DFA took in about 58 µs, take 83 µs (on a machine that
// took the chains below 20 to 50 % longer than the figures given for them). Repetitions of
// alternatives of different widths between globstars, which fell to the bit-parallel
// program at 4 to 7 ms, are runs of such a program too: 93 of "/**/*(a|bc)" on a path
// of short segments that does not match take about 25 µs, 85 of "/**/+([ab])c", whose
// class also matches its own text, about 25 µs, and 85 of "/**/*(*(a)b)" about 20 µs.
// A block before a middle globstar that may match the end runs, to tell whether it
// leaves the end, from its last segments only, once for equal blocks (55 µs for the 93
// blocks on a path whose last segment holds 3 700 units of "abc"). The 100 µs bound
// does not hold yet for distinct such blocks on such a path (46 of
// "/**/*(a|bc|dX)", each X different: about 1 ms, each block's run stepping through
// the last segment a repetition at a time). Repetitions nested in repetitions
// ("/**/*(x+(a|bc))"), 4.5 ms in the bit-parallel program, are automata whose steps are
// texts: 68 of them on a path of short segments take about 40 µs, and about 130 µs on a
// path whose last segment holds 3 600 units they match. On their
// climbed paths, chains whose DFA gives up before the bit-parallel program runs take 75 to
// 85 µs, "/**/*a", 900 "?" and "/**" on one-byte segments of invalid bytes about 65 µs,
// and 200 of "!(*a)" on a path of "©" about 87 µs.
// So the linear bound holds for every pattern, but its factor, for the worst patterns of
// 1 KiB, reaches about 1 µs a unit of the path where the fast matcher gives up. Later
// matches reuse the DFA's states where the paths allow (BenchmarkMatchAdversarialWarm).
//
// The bit-parallel form adds about 1 KiB to a typical compiled pattern (which takes 2.5 to
// 5 KiB in all), and takes at most about 520 KiB per program (a per-class table of up to
// 64 KiB, up to 4096 additions and 4096 jumps and backward moves of 48 bytes each, and the
// tables of its chains, up to 64 KiB; a chain that would take more is laid out as slots);
// past that the program is simulated; a one-word program that steps by a table builds it,
// 16 KiB, on the first match that runs it. Each goroutine matching a pattern keeps its own
// caches (the DFAs', up to about 512 KiB each, and the state of the bit-parallel programs,
// a few words and up to about 50 KiB for chains, and for a repetition line 21 bytes per
// unit its longest count may span) in a pool; so does the fast matcher, on a path with
// breaks, for a pattern that repeats blocks: up to about 1.6 KiB per zone (a zone per break
// of the path) for its runs, 52 bytes for each scan its memo records, and 5 MiB in all
// (zoneEntries); and for its sets of positions, a row of a bit per unit of the path for
// each class of unit, set and piece of the pattern, 8 MiB at most (maxPosWords: a pattern
// of 1 KiB on a path of about 64 KiB; past that the zones decide alone).
//
// # Limits
//
// Compile refuses, with an *Error whose Code says why:
//
//   - the empty pattern (ErrEmpty);
//   - a pattern longer than MaxPatternLength = 65536 UTF-16 code units (ErrTooLong), as
//     picomatch does;
//   - a pattern longer than 4096 code units (ErrTooComplex). picomatch accepts these, but
//     Node's engine fails on some of the expressions they make (it overflows its stack on
//     "/*" repeated 2504 times, a 5008-character pattern), so Infisical cannot evaluate
//     them reliably;
//   - a pattern whose expression nests groups more than 1000 deep (ErrTooComplex);
//   - a backreference that cannot be removed exactly (ErrBackreference): one to a group
//     inside a lookaround or one that can capture more than 16 different strings ("\1"
//     after "{a,b}" or "(a|b)+" works);
//   - the patterns picomatch throws on, which are exactly the names of the properties of
//     JavaScript's Object.prototype, such as "constructor" (ErrRejected), and those it
//     never finishes reading, which end in four or more backslashes or in a POSIX class
//     name with its closing bracket missing (ErrNoTermination).
//
// In each case Infisical would either refuse to store the rule or fail the check, so a
// refused pattern should make the rule deny.
package glob
