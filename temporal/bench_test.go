package temporal

import (
	"strconv"
	"testing"
	"time"
)

// benchTimeline merges n generated grants with mostly distinct boundaries,
// and returns probes spread over them.
func benchTimeline(n int) (*Timeline, []time.Time) {
	g := newGrantGen(uint64(n))
	g.slots = 2*n + 2
	tl := Merge(g.grants(n))
	probes := make([]time.Time, 64)
	for i := range probes {
		probes[i] = nine.Add(time.Duration(i*g.slots/len(probes))*time.Minute + 30*time.Second)
	}
	return tl, probes
}

var benchSizes = []int{5, 1000}

func BenchmarkActive(b *testing.B) {
	for _, n := range benchSizes {
		b.Run("grants="+strconv.Itoa(n), func(b *testing.B) {
			tl, probes := benchTimeline(n)
			dst := make([]int, 0, n)
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				dst = tl.AppendActive(dst[:0], probes[i%len(probes)])
				i++
			}
		})
	}
}

func BenchmarkNextChange(b *testing.B) {
	for _, n := range benchSizes {
		b.Run("grants="+strconv.Itoa(n), func(b *testing.B) {
			tl, probes := benchTimeline(n)
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				sinkTime, _ = tl.NextChange(probes[i%len(probes)])
				i++
			}
		})
	}
}

func BenchmarkMerge(b *testing.B) {
	for _, n := range benchSizes {
		b.Run("grants="+strconv.Itoa(n), func(b *testing.B) {
			grants := newGrantGen(uint64(n)).grants(n)
			b.ReportAllocs()
			for b.Loop() {
				sinkTimeline = Merge(grants)
			}
		})
	}
}

// BenchmarkActiveParallelShared measures one Timeline shared by all
// goroutines, as the engine shares an identity's compiled state.
func BenchmarkActiveParallelShared(b *testing.B) {
	tl, probes := benchTimeline(1000)
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		dst := make([]int, 0, 1000)
		i := 0
		for pb.Next() {
			dst = tl.AppendActive(dst[:0], probes[i%len(probes)])
			i++
		}
	})
}

func BenchmarkParseRange(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		sinkRange, _ = ParseRange("2 hours")
	}
}

var (
	sinkTime     time.Time
	sinkTimeline *Timeline
	sinkRange    Range
)
