package main

// The components Emporium's profiles use, and no others. Upstream's
// cmd/daprd/components registers ~150 components behind build tags; this
// list keeps the binary and its dependency graph small. Adding a component
// type to components/ means adding its registration here.

import (
	"context"

	bindingscron "github.com/dapr/components-contrib/bindings/cron"
	bindingshttp "github.com/dapr/components-contrib/bindings/http"
	bindingslocalstorage "github.com/dapr/components-contrib/bindings/localstorage"
	bindingssmtp "github.com/dapr/components-contrib/bindings/smtp"
	configpostgres "github.com/dapr/components-contrib/configuration/postgres"
	configredis "github.com/dapr/components-contrib/configuration/redis"
	contribmiddleware "github.com/dapr/components-contrib/middleware"
	"github.com/dapr/components-contrib/middleware/http/bearer"
	"github.com/dapr/components-contrib/middleware/http/ratelimit"
	nrkubernetes "github.com/dapr/components-contrib/nameresolution/kubernetes"
	nrmdns "github.com/dapr/components-contrib/nameresolution/mdns"
	nrsqlite "github.com/dapr/components-contrib/nameresolution/sqlite"
	pubsubinmemory "github.com/dapr/components-contrib/pubsub/in-memory"
	pubsubjetstream "github.com/dapr/components-contrib/pubsub/jetstream"
	pubsubkafka "github.com/dapr/components-contrib/pubsub/kafka"
	pubsubmqtt3 "github.com/dapr/components-contrib/pubsub/mqtt3"
	pubsubrabbitmq "github.com/dapr/components-contrib/pubsub/rabbitmq"
	pubsubredis "github.com/dapr/components-contrib/pubsub/redis"
	secretsk8s "github.com/dapr/components-contrib/secretstores/kubernetes"
	secretsenv "github.com/dapr/components-contrib/secretstores/local/env"
	secretsfile "github.com/dapr/components-contrib/secretstores/local/file"
	stateinmemory "github.com/dapr/components-contrib/state/in-memory"
	statemysql "github.com/dapr/components-contrib/state/mysql"
	statepgv1 "github.com/dapr/components-contrib/state/postgresql/v1"
	statepgv2 "github.com/dapr/components-contrib/state/postgresql/v2"
	stateredis "github.com/dapr/components-contrib/state/redis"
	statesqlite "github.com/dapr/components-contrib/state/sqlite"
	"github.com/dapr/dapr/pkg/components"
	bindingsloader "github.com/dapr/dapr/pkg/components/bindings"
	configloader "github.com/dapr/dapr/pkg/components/configuration"
	httpmwloader "github.com/dapr/dapr/pkg/components/middleware/http"
	nrloader "github.com/dapr/dapr/pkg/components/nameresolution"
	pubsubloader "github.com/dapr/dapr/pkg/components/pubsub"
	secretsloader "github.com/dapr/dapr/pkg/components/secretstores"
	stateloader "github.com/dapr/dapr/pkg/components/state"
	"github.com/dapr/dapr/pkg/middleware"
	"github.com/dapr/kit/logger"
)

func registerComponents() {
	state := stateloader.DefaultRegistry
	state.RegisterComponent(stateinmemory.NewInMemoryStateStore, "in-memory")
	state.RegisterComponent(stateredis.NewRedisStateStore, "redis")
	state.RegisterComponent(statemysql.NewMySQLStateStore, "mysql")
	state.RegisterComponent(statesqlite.NewSQLiteStateStore, "sqlite", "sqlite3")
	postgres := components.Versioning{
		Preferred: components.VersionConstructor{Version: "v2", Constructor: statepgv2.NewPostgreSQLStateStore},
		Others:    []components.VersionConstructor{{Version: "v1", Constructor: statepgv1.NewPostgreSQLStateStore}},
		Default:   "v1",
	}
	state.RegisterComponentWithVersions("postgresql", postgres)
	state.RegisterComponentWithVersions("postgres", postgres)

	pubsub := pubsubloader.DefaultRegistry
	pubsub.RegisterComponent(pubsubinmemory.New, "in-memory")
	pubsub.RegisterComponent(pubsubrabbitmq.NewRabbitMQ, "rabbitmq")
	pubsub.RegisterComponent(pubsubredis.NewRedisStreams, "redis")
	pubsub.RegisterComponent(pubsubjetstream.NewJetStream, "jetstream")
	pubsub.RegisterComponent(pubsubmqtt3.NewMQTTPubSub, "mqtt3", "mqtt")
	pubsub.RegisterComponent(pubsubkafka.NewKafka, "kafka")

	secrets := secretsloader.DefaultRegistry
	secrets.RegisterComponent(secretsfile.NewLocalSecretStore, "local.file")
	secrets.RegisterComponent(secretsenv.NewEnvSecretStore, "local.env")
	secrets.RegisterComponent(secretsk8s.NewKubernetesSecretStore, "kubernetes")

	nrloader.DefaultRegistry.RegisterComponent(nrmdns.NewResolver, "mdns")
	nrloader.DefaultRegistry.RegisterComponent(nrkubernetes.NewResolver, "kubernetes")
	// local name resolution that needs no network: every sidecar of one machine shares a SQLite file
	nrloader.DefaultRegistry.RegisterComponent(nrsqlite.NewResolver, "sqlite")

	bindings := bindingsloader.DefaultRegistry
	bindings.RegisterInputBinding(bindingscron.NewCron, "cron")
	bindings.RegisterOutputBinding(bindingslocalstorage.NewLocalStorage, "localstorage")
	bindings.RegisterOutputBinding(bindingssmtp.NewSMTP, "smtp")
	bindings.RegisterOutputBinding(bindingshttp.NewHTTP, "http")

	configloader.DefaultRegistry.RegisterComponent(configredis.NewRedisConfigurationStore, "redis")
	configloader.DefaultRegistry.RegisterComponent(configpostgres.NewPostgresConfigurationStore, "postgres", "postgresql")

	httpmwloader.DefaultRegistry.RegisterComponent(func(log logger.Logger) httpmwloader.FactoryMethod {
		return func(md contribmiddleware.Metadata) (middleware.HTTP, error) {
			return ratelimit.NewRateLimitMiddleware(log).GetHandler(context.Background(), md)
		}
	}, "ratelimit")
	httpmwloader.DefaultRegistry.RegisterComponent(func(log logger.Logger) httpmwloader.FactoryMethod {
		return func(md contribmiddleware.Metadata) (middleware.HTTP, error) {
			return bearer.NewBearerMiddleware(log).GetHandler(context.Background(), md)
		}
	}, "bearer")
}
