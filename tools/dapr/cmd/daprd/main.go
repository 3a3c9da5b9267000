// Command daprd is the Dapr sidecar runtime of the pinned github.com/dapr/dapr
// release, linked with only the components Emporium uses (components.go).
//
// Upstream's cmd/daprd/app imports every component behind build tags, so it
// cannot be linked with a subset; this file wires the same runtime with our
// registry instead. Flags, defaults and behaviour are upstream's: they come
// from github.com/dapr/dapr/cmd/daprd/options.
package main

import (
	"context"
	"fmt"
	"os"

	"go.opencensus.io/stats/view"
	"go.uber.org/automaxprocs/maxprocs"

	"github.com/dapr/dapr/cmd/daprd/options"
	"github.com/dapr/dapr/pkg/buildinfo"
	bindingsloader "github.com/dapr/dapr/pkg/components/bindings"
	configloader "github.com/dapr/dapr/pkg/components/configuration"
	conversationloader "github.com/dapr/dapr/pkg/components/conversation"
	cryptoloader "github.com/dapr/dapr/pkg/components/crypto"
	lockloader "github.com/dapr/dapr/pkg/components/lock"
	httpmwloader "github.com/dapr/dapr/pkg/components/middleware/http"
	nrloader "github.com/dapr/dapr/pkg/components/nameresolution"
	pubsubloader "github.com/dapr/dapr/pkg/components/pubsub"
	secretsloader "github.com/dapr/dapr/pkg/components/secretstores"
	stateloader "github.com/dapr/dapr/pkg/components/state"
	"github.com/dapr/dapr/pkg/healthz"
	"github.com/dapr/dapr/pkg/metrics"
	"github.com/dapr/dapr/pkg/modes"
	"github.com/dapr/dapr/pkg/runtime"
	"github.com/dapr/dapr/pkg/runtime/registry"
	"github.com/dapr/dapr/pkg/security"
	"github.com/dapr/kit/concurrency"
	"github.com/dapr/kit/logger"
	"github.com/dapr/kit/signals"
)

var (
	log        = logger.NewLogger("dapr.runtime")
	logContrib = logger.NewLogger("dapr.contrib")
)

func main() {
	// `daprd healthcheck`: the container image's HEALTHCHECK (it has no shell or curl)
	if len(os.Args) > 1 && os.Args[1] == "healthcheck" {
		os.Exit(healthcheck())
	}
	_, _ = maxprocs.Set()

	opts, err := options.New(os.Args[1:])
	if err != nil {
		log.Fatalf("Failed to parse flags: %v", err)
	}
	switch {
	case opts.RuntimeVersion:
		fmt.Println(buildinfo.Version()) //nolint:forbidigo
		return
	case opts.BuildInfo:
		fmt.Printf("Version: %s\nGit Commit: %s\nGit Version: %s\nComponents: emporium-lean\n", //nolint:forbidigo
			buildinfo.Version(), buildinfo.Commit(), buildinfo.GitVersion())
		return
	case opts.WaitCommand:
		runtime.WaitUntilDaprOutboundReady(opts.DaprHTTPPort)
		return
	}

	opts.Logger.SetAppID(opts.AppID)
	if err := logger.ApplyOptionsToLoggers(&opts.Logger); err != nil {
		log.Fatal(err)
	}
	quietWhenOff(opts)
	dropLines(opts)
	log.Infof("Starting Dapr Runtime -- version %s -- commit %s (emporium lean build)", buildinfo.Version(), buildinfo.Commit())

	registerComponents()
	secretsloader.DefaultRegistry.Logger = logContrib
	stateloader.DefaultRegistry.Logger = logContrib
	cryptoloader.DefaultRegistry.Logger = logContrib
	configloader.DefaultRegistry.Logger = logContrib
	lockloader.DefaultRegistry.Logger = logContrib
	pubsubloader.DefaultRegistry.Logger = logContrib
	nrloader.DefaultRegistry.Logger = logContrib
	bindingsloader.DefaultRegistry.Logger = logContrib
	conversationloader.DefaultRegistry.Logger = logContrib
	httpmwloader.DefaultRegistry.Logger = log

	ctx := signals.Context()
	reloads := signals.OnHUP(ctx)
	defer log.Info("Daprd shutdown gracefully")
	// Each SIGHUP hands out a fresh context; the runtime is rebuilt inside it.
	for {
		select {
		case <-ctx.Done():
			return
		case runCtx, ok := <-reloads:
			if !ok {
				return
			}
			if err := run(runCtx, opts); err != nil {
				log.Fatalf("Fatal error from runtime: %s", err)
			}
			if runCtx.Err() == nil {
				return // stopped through the shutdown API, not a signal
			}
		}
	}
}

