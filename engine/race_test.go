//go:build race

package engine

// raceEnabled is set when the race detector is on; it makes some operations allocate, so
// the zero-allocation tests are skipped under it.
const raceEnabled = true
