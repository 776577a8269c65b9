package httpapi

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
)

// An Authenticator says which identity a bearer token belongs to. The embedding service
// plugs in its own (verifying a JWT, looking up an access token); StaticTokens is a fixed
// map for tools, tests and demos.
type Authenticator interface {
	// Authenticate returns the ID of the identity the token belongs to, or an error matching
	// ErrUnknownToken when the token is not valid (answered with 401). Any other error is
	// answered with 500.
	Authenticate(ctx context.Context, token string) (identityID string, err error)
}

// ErrUnknownToken is what an Authenticator returns for a token it does not accept.
var ErrUnknownToken = errors.New("httpapi: unknown token")

// StaticTokens is an Authenticator over a fixed set of tokens. It keeps only the SHA-256 of
// each token, and looks tokens up by hash, so that the time a lookup takes says nothing
// about the tokens. Create it with NewStaticTokens or LoadStaticTokens.
type StaticTokens struct {
	ids map[[sha256.Size]byte]string
}

// NewStaticTokens returns an Authenticator that accepts the keys of tokens, each for the
// identity ID it maps to.
func NewStaticTokens(tokens map[string]string) *StaticTokens {
	s := &StaticTokens{ids: make(map[[sha256.Size]byte]string, len(tokens))}
	for tok, id := range tokens {
		s.ids[sha256.Sum256([]byte(tok))] = id
	}
	return s
}

// LoadStaticTokens reads a JSON object mapping tokens to identity IDs,
// {"TOKEN": "IDENTITY-ID", ...}, and returns NewStaticTokens of it. Empty tokens and empty
// IDs are errors.
func LoadStaticTokens(r io.Reader) (*StaticTokens, error) {
	var m map[string]string
	d := json.NewDecoder(r)
	if err := d.Decode(&m); err != nil {
		return nil, fmt.Errorf("httpapi: tokens: want a JSON object of token to identity ID: %w", err)
	}
	if d.More() {
		return nil, errors.New("httpapi: tokens: data after the JSON object")
	}
	for tok, id := range m {
		if tok == "" || id == "" {
			return nil, fmt.Errorf("httpapi: tokens: empty token or identity ID (%q: %q)", tok, id)
		}
	}
	return NewStaticTokens(m), nil
}

// LoadStaticTokensFile is LoadStaticTokens from the named file.
func LoadStaticTokensFile(path string) (*StaticTokens, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return LoadStaticTokens(f)
}

// Authenticate returns the identity ID of the token, or ErrUnknownToken.
func (s *StaticTokens) Authenticate(_ context.Context, token string) (string, error) {
	id, ok := s.ids[sha256.Sum256([]byte(token))]
	if !ok {
		return "", ErrUnknownToken
	}
	return id, nil
}

// Len returns the number of tokens.
func (s *StaticTokens) Len() int { return len(s.ids) }
