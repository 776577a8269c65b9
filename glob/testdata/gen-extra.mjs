#!/usr/bin/env node
// Regenerates picomatch-extra.json, the second differential corpus of package glob: pairs
// from the shared generator with other seeds, adversarial patterns from a generator of our
// own, and hand-written edge cases, all answered by the pinned picomatch (the oracle).
//
//   node gen-extra.mjs [--oracle DIR] [--out FILE] [--seed N --random N]
//
// With --random N, only N random adversarial patterns (seeded by --seed) are generated, for
// large one-off differential runs (WARDEN_GLOB_CORPUS=FILE go test -run TestCorpora).
//
// DIR is the oracle folder with node_modules installed (default: $ORACLE_DIR, else the first
// of ../../../oracle and ../../../shared/oracle relative to this file). The output format is
// the one of testdata/glob-corpus.json (see shared/conformance/README.md).
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const flag = (name, def) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : def;
};
const candidates = [process.env.ORACLE_DIR, join(here, "../../../oracle"), join(here, "../../../shared/oracle")];
const oracleDir = resolve(flag("oracle", candidates.find((d) => d && existsSync(join(d, "node_modules/picomatch")))));
const outFile = flag("out", join(here, "picomatch-extra.json"));
const { globAnswer } = await import(pathToFileURL(join(oracleDir, "lib/infisical-casl.mjs")).href);

