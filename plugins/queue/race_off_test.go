//go:build !race

package queue

// itemsPerProducer: 100 producers × 10,000 items.
const itemsPerProducer = 10000
