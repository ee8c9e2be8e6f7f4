package managed

import (
	"runtime"
	"testing"
)

// BenchmarkLoad is the first use's cost: decompress, decode, index. It
// reports the live heap the catalogue keeps once loaded (heap-B/load).
func BenchmarkLoad(b *testing.B) {
	var kept *catalogue
	for b.Loop() {
		c, err := parse(snapshot)
		if err != nil {
			b.Fatal(err)
		}
		kept = c
	}
	b.StopTimer()
	kept = nil
	before := liveHeap()
	kept, _ = parse(snapshot)
	after := liveHeap()
	runtime.KeepAlive(kept)
	b.ReportMetric(float64(after-before), "heap-B/load")
}

func liveHeap() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

func BenchmarkLookup(b *testing.B) {
	All()
	for b.Loop() {
		if _, ok := Lookup("arn:aws:iam::aws:policy/ReadOnlyAccess"); !ok {
			b.Fatal("ReadOnlyAccess not found")
		}
	}
}

func BenchmarkLookupInChina(b *testing.B) {
	All()
	for b.Loop() {
		if _, ok := LookupIn("aws-cn", "arn:aws-cn:iam::aws:policy/ReadOnlyAccess"); !ok {
			b.Fatal("ReadOnlyAccess not found")
		}
	}
}

func BenchmarkWithPathPrefix(b *testing.B) {
	All()
	for b.Loop() {
		if len(WithPathPrefix("/service-role/")) == 0 {
			b.Fatal("no service-role policies")
		}
	}
}
