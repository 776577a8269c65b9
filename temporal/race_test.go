//go:build race

package temporal

// raceEnabled is true under the race detector, which makes sync.Pool drop
// items at random (and so allocate).
const raceEnabled = true
