//go:build !unix

package pgtest

import (
	"errors"
	"os/exec"
)

// credential is a user that PostgreSQL's programs run as; only Unix systems switch users.
type credential struct{ uid, gid int }

// unprivileged is only reached when running as root, which only Unix systems have.
func unprivileged() (*credential, error) {
	return nil, errors.New("pgtest cannot switch to an unprivileged user on this system")
}

func (cr *credential) apply(*exec.Cmd) {}