// mulberry32: a small seeded generator, so the corpus is reproducible.
let state = Number(flag("seed", 0x5eed2026)) | 0;
const charMode = flag("chars", null) !== null;
const randomOnly = flag("random", null) !== null || charMode;
const rand = () => {
  state = (state + 0x6d2b79f5) | 0;
  let t = Math.imul(state ^ (state >>> 15), 1 | state);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const int = (lo, hi) => lo + Math.floor(rand() * (hi - lo + 1));
const pick = (a) => a[Math.floor(rand() * a.length)];
const chance = (p) => rand() < p;

const pairs = [];
const seen = new Set();
const add = (pattern, path) => {
  const key = JSON.stringify([pattern, path]);
  if (seen.has(key)) return;
  seen.add(key);
  pairs.push({ pattern, path });
};

// 1. The shared generator with other seeds.
for (const seed of randomOnly ? [] : [2, 3, 5, 8, 13]) {
  const r = spawnSync(process.execPath, [join(oracleDir, "gen-glob.mjs"), String(seed), "700"], {
    encoding: "utf8",
    maxBuffer: 1 << 28
  });
  if (r.status !== 0) throw new Error(r.stderr);
  for (const p of JSON.parse(r.stdout).pairs) add(p.pattern, p.path);
}

// 2. Hand-written edge cases: [pattern, [paths...]].
const EMOJI = "😀";
const HANDWRITTEN = [
  ["/?", ["/a", "/😀", "/é", "/.", "//"]],
  ["/??", ["/😀", "/ab", "/a😀"]],
  ["/???", ["/😀", "/a😀", "/😀a"]],
  ["/*?", ["/😀", "/a", "/ab"]],
  ["/?*", ["/😀", "/😀😀"]],
  ["/[^a]", ["/😀", "/b"]],
  ["/[^a][^a]", ["/😀", "/bc"]],
  ["/*[^a]", ["/😀", "/x😀"]],
  [`/${EMOJI}/*`, [`/${EMOJI}/x`, `/${EMOJI}/`, "/x/y"]],
  [`/[${EMOJI}]`, [`/${EMOJI}`, "/x"]],
  [`/${EMOJI}?`, [`/${EMOJI}x`, `/${EMOJI}`]],
  ["/é?", ["/éx", "/é"]],
  ["/\\ud83d\\ude00", ["/😀", "/ud83dude00"]],
  ["/a\\x41", ["/aA", "/ax41"]],
  ["/a\\u0041", ["/aA", "/au0041"]],
  ["/a\\d", ["/a1", "/ad"]],
  ["/a\\w+", ["/ab", "/abc", "/a"]],
  ["/a\\s", ["/a ", "/as"]],
  ["/a\\b", ["/a", "/ab"]],
  ["/\\bfoo\\b", ["/foo", "/xfoo"]],
  ["/a\\1", ["/a\u0001", "/a1"]],
  ["/(a)\\2", ["/a\u0002", "/a2"]],
  ["/a\\8", ["/a8"]],
  ["/a\\012", ["/a\n", "/a012"]],
  ["/a\\0", ["/a\u0000", "/a0"]],
  ["/a\\cJ", ["/a\n", "/acJ"]],
  ["/a\\c1", ["/a\\c1", "/ac1"]],
  ["/a\\k", ["/ak"]],
  ["/(?<n>a)\\k<n>", ["/aa", "/a"]],
  ["/(?<n>a)x", ["/ax"]],
  ["/(?<1>a)x", ["/ax"]],
  ["/(?<é>a)<b>", ["/a<b>", "/a"]],
  ["/(?=a)*", ["/a", "/b"]],
  ["/(?!a)*", ["/a", "/b"]],
  ["/x(?=y)y", ["/xy", "/x"]],
  ["/x(?!y)*", ["/xz", "/xy"]],
  ["/(?<=x)y", ["/xy", "/y"]],
  ["/x(?<=x)y", ["/xy", "/y"]],
  ["/x(?<!a)y", ["/xy"]],
  ["/(?:a|b)", ["/a", "/?:a"]],
  ["/(a|b)+", ["/ab", "/abba", "/"]],
  ["/(a|b)?c", ["/c", "/ac"]],
  ["/(a)?", ["/a", "/"]],
  ["/(a)??", ["/a", "/ax"]],
  ["/(a)+?", ["/aa", "/ax"]],
  ["))|(", ["abc", "/", ")"]],
  ["a)|(b", ["a)|(b", "b"]],
  ["a)|(b))", ["a)", "b)"]],
  ["/a|b", ["/a", "b", "/b"]],
  ["a||b", ["a||b", "a|", "b"]],
  ["a++b", ["a+b", "a++b", "a+++b", "ab"]],
  ["/a++b", ["/a+b", "/a++b", "/a+++b"]],
  ["/a+b", ["/a+b", "/aab"]],
  ["/(a+b)", ["/ab", "/aab", "/a+b"]],
  ["$$", ["$$", "$"]],
  ["a$", ["a$", "a"]],
  ["/a$", ["/a$", "/a"]],
  ["/a^b", ["/a^b"]],
  ["^a", ["^a", "a"]],
  ["--", ["--", "-"]],
  ["a--b", ["a--b"]],
  ["a..b", ["a..b", "a.b"]],
  ["a.*b", ["a.*b", "axb", "a.xb"]],
  ["a.?b", ["a.?b", "a.xb"]],
  ["??", ["ab", ".b", "a."]],
  ["a??", ["abc", "a.c"]],
  ["\\??", ["?a", "?"]],
  ["a\\*", ["a*", "ab"]],
  ["a\\**", ["a*", "a*b"]],
  ["a\\\\b", ["a\\b", "a\\\\b"]],
  ["a\\\\\\b", ["a\\b", "a\\\\b"]],
  ["a\\\\\\\\b", ["a\\\\b", "a\\b"]],
  ["/a\\\\\\b", ["/a\\b"]],
  ["/a\\\\\\\\\\b", ["/a\\\\b", "/a\\b"]],
  ["/a\\\\", ["/a\\", "/a\\\\"]],
  ["/a\\\\\\", ["/a\\", "/a\\\\"]],
  ["\\", ["\\"]],
  ["\\\\", ["\\", "\\\\"]],
  ["/\\/a", ["//a", "/a"]],
  ["/\\.a", ["/.a", "/xa"]],
  ["/\\;a", ["/;a"]],
  ["/a\\;", ["/a;"]],
  ["/a\\.", ["/a.", "/ax"]],
  ["/a/\\.*", ["/a/.x", "/a/x"]],
  ["\"a*\"", ["a*", "ab"]],
  ["/x/\"a*\"/y", ["/x/a*/y"]],
  ["\"*\"/x", ["*/x", "a/x"]],
  ["a\"b", ["a\"b", "ab"]],
  ["/\"[a]\"", ["/[a]", "/a"]],
  ["/[a\"]b", ["/ab", "/\"b"]],
  ["\"", ["\"", ""]],
  ["\"\"", ["\"\"", "x"]],
  ["!", ["!", "a"]],
  ["!!", ["!!", "a"]],
  ["!!!a", ["a", "b"]],
  ["!!a", ["a", "b"]],
  ["!a", ["a", "b", "a\nb", "b\n"]],
  ["!/a/**", ["/a/b", "/b", "/b\n"]],
  ["!*", ["a", "/", ".a", "a/b"]],
  ["!(a)", ["a", "b", "ab"]],
  ["!(a)*", ["a", "b", "ab"]],
  ["!(a)/b", ["a/b", "c/b"]],
  ["!(!(a))", ["a", "b"]],
  ["!(?:a)", ["a", "?:a", "b"]],
  ["!(?=a)", ["a", "b"]],
  ["!(?x)", ["x", "?x"]],
  ["!./a", ["a", "./a", "b"]],
  ["./a", ["a", "./a"]],
  ["./*", ["a", ".a", "./a"]],
  ["./.", ["."]],
  ["./", ["./", ""]],
  [".", [".", "a"]],
  ["..", ["..", "a"]],
  ["/.*/", ["/.a/", "/./", "/../"]],
  ["/.*", ["/.", "/..", "/.a", "/..a"]],
  ["/*.", ["/a.", "/.a."]],
  ["/a/.*", ["/a/.", "/a/..", "/a/.b", "/a/.b/"]],
  ["/.**", ["/.a", "/.a/b"]],
  ["/a/**/.*", ["/a/.b", "/a/x/.b", "/a/.x/.b"]],
  ["/**/.*/**", ["/.a", "/x/.a/y"]],
  ["**/.*", [".a", "x/.a", "x/y/.a"]],
  ["**/*", ["a", "a/b", ".a", "a/.b"]],
  ["**/*.*", ["a.b", "x/a.b"]],
  ["*/*", ["a/b", "a/.b", ".a/b"]],
  ["*.*", ["a.b", ".a.b", "a."]],
  ["*.js", ["a.js", ".js", "x/a.js"]],
  ["*.*.js", ["a.b.js", "a.js"]],
  ["**.js", ["a.js", "a/b.js"]],
  ["**/*.js", ["a.js", "a/b.js", "a/.b.js"]],
  [".*.js", [".a.js", "a.js"]],
  ["*.j-s", ["a.j-s"]],
  ["*.\n", ["a.\n"]],
  ["*\n.js", ["a\n.js"]],
  ["***", ["a", "a/b"]],
  ["**/**", ["a", "a/b", ".a"]],
  ["**/**/**", ["a/b/c"]],
  ["/**/**/**/a", ["/a", "/x/a", "//a"]],
  ["/a/**/**", ["/a", "/a/b", "/a/b/c"]],
  ["a/**", ["a", "a/", "a/b", "a/.b"]],
  ["a/**/", ["a/", "a/b/", "a//"]],
  ["a/**/b", ["a/b", "a/x/b", "a//b", "a/.x/b"]],
  ["a/**b", ["a/b", "a/xb", "a/x/b"]],
  ["a**/b", ["a/b", "ax/b"]],
  ["a/**/**b", ["a/b", "a/x/b"]],
  ["a/***/b", ["a/b", "a/x/b"]],
  ["/**x/**", ["/x", "/ax/b"]],
  ["/**/", ["/", "//", "/a/", "/a/b/"]],
  ["**/", ["a/", "/", "a/b/"]],
  ["/**", ["/", "//", "/a", "/.a", "/a/.b", "/a\n"]],
  ["/a/**", ["/a\n", "/a/b\r", "/a/\u2028"]],
  ["**", ["a\nb", "\n", "a", ".a"]],
  ["*", ["a\nb", "\n", "a\n", "\na"]],
  ["?", ["\n", "a"]],
  ["/x/*", ["/x/\n", "/x/a\n"]],
  ["/[\n]", ["/\n"]],
  ["/a\n/*", ["/a\n/b"]],
  ["/*/", ["/a/", "//", "/a"]],
  ["/*/*", ["/a/b", "//b", "/a//", "/a/b/"]],
  ["/*/**", ["/a", "/a/", "/a/b", "//"]],
  ["/*/**/*", ["/a/b", "/a/x/b"]],
  ["/**/*/a", ["/x/a", "/a"]],
  ["/a/b/", ["/a/b/", "/a/b", "/a/b//"]],
  ["/a/*/", ["/a/b/", "/a/b", "/a/b//"]],
  ["/a/[b]/", ["/a/b/", "/a/b//"]],
  ["/a/[b]", ["/a/b", "/a/b/", "/a/[b]", "/a/[b]/"]],
  ["/a/{b,c}/", ["/a/b/", "/a/b"]],
  ["/a/b*", ["/a/b/", "/a/bc/"]],
  ["/a*/", ["/a/", "/ab/", "/ab//"]],
  ["[", ["[", "a"]],
  ["/[", ["/[", "/a"]],
  ["/[a", ["/[a", "/a"]],
  ["/[a/b", ["/[a/b"]],
  ["/a[", ["/a["]],
  ["/a]", ["/a]", "/a"]],
  ["/[]", ["/[]", "/"]],
  ["/[]]", ["/]", "/[]]"]],
  ["/[]a]", ["/]", "/a", "/[]a]"]],
  ["/[^]]", ["/a", "/]"]],
  ["/[^]a]", ["/b", "/a"]],
  ["/[!]]", ["/!", "/]"]],
  ["/[a-]", ["/a", "/-", "/[a-]"]],
  ["/[-a]", ["/-", "/a"]],
  ["/[a\\]]", ["/a", "/]", "/a]"]],
  ["/[a\\]b]", ["/a", "/b", "/]"]],
  ["/[\\]a]", ["/a", "/]"]],
  ["/[a-z]", ["/m", "/[a-z]"]],
  ["/[z-a]", ["/m", "/[z-a]"]],
  ["/[z-a]*", ["/m", "/[z-a]x"]],
  ["/[a/b]", ["/a", "//", "/[a/b]"]],
  ["/[^/]", ["/a", "//"]],
  ["/[/]", ["//", "/[/]"]],
  ["/[^a/]", ["/b", "//"]],
  ["/[^[:alpha:]]", ["/1", "/a", "//"]],
  ["/[[:alpha:]]", ["/a", "/1", "/[[:alpha:]]"]],
  ["/[[:alpha:][:digit:]]", ["/a", "/1", "/-"]],
  ["/[[:alnum:]]", ["/a", "/_"]],
  ["/[[:blank:]]", ["/ ", "/\t", "/[ \t]"]],
  ["/[[:space:]]", ["/ ", "/\n", "/\v"]],
  ["/[[:punct:]]", ["/!", "/a", "/]", "/["]],
  ["/[[:word:]]", ["/_", "/-"]],
  ["/[[:xdigit:]]+", ["/af", "/ag"]],
  ["/[[:upper:][:lower:]]", ["/a", "/A", "/1"]],
  ["/[[:ascii:]]", ["/a", "/é"]],
  ["/[[:cntrl:]]", ["/\u0001", "/a"]],
  ["/[[:graph:]]", ["/!", "/ "]],
  ["/[[:print:]]", ["/ ", "/a"]],
  ["/[[:nope:]]", ["/n", "/:", "/]", "/[[:nope:]]"]],
  ["/[[:alpha:]", ["/a", "/[[:alpha:]"]],
  ["/[[:alpha:]x", ["/ax"]],
  ["/[x[:alpha:]]", ["/x", "/a"]],
  ["/[[:alpha:]-z]", ["/-", "/a", "/z"]],
  ["/[[:constructor:]]", ["/f", "/x", "/[[:constructor:]]"]],
  ["/[[:__proto__:]]", ["/o", "/x"]],
  ["/[[:toString:]]x", ["/tx", "/x"]],
  ["[[:alpha:]]*", ["ab", "1"]],
  ["[a]", ["a", "[a]"]],
  ["[a]*", ["ab", "[a]b"]],
  ["/[!a]", ["/!", "/a", "/b", "/[!a]"]],
  ["/[!a]b", ["/!b", "/ab", "/cb"]],
  ["/[^a]b", ["/cb", "/ab"]],
  ["/[\\d]", ["/1", "/d"]],
  ["/[\\w-]", ["/a", "/-"]],
  ["/[a-\\d]", ["/a", "/-", "/5"]],
  ["/[\\b]", ["/\b", "/b"]],
  ["/[\\c1]", ["/\u0011", "/c"]],
  ["/[\\x41]", ["/A", "/x"]],
  ["/[.]", ["/.", "/a"]],
  ["/[.]*", ["/.a", "/a"]],
  ["/[*]", ["/*", "/a"]],
  ["/[?]", ["/?", "/a"]],
  ["/[|]", ["/|"]],
  ["/[(]", ["/("]],
  ["/[)]", ["/)"]],
  ["/[{]", ["/{"]],
  ["/[$]", ["/$"]],
  ["/[^]", ["/^", "/a"]],
  ["/[\\]", ["/\\", "/]"]],
  ["/{a,b}", ["/a", "/b", "/{a,b}"]],
  ["/{a,b,}", ["/a", "/"]],
  ["/{,a}", ["/a", "/"]],
  ["/{a}", ["/a", "/{a}"]],
  ["/{}", ["/{}", "/"]],
  ["/{", ["/{", "/"]],
  ["/}", ["/}", "/"]],
  ["/{a", ["/{a", "/a"]],
  ["/a}", ["/a}"]],
  ["/{a,b", ["/{a,b", "/a"]],
  ["/{a,{b,c}}", ["/a", "/b", "/c"]],
  ["/{a,{b}}", ["/a", "/{b}", "/b"]],
  ["/{{a,b}}", ["/a", "/{a}"]],
  ["/{a,b}{c,d}", ["/ac", "/bd", "/ab"]],
  ["/{a,b}/{c,d}/*", ["/a/c/x", "/b/d/"]],
  ["/{a/b,c}", ["/a/b", "/c", "/a"]],
  ["/{a,b/**}", ["/a", "/b", "/b/c"]],
  ["/{**,a}/x", ["/a/x", "/b/x", "/b/c/x"]],
  ["/{*,a}", ["/a", "/b", "/.a"]],
  ["/{a,*}/b", ["/x/b"]],
  ["/{1..3}", ["/1", "/2", "/4", "/{1..3}"]],
  ["/{1..10}", ["/1", "/0", "/5", "/10"]],
  ["/{1..10..2}", ["/1", "/2", "/-"]],
  ["/{a..e}", ["/c", "/f"]],
  ["/{e..a}", ["/c", "/f"]],
  ["/{A..z}", ["/_", "/Z"]],
  ["/{z..A}", ["/_"]],
  ["/{a..}", ["/a", "/{a..}"]],
  ["/{..a}", ["/a", "/."]],
  ["/{a...b}", ["/a", "/b", "/."]],
  ["/{a..b..c}", ["/a", "/-"]],
  ["/{ab..cd}", ["/a", "/b", "/c", "/d"]],
  ["/{]..a}", ["/]", "/a"]],
  ["/{a..]}", ["/a", "/]"]],
  ["/{-..a}", ["/-", "/a"]],
  ["/{*..a}", ["/*", "/a"]],
  ["/{a,b..c}", ["/a", "/b"]],
  ["/{1..3}/{a..c}/**", ["/1/a", "/2/b/x", "/4/a"]],
  ["/team-{a..c}/**", ["/team-b/x", "/team-d"]],
  ["/x{1..3}y", ["/x2y", "/x4y"]],
  ["/{a,b}\\1", ["/aa", "/a\u0001"]],
  ["/@(a)", ["/a", "/@(a)"]],
  ["/@(a|b)", ["/a", "/b", "/ab"]],
  ["/@(a|b)*", ["/ab", "/ax"]],
  ["/@(a|b)/*", ["/a/x"]],
  ["/@(a", ["/@(a", "/a"]],
  ["/@()", ["/", "/@()"]],
  ["/@(?:a)", ["/a"]],
  ["/?(a)", ["/a", "/", "/b"]],
  ["/?(a|b)c", ["/c", "/ac", "/abc"]],
  ["/+(a)", ["/a", "/aa", "/"]],
  ["/+(a|b)", ["/abab", "/abc"]],
  ["/*(a)", ["/", "/aaa", "/b"]],
  ["/*(a|b)x", ["/x", "/abx"]],
  ["/!(a)", ["/a", "/b", "/ab", "/.a"]],
  ["/!(a)x", ["/x", "/ax", "/bx"]],
  ["/!(a*)", ["/a", "/b", "/ba"]],
  ["/!(*a)", ["/a", "/b", "/ba", "/ab"]],
  ["/!(*.d).ts", ["/a.ts", "/a.d.ts", "/.ts"]],
  ["/!(*.d).{ts,tsx}", ["/a.ts", "/a.d.tsx"]],
  ["/!(a/b)", ["/a/b", "/a/c", "/x"]],
  ["/!(a)/**", ["/a/x", "/b/x", "/b"]],
  ["/x/!(a)", ["/x/a", "/x/b", "/x/"]],
  ["/x/!(a))", ["/x/a)", "/x/b)"]],
  ["/!(a|b)", ["/a", "/c", "/ab"]],
  ["/!(a)!(b)", ["/ab", "/cd", "/a"]],
  ["/+(a|!(b))", ["/a", "/b", "/c"]],
  ["/@(a|+(b|*(c)))", ["/a", "/bbb", "/bc", "/cc"]],
  ["/*(a|?(b|+(c)))d", ["/d", "/abd", "/cccd"]],
  ["/!(+(a|b))", ["/ab", "/c"]],
  ["/?(*(a))", ["/", "/aa"]],
  ["/+(+(+(a)))", ["/aaa", "/"]],
  ["/*(*(*(a)))b", ["/b", "/aab"]],
  ["/+(a", ["/+(a", "/a"]],
  ["+(a", ["+(a", "a"]],
  ["*(", ["*(", "a"]],
  ["/*(", ["/*(", "/a"]],
  ["/a)", ["/a)", "/a"]],
  ["/(a", ["/(a", "/a"]],
  ["/(a)", ["/a", "/(a)"]],
  ["/((a)", ["/a", "/((a)"]],
  ["/(a))", ["/a", "/(a))"]],
  ["(", ["("]],
  [")", [")"]],
  ["()", ["", "()", "x"]],
  ["/()", ["/", "/()"]],
  ["/(|a)", ["/", "/a"]],
  ["/(?)", ["/", "/(?)"]],
  ["/(?<)", ["/"]],
  ["/(?:)", ["/"]],
  ["/(*)", ["/a", "/"]],
  ["/(**)", ["/a", "/a/b"]],
  ["/(a/**)", ["/a", "/a/b"]],
  ["/a/(**)", ["/a/b", "/a/b/c"]],
  ["/(a|b)/*", ["/a/x"]],
  ["/a(?!b)", ["/a", "/ab"]],
  ["/a(?!b)c", ["/ac", "/abc"]],
  ["/\u0000a", ["/a", "/\u0000a"]],
  ["a\u0000*", ["a", "ab"]],
  ["/a b/*", ["/a b/c"]],
  ["/ÄÖ/**", ["/ÄÖ/x", "/äö/x"]],
  ["/Apps/**", ["/apps/x", "/Apps/x"]],
  ["dev*", ["dev", "dev/", "devx", "dev/x"]],
  ["dev**", ["dev", "dev-1"]],
  ["dev?", ["dev1", "dev"]],
  ["?ev", ["dev", ".ev"]],
  ["dev\\*", ["dev*", "devx"]],
  ["d.v", ["d.v", "dxv"]],
  ["d@v", ["d@v"]],
  ["d!v", ["d!v"]],
  ["d,v", ["d,v"]],
  ["d%v", ["d%v"]],
  ["d<v>", ["d<v>"]],
  ["é*", ["éa", "é"]],
  [`${EMOJI}*`, [`${EMOJI}a`, EMOJI]],
  [`*${EMOJI}`, [`a${EMOJI}`]],
  ["a\u2028b", ["a\u2028b"]],
  ["a\u2028*", ["a\u2028b"]],
  ["/a/b/c/d/e/f/g/h", ["/a/b/c/d/e/f/g/h"]],
  ["/**/x/.y/**/z", ["/x/.y/x/.y/z", "/x/.y/z", "/q/x/.y/r/z", "/x/.y/.r/z"]],
  ["/**/[^a]/**/{a,b}/**/{a,bc}/**", ["///a/b/c/.///b//a", "/x/./b/a", "/x/.y/b/a"]],
  ["/a/**/b/**", ["/a/.x/b", "/a/b/.x", "/a/x/b/y", "/a/b"]],
  ["**/.git/**", [".git", "x/.git/config", "x/.y/.git/z", ".git/.x"]],
  ["/**/.*/**", ["/.a", "/x/.a/y", "/x/.a/.b"]],
  ["/{a,b}/**/c", ["/a/.x/c", "/b/x/c", "/a/c"]],
  ["constructor", ["constructor"]],
  ["__proto__", ["__proto__"]],
  ["toString", ["toString"]],
  ["Constructor", ["Constructor"]],
  ["*constructor", ["xconstructor"]],
  ["/constructor", ["/constructor"]]
];
if (!randomOnly) for (const [pattern, paths] of HANDWRITTEN) for (const p of paths) add(pattern, p);

// 3. Adversarial patterns from glob and regular-expression tokens.
const WORDS = ["a", "b", "ab", "x", "db", "app", "v1", "A", "é", EMOJI, ".", "..", "-", "_", "0", "9"];
const TOKENS = [
  ["word", 14], ["*", 7], ["**", 4], ["?", 4], ["/", 10], ["//", 1], ["[abc]", 1], ["[^a]", 1], ["[!a]", 1],
  ["[a-z]", 1], ["[[:alpha:]]", 1], ["[[:digit:]]", 1], ["[]]", 1], ["[a-]", 1], ["[", 1], ["]", 1],
  ["{a,b}", 2], ["{w,w}", 1], ["{1..3}", 1], ["{a..c}", 1], ["{1..9..2}", 1], ["{,a}", 1], ["{a}", 1], ["{", 1],
  ["}", 1], ["@(w|w)", 1], ["!(w)", 2], ["!(w*)", 1], ["!(*w)", 1], ["*(w)", 1], ["+(w|w)", 1], ["?(w)", 1],
  ["+(w|*(w))", 1], ["!(w|+(w))", 1], ["(", 1], [")", 1], ["|", 1], ["\\*", 1], ["\\?", 1], ["\\", 1],
  ["\\\\", 1], ["\\d", 1], ["\\.", 1], ["\"w*\"", 1], ["!", 1], ["+", 1], ["@", 1], ["$", 1], ["^", 1],
  [".*", 1], [".w", 1], ["(?=w)", 1], ["(?!w)", 1], ["(?<=w)", 1], ["(w|w)", 1], [",", 1], [":", 1], ["=", 1]
];
const weighted = (items) => {
  let total = 0;
  for (const [, w] of items) total += w;
  let r = rand() * total;
  for (const [v, w] of items) {
    r -= w;
    if (r < 0) return v;
  }
  return items[items.length - 1][0];
};
const adversarialPattern = () => {
  const n = int(1, 7);
  let p = "";
  for (let i = 0; i < n; i += 1) {
    const t = weighted(TOKENS);
    p += t === "word" ? pick(WORDS) : t.replace(/w/g, () => pick(WORDS.slice(0, 9)));
  }
  if (chance(0.5)) p = `/${p}`;
  if (chance(0.05)) p = `${p}/`;
  if (chance(0.07)) p = `!${p}`;
  if (chance(0.03)) p = `./${p}`;
  return p;
};

// A path that the pattern probably matches: wildcards replaced by plausible text.
const instantiate = (p) => {
  let out = "";
  for (let i = 0; i < p.length; i += 1) {
    const c = p[i];
    if (c === "*") {
      if (p[i + 1] === "*") {
        out += pick(["", "x", "x/y", "a/b/c", ".h"]);
        i += 1;
      } else out += pick(["", "x", "ab", "db", ".x", EMOJI]);
    } else if (c === "?") out += pick(["a", "x", ".", EMOJI, "é"]);
    else if (c === "[") {
      const j = p.indexOf("]", i + 2);
      if (j < 0) out += c;
      else {
        out += pick([p[i + 1] === "^" || p[i + 1] === "!" ? "z" : p[i + 1], "m", p.slice(i, j + 1)]);
        i = j;
      }
    } else if (c === "{") {
      const j = p.indexOf("}", i);
      if (j < 0) out += c;
      else {
        const body = p.slice(i + 1, j);
        out += pick(body.includes("..") ? ["1", "2", "b", body] : body.split(","));
        i = j;
      }
    } else if ("!@+".includes(c) && p[i + 1] === "(") {
      i += 1;
    } else if (c === "(" || c === ")" || c === "|" || c === "\\" || c === '"') {
      if (chance(0.3)) out += c;
    } else out += c;
  }
  return out;
};
// picomatch never finishes on some patterns (a run of 4+ backslashes or a ":" at the end);
// warden refuses those with ErrNoTermination, and they cannot be asked of the oracle.
const runaway = (p) => /\\\\\\\\$/.test(p) || p.endsWith(":");
const mutate = (s) => {
  const k = int(0, 5);
  switch (k) {
    case 0:
      return `${s}/`;
    case 1:
      return s.replace(/\//, "//");
    case 2:
      return s.toUpperCase();
    case 3:
      return s.slice(0, Math.max(1, s.length - 1));
    case 4:
      return `${s}${pick(["x", ".x", "/.x", EMOJI, "\n"])}`;
    default:
      return s.replace(/[a-z]/, ".");
  }
};
const randomPath = () => {
  const n = int(0, 4);
  return `/${Array.from({ length: n }, () => pick(WORDS.concat([".hidden", "a.b", "x.js"]))).join("/")}`;
};
let made = 0;
// Character soup: short strings over the units that steer picomatch's tokenizer.
const SOUP = ["*", "*", "?", "[", "]", "{", "}", "(", ")", "!", "@", "+", "|", ",", ".", ".", "/", "/", "/",
  "\\", '"', "^", "$", ":", "-", "=", "<", ">", "a", "a", "b", "x", "1", "3", EMOJI, "\n", "[:alpha:]", "..", "**"];
const soup = (n) => Array.from({ length: n }, () => pick(SOUP)).join("");
if (charMode) {
  for (let i = 0; i < Number(flag("chars", 0)); i += 1) {
    const pattern = soup(int(1, 12));
    if (runaway(pattern)) continue;
    const base = instantiate(pattern);
    for (const p of [base, soup(int(1, 8)), mutate(base)].slice(0, int(1, 3))) if (p) add(pattern, p);
  }
}
const wanted = charMode ? 0 : randomOnly ? Number(flag("random", 0)) : 4000;
while (made < wanted) {
  const pattern = adversarialPattern();
  if (runaway(pattern)) continue;
  made += 1;
  const base = instantiate(pattern);
  const paths = [base, mutate(base), chance(0.3) ? randomPath() : mutate(mutate(base))];
  for (const p of paths.slice(0, int(1, 3))) add(pattern, p);
}

// 4. Long patterns. Beyond 65536 code units picomatch throws; between warden's complexity
// limit (4096 units) and that, warden refuses what Node's engine may fail on, so those
// lengths are tested in Go, not here.
if (!randomOnly) add("a".repeat(65537), "a");
if (!randomOnly) {
  add(`/${"a".repeat(4095)}`, `/${"a".repeat(4095)}`);
  add(`/${"a".repeat(4095)}`, `/${"a".repeat(4094)}`);
  add(`/${"*/".repeat(2047)}x`, `/${"a/".repeat(2047)}x`);
}

// Pairs warden cannot express: a path or pattern with a lone surrogate (a Go string holds
// UTF-8, where a lone surrogate reads as U+FFFD).
for (let i = pairs.length - 1; i >= 0; i -= 1) {
  if (!pairs[i].pattern.isWellFormed() || !pairs[i].path.isWellFormed()) pairs.splice(i, 1);
}

const results = pairs.map(({ pattern, path }) => ({ pattern, path, ...globAnswer(pattern, path) }));
const counts = {
  pairs: results.length,
  match: results.filter((p) => p.match === true).length,
  noMatch: results.filter((p) => p.match === false).length,
  errors: results.filter((p) => p.error).length,
  invalidForInfisical: results.filter((p) => !p.valid).length,
  neverMatchingRegex: results.filter((p) => p.regex === "$^").length
};
const picomatchVersion = JSON.parse(readFileSync(join(oracleDir, "node_modules/picomatch/package.json"), "utf8")).version;
const meta = {
  description: "Second differential corpus for package glob: picomatch answers with Infisical's $glob options.",
  generator: "glob/testdata/gen-extra.mjs",
  versions: { picomatch: picomatchVersion },
  call: "picomatch.isMatch(path, pattern, { strictSlashes: false })",
  globOptions: { strictSlashes: false },
  counts
};
// Long regexes of the length-limit pairs are left out to keep the file small.
const text = `{"meta":${JSON.stringify(meta)},\n"pairs":[\n${results
  .map((r) => JSON.stringify(r.pattern.length > 4096 ? { ...r, regex: r.regex === "$^" ? r.regex : null } : r))
  .join(",\n")}\n]}\n`;
writeFileSync(outFile, text);
process.stderr.write(`${JSON.stringify(counts)} -> ${outFile} (${text.length} bytes)\n`);
