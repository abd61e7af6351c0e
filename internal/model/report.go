package model

import "time"

// Report categories, as Mastodon's.
var ReportCategories = []string{"spam", "legal", "violation", "other"}

// Report is a report for moderators.
type Report struct {
	ID              int64
	AccountID       int64 // who reported (a remote server's actor for a received Flag)
	TargetAccountID int64
	StatusIDs       []int64
	RuleIDs         []string
	Comment         string
	Category        string
	Forwarded       bool
	URI             string // the Flag's id, for received reports
	ActionTakenAt   *time.Time
	CreatedAt       time.Time
}
