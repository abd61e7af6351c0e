package web

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"weft/internal/model"
	"weft/internal/service"
)

// The admin pages: the open reports, this server's members (suspend,
// unsuspend, delete) and the blocks of other servers. They are for this
// server's admins only: visitors are sent to sign in, other members get a
// 403 page.

const (
	adminReportsLimit    = 100 // open reports shown, newest first
	adminUsersPageSize   = 50
	adminMaxBlockComment = 1000 // characters of a domain block's comment
)

// adminRoutes registers the admin pages (Routes calls it).
func (w *Web) adminRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /admin", w.adminPage(w.adminHome))
	mux.HandleFunc("GET /admin/{$}", w.adminPage(w.adminHome))
	mux.HandleFunc("GET /admin/reports", w.adminPage(w.adminReports))
	mux.HandleFunc("GET /admin/users", w.adminPage(w.adminUsers))
	mux.HandleFunc("POST /admin/users/{id}/suspend", w.adminAction(w.adminSuspend))
	mux.HandleFunc("POST /admin/users/{id}/unsuspend", w.adminAction(w.adminUnsuspend))
	mux.HandleFunc("GET /admin/users/{id}/delete", w.adminPage(w.adminDeletePage))
	mux.HandleFunc("POST /admin/users/{id}/delete", w.adminAction(w.adminDelete))
	mux.HandleFunc("GET /admin/domain_blocks", w.adminPage(w.adminDomainBlocks))
	mux.HandleFunc("POST /admin/domain_blocks", w.adminAction(w.adminBlockDomain))
	mux.HandleFunc("POST /admin/domain_blocks/{id}/remove", w.adminAction(w.adminUnblockDomain))
	mux.HandleFunc("POST /admin/reports/{id}/resolve", w.adminAction(w.adminResolveReport))
	mux.HandleFunc("POST /admin/signups/{id}/{verb}", w.adminAction(w.adminAnswerSignUp))
	mux.HandleFunc("GET /admin/instance", w.adminPage(w.adminInstance))
	mux.HandleFunc("POST /admin/instance", w.adminAction(w.adminSaveInstance))
}

// errNotAdmin is what members who are not admins see.
var errNotAdmin = model.Errorf(model.ErrForbidden, "", "These pages are for this server's admins only.")

// checkAdmin refuses anyone but a signed-in admin.
func (w *Web) checkAdmin(q *req) error {
	if q.me == nil {
		return errSignIn
	}
	if err := w.svc.CheckAdmin(q.r.Context(), q.me.ID); err != nil {
		if errors.Is(err, model.ErrForbidden) {
			return errNotAdmin
		}
		return err
	}
	return nil
}

// adminPage wraps an admin page (GET).
func (w *Web) adminPage(fn func(q *req) error) http.HandlerFunc {
	return w.page(func(q *req) error {
		if err := w.checkAdmin(q); err != nil {
			return err
		}
		return fn(q)
	})
}

// adminAction wraps an admin form: signed in, a valid CSRF token, an admin.
func (w *Web) adminAction(fn func(q *req) error) http.HandlerFunc {
	return w.action(func(q *req) error {
		if err := w.checkAdmin(q); err != nil {
			return err
		}
		return fn(q)
	})
}

type adminNavItem struct {
	Path, Label string
	Current     bool
}

// adminDone is what the page says after an action (?done=…&who=…).
var adminDone = map[string]string{
	"suspend":   "%s is suspended: signed out everywhere and hidden from everyone. This can be undone.",
	"unsuspend": "%s is no longer suspended.",
	"delete":    "%s is deleted. Their posts, follows and likes are being removed in the background.",
	"block":     "%s is blocked.",
	"resolved":  "The report about %s is resolved.",
	"approved":  "%s is approved and can sign in.",
	"rejected":  "The sign-up of %s is turned down.",
	"unblock":   "The block of %s is lifted.",
}

// adminData is the template data of an admin page, with the admin nav.
func (w *Web) adminData(q *req, title, section string) map[string]any {
	d := w.data(q, title, "admin")
	nav := []adminNavItem{{"/admin/reports", "Reports", false}, {"/admin/users", "Users", false},
		{"/admin/domain_blocks", "Domain blocks", false}, {"/admin/instance", "Server settings", false}}
	for i := range nav {
		nav[i].Current = strings.TrimPrefix(nav[i].Path, "/admin/") == section
	}
	d["AdminNav"] = nav
	v := q.r.URL.Query()
	if msg, ok := adminDone[v.Get("done")]; ok && v.Get("who") != "" {
		d["Flash"] = fmt.Sprintf(msg, v.Get("who"))
	}
	return d
}

