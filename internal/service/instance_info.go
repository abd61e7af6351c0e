package service

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"weft/internal/model"
	"weft/internal/store"
)

// InstanceInfo is what the instance says about itself and how it takes
// new members: configured at start, changed by admins in the web app (an
// admin's change overrides the configuration while it is set).
type InstanceInfo struct {
	Name                    string
	Description             string
	Rules                   []string
	PrivacyPolicy           string // "" shows the built-in policy
	Registrations           string // open, approval, closed
	FediverseSharingDefault bool
	// PublicFeedHidden keeps the public posts of this server off the
	// landing page and Explore for visitors who are not signed in.
	PublicFeedHidden bool
}

// Limits of what admins write.
const (
	maxInstanceName        = 100
	maxInstanceDescription = 2000
	maxRules               = 20
	maxRule                = 500
	maxPrivacyPolicy       = 50_000
)

// instanceInfoCache keeps the merged settings for a few seconds: every page
// and several API answers read them, and they change rarely (a change made
// in this process is seen at once; other processes see it within the TTL).
type instanceInfoCache struct {
	mu       sync.Mutex
	info     *InstanceInfo
	loadedAt time.Time
}

const instanceInfoTTL = 10 * time.Second

// InstanceInfo returns the instance's current settings.
func (s *Service) InstanceInfo(ctx context.Context) InstanceInfo {
	c := &s.instance
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.info != nil && time.Since(c.loadedAt) < instanceInfoTTL {
		return cloneInfo(*c.info)
	}
	info := cloneInfo(s.cfg.Instance)
	set, err := s.st.Read().InstanceSettings(ctx)
	if err != nil {
		s.log.Warn("could not read instance settings; using the configured ones", "err", err)
		if c.info != nil {
			return cloneInfo(*c.info)
		}
		return info
	}
	applyInstanceSettings(&info, set)
	c.info, c.loadedAt = &info, time.Now()
	return cloneInfo(info)
}

func cloneInfo(i InstanceInfo) InstanceInfo {
	i.Rules = append([]string(nil), i.Rules...)
	return i
}

func applyInstanceSettings(info *InstanceInfo, set map[string]string) {
	if v, ok := set["name"]; ok {
		info.Name = v
	}
	if v, ok := set["description"]; ok {
		info.Description = v
	}
	if v, ok := set["rules"]; ok {
		var rules []string
		if json.Unmarshal([]byte(v), &rules) == nil {
			info.Rules = rules
		}
	}
	if v, ok := set["privacy_policy"]; ok {
		info.PrivacyPolicy = v
	}
	if v, ok := set["registrations"]; ok {
		info.Registrations = v
	}
	if v, ok := set["fediverse_sharing_default"]; ok {
		info.FediverseSharingDefault = v == "true"
	}
	if v, ok := set["public_feed_hidden"]; ok {
		info.PublicFeedHidden = v == "true"
	}
}

// UpdateInstanceInfo stores an admin's changes to the instance settings.
func (s *Service) UpdateInstanceInfo(ctx context.Context, adminID int64, in InstanceInfo) (InstanceInfo, error) {
	if err := s.CheckAdmin(ctx, adminID); err != nil {
		return InstanceInfo{}, err
	}
	in.Name = strings.TrimSpace(in.Name)
	in.Description = strings.TrimSpace(in.Description)
	in.PrivacyPolicy = strings.TrimSpace(in.PrivacyPolicy)
	switch {
	case in.Name == "":
		return InstanceInfo{}, model.Invalid("name", "can't be blank")
	case utf8.RuneCountInString(in.Name) > maxInstanceName:
		return InstanceInfo{}, model.Invalid("name", "is too long (maximum is %d characters)", maxInstanceName)
	case utf8.RuneCountInString(in.Description) > maxInstanceDescription:
		return InstanceInfo{}, model.Invalid("description", "is too long (maximum is %d characters)", maxInstanceDescription)
	case utf8.RuneCountInString(in.PrivacyPolicy) > maxPrivacyPolicy:
		return InstanceInfo{}, model.Invalid("privacy_policy", "is too long (maximum is %d characters)", maxPrivacyPolicy)
	case in.Registrations != "open" && in.Registrations != "approval" && in.Registrations != "closed":
		return InstanceInfo{}, model.Invalid("registrations", "must be open, approval or closed")
	}
	var rules []string
	for _, r := range in.Rules {
		if r = strings.TrimSpace(r); r == "" {
			continue
		}
		if utf8.RuneCountInString(r) > maxRule {
			return InstanceInfo{}, model.Invalid("rules", "a rule is at most %d characters", maxRule)
		}
		rules = append(rules, r)
	}
	if len(rules) > maxRules {
		return InstanceInfo{}, model.Invalid("rules", "at most %d rules", maxRules)
	}
	if rules == nil {
		rules = []string{}
	}
	in.Rules = rules
	rulesJSON, _ := json.Marshal(rules)
	values := map[string]string{"name": in.Name, "description": in.Description, "rules": string(rulesJSON),
		"privacy_policy": in.PrivacyPolicy, "registrations": in.Registrations,
		"fediverse_sharing_default": strconv.FormatBool(in.FediverseSharingDefault),
		"public_feed_hidden":        strconv.FormatBool(in.PublicFeedHidden)}
	now := s.clock()
	err := s.st.InTx(ctx, func(tx *store.Tx) error {
		for k, v := range values {
			if err := tx.SetInstanceSetting(ctx, k, v, now); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return InstanceInfo{}, err
	}
	s.instance.mu.Lock()
	s.instance.info = nil // read again, at once, in this process
	s.instance.mu.Unlock()
	return s.InstanceInfo(ctx), nil
}
