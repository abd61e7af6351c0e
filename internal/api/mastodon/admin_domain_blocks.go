package mastodon

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"

	"weft/internal/model"
	"weft/internal/service"
)

// Mastodon's admin API for domain blocks, for admins' apps. weft's "limit"
// is Mastodon's "silence": both names are accepted, "silence" is shown.
func (a *API) adminDomainBlockRoutes(mux *http.ServeMux) {
	read := userScope("admin:read", "admin:read:domain_blocks")
	write := userScope("admin:write", "admin:write:domain_blocks")
	a.route(mux, "GET /api/v1/admin/domain_blocks", read, a.adminDomainBlocks)
	a.route(mux, "GET /api/v1/admin/domain_blocks/{id}", read, a.adminDomainBlock)
	a.route(mux, "POST /api/v1/admin/domain_blocks", write, a.adminCreateDomainBlock)
	a.route(mux, "PUT /api/v1/admin/domain_blocks/{id}", write, a.adminUpdateDomainBlock)
	a.route(mux, "DELETE /api/v1/admin/domain_blocks/{id}", write, a.adminDeleteDomainBlock)
}

// AdminDomainBlock is Mastodon's Admin::DomainBlock entity.
type AdminDomainBlock struct {
	ID             string `json:"id"`
	Domain         string `json:"domain"`
	Digest         string `json:"digest"`
	CreatedAt      string `json:"created_at"`
	Severity       string `json:"severity"`
	RejectMedia    bool   `json:"reject_media"`
	RejectReports  bool   `json:"reject_reports"`
	PrivateComment string `json:"private_comment"`
	PublicComment  string `json:"public_comment"`
	Obfuscate      bool   `json:"obfuscate"`
}

func adminDomainBlock(b *model.InstanceDomainBlock) AdminDomainBlock {
	sum := sha256.Sum256([]byte(b.Domain))
	sev := b.Severity
	if sev == model.DomainLimit {
		sev = "silence"
	}
	return AdminDomainBlock{ID: idStr(b.ID), Domain: b.Domain, Digest: hex.EncodeToString(sum[:]),
		CreatedAt: timestamp(b.CreatedAt), Severity: sev, RejectMedia: b.RejectMedia, PrivateComment: b.Comment}
}

func (a *API) adminDomainBlocks(c *call) (any, error) {
	if err := a.svc.CheckAdmin(c.ctx(), c.viewer()); err != nil {
		return nil, err
	}
	list, err := a.svc.InstanceDomainBlocks(c.ctx())
	if err != nil {
		return nil, err
	}
	out := make([]AdminDomainBlock, 0, len(list))
	for _, b := range list {
		out = append(out, adminDomainBlock(b))
	}
	return out, nil
}

func (a *API) adminDomainBlockByID(c *call) (*model.InstanceDomainBlock, error) {
	if err := a.svc.CheckAdmin(c.ctx(), c.viewer()); err != nil {
		return nil, err
	}
	id, err := pathID(c, "id")
	if err != nil {
		return nil, err
	}
	return a.svc.InstanceDomainBlockByID(c.ctx(), id)
}

func (a *API) adminDomainBlock(c *call) (any, error) {
	b, err := a.adminDomainBlockByID(c)
	if err != nil {
		return nil, err
	}
	return adminDomainBlock(b), nil
}

// domainBlockInput reads severity, reject_media and private_comment over
// what a block has (nil for a new one).
func domainBlockInput(c *call, domain string, old *model.InstanceDomainBlock) (service.DomainBlockInput, error) {
	in := service.DomainBlockInput{Domain: domain, Severity: model.DomainLimit} // Mastodon's default: silence
	if old != nil {
		in.Severity, in.RejectMedia, in.Comment = old.Severity, old.RejectMedia, old.Comment
	}
	if v := c.params.String("severity"); v != "" {
		in.Severity = v
	}
	if in.Severity == "silence" {
		in.Severity = model.DomainLimit
	}
	if v, set, err := c.params.Bool("reject_media"); err != nil {
		return in, err
	} else if set {
		in.RejectMedia = v
	}
	if c.params.Has("private_comment") {
		in.Comment = c.params.String("private_comment")
	}
	return in, nil
}

func (a *API) adminCreateDomainBlock(c *call) (any, error) {
	if err := a.svc.CheckAdmin(c.ctx(), c.viewer()); err != nil {
		return nil, err
	}
	domain := c.params.String("domain")
	if domain == "" {
		return nil, model.Invalid("domain", "can't be blank")
	}
	in, err := domainBlockInput(c, domain, nil)
	if err != nil {
		return nil, err
	}
	b, err := a.svc.BlockInstanceDomain(c.ctx(), in)
	if err != nil {
		return nil, err
	}
	return adminDomainBlock(b), nil
}

func (a *API) adminUpdateDomainBlock(c *call) (any, error) {
	old, err := a.adminDomainBlockByID(c)
	if err != nil {
		return nil, err
	}
	in, err := domainBlockInput(c, old.Domain, old)
	if err != nil {
		return nil, err
	}
	b, err := a.svc.BlockInstanceDomain(c.ctx(), in)
	if err != nil {
		return nil, err
	}
	return adminDomainBlock(b), nil
}

func (a *API) adminDeleteDomainBlock(c *call) (any, error) {
	old, err := a.adminDomainBlockByID(c)
	if err != nil {
		return nil, err
	}
	if err := a.svc.UnblockInstanceDomain(c.ctx(), old.Domain); err != nil {
		return nil, err
	}
	return map[string]any{}, nil
}
