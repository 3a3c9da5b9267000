package main

import (
	"context"
	"os"
	"strconv"
	"time"

	"github.com/dapr/kit/logger"
	"github.com/emporium/tools/dapr/internal/leases"
	clientv3 "go.etcd.io/etcd/client/v3"
)

// A scheduler replica elects itself by writing dapr/leadership/<id> under an
// etcd lease of 20 s (go-etcd-cron's leadership package, a default its
// options do not expose). A replica that crashed leaves that key behind, and
// etcd, on its restart, renews every lease it recovers to its full TTL: the
// restarted replica, with the same id, waits up to 20 s for its own dead
// predecessor's key to expire before it serves a single job. Every workflow
// timer and actor reminder of the platform waits with it (the chaos suite's
// scheduler fault: the API was ready 21 s after etcd, and the first checkout
// after the restart was paid after 31 s).
//
// So at start this replica looks at its own id's leadership key once, and
// revokes the lease under it if that lease was granted before this process
// started. etcd's lease ids carry the time their server's id generator began
// (etcd pkg/idutil: member id, then the start's Unix milliseconds, then a
// counter; "different when the machine is restart"), so a lease granted by
// this replica's embedded etcd has an id stamped at or after this process
// started, and one stamped earlier belongs to a process that is gone. The
// revocation deletes the key; the elector, watching the namespace, takes the
// leadership at once. Only the embedded etcd is looked at (an external etcd
// is shared by replicas this process knows nothing of).
//
// EMPORIUM_SCHEDULER_TAKE_OVER=0 leaves the stale key to expire (the control).

const (
	staleLeadershipWindow = 60 * time.Second
	leadershipPrefix      = "dapr/leadership/"
)

var leadershipLog = logger.NewLogger("dapr.scheduler.emporium")

func takeOverStaleLeadership(ctx context.Context, args []string, started time.Time) {
	if v, _ := strconv.ParseBool(leases.FlagValue(args, "etcd-embed", "true")); !v {
		return
	}
	if on, err := strconv.ParseBool(envOr("EMPORIUM_SCHEDULER_TAKE_OVER", "1")); err == nil && !on {
		return
	}
	id := leases.FlagValue(args, "id", "dapr-scheduler-server-0")
	host := leases.FlagValue(args, "etcd-client-listen-address", "localhost")
	endpoint := host + ":" + leases.FlagValue(args, "etcd-client-port", "2379")

	client, err := clientv3.New(clientv3.Config{Endpoints: []string{endpoint}, DialTimeout: 2 * time.Second, Logger: nil})
	if err != nil {
		leadershipLog.Debugf("Stale leadership not looked for: %v", err)
		return
	}
	defer client.Close()

	key := leadershipPrefix + id
	for ctx.Err() == nil {
		attempt, cancel := context.WithTimeout(ctx, 2*time.Second)
		res, err := client.Get(attempt, key)
		cancel()
		if err != nil {
			// the embedded etcd is still starting
			time.Sleep(100 * time.Millisecond)
			continue
		}
		for _, kv := range res.Kvs {
			if kv.Lease == 0 || !leases.GrantedBefore(kv.Lease, started) {
				continue
			}
			attempt, cancel := context.WithTimeout(ctx, 2*time.Second)
			_, err := client.Revoke(attempt, clientv3.LeaseID(kv.Lease))
			cancel()
			if err != nil {
				leadershipLog.Warnf("The leadership key %s of a previous run could not be released; it expires with its lease: %v", key, err)
			} else {
				leadershipLog.Infof("Released the leadership key %s of a previous run (lease %x) instead of waiting for it to expire", key, kv.Lease)
			}
		}
		return
	}
}

func envOr(name, fallback string) string {
	if v, ok := os.LookupEnv(name); ok {
		return v
	}
	return fallback
}
