package mastodon

import (
	"math"
	"net/http"
	"strconv"
	"strings"

	"weft/internal/httpx"
	"weft/internal/model"
	"weft/internal/service"
)

func (a *API) filterRoutes(mux *http.ServeMux) {
	read, write := userScope("read:filters"), userScope("write:filters")
	a.route(mux, "GET /api/v2/filters", read, a.getFilters)
	a.route(mux, "POST /api/v2/filters", write, a.createFilter)
	a.route(mux, "GET /api/v2/filters/{id}", read, a.getFilter)
	a.route(mux, "PUT /api/v2/filters/{id}", write, a.updateFilter)
	a.route(mux, "DELETE /api/v2/filters/{id}", write, a.deleteFilter)
	// filters/{id}/keywords and filters/keywords/{id} would overlap as
	// patterns (filters/keywords/keywords matches both), which ServeMux
	// refuses: one pattern reads both ways.
	a.route(mux, "GET /api/v2/filters/{a}/{b}", read, a.getFilterPart)
	a.route(mux, "POST /api/v2/filters/{id}/keywords", write, a.addFilterKeyword)
	a.route(mux, "PUT /api/v2/filters/keywords/{id}", write, a.updateFilterKeyword)
	a.route(mux, "DELETE /api/v2/filters/keywords/{id}", write, a.deleteFilterKeyword)
	a.route(mux, "POST /api/v2/filters/{id}/statuses", write, a.addFilterStatus)
	a.route(mux, "DELETE /api/v2/filters/statuses/{id}", write, a.deleteFilterStatus)
	// The v1 API, for older clients: one keyword per filter.
	a.route(mux, "GET /api/v1/filters", read, a.getV1Filters)
	a.route(mux, "POST /api/v1/filters", write, a.createV1Filter)
	a.route(mux, "GET /api/v1/filters/{id}", read, a.getV1Filter)
	a.route(mux, "PUT /api/v1/filters/{id}", write, a.updateV1Filter)
	a.route(mux, "DELETE /api/v1/filters/{id}", write, a.deleteV1Filter)
}

// Filter is Mastodon's (v2) Filter entity. Keywords and Statuses are left
// out inside a FilterResult.
type Filter struct {
	ID           string           `json:"id"`
	Title        string           `json:"title"`
	Context      []string         `json:"context"`
	ExpiresAt    *string          `json:"expires_at"`
	FilterAction string           `json:"filter_action"`
	Keywords     *[]FilterKeyword `json:"keywords,omitempty"`
	Statuses     *[]FilterStatus  `json:"statuses,omitempty"`
}

// FilterKeyword is Mastodon's FilterKeyword entity.
type FilterKeyword struct {
	ID        string `json:"id"`
	Keyword   string `json:"keyword"`
	WholeWord bool   `json:"whole_word"`
}

// FilterStatus is Mastodon's FilterStatus entity.
type FilterStatus struct {
	ID       string `json:"id"`
	StatusID string `json:"status_id"`
}

// FilterResult is Mastodon's FilterResult entity, in a Status's filtered.
type FilterResult struct {
	Filter         Filter   `json:"filter"`
	KeywordMatches []string `json:"keyword_matches"`
	StatusMatches  []string `json:"status_matches"`
}

// V1Filter is Mastodon's V1::Filter entity: one keyword of a filter.
type V1Filter struct {
	ID           string   `json:"id"`
	Phrase       string   `json:"phrase"`
	Context      []string `json:"context"`
	WholeWord    bool     `json:"whole_word"`
	ExpiresAt    *string  `json:"expires_at"`
	Irreversible bool     `json:"irreversible"`
}

// filterBrief renders a filter without its keywords and posts.
func filterBrief(f *model.Filter) Filter {
	out := Filter{ID: idStr(f.ID), Title: f.Title, Context: make([]string, 0, len(f.Context)),
		ExpiresAt: timestampPtr(f.ExpiresAt), FilterAction: string(f.Action)}
	for _, c := range f.Context {
		out.Context = append(out.Context, string(c))
	}
	return out
}

