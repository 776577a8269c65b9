package engine

import "syscall"

// coarseNow returns the wall clock truncated to the microsecond, in Unix nanoseconds: the
// instant is in [lo, lo+coarseWidth). On Linux, gettimeofday is a vDSO call that reads the
// wall clock alone, where time.Now reads it and the monotonic clock.
func coarseNow() (lo int64, ok bool) {
	var tv syscall.Timeval
	if syscall.Gettimeofday(&tv) != nil {
		return 0, false
	}
	return int64(tv.Sec)*1e9 + int64(tv.Usec)*1e3, true
}

const coarseWidth = 1000
