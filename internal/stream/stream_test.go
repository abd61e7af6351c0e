package stream_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"testing"
	"time"

	"weft/internal/service"
	"weft/internal/stream"
	"weft/internal/testkit"
)

func TestMain(m *testing.M) { os.Exit(testkit.Main(m)) }

const wait = 5 * time.Second

func memoryBus(t *testing.T, o stream.Options) *stream.Bus {
	t.Helper()
	b, err := stream.New(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(b.Close)
	return b
}

// next waits (bounded) for the subscription's next event.
func next(t *testing.T, s *stream.Subscription) service.Event {
	t.Helper()
	select {
	case ev := <-s.Events():
		return ev
	case <-s.Done():
		t.Fatalf("subscription ended: %v", s.Err())
	case <-time.After(wait):
		t.Fatal("no event within", wait)
	}
	return service.Event{}
}

// none checks that nothing is waiting on the subscription. Delivery in
// memory is synchronous, so there is nothing to wait for.
func none(t *testing.T, s *stream.Subscription) {
	t.Helper()
	select {
	case ev := <-s.Events():
		t.Fatalf("unexpected event %+v", ev)
	default:
	}
}

func TestTopics(t *testing.T) {
	cases := []struct {
		ev   service.Event
		want stream.Topic
	}{
		{service.Event{Kind: "update", AccountID: 7}, "user:7"},
		{service.Event{Kind: "notification", AccountID: 7, NotificationID: 1}, "user:7"},
		{service.Event{Kind: "update", AccountID: 0}, ""}, // nobody's
		{service.Event{Kind: "conversation", Stream: service.StreamDirect, AccountID: 7}, "direct:7"},
		{service.Event{Kind: "update", Stream: service.StreamPublic, Local: true}, "public"},
		{service.Event{Kind: "update", Stream: service.StreamHashtag, Tag: "weft"}, "hashtag:weft"},
		{service.Event{Kind: "update", Stream: service.StreamHashtag}, ""},
		{service.Event{Kind: "update", Stream: service.StreamList, ListID: 3}, "list:3"},
		{service.Event{Kind: "update", Stream: "unknown"}, ""},
	}
	for _, c := range cases {
		if got := stream.TopicOf(c.ev); got != c.want {
			t.Errorf("TopicOf(%+v) = %q, want %q", c.ev, got, c.want)
		}
	}
}

func TestFanOutByTopic(t *testing.T) {
	t.Parallel()
	b := memoryBus(t, stream.Options{})
	alice, bob, public := b.Subscribe(), b.Subscribe(), b.Subscribe()
	defer alice.Close()
	alice.Add(stream.User(1))
	alice.Add(stream.User(1)) // again: still one delivery
	bob.Add(stream.User(2))
	public.Add(stream.Public)
	public.Add(stream.Hashtag("weft"))

	b.Publish(t.Context(), service.Event{Kind: "update", AccountID: 1, StatusID: 10})
	if ev := next(t, alice); ev.StatusID != 10 {
		t.Fatalf("alice got %+v", ev)
	}
	none(t, alice)
	none(t, bob)
	none(t, public)

	b.Publish(t.Context(), service.Event{Kind: "update", Stream: service.StreamPublic, StatusID: 11})
	b.Publish(t.Context(), service.Event{Kind: "update", Stream: service.StreamHashtag, Tag: "weft", StatusID: 11})
	b.Publish(t.Context(), service.Event{Kind: "update", Stream: service.StreamHashtag, Tag: "other", StatusID: 12})
	if a, c := next(t, public), next(t, public); a.Stream != service.StreamPublic || c.Tag != "weft" {
		t.Fatalf("public subscriber got %+v, %+v", a, c)
	}
	none(t, public)

	// Removing a topic stops it; closing ends the subscription.
	public.Remove(stream.Public)
	b.Publish(t.Context(), service.Event{Kind: "update", Stream: service.StreamPublic, StatusID: 13})
	none(t, public)
	bob.Close()
	<-bob.Done()
	if !errors.Is(bob.Err(), stream.ErrClosed) {
		t.Fatalf("closed subscription: %v", bob.Err())
	}
	b.Publish(t.Context(), service.Event{Kind: "update", AccountID: 2, StatusID: 14})
	none(t, bob)
}

// A subscriber that does not read is dropped once its buffer is full, and
// publishing never waits for it; one that reads gets everything.
func TestSlowSubscriberIsDropped(t *testing.T) {
	t.Parallel()
	b := memoryBus(t, stream.Options{Buffer: 4})
	slow, reader := b.Subscribe(), b.Subscribe()
	slow.Add(stream.Public)
	reader.Add(stream.Public)
	done := make(chan error, 1)
	go func() {
		for i := range 100 {
			b.Publish(t.Context(), service.Event{Kind: "update", Stream: service.StreamPublic, StatusID: int64(i)})
			select { // the reader takes each event before the next is published
			case ev := <-reader.Events():
				if ev.StatusID != int64(i) {
					done <- fmt.Errorf("reader got %d, want %d", ev.StatusID, i)
					return
				}
			case <-time.After(wait):
				done <- errors.New("reader got nothing")
				return
			}
		}
		done <- nil
	}()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(2 * wait):
		t.Fatal("publishing blocked on a slow subscriber")
	}
	select {
	case <-slow.Done():
	case <-time.After(wait):
		t.Fatal("slow subscriber not dropped")
	}
	if !errors.Is(slow.Err(), stream.ErrSlow) || reader.Err() != nil {
		t.Fatalf("slow subscriber ended with %v, reader with %v", slow.Err(), reader.Err())
	}
}

// EndStreams and Close end every subscription, with topics or not, and
// refuse new ones; publishing after Close does nothing.
func TestCloseEndsSubscriptions(t *testing.T) {
	t.Parallel()
	b := memoryBus(t, stream.Options{})
	withTopic, without := b.Subscribe(), b.Subscribe()
	withTopic.Add(stream.User(1))
	b.EndStreams()
	for _, s := range []*stream.Subscription{withTopic, without} {
		select {
		case <-s.Done():
		case <-time.After(wait):
			t.Fatal("subscription still open after EndStreams")
		}
	}
	late := b.Subscribe()
	late.Add(stream.User(1))
	select {
	case <-late.Done():
	default:
		t.Fatal("a subscription opened after EndStreams is open")
	}
	b.Close()
	b.Close() // twice is harmless
	b.Publish(t.Context(), service.Event{Kind: "update", AccountID: 1})
	var nilBus *stream.Bus
	nilBus.Close()
	if b.KeepAlive() != 15*time.Second {
		t.Fatalf("default keep-alive %v", b.KeepAlive())
	}
}