func filterEntity(f *model.Filter) Filter {
	out := filterBrief(f)
	kws, sts := filterKeywords(f.Keywords), filterStatuses(f.Statuses)
	out.Keywords, out.Statuses = &kws, &sts
	return out
}

func filterKeyword(k *model.FilterKeyword) FilterKeyword {
	return FilterKeyword{ID: idStr(k.ID), Keyword: k.Keyword, WholeWord: k.WholeWord}
}

func filterKeywords(ks []*model.FilterKeyword) []FilterKeyword {
	out := make([]FilterKeyword, 0, len(ks))
	for _, k := range ks {
		out = append(out, filterKeyword(k))
	}
	return out
}

func filterStatus(s *model.FilterStatus) FilterStatus {
	return FilterStatus{ID: idStr(s.ID), StatusID: idStr(s.StatusID)}
}

func filterStatuses(ss []*model.FilterStatus) []FilterStatus {
	out := make([]FilterStatus, 0, len(ss))
	for _, s := range ss {
		out = append(out, filterStatus(s))
	}
	return out
}

func filterResult(r model.FilterResult) FilterResult {
	out := FilterResult{Filter: filterBrief(r.Filter), KeywordMatches: r.KeywordMatches}
	for _, id := range r.StatusMatches {
		out.StatusMatches = append(out.StatusMatches, idStr(id))
	}
	return out
}

func v1Filter(v service.V1Filter) V1Filter {
	b := filterBrief(v.Filter)
	return V1Filter{ID: idStr(v.Keyword.ID), Phrase: v.Keyword.Keyword, Context: b.Context, WholeWord: v.Keyword.WholeWord,
		ExpiresAt: b.ExpiresAt, Irreversible: v.Filter.Action == model.FilterHide}
}

// expiresIn reads expires_in: nil when absent, 0 when blank or null (never
// expires), else whole seconds (clients send 3600 or 3600.0).
func expiresIn(c *call) (*int64, error) {
	if !c.params.Has("expires_in") {
		return nil, nil
	}
	raw := strings.TrimSpace(c.params.String("expires_in"))
	var n int64
	if raw != "" {
		f, err := strconv.ParseFloat(raw, 64)
		if err != nil || math.IsNaN(f) || f < 0 || f > math.MaxInt32*100 {
			return nil, model.Invalid("expires_in", "must be a number of seconds")
		}
		n = int64(f)
		if n == 0 && f > 0 {
			n = 1
		}
	}
	return &n, nil
}

// contextParam reads context[]; nil when absent.
func contextParam(c *call) *[]string {
	if !c.params.Has("context") {
		return nil
	}
	cs := c.params.Strings("context")
	return &cs
}

// filterInput reads a v2 filter's parameters; absent ones are nil.
func filterInput(c *call) (service.FilterInput, error) {
	var in service.FilterInput
	if c.params.Has("title") {
		v := c.params.String("title")
		in.Title = &v
	}
	in.Context = contextParam(c)
	if c.params.Has("filter_action") {
		v := c.params.String("filter_action")
		in.Action = &v
	}
	var err error
	if in.ExpiresIn, err = expiresIn(c); err != nil {
		return in, err
	}
	for _, obj := range c.params.Indexed("keywords_attributes") {
		k, err := keywordObject(obj)
		if err != nil {
			return in, err
		}
		in.Keywords = append(in.Keywords, k)
	}
	return in, nil
}

// keywordObject reads one of keywords_attributes[]: keyword, whole_word, id
// and _destroy.
func keywordObject(obj map[string]string) (service.KeywordInput, error) {
	var k service.KeywordInput
	if raw, ok := obj["id"]; ok && strings.TrimSpace(raw) != "" {
		id, err := strconv.ParseInt(strings.TrimSpace(raw), 10, 64)
		if err != nil || id <= 0 {
			return k, model.NotFound("filter keyword")
		}
		k.ID = id
	}
	if v, ok := obj["keyword"]; ok {
		k.Keyword = &v
	}
	if raw, ok := obj["whole_word"]; ok {
		b, err := httpx.ParseBool("whole_word", raw)
		if err != nil {
			return k, err
		}
		k.WholeWord = &b
	}
	if raw, ok := obj["_destroy"]; ok {
		b, err := httpx.ParseBool("_destroy", raw)
		if err != nil {
			return k, err
		}
		k.Destroy = b
	}
	return k, nil
}

