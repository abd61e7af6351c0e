package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"weft/internal/testkit"
)

// The sign-up form names every problem at once, each next to its field
// (aria-invalid, aria-describedby), in plain words, and keeps what was
// typed; nothing is created until all is right.
func TestSignUpShowsEveryProblem(t *testing.T) {
	a := testkit.NewAPI(t, testkit.Dialects()[0], nil)
	signUp(t, a, "taken")
	b := newBrowser(t, a)
	form := b.get("/auth/sign_up").want(t, 200)
	send := func(v url.Values) page {
		v.Set("authenticity_token", form.token(t))
		return b.post("/auth/sign_up", v, "")
	}

	empty := send(url.Values{}).want(t, http.StatusUnprocessableEntity).
		has(t, "4 things to fix below.", "Choose a username.", "Enter your email address.", "Choose a password.",
			"Accept the rules and the privacy policy to join.")
	if n := strings.Count(empty.body, `aria-invalid="true"`); n != 4 {
		t.Fatalf("%d fields marked invalid, want 4", n)
	}
	for _, id := range []string{"username-error", "email-error", "password-error", "agreement-error"} {
		if !strings.Contains(empty.body, `aria-describedby="`+id+`"`) && !strings.Contains(empty.body, ` `+id+`"`) {
			t.Errorf("no field points at %s", id)
		}
	}

	bad := send(url.Values{"username": {"taken"}, "email": {"not-an-address"}, "password": {"short"}, "password_confirmation": {"short"},
		"agreement": {"1"}}).want(t, http.StatusUnprocessableEntity).
		has(t, "3 things to fix below.", "That username is taken. Try another one.", "That does not look like an email address.",
			"The password is too short", `value="taken"`, `value="not-an-address"`, `name="agreement" value="1" checked`)
	if strings.Contains(bad.body, "can&#39;t be blank") || strings.Contains(bad.body, "username:") {
		t.Fatal("an API-style message on the page")
	}

	send(url.Values{"username": {"newcomer"}, "email": {"newcomer@example.com"}, "password": {"correct horse battery"},
		"password_confirmation": {"correct horse battery staple"}, "agreement": {"1"}}).want(t, http.StatusUnprocessableEntity).
		has(t, "1 thing to fix below.", "The two passwords are not the same.")
	if _, err := a.Service.LocalAccountByUsername(context.Background(), "newcomer"); err == nil {
		t.Fatal("an account was made from a form with a problem")
	}
}
