//go:build race

package queue

// itemsPerProducer is smaller under the race detector, which is ~10x slower.
const itemsPerProducer = 1000
