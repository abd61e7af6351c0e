package server

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"weft/internal/jobs"
	"weft/internal/store"
)

// newRegistry collects weft's metrics: Go runtime and process, database
// pool stats, job counts, and (added by routes) HTTP requests.
func (s *Server) newRegistry() *prometheus.Registry {
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	for name, db := range s.core.Store.Pools() {
		reg.MustRegister(collectors.NewDBStatsCollector(db, name))
	}
	reg.MustRegister(&jobCollector{q: s.core.Queue})
	if st := s.core.Store; st.Dialect == store.SQLite {
		// The log's size is a file's: cheap to read at each scrape.
		reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "weft_sqlite_wal_bytes", Help: "Size of SQLite's write-ahead log file.",
		}, func() float64 {
			n, _ := st.WALFileSize()
			return float64(n)
		}))
		reg.MustRegister(prometheus.NewCounterFunc(prometheus.CounterOpts{
			Name: "weft_sqlite_wal_resets_total", Help: "Times the checkpointer copied SQLite's whole write-ahead log into the database and emptied it.",
		}, func() float64 { return float64(st.WALResets()) }))
	}
	return reg
}

// jobCollector reports job counts by kind and state at scrape time, read
// from the job table (so every process's jobs count).
type jobCollector struct{ q *jobs.Queue }

var jobsDesc = prometheus.NewDesc("weft_jobs", "Background jobs by kind and state.", []string{"kind", "state"}, nil)

func (c *jobCollector) Describe(ch chan<- *prometheus.Desc) { ch <- jobsDesc }

func (c *jobCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	counts, err := c.q.Counts(ctx)
	if err != nil {
		ch <- prometheus.NewInvalidMetric(jobsDesc, err)
		return
	}
	for _, k := range counts {
		ch <- prometheus.MustNewConstMetric(jobsDesc, prometheus.GaugeValue, float64(k.N), k.Kind, k.State)
	}
}
