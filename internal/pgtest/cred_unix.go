//go:build unix

package pgtest

import (
	"errors"
	"os/exec"
	"os/user"
	"strconv"
	"syscall"
)

// credential is a user that PostgreSQL's programs run as.
type credential struct{ uid, gid int }

// unprivileged returns an existing unprivileged user for initdb, which refuses to run as root.
func unprivileged() (*credential, error) {
	for _, name := range []string{"postgres", "nobody"} {
		u, err := user.Lookup(name)
		if err != nil {
			continue
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		if uid == 0 {
			continue
		}
		return &credential{uid, gid}, nil
	}
	return nil, errors.New("running as root, and there is no unprivileged user (postgres or nobody) to run initdb as")
}

// apply makes cmd run as cr.
func (cr *credential) apply(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: uint32(cr.uid), Gid: uint32(cr.gid)}}
}
