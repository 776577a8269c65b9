package temporal

import "time"

// A Window is the half-open interval of instants [Start, End). A zero Start
// means "since always" and a zero End means "forever", so the zero Window
// contains every instant. A Window whose End is not after its Start (both
// non-zero) contains no instant.
type Window struct {
	Start time.Time // first instant inside; zero for since always
	End   time.Time // first instant after; zero for forever
}

// Contains reports whether t is inside w: Start <= t < End, comparing wall
// clock instants (see the package documentation).
func (w Window) Contains(t time.Time) bool {
	x := at(t)
	return (w.Start.IsZero() || !x.before(at(w.Start))) &&
		(w.End.IsZero() || x.before(at(w.End)))
}

// empty reports whether w contains no instant.
func (w Window) empty() bool {
	return !w.Start.IsZero() && !w.End.IsZero() && !at(w.Start).before(at(w.End))
}

// String returns w as "[start, end)" with RFC 3339 instants, writing -inf
// for a zero Start and +inf for a zero End.
func (w Window) String() string {
	start, end := "-inf", "+inf"
	if !w.Start.IsZero() {
		start = w.Start.Format(time.RFC3339Nano)
	}
	if !w.End.IsZero() {
		end = w.End.Format(time.RFC3339Nano)
	}
	return "[" + start + ", " + end + ")"
}

// A Grant is a role grant or an additional privilege, reduced to when it is
// active. Its fields mirror Infisical's columns isTemporary,
// temporaryAccessStartTime and temporaryAccessEndTime.
//
// A grant that is not Temporary is permanent: it is active at every instant,
// whatever Start and End hold. This makes the zero Grant permanent, as
// isTemporary defaults to false. A temporary grant is active during
// [Start, End). A zero Start means it has been active since always. A zero End
// means its end is unknown, so it is never active. Infisical treats a
// temporary row with a null end the same way.
//
// Infisical ignores Start. warden honours it (see the package documentation).
type Grant struct {
	Temporary bool      // isTemporary
	Start     time.Time // temporaryAccessStartTime; zero if unknown
	End       time.Time // temporaryAccessEndTime; zero if unknown
}

// Window returns the instants at which g is active. A permanent grant
// returns the zero Window, which contains every instant. A temporary grant
// returns [Start, End). ok is false when g is never active. That is the case
// for a temporary grant with a zero End, or with an End not after its Start.
func (g Grant) Window() (w Window, ok bool) {
	if !g.Temporary {
		return Window{}, true
	}
	w = Window{Start: g.Start, End: g.End}
	if g.End.IsZero() || w.empty() {
		return Window{}, false
	}
	return w, true
}

// Active reports whether g is active at t.
func (g Grant) Active(t time.Time) bool {
	w, ok := g.Window()
	return ok && w.Contains(t)
}

// String describes g: "permanent", "temporary [start, end)", or
// "temporary, never active".
func (g Grant) String() string {
	if !g.Temporary {
		return "permanent"
	}
	w, ok := g.Window()
	if !ok {
		return "temporary, never active"
	}
	return "temporary " + w.String()
}

// An instant is a wall-clock reading without location or monotonic reading.
// It covers every time.Time, unlike UnixNano, which overflows after 2262.
type instant struct {
	sec  int64 // seconds since 1970
	nsec int32 // [0, 1e9)
}

func at(t time.Time) instant { return instant{t.Unix(), int32(t.Nanosecond())} }

func (a instant) before(b instant) bool {
	return a.sec < b.sec || a.sec == b.sec && a.nsec < b.nsec
}

func (a instant) compare(b instant) int {
	switch {
	case a.before(b):
		return -1
	case b.before(a):
		return +1
	}
	return 0
}

// time returns a in UTC.
func (a instant) time() time.Time { return time.Unix(a.sec, int64(a.nsec)).UTC() }
