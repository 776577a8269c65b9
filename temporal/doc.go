// Package temporal decides when Infisical's temporary grants are active: it
// parses temporary ranges the way the JavaScript ms package does, computes
// their end instants the way JavaScript dates do, and merges an identity's
// grants into a [Timeline] that answers "which grants are active at t, and
// when does that next change".
//
// The package never reads the clock: every instant is a parameter.
//
// # Ranges
//
// A range such as "1h" or "2 days" is Infisical's temporaryRange, parsed with
// the ms package (version 2). [ParseRange] documents the grammar. A bare
// number is a count of milliseconds, a year is 365.25 days, and there are no
// months. The value is a float64 number of milliseconds and may be
// fractional ("1.5ms"). Infisical accepts a range only if its value is
// positive.
//
// The end of a temporary grant is start + range, computed as Infisical does
// with JavaScript dates: new Date(new Date(start).getTime() + ms(range)).
// [Range.End] reproduces that arithmetic. The start is truncated to whole
// milliseconds, the float64 sum is truncated toward zero, and an end outside
// JavaScript's date range (±8.64e15 ms around 1970) is an error.
//
// # Windows
//
// A [Window] is the half-open interval [Start, End). It contains Start and
// does not contain End. A zero Start means "since always" and a zero End means
// "forever", so the zero Window contains every instant.
//
// # Grants
//
// A [Grant] is a role grant or an additional privilege as stored by
// Infisical. A grant that is not temporary is permanent and is always active.
// A temporary grant is active during [Start, End). If its End is unknown
// (zero), it is never active, as in Infisical's isActiveRole.
//
// # Merging
//
// [Merge] takes an identity's grants in assembly order and builds a
// [Timeline]. [Timeline.Active] and [Timeline.AppendActive] report the
// grants active at an instant, in that order. [Timeline.NextChange] reports
// the next instant at which that set changes, so a caller can cache what it
// built from the active grants until then. Both queries binary-search the
// precomputed, sorted boundary instants.
//
// # Instants
//
// Instants are compared by their wall-clock reading alone. Monotonic clock
// readings are ignored, as if every time had been passed through t.Round(0),
// and so are locations. Unlike time.Time.Before, this does not change when
// both operands carry a monotonic reading.
//
// # Divergence from Infisical
//
// Infisical compares only the end time (active = !isTemporary ||
// now < temporaryAccessEndTime), so a temporary grant whose
// temporaryAccessStartTime is in the future is active at once. warden honours
// the start time, as Infisical's API documentation describes the field: such a
// grant becomes active at its start. Past starts, which are the normal case,
// behave identically in both.
package temporal
