package mastodon

import (
	"net/http"
	"strconv"
	"strings"
)

func (a *API) instanceRoutes(mux *http.ServeMux) {
	a.route(mux, "GET /api/v1/instance", public, a.instanceV1)
	a.route(mux, "GET /api/v2/instance", public, a.instanceV2)
	a.route(mux, "GET /api/v1/custom_emojis", public, func(*call) (any, error) { return []any{}, nil })
	a.route(mux, "GET /api/v1/instance/peers", public, func(*call) (any, error) { return []string{}, nil })
	a.route(mux, "GET /api/v1/instance/rules", public, func(c *call) (any, error) { return rules(a.svc.InstanceInfo(c.ctx()).Rules), nil })
	a.route(mux, "GET /api/v1/instance/activity", public, func(*call) (any, error) { return []any{}, nil })
	a.route(mux, "GET /api/v1/preferences", userScope("read:accounts"), a.preferences)
}

// mastodonVersion is what apps read to switch features: Mastodon's version
// with weft's after it, as other compatible servers do.
func (a *API) mastodonVersion() string {
	return "4.5.0 (compatible; weft " + a.cfg.Version + ")"
}

var supportedMimeTypes = []string{"image/jpeg", "image/png", "image/gif", "image/webp", "video/mp4", "video/webm",
	"video/quicktime", "audio/mpeg", "audio/ogg", "audio/wave", "audio/wav", "audio/x-wav", "audio/mp4", "audio/webm", "audio/flac"}

func (a *API) statusesConfig() map[string]any {
	return map[string]any{"max_characters": a.cfg.MaxPostChars, "max_media_attachments": 4, "characters_reserved_per_url": 23}
}

func (a *API) mediaConfig() map[string]any {
	return map[string]any{"supported_mime_types": supportedMimeTypes, "description_limit": 1500,
		"image_size_limit": a.cfg.MaxImageBytes, "image_matrix_limit": a.cfg.MaxImagePixels,
		"video_size_limit": a.cfg.MaxVideoBytes, "video_frame_rate_limit": 120, "video_matrix_limit": 8294400}
}

var pollsConfig = map[string]any{"max_options": 4, "max_characters_per_option": 50, "min_expiration": 300, "max_expiration": 2629746}

func (a *API) thumbnail() string { return a.cfg.BaseURL + missingHeader }

// rules are the instance's rules as Mastodon's Rule entities.
func rules(list []string) []map[string]any {
	out := make([]map[string]any, 0, len(list))
	for i, r := range list {
		out = append(out, map[string]any{"id": strconv.Itoa(i + 1), "text": r, "hint": ""})
	}
	return out
}

func (a *API) instanceV1(c *call) (any, error) {
	stats, err := a.svc.InstanceStats(c.ctx())
	if err != nil {
		return nil, err
	}
	info := a.svc.InstanceInfo(c.ctx())
	return map[string]any{
		"uri": a.cfg.Domain, "title": info.Name, "short_description": info.Description,
		"description": info.Description, "email": a.cfg.ContactEmail, "version": a.mastodonVersion(),
		"urls":      map[string]any{"streaming_api": a.cfg.StreamingURL},
		"stats":     map[string]any{"user_count": stats.Users, "status_count": stats.Statuses, "domain_count": stats.Domains},
		"thumbnail": a.thumbnail(), "languages": []string{"en"},
		"registrations": info.Registrations != "closed", "approval_required": info.Registrations == "approval",
		"invites_enabled": false,
		"configuration": map[string]any{
			"accounts": map[string]any{"max_featured_tags": 10}, "statuses": a.statusesConfig(),
			"media_attachments": a.mediaConfig(), "polls": pollsConfig,
		},
		"contact_account": nil, "rules": rules(info.Rules),
	}, nil
}

func (a *API) instanceV2(c *call) (any, error) {
	stats, err := a.svc.InstanceStats(c.ctx())
	if err != nil {
		return nil, err
	}
	info := a.svc.InstanceInfo(c.ctx())
	return map[string]any{
		"domain": a.cfg.Domain, "title": info.Name, "version": a.mastodonVersion(),
		"source_url": "https://github.com/weft-social/weft", "description": info.Description,
		"usage":     map[string]any{"users": map[string]any{"active_month": stats.Users}},
		"thumbnail": map[string]any{"url": a.thumbnail()}, "icon": []any{}, "languages": []string{"en"},
		"configuration": map[string]any{
			"urls": map[string]any{"streaming": a.cfg.StreamingURL, "status": nil,
				"about": a.cfg.BaseURL + "/about", "privacy_policy": a.cfg.BaseURL + "/privacy-policy", "terms_of_service": nil},
			"vapid":             map[string]any{"public_key": ""},
			"accounts":          map[string]any{"max_featured_tags": 10, "max_pinned_statuses": 5},
			"statuses":          a.statusesConfig(),
			"media_attachments": a.mediaConfig(),
			"polls":             pollsConfig,
			"translation":       map[string]any{"enabled": false},
		},
		"registrations": map[string]any{"enabled": info.Registrations != "closed",
			"approval_required": info.Registrations == "approval", "message": nil, "url": nil},
		"api_versions": map[string]any{"mastodon": 2},
		"contact":      map[string]any{"email": a.cfg.ContactEmail, "account": nil},
		"rules":        rules(info.Rules),
	}, nil
}

func (a *API) preferences(c *call) (any, error) {
	return map[string]any{
		"posting:default:visibility": "public", "posting:default:sensitive": false, "posting:default:language": nil,
		"reading:expand:media": "default", "reading:expand:spoilers": false,
	}, nil
}

// streamingURL is ws:// for http instances and wss:// otherwise.
func StreamingURL(protocol, domain string) string {
	if strings.EqualFold(protocol, "http") {
		return "ws://" + domain
	}
	return "wss://" + domain
}