// adminBack is where an admin form goes on: the admin page it was sent
// from (return_to), saying what was done.
func adminBack(q *req, fallback, done, who string) string {
	back := localPath(q.r.PostFormValue("return_to"))
	if !strings.HasPrefix(back, "/admin/") {
		back = fallback
	}
	u, err := url.Parse(back)
	if err != nil {
		u = &url.URL{Path: fallback}
	}
	v := u.Query()
	v.Set("done", done)
	v.Set("who", who)
	u.RawQuery = v.Encode()
	return u.String()
}

func (w *Web) adminHome(q *req) error {
	http.Redirect(q.rw, q.r, "/admin/reports", http.StatusSeeOther)
	return nil
}

// adminTime is a moment as the admin pages show it.
type adminTime struct{ ISO, Full string }

func adminTimeOf(t time.Time) adminTime {
	return adminTime{ISO: t.UTC().Format(time.RFC3339), Full: t.UTC().Format("2 Jan 2006 15:04 MST")}
}

// adminAccount is an account with what admins see of its state.
type adminAccount struct {
	accountItem
	Username    string
	DisplayName string
	State       string // active, suspended, deleted
	StateSince  *adminTime
	Admin       bool
	Self        bool
	Created     adminTime
}

func (w *Web) adminAccount(q *req, a *model.Account) adminAccount {
	it := adminAccount{accountItem: w.account(a), Username: a.Username, DisplayName: a.DisplayName, State: "active", Self: a.ID == q.me.ID,
		Created: adminTimeOf(a.CreatedAt)}
	switch {
	case a.DeletedAt != nil:
		t := adminTimeOf(*a.DeletedAt)
		it.State, it.StateSince = "deleted", &t
	case a.SuspendedAt != nil:
		t := adminTimeOf(*a.SuspendedAt)
		it.State, it.StateSince = "suspended", &t
	}
	if a.Local() {
		if u, err := w.svc.User(q.r.Context(), a.ID); err == nil {
			it.Admin = u.Admin
		}
	}
	return it
}

// Reports.

type adminReport struct {
	ID         string
	Category   string
	Comment    []string // its lines
	Created    adminTime
	Reporter   *accountItem // nil when the account is gone from the database
	FromServer string       // the server that sent it ("" for this server's members)
	URI        string       // its id there
	Forwarded  bool         // a copy went to the reported account's server
	Target     *adminAccount
	TargetID   string
	Posts      []adminReportPost
}

// adminReportPost is one reported post: the post, or why it cannot be shown.
type adminReportPost struct {
	ID   string
	Post *postItem
}

var adminCategoryLabels = map[string]string{
	"spam": "Spam", "legal": "Illegal content", "violation": "Breaks the server's rules", "other": "Other",
}

// adminReports is GET /admin/reports: the reports waiting for moderators.
func (w *Web) adminReports(q *req) error {
	ctx := q.r.Context()
	list, err := w.svc.OpenReports(ctx, adminReportsLimit)
	if err != nil {
		return err
	}
	now := w.now()
	items := make([]adminReport, 0, len(list))
	for _, r := range list {
		it := adminReport{ID: strconv.FormatInt(r.ID, 10), Category: adminCategoryLabels[r.Category], Created: adminTimeOf(r.CreatedAt),
			URI: r.URI, Forwarded: r.Forwarded, TargetID: strconv.FormatInt(r.TargetAccountID, 10)}
		if it.Category == "" {
			it.Category = r.Category
		}
		for line := range strings.SplitSeq(r.Comment, "\n") {
			if line = strings.TrimSpace(line); line != "" {
				it.Comment = append(it.Comment, line)
			}
		}
		if a, err := w.svc.AccountByID(ctx, r.AccountID); err == nil {
			acc := w.account(a)
			it.Reporter = &acc
			if !a.Local() {
				it.FromServer = a.Domain
			}
		} else if !isNotFound(err) {
			return err
		}
		if it.FromServer == "" && r.URI != "" {
			it.FromServer = "another server"
			if u, err := url.Parse(r.URI); err == nil && u.Host != "" {
				it.FromServer = u.Host
			}
		}
		if a, err := w.svc.AccountByID(ctx, r.TargetAccountID); err == nil {
			acc := w.adminAccount(q, a)
			it.Target = &acc
		} else if !isNotFound(err) {
			return err
		}
		for _, id := range r.StatusIDs {
			p := adminReportPost{ID: strconv.FormatInt(id, 10)}
			if v, err := w.svc.Status(ctx, q.me.ID, id); err == nil {
				item := w.post(v, now)
				p.Post = &item
			}
			it.Posts = append(it.Posts, p)
		}
		items = append(items, it)
	}
	d := w.adminData(q, "Reports", "reports")
	d["Reports"] = items
	d["Limited"] = len(list) >= adminReportsLimit
	d["Limit"] = adminReportsLimit
	return w.show(q, 0, "admin_reports", d)
}

