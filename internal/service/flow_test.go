package service_test

import (
	"context"
	"testing"

	"weft/internal/model"
	"weft/internal/service"
	"weft/internal/testkit"
)

func TestPostFollowHome(t *testing.T) {
	testkit.EachCore(t, func(t *testing.T, c *testkit.Core) {
		ctx := context.Background()
		alice, bob := c.User(t, "alice"), c.User(t, "bob")
		_, err := c.Service.Follow(ctx, bob.ID, alice.ID, service.FollowOptions{})
		testkit.Must(t, err, "follow")
		p := c.Post(t, alice, service.PostInput{Text: "hello @bob #weft https://example.com"})
		c.Settle(t)

		home, err := c.Service.HomeTimeline(ctx, bob.ID, model.Page{})
		testkit.Must(t, err, "home")
		if len(home.Statuses) != 1 || home.Statuses[0].Status.ID != p.ID {
			t.Fatalf("bob's home = %v, want alice's post", home.Statuses)
		}
		notes, err := c.Service.Notifications(ctx, bob.ID, service.NotificationFilter{}, model.Page{})
		testkit.Must(t, err, "notifications")
		var types []model.NotificationType
		for _, n := range notes.Notifications {
			types = append(types, n.Notification.Type)
		}
		if len(types) != 1 || types[0] != model.NotifyMention {
			t.Fatalf("bob's notifications = %v, want one mention", types)
		}
		anotes, err := c.Service.Notifications(ctx, alice.ID, service.NotificationFilter{}, model.Page{})
		testkit.Must(t, err, "notifications")
		if len(anotes.Notifications) != 1 || anotes.Notifications[0].Notification.Type != model.NotifyFollow {
			t.Fatalf("alice's notifications = %+v, want one follow", anotes.Notifications)
		}
		if got := home.Statuses[0].Status.ContentHTML; got == "" || home.Statuses[0].Status.Tags[0] != "weft" {
			t.Fatalf("content %q tags %v", got, home.Statuses[0].Status.Tags)
		}
	})
}
