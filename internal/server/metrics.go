package server

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"weft/internal/jobs"
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
