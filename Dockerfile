# syntax=docker/dockerfile:1
# One image pattern for every Emporium app (scripts/images.mjs prints the build
# command of each app in dapr.yaml, and of each outside party in externals.yaml,
# which builds as a service does):
#   docker build --target service --build-arg APP=identity -t emporium/identity .
#   docker build --target web -t emporium/web .
#   docker build --target sidecar -t emporium/daprd .   (the chart's dapr.sidecar.image)
# Tilt builds the *-dev targets and live-updates them (Tiltfile).
# The runtime images start exactly what dapr.yaml starts: `node dist/main.js`
# in the service's folder, `node server.js` of web's standalone build.

ARG NODE_IMAGE=node:20-bookworm-slim
ARG GO_IMAGE=golang:1.26-bookworm
ARG SIDECAR_BASE=gcr.io/distroless/static-debian12:nonroot

FROM ${NODE_IMAGE} AS base
ENV npm_config_update_notifier=false \
    npm_config_fund=false \
    npm_config_audit=false \
    NEXT_TELEMETRY_DISABLED=1
WORKDIR /repo

# Only the workspace manifests: the dependency layers below are rebuilt when a
# package.json or the lock file changes, not when a source file does.
FROM base AS manifests
COPY package.json package-lock.json ./
COPY --parents contracts/package.json apps/*/package.json web/package.json ./

# Every dependency, to compile. Install scripts stay off: nothing the build
# needs has one (package.json's allowScripts covers the machines that run tests).
FROM manifests AS deps
RUN --mount=type=cache,target=/root/.npm npm ci --ignore-scripts

FROM deps AS build
COPY tsconfig.base.json tsconfig.json ./
COPY contracts contracts
COPY apps apps
RUN npx tsc -b

FROM build AS web-build
COPY web web
RUN npm run build --workspace @emporium/web

# The production dependencies of one service: its own and those of the
# workspaces it uses (kit, contracts), nothing of the others.
FROM manifests AS service-deps
ARG APP
RUN --mount=type=cache,target=/root/.npm \
    test -n "${APP}" && test -f "apps/${APP}/package.json" && \
    npm ci --omit=dev --ignore-scripts --workspace "apps/${APP}"

FROM ${NODE_IMAGE} AS service
ARG APP
# the app's port in dapr.yaml (scripts/images.mjs passes it); the chart sets the same
ARG APP_PORT=3000
# a young generation of 2 x 1 MiB, two malloc arenas and a fixed mmap threshold, as dapr.yaml gives every service (bench/memory/README.md)
ENV NODE_ENV=production \
    NODE_OPTIONS=--max-semi-space-size=1 \
    MALLOC_ARENA_MAX=2 \
    MALLOC_MMAP_THRESHOLD_=131072 \
    APP_HOST=0.0.0.0 \
    APP_PORT=${APP_PORT}
WORKDIR /repo
COPY --from=service-deps /repo ./
COPY --from=build /repo/contracts/dist contracts/dist
COPY --from=build /repo/apps/kit/dist apps/kit/dist
COPY --from=build /repo/apps/${APP}/dist apps/${APP}/dist
WORKDIR /repo/apps/${APP}
USER node
EXPOSE ${APP_PORT}
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
    CMD ["node", "-e", "fetch('http://127.0.0.1:' + process.env.APP_PORT + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/main.js"]

# Tilt: the sources with the compiler. live_update syncs src/ and runs tsc;
# node --watch restarts the app when dist/ changes.
FROM build AS service-dev
ARG APP
ARG APP_PORT=3000
RUN chown -R node:node /repo/contracts /repo/apps
ENV NODE_ENV=development \
    APP_HOST=0.0.0.0 \
    APP_PORT=${APP_PORT}
WORKDIR /repo/apps/${APP}
USER node
EXPOSE ${APP_PORT}
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
    CMD ["node", "-e", "fetch('http://127.0.0.1:' + process.env.APP_PORT + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "--watch", "dist/main.js"]

FROM ${NODE_IMAGE} AS web
# KEEP_ALIVE_TIMEOUT: idle connections outlive the sidecar's and the ingress's (see the kit's APP_KEEP_ALIVE_MS);
# two malloc arenas and a fixed mmap threshold, as dapr.yaml gives every app (bench/memory/README.md)
ENV NODE_ENV=production \
    MALLOC_ARENA_MAX=2 \
    MALLOC_MMAP_THRESHOLD_=131072 \
    HOSTNAME=0.0.0.0 \
    PORT=3000 \
    KEEP_ALIVE_TIMEOUT=95000
WORKDIR /repo
COPY --from=web-build /repo/web/.next/standalone ./
WORKDIR /repo/web
USER node
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
    CMD ["node", "-e", "fetch('http://127.0.0.1:' + process.env.PORT + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "main.js"]

# Tilt: next dev with the sources live_update syncs, behind the same /api/v1 gateway (bundled here).
FROM build AS web-dev
COPY --chown=node:node web web
RUN node web/scripts/gateway-bundle.mjs && chown -R node:node /repo/contracts /repo/web
ENV NODE_ENV=development \
    HOSTNAME=0.0.0.0 \
    PORT=3000 \
    WEB_DIR=/repo/web
WORKDIR /repo/web
USER node
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 \
    CMD ["node", "-e", "fetch('http://127.0.0.1:' + process.env.PORT + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "gateway/dist/main.js", "--dev"]

# The sidecar: tools/dapr's daprd (upstream's runtime of the pinned release with
# only our components, releasing the pages it ran only at startup, decision 0024),
# what `npm run dapr:build` builds for npm run dev and the tests. The chart points
# Dapr's injector at it (dapr.io/sidecar-image); the injector runs /daprd with its
# arguments, as it does upstream's image. Static, so the base holds nothing else.
FROM ${GO_IMAGE} AS sidecar-build
WORKDIR /src
COPY tools/dapr/go.mod tools/dapr/go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod go mod download
COPY tools/dapr/cmd cmd
RUN --mount=type=cache,target=/go/pkg/mod --mount=type=cache,target=/root/.cache/go-build \
    v="$(go list -m -f '{{.Version}}' github.com/dapr/dapr)" && \
    CGO_ENABLED=0 go build -trimpath -o /out/daprd \
      -ldflags "-s -w -X github.com/dapr/dapr/pkg/buildinfo.version=${v#v} -X github.com/dapr/dapr/pkg/buildinfo.gitversion=${v} -X github.com/dapr/kit/logger.DaprVersion=${v#v}" \
      ./cmd/daprd && \
    test "$(/out/daprd --version)" = "${v#v}"

FROM ${SIDECAR_BASE} AS sidecar
COPY --from=sidecar-build /out/daprd /daprd
USER nonroot
EXPOSE 3500 50001 50002 9090
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 CMD ["/daprd", "healthcheck"]
CMD ["/daprd"]
