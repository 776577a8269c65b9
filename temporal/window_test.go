package temporal

import (
	"testing"
	"time"
)

var (
	nine = time.Date(2024, 1, 1, 9, 0, 0, 0, time.UTC)
	ten  = nine.Add(time.Hour)
)

func TestWindowContains(t *testing.T) {
	ns := time.Nanosecond
	tests := []struct {
		w    Window
		t    time.Time
		want bool
	}{
		{Window{nine, ten}, nine.Add(-ns), false},
		{Window{nine, ten}, nine, true}, // Start is inside
		{Window{nine, ten}, ten.Add(-ns), true},
		{Window{nine, ten}, ten, false}, // End is outside
		{Window{nine, nine}, nine, false},
		{Window{ten, nine}, nine, false},
		{Window{ten, nine}, ten, false},
		{Window{}, time.Time{}, true},
		{Window{}, time.Date(-5000, 1, 1, 0, 0, 0, 0, time.UTC), true},
		{Window{}, time.Date(50000, 1, 1, 0, 0, 0, 0, time.UTC), true},
		{Window{End: ten}, time.Date(-5000, 1, 1, 0, 0, 0, 0, time.UTC), true},
		{Window{End: ten}, ten, false},
		{Window{Start: nine}, nine.Add(-ns), false},
		{Window{Start: nine}, time.Date(50000, 1, 1, 0, 0, 0, 0, time.UTC), true},
		// Same instants in another location.
		{Window{nine, ten}, ten.In(time.FixedZone("X", 3600)), false},
		{Window{nine.In(time.FixedZone("Y", -7200)), ten}, nine, true},
	}
	for _, tt := range tests {
		if got := tt.w.Contains(tt.t); got != tt.want {
			t.Errorf("%v.Contains(%v) = %t, want %t", tt.w, tt.t, got, tt.want)
		}
	}
}

func TestWindowString(t *testing.T) {
	tests := []struct {
		w    Window
		want string
	}{
		{Window{}, "[-inf, +inf)"},
		{Window{nine, ten}, "[2024-01-01T09:00:00Z, 2024-01-01T10:00:00Z)"},
		{Window{End: ten.Add(1)}, "[-inf, 2024-01-01T10:00:00.000000001Z)"},
	}
	for _, tt := range tests {
		if got := tt.w.String(); got != tt.want {
			t.Errorf("Window.String() = %q, want %q", got, tt.want)
		}
	}
}

func TestGrant(t *testing.T) {
	tests := []struct {
		g      Grant
		window Window
		ok     bool
		str    string
	}{
		{Grant{}, Window{}, true, "permanent"},
		{Grant{Start: ten, End: nine}, Window{}, true, "permanent"}, // times are ignored
		{Grant{Temporary: true, Start: nine, End: ten}, Window{nine, ten}, true,
			"temporary [2024-01-01T09:00:00Z, 2024-01-01T10:00:00Z)"},
		{Grant{Temporary: true, End: ten}, Window{End: ten}, true, "temporary [-inf, 2024-01-01T10:00:00Z)"},
		{Grant{Temporary: true, Start: nine}, Window{}, false, "temporary, never active"}, // unknown end
		{Grant{Temporary: true}, Window{}, false, "temporary, never active"},
		{Grant{Temporary: true, Start: nine, End: nine}, Window{}, false, "temporary, never active"},
		{Grant{Temporary: true, Start: ten, End: nine}, Window{}, false, "temporary, never active"},
	}
	for _, tt := range tests {
		w, ok := tt.g.Window()
		if ok != tt.ok || !w.Start.Equal(tt.window.Start) || !w.End.Equal(tt.window.End) {
			t.Errorf("%+v.Window() = %v, %t; want %v, %t", tt.g, w, ok, tt.window, tt.ok)
		}
		if got := tt.g.String(); got != tt.str {
			t.Errorf("%+v.String() = %q, want %q", tt.g, got, tt.str)
		}
	}
}

func TestGrantActive(t *testing.T) {
	future := Grant{Temporary: true, Start: ten, End: ten.Add(time.Hour)}
	// Divergence: Infisical would say active at nine (it ignores the start).
	if future.Active(nine) {
		t.Errorf("%v.Active(%v) = true, want false: warden honours the start", future, nine)
	}
	if !future.Active(ten) {
		t.Errorf("%v.Active(%v) = false, want true", future, ten)
	}
	if future.Active(ten.Add(time.Hour)) {
		t.Errorf("%v.Active(%v) = true, want false: the end is excluded", future, ten.Add(time.Hour))
	}
	unknown := Grant{Temporary: true, Start: nine}
	if unknown.Active(ten) {
		t.Errorf("%v.Active(%v) = true, want false: unknown end", unknown, ten)
	}
	if p := (Grant{}); !p.Active(time.Time{}) || !p.Active(ten) {
		t.Errorf("Grant{} is not always active")
	}
}
