package server

import (
	"context"
	"log/slog"

	"weft/internal/store"
	"weft/internal/stream"
)

// openBus makes the live event bus: in memory on SQLite, where one process
// serves the database; on PostgreSQL also across the processes sharing it,
// over LISTEN/NOTIFY.
func openBus(ctx context.Context, st *store.Store, log *slog.Logger) (*stream.Bus, error) {
	o := stream.Options{Logger: log}
	if st.Dialect == store.Postgres {
		o.PostgresURL = st.URL
	}
	return stream.New(ctx, o)
}
