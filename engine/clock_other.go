//go:build !linux

package engine

// coarseNow has no cheaper clock than time.Now to offer on this system.
func coarseNow() (lo int64, ok bool) { return 0, false }

const coarseWidth = 1000