// Users.

// adminUsers is GET /admin/users: this server's accounts in the order they
// were made, a page at a time (?after=ID).
func (w *Web) adminUsers(q *req) error {
	var after int64
	if s := q.r.URL.Query().Get("after"); s != "" {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n < 0 {
			return model.NotFound("page")
		}
		after = n
	}
	list, err := w.svc.ListLocalAccounts(q.r.Context(), after, adminUsersPageSize+1)
	if err != nil {
		return err
	}
	next := ""
	if len(list) > adminUsersPageSize {
		list = list[:adminUsersPageSize]
		next = "/admin/users?after=" + strconv.FormatInt(list[len(list)-1].ID, 10)
	}
	users := make([]adminAccount, 0, len(list))
	for _, a := range list {
		users = append(users, w.adminAccount(q, a))
	}
	pending, err := w.svc.PendingSignUps(q.r.Context(), q.me.ID)
	if err != nil {
		return err
	}
	type pendingItem struct {
		ID, Username, Email, Reason string
		At                          adminTime
	}
	var waiting []pendingItem
	for _, p := range pending {
		waiting = append(waiting, pendingItem{ID: strconv.FormatInt(p.Account.ID, 10), Username: p.Account.Username,
			Email: p.Email, Reason: p.Reason, At: adminTimeOf(p.At)})
	}
	d := w.adminData(q, "Users", "users")
	d["Users"] = users
	d["Pending"] = waiting
	d["Next"] = next
	d["Paged"] = after != 0
	return w.show(q, 0, "admin_users", d)
}

// adminTarget is the local account of an admin action's {id}.
func (w *Web) adminTarget(q *req) (*model.Account, error) {
	id, err := strconv.ParseInt(q.r.PathValue("id"), 10, 64)
	if err != nil {
		return nil, model.NotFound("account")
	}
	a, err := w.svc.AccountByID(q.r.Context(), id)
	if err != nil {
		return nil, err
	}
	if !a.Local() {
		return nil, model.NotFound("account") // only this server's members are managed here
	}
	return a, nil
}

func (w *Web) adminSuspend(q *req) error {
	a, err := w.adminTarget(q)
	if err != nil {
		return err
	}
	if a.ID == q.me.ID {
		return model.Invalid("", "You cannot suspend your own account.")
	}
	if err := w.svc.SuspendAccount(q.r.Context(), a.ID); err != nil && !errors.Is(err, model.ErrAlready) {
		return err
	}
	return redirect(q, adminBack(q, "/admin/users", "suspend", a.Username))
}

func (w *Web) adminUnsuspend(q *req) error {
	a, err := w.adminTarget(q)
	if err != nil {
		return err
	}
	if err := w.svc.UnsuspendAccount(q.r.Context(), a.ID); err != nil {
		return err
	}
	return redirect(q, adminBack(q, "/admin/users", "unsuspend", a.Username))
}

// adminDeletePage is GET /admin/users/{id}/delete: deleting cannot be
// undone, so the admin types the username again.
func (w *Web) adminDeletePage(q *req) error {
	a, err := w.adminTarget(q)
	if err != nil {
		return err
	}
	return w.showDeleteUser(q, 0, a, "")
}

func (w *Web) showDeleteUser(q *req, status int, a *model.Account, problem string) error {
	if a.ID == q.me.ID {
		return model.Invalid("", "You cannot delete your own account here.")
	}
	if a.DeletedAt != nil {
		return model.Errorf(model.ErrGone, "", "the account is deleted already")
	}
	d := w.adminData(q, "Delete "+a.Username, "users")
	d["User"] = w.adminAccount(q, a)
	d["Problem"] = problem
	back := localPath(q.r.FormValue("return_to"))
	if !strings.HasPrefix(back, "/admin/") {
		back = "/admin/users"
	}
	d["Back"] = back
	return w.show(q, status, "admin_delete_user", d)
}

