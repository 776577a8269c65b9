package temporal_test

import (
	"errors"
	"fmt"
	"time"

	"github.com/wardenhq/warden/temporal"
)

func ExampleParseRange() {
	r, err := temporal.ParseRange("1.5h")
	if err != nil {
		panic(err)
	}
	fmt.Printf("%s = %.0f ms = %v\n", r, r.Milliseconds(), r.Duration())

	start := time.Date(2024, 1, 1, 9, 0, 0, 0, time.UTC)
	end, err := r.End(start)
	if err != nil {
		panic(err)
	}
	fmt.Println("ends", end.Format(time.RFC3339))

	_, err = temporal.ParseRange("1mo") // ms has no months
	var e *temporal.Error
	if errors.As(err, &e) && e.Code == temporal.ErrSyntax {
		fmt.Printf("%q rejected: %v\n", e.Input, err)
	}
	// Output:
	// 1.5h = 5400000 ms = 1h30m0s
	// ends 2024-01-01T10:30:00Z
	// "1mo" rejected: temporal: range is not a number with an optional unit such as ms, s, m, h, d, w or y: "1mo"
}

func ExampleMerge() {
	at := func(hour, min int) time.Time { return time.Date(2024, 1, 1, hour, min, 0, 0, time.UTC) }
	hour, err := temporal.ParseRange("1h")
	if err != nil {
		panic(err)
	}
	adminEnd, err := hour.End(at(9, 0))
	if err != nil {
		panic(err)
	}
	grants := []temporal.Grant{
		{}, // 0: a permanent role
		{Temporary: true, Start: at(9, 0), End: adminEnd},   // 1: a role for an hour from 09:00
		{Temporary: true, Start: at(9, 30), End: at(12, 0)}, // 2: an additional privilege
		{Temporary: true, Start: at(9, 0)},                  // 3: no end time: never active
	}
	tl := temporal.Merge(grants)

	t := at(8, 0)
	for {
		next, ok := tl.NextChange(t)
		if !ok {
			fmt.Println(t.Format("15:04"), tl.Active(t), "from then on")
			break
		}
		fmt.Println(t.Format("15:04"), tl.Active(t), "until", next.Format("15:04"))
		t = next
	}
	// Output:
	// 08:00 [0] until 09:00
	// 09:00 [0 1] until 09:30
	// 09:30 [0 1 2] until 10:00
	// 10:00 [0 2] until 12:00
	// 12:00 [0] from then on
}

func ExampleGrant_Active() {
	// A temporary grant that starts in the future. Infisical ignores the
	// start and treats it as active at once; warden waits for the start.
	g := temporal.Grant{
		Temporary: true,
		Start:     time.Date(2024, 1, 2, 0, 0, 0, 0, time.UTC),
		End:       time.Date(2024, 1, 3, 0, 0, 0, 0, time.UTC),
	}
	fmt.Println(g.Active(time.Date(2024, 1, 1, 12, 0, 0, 0, time.UTC)))
	fmt.Println(g.Active(time.Date(2024, 1, 2, 12, 0, 0, 0, time.UTC)))
	// Output:
	// false
	// true
}
