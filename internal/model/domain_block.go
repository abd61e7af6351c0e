package model

import "time"

// Domain block severities of an instance-level block.
const (
	DomainSuspend = "suspend" // no exchange at all
	DomainLimit   = "limit"   // its posts stay out of public and hashtag timelines (followers still see them)
	DomainNoop    = "noop"    // only the media rejection applies
)

// InstanceDomainBlock is a server the admin blocked for the whole instance.
type InstanceDomainBlock struct {
	ID          int64
	Domain      string
	Severity    string
	RejectMedia bool
	Comment     string
	CreatedAt   time.Time
}
