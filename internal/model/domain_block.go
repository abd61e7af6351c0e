package model

import "time"

// Domain block severities of an instance-level block.
const (
	DomainSuspend = "suspend" // no exchange at all
	DomainNoop    = "noop"    // only the media rejection applies
)

// InstanceDomainBlock is a server the admin blocked for the whole instance.
type InstanceDomainBlock struct {
	Domain      string
	Severity    string
	RejectMedia bool
	Comment     string
	CreatedAt   time.Time
}