// keywordInput reads a keyword's own parameters: keyword and whole_word.
func keywordInput(c *call) (service.KeywordInput, error) {
	var k service.KeywordInput
	if c.params.Has("keyword") {
		v := c.params.String("keyword")
		k.Keyword = &v
	}
	var err error
	k.WholeWord, err = c.params.BoolPtr("whole_word")
	return k, err
}

func (a *API) getFilters(c *call) (any, error) {
	fs, err := a.svc.Filters(c.ctx(), c.viewer())
	if err != nil {
		return nil, err
	}
	out := make([]Filter, 0, len(fs))
	for _, f := range fs {
		out = append(out, filterEntity(f))
	}
	return out, nil
}

func (a *API) createFilter(c *call) (any, error) {
	in, err := filterInput(c)
	if err != nil {
		return nil, err
	}
	f, err := a.svc.CreateFilter(c.ctx(), c.viewer(), in)
	if err != nil {
		return nil, err
	}
	return filterEntity(f), nil
}

func (a *API) getFilter(c *call) (any, error) {
	id, err := pathID(c, "id")
	if err != nil {
		return nil, err
	}
	f, err := a.svc.Filter(c.ctx(), c.viewer(), id)
	if err != nil {
		return nil, err
	}
	return filterEntity(f), nil
}

func (a *API) updateFilter(c *call) (any, error) {
	id, err := pathID(c, "id")
	if err != nil {
		return nil, err
	}
	in, err := filterInput(c)
	if err != nil {
		return nil, err
	}
	f, err := a.svc.UpdateFilter(c.ctx(), c.viewer(), id, in)
	if err != nil {
		return nil, err
	}
	return filterEntity(f), nil
}

func (a *API) deleteFilter(c *call) (any, error) {
	id, err := pathID(c, "id")
	if err != nil {
		return nil, err
	}
	return nil, a.svc.DeleteFilter(c.ctx(), c.viewer(), id)
}

// getFilterPart answers filters/{id}/keywords, filters/{id}/statuses,
// filters/keywords/{id} and filters/statuses/{id}.
func (a *API) getFilterPart(c *call) (any, error) {
	first, second := c.r.PathValue("a"), c.r.PathValue("b")
	switch {
	case first == "keywords":
		return a.withID(c, "b", func(id int64) (any, error) {
			k, err := a.svc.FilterKeyword(c.ctx(), c.viewer(), id)
			if err != nil {
				return nil, err
			}
			return filterKeyword(k), nil
		})
	case first == "statuses":
		return a.withID(c, "b", func(id int64) (any, error) {
			s, err := a.svc.FilterStatus(c.ctx(), c.viewer(), id)
			if err != nil {
				return nil, err
			}
			return filterStatus(s), nil
		})
	case second == "keywords":
		return a.withID(c, "a", func(id int64) (any, error) {
			ks, err := a.svc.FilterKeywords(c.ctx(), c.viewer(), id)
			if err != nil {
				return nil, err
			}
			return filterKeywords(ks), nil
		})
	case second == "statuses":
		return a.withID(c, "a", func(id int64) (any, error) {
			ss, err := a.svc.FilterStatuses(c.ctx(), c.viewer(), id)
			if err != nil {
				return nil, err
			}
			return filterStatuses(ss), nil
		})
	}
	return nil, model.NotFound("record")
}

// withID reads the path ID name and calls fn with it.
func (a *API) withID(c *call, name string, fn func(id int64) (any, error)) (any, error) {
	id, err := pathID(c, name)
	if err != nil {
		return nil, err
	}
	return fn(id)
}

