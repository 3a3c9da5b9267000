// Command sentry is Dapr's certificate authority (mTLS between sidecars and
// the control plane), built from the pinned github.com/dapr/dapr release.
package main

import "github.com/dapr/dapr/cmd/sentry/app"

func main() { app.Run() }
