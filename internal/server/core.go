// Package server assembles one weft process: the database, the job queue,
// the service and the HTTP server, and their start and graceful stop.
package server

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"

	"weft/internal/config"
	"weft/internal/federation"
	"weft/internal/jobs"
	"weft/internal/media/storage"
	"weft/internal/service"
	"weft/internal/store"
	"weft/internal/stream"
	"weft/internal/version"
)

// Core is the database, job queue and service of one process, without HTTP:
// `serve` runs it with the HTTP server, the admin commands use it directly.
type Core struct {
	Config  *config.Config
	Store   *store.Store
	Queue   *jobs.Queue
	Service *service.Service
	Fed     *federation.Federation // the fediverse side: inboxes, fetching, delivery
	Bus     *stream.Bus            // live events: the service publishes, the streaming API subscribes
	Log     *slog.Logger
}

// OpenCore opens the database (creating the data directory for SQLite),
// applies pending migrations, and builds the job queue and service. The
// queue's workers are not started: Serve does that.
func OpenCore(ctx context.Context, cfg *config.Config, log *slog.Logger) (*Core, error) {
	if cfg.IsSQLite() {
		if err := os.MkdirAll(cfg.DataDir, 0o750); err != nil {
			return nil, fmt.Errorf("create data directory: %w", err)
		}
	}
	st, err := store.Open(ctx, store.Options{URL: cfg.DatabaseURL, MaxConns: cfg.DBMaxConns})
	if err != nil {
		return nil, err
	}
	if _, err := Migrate(ctx, st); err != nil {
		st.Close()
		return nil, err
	}
	q := jobs.NewQueue(st, jobs.Options{Workers: cfg.JobWorkers, Logger: log})
	bus, err := openBus(ctx, st, log)
	if err != nil {
		q.Close()
		st.Close()
		return nil, err
	}
	media, err := OpenMediaStorage(ctx, cfg)
	if err != nil {
		bus.Close()
		q.Close()
		st.Close()
		return nil, err
	}
	svc := service.New(service.Deps{Store: st, Jobs: q, Logger: log, Publisher: bus, Media: media, Settings: service.Settings{
		Domain: cfg.Domain, BaseURL: cfg.BaseURL(), MaxPostChars: cfg.MaxPostChars,
		FederationAllowlist: cfg.FederationAllowlist,
		Instance:            InstanceInfoOf(cfg),
		PasswordHashMemory:  cfg.PasswordHashMemory,
		Media: service.MediaSettings{MaxImageBytes: cfg.Media.MaxImageBytes, MaxVideoBytes: cfg.Media.MaxVideoBytes,
			MaxImagePixels: cfg.Media.MaxImagePixels, RemoteCacheBytes: cfg.Media.RemoteCacheBytes},
	}})
	fed := federation.New(svc, federation.Settings{Domain: cfg.Domain, BaseURL: cfg.BaseURL(), Protocol: cfg.Protocol,
		AllowPrivate: cfg.FederationAllowPrivate, UserAgent: "weft/" + version.Version + " (+" + cfg.BaseURL() + "/)"}, log)
	svc.SetResolver(fed)
	svc.SetMediaFetcher(fed)
	if err := q.Register(ctx, svc, fed); err != nil {
		bus.Close()
		q.Close()
		st.Close()
		return nil, err
	}
	return &Core{Config: cfg, Store: st, Queue: q, Service: svc, Fed: fed, Bus: bus, Log: log}, nil
}

// OpenMediaStorage opens where media files live: a directory under the
// data directory, or the S3 bucket the configuration names.
func OpenMediaStorage(ctx context.Context, cfg *config.Config) (storage.Store, error) {
	if cfg.Media.Storage == "s3" {
		s3, err := storage.NewS3(ctx, storage.S3Options{Endpoint: cfg.Media.S3Endpoint, Bucket: cfg.Media.S3Bucket,
			Region: cfg.Media.S3Region, AccessKey: cfg.Media.S3AccessKey, SecretKey: cfg.Media.S3SecretKey,
			PathStyle: cfg.Media.S3PathStyle, Redirect: cfg.Media.S3Serve == "redirect"})
		if err != nil {
			return nil, fmt.Errorf("media storage: %w", err)
		}
		return s3, nil
	}
	local, err := storage.NewLocal(filepath.Join(cfg.DataDir, "media"))
	if err != nil {
		return nil, fmt.Errorf("media storage: %w", err)
	}
	return local, nil
}

// Migrate applies weft's and the job queue's pending migrations.
func Migrate(ctx context.Context, st *store.Store) ([]int, error) {
	applied, err := st.Migrate(ctx, func(ctx context.Context, tx *sql.Tx) error { return jobs.Migrate(ctx, st, tx) })
	if err != nil {
		return nil, fmt.Errorf("migrate database: %w", err)
	}
	return applied, nil
}

// Close releases the queue's and the store's connections.
func (c *Core) Close() {
	c.Bus.Close()
	c.Queue.Close()
	c.Store.Close()
}

// InstanceInfoOf is what the configuration says of the instance; admins
// may override it (service.InstanceInfo).
func InstanceInfoOf(cfg *config.Config) service.InstanceInfo {
	return service.InstanceInfo{Name: cfg.InstanceName, Description: cfg.InstanceDescription, Rules: []string{},
		Registrations: cfg.Registrations, FediverseSharingDefault: cfg.FediverseSharingDefault}
}