func run(ctx context.Context, opts *options.Options) error {
	reg := registry.NewOptions().
		WithSecretStores(secretsloader.DefaultRegistry).
		WithStateStores(stateloader.DefaultRegistry).
		WithConfigurations(configloader.DefaultRegistry).
		WithLocks(lockloader.DefaultRegistry).
		WithPubSubs(pubsubloader.DefaultRegistry).
		WithNameResolutions(nrloader.DefaultRegistry).
		WithBindings(bindingsloader.DefaultRegistry).
		WithCryptoProviders(cryptoloader.DefaultRegistry).
		WithHTTPMiddlewares(httpmwloader.DefaultRegistry).
		WithConversations(conversationloader.DefaultRegistry)

	health := healthz.New()
	releaseStartupPagesWhenReady(ctx, health)
	returnHeapWhenIdle(ctx)
	sec, err := security.New(ctx, security.Options{
		SentryAddress:           opts.SentryAddress,
		ControlPlaneTrustDomain: opts.ControlPlaneTrustDomain,
		ControlPlaneNamespace:   opts.ControlPlaneNamespace,
		TrustAnchors:            opts.TrustAnchors,
		AppID:                   opts.AppID,
		MTLSEnabled:             opts.EnableMTLS,
		Mode:                    modes.DaprMode(opts.Mode),
		Healthz:                 health,
		JwtAudiences:            opts.SentryRequestJwtAudiences,
	})
	if err != nil {
		return err
	}

	return concurrency.NewRunnerManager(sec.Run, func(ctx context.Context) error {
		handler, err := sec.Handler(ctx)
		if err != nil {
			return err
		}
		rt, err := runtime.FromConfig(ctx, runtimeConfig(opts, reg, handler, health))
		if err != nil {
			return err
		}
		return rt.Run(ctx)
	}).Run(ctx)
}

func runtimeConfig(opts *options.Options, reg *registry.Options, sec security.Handler, health healthz.Healthz) *runtime.Config {
	return &runtime.Config{
		AppID:                         opts.AppID,
		ActorsService:                 opts.ActorsService,
		ActorsDisseminationTimeout:    opts.ActorsDisseminationTimeout,
		HotReloadReconcileInterval:    opts.HotReloadReconcileInterval,
		RemindersService:              opts.RemindersService,
		SchedulerAddress:              opts.SchedulerAddress,
		SchedulerStreams:              opts.SchedulerJobStreams,
		AllowedOrigins:                opts.AllowedOrigins,
		ResourcesPath:                 opts.ResourcesPath,
		ComponentsPath:                opts.ComponentsPath,
		ControlPlaneAddress:           opts.ControlPlaneAddress,
		AppProtocol:                   opts.AppProtocol,
		Mode:                          opts.Mode,
		DaprHTTPPort:                  opts.DaprHTTPPort,
		DaprInternalGRPCPort:          opts.DaprInternalGRPCPort,
		DaprInternalGRPCListenAddress: opts.DaprInternalGRPCListenAddress,
		DaprAPIGRPCPort:               opts.DaprAPIGRPCPort,
		DaprAPIListenAddresses:        opts.DaprAPIListenAddresses,
		DaprPublicPort:                opts.DaprPublicPort,
		DaprPublicListenAddress:       opts.DaprPublicListenAddress,
		ApplicationPort:               opts.AppPort,
		ProfilePort:                   opts.ProfilePort,
		EnableProfiling:               opts.EnableProfiling,
		AppMaxConcurrency:             opts.AppMaxConcurrency,
		EnableMTLS:                    opts.EnableMTLS,
		SentryAddress:                 opts.SentryAddress,
		MaxRequestSize:                opts.MaxRequestSize,
		ReadBufferSize:                opts.ReadBufferSize,
		UnixDomainSocket:              opts.UnixDomainSocket,
		DaprGracefulShutdownSeconds:   opts.DaprGracefulShutdownSeconds,
		DaprBlockShutdownDuration:     opts.DaprBlockShutdownDuration,
		DisableBuiltinK8sSecretStore:  opts.DisableBuiltinK8sSecretStore,
		EnableAppHealthCheck:          opts.EnableAppHealthCheck,
		AppHealthCheckPath:            opts.AppHealthCheckPath,
		AppHealthProbeInterval:        opts.AppHealthProbeInterval,
		AppHealthProbeTimeout:         opts.AppHealthProbeTimeout,
		AppHealthThreshold:            opts.AppHealthThreshold,
		AppChannelAddress:             opts.AppChannelAddress,
		EnableAPILogging:              opts.EnableAPILogging,
		Config:                        opts.Config,
		DisableInitEndpoints:          opts.DisableInitEndpoints,
		AppSSL:                        opts.AppSSL,
		Metrics: metrics.Options{
			Enabled:       opts.Metrics.Enabled(),
			Log:           log,
			Port:          opts.Metrics.Port(),
			Namespace:     metrics.DefaultMetricNamespace,
			Healthz:       health,
			ListenAddress: opts.Metrics.ListenAddress(),
			Meter:         view.NewMeter(),
		},
		Registry: reg,
		Security: sec,
		Healthz:  health,
	}
}
