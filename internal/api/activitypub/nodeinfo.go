package activitypub

import (
	"encoding/json"
	"net/http"

	"weft/internal/httpx"
	"weft/internal/service"
	"weft/internal/version"
)

// NodeInfo schema namespaces: discovery links by them, and each document's
// Content-Type names its schema in a profile parameter, as the protocol
// asks (nodeinfo.diaspora.software/protocol).
const (
	nodeInfoSchema20 = "http://nodeinfo.diaspora.software/ns/schema/2.0"
	nodeInfoSchema21 = "http://nodeinfo.diaspora.software/ns/schema/2.1"
)

// sourceURL is where weft's code is: the same address /api/v2/instance
// gives as source_url.
const sourceURL = "https://github.com/weft-social/weft"

// NodeInfoRoutes registers NodeInfo discovery and the 2.0 and 2.1
// documents. The instance's name, description and sign-up policy come
// from the service (the configuration, or what admins set since), the
// same /api/v2/instance reports. The usage cache is made here, so each
// server counts for itself.
func (s *Server) NodeInfoRoutes(mux *http.ServeMux) {
	ni := &nodeInfo{s: s, usage: s.svc.NewNodeInfoCache()}
	mux.HandleFunc("GET /.well-known/nodeinfo", ni.discovery)
	mux.HandleFunc("GET /nodeinfo/2.0", ni.document("2.0", nodeInfoSchema20))
	mux.HandleFunc("GET /nodeinfo/2.1", ni.document("2.1", nodeInfoSchema21))
}

type nodeInfo struct {
	s     *Server
	usage *service.NodeInfoCache
}

// nodeInfoLinks is the discovery document: where each schema's document is.
type nodeInfoLinks struct {
	Links []nodeInfoLink `json:"links"`
}

type nodeInfoLink struct {
	Rel  string `json:"rel"`
	Href string `json:"href"`
}

// nodeInfoDoc is a NodeInfo document; 2.0 and 2.1 differ only in the
// software's repository and homepage, which 2.0 does not allow.
type nodeInfoDoc struct {
	Version           string           `json:"version"`
	Software          nodeInfoSoftware `json:"software"`
	Protocols         []string         `json:"protocols"`
	Services          nodeInfoServices `json:"services"`
	OpenRegistrations bool             `json:"openRegistrations"`
	Usage             nodeInfoUsage    `json:"usage"`
	Metadata          nodeInfoMetadata `json:"metadata"`
}

type nodeInfoSoftware struct {
	Name       string `json:"name"`
	Version    string `json:"version"`
	Repository string `json:"repository,omitempty"` // 2.1 only; weft has no homepage apart from it
}

// nodeInfoServices: weft bridges to no other network, but the schema
// requires both lists, so they are sent empty.
type nodeInfoServices struct {
	Inbound  []string `json:"inbound"`
	Outbound []string `json:"outbound"`
}

type nodeInfoUsage struct {
	Users      nodeInfoUsers `json:"users"`
	LocalPosts int64         `json:"localPosts"`
}

type nodeInfoUsers struct {
	Total          int64 `json:"total"`
	ActiveMonth    int64 `json:"activeMonth"`
	ActiveHalfyear int64 `json:"activeHalfyear"`
}

// nodeInfoMetadata is free-form in the schema; nodeName and
// nodeDescription are what Mastodon, GoToSocial and the crawlers read.
type nodeInfoMetadata struct {
	NodeName        string `json:"nodeName"`
	NodeDescription string `json:"nodeDescription"`
}

// discovery answers /.well-known/nodeinfo. The links never change while
// the server runs: caches may keep them three days, as Mastodon lets them.
func (n *nodeInfo) discovery(w http.ResponseWriter, _ *http.Request) {
	base := n.s.cfg.BaseURL
	w.Header().Set("Cache-Control", "max-age=259200, public")
	httpx.WriteJSON(w, http.StatusOK, nodeInfoLinks{Links: []nodeInfoLink{
		{Rel: nodeInfoSchema20, Href: base + "/nodeinfo/2.0"},
		{Rel: nodeInfoSchema21, Href: base + "/nodeinfo/2.1"},
	}})
}

// document serves one schema version. The counts come from the cache,
// which recounts every ten minutes; caches outside may keep the answer half
// an hour, as Mastodon lets them.
func (n *nodeInfo) document(schemaVersion, schema string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		u, err := n.usage.Usage(r.Context())
		if err != nil {
			httpx.WriteError(w, r, n.s.log, err)
			return
		}
		b, err := json.Marshal(n.build(schemaVersion, u, n.s.svc.InstanceInfo(r.Context())))
		if err != nil { // plain strings and numbers: cannot happen
			httpx.WriteError(w, r, n.s.log, err)
			return
		}
		w.Header().Set("Content-Type", `application/json; profile="`+schema+`#"`)
		w.Header().Set("Cache-Control", "max-age=1800, public")
		_, _ = w.Write(b)
	}
}

func (n *nodeInfo) build(schemaVersion string, u service.NodeInfoUsage, meta service.InstanceInfo) nodeInfoDoc {
	sw := nodeInfoSoftware{Name: "weft", Version: version.Version}
	if schemaVersion == "2.1" {
		sw.Repository = sourceURL
	}
	return nodeInfoDoc{
		Version:   schemaVersion,
		Software:  sw,
		Protocols: []string{"activitypub"},
		Services:  nodeInfoServices{Inbound: []string{}, Outbound: []string{}},
		// Sign-ups awaiting approval are still sign-ups: open unless closed,
		// as /api/v2/instance's registrations.enabled and Mastodon say.
		OpenRegistrations: meta.Registrations != "closed",
		Usage: nodeInfoUsage{
			Users:      nodeInfoUsers{Total: u.Users, ActiveMonth: u.ActiveMonth, ActiveHalfyear: u.ActiveHalfyear},
			LocalPosts: u.LocalPosts,
		},
		Metadata: nodeInfoMetadata{NodeName: meta.Name, NodeDescription: meta.Description},
	}
}
