package pgstore_test

import (
	"context"
	"log"
	"os"

	"github.com/wardenhq/warden/engine"
	"github.com/wardenhq/warden/rules"
	"github.com/wardenhq/warden/store/pgstore"
)

// Each service instance opens the shared database and puts an engine over it. Writes
// through any instance reach every instance's engine through the change feed.
func Example() {
	ctx := context.Background()
	s, err := pgstore.Open(ctx, os.Getenv("WARDEN_DATABASE_URL"), pgstore.WithCheckInterval(pgstore.DefaultCheckInterval))
	if err != nil {
		log.Fatal(err) // a bad connection string, an unreachable server, a newer schema
	}
	defer s.Close()
	eng, err := engine.New(ctx, s)
	if err != nil {
		log.Fatal(err)
	}
	defer eng.Close()

	who := engine.Identity{ProjectID: "p1", IdentityID: "ci"}
	if eng.Can(who, "readValue", "secrets", &rules.Resource{Environment: "prod", SecretPath: "/app/db"}) {
		log.Print("allowed")
	}
}
