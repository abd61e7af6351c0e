package service

import (
	"context"
	"slices"
	"strings"
	"unicode/utf8"

	"weft/internal/model"
	"weft/internal/store"
)

// ReportInput is a member's report of an account (and some of its posts).
type ReportInput struct {
	AccountID int64
	StatusIDs []int64
	Comment   string
	Category  string // spam, legal, violation, other (default other; violation when rules are named)
	RuleIDs   []string
	// Forward sends an anonymous copy (a Flag from this server) to the
	// account's server when it is remote.
	Forward bool
}

const (
	maxReportComment  = 1000
	maxReportStatuses = 20
)

// CreateReport files a report for this server's moderators, and forwards
// it to the reported account's server when asked (as this server, never
// naming the member who reported).
func (s *Service) CreateReport(ctx context.Context, reporterID int64, in ReportInput) (*model.Report, error) {
	in.Comment = strings.TrimSpace(in.Comment)
	if utf8.RuneCountInString(in.Comment) > maxReportComment {
		return nil, model.Invalid("comment", "is too long (maximum is %d characters)", maxReportComment)
	}
	if in.Category == "" {
		in.Category = "other"
		if len(in.RuleIDs) > 0 {
			in.Category = "violation"
		}
	}
	if !slices.Contains(model.ReportCategories, in.Category) {
		return nil, model.Invalid("category", "must be one of %s", strings.Join(model.ReportCategories, ", "))
	}
	if len(in.StatusIDs) > maxReportStatuses {
		return nil, model.Invalid("status_ids", "at most %d posts", maxReportStatuses)
	}
	if in.AccountID == reporterID {
		return nil, model.Invalid("account_id", "you cannot report yourself")
	}
	var r *model.Report
	err := s.st.InTx(ctx, func(tx *store.Tx) error {
		if _, err := s.activeLocalAccount(ctx, tx.Queries, reporterID); err != nil {
			return err
		}
		target, err := tx.AccountByID(ctx, in.AccountID)
		if err != nil {
			return model.Errorf(model.ErrNotFound, "account_id", "the account does not exist")
		}
		for _, id := range in.StatusIDs {
			st, _, err := s.visibleStatus(ctx, tx.Queries, reporterID, id)
			if err != nil || st.AccountID != target.ID {
				return model.Errorf(model.ErrNotFound, "status_ids", "post %d is not one of the account's posts you can see", id)
			}
		}
		r = &model.Report{ID: s.newID(), AccountID: reporterID, TargetAccountID: target.ID, StatusIDs: in.StatusIDs,
			RuleIDs: in.RuleIDs, Comment: in.Comment, Category: in.Category, Forwarded: in.Forward && !target.Local(),
			CreatedAt: s.clock()}
		if err := tx.InsertReport(ctx, r); err != nil {
			return err
		}
		if !r.Forwarded {
			return nil
		}
		// Enqueued directly: the Flag is the server's, so the reporter's
		// fediverse sharing does not matter.
		return s.enqueue(ctx, tx, FederateArgs{Verb: VerbFlag, ActorID: reporterID, TargetID: target.ID, ObjectID: r.ID})
	})
	if err != nil {
		return nil, err
	}
	return r, nil
}

// ReportByID returns a report (the federation worker renders forwarded ones).
func (s *Service) ReportByID(ctx context.Context, id int64) (*model.Report, error) {
	return s.st.Read().Report(ctx, id)
}

// RemoteReport stores a report received from another server (a Flag) of a
// local account, for this server's moderators.
func (s *Service) RemoteReport(ctx context.Context, flaggerID, targetID int64, statusIDs []int64, comment, uri string) error {
	comment = truncateRunes(strings.TrimSpace(comment), maxReportComment)
	if len(statusIDs) > maxReportStatuses {
		statusIDs = statusIDs[:maxReportStatuses]
	}
	return s.st.InTx(ctx, func(tx *store.Tx) error {
		if uri != "" {
			if seen, err := tx.ReportExists(ctx, uri); err != nil || seen {
				return err
			}
		}
		target, err := tx.AccountByID(ctx, targetID)
		if err != nil {
			return err
		}
		if !target.Local() {
			return model.NotFound("account")
		}
		return tx.InsertReport(ctx, &model.Report{ID: s.newID(), AccountID: flaggerID, TargetAccountID: targetID,
			StatusIDs: statusIDs, Comment: comment, Category: "other", URI: uri, CreatedAt: s.clock()})
	})
}

// OpenReports lists reports waiting for moderators (admin).
func (s *Service) OpenReports(ctx context.Context, limit int) ([]*model.Report, error) {
	return s.st.Read().Reports(ctx, true, limit)
}

// ResolveReport closes a report once an admin has dealt with it.
func (s *Service) ResolveReport(ctx context.Context, adminID, reportID int64) error {
	if err := s.CheckAdmin(ctx, adminID); err != nil {
		return err
	}
	return s.st.InTx(ctx, func(tx *store.Tx) error { return tx.ResolveReport(ctx, reportID, s.clock()) })
}