func (a *API) addFilterKeyword(c *call) (any, error) {
	id, err := pathID(c, "id")
	if err != nil {
		return nil, err
	}
	in, err := keywordInput(c)
	if err != nil {
		return nil, err
	}
	k, err := a.svc.AddFilterKeyword(c.ctx(), c.viewer(), id, in)
	if err != nil {
		return nil, err
	}
	return filterKeyword(k), nil
}

func (a *API) updateFilterKeyword(c *call) (any, error) {
	id, err := pathID(c, "id")
	if err != nil {
		return nil, err
	}
	in, err := keywordInput(c)
	if err != nil {
		return nil, err
	}
	k, err := a.svc.UpdateFilterKeyword(c.ctx(), c.viewer(), id, in)
	if err != nil {
		return nil, err
	}
	return filterKeyword(k), nil
}

func (a *API) deleteFilterKeyword(c *call) (any, error) {
	id, err := pathID(c, "id")
	if err != nil {
		return nil, err
	}
	return nil, a.svc.DeleteFilterKeyword(c.ctx(), c.viewer(), id)
}

func (a *API) addFilterStatus(c *call) (any, error) {
	id, err := pathID(c, "id")
	if err != nil {
		return nil, err
	}
	statusID, err := c.params.ID("status_id")
	if err != nil {
		return nil, err
	}
	s, err := a.svc.AddFilterStatus(c.ctx(), c.viewer(), id, statusID)
	if err != nil {
		return nil, err
	}
	return filterStatus(s), nil
}

func (a *API) deleteFilterStatus(c *call) (any, error) {
	id, err := pathID(c, "id")
	if err != nil {
		return nil, err
	}
	return nil, a.svc.DeleteFilterStatus(c.ctx(), c.viewer(), id)
}

// v1FilterInput reads a v1 filter's parameters; absent ones are nil.
func v1FilterInput(c *call) (service.V1FilterInput, error) {
	var in service.V1FilterInput
	if c.params.Has("phrase") {
		v := c.params.String("phrase")
		in.Phrase = &v
	}
	in.Context = contextParam(c)
	var err error
	if in.Irreversible, err = c.params.BoolPtr("irreversible"); err != nil {
		return in, err
	}
	if in.WholeWord, err = c.params.BoolPtr("whole_word"); err != nil {
		return in, err
	}
	in.ExpiresIn, err = expiresIn(c)
	return in, err
}

func (a *API) getV1Filters(c *call) (any, error) {
	vs, err := a.svc.V1Filters(c.ctx(), c.viewer())
	if err != nil {
		return nil, err
	}
	out := make([]V1Filter, 0, len(vs))
	for _, v := range vs {
		out = append(out, v1Filter(v))
	}
	return out, nil
}

func (a *API) createV1Filter(c *call) (any, error) {
	in, err := v1FilterInput(c)
	if err != nil {
		return nil, err
	}
	v, err := a.svc.CreateV1Filter(c.ctx(), c.viewer(), in)
	if err != nil {
		return nil, err
	}
	return v1Filter(v), nil
}

func (a *API) getV1Filter(c *call) (any, error) {
	id, err := pathID(c, "id")
	if err != nil {
		return nil, err
	}
	v, err := a.svc.V1Filter(c.ctx(), c.viewer(), id)
	if err != nil {
		return nil, err
	}
	return v1Filter(v), nil
}

func (a *API) updateV1Filter(c *call) (any, error) {
	id, err := pathID(c, "id")
	if err != nil {
		return nil, err
	}
	in, err := v1FilterInput(c)
	if err != nil {
		return nil, err
	}
	v, err := a.svc.UpdateV1Filter(c.ctx(), c.viewer(), id, in)
	if err != nil {
		return nil, err
	}
	return v1Filter(v), nil
}

func (a *API) deleteV1Filter(c *call) (any, error) {
	id, err := pathID(c, "id")
	if err != nil {
		return nil, err
	}
	return nil, a.svc.DeleteV1Filter(c.ctx(), c.viewer(), id)
}
