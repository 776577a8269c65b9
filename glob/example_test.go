package glob_test

import (
	"errors"
	"fmt"

	"github.com/wardenhq/warden/glob"
)

func ExampleCompile() {
	p, err := glob.Compile("/apps/**")
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, path := range []string{"/apps", "/apps/", "/apps/db/password", "/apps/.env", "/apples"} {
		fmt.Println(path, p.Match(path))
	}
	// Output:
	// /apps true
	// /apps/ true
	// /apps/db/password true
	// /apps/.env false
	// /apples false
}

func ExampleCompile_error() {
	_, err := glob.Compile("")
	var e *glob.Error
	if errors.As(err, &e) {
		fmt.Println(e.Code == glob.ErrEmpty, e.Offset)
	}
	fmt.Println(err)
	// Output:
	// true 0
	// glob: empty pattern at offset 0 in pattern ""
}

func ExampleMustCompile() {
	secrets := glob.MustCompile("/{prod,staging}/*/db")
	fmt.Println(secrets.Match("/prod/payments/db"))
	fmt.Println(secrets.Match("/dev/payments/db"))
	// Output:
	// true
	// false
}

func ExamplePattern_Match() {
	for _, c := range []struct{ pattern, path string }{
		{"/app/*", "/app/x/"},   // a trailing slash is optional after a star
		{"/app", "/app/"},       // but not after literal text
		{"/app/*", "/app/x/y"},  // a star stays within a segment
		{"/[!a]b", "/cb"},       // "[!a]" is not a negation
		{"/[^a]b", "/cb"},       // "[^a]" is
		{"!/prod/**", "/dev/x"}, // a leading "!" negates the pattern
		{"/??", "/😀"},           // "?" is one UTF-16 code unit
		{"/[z-a]", "/[z-a]"},    // a path equal to the pattern always matches
	} {
		fmt.Printf("%s %s %t\n", c.pattern, c.path, glob.MustCompile(c.pattern).Match(c.path))
	}
	// Output:
	// /app/* /app/x/ true
	// /app /app/ false
	// /app/* /app/x/y false
	// /[!a]b /cb false
	// /[^a]b /cb true
	// !/prod/** /dev/x true
	// /?? /😀 true
	// /[z-a] /[z-a] true
}

func ExamplePattern_Prefix() {
	for _, s := range []string{"/apps/*/db", "/apps/**", "/a\\*b", "!/apps/**"} {
		fmt.Printf("%q\n", glob.MustCompile(s).Prefix())
	}
	// Output:
	// "/apps/"
	// "/apps"
	// "/a"
	// ""
}

func ExamplePattern_Literal() {
	for _, s := range []string{"/apps", "/apps/*", "/apps/{db}"} {
		lit, ok := glob.MustCompile(s).Literal()
		fmt.Printf("%s %q %t\n", s, lit, ok)
	}
	// Output:
	// /apps "/apps" true
	// /apps/* "" false
	// /apps/{db} "/apps/{db}" true
}

func ExamplePattern_String() {
	fmt.Println(glob.MustCompile("/apps/**").String())
	// Output:
	// /apps/**
}