// adminDelete is POST /admin/users/{id}/delete, with the username typed again.
func (w *Web) adminDelete(q *req) error {
	a, err := w.adminTarget(q)
	if err != nil {
		return err
	}
	if a.ID == q.me.ID {
		return model.Invalid("", "You cannot delete your own account here.")
	}
	typed := strings.TrimPrefix(strings.TrimSpace(q.r.PostFormValue("confirm_username")), "@")
	if !strings.EqualFold(typed, a.Username) {
		return w.showDeleteUser(q, http.StatusUnprocessableEntity, a,
			"The username you typed does not match. Type "+a.Username+" to delete this account.")
	}
	if err := w.svc.DeleteAccount(q.r.Context(), a.ID); err != nil {
		return err
	}
	return redirect(q, adminBack(q, "/admin/users", "delete", a.Username))
}

// Domain blocks.

type adminDomainBlock struct {
	ID, Domain, Severity, SeverityLabel, Comment string
	RejectMedia                                  bool
	Created                                      adminTime
}

type adminSeverity struct {
	Value, Label, Explanation string
}

// adminSeverities are the kinds of domain block, explained in one line each.
var adminSeverities = []adminSeverity{
	{model.DomainSuspend, "Suspend", "No exchange at all with the server; its accounts known here are suspended."},
	{model.DomainLimit, "Limit", "Its posts stay out of public timelines for people who do not follow its accounts."},
	{model.DomainNoop, "No restriction", "Only the media rule below applies."},
}

// adminBlockForm is the add form as sent, shown again when it is refused.
type adminBlockForm struct {
	Domain, Severity, Comment string
	RejectMedia               bool
}

// adminDomainBlocks is GET /admin/domain_blocks.
func (w *Web) adminDomainBlocks(q *req) error {
	return w.showDomainBlocks(q, 0, adminBlockForm{Severity: model.DomainSuspend}, "")
}

func (w *Web) showDomainBlocks(q *req, status int, form adminBlockForm, problem string) error {
	list, err := w.svc.InstanceDomainBlocks(q.r.Context())
	if err != nil {
		return err
	}
	labels := map[string]string{}
	for _, s := range adminSeverities {
		labels[s.Value] = s.Label
	}
	items := make([]adminDomainBlock, 0, len(list))
	for _, b := range list {
		items = append(items, adminDomainBlock{ID: strconv.FormatInt(b.ID, 10), Domain: b.Domain, Severity: b.Severity,
			SeverityLabel: labels[b.Severity], Comment: b.Comment, RejectMedia: b.RejectMedia, Created: adminTimeOf(b.CreatedAt)})
	}
	d := w.adminData(q, "Domain blocks", "domain_blocks")
	d["Blocks"] = items
	d["Severities"] = adminSeverities
	d["Form"] = form
	d["Problem"] = problem
	d["MaxComment"] = adminMaxBlockComment
	return w.show(q, status, "admin_domain_blocks", d)
}

// adminBlockDomain is POST /admin/domain_blocks: block a server, or change
// the block of one already blocked.
func (w *Web) adminBlockDomain(q *req) error {
	form := adminBlockForm{Domain: strings.TrimSpace(q.r.PostFormValue("domain")), Severity: q.r.PostFormValue("severity"),
		Comment: strings.TrimSpace(q.r.PostFormValue("comment")), RejectMedia: q.r.PostFormValue("reject_media") != ""}
	if utf8.RuneCountInString(form.Comment) > adminMaxBlockComment {
		return w.showDomainBlocks(q, http.StatusUnprocessableEntity, form,
			fmt.Sprintf("The comment is too long (at most %d characters).", adminMaxBlockComment))
	}
	b, err := w.svc.BlockInstanceDomain(q.r.Context(), service.DomainBlockInput{Domain: form.Domain, Severity: form.Severity,
		RejectMedia: form.RejectMedia, Comment: form.Comment})
	if err != nil {
		if msg, ok := asModelError(err); ok {
			return w.showDomainBlocks(q, http.StatusUnprocessableEntity, form, msg)
		}
		return err
	}
	return redirect(q, adminBack(q, "/admin/domain_blocks", "block", b.Domain))
}

// adminUnblockDomain is POST /admin/domain_blocks/{id}/remove.
func (w *Web) adminUnblockDomain(q *req) error {
	id, err := strconv.ParseInt(q.r.PathValue("id"), 10, 64)
	if err != nil {
		return model.NotFound("domain block")
	}
	b, err := w.svc.InstanceDomainBlockByID(q.r.Context(), id)
	if err != nil {
		return err
	}
	if err := w.svc.UnblockInstanceDomain(q.r.Context(), b.Domain); err != nil {
		return err
	}
	return redirect(q, adminBack(q, "/admin/domain_blocks", "unblock", b.Domain))
}
