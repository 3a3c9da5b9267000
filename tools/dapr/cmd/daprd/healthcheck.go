package main

import (
	"fmt"
	"net/http"
	"os"
	"time"
)

// healthcheck asks the sidecar's own health endpoint (DAPR_HTTP_PORT, 3500 by
// default, as the injector sets it) and answers a process exit code: 0 when
// it answered 204 within two seconds, 1 otherwise. It is what the container
// image's HEALTHCHECK runs; Kubernetes probes the same endpoint itself.
func healthcheck() int {
	port := os.Getenv("DAPR_HTTP_PORT")
	if port == "" {
		port = "3500"
	}
	client := &http.Client{Timeout: 2 * time.Second}
	res, err := client.Get("http://127.0.0.1:" + port + "/v1.0/healthz")
	if err != nil {
		fmt.Fprintln(os.Stderr, "sidecar not healthy:", err)
		return 1
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusNoContent {
		fmt.Fprintln(os.Stderr, "sidecar not healthy: /v1.0/healthz answered", res.StatusCode)
		return 1
	}
	return 0
}
